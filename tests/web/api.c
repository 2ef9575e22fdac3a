/**
 * @file
 * @brief API tests: real HTTP requests against a server on 127.0.0.1 (ephemeral port) on a
 * fresh fixture store. Expected values come from wbt_fixture_value, the function that
 * produced what the fixture stored through the store API.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "test.h"
#include "web/webtest.h"

typedef struct {
    wb_server *srv;
    int port;
} fx;

static fx setup(void)
{
    const char *db = wbt_tmp("fx.db");
    char path[4096];
    snprintf(path, sizeof path, "%s", db);
    wbt_fixture_db(path);
    fx f;
    f.srv = wbt_server(path, wbt_web_dir(), 2, 0);
    f.port = wb_server_port(f.srv);
    return f;
}

static json_t *get_json(int port, const char *target, int want_status)
{
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == want_status, "GET %s: status %d, expected %d; body %s", target, r.status,
               want_status, r.body);
    char ct[128];
    ASSERT_MSG(wbt_http_header(&r, "Content-Type", ct, sizeof ct) && strstr(ct, "json"),
               "GET %s: Content-Type %s", target, r.head);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j, "GET %s: invalid JSON (%s): %.200s", target, err.text, r.body);
    wbt_http_free(&r);
    return j;
}

/* A 4xx with the JSON error body; returns the "param" member or "" (static copy). */
static const char *expect_error(int port, const char *method, const char *target, int status)
{
    static char param[64];
    wbt_http r = wbt_http_req(port, method, target, NULL);
    ASSERT_MSG(r.status == status, "%s %s: status %d, expected %d; body %s", method, target, r.status,
               status, r.body);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j && json_is_string(json_object_get(j, "error")), "%s %s: no JSON error body: %s", method,
               target, r.body);
    const char *p = json_string_value(json_object_get(j, "param"));
    snprintf(param, sizeof param, "%s", p ? p : "");
    json_decref(j);
    wbt_http_free(&r);
    return param;
}

static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

