/**
 * @file
 * @brief The polygon readers on small handmade files (tests/data/geo/, described in its
 * README.md). Expected numbers are worked out by hand from the fixture's coordinates, in the
 * comments next to each assertion.
 */
#include <stdlib.h>
#include <zlib.h>

#include "test.h"

/* basic.topojson: quantised, transform scale 10 m, translate (100000, 400000), RD New. */
#define X(q) (100000.0 + 10.0 * (q))
#define Y(q) (400000.0 + 10.0 * (q))

static size_t find(const wb_geo_features *f, const char *code)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->codes[i], code))
            return i;
    wbt_fail(__FILE__, __LINE__, "code %s not read", code);
}

static wb_geo_features read_ok(const char *path, const wb_geo_opts *o, wb_geo_summary *s)
{
    wb_geo_features f;
    WB_PASS(wb_geo_read(&f, s, path, o));
    return f;
}

static int has_point(const wb_geom *g, double x, double y)
{
    for (size_t i = 0; i < g->npts; i++)
        if (g->pts[i].x == x && g->pts[i].y == y)
            return 1;
    return 0;
}

TEST(io_topojson, counts_and_areas_of_the_basic_fixture)
{
    wb_geo_summary s;
    wb_geo_features f = read_ok(wbt_fixture("geo/basic.topojson"), NULL, &s);
    ASSERT_EQ_S(s.format, "TopoJSON");
    ASSERT_EQ_S(s.object, "buurten"); /* the first object holding polygons */
    ASSERT_EQ_I(s.nobjects, 2);
    ASSERT_EQ_S(s.crs, "EPSG:28992"); /* from the top-level "crs" member */
    ASSERT_EQ_S(s.crs_source, "file");
    ASSERT_EQ_S(s.code_field, "statcode");
    ASSERT_EQ_S(s.name_field, "statnaam");
    ASSERT_EQ_I(s.features, 8);
    ASSERT_EQ_I(s.areas, 8);
    ASSERT_EQ_I(s.null_geometries, 1);  /* BU09990004 */
    ASSERT_EQ_I(s.collapsed, 1);        /* BU09990005: its only ring is a spike */
    ASSERT_EQ_I(s.imported, 6);
    ASSERT_EQ_I(s.without_geometry, 2);
    ASSERT_EQ_I(s.clean.degenerate_rings, 2); /* the spike and the 3-point hole of BU09990006 */
    ASSERT_EQ_I(s.clean.empty_polygons, 1);   /* the spike's polygon */
    ASSERT_EQ_I(s.clean.repeated_points, 1);  /* arc 10 has a zero delta */
    ASSERT_EQ_I(s.polygons, 7); /* A, B, C (2 parts), F, G, H */
    ASSERT_EQ_I(s.rings, 8);    /* plus A's hole */
    ASSERT_EQ_I(f.n, 8);
    /* areas in m2: one quantum is 10 m, so one unit square is 100 m2 */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990001")]), 100 * (100 - 9), 1e-6); /* 10x10 minus 3x3 hole */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990002")]), 100 * 100, 1e-6);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990003")]), 100 * (4 + 16), 1e-6);   /* 2x2 + 4x4 */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990006")]), 100 * 100, 1e-6);        /* hole dropped */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990007")]), 100 * 4, 1e-6);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990008")]), 100 * 1, 1e-6);
    ASSERT_CLOSE(s.area_km2, 100 * (91 + 100 + 20 + 100 + 4 + 1) / 1e6, 1e-12);
    ASSERT_EQ_I(f.geoms[find(&f, "BU09990003")].npolys, 2);
    ASSERT_EQ_I(f.geoms[find(&f, "BU09990006")].nrings, 1);
    ASSERT_EQ_I(f.flags[find(&f, "BU09990004")], WB_GEO_NULL);
    ASSERT_EQ_I(f.flags[find(&f, "BU09990005")], WB_GEO_COLLAPSED);
    ASSERT_EQ_I(f.geoms[find(&f, "BU09990004")].npolys, 0);
    ASSERT_EQ_S(f.names[find(&f, "BU09990001")], "Aa");
    ASSERT_EQ_I(f.levels[find(&f, "BU09990001")], WB_LEVEL_BUURT);
    wb_geo_features_dispose(&f);
}

