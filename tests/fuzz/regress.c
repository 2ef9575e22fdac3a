/**
 * @file
 * @brief Regression tests for the bugs the fuzzers found (docs/fuzzing.md lists them). The
 * inputs are also in fuzz/corpora/<target>/crash-*, where the replay runs them through the
 * full invariant checks; these tests state the expected behaviour in plain words.
 */
#include <stdlib.h>

#include "../../fuzz/fuzz.h"
#include "store/store_internal.h"
#include "test.h"

/* Error messages quote input bytes; they must stay valid UTF-8 (a JSON error body, a
 * terminal). Found by the code target: "malformed area code '1\xff\xff...'". */
TEST(fuzz_regress, message_utf8)
{
    char out[WB_CODE_MAX];
    static const char code[] = "GM\xff\xff\xe9\xe2\x82";
    WB_FAILS(WB_EINVALID, wb_code_normalize(out, NULL, code, sizeof code - 1, WB_LEVEL__MAX));
    const char *m = wb_error_last()->message;
    ASSERT(wbf_utf8_valid(m, strlen(m)));
    ASSERT(strstr(m, "'GM\?\?\?\?\?'") != NULL);
    /* a valid sequence survives, a cut one does not; newlines become spaces */
    wb_error_set(WB_ERRCLASS_CSV, "a\xc3\xa9\nb\xc3");
    ASSERT_EQ_S(wb_error_last()->message, "a\xc3\xa9 b?");
    wb_error_prefix("x\xf0\x9f\x98\x80");
    ASSERT_EQ_S(wb_error_last()->message, "x\xf0\x9f\x98\x80: a\xc3\xa9 b?");
}

/* Whole-model errors named line 0 ("input:0: class offsets given without thresholds"). */
TEST(fuzz_regress, model_error_lines)
{
    wb_model *m = NULL;
    WB_FAILS(WB_EPARSE, wb_model_parse(&m, "", 0, "e.model"));
    ASSERT(strstr(wb_error_last()->message, "e.model:1: no [dimension") != NULL);
    const char *t = "[dimension a]\nindicator x direction=+\n[classes]\noffset 2019 = 1\n";
    WB_FAILS(WB_EPARSE, wb_model_parse(&m, t, strlen(t), "o.model"));
    ASSERT(strstr(wb_error_last()->message, "o.model:4: class offsets") != NULL);
}

/* A thresholds value longer than the parser's buffer was cut silently, so a ninth number
 * after 1,000 blanks was dropped and the list accepted. */
TEST(fuzz_regress, model_long_thresholds)
{
    char t[2048];
    int n = snprintf(t, sizeof t, "[dimension a]\nindicator x direction=+\n[classes]\n"
                                  "thresholds = 1 2 3 4 5 6 7 8%1100s9\n", "");
    wb_model *m = NULL;
    WB_FAILS(WB_EPARSE, wb_model_parse(&m, t, (size_t)n, "t.model"));
    ASSERT(strstr(wb_error_last()->message, "t.model:4: thresholds") != NULL);
    ASSERT(m == NULL);
}

/* WKB with an empty ring: wb_geom_clean did pointer arithmetic on pts == NULL, and
 * wb_geom_to_wkb a memcpy from it (UBSan). */