TEST(web_api, areas_by_level_and_year)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/areas?level=buurt&year=2016", 200);
    ASSERT(json_is_array(j));
    ASSERT_EQ_I(json_array_size(j), WBT_NWIJK * WBT_NBUURT_PER_WIJK);
    json_t *first = json_array_get(j, 0);
    ASSERT_EQ_S(json_string_value(json_object_get(first, "code")), "BU99990100");
    ASSERT_EQ_I(json_integer_value(json_object_get(first, "year")), 2016);
    ASSERT_EQ_S(json_string_value(json_object_get(first, "level")), "buurt");
    ASSERT_EQ_S(json_string_value(json_object_get(first, "name")), "Centrum A");
    ASSERT_EQ_S(json_string_value(json_object_get(first, "parent")), "WK999901");
    json_decref(j);
    /* the parent filter and the other levels */
    j = get_json(f.port, "/api/areas?level=buurt&year=2016&parent=WK999903", 200);
    ASSERT_EQ_I(json_array_size(j), WBT_NBUURT_PER_WIJK);
    ASSERT_EQ_S(json_string_value(json_object_get(json_array_get(j, 0), "name")), "De \"Haven\" A");
    json_decref(j);
    j = get_json(f.port, "/api/areas?level=gemeente&year=2016", 200);
    ASSERT_EQ_I(json_array_size(j), 1);
    json_decref(j);
    j = get_json(f.port, "/api/areas?level=wijk&year=2014", 200); /* no such year: empty */
    ASSERT_EQ_I(json_array_size(j), 0);
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, values_for_a_map)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/values?indicator=lbm&level=buurt&year=2014", 200);
    ASSERT(json_is_array(j));
    ASSERT_EQ_I(json_array_size(j), WBT_NWIJK * WBT_NBUURT_PER_WIJK);
    size_t i;
    json_t *o;
    json_array_foreach(j, i, o)
    {
        int w = (int)i / WBT_NBUURT_PER_WIJK, b = (int)i % WBT_NBUURT_PER_WIJK;
        ASSERT_EQ_S(json_string_value(json_object_get(o, "code")), wbt_buurt_code(w, b));
        ASSERT_CLOSE(num(o, "value"), wbt_fixture_value(0, wbt_area_index_buurt(w, b), 2014), 0);
        ASSERT_EQ_I(json_object_size(o), 2); /* exactly code and value */
    }
    json_decref(j);
    /* an alias resolves; a missing value is left out (BU99990203, WOZ 2020) */
    j = get_json(f.port, "/api/values?indicator=aant_inw&level=wijk&year=2020", 200);
    ASSERT_EQ_I(json_array_size(j), WBT_NWIJK);
    ASSERT_CLOSE(num(json_array_get(j, 1), "value"), wbt_fixture_value(2, 2, 2020), 0);
    json_decref(j);
    j = get_json(f.port, "/api/values?indicator=g_woz&level=buurt&year=2020&boundary_year=2016", 200);
    ASSERT_EQ_I(json_array_size(j), WBT_NWIJK * WBT_NBUURT_PER_WIJK - 1);
    json_decref(j);
    /* the boundary year that was chosen is in a header */
    wbt_http r = wbt_http_req(f.port, "GET", "/api/values?indicator=lbm&level=buurt&year=2012", NULL);
    char by[16];
    ASSERT_EQ_S(wbt_http_header(&r, "X-Boundary-Year", by, sizeof by), "2016");
    wbt_http_free(&r);
    /* CSV export */
    r = wbt_http_req(f.port, "GET", "/api/values?indicator=a_inw&level=gemeente&year=2012&format=csv", NULL);
    ASSERT_EQ_I(r.status, 200);
    char cd[128];
    ASSERT(wbt_http_header(&r, "Content-Disposition", cd, sizeof cd) && strstr(cd, "attachment"));
    char want[128];
    snprintf(want, sizeof want, "code,value\r\nGM9999,%.0f\r\n", wbt_fixture_value(2, 0, 2012));
    ASSERT_EQ_S(r.body, want);
    wbt_http_free(&r);
    /* no values for that year: an empty array, not an error */
    j = get_json(f.port, "/api/values?indicator=lbm&level=buurt&year=2013", 200);
    ASSERT_EQ_I(json_array_size(j), 0);
    json_decref(j);
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/values?indicator=nope&level=buurt&year=2014", 404), "");
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, profile_of_a_buurt)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/areas/BU99990101?year=2016", 200);
    json_t *area = json_object_get(j, "area");
    ASSERT_EQ_S(json_string_value(json_object_get(area, "code")), "BU99990101");
    ASSERT_EQ_S(json_string_value(json_object_get(area, "name")), "Centrum B");
    ASSERT(json_is_true(json_object_get(area, "has_geometry")));
    json_t *parent = json_object_get(j, "parent");
    ASSERT_EQ_S(json_string_value(json_object_get(parent, "code")), "WK999901");
    ASSERT_EQ_S(json_string_value(json_object_get(parent, "name")), "Centrum");
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(j, "nation"), "code")), "NL00");
    json_t *labels = json_object_get(j, "labels");
    ASSERT_EQ_I(json_array_size(labels), 1);
    ASSERT_EQ_S(json_string_value(json_object_get(json_array_get(labels, 0), "name")), "aandachtswijk");
    json_t *inds = json_object_get(j, "indicators");
    int seen = 0, area_idx = wbt_area_index_buurt(0, 1);
    size_t i;
    json_t *o;
    json_array_foreach(inds, i, o)
    {
        const char *key = json_string_value(json_object_get(o, "key"));
        int k;
        for (k = 0; wbt_fixture_keys[k] && strcmp(wbt_fixture_keys[k], key); k++)
            ;
        ASSERT_MSG(wbt_fixture_keys[k], "unexpected indicator %s", key);
        seen++;
        json_t *latest = json_object_get(o, "latest");
        ASSERT_EQ_I(json_integer_value(json_object_get(latest, "year")), 2020);
        ASSERT_CLOSE(num(latest, "value"), wbt_fixture_value(k, area_idx, 2020), 0);
        ASSERT_CLOSE(num(latest, "parent"), wbt_fixture_value(k, 1, 2020), 0);
        json_t *series = json_object_get(o, "series");
        ASSERT_EQ_I(json_array_size(series), 5);
        ASSERT_CLOSE(num(json_array_get(series, 0), "value"), wbt_fixture_value(k, area_idx, 2012), 0);
        ASSERT_EQ_I(json_integer_value(json_object_get(json_array_get(series, 0), "year")), 2012);
        /* the nation: NL00 has inhabitants only */
        if (k == 2)
            ASSERT_CLOSE(num(latest, "nation"), wbt_fixture_value(2, 99, 2020), 0);
        else
            ASSERT(json_is_null(json_object_get(latest, "nation")));
        /* level mean: the unweighted mean of the 12 buurten (hand computation over the fixture) */
        double sum = 0;
        for (int w = 0; w < WBT_NWIJK; w++)
            for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++)
                sum += wbt_fixture_value(k, wbt_area_index_buurt(w, b), 2016);
        ASSERT_CLOSE(num(json_array_get(series, 2), "level_mean"), sum / 12, 1e-9);
    }
    ASSERT_EQ_I(seen, 6);
    /* trends over 2012..2020 (5 points): lbm rises by 0.0625 every two years: Theil-Sen
     * slope 0.03125 a year, Mann-Kendall S = 10, exact two-sided p = 2/120; p_hh_li falls
     * and lower is better: improving too; lbm_klasse 7 8 9 1 2 (S = -2): stagnating */
    json_array_foreach(inds, i, o)
    {
        const char *key = json_string_value(json_object_get(o, "key"));
        json_t *tr = json_object_get(o, "trend");
        if (!strcmp(key, "lbm")) {
            ASSERT_EQ_S(json_string_value(json_object_get(tr, "class")), "improving");
            ASSERT_CLOSE(num(tr, "slope"), 0.03125, 1e-12);
            ASSERT_EQ_I(json_integer_value(json_object_get(tr, "n")), 5);
        } else if (!strcmp(key, "p_hh_li")) {
            ASSERT_EQ_S(json_string_value(json_object_get(tr, "class")), "improving");
            ASSERT_CLOSE(num(tr, "slope"), -0.125, 1e-12);
        } else if (!strcmp(key, "lbm_klasse")) {
            ASSERT_EQ_S(json_string_value(json_object_get(tr, "class")), "stagnating");
        }
    }
    json_decref(j);
    /* the latest boundary year without ?year, and a lower-case code */
    j = get_json(f.port, "/api/areas/wk999902", 200);
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(j, "area"), "code")), "WK999902");
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(j, "parent"), "name")), "Voorbeeldstad");
    json_decref(j);
    /* CSV export: header + 6 indicators x 5 years */
    wbt_http r = wbt_http_req(f.port, "GET", "/api/areas/BU99990101?format=csv", NULL);
    ASSERT_EQ_I(r.status, 200);
    ASSERT_EQ_I(wbt_count_lines(r.body), 1 + 6 * 5);
    ASSERT(strstr(r.body, "BU99990101,Centrum B,a_inw,Inwoners,aantal,2012,"));
    wbt_http_free(&r);
    /* unknown areas */
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas/BU12345678", 404), "");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas/BU99990101?year=2015", 404), "");
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, series_and_indicators)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/series?code=BU99990302&indicator=g_woz", 200);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "boundary_year")), 2016);
    json_t *s = json_object_get(j, "series");
    ASSERT_EQ_I(json_array_size(s), 5);
    for (int k = 0; k < 5; k++)
        ASSERT_CLOSE(num(json_array_get(s, (size_t)k), "value"),
                     wbt_fixture_value(3, wbt_area_index_buurt(2, 2), 2012 + 2 * k), 0);
    json_decref(j);
    /* a stored missing value is null in a series */
    j = get_json(f.port, "/api/series?code=BU99990203&indicator=g_woz", 200);
    ASSERT(json_is_null(json_object_get(json_array_get(json_object_get(j, "series"), 4), "value")));
    json_decref(j);

    j = get_json(f.port, "/api/indicators", 200);
    ASSERT_EQ_I(json_array_size(j), 6);
    json_t *first = json_array_get(j, 0); /* ordered by key: a_inw */
    ASSERT_EQ_S(json_string_value(json_object_get(first, "key")), "a_inw");
    ASSERT_EQ_S(json_string_value(json_object_get(first, "label_en")), "Inhabitants");
    json_t *cov = json_object_get(first, "coverage");
    /* a_inw: land, gemeente, wijk, buurt x 5 years */
    ASSERT_EQ_I(json_array_size(cov), 4 * 5);
    size_t i;
    json_t *c;
    int buurt_rows = 0;
    json_array_foreach(cov, i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "level")), "buurt")) {
            buurt_rows++;
            ASSERT_EQ_I(json_integer_value(json_object_get(c, "n")), 12);
            ASSERT_EQ_I(json_integer_value(json_object_get(c, "boundary_year")), 2016);
        }
    }
    ASSERT_EQ_I(buurt_rows, 5);
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