TEST(io_topojson, reversed_arcs_and_holes_keep_their_vertex_order)
{
    wb_geo_features f = read_ok(wbt_fixture("geo/basic.topojson"), NULL, NULL);
    /* B = [~0, ~2]: arc 0 reversed (10,10)->(10,0), then arc 2 reversed
     * (10,0)->(20,0)->(20,10)->(10,10), the joint (10,0) once. */
    const wb_geom *b = &f.geoms[find(&f, "BU09990002")];
    const double bx[] = {10, 10, 20, 20, 10}, by[] = {10, 0, 0, 10, 10};
    ASSERT_EQ_I(b->npts, 5);
    for (size_t i = 0; i < 5; i++) {
        ASSERT_CLOSE(b->pts[i].x, X(bx[i]), 0);
        ASSERT_CLOSE(b->pts[i].y, Y(by[i]), 0);
    }
    /* A = [1, 0] with hole [3]: (10,10) (0,10) (0,0) (10,0) (10,10); hole (3,3) (3,6) (6,6) (6,3) */
    const wb_geom *a = &f.geoms[find(&f, "BU09990001")];
    ASSERT_EQ_I(a->nrings, 2);
    ASSERT_EQ_I(WB_RING_NPTS(a, 0), 5);
    ASSERT_EQ_I(WB_RING_NPTS(a, 1), 5);
    ASSERT_CLOSE(a->pts[1].x, X(0), 0);
    ASSERT_CLOSE(a->pts[1].y, Y(10), 0);
    ASSERT_CLOSE(a->pts[5].x, X(3), 0);
    ASSERT_CLOSE(a->pts[6].y, Y(6), 0);
    wb_geo_features_dispose(&f);
}

TEST(io_topojson, neighbours_share_bit_identical_vertices)
{
    wb_geo_features f = read_ok(wbt_fixture("geo/basic.topojson"), NULL, NULL);
    const wb_geom *a = &f.geoms[find(&f, "BU09990001")], *b = &f.geoms[find(&f, "BU09990002")];
    size_t shared = 0;
    for (size_t i = 0; i + 1 < a->ring_off[1]; i++) /* A's exterior without its closing point */
        for (size_t j = 0; j + 1 < b->npts; j++)
            shared += !memcmp(&a->pts[i], &b->pts[j], sizeof(wb_point));
    ASSERT_EQ_I(shared, 2); /* the two ends of the shared arc 0: (10,0) and (10,10) */
    ASSERT(has_point(a, X(10), Y(0)) && has_point(b, X(10), Y(0)));
    wb_geo_features_dispose(&f);
}

TEST(io_topojson, object_by_name_and_unknown_object)
{
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.object = "wijken";
    wb_geo_summary s;
    wb_geo_features f = read_ok(wbt_fixture("geo/basic.topojson"), &o, &s);
    ASSERT_EQ_I(f.n, 1);
    ASSERT_EQ_S(f.codes[0], "WK099900");
    ASSERT_EQ_I(f.levels[0], WB_LEVEL_WIJK);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[0]), 100 * 20 * 10, 1e-6); /* 20 x 10 units */
    wb_geo_features_dispose(&f);
    o.object = "gemeenten";
    WB_FAILS(WB_ENOTFOUND, wb_geo_read(&f, NULL, wbt_fixture("geo/basic.topojson"), &o));
    ASSERT(strstr(wb_error_last()->message, "no object 'gemeenten' (objects: buurten, wijken)"));
}

