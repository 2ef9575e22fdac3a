/**
 * @file
 * @brief OGC API - Features under /ogc (src/web/routes_ogc.c): every route and error over
 * real HTTP on the web fixture store, and GDAL's own OAPIF client (what QGIS uses through
 * GDAL) reading the demo database and, when ../shared/data is there, the national wijken.
 *
 * Where the expected numbers come from:
 * - values: wbt_fixture_value (what the fixture stored), or `wijkbeeld export values` for the
 *   demo and the national data (the latest non-missing year per code, taken here from its
 *   CSV);
 * - coordinates: the fixture's RD New rectangles (tests/web/helpers.c) transformed with GDAL's
 *   `gdaltransform`, rounded to the 6 decimals the API serves;
 * - bbox filters: boxes around points of the fixture's layout (a buurt's centre: 1 buurt; the
 *   middle of a border between two buurten: those 2), and for the demo the feature count
 *   GDAL/GEOS gives for the same box on `wijkbeeld export geojson` (the same coordinates);
 * - areas: the stored polygons (wb_store_layer_load, RD New) against the GeoPackage that
 *   ogr2ogr wrote, read back into RD New; the tolerance is stated at the comparison.
 */
#include <gdal.h>
#include <jansson.h>
#include <math.h>
#include <ogr_api.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "web/cweb.h"
#include "web/webtest.h"

/* ---------------------------------------------------------------- helpers */

/* GET @p target; the status must be @p want and the Content-Type start with @p type. */
static json_t *get_typed(int port, const char *target, int want, const char *type)
{
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == want, "GET %s: status %d, expected %d; body %.300s", target, r.status, want, r.body);
    char ct[128];
    ASSERT_MSG(wbt_http_header(&r, "Content-Type", ct, sizeof ct) && !strncmp(ct, type, strlen(type)),
               "GET %s: Content-Type '%s', expected %s", target, ct, type);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j, "GET %s: invalid JSON (%s): %.200s", target, err.text, r.body);
    wbt_http_free(&r);
    return j;
}

static json_t *get_geo(int port, const char *target)
{
    return get_typed(port, target, 200, "application/geo+json");
}

/* A 4xx with the JSON error body; returns its "param" ("" when none; static). */
static const char *expect_error(int port, const char *method, const char *target, int status)
{
    static char param[64];
    wbt_http r = wbt_http_req(port, method, target, NULL);
    ASSERT_MSG(r.status == status, "%s %s: status %d, expected %d; body %s", method, target, r.status, status, r.body);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    ASSERT_MSG(j && json_is_string(json_object_get(j, "error")), "%s %s: no JSON error body: %s", method, target,
               r.body);
    const char *p = json_string_value(json_object_get(j, "param"));
    snprintf(param, sizeof param, "%s", p ? p : "");
    json_decref(j);
    wbt_http_free(&r);
    return param;
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The href of the link with relation @p rel, or NULL. */
static const char *link_href(json_t *doc, const char *rel)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(doc, "links"), i, l) if (!strcmp(str(l, "rel"), rel)) return str(l, "href");
    return NULL;
}

/* The path and query of an absolute link to this server ("http://127.0.0.1/ogc/..."). */
static const char *local(const char *href)
{
    ASSERT_MSG(href && !strncmp(href, "http://127.0.0.1/", 17), "link '%s' is not absolute on this host",
               href ? href : "(none)");
    return href + 16;
}