/* Find the coordinate closest to (lon, lat) in a GeoJSON document. */
static double nearest(json_t *fc, double lon, double lat)
{
    double best = 1e9;
    size_t i, p, r, k;
    json_t *feat, *poly, *ring, *pt;
    json_array_foreach(json_object_get(fc, "features"), i, feat)
    {
        json_t *geom = json_object_get(feat, "geometry");
        json_t *polys = json_object_get(geom, "coordinates");
        int single = !strcmp(json_string_value(json_object_get(geom, "type")), "Polygon");
        json_array_foreach(polys, p, poly)
        {
            if (single) /* a Polygon: its rings are the members */
                poly = polys;
            json_array_foreach(poly, r, ring)
            {
                json_array_foreach(ring, k, pt)
                {
                    double dx = json_number_value(json_array_get(pt, 0)) - lon;
                    double dy = json_number_value(json_array_get(pt, 1)) - lat;
                    if (dx * dx + dy * dy < best)
                        best = dx * dx + dy * dy;
                }
            }
            if (single)
                break;
        }
    }
    return sqrt(best);
}

TEST(web_api, geojson_in_wgs84)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/geojson?level=buurt&year=2016", 200);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "type")), "FeatureCollection");
    json_t *feats = json_object_get(j, "features");
    ASSERT_EQ_I(json_array_size(feats), 12);
    json_t *f0 = json_array_get(feats, 0);
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(f0, "properties"), "code")), "BU99990100");
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(f0, "geometry"), "type")), "Polygon");
    /* RD (155000, 463000) = Amersfoort, 52.15517440 N 5.38720621 E (published base point of
     * RD New); 5 decimals in the output, so within 1e-5 degrees */
    ASSERT_MSG(nearest(j, 5.38720621, 52.15517440) < 1.5e-5, "Amersfoort at %g deg",
               nearest(j, 5.38720621, 52.15517440));
    /* exterior ring counter-clockwise (RFC 7946): positive shoelace area */
    json_t *ring = json_array_get(json_object_get(json_object_get(f0, "geometry"), "coordinates"), 0);
    double s = 0;
    for (size_t k = 0; k + 1 < json_array_size(ring); k++) {
        json_t *a = json_array_get(ring, k), *b = json_array_get(ring, k + 1);
        s += json_number_value(json_array_get(a, 0)) * json_number_value(json_array_get(b, 1)) -
             json_number_value(json_array_get(b, 0)) * json_number_value(json_array_get(a, 1));
    }
    ASSERT(s > 0);
    json_decref(j);
    /* one area, as a download */
    wbt_http r = wbt_http_req(f.port, "GET", "/api/geojson?level=wijk&year=2016&code=WK999902", NULL);
    ASSERT_EQ_I(r.status, 200);
    char cd[128];
    ASSERT(wbt_http_header(&r, "Content-Disposition", cd, sizeof cd) && strstr(cd, "WK999902"));
    json_t *one = json_loadb(r.body, r.body_len, 0, NULL);
    ASSERT(one);
    ASSERT_EQ_I(json_array_size(json_object_get(one, "features")), 1);
    json_decref(one);
    wbt_http_free(&r);
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/geojson?level=buurt&year=2015", 404), "");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/geojson?level=wijk&year=2016&code=WK999909", 404), "");
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, etag_304_and_gzip)
{
    fx f = setup();
    wbt_http r = wbt_http_req(f.port, "GET", "/api/geojson?level=buurt&year=2016", NULL);
    ASSERT_EQ_I(r.status, 200);
    char etag[80], buf[128];
    ASSERT(wbt_http_header(&r, "ETag", etag, sizeof etag) && etag[0] == '"');
    ASSERT(wbt_http_header(&r, "Vary", buf, sizeof buf));
    ASSERT(!wbt_http_header(&r, "Content-Encoding", buf, sizeof buf));
    char hdr[160];
    snprintf(hdr, sizeof hdr, "If-None-Match: W/\"x\", %s\r\n", etag);
    wbt_http r2 = wbt_http_req(f.port, "GET", "/api/geojson?level=buurt&year=2016", hdr);
    ASSERT_EQ_I(r2.status, 304);
    ASSERT_EQ_I(r2.body_len, 0);
    char etag2[80];
    ASSERT_EQ_S(wbt_http_header(&r2, "ETag", etag2, sizeof etag2), etag);
    wbt_http_free(&r2);
    /* gzip: a different representation (and tag); decompresses to the same bytes */
    r2 = wbt_http_req(f.port, "GET", "/api/geojson?level=buurt&year=2016", "Accept-Encoding: br, gzip\r\n");
    ASSERT_EQ_I(r2.status, 200);
    ASSERT_EQ_S(wbt_http_header(&r2, "Content-Encoding", buf, sizeof buf), "gzip");
    ASSERT(strcmp(wbt_http_header(&r2, "ETag", etag2, sizeof etag2), etag) != 0);
    ASSERT(r2.body_len < r.body_len);
    unsigned char *plain = malloc(r.body_len + 16);
    z_stream z;
    memset(&z, 0, sizeof z);
    ASSERT(inflateInit2(&z, 15 + 16) == Z_OK);
    z.next_in = (unsigned char *)r2.body;
    z.avail_in = (unsigned)r2.body_len;
    z.next_out = plain;
    z.avail_out = (unsigned)r.body_len + 16;
    ASSERT_EQ_I(inflate(&z, Z_FINISH), Z_STREAM_END);
    ASSERT_EQ_I(z.total_out, r.body_len);
    ASSERT(memcmp(plain, r.body, r.body_len) == 0);
    inflateEnd(&z);
    free(plain);
    wbt_http_free(&r2);
    /* q=0 refuses gzip */
    r2 = wbt_http_req(f.port, "GET", "/api/geojson?level=buurt&year=2016", "Accept-Encoding: gzip;q=0\r\n");
    ASSERT(!wbt_http_header(&r2, "Content-Encoding", buf, sizeof buf));
    wbt_http_free(&r2);
    /* a stale tag gets the full body */
    r2 = wbt_http_req(f.port, "GET", "/api/geojson?level=buurt&year=2016", "If-None-Match: \"stale\"\r\n");
    ASSERT_EQ_I(r2.status, 200);
    ASSERT_EQ_I(r2.body_len, r.body_len);
    wbt_http_free(&r2);
    wbt_http_free(&r);
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, security_headers_on_every_response)
{
    fx f = setup();
    static const char *const targets[] = {"/api/areas?level=wijk", "/api/nope", "/api/areas?level=x",
                                          "/", "/missing.html", "/../x"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        wbt_http r = wbt_http_req(f.port, "GET", targets[i], NULL);
        ASSERT_MSG(r.status > 0, "no response to %s", targets[i]);
        char v[256];
        ASSERT_MSG(wbt_http_header(&r, "Content-Security-Policy", v, sizeof v) && strstr(v, "default-src 'self'") &&
                       strstr(v, "frame-ancestors 'none'"),
                   "CSP on %s: %s", targets[i], r.head);
        ASSERT_EQ_S(wbt_http_header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
        ASSERT_EQ_S(wbt_http_header(&r, "X-Frame-Options", v, sizeof v), "DENY");
        ASSERT(wbt_http_header(&r, "Referrer-Policy", v, sizeof v));
        wbt_http_free(&r);
    }
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, bad_parameters_are_400_with_the_param)
{
    fx f = setup();
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=district9", 400), "level");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=buurt&year=20x6", 400), "year");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=buurt&year=1850", 400), "year");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=buurt&year=", 400), "year");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=buurt&year=+2016", 400), "year");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=buurt&sort=name", 400), "sort");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?level=buurt&level=wijk", 400), "level");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?parent=GM%3Cscript%3E", 400), "parent");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas?parent=%zz", 400), "parent");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/values?level=buurt&year=2016", 400), "indicator");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/values?indicator=lbm;drop&level=buurt&year=2016", 400),
                "indicator");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/values?indicator=lbm&level=buurt&year=2016&format=xml", 400),
                "format");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/geojson?level=buurt", 400), "year");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas/BU%2F..%2Fx", 400), "code");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas/not%20a%20code", 400), "code");
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/areas/BU99990101?code=BU1", 400), "code");
    /* the message names what was expected, and echoes the value escaped */
    wbt_http r = wbt_http_req(f.port, "GET", "/api/areas?level=%3Cb%3E", NULL);
    ASSERT(strstr(r.body, "expected a level"));
    ASSERT(!strchr(r.body, '<'));
    wbt_http_free(&r);
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, unknown_routes_and_methods)
{
    fx f = setup();
    expect_error(f.port, "GET", "/api/nope", 404);
    expect_error(f.port, "GET", "/api/areas/BU99990101/extra", 404);
    expect_error(f.port, "GET", "/api", 404);
    wbt_http r = wbt_http_req(f.port, "POST", "/api/areas?level=buurt", "Content-Length: 0\r\n");
    ASSERT_EQ_I(r.status, 405);
    char allow[64];
    ASSERT(wbt_http_header(&r, "Allow", allow, sizeof allow) && strstr(allow, "GET"));
    wbt_http_free(&r);
    r = wbt_http_req(f.port, "DELETE", "/api/areas/BU99990101", NULL);
    ASSERT_EQ_I(r.status, 405);
    wbt_http_free(&r);
    r = wbt_http_req(f.port, "PUT", "/index.html", "Content-Length: 0\r\n");
    ASSERT_EQ_I(r.status, 405);
    ASSERT_EQ_S(wbt_http_header(&r, "Allow", allow, sizeof allow), "GET, HEAD");
    wbt_http_free(&r);
    /* HEAD is served by GET routes, without a body */
    r = wbt_http_req(f.port, "HEAD", "/api/areas?level=wijk", NULL);
    ASSERT_EQ_I(r.status, 200);
    ASSERT_EQ_I(r.body_len, 0);
    wbt_http_free(&r);
    /* a body where none is taken */
    static const char with_body[] = "GET /api/areas HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                    "Content-Length: 5\r\n\r\nhello";
    r = wbt_http_raw(f.port, with_body, sizeof with_body - 1, 5000);
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, huge_body_and_url)
{
    fx f = setup();
    /* announced body over the limit: 413 before the body is read */
    static const char big[] = "POST /api/areas HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                              "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"a\":";
    wbt_http r = wbt_http_raw(f.port, big, sizeof big - 1, 5000);
    ASSERT_EQ_I(r.status, 413);
    wbt_http_free(&r);
    /* chunked body over the limit: 413 after 64 KiB */
    size_t n = 200 * 1024;
    char *req = malloc(n + 512);
    int off = sprintf(req, "POST /api/areas HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n");
    for (int c = 0; c < 20; c++) {
        off += sprintf(req + off, "2000\r\n");
        memset(req + off, 'a', 0x2000);
        off += 0x2000;
        off += sprintf(req + off, "\r\n");
    }
    off += sprintf(req + off, "0\r\n\r\n");
    r = wbt_http_raw(f.port, req, (size_t)off, 5000);
    ASSERT_EQ_I(r.status, 413);
    wbt_http_free(&r);
    free(req);
    /* a request target over 4 KiB: 414 */
    char *target = malloc(9000);
    strcpy(target, "/api/areas?level=buurt&x=");
    memset(target + strlen(target), 'a', 8000);
    target[8025] = 0;
    r = wbt_http_req(f.port, "GET", target, NULL);
    ASSERT_EQ_I(r.status, 414);
    wbt_http_free(&r);
    /* far over the connection's memory: refused by libmicrohttpd itself, connection survives */
    char *huge = malloc(200000);
    memset(huge, 'b', 199999);
    huge[0] = '/';
    huge[199999] = 0;
    r = wbt_http_req(f.port, "GET", huge, NULL);
    ASSERT_MSG(r.status == 414 || r.status == 431 || r.status == 400 || r.status == -1, "status %d", r.status);
    wbt_http_free(&r);
    free(huge);
    free(target);
    /* the server still answers */
    json_t *j = get_json(f.port, "/api/areas?level=wijk", 200);
    json_decref(j);
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, static_files_and_traversal)
{
    fx f = setup();
    wbt_http r = wbt_http_req(f.port, "GET", "/", NULL);
    ASSERT_EQ_I(r.status, 200);
    char ct[128];
    ASSERT_EQ_S(wbt_http_header(&r, "Content-Type", ct, sizeof ct), "text/html; charset=utf-8");
    ASSERT(strstr(r.body, "index"));
    ASSERT(wbt_http_header(&r, "ETag", ct, sizeof ct));
    ASSERT_EQ_S(wbt_http_header(&r, "Cache-Control", ct, sizeof ct), "no-cache");
    wbt_http_free(&r);
    r = wbt_http_req(f.port, "GET", "/js/app.js", NULL);
    ASSERT_EQ_I(r.status, 200);
    ASSERT_EQ_S(wbt_http_header(&r, "Content-Type", ct, sizeof ct), "text/javascript; charset=utf-8");
    wbt_http_free(&r);
    r = wbt_http_req(f.port, "GET", "/app%2Ecss", NULL); /* an encoded ordinary character is fine */
    ASSERT_EQ_I(r.status, 200);
    ASSERT_EQ_S(wbt_http_header(&r, "Content-Type", ct, sizeof ct), "text/css; charset=utf-8");
    wbt_http_free(&r);
    static const struct {
        const char *target;
        int status;
    } bad[] = {
        {"/../outside.txt", 400},         {"/js/../../outside.txt", 400}, {"/%2e%2e/outside.txt", 400},
        {"/%2E%2E%2Foutside.txt", 400},   {"/js%2fapp.js", 400},          {"/js%5capp.js", 400},
        {"/..%2f..%2fetc%2fpasswd", 400}, {"/./index.html", 400},         {"/index.html%00.js", 400},
        {"/%zz", 400},                    {"/.secret", 404},              {"/escape.txt", 404},
        {"/updir/outside.txt", 404},      {"/js/", 404},                  {"/nope.html", 404},
        {"//etc/passwd", 404},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = wbt_http_req(f.port, "GET", bad[i].target, NULL);
        ASSERT_MSG(r.status == bad[i].status, "GET %s: %d, expected %d", bad[i].target, r.status, bad[i].status);
        ASSERT_MSG(!strstr(r.body, "outside the web root") && !strstr(r.body, "hidden"), "GET %s leaked a file",
                   bad[i].target);
        wbt_http_free(&r);
    }
    wb_server_stop(f.srv, 1000);
}

