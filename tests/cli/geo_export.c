/** @file @brief `export geojson` from the command line (tests/data/geo/basic.topojson). */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

static void import_basic(void)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db import geo '%s' --year 2021",
                               wbt_fixture("geo/basic.topojson"));
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
}

static json_t *parse_text(const char *text)
{
    json_error_t e;
    json_t *root = json_loads(text, 0, &e);
    ASSERT_MSG(root, "not JSON: %s (%d:%d)", e.text, e.line, e.column);
    return root;
}

TEST(cli_geo_export, to_stdout_and_to_a_file)
{
    import_basic();
    wbt_run_result r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021");
    ASSERT_EQ_I(r.status, 0);
    json_t *root = parse_text(r.out);
    ASSERT_EQ_I(json_array_size(json_object_get(root, "features")), 6);
    json_decref(root);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 -o out.geojson");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "wrote 6 features"));
    wbt_run_free(&r);
    char *text = wbt_slurp(wbt_tmp("out.geojson"), NULL);
    ASSERT(text);
    root = parse_text(text);
    ASSERT_EQ_I(json_array_size(json_object_get(root, "features")), 6);
    json_decref(root);
    free(text);
    /* RD New output with whole metres */
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 --crs EPSG:28992 --precision 0");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "\"urn:ogc:def:crs:EPSG::28992\""));
    ASSERT(strstr(r.out, "[100100,400000]"));
    ASSERT(!strstr(r.out, "100100.")); /* no decimals */
    wbt_run_free(&r);
}

TEST(cli_geo_export, values_null_when_missing_and_errors)
{
    import_basic();
    wbt_run_result r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 --indicator nope");
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "unknown indicator 'nope'"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level wijk --year 2021");
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "no wijk geometries for 2021"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt");
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "--year Y is required"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 --precision 20");
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 --crs EPSG:0");
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "unknown CRS"));
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 -o /nonexistent/dir/x.geojson");
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "/nonexistent/dir/x.geojson"));
    wbt_run_free(&r);

    /* values: one present, one stored missing; the rest have none */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("t.db"), 0));
    wb_indicator ind = {0, "p_koopw", "koopwoningen", "owner-occupied", "%", 0, NULL, "test", NULL};
    int64_t iid, a1, a2;
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_indicator_put(st, &iid, &ind));
    WB_PASS(wb_store_area_find(st, &a1, "BU09990001", 2021));
    WB_PASS(wb_store_area_find(st, &a2, "BU09990002", 2021));
    WB_PASS(wb_store_obs_put(st, iid, a1, 2021, 41.5));
    WB_PASS(wb_store_obs_put(st, iid, a2, 2021, NAN));
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 --indicator p_koopw");
    ASSERT_EQ_I(r.status, 0);
    json_t *root = parse_text(r.out);
    json_t *fs = json_object_get(root, "features");
    size_t nnull = 0, nnum = 0;
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *props = json_object_get(json_array_get(fs, i), "properties");
        json_t *v = json_object_get(props, "value");
        ASSERT(v != NULL);
        if (json_is_null(v))
            nnull++;
        else {
            nnum++;
            ASSERT_EQ_S(json_string_value(json_object_get(props, "code")), "BU09990001");
            ASSERT_CLOSE(json_number_value(v), 41.5, 0);
        }
    }
    ASSERT_EQ_I(nnum, 1);
    ASSERT_EQ_I(nnull, 5);
    json_decref(root);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2021 --indicator p_koopw --data-year 2019");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.err, "no values of p_koopw for 2019 on 2021 boundaries"));
    wbt_run_free(&r);
}

TEST(cli_geo_export, simplified_buurt_2015_map_for_the_web)
{
    /* the whole country's buurten, simplified by 50 m: every feature stays, fewer points */
    wbt_run_result r = wbt_run(NULL, "--db t.db import geo '%s' --year 2015",
                               wbt_shared("geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz"));
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2015 -o a.geojson");
    ASSERT_EQ_I(r.status, 0);
    unsigned long nf0, p0, pin0;
    ASSERT(sscanf(r.out, "wrote %lu features (%lu points of %lu)", &nf0, &p0, &pin0) == 3);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level buurt --year 2015 --simplify 50 -o b.geojson");
    ASSERT_EQ_I(r.status, 0);
    unsigned long nf1, p1, pin1;
    ASSERT(sscanf(r.out, "wrote %lu features (%lu points of %lu)", &nf1, &p1, &pin1) == 3);
    wbt_run_free(&r);
    ASSERT_EQ_I(nf0, 11018); /* reference_counts.csv: buurten with a geometry */
    ASSERT_EQ_I(nf1, nf0);
    ASSERT_EQ_I(pin1, pin0);
    ASSERT(p1 < p0);
}

TEST(cli_geo_export, geopackage_round_trip_is_exact)
{
    import_basic();
    wbt_run_result r = wbt_run(NULL, "--db t.db export gpkg --level buurt --year 2021 -o buurt.gpkg");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "wrote 6 features to buurt.gpkg (layer buurt_2021, EPSG:28992)"));
    wbt_run_free(&r);
    /* read back through OGR: same codes and names, the stored doubles unchanged */
    wb_geo_summary s;
    wb_geo_features f;
    WB_PASS(wb_geo_read(&f, &s, wbt_tmp("buurt.gpkg"), NULL));
    ASSERT_EQ_S(s.format, "GPKG");
    ASSERT_EQ_S(s.object, "buurt_2021");
    ASSERT_EQ_S(s.crs, "EPSG:28992");
    ASSERT_EQ_S(s.code_field, "code");
    ASSERT_EQ_S(s.name_field, "name");
    ASSERT_EQ_I(f.n, 6);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("t.db"), 0));
    wb_layer l;
    WB_PASS(wb_store_layer_load(st, &l, WB_LEVEL_BUURT, 2021));
    for (size_t i = 0; i < l.n; i++) {
        ASSERT_EQ_S(f.codes[i], l.codes[i]);
        ASSERT_EQ_S(f.names[i], l.names[i]);
        ASSERT_EQ_I(f.geoms[i].npts, l.geoms[i].npts);
        ASSERT(!memcmp(f.geoms[i].pts, l.geoms[i].pts, l.geoms[i].npts * sizeof(wb_point)));
    }
    wb_layer_dispose(&l);
    wb_store_free(st);
    wb_geo_features_dispose(&f);
    /* again over the existing file: replaced */
    r = wbt_run(NULL, "--db t.db export gpkg --level buurt --year 2021 -o buurt.gpkg");
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export gpkg --level wijk --year 2021 -o wijk.gpkg");
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "no wijk geometries for 2021"));
    ASSERT(access(wbt_tmp("wijk.gpkg"), F_OK) != 0);
    wbt_run_free(&r);
}