TEST(io_topojson, plain_coordinates_need_a_crs)
{
    /* no transform, absolute RD metres, no crs member */
    wb_geo_features f;
    const char *path = wbt_fixture("geo/plain_rd.topojson");
    WB_FAILS(WB_EINVALID, wb_geo_read(&f, NULL, path, NULL));
    ASSERT(strstr(wb_error_last()->message, "plain_rd.topojson: the file names no CRS"));
    ASSERT(strstr(wb_error_last()->message, "--crs EPSG:28992"));
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.crs = "EPSG:28992";
    wb_geo_summary s;
    f = read_ok(path, &o, &s);
    ASSERT_EQ_S(s.crs_source, "--crs option");
    ASSERT_EQ_S(s.code_field, "id"); /* no statcode property: the geometry's id */
    ASSERT_EQ_S(s.name_field, "naam");
    ASSERT_EQ_I(f.n, 2);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[0]), 100 * 100, 1e-6);
    ASSERT_CLOSE(f.geoms[1].bbox[2], 100200, 0);
    wb_geo_features_dispose(&f);
    o.crs = "EPSG:4326"; /* degrees cannot be 100000 */
    WB_FAILS(WB_EINVALID, wb_geo_read(&f, NULL, path, &o));
    ASSERT(strstr(wb_error_last()->message, "are not longitude/latitude"));
    o.crs = "EPSG:999999";
    WB_FAILS(WB_EINVALID, wb_geo_read(&f, NULL, path, &o));
    ASSERT(strstr(wb_error_last()->message, "unknown CRS 'EPSG:999999'"));
}

TEST(io_topojson, gzipped_file_reads_the_same)
{
    size_t len;
    char *text = wbt_slurp(wbt_fixture("geo/basic.topojson"), &len);
    ASSERT(text);
    const char *gzpath = wbt_tmp("basic.topojson.gz");
    gzFile gz = gzopen(gzpath, "wb9");
    ASSERT(gz && gzwrite(gz, text, (unsigned)len) == (int)len && gzclose(gz) == Z_OK);
    free(text);
    wb_geo_features f = read_ok(wbt_fixture("geo/basic.topojson"), NULL, NULL);
    wb_geo_features g = read_ok(gzpath, NULL, NULL);
    ASSERT_EQ_I(f.n, g.n);
    for (size_t i = 0; i < f.n; i++) {
        ASSERT_EQ_S(f.codes[i], g.codes[i]);
        ASSERT_EQ_I(f.geoms[i].npts, g.geoms[i].npts);
        if (f.geoms[i].npts)
            ASSERT(!memcmp(f.geoms[i].pts, g.geoms[i].pts, f.geoms[i].npts * sizeof(wb_point)));
    }
    wb_geo_features_dispose(&f);
    wb_geo_features_dispose(&g);
    /* a truncated gzip stream is an error, not a short file */
    char *bytes = wbt_slurp(gzpath, &len);
    FILE *out = fopen(wbt_tmp("cut.topojson.gz"), "wb");
    ASSERT(bytes && out && fwrite(bytes, 1, len / 2, out) == len / 2);
    fclose(out);
    free(bytes);
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_tmp("cut.topojson.gz"), NULL));
    ASSERT(strstr(wb_error_last()->message, "cut.topojson.gz"));
}

TEST(io_topojson, malformed_files_name_file_and_place)
{
    wb_geo_features f;
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_fixture("geo/bad_arc.topojson"), NULL));
    ASSERT(strstr(wb_error_last()->message, "bad_arc.topojson:1: object 'ab', geometry 2 (BU09990002): "
                                            "arc index 7 out of range (the file has 3 arcs)"));
    /* invalid.topojson misses a comma on line 3 before "geometries" (column 49) */
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_fixture("geo/invalid.topojson"), NULL));
    ASSERT(strstr(wb_error_last()->message, "invalid.topojson:3:49: invalid JSON: expected ',' or '}'"));
    /* truncated: the first 1000 of 2097 bytes of a one-line file */
    size_t len;
    char *text = wbt_slurp(wbt_fixture("geo/basic.topojson"), &len);
    ASSERT(text && len > 1000);
    text[1000] = 0;
    wbt_write(wbt_tmp("trunc.topojson"), text);
    free(text);
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_tmp("trunc.topojson"), NULL));
    ASSERT(strstr(wb_error_last()->message, "trunc.topojson:1:"));
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_fixture("geo/linestring.topojson"), NULL));
    ASSERT(strstr(wb_error_last()->message, "a LineString, expected Polygon, MultiPolygon or null"));
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_fixture("geo/points.topojson"), NULL));
    ASSERT(strstr(wb_error_last()->message, "object 'labels', geometry 1 (BU09990001): a Point"));
    WB_FAILS(WB_ENOTFOUND, wb_geo_read(&f, NULL, wbt_tmp("nothere.topojson"), NULL));
    ASSERT(strstr(wb_error_last()->message, "nothere.topojson: No such file"));
    wbt_write(wbt_tmp("other.json"), "{\"type\": \"Sheet\", \"rows\": []}");
    WB_FAILS(WB_EPARSE, wb_geo_read(&f, NULL, wbt_tmp("other.json"), NULL));
    ASSERT(strstr(wb_error_last()->message, "neither TopoJSON nor GeoJSON"));
}