TEST(web_api, cached_values_follow_store_changes)
{
    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("fx.db"));
    wbt_fixture_db(db);
    wb_server *srv = wbt_server(db, NULL, 2, 0);
    int port = wb_server_port(srv);
    json_t *j = get_json(port, "/api/values?indicator=g_woz&level=wijk&year=2016", 200);
    ASSERT_CLOSE(num(json_array_get(j, 0), "value"), wbt_fixture_value(3, 1, 2016), 0);
    json_decref(j);
    /* a write while the server runs (as an import would) */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    int64_t ind, area;
    WB_PASS(wb_store_indicator_resolve(st, &ind, NULL, "g_woz"));
    WB_PASS(wb_store_area_find(st, &area, "WK999901", 2016));
    WB_PASS(wb_store_obs_put(st, ind, area, 2016, 999.5));
    wb_store_free(st);
    j = get_json(port, "/api/values?indicator=g_woz&level=wijk&year=2016", 200);
    ASSERT_CLOSE(num(json_array_get(j, 0), "value"), 999.5, 0);
    json_decref(j);
    wb_server_stop(srv, 1000);
}

/* Segregation over the 12 fixture buurten with two groups: g1 = 10 (i + 1), g2 = 10 (12 - i)
 * for buurt i = 0..11 in code order. G1 = G2 = 780, so by hand
 * D = 1/2 sum_i |g1_i/G1 - g2_i/G2| = 1/2 sum_i |2i - 11| / 78 = 1/2 * 72 / 78 = 0.46153846... */