/* Run a shell command; its stdout (caller frees) and exit status. */
static char *sh(int *status, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    ASSERT_MSG(p, "cannot run %s", cmd);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    ASSERT(out);
    size_t k;
    while ((k = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (cap - n < 2) {
            out = realloc(out, cap *= 2);
            ASSERT(out);
        }
    }
    out[n] = 0;
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return out;
}

static int have_gdal_tools(void)
{
    int st;
    free(sh(&st, "command -v ogr2ogr && command -v ogrinfo && command -v gdaltransform"));
    return st == 0;
}

static void need_gdal_tools(void)
{
    if (!have_gdal_tools())
        SKIP("GDAL's command-line tools (ogr2ogr, ogrinfo, gdaltransform: Debian package gdal-bin) are not "
             "installed");
}

/* @p n points RD New (x, y) -> CRS84 (lon, lat) in place, with one run of gdaltransform,
 * rounded to the served 6 decimals. */
static void rd_to_lonlat_n(wb_point *p, size_t n)
{
    char cmd[4096] = "printf '";
    size_t off = strlen(cmd);
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(cmd + off, sizeof cmd - off, "%.3f %.3f\\n", p[i].x, p[i].y);
    snprintf(cmd + off, sizeof cmd - off, "' | gdaltransform -s_srs EPSG:28992 -t_srs EPSG:4326");
    int st;
    char *out = sh(&st, "%s", cmd);
    char *line = out;
    for (size_t i = 0; i < n; i++) {
        ASSERT_MSG(st == 0 && line && sscanf(line, "%lf %lf", &p[i].x, &p[i].y) == 2, "gdaltransform: %s", out);
        p[i].x = round(p[i].x * 1e6) / 1e6;
        p[i].y = round(p[i].y * 1e6) / 1e6;
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    free(out);
}

static void rd_to_lonlat(double x, double y, double *lon, double *lat)
{
    wb_point p = {x, y};
    rd_to_lonlat_n(&p, 1);
    *lon = p.x;
    *lat = p.y;
}

/* Fixture layout (tests/web/helpers.c): RD New origin of the gemeente rectangle. */
#define FX0 155000.0
#define FY0 463000.0

typedef struct {
    char db[4096];
    wb_server *srv;
    int port;
} fx;

static void fx_start(fx *f)
{
    snprintf(f->db, sizeof f->db, "%s", wbt_tmp("ogc.db"));
    wbt_fixture_db(f->db);
    f->srv = wbt_server(f->db, NULL, 2, 0);
    f->port = wb_server_port(f->srv);
}

/* ---------------------------------------------------------------- landing, conformance, API */

TEST(web_ogc, landing_conformance_and_api_definition)
{
    fx f;
    fx_start(&f);
    json_t *j = get_typed(f.port, "/ogc", 200, "application/json");
    ASSERT_EQ_S(local(link_href(j, "self")), "/ogc");
    ASSERT_EQ_S(local(link_href(j, "service-desc")), "/ogc/api");
    ASSERT_EQ_S(local(link_href(j, "conformance")), "/ogc/conformance");
    ASSERT_EQ_S(local(link_href(j, "data")), "/ogc/collections");
    json_decref(j);
    j = get_typed(f.port, "/ogc/?f=json", 200, "application/json"); /* with a slash, as QGIS may ask */
    ASSERT(link_href(j, "data"));
    json_decref(j);

    /* only what is implemented: core, GeoJSON, the OpenAPI 3.0 definition */
    j = get_typed(f.port, "/ogc/conformance", 200, "application/json");
    json_t *c = json_object_get(j, "conformsTo");
    ASSERT_EQ_I(json_array_size(c), 3);
    ASSERT_EQ_S(json_string_value(json_array_get(c, 0)), "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core");
    ASSERT_EQ_S(json_string_value(json_array_get(c, 1)), "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");
    ASSERT_EQ_S(json_string_value(json_array_get(c, 2)), "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
    json_decref(j);

    /* the definition: valid JSON of the OpenAPI media type, every route, every parameter of items */
    j = get_typed(f.port, "/ogc/api", 200, "application/vnd.oai.openapi+json;version=3.0");
    ASSERT_EQ_S(str(j, "openapi"), "3.0.3");
    ASSERT_EQ_S(str(json_array_get(json_object_get(j, "servers"), 0), "url"), "http://127.0.0.1/ogc");
    json_t *paths = json_object_get(j, "paths");
    const char *want[] = {"/", "/api", "/conformance", "/collections", "/collections/{collectionId}",
                          "/collections/{collectionId}/schema", "/collections/{collectionId}/items",
                          "/collections/{collectionId}/items/{featureId}"};
    ASSERT_EQ_I(json_object_size(paths), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ASSERT_MSG(json_object_get(paths, want[i]), "no path %s in the API definition", want[i]);
    json_t *params = json_object_get(json_object_get(j, "components"), "parameters");
    const char *pn[] = {"limit", "offset", "bbox", "datetime", "year", "properties", "f"};
    for (size_t i = 0; i < sizeof pn / sizeof pn[0]; i++)
        ASSERT_MSG(json_object_get(params, pn[i]), "parameter %s undocumented", pn[i]);
    json_t *limit = json_object_get(json_object_get(params, "limit"), "schema");
    ASSERT_EQ_I(json_integer_value(json_object_get(limit, "maximum")), 10000);
    ASSERT_EQ_I(json_integer_value(json_object_get(limit, "default")), 100);
    json_decref(j);
    wb_server_stop(f.srv, 2000);
}

/* ---------------------------------------------------------------- collections */

TEST(web_ogc, collections_with_extents)
{
    fx f;
    fx_start(&f);
    json_t *j = get_typed(f.port, "/ogc/collections", 200, "application/json");
    ASSERT_EQ_S(local(link_href(j, "self")), "/ogc/collections");
    json_t *cs = json_object_get(j, "collections");
    /* the fixture stores polygons for its gemeente, wijken and buurten of 2016; NL00 has none */
    ASSERT_EQ_I(json_array_size(cs), 3);
    ASSERT_EQ_S(str(json_array_get(cs, 0), "id"), "gemeente-2016");
    ASSERT_EQ_S(str(json_array_get(cs, 1), "id"), "wijk-2016");
    ASSERT_EQ_S(str(json_array_get(cs, 2), "id"), "buurt-2016");
    json_t *w = json_array_get(cs, 1);
    ASSERT_EQ_S(str(w, "title"), "Wijken 2016");
    ASSERT_EQ_S(str(w, "itemType"), "feature");
    ASSERT_EQ_S(json_string_value(json_array_get(json_object_get(w, "crs"), 0)),
                "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    ASSERT_EQ_S(local(link_href(w, "items")), "/ogc/collections/wijk-2016/items");
    ASSERT_EQ_S(local(link_href(w, "self")), "/ogc/collections/wijk-2016");
    ASSERT_EQ_S(local(link_href(w, "describedby")), "/ogc/collections/wijk-2016/schema");
    /* spatial extent: the corners of the wijk rectangles (FX0 .. FX0 + 6000, FY0 .. FY0 + 4000
     * in RD New, four x by two y), transformed by gdaltransform and rounded */
    need_gdal_tools();
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    wb_point corner[8];
    for (int k = 0; k <= 3; k++)
        for (int e = 0; e <= 1; e++)
            corner[2 * k + e] = (wb_point){FX0 + 2000 * k, FY0 + 4000 * e};
    rd_to_lonlat_n(corner, 8);
    for (int i = 0; i < 8; i++) {
        lo[0] = fmin(lo[0], corner[i].x), lo[1] = fmin(lo[1], corner[i].y);
        hi[0] = fmax(hi[0], corner[i].x), hi[1] = fmax(hi[1], corner[i].y);
    }
    json_t *ext = json_object_get(w, "extent");
    json_t *bb = json_array_get(json_object_get(json_object_get(ext, "spatial"), "bbox"), 0);
    ASSERT_EQ_I(json_array_size(bb), 4);
    /* one unit of the last decimal for a different rounding of the same PROJ result */
    ASSERT_CLOSE(json_number_value(json_array_get(bb, 0)), lo[0], 1.01e-6);
    ASSERT_CLOSE(json_number_value(json_array_get(bb, 1)), lo[1], 1.01e-6);
    ASSERT_CLOSE(json_number_value(json_array_get(bb, 2)), hi[0], 1.01e-6);
    ASSERT_CLOSE(json_number_value(json_array_get(bb, 3)), hi[1], 1.01e-6);
    ASSERT_EQ_S(str(json_object_get(ext, "spatial"), "crs"), "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    /* temporal extent: the fixture's data years 2012 .. 2020 */
    json_t *iv = json_array_get(json_object_get(json_object_get(ext, "temporal"), "interval"), 0);
    ASSERT_EQ_S(json_string_value(json_array_get(iv, 0)), "2012-01-01T00:00:00Z");
    ASSERT_EQ_S(json_string_value(json_array_get(iv, 1)), "2020-12-31T23:59:59Z");
    json_decref(j);

    /* one collection: the same object */
    j = get_typed(f.port, "/ogc/collections/buurt-2016", 200, "application/json");
    ASSERT_EQ_S(str(j, "id"), "buurt-2016");
    ASSERT(strstr(str(j, "description"), "12 areas with a polygon"));
    json_decref(j);

    /* the schema types every property; GDAL reads it (with rel describedBy up to GDAL 3.6) */
    j = get_typed(f.port, "/ogc/collections/buurt-2016/schema", 200, "application/schema+json");
    json_t *props = json_object_get(json_object_get(json_object_get(j, "properties"), "properties"), "properties");
    ASSERT_EQ_I(json_object_size(props), 5 + 2 * 6); /* code .. parent, and 6 indicators with a year */
    ASSERT_EQ_S(str(json_object_get(props, "a_inw"), "type"), "number");
    ASSERT_EQ_S(str(json_object_get(props, "a_inw"), "title"), "Inwoners");
    ASSERT_EQ_S(str(json_object_get(props, "a_inw_year"), "type"), "integer");
    ASSERT_EQ_S(str(json_object_get(props, "boundary_year"), "type"), "integer");
    ASSERT_EQ_S(str(json_object_get(props, "code"), "type"), "string");
    json_decref(j);
    wb_server_stop(f.srv, 2000);
}

/* ---------------------------------------------------------------- items and their values */

static json_t *feature_of(json_t *fc, const char *code)
{
    size_t i;
    json_t *ft;
    json_array_foreach(json_object_get(fc, "features"), i, ft) if (!strcmp(str(ft, "id"), code)) return ft;
    return NULL;
}

static json_t *props_of(json_t *fc, const char *code)
{
    json_t *ft = feature_of(fc, code);
    ASSERT_MSG(ft, "no feature %s", code);
    return json_object_get(ft, "properties");
}

/* The value of indicator @p key in @p p: the number, or NaN for null. */
static double val(json_t *p, const char *key)
{
    json_t *v = json_object_get(p, key);
    ASSERT_MSG(v, "no property %s", key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Every indicator of the fixture in @p p, for area index @p area, from data year @p year
 * (0: the fixture has none in that window: null and null). */
static void expect_values(json_t *p, int area, int year)
{
    for (int i = 0; wbt_fixture_keys[i]; i++) {
        char yk[80];
        snprintf(yk, sizeof yk, "%s_year", wbt_fixture_keys[i]);
        if (!year) {
            ASSERT_MSG(json_is_null(json_object_get(p, wbt_fixture_keys[i])), "%s not null", wbt_fixture_keys[i]);
            ASSERT_MSG(json_is_null(json_object_get(p, yk)), "%s not null", yk);
            continue;
        }
        ASSERT_CLOSE(val(p, wbt_fixture_keys[i]), wbt_fixture_value(i, area, year), 0);
        ASSERT_EQ_I(json_integer_value(json_object_get(p, yk)), year);
    }
}

TEST(web_ogc, items_with_latest_values_and_data_years)
{
    fx f;
    fx_start(&f);
    json_t *j = get_geo(f.port, "/ogc/collections/wijk-2016/items");
    ASSERT_EQ_S(str(j, "type"), "FeatureCollection");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberMatched")), 3);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberReturned")), 3);
    const char *ts = str(j, "timeStamp");
    ASSERT_MSG(strlen(ts) == 20 && ts[4] == '-' && ts[10] == 'T' && ts[19] == 'Z', "timeStamp '%s'", ts);
    ASSERT_EQ_S(local(link_href(j, "self")), "/ogc/collections/wijk-2016/items?limit=100");
    ASSERT_EQ_S(local(link_href(j, "collection")), "/ogc/collections/wijk-2016");
    ASSERT(!link_href(j, "next") && !link_href(j, "prev"));
    /* code order; every property; names with quotes and ampersands survive the escaping */
    static const char *const wnames[] = {"Centrum", "Noord & Oost", "De \"Haven\""};
    for (int w = 0; w < 3; w++) {
        json_t *ft = json_array_get(json_object_get(j, "features"), (size_t)w);
        char code[16];
        snprintf(code, sizeof code, "WK9999%02d", w + 1);
        ASSERT_EQ_S(str(ft, "id"), code);
        json_t *p = json_object_get(ft, "properties");
        ASSERT_EQ_S(str(p, "code"), code);
        ASSERT_EQ_S(str(p, "name"), wnames[w]);
        ASSERT_EQ_S(str(p, "level"), "wijk");
        ASSERT_EQ_I(json_integer_value(json_object_get(p, "boundary_year")), 2016);
        ASSERT_EQ_S(str(p, "parent"), "GM9999");
        ASSERT_EQ_I(json_object_size(p), 5 + 2 * 6);
        expect_values(p, 1 + w, 2020); /* the latest data year */
        json_t *g = json_object_get(ft, "geometry");
        ASSERT_EQ_S(str(g, "type"), "MultiPolygon");
        /* one rectangle: 5 points, closed, 6 decimals at most */
        json_t *ring = json_array_get(json_array_get(json_object_get(g, "coordinates"), 0), 0);
        ASSERT_EQ_I(json_array_size(ring), 5);
        for (size_t k = 0; k < 5; k++)
            for (size_t d = 0; d < 2; d++) {
                double v = json_number_value(json_array_get(json_array_get(ring, k), d));
                ASSERT_CLOSE(v * 1e6, round(v * 1e6), 1e-6);
            }
    }
    json_decref(j);

    /* the latest value skips a value stored as missing: BU99990203 has no WOZ in 2020 */
    const int miss = wbt_area_index_buurt(1, 3);
    j = get_geo(f.port, "/ogc/collections/buurt-2016/items");
    json_t *p = props_of(j, "BU99990203");
    ASSERT_CLOSE(val(p, "g_woz"), wbt_fixture_value(3, miss, 2018), 0);
    ASSERT_EQ_I(json_integer_value(json_object_get(p, "g_woz_year")), 2018);
    ASSERT_CLOSE(val(p, "a_inw"), wbt_fixture_value(2, miss, 2020), 0);
    ASSERT_EQ_S(str(p, "parent"), "WK999902");
    json_decref(j);

    /* year= and datetime= choose the data years: the latest within them */
    struct {
        const char *query;
        int year; /* of every value; 0: none in the window */
    } cases[] = {
        {"year=2014", 2014},
        {"year=2015", 0},
        {"datetime=2014-06-01", 2014},
        {"datetime=2014", 2014},
        {"datetime=..%2F2015-12-31", 2014},
        {"datetime=2013%2F2017", 2016},
        {"datetime=2017-01-01T00:00:00Z%2F..", 2020},
        {"datetime=..%2F..", 2020},
        {"datetime=%2F", 2020},
        /* 00:30 on 1 January 2016 at UTC+1 is still 2015 in UTC: no values */
        {"datetime=2016-01-01T00:30:00%2B01:00", 0},
        /* 23:30 on 31 December 2019 at UTC-1 is 2020 in UTC */
        {"datetime=2019-12-31T23:30:00.5-01:00", 2020},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char target[256];
        snprintf(target, sizeof target, "/ogc/collections/wijk-2016/items?%s", cases[c].query);
        j = get_geo(f.port, target);
        for (int w = 0; w < 3; w++) {
            char code[16];
            snprintf(code, sizeof code, "WK9999%02d", w + 1);
            expect_values(props_of(j, code), 1 + w, cases[c].year);
        }
        /* the links keep the request's choice */
        ASSERT_MSG(strstr(link_href(j, "self"), cases[c].query[0] == 'y' ? "&year=" : "&datetime="),
                   "self link %s lost %s", link_href(j, "self"), cases[c].query);
        json_decref(j);
    }
    /* with year=2020 the missing WOZ is null: no earlier year in that window */
    j = get_geo(f.port, "/ogc/collections/buurt-2016/items?year=2020");
    p = props_of(j, "BU99990203");
    ASSERT(json_is_null(json_object_get(p, "g_woz")) && json_is_null(json_object_get(p, "g_woz_year")));
    json_decref(j);

    /* properties= (keys case-insensitive, in the order given) */
    j = get_geo(f.port, "/ogc/collections/wijk-2016/items?properties=a_inw,LBM&year=2018");
    p = props_of(j, "WK999902");
    ASSERT_EQ_I(json_object_size(p), 5 + 4);
    ASSERT_CLOSE(val(p, "a_inw"), wbt_fixture_value(2, 2, 2018), 0);
    ASSERT_CLOSE(val(p, "lbm"), wbt_fixture_value(0, 2, 2018), 0);
    ASSERT_EQ_I(json_integer_value(json_object_get(p, "lbm_year")), 2018);
    ASSERT(!json_object_get(p, "g_woz"));
    ASSERT(strstr(link_href(j, "self"), "properties=a_inw,LBM"));
    json_decref(j);

    /* one feature */
    j = get_geo(f.port, "/ogc/collections/buurt-2016/items/BU99990203?properties=g_woz");
    ASSERT_EQ_S(str(j, "type"), "Feature");
    ASSERT_EQ_S(str(j, "id"), "BU99990203");
    ASSERT_EQ_S(local(link_href(j, "self")), "/ogc/collections/buurt-2016/items/BU99990203");
    ASSERT_EQ_S(local(link_href(j, "collection")), "/ogc/collections/buurt-2016");
    p = json_object_get(j, "properties");
    ASSERT_EQ_I(json_object_size(p), 5 + 2);
    ASSERT_EQ_I(json_integer_value(json_object_get(p, "g_woz_year")), 2018);
    ASSERT_EQ_S(str(json_object_get(j, "geometry"), "type"), "MultiPolygon");
    json_decref(j);
    j = get_geo(f.port, "/ogc/collections/gemeente-2016/items/GM9999?year=2012");
    expect_values(json_object_get(j, "properties"), 0, 2012);
    json_decref(j);
    wb_server_stop(f.srv, 2000);
}

/* ---------------------------------------------------------------- paging */

TEST(web_ogc, paging_with_next_and_prev_links)
{
    fx f;
    fx_start(&f);
    /* follow next links through the 12 buurten, 5 at a time */
    char target[512] = "/ogc/collections/buurt-2016/items?limit=5";
    const int want_n[] = {5, 5, 2};
    char seen[12][16];
    int nseen = 0;
    for (int page = 0; page < 3; page++) {
        json_t *j = get_geo(f.port, target);
        ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberMatched")), 12);
        ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberReturned")), want_n[page]);
        ASSERT_EQ_I(json_array_size(json_object_get(j, "features")), want_n[page]);
        size_t i;
        json_t *ft;
        json_array_foreach(json_object_get(j, "features"), i, ft) snprintf(seen[nseen++], 16, "%s", str(ft, "id"));
        const char *next = link_href(j, "next"), *prev = link_href(j, "prev");
        if (page == 0) {
            ASSERT(!prev);
            ASSERT_EQ_S(local(next), "/ogc/collections/buurt-2016/items?limit=5&offset=5");
        } else if (page == 1) {
            ASSERT_EQ_S(local(prev), "/ogc/collections/buurt-2016/items?limit=5");
            ASSERT_EQ_S(local(next), "/ogc/collections/buurt-2016/items?limit=5&offset=10");
        } else {
            ASSERT_EQ_S(local(prev), "/ogc/collections/buurt-2016/items?limit=5&offset=5");
            ASSERT(!next);
        }
        if (next)
            snprintf(target, sizeof target, "%s", local(next));
        json_decref(j);
    }
    /* every buurt once, in code order */
    ASSERT_EQ_I(nseen, 12);
    for (int w = 0, k = 0; w < 3; w++)
        for (int b = 0; b < 4; b++, k++)
            ASSERT_EQ_S(seen[k], wbt_buurt_code(w, b));
    /* past the end: nothing, a prev link, no next */
    json_t *j = get_geo(f.port, "/ogc/collections/buurt-2016/items?limit=5&offset=40");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberReturned")), 0);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "features")), 0);
    ASSERT(!link_href(j, "next") && link_href(j, "prev"));
    json_decref(j);
    /* a limit above the maximum is the maximum (not an error) */
    j = get_geo(f.port, "/ogc/collections/buurt-2016/items?limit=50000");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberReturned")), 12);
    ASSERT_EQ_S(local(link_href(j, "self")), "/ogc/collections/buurt-2016/items?limit=10000");
    json_decref(j);
    /* paging keeps the filters in the links */
    j = get_geo(f.port, "/ogc/collections/buurt-2016/items?limit=2&year=2014&properties=a_inw&bbox=0,40,20,60");
    ASSERT_EQ_S(local(link_href(j, "next")),
                "/ogc/collections/buurt-2016/items?limit=2&offset=2&bbox=0,40,20,60&year=2014&properties=a_inw");
    json_decref(j);
    wb_server_stop(f.srv, 2000);
}

/* ---------------------------------------------------------------- bbox */

/* numberMatched of a page (which must return them all). */
static long number_matched(int port, const char *target)
{
    json_t *j = get_geo(port, target);
    long n = (long)json_integer_value(json_object_get(j, "numberMatched"));
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberReturned")), n);
    json_decref(j);
    return n;
}

static long matched(int port, const char *coll, double a, double b, double c, double d)
{
    char target[256];
    snprintf(target, sizeof target, "/ogc/collections/%s/items?bbox=%.7f,%.7f,%.7f,%.7f", coll, a, b, c, d);
    return number_matched(port, target);
}

TEST(web_ogc, bbox_filter)
{
    need_gdal_tools();
    fx f;
    fx_start(&f);
    /* a box of about 1 m around the centre of buurt (w 1, b 2): that buurt alone */
    double lon, lat;
    rd_to_lonlat(FX0 + 2000 * 1 + 500, FY0 + 2000 + 1000, &lon, &lat);
    char target[256];
    snprintf(target, sizeof target, "/ogc/collections/buurt-2016/items?bbox=%.7f,%.7f,%.7f,%.7f", lon - 1e-5,
             lat - 1e-5, lon + 1e-5, lat + 1e-5);
    json_t *j = get_geo(f.port, target);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberMatched")), 1);
    ASSERT_EQ_S(str(json_array_get(json_object_get(j, "features"), 0), "id"), "BU99990202");
    json_decref(j);
    ASSERT_EQ_I(matched(f.port, "wijk-2016", lon - 1e-5, lat - 1e-5, lon + 1e-5, lat + 1e-5), 1);
    /* around the middle of the border between buurten (w 2, b 0) and (w 2, b 1): those two */
    rd_to_lonlat(FX0 + 2000 * 2 + 1000, FY0 + 1000, &lon, &lat);
    snprintf(target, sizeof target, "/ogc/collections/buurt-2016/items?bbox=%.7f,%.7f,%.7f,%.7f", lon - 1e-5,
             lat - 1e-5, lon + 1e-5, lat + 1e-5);
    j = get_geo(f.port, target);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "numberMatched")), 2);
    ASSERT_EQ_S(str(json_array_get(json_object_get(j, "features"), 0), "id"), "BU99990300");
    ASSERT_EQ_S(str(json_array_get(json_object_get(j, "features"), 1), "id"), "BU99990301");
    json_decref(j);
    /* a box inside one buurt, far from its edges, meets no edge: the polygon contains it */
    rd_to_lonlat(FX0 + 500, FY0 + 1000, &lon, &lat);
    ASSERT_EQ_I(matched(f.port, "gemeente-2016", lon - 1e-5, lat - 1e-5, lon + 1e-5, lat + 1e-5), 1);
    /* nothing; everything; 6 numbers (with heights); across the antimeridian */
    ASSERT_EQ_I(matched(f.port, "buurt-2016", 0, 0, 1, 1), 0);
    ASSERT_EQ_I(matched(f.port, "buurt-2016", 3, 50, 8, 54), 12);
    ASSERT_EQ_I(number_matched(f.port, "/ogc/collections/buurt-2016/items?bbox=3,50,-10,8,54,100"), 12);
    ASSERT_EQ_I(number_matched(f.port, "/ogc/collections/buurt-2016/items?bbox=170,50,10,55"), 12);
    ASSERT_EQ_I(number_matched(f.port, "/ogc/collections/buurt-2016/items?bbox=170,50,-170,55"), 0);
    wb_server_stop(f.srv, 2000);
}

/* ---------------------------------------------------------------- errors */

TEST(web_ogc, bad_requests_and_unknown_things)
{
    fx f;
    fx_start(&f);
    const char *nf[] = {"/ogc/collections/wijk-1999", "/ogc/collections/foo", "/ogc/collections/wijk-16",
                        "/ogc/collections/Wijk-2016/items", "/ogc/collections/wijk-2016x/items",
                        "/ogc/collections/straat-2016/items", "/ogc/collections/wijk-2016/items/WK000000",
                        "/ogc/collections/wijk-2016/items/BU99990101", "/ogc/collections/wijk-2016/schema/x",
                        "/ogc/nothing", "/ogc/collections/land-2016/items"};
    for (size_t i = 0; i < sizeof nf / sizeof nf[0]; i++)
        expect_error(f.port, "GET", nf[i], 404);
    struct {
        const char *target, *param;
    } bad[] = {
        {"/ogc/collections/wijk-2016/items?bbox=1,2,3", "bbox"},
        {"/ogc/collections/wijk-2016/items?bbox=1,2,3,4,5", "bbox"},
        {"/ogc/collections/wijk-2016/items?bbox=a,b,c,d", "bbox"},
        {"/ogc/collections/wijk-2016/items?bbox=1,2,,4", "bbox"},
        {"/ogc/collections/wijk-2016/items?bbox=1,60,3,50", "bbox"},   /* south above north */
        {"/ogc/collections/wijk-2016/items?bbox=1,2,3,95", "bbox"},    /* beyond the pole */
        {"/ogc/collections/wijk-2016/items?bbox=-200,2,3,4", "bbox"},
        {"/ogc/collections/wijk-2016/items?bbox=nan,2,3,4", "bbox"},
        {"/ogc/collections/wijk-2016/items?bbox=1,2,3,4,5,6,7", "bbox"},
        {"/ogc/collections/wijk-2016/items?limit=0", "limit"},
        {"/ogc/collections/wijk-2016/items?limit=-1", "limit"},
        {"/ogc/collections/wijk-2016/items?limit=ten", "limit"},
        {"/ogc/collections/wijk-2016/items?offset=-1", "offset"},
        {"/ogc/collections/wijk-2016/items?properties=nosuch", "properties"},
        {"/ogc/collections/wijk-2016/items?properties=a_inw,a_inw", "properties"},
        {"/ogc/collections/wijk-2016/items?properties=a%20inw", "properties"},
        {"/ogc/collections/wijk-2016/items?year=16", "year"},
        {"/ogc/collections/wijk-2016/items?year=2014&datetime=2014", "datetime"},
        {"/ogc/collections/wijk-2016/items?datetime=yesterday", "datetime"},
        {"/ogc/collections/wijk-2016/items?datetime=2016-02-30", "datetime"},
        {"/ogc/collections/wijk-2016/items?datetime=2016-01-01T25:00:00Z", "datetime"},
        {"/ogc/collections/wijk-2016/items?datetime=2018%2F2014", "datetime"},
        {"/ogc/collections/wijk-2016/items?datetime=2014%2F2015%2F2016", "datetime"},
        {"/ogc/collections/wijk-2016/items?datetime=2016-01-01T10:00:00", "datetime"}, /* no zone */
        {"/ogc/collections/wijk-2016/items?f=html", "f"},
        {"/ogc/collections/wijk-2016/items?crs=EPSG:28992", "crs"}, /* Part 2 is not offered */
        {"/ogc/collections/wijk-2016/items?limit=1&limit=2", "limit"},
        {"/ogc/collections/wijk-2016/items/WK999901?bbox=1,2,3,4", "bbox"},
        {"/ogc/collections?f=xml", "f"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p = expect_error(f.port, "GET", bad[i].target, 400);
        ASSERT_MSG(!strcmp(p, bad[i].param), "GET %s: param '%s', expected '%s'", bad[i].target, p, bad[i].param);
    }
    /* only GET and HEAD */
    expect_error(f.port, "POST", "/ogc/collections", 405);
    expect_error(f.port, "DELETE", "/ogc/collections/wijk-2016/items/WK999901", 405);
    wbt_http r = wbt_http_req(f.port, "HEAD", "/ogc/collections/wijk-2016/items", NULL);
    ASSERT_EQ_I(r.status, 200);
    ASSERT_EQ_I(r.body_len, 0);
    wbt_http_free(&r);
    wb_server_stop(f.srv, 2000);
}

/* ---------------------------------------------------------------- ETag, Host, authorisation */

TEST(web_ogc, etag_host_links_and_closed_monitor)
{
    fx f;
    fx_start(&f);
    /* the same page twice: the same ETag, and 304 when the client has it */
    wbt_http r = wbt_http_req(f.port, "GET", "/ogc/collections/wijk-2016/items?limit=2", NULL);
    char etag[64], etag2[64], extra[128];
    ASSERT(wbt_http_header(&r, "ETag", etag, sizeof etag));
    wbt_http_free(&r);
    r = wbt_http_req(f.port, "GET", "/ogc/collections/wijk-2016/items?limit=2", NULL);
    ASSERT(wbt_http_header(&r, "ETag", etag2, sizeof etag2));
    ASSERT_EQ_S(etag, etag2);
    wbt_http_free(&r);
    snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
    r = wbt_http_req(f.port, "GET", "/ogc/collections/wijk-2016/items?limit=2", extra);
    ASSERT_EQ_I(r.status, 304);
    wbt_http_free(&r);

    /* links follow the Host the client used; a Host that is no host name is refused */
    const char *req = "GET /ogc HTTP/1.1\r\nHost: example.org:8443\r\nConnection: close\r\n\r\n";
    r = wbt_http_raw(f.port, req, strlen(req), 5000);
    ASSERT_EQ_I(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    ASSERT(j);
    ASSERT_EQ_S(link_href(j, "data"), "http://example.org:8443/ogc/collections");
    json_decref(j);
    wbt_http_free(&r);
    req = "GET /ogc HTTP/1.1\r\nHost: a\"b<c\r\nConnection: close\r\n\r\n";
    r = wbt_http_raw(f.port, req, strlen(req), 5000);
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    wb_server_stop(f.srv, 2000);

    /* a closed monitor: 401 without a session, 200 with one (as the other monitor data) */
    cw_fixture cf;
    cw_fixture_make(&cf, wbt_tmp("closed.db"));
    wb_server *srv = cw_server(cf.db, NULL);
    int port = wb_server_port(srv);
    cw_session admin, viewer;
    ASSERT_EQ_I(cw_login(port, cw_user[CW_ADMIN], cw_password(cw_user[CW_ADMIN]), &admin), 200);
    ASSERT_EQ_I(cw_login(port, cw_user[CW_VIEWER], cw_password(cw_user[CW_VIEWER]), &viewer), 200);
    r = cw_req(port, "PUT", "/api/settings", &admin, 1, "{\"monitor_public\":false}", NULL);
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    const char *reads[] = {"/ogc", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/wijk-2016",
                           "/ogc/collections/wijk-2016/schema", "/ogc/collections/wijk-2016/items",
                           "/ogc/collections/wijk-2016/items/WK999901"};
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        r = cw_req(port, "GET", reads[i], NULL, 0, NULL, NULL);
        ASSERT_MSG(r.status == 401, "GET %s while closed, logged out: %d", reads[i], r.status);
        wbt_http_free(&r);
        r = cw_req(port, "GET", reads[i], &viewer, 0, NULL, NULL);
        ASSERT_MSG(r.status == 200, "GET %s while closed, as a viewer: %d", reads[i], r.status);
        char cc[64];
        ASSERT(wbt_http_header(&r, "Cache-Control", cc, sizeof cc) && strstr(cc, "private"));
        wbt_http_free(&r);
    }
    /* GDAL sends the session cookie with GDAL_HTTP_COOKIE (docs/ogc.md) */
    if (have_gdal_tools()) {
        int st;
        char *out = sh(&st, "ogrinfo -ro -q OAPIF:http://127.0.0.1:%d/ogc 2>&1", port);
        ASSERT_MSG(st != 0 && strstr(out, "401"), "ogrinfo without a session: %s", out);
        free(out);
        out = sh(&st, "ogrinfo -ro -q --config GDAL_HTTP_COOKIE 'wb_session=%s' OAPIF:http://127.0.0.1:%d/ogc 2>&1",
                 viewer.token, port);
        ASSERT_MSG(st == 0 && strstr(out, "wijk-2016"), "ogrinfo with the session cookie: %s", out);
        free(out);
    }
    wb_server_stop(srv, 2000);
}

/* ---------------------------------------------------------------- GDAL's OAPIF client */

static atomic_int item_requests;

static void count_items(void *payload, const wb_server_log_entry *e)
{
    (void)payload;
    if (strstr(e->path, "/items") && e->status == 200)
        atomic_fetch_add(&item_requests, 1);
}

/* The latest value and data year per code of one indicator, from `wijkbeeld export values`
 * (@p cli), or from wb_store_values, the library call that command prints. */
typedef struct {
    char code[16];
    int year;
    double v;
    int seen;
} latest_row;

static int cmp_row(const void *a, const void *b)
{
    const latest_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->year > y->year) - (x->year < y->year);
}

static int cmp_code(const void *key, const void *elem)
{
    return strcmp(key, elem); /* a latest_row and a code array both start with the code */
}

static size_t export_latest(const char *db, const char *key, wb_level level, int byear, int cli, latest_row **out)
{
    wbt_run_result r = {0, NULL, NULL};
    if (cli) {
        r = wbt_run(NULL, "--db '%s' export values --indicator %s --level %s --boundary-year %d --format csv", db, key,
                    wb_level_name(level), byear);
        ASSERT_MSG(r.status == 0, "export values %s: %s", key, r.err);
    } else {
        wb_store *st = NULL;
        WB_PASS(wb_store_open(&st, db, WB_STORE_READONLY));
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = key;
        q.level = level;
        q.boundary_year = byear;
        wb_value *v = NULL;
        size_t nv = 0;
        WB_PASS(wb_store_values(st, &v, &nv, NULL, &q));
        wb_str csv = WB_STR_INIT;
        for (size_t i = 0; i < nv; i++)
            wb_str_printf(&csv, "%s,%d,%.17g\n", v[i].code, v[i].year, v[i].value);
        r.out = strdup(csv.ptr ? csv.ptr : "");
        wb_str_dispose(&csv);
        wb_free(v);
        wb_store_free(st);
    }
    size_t n = 0, cap = 64;
    latest_row *rows = malloc(cap * sizeof *rows);
    ASSERT(rows);
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[3];
        if (!strncmp(line, "code,", 5) || wbt_split(line, f, 3) != 3 || !f[2][0])
            continue;
        if (n == cap)
            ASSERT((rows = realloc(rows, (cap *= 2) * sizeof *rows)));
        snprintf(rows[n].code, sizeof rows[n].code, "%s", f[0]);
        rows[n].year = atoi(f[1]);
        rows[n].v = strtod(f[2], NULL);
        rows[n].seen = 0;
        n++;
    }
    if (cli)
        wbt_run_free(&r);
    else
        free(r.out);
    /* by code, then year: keep the last row of each code, its latest year */
    qsort(rows, n, sizeof *rows, cmp_row);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && !strcmp(rows[m - 1].code, rows[i].code))
            m--;
        rows[m++] = rows[i];
    }
    *out = rows;
    return m;
}