TEST(io_topojson, fields_and_levels_are_checked)
{
    wb_geo_features f;
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.code_field = "bu_code";
    WB_FAILS(WB_ENOTFOUND, wb_geo_read(&f, NULL, wbt_fixture("geo/basic.topojson"), &o));
    ASSERT(strstr(wb_error_last()->message, "no field 'bu_code' for the codes (fields: statcode, statnaam, rubriek, id)"));
    o.code_field = NULL;
    o.level = WB_LEVEL_WIJK;
    WB_FAILS(WB_EINVALID, wb_geo_read(&f, NULL, wbt_fixture("geo/basic.topojson"), &o));
    ASSERT(strstr(wb_error_last()->message, "feature 1: BU09990001 is a buurt code, but the level is wijk"));
    o.level = WB_LEVEL__MAX;
    o.name_field = "";
    wb_geo_summary s;
    f = read_ok(wbt_fixture("geo/basic.topojson"), &o, &s);
    ASSERT_EQ_S(s.name_field, "");
    ASSERT(f.names[0] == NULL);
    wb_geo_features_dispose(&f);
}

/* ---------------------------------------------------------------- GeoJSON through OGR */

TEST(io_geojson, rd_file_with_crs_member_and_cbs_field_names)
{
    wb_geo_summary s;
    wb_geo_features f = read_ok(wbt_fixture("geo/basic_rd.geojson"), NULL, &s);
    ASSERT_EQ_S(s.format, "GeoJSON");
    ASSERT_EQ_S(s.object, "buurten");
    ASSERT_EQ_S(s.crs, "EPSG:28992");
    ASSERT_EQ_S(s.code_field, "BU_CODE"); /* not WK_CODE or GM_CODE, also in the file */
    ASSERT_EQ_S(s.name_field, "BU_NAAM");
    ASSERT_EQ_I(s.features, 5);
    ASSERT_EQ_I(s.null_geometries, 1);
    ASSERT_EQ_I(s.collapsed, 1);
    ASSERT_EQ_I(s.imported, 3);
    ASSERT_EQ_I(s.clean.degenerate_rings, 1);
    ASSERT_EQ_I(s.clean.empty_polygons, 1);
    /* the same shapes as basic.topojson, in metres: A 9100 m2, B 10000 m2, C 2000 m2 */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990001")]), 9100, 1e-6);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990002")]), 10000, 1e-6);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990003")]), 2000, 1e-6);
    ASSERT_EQ_S(f.names[find(&f, "BU09990003")], "Eiland");
    wb_geo_features_dispose(&f);
}