TEST(web_api, segregation_over_time)
{
    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("fx.db"));
    wbt_fixture_db(db);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    WB_PASS(wb_store_begin(st));
    int64_t g1, g2;
    wb_indicator d = {0};
    d.key = "a_g1";
    d.unit = "aantal";
    WB_PASS(wb_store_indicator_put(st, &g1, &d));
    d.key = "a_g2";
    WB_PASS(wb_store_indicator_put(st, &g2, &d));
    for (int w = 0, i = 0; w < WBT_NWIJK; w++)
        for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++, i++) {
            int64_t area;
            WB_PASS(wb_store_area_find(st, &area, wbt_buurt_code(w, b), 2016));
            WB_PASS(wb_store_obs_put(st, g1, area, 2016, 10.0 * (i + 1)));
            WB_PASS(wb_store_obs_put(st, g2, area, 2016, 10.0 * (12 - i)));
        }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    wb_server *srv = wbt_server(db, NULL, 2, 0);
    int port = wb_server_port(srv);
    json_t *j = get_json(port, "/api/segregation?groups=a_g1,a_g2&in=GM9999", 200);
    json_t *res = json_object_get(j, "results");
    ASSERT_EQ_I(json_array_size(res), 1);
    json_t *r = json_array_get(res, 0);
    ASSERT_EQ_S(json_string_value(json_object_get(r, "code")), "GM9999");
    ASSERT_EQ_I(json_integer_value(json_object_get(r, "year")), 2016);
    ASSERT_EQ_I(json_integer_value(json_object_get(r, "n_units")), 12);
    ASSERT_CLOSE(num(r, "D"), 36.0 / 78.0, 1e-12);
    ASSERT_CLOSE(num(r, "population"), 1560, 0);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "within_level")), "wijk");
    ASSERT_EQ_I(json_array_size(json_object_get(r, "isolation")), 2);
    json_decref(j);
    ASSERT_EQ_S(expect_error(port, "GET", "/api/segregation?in=GM9999", 400), "groups");
    ASSERT_EQ_S(expect_error(port, "GET", "/api/segregation?groups=a_g1,,a_g2", 400), "groups");
    ASSERT_EQ_S(expect_error(port, "GET", "/api/segregation?groups=a_g1,a_g2&excess=ignore", 400), "excess");
    ASSERT_EQ_S(expect_error(port, "GET", "/api/segregation?groups=a_g1,a_g2&from=2018&to=2014", 400), "to");
    expect_error(port, "GET", "/api/segregation?groups=a_g1,nope", 404);
    wb_server_stop(srv, 1000);
}