/* Length of every ring of @p g (m). */
static double perimeter(const wb_geom *g)
{
    double p = 0;
    for (size_t r = 0; r < g->nrings; r++)
        for (size_t i = g->ring_off[r]; i + 1 < g->ring_off[r + 1]; i++)
            p += hypot(g->pts[i + 1].x - g->pts[i].x, g->pts[i + 1].y - g->pts[i].y);
    return p;
}

/* Compare what ogr2ogr wrote (@p gpkg, layer @p layer) with the store: the same codes as the
 * stored polygons, each polygon's area in RD New against the stored one, and for every
 * indicator field (each field K with a K_year) the values and years of `wijkbeeld export
 * values`: the command itself for @p cli_keys, the library call behind it for the others.
 * Returns the largest relative area difference. */
static double compare_gpkg(const char *db, const char *gpkg, const char *layer, wb_level level, int byear,
                           const char *const *cli_keys)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_READONLY));
    wb_layer stored = WB_LAYER_INIT;
    WB_PASS(wb_store_layer_load(st, &stored, level, byear));
    wb_store_free(st);

    /* geometry: read back into RD New by the project's reader (PROJ, CRS84 -> RD New) */
    wb_geo_features back = WB_GEO_FEATURES_INIT;
    wb_geo_opts go = WB_GEO_OPTS_INIT;
    go.object = layer;
    go.code_field = "code";
    go.year = byear;
    WB_PASS(wb_geo_read(&back, NULL, gpkg, &go));
    ASSERT_EQ_I(back.n, stored.n);
    double worst = 0;
    for (size_t i = 0; i < back.n; i++) {
        /* the store gives its layer ordered by code */
        char(*hit)[WB_CODE_MAX] = bsearch(back.codes[i], stored.codes, stored.n, WB_CODE_MAX, cmp_code);
        ASSERT_MSG(hit, "%s is not a stored polygon", back.codes[i]);
        size_t k = (size_t)(hit - stored.codes);
        double a = wb_geom_area(&back.geoms[i]), b = wb_geom_area(&stored.geoms[k]);
        /* Tolerance: 6 decimals move a vertex by at most half a unit, 0.5e-6 degree: in the
         * Netherlands (latitude 50.7 to 53.6) at most 0.035 m east-west and 0.056 m
         * north-south, 0.066 m in all. Moving every vertex of a polygon by at most d changes
         * its area by at most perimeter x d (to first order); the RD New -> CRS84 -> RD New
         * round trip through PROJ itself is below a millimetre. */
        double tol = perimeter(&stored.geoms[k]) * 0.066 + 1e-6 * b;
        worst = fmax(worst, fabs(a - b) / b);
        ASSERT_MSG(fabs(a - b) <= tol, "%s: area %.1f m2 after the round trip, %.1f m2 stored (tolerance %.1f m2)",
                   back.codes[i], a, b, tol);
    }
    wb_geo_features_dispose(&back);
    size_t nstored = stored.n;
    char (*stored_codes)[WB_CODE_MAX] = malloc((nstored ? nstored : 1) * WB_CODE_MAX);
    ASSERT(stored_codes);
    memcpy(stored_codes, stored.codes, nstored * WB_CODE_MAX);
    wb_layer_dispose(&stored);

    /* values: read the GeoPackage with OGR */
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    ASSERT_MSG(ds, "cannot open %s", gpkg);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
    ASSERT(l);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    size_t ncompared = 0, ncli = 0;
    for (int fi = 0; fi < OGR_FD_GetFieldCount(defn); fi++) {
        const char *key = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, fi));
        char yk[80];
        snprintf(yk, sizeof yk, "%s_year", key);
        int yi = OGR_FD_GetFieldIndex(defn, yk);
        if (yi < 0)
            continue;
        int cli = 0;
        for (int k = 0; cli_keys[k]; k++)
            cli |= !strcmp(cli_keys[k], key);
        /* numbers arrive as Real fields, years as Integer: the schema typed them */
        ASSERT_MSG(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, fi)) == OFTReal, "field %s is not Real", key);
        ASSERT_MSG(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, yi)) == OFTInteger, "field %s is not Integer", yk);
        latest_row *rows;
        size_t nrows = export_latest(db, key, level, byear, cli, &rows);
        int ci = OGR_FD_GetFieldIndex(defn, "code");
        size_t nvalues = 0;
        OGR_L_ResetReading(l);
        OGRFeatureH ft;
        while ((ft = OGR_L_GetNextFeature(l))) {
            const char *code = OGR_F_GetFieldAsString(ft, ci);
            latest_row *row = bsearch(code, rows, nrows, sizeof *rows, cmp_code);
            size_t i = row ? (size_t)(row - rows) : nrows;
            if (i == nrows) {
                ASSERT_MSG(!OGR_F_IsFieldSetAndNotNull(ft, fi), "%s %s: a value where export values has none",
                           code, key);
                ASSERT(!OGR_F_IsFieldSetAndNotNull(ft, yi));
            } else {
                ASSERT_MSG(OGR_F_IsFieldSetAndNotNull(ft, fi), "%s %s: null, export values has %.17g", code, key,
                           rows[i].v);
                ASSERT_MSG(OGR_F_GetFieldAsDouble(ft, fi) == rows[i].v, "%s %s: %.17g, export values %.17g", code,
                           key, OGR_F_GetFieldAsDouble(ft, fi), rows[i].v);
                ASSERT_EQ_I(OGR_F_GetFieldAsInteger(ft, yi), rows[i].year);
                rows[i].seen = 1;
                nvalues++;
            }
            OGR_F_Destroy(ft);
        }
        /* a code of the export that is no feature has no polygon */
        for (size_t i = 0; i < nrows; i++)
            ASSERT_MSG(rows[i].seen || !bsearch(rows[i].code, stored_codes, nstored, WB_CODE_MAX, cmp_code),
                       "%s %s: a stored polygon that GDAL did not read", rows[i].code, key);
        ASSERT(nvalues > 0);
        free(rows);
        ncompared++;
        ncli += (size_t)cli;
    }
    /* every indicator, the named ones (at least) through the command */
    size_t nwant = 0;
    while (cli_keys[nwant])
        nwant++;
    ASSERT_MSG(ncli == nwant && ncompared > ncli, "compared %zu indicators, %zu through the command", ncompared, ncli);
    free(stored_codes);
    GDALClose(ds);
    return worst;
}