TEST(io_geojson, wgs84_reprojects_to_rd_new)
{
    /* A square of +-0.001 degrees around (5.38720621 E, 52.15517440 N): the ETRS89 position of
     * the RD New origin (155000, 463000) used by the published approximate RD conversion
     * formulas (Schreutelkamp and Strang van Hees, "Benaderingsformules voor de transformatie
     * tussen RD- en WGS84-kaartcoordinaten", 2001), accurate to about a metre. */
    wb_geo_summary s;
    wb_geo_features f = read_ok(wbt_fixture("geo/amersfoort_wgs84.geojson"), NULL, &s);
    ASSERT_EQ_S(s.crs, "OGC:CRS84"); /* GeoJSON without a crs member: lon/lat, RFC 7946 */
    ASSERT_EQ_I(f.n, 1);
    ASSERT_EQ_S(f.codes[0], "GM0307");
    wb_point c = wb_geom_centroid(&f.geoms[0]);
    ASSERT_CLOSE(c.x, 155000, 2.0);
    ASSERT_CLOSE(c.y, 463000, 2.0);
    /* On the GRS80 ellipsoid (a = 6378137 m, e2 = 0.00669438) at 52.1552 N a degree of
     * latitude is a(1-e2)/(1-e2 sin2)^1.5 * pi/180 = 111,270 m and a degree of longitude
     * a cos / (1-e2 sin2)^0.5 * pi/180 = 68,460 m, so the square is 222.54 m x 136.92 m =
     * 30,470 m2; RD New's scale factor at its origin (0.9999079) makes that 30,464 m2 on the
     * map. Tolerance 0.1 %. */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[0]), 30464, 30);
    wb_geo_features_dispose(&f);
}

TEST(io_geojson, duplicate_codes_are_merged_and_counted)
{
    const char *p = wbt_tmp("dup.geojson");
    wbt_write(p, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                 "{\"name\":\"EPSG:28992\"}},\"features\":["
                 "{\"type\":\"Feature\",\"properties\":{\"code\":\"WK099901\"},\"geometry\":"
                 "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[100,0],[100,100],[0,0]]]}},"
                 "{\"type\":\"Feature\",\"properties\":{\"code\":\"WK099902\"},\"geometry\":null},"
                 "{\"type\":\"Feature\",\"properties\":{\"code\":\" wk099901 \"},\"geometry\":"
                 "{\"type\":\"Polygon\",\"coordinates\":[[[200,0],[300,0],[300,100],[200,0]]]}}]}");
    wb_geo_summary s;
    wb_geo_features f = read_ok(p, NULL, &s);
    ASSERT_EQ_I(s.features, 3);
    ASSERT_EQ_I(s.duplicate_codes, 1);
    ASSERT_EQ_I(s.areas, 2);
    ASSERT_EQ_I(f.n, 2);
    ASSERT_EQ_S(f.codes[0], "WK099901");
    ASSERT_EQ_I(f.geoms[0].npolys, 2);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[0]), 2 * 5000, 1e-9); /* two right triangles, legs 100 m */
    ASSERT_EQ_S(f.codes[1], "WK099902");
    ASSERT_EQ_I(f.flags[1], WB_GEO_NULL);
    wb_geo_features_dispose(&f);
}

TEST(io_geojson, metres_without_crs_member_ask_for_crs)
{
    const char *p = wbt_tmp("rd_nocrs.geojson");
    wbt_write(p, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                 "{\"code\":\"WK099901\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                 "[[[155000,463000],[155100,463000],[155100,463100],[155000,463000]]]}}]}");
    wb_geo_features f;
    WB_FAILS(WB_EINVALID, wb_geo_read(&f, NULL, p, NULL));
    ASSERT(strstr(wb_error_last()->message, "give the CRS with --crs"));
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.crs = "EPSG:28992";
    f = read_ok(p, &o, NULL);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[0]), 5000, 1e-9);
    wb_geo_features_dispose(&f);
}

/* ---------------------------------------------------------------- into the store */

static size_t count_rows(wb_store *st, wb_level level, int year, int with_geometry)
{
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = level;
    q.year = year;
    q.with_geometry = with_geometry;
    wb_area *a = NULL;
    size_t n = 0;
    WB_PASS(wb_store_areas(st, &a, &n, &q));
    wb_areas_free(a, n);
    return n;
}