/* The fixture's aandachtswijk set is BU99990101 and BU99990200 (area indices 5 and 8); the
 * rest are the other ten buurten. lbm in 2016 (t = 2): v = -0.25 + 0.03125 a + 0.125, minus
 * 0.25 for area 5. Members: (-0.25 + 0.15625 + 0.125 - 0.25) and (-0.25 + 0.25 + 0.125):
 * mean (-0.21875 + 0.125) / 2 = -0.046875. Rest: areas 4, 6, 7, 9..15: sum of a = 114 - 13
 * = 101, so mean = -0.125 + 0.03125 * 101 / 10 = 0.190625. */
TEST(web_api, labelled_set_against_the_rest)
{
    fx f = setup();
    json_t *j = get_json(f.port, "/api/labels", 200);
    ASSERT_EQ_I(json_array_size(j), 1);
    ASSERT_EQ_S(json_string_value(json_object_get(json_array_get(j, 0), "name")), "aandachtswijk");
    ASSERT_EQ_I(json_integer_value(json_object_get(json_array_get(j, 0), "n")), 2);
    json_decref(j);
    j = get_json(f.port, "/api/compare?label=aandachtswijk&indicator=lbm&level=buurt", 200);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "boundary_year")), 2016);
    json_t *s = json_object_get(j, "series");
    ASSERT_EQ_I(json_array_size(s), 5);
    json_t *y2016 = json_array_get(s, 2);
    ASSERT_EQ_I(json_integer_value(json_object_get(y2016, "year")), 2016);
    ASSERT_EQ_I(json_integer_value(json_object_get(y2016, "n_members")), 2);
    ASSERT_EQ_I(json_integer_value(json_object_get(y2016, "n_rest")), 10);
    ASSERT_CLOSE(num(y2016, "members"), -0.046875, 1e-12);
    ASSERT_CLOSE(num(y2016, "rest"), 0.190625, 1e-12);
    json_decref(j);
    expect_error(f.port, "GET", "/api/compare?label=nope&indicator=lbm&level=buurt", 404);
    ASSERT_EQ_S(expect_error(f.port, "GET", "/api/compare?label=a%0Ab&indicator=lbm&level=buurt", 400), "label");
    wb_server_stop(f.srv, 1000);
}

