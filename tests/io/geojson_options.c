/**
 * @file
 * @brief Options of the GeoJSON writer that a feature service needs: more properties per
 * feature, more members of the collection, one Feature alone, MultiPolygons only, and a
 * layer already in WGS84 written without reprojection. The layers are built here, so the
 * expected coordinates are the ones given.
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

/* A square (lon, lat) with its lower left corner at (x, y) and side d. */
static void square(wb_geom *g, double x, double y, double d, int append)
{
    wb_geom s = WB_GEOM_INIT;
    s.pts = malloc(5 * sizeof *s.pts);
    s.ring_off = malloc(2 * sizeof *s.ring_off);
    s.poly_off = malloc(2 * sizeof *s.poly_off);
    ASSERT(s.pts && s.ring_off && s.poly_off);
    wb_point p[5] = {{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}};
    memcpy(s.pts, p, sizeof p);
    s.npts = 5;
    s.ring_off[0] = 0, s.ring_off[1] = 5, s.nrings = 1;
    s.poly_off[0] = 0, s.poly_off[1] = 1, s.npolys = 1;
    wb_geom_update_bbox(&s);
    if (append) {
        WB_PASS(wb_geom_append(g, &s));
        wb_geom_update_bbox(g);
    } else {
        WB_PASS(wb_geom_copy(g, &s));
    }
    free(s.pts);
    free(s.ring_off);
    free(s.poly_off);
}

/* ,"n":i and ,"twice":2i, counting the calls */
static int props(void *payload, size_t i, wb_str *out)
{
    int *calls = payload;
    (*calls)++;
    return wb_str_printf(out, ",\"n\":%zu,\"twice\":%zu", i, 2 * i) < 0 ? WB_ENOMEM : 0;
}

static int props_fail(void *payload, size_t i, wb_str *out)
{
    (void)payload;
    (void)out;
    if (i == 1) {
        wb_error_set(WB_ERRCLASS_ARG, "no properties for feature %zu", i);
        return WB_EINVALID;
    }
    return 0;
}

TEST(io_geojson_options, properties_members_multi_and_one_feature)
{
    char codes[2][WB_CODE_MAX] = {"BU00000001", "BU00000002"};
    char *names[2] = {"Een", NULL};
    wb_geom geoms[2] = {WB_GEOM_INIT, WB_GEOM_INIT};
    square(&geoms[0], 5.1234564, 52.0, 0.001, 0);
    square(&geoms[1], 5.2, 52.1, 0.002, 0);
    square(&geoms[1], 5.3, 52.1, 0.002, 1); /* two parts */
    wb_layer layer = {2, codes, names, geoms, 2020, WB_LEVEL_BUURT};
    int calls = 0;
    wb_geojson_opts o = WB_GEOJSON_OPTS_INIT;
    o.layer_crs = WB_CRS_WGS84; /* already lon/lat: written as given, rounded */
    o.props = props;
    o.props_payload = &calls;
    o.members = "\"numberMatched\":2,\"links\":[{\"rel\":\"self\"}]";
    o.multi = 1;
    wb_str out = WB_STR_INIT;
    WB_PASS(wb_geojson_write(wb_write_to_str, &out, &layer, NULL, &o, NULL));
    ASSERT_EQ_I(calls, 2);
    json_error_t e;
    json_t *root = json_loadb(out.ptr, out.len, 0, &e);
    ASSERT_MSG(root, "not JSON: %s: %s", e.text, out.ptr);
    ASSERT_EQ_I(json_integer_value(json_object_get(root, "numberMatched")), 2);
    ASSERT_EQ_S(json_string_value(json_object_get(json_array_get(json_object_get(root, "links"), 0), "rel")), "self");
    json_t *fs = json_object_get(root, "features");
    ASSERT_EQ_I(json_array_size(fs), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *f = json_array_get(fs, i);
        json_t *p = json_object_get(f, "properties");
        ASSERT_EQ_S(json_string_value(json_object_get(p, "code")), codes[i]);
        ASSERT_EQ_I(json_integer_value(json_object_get(p, "n")), i);
        ASSERT_EQ_I(json_integer_value(json_object_get(p, "twice")), 2 * i);
        json_t *g = json_object_get(f, "geometry");
        /* a single square is a MultiPolygon too */
        ASSERT_EQ_S(json_string_value(json_object_get(g, "type")), "MultiPolygon");
        ASSERT_EQ_I(json_array_size(json_object_get(g, "coordinates")), i == 0 ? 1 : 2);
    }
    /* no reprojection: the first corner as given, rounded to 6 decimals (5.1234564 -> 5.123456) */
    json_t *c0 = json_array_get(json_array_get(json_array_get(
                                    json_object_get(json_object_get(json_array_get(fs, 0), "geometry"), "coordinates"), 0),
                                0),
                                0);
    ASSERT_CLOSE(json_number_value(json_array_get(c0, 0)), 5.123456, 1e-12);
    ASSERT_CLOSE(json_number_value(json_array_get(c0, 1)), 52.0, 1e-12);
    json_decref(root);

    /* one Feature, with the members inside it */
    wb_str_clear(&out);
    wb_layer one = {1, &codes[1], &names[1], &geoms[1], 2020, WB_LEVEL_BUURT};
    o.feature_only = 1;
    o.members = "\"links\":[]";
    WB_PASS(wb_geojson_write(wb_write_to_str, &out, &one, NULL, &o, NULL));
    root = json_loadb(out.ptr, out.len, 0, &e);
    ASSERT_MSG(root, "not JSON: %s: %s", e.text, out.ptr);
    ASSERT_EQ_S(json_string_value(json_object_get(root, "type")), "Feature");
    ASSERT_EQ_S(json_string_value(json_object_get(root, "id")), "BU00000002");
    ASSERT(json_is_array(json_object_get(root, "links")));
    ASSERT(json_is_null(json_object_get(json_object_get(root, "properties"), "name")));
    json_decref(root);
    /* ... which needs a layer of one area */
    WB_FAILS(WB_EINVALID, wb_geojson_write(wb_write_to_str, &out, &layer, NULL, &o, NULL));

    /* without multi, one part stays a Polygon (the default, unchanged) */
    wb_str_clear(&out);
    wb_geojson_opts d = WB_GEOJSON_OPTS_INIT;
    d.layer_crs = WB_CRS_WGS84;
    WB_PASS(wb_geojson_write(wb_write_to_str, &out, &layer, NULL, &d, NULL));
    ASSERT(strstr(out.ptr, "\"geometry\":{\"type\":\"Polygon\""));
    ASSERT(strstr(out.ptr, "\"geometry\":{\"type\":\"MultiPolygon\""));
    ASSERT(out.len > 4 && !strcmp(out.ptr + out.len - 4, "\n]}\n"));

    /* a failing property writer stops the writer with its error */
    d.props = props_fail;
    wb_str_clear(&out);
    WB_FAILS(WB_EINVALID, wb_geojson_write(wb_write_to_str, &out, &layer, NULL, &d, NULL));
    ASSERT(strstr(wb_error_last()->message, "no properties for feature 1"));
    wb_str_dispose(&out);
    wb_geom_dispose(&geoms[0]);
    wb_geom_dispose(&geoms[1]);
}