/* "Feature Count: N" of `ogrinfo -so` with a spatial filter. */
static long ogr_count(const char *src, const char *layer, const double bb[4])
{
    int st;
    char *out = sh(&st, "ogrinfo -ro -so -spat %.7f %.7f %.7f %.7f '%s' '%s' 2>&1", bb[0], bb[1], bb[2], bb[3], src,
                   layer);
    const char *c = strstr(out, "Feature Count: ");
    ASSERT_MSG(st == 0 && c, "ogrinfo %s: %s", src, out);
    long n = atol(c + 15);
    free(out);
    return n;
}

TEST(web_ogc, gdal_oapif_reads_the_demo)
{
    need_gdal_tools();
    char db[4096], gpkg[4096], gj[4096], url[128];
    snprintf(db, sizeof db, "%s", wbt_tmp("demo.db"));
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' demo", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.log = count_items;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    int port = wb_server_port(srv);
    snprintf(url, sizeof url, "OAPIF:http://127.0.0.1:%d/ogc", port);

    /* ogrinfo lists the collections */
    int st;
    char *out = sh(&st, "ogrinfo -ro -q '%s' 2>&1", url);
    ASSERT_MSG(st == 0, "ogrinfo: %s", out);
    ASSERT_MSG(strstr(out, "1: gemeente-2022 (title: Gemeenten 2022) (Multi Polygon)") &&
                   strstr(out, "2: wijk-2022 (title: Wijken 2022) (Multi Polygon)") &&
                   strstr(out, "3: buurt-2022 (title: Buurten 2022) (Multi Polygon)") && !strstr(out, "4: "),
               "ogrinfo listed:\n%s", out);
    free(out);

    /* ogr2ogr reads every buurt through pages of 7 (GDAL follows the next links) */
    snprintf(gpkg, sizeof gpkg, "%s", wbt_tmp("buurten.gpkg"));
    atomic_store(&item_requests, 0);
    out = sh(&st, "ogr2ogr -f GPKG -oo PAGE_SIZE=7 '%s' '%s' buurt-2022 2>&1", gpkg, url);
    ASSERT_MSG(st == 0, "ogr2ogr: %s", out);
    free(out);
    wb_store *sto = NULL;
    WB_PASS(wb_store_open(&sto, db, WB_STORE_READONLY));
    wb_layer lay = WB_LAYER_INIT;
    WB_PASS(wb_store_layer_load(sto, &lay, WB_LEVEL_BUURT, 2022));
    size_t nstored = lay.n;
    wb_layer_dispose(&lay);
    wb_store_free(sto);
    out = sh(&st, "ogrinfo -ro -so '%s' buurt-2022 2>&1", gpkg);
    char want[64];
    snprintf(want, sizeof want, "Feature Count: %zu\n", nstored);
    ASSERT_MSG(strstr(out, want), "expected %s in\n%s", want, out);
    ASSERT(strstr(out, "Geometry: Multi Polygon"));
    free(out);
    /* pages: the first to learn the fields, then ceil(80 / 7) = 12 */
    int pages = atomic_load(&item_requests);
    ASSERT_MSG(pages >= (int)((nstored + 6) / 7), "only %d item requests for %zu features", pages, nstored);
    double worst = compare_gpkg(db, gpkg, "buurt-2022", WB_LEVEL_BUURT, 2022,
                                (const char *const[]){"a_inw", "lbm", "lbm_klasse", NULL});
    printf("    demo buurten: %zu features in %d page requests; largest relative area difference %.2e\n", nstored,
           pages, worst);

    /* the wijken with GDAL's default page size */
    snprintf(gpkg, sizeof gpkg, "%s", wbt_tmp("wijken.gpkg"));
    out = sh(&st, "ogr2ogr -f GPKG '%s' '%s' wijk-2022 2>&1", gpkg, url);
    ASSERT_MSG(st == 0, "ogr2ogr: %s", out);
    free(out);
    compare_gpkg(db, gpkg, "wijk-2022", WB_LEVEL_WIJK, 2022, (const char *const[]){"g_woz", NULL});

    /* bbox: the API's count, GDAL through the API and GDAL/GEOS on the exported GeoJSON agree,
     * for boxes that cut through the buurten (each quarter and the middle of the extent) */
    snprintf(gj, sizeof gj, "%s", wbt_tmp("buurten.geojson"));
    r = wbt_run(NULL, "--db '%s' export geojson --level buurt --year 2022 -o '%s'", db, gj);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    json_t *c = get_typed(port, "/ogc/collections/buurt-2022", 200, "application/json");
    json_t *eb = json_array_get(json_object_get(json_object_get(json_object_get(c, "extent"), "spatial"), "bbox"), 0);
    double e[4];
    for (int k = 0; k < 4; k++)
        e[k] = json_number_value(json_array_get(eb, (size_t)k));
    json_decref(c);
    double w = e[2] - e[0], h = e[3] - e[1];
    double boxes[][4] = {
        {e[0], e[1], e[0] + w / 2, e[1] + h / 2},
        {e[0] + w / 2, e[1], e[2], e[1] + h / 2},
        {e[0], e[1] + h / 2, e[0] + w / 2, e[3]},
        {e[0] + w / 2, e[1] + h / 2, e[2], e[3]},
        {e[0] + w / 3, e[1] + h / 3, e[0] + 2 * w / 3, e[1] + 2 * h / 3},
    };
    for (size_t b = 0; b < sizeof boxes / sizeof boxes[0]; b++) {
        long geos = ogr_count(gj, "buurten", boxes[b]);
        long api = matched(port, "buurt-2022", boxes[b][0], boxes[b][1], boxes[b][2], boxes[b][3]);
        /* GDAL through the API (it sends bbox, then tests each feature itself) for two boxes */
        long via = b == 0 || b == 4 ? ogr_count(url, "buurt-2022", boxes[b]) : geos;
        ASSERT_MSG(api == geos && via == geos, "box %zu: API %ld, GDAL through the API %ld, GEOS on the export %ld",
                   b, api, via, geos);
        ASSERT(geos > 0 && geos < (long)nstored);
    }
    wb_server_stop(srv, 2000);
}