/* /api/compare and 'wijkbeeld compare' compute with one function (wb_compare_years): on the
 * demo's attention buurten their means agree bit for bit, year by year; and each mean is the
 * correctly rounded mean of the values within a few units in the last place (the values from
 * /api/values, summed here in long double). */
TEST(web_api, compare_agrees_with_the_cli)
{
    wbt_run_result r = wbt_run(NULL, "--quiet --db demo.db demo");
    ASSERT_MSG(r.status == 0, "demo failed: %s", r.err);
    wbt_run_free(&r);
    char db[4096];
    snprintf(db, sizeof db, "%s/demo.db", wbt_tmpdir());
    wb_store *st = NULL;
    wb_area *mem = NULL;
    size_t nmem = 0;
    WB_PASS(wb_store_open(&st, db, WB_STORE_READONLY));
    WB_PASS(wb_store_label_members(st, &mem, &nmem, "aandachtswijken"));
    wb_store_free(st);
    ASSERT(nmem >= 5);
    wb_server *srv = wbt_server(db, NULL, 2, 0);
    int port = wb_server_port(srv);
    static const char *const keys[] = {"lbm", "g_ink_pi", "p_hh_li"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        r = wbt_run(NULL, "--db demo.db compare --set aandachtswijken --indicator %s --format json", keys[k]);
        ASSERT_MSG(r.status == 0, "compare failed: %s", r.err);
        json_error_t err;
        json_t *cli = json_loads(r.out, 0, &err);
        ASSERT_MSG(cli && json_is_array(cli), "compare: %s", err.text);
        wbt_run_free(&r);
        char target[160];
        snprintf(target, sizeof target, "/api/compare?label=aandachtswijken&indicator=%s&level=buurt", keys[k]);
        json_t *api = get_json(port, target, 200);
        json_t *series = json_object_get(api, "series");
        ASSERT(json_array_size(series) >= 10);
        ASSERT_EQ_I(json_array_size(series), json_array_size(cli));
        int byear = (int)json_integer_value(json_object_get(api, "boundary_year"));
        for (size_t t = 0; t < json_array_size(series); t++) {
            json_t *a = json_array_get(series, t), *c = json_array_get(cli, t);
            int year = (int)json_integer_value(json_object_get(a, "year"));
            ASSERT_EQ_I(year, json_integer_value(json_object_get(c, "year")));
            ASSERT_EQ_I(json_integer_value(json_object_get(a, "n_members")), json_integer_value(json_object_get(c, "n_set")));
            ASSERT_EQ_I(json_integer_value(json_object_get(a, "n_rest")), json_integer_value(json_object_get(c, "n_rest")));
            double am = num(a, "members"), cm = num(c, "set_mean"), ar = num(a, "rest"), cr = num(c, "rest_mean");
            ASSERT_MSG(memcmp(&am, &cm, sizeof am) == 0 && memcmp(&ar, &cr, sizeof ar) == 0,
                       "%s %d: api %.17g %.17g, cli %.17g %.17g", keys[k], year, am, ar, cm, cr);
            /* each mean against a long double sum of the map's values, split by the set */
            snprintf(target, sizeof target, "/api/values?indicator=%s&level=buurt&year=%d&boundary_year=%d", keys[k],
                     year, byear);
            json_t *vals = get_json(port, target, 200);
            long double sum[2] = {0, 0};
            size_t cnt[2] = {0, 0}, i;
            json_t *v;
            json_array_foreach(vals, i, v) {
                const char *code = json_string_value(json_object_get(v, "code"));
                int in = 0;
                for (size_t m = 0; m < nmem; m++)
                    in |= mem[m].year == byear && !strcmp(mem[m].code, code);
                sum[!in] += (long double)num(v, "value");
                cnt[!in]++;
            }
            ASSERT_EQ_I(cnt[0], json_integer_value(json_object_get(a, "n_members")));
            ASSERT_EQ_I(cnt[1], json_integer_value(json_object_get(a, "n_rest")));
            if (cnt[0])
                ASSERT_CLOSE(am, (double)(sum[0] / cnt[0]), 1e-14 * (1 + fabs(am)));
            ASSERT_CLOSE(ar, (double)(sum[1] / cnt[1]), 1e-14 * (1 + fabs(ar)));
            json_decref(vals);
        }
        json_decref(api);
        json_decref(cli);
    }
    wb_areas_free(mem, nmem);
    wb_server_stop(srv, 1000);
}