TEST(fuzz_regress, wkb_empty_rings)
{
    static const unsigned char wkb[] = {1, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    wb_geom g = WB_GEOM_INIT;
    WB_PASS(wb_geom_from_wkb(&g, wkb, sizeof wkb));
    ASSERT_EQ_I(g.npolys, 1);
    ASSERT_EQ_I(g.nrings, 1);
    ASSERT_EQ_I(g.npts, 0);
    unsigned char *out = NULL;
    size_t n = 0;
    WB_PASS(wb_geom_to_wkb(&out, &n, &g));
    ASSERT_EQ_I(n, sizeof wkb);
    ASSERT(!memcmp(out, wkb, n));
    wb_free(out);
    wb_geom_clean_stats cs = {0};
    WB_PASS(wb_geom_clean(&g, &cs));
    ASSERT_EQ_I(g.npolys, 0);
    ASSERT_EQ_I(cs.degenerate_rings, 1);
    ASSERT_EQ_I(cs.empty_polygons, 1);
    wb_geom_dispose(&g);
}

/* A polygon with subnormal coordinates (fuzz/corpora/wkb/crash-centroid-inf): its area is
 * not 0, but X / (3A) overflowed and the centroid was (3.33, inf). Now the mean of the points,
 * as for a degenerate polygon. */
TEST(fuzz_regress, centroid_subnormal)
{
    const char *root = getenv("WB_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/fuzz/corpora/wkb/crash-centroid-inf", root ? root : ".");
    size_t len = 0;
    char *wkb = wbt_slurp(path, &len);
    ASSERT(wkb != NULL);
    wb_geom g = WB_GEOM_INIT;
    WB_PASS(wb_geom_from_wkb(&g, (const unsigned char *)wkb, len));
    free(wkb);
    WB_PASS(wb_geom_clean(&g, NULL));
    ASSERT(g.npolys > 0);
    wb_point c = wb_geom_centroid(&g);
    ASSERT(isfinite(c.x) && isfinite(c.y));
    ASSERT(c.x >= g.bbox[0] && c.x <= g.bbox[2] && c.y >= g.bbox[1] && c.y <= g.bbox[3]);
    wb_geom_dispose(&g);
}

/* TopoJSON delta-encoded arcs whose running sums overflow gave infinite coordinates, which
 * were kept with --crs EPSG:28992 (no reprojection to catch them). */
TEST(fuzz_regress, topojson_overflow)
{
    static const char doc[] =
        "{\"type\":\"Topology\",\"transform\":{\"scale\":[1,1],\"translate\":[0,0]},"
        "\"arcs\":[[[1e308,0],[1e308,0],[0,10],[-1e308,0]]],\"objects\":{\"a\":{\"type\":"
        "\"GeometryCollection\",\"geometries\":[{\"type\":\"Polygon\",\"arcs\":[[0]],\"id\":"
        "\"GM0363\"}]}}}";
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.crs = "EPSG:28992";
    wb_geo_features f;
    WB_FAILS(WB_EPARSE, wb_geo_read_buffer(&f, NULL, "o.topojson", doc, sizeof doc - 1, &o));
    ASSERT(strstr(wb_error_last()->message, "o.topojson: arc 0, position 1: expected coordinates") != NULL);
    ASSERT_EQ_I(f.n, 0);
}

/* The in-memory entry point gives what the file reader gives. */
TEST(fuzz_regress, geo_read_buffer_matches_file)
{
    size_t len = 0;
    char *doc = wbt_slurp(wbt_fixture("geo/basic.topojson"), &len);
    ASSERT(doc != NULL);
    wb_geo_features a, b;
    wb_geo_summary sa, sb;
    WB_PASS(wb_geo_read(&a, &sa, wbt_fixture("geo/basic.topojson"), NULL));
    WB_PASS(wb_geo_read_buffer(&b, &sb, "basic.topojson", doc, len, NULL));
    free(doc);
    ASSERT_EQ_I(a.n, b.n);
    ASSERT_EQ_I(sa.features, sb.features);
    ASSERT_EQ_I(sa.clean.degenerate_rings, sb.clean.degenerate_rings);
    for (size_t i = 0; i < a.n; i++) {
        ASSERT_EQ_S(a.codes[i], b.codes[i]);
        ASSERT_EQ_I(a.geoms[i].npts, b.geoms[i].npts);
        ASSERT(!a.geoms[i].npts ||
               !memcmp(a.geoms[i].pts, b.geoms[i].pts, a.geoms[i].npts * sizeof(wb_point)));
    }
    wb_geo_features_dispose(&a);
    wb_geo_features_dispose(&b);
    WB_FAILS(WB_EPARSE, wb_geo_read_buffer(&a, NULL, "x.bin", "PK\3\4", 4, NULL));
    ASSERT(strstr(wb_error_last()->message, "x.bin") != NULL);
}

static const char *tmpfile_with(const char *name, const char *text)
{
    const char *p = wbt_tmp(name);
    wbt_write(p, text);
    return p;
}

static long long count(wb_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(wb_store__db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* Names (and long-format indicator names) were cut at 255 bytes: a lost tail, and a cut in
 * the middle of a UTF-8 sequence stored invalid text. */
TEST(fuzz_regress, import_long_name)
{
    char text[1024], name[400];
    memset(name, 'a', 254);
    strcpy(name + 254, "\xc3\xa9 en nog wat");
    snprintf(text, sizeof text, "code,naam,v\nGM0363,%s,1\n", name);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.year = 2019;
    WB_PASS(wb_import_csv(st, NULL, tmpfile_with("n.csv", text), &o));
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "GM0363", 2019));
    ASSERT_EQ_S(a->name, name);
    wb_areas_free(a, 1);
    wb_store_free(st);
}

/* A codebook's GeoDetail MapYear became the data year unchecked (year 5). */
TEST(fuzz_regress, codebook_mapyear)
{
    const char *csv = tmpfile_with("t_x.csv", "gwb_code,AantalInwoners_5\nGM0363,5\n");
    tmpfile_with("t_DataProperties.json",
                 "[{\"Type\":\"GeoDetail\",\"Key\":\"WijkenEnBuurten\",\"MapYear\":5}]");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_FAILS(WB_EPARSE, wb_import_kwb(st, NULL, csv, NULL));
    ASSERT(strstr(wb_error_last()->message, "t_DataProperties.json: GeoDetail MapYear: expected a year") != NULL);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM area"), 0);
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.boundary_year = 5;
    o.year = 2019;
    WB_FAILS(WB_EINVALID, wb_import_kwb(st, NULL, csv, &o));
    wb_store_free(st);
}

/* libsodium's base64url decoder takes every byte >= 0x80 as '_' (value 63), so a session
 * token with a '_' had 128 other spellings that were accepted as the token. Found by the
 * http_headers target (crash-token-high-byte). Only the canonical spelling is valid. */
TEST(fuzz_regress, session_token_one_spelling)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_actor cli;
    wb_actor_cli(&cli, "test");
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = 1;
    o.memlimit = 8192;
    int64_t id;
    WB_PASS(wb_auth_user_add(st, &id, &cli, "beheerder", WB_ROLE_ADMIN, 0, "een lang genoeg wachtwoord", &o));
    wb_actor a = WB_ACTOR_ANONYMOUS;
    a.user_id = id;
    a.role = WB_ROLE_ADMIN;
    char token[WB_TOKEN_MAX];
    wb_session s;
    /* a token with a '_' (about one in two has one; 2^-40 that fifty have none) */
    for (int k = 0; k < 50; k++) {
        WB_PASS(wb_session_create(st, token, &s, &a, NULL));
        if (strchr(token, '_'))
            break;
    }
    char *u = strchr(token, '_');
    ASSERT(u);
    WB_PASS(wb_session_validate(st, &s, token, NULL));
    char t[WB_TOKEN_MAX];
    int accepted = 0;
    for (int b = 0x80; b < 0x100; b++) {
        memcpy(t, token, sizeof t);
        t[u - token] = (char)b;
        int rc = wb_session_validate(st, &s, t, NULL);
        if (rc == 0)
            accepted++;
        else
            ASSERT_EQ_I(rc, WB_EDENIED);
    }
    ASSERT_MSG(accepted == 0, "%d other spellings of the token were accepted", accepted);
    wb_store_free(st);
}

/* A theme name that is not UTF-8 was accepted from themes.map (and printed, sent as JSON).
 * Found by the themes target (crash-theme-not-utf8). */
TEST(fuzz_regress, theme_name_utf8)
{
    wb_theme_map *tm = NULL;
    static const char text[] = "a\x8f = wonen\n";
    WB_FAILS(WB_EPARSE, wb_theme_map_parse(&tm, text, sizeof text - 1, "t.map"));
    ASSERT(strstr(wb_error_last()->message, "t.map:1: expected a theme name in UTF-8") != NULL);
    ASSERT(tm == NULL);
}