TEST(web_ogc, gdal_oapif_reads_the_national_wijken)
{
    const char *topo = wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson");
    const char *lbm = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv");
    need_gdal_tools();
    char db[4096], gpkg[4096], url[128];
    snprintf(db, sizeof db, "%s", wbt_tmp("nl.db"));
    wbt_run_result r = wbt_run(NULL, "--db '%s' import geo '%s' --year 2016 --level wijk --crs EPSG:28992", db, topo);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' import lbm '%s' --boundary-year 2016", db, lbm);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    wb_server *srv = wbt_server(db, NULL, 2, 0);
    snprintf(url, sizeof url, "OAPIF:http://127.0.0.1:%d/ogc", wb_server_port(srv));
    snprintf(gpkg, sizeof gpkg, "%s", wbt_tmp("wijken2016.gpkg"));
    int st;
    char *out = sh(&st, "ogr2ogr -f GPKG -oo PAGE_SIZE=1000 '%s' '%s' wijk-2016 2>&1", gpkg, url);
    ASSERT_MSG(st == 0, "ogr2ogr: %s", out);
    free(out);
    double worst = compare_gpkg(db, gpkg, "wijk-2016", WB_LEVEL_WIJK, 2016,
                                (const char *const[]){"lbm", NULL});
    printf("    national wijken 2016: largest relative area difference %.2e\n", worst);
    wb_server_stop(srv, 2000);
}