/* Scores from the models in models/ on the demo database (`wijkbeeld demo`). The lbm model
 * adds the five Leefbaarometer dimensions with weight 1 (models/lbm.model), so each score
 * must equal the sum of its dimensions and of the indicator contributions of /api/explain. */
TEST(web_api, score_and_explanation_on_the_demo)
{
    const char *root = getenv("WB_ROOT");
    if (!root)
        SKIP("WB_ROOT not set");
    wbt_run_result r = wbt_run(NULL, "--quiet --db demo.db demo");
    ASSERT_MSG(r.status == 0, "demo failed: %s", r.err);
    wbt_run_free(&r);
    char db[4096], models[4096];
    snprintf(db, sizeof db, "%s/demo.db", wbt_tmpdir());
    snprintf(models, sizeof models, "%s/models", root);
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.models_dir = models;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    int port = wb_server_port(srv);
    json_t *j = get_json(port, "/api/models", 200);
    int has_lbm = 0;
    size_t i;
    json_t *m;
    json_array_foreach(j, i, m) has_lbm |= !strcmp(json_string_value(json_object_get(m, "name")), "lbm");
    ASSERT(has_lbm);
    json_decref(j);
    j = get_json(port, "/api/score?model=lbm&level=wijk&year=2020", 200);
    json_t *res = json_object_get(j, "results");
    ASSERT(json_array_size(res) >= 8);
    json_t *first = json_array_get(res, 0);
    double sum = 0;
    json_t *d;
    json_array_foreach(json_object_get(first, "dims"), i, d) sum += json_number_value(d);
    ASSERT_CLOSE(num(first, "score"), sum, 1e-9);
    char code[32];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(first, "code")));
    double score = num(first, "score");
    json_decref(j);
    char target[128];
    snprintf(target, sizeof target, "/api/explain?model=lbm&code=%s&year=2020", code);
    j = get_json(port, target, 200);
    ASSERT_CLOSE(num(j, "score"), score, 1e-12);
    double csum = 0;
    json_array_foreach(json_object_get(j, "indicators"), i, d) csum += num(d, "contribution");
    ASSERT_CLOSE(csum, score, 1e-9);
    json_decref(j);
    ASSERT_EQ_S(expect_error(port, "GET", "/api/score?model=..%2Fetc&level=wijk", 400), "model");
    expect_error(port, "GET", "/api/score?model=nope&level=wijk", 404);
    expect_error(port, "GET", "/api/explain?model=lbm&code=WK123456", 404);
    wb_server_stop(srv, 1000);
}