TEST(io_geo_import, areas_and_geometries_in_one_transaction)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    wb_geo_summary s;
    WB_FAILS(WB_EINVALID, wb_geo_import(st, wbt_fixture("geo/basic.topojson"), &o, &s)); /* no year */
    o.year = 2021;
    WB_PASS(wb_geo_import(st, wbt_fixture("geo/basic.topojson"), &o, &s));
    ASSERT_EQ_I(s.areas_new, 8);
    ASSERT_EQ_I(s.areas_updated, 0);
    /* every feature with a code is an area; 6 have a geometry */
    ASSERT_EQ_I(count_rows(st, WB_LEVEL_BUURT, 2021, 0), 8);
    ASSERT_EQ_I(count_rows(st, WB_LEVEL_BUURT, 2021, 1), 6);
    wb_layer layer;
    WB_PASS(wb_store_layer_load(st, &layer, WB_LEVEL_BUURT, 2021));
    ASSERT_EQ_I(layer.n, 6);
    ASSERT_EQ_S(layer.codes[0], "BU09990001");
    ASSERT_CLOSE(wb_geom_area(&layer.geoms[0]), 9100, 1e-6);
    wb_layer_dispose(&layer);
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "BU09990004", 2021));
    ASSERT_EQ_S(a->name, "Leeg");
    ASSERT_EQ_S(a->parent, "WK099900");
    ASSERT_EQ_I(a->has_geometry, 0);
    wb_areas_free(a, 1);
    /* again: the same areas, updated */
    WB_PASS(wb_geo_import(st, wbt_fixture("geo/basic.topojson"), &o, &s));
    ASSERT_EQ_I(s.areas_new, 0);
    ASSERT_EQ_I(s.areas_updated, 8);
    /* a failing import changes nothing */
    o.year = 2022;
    WB_FAILS(WB_EPARSE, wb_geo_import(st, wbt_fixture("geo/bad_arc.topojson"), &o, &s));
    ASSERT_EQ_I(count_rows(st, WB_LEVEL_BUURT, 2022, 0), 0);
    ASSERT_EQ_I(count_rows(st, WB_LEVEL__MAX, 0, 0), 8);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- Shapefile through OGR */

#include <gdal_utils.h>

TEST(io_shapefile, prj_gives_the_crs_and_cbs_fields_work)
{
    /* make a Shapefile (with its .prj) from basic_rd.geojson with GDAL's own translator */
    GDALAllRegister();
    GDALDatasetH src = GDALOpenEx(wbt_fixture("geo/basic_rd.geojson"), GDAL_OF_VECTOR, NULL, NULL, NULL);
    ASSERT(src);
    char *argv[] = {"-f", "ESRI Shapefile", NULL};
    GDALVectorTranslateOptions *vo = GDALVectorTranslateOptionsNew(argv, NULL);
    char shp[4096];
    snprintf(shp, sizeof shp, "%s", wbt_tmp("buurten.shp"));
    GDALDatasetH dst = GDALVectorTranslate(shp, NULL, 1, &src, vo, NULL);
    ASSERT(dst);
    GDALClose(dst);
    GDALClose(src);
    GDALVectorTranslateOptionsFree(vo);
    wb_geo_summary s;
    wb_geo_features f = read_ok(shp, NULL, &s);
    ASSERT_EQ_S(s.format, "ESRI Shapefile");
    ASSERT_EQ_S(s.crs, "EPSG:28992"); /* from the .prj */
    ASSERT_EQ_S(s.crs_source, "file");
    ASSERT_EQ_S(s.code_field, "BU_CODE");
    ASSERT_EQ_I(s.features, 5);
    ASSERT_EQ_I(s.null_geometries, 1);
    ASSERT_EQ_I(s.imported, 3); /* the zero-area spike collapsed, as from the GeoJSON */
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990001")]), 9100, 1e-6);
    ASSERT_CLOSE(wb_geom_area(&f.geoms[find(&f, "BU09990003")]), 2000, 1e-6);
    wb_geo_features_dispose(&f);
    /* without the .prj the metres need --crs */
    ASSERT_EQ_I(remove(wbt_tmp("buurten.prj")), 0);
    WB_FAILS(WB_EINVALID, wb_geo_read(&f, NULL, shp, NULL));
    ASSERT(strstr(wb_error_last()->message, "give the CRS with --crs"));
}
