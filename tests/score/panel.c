/** @file @brief The columnar panel: loading from the store (years, boundaries, missing
 *  values, parents) and building one in memory. */
#include <stdlib.h>

#include "test.h"

static int64_t ind(wb_store *st, const char *key)
{
    wb_indicator i = {0};
    i.key = (char *)key;
    int64_t id;
    WB_PASS(wb_store_indicator_put(st, &id, &i));
    return id;
}

static int64_t area(wb_store *st, const char *code, int year, wb_level lv, const char *name)
{
    int64_t id;
    WB_PASS(wb_store_area_put(st, &id, code, year, lv, name, NULL));
    return id;
}

TEST(score_panel, loads_years_areas_missing_values_and_parents)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    int64_t woz = ind(st, "g_woz"), inw = ind(st, "a_inw");
    WB_PASS(wb_store_alias_put(st, "woz", "g_woz"));
    int64_t w1 = area(st, "WK036301", 2016, WB_LEVEL_WIJK, "Burgwallen-Nieuwe Zijde");
    int64_t w0 = area(st, "WK036300", 2016, WB_LEVEL_WIJK, "Burgwallen-Oude Zijde");
    int64_t w2 = area(st, "WK059901", 2016, WB_LEVEL_WIJK, "Rotterdam Centrum");
    int64_t old = area(st, "WK036300", 2014, WB_LEVEL_WIJK, "Centrum (stadsdeel)");
    int64_t gm = area(st, "GM0363", 2016, WB_LEVEL_GEMEENTE, "Amsterdam");
    int64_t nl = area(st, "NL00", 2016, WB_LEVEL_LAND, "Nederland");
    WB_PASS(wb_store_obs_put(st, woz, w0, 2015, 300));
    WB_PASS(wb_store_obs_put(st, woz, w1, 2015, NAN)); /* stored missing */
    WB_PASS(wb_store_obs_put(st, woz, w2, 2016, 150));
    WB_PASS(wb_store_obs_put(st, inw, w0, 2016, 4000));
    WB_PASS(wb_store_obs_put(st, woz, old, 2013, 999)); /* other boundaries: year 2013 must not appear */
    WB_PASS(wb_store_obs_put(st, woz, gm, 2015, 280));
    WB_PASS(wb_store_obs_put(st, woz, nl, 2016, 230));
    const char *keys[] = {"woz", "a_inw"};
    wb_panel_opts o = WB_PANEL_OPTS_INIT;
    o.level = WB_LEVEL_WIJK;
    wb_panel *p = NULL;
    WB_PASS(wb_panel_load(&p, st, keys, 2, &o));
    ASSERT_EQ_I(wb_panel_boundary_year(p), 2016); /* the latest boundary year with values */
    ASSERT_EQ_I(wb_panel_nareas(p), 3);
    ASSERT_EQ_I(wb_panel_nyears(p), 2);
    ASSERT_EQ_I(wb_panel_year(p, 0), 2015);
    ASSERT_EQ_I(wb_panel_year(p, 1), 2016);
    ASSERT_EQ_S(wb_panel_key(p, 0), "g_woz"); /* canonical */
    ASSERT_EQ_S(wb_panel_code(p, 0), "WK036300"); /* ordered by code */
    ASSERT_EQ_S(wb_panel_name(p, 0), "Burgwallen-Oude Zijde");
    long a0 = wb_panel_find_area(p, "WK036300"), a1 = wb_panel_find_area(p, "WK036301"),
         a2 = wb_panel_find_area(p, "WK059901");
    ASSERT(a0 >= 0 && a1 >= 0 && a2 >= 0);
    ASSERT_EQ_I(wb_panel_find_area(p, "WK999999"), -1);
    ASSERT_CLOSE(wb_panel_get(p, (size_t)a0, 0, 0), 300, 0);
    ASSERT(isnan(wb_panel_get(p, (size_t)a1, 0, 0)));
    ASSERT(isnan(wb_panel_get(p, (size_t)a0, 1, 0)));
    ASSERT_CLOSE(wb_panel_get(p, (size_t)a2, 1, 0), 150, 0);
    ASSERT_CLOSE(wb_panel_get(p, (size_t)a0, 1, 1), 4000, 0);
    /* columns are contiguous per (indicator, year) */
    ASSERT(wb_panel_ccolumn(p, 0, 1) + a2 == &wb_panel_ccolumn(p, 0, 1)[a2]);
    ASSERT_CLOSE(wb_panel_ccolumn(p, 0, 0)[a0], 300, 0);
    /* parents: GM0363 stored, GM0599 derived from the code (not stored), NL00 */
    const wb_panel *up = wb_panel_parents(p);
    ASSERT(up != NULL);
    ASSERT_EQ_I(wb_panel_nareas(up), 3);
    long g0 = wb_panel_gemeente(p, (size_t)a0), g2 = wb_panel_gemeente(p, (size_t)a2);
    ASSERT_EQ_S(wb_panel_code(up, (size_t)g0), "GM0363");
    ASSERT_EQ_S(wb_panel_code(up, (size_t)g2), "GM0599");
    ASSERT_EQ_I(wb_panel_gemeente(p, (size_t)a1), g0);
    ASSERT_EQ_S(wb_panel_name(up, (size_t)g0), "Amsterdam");
    ASSERT_CLOSE(wb_panel_get(up, (size_t)g0, 0, 0), 280, 0);
    ASSERT(isnan(wb_panel_get(up, (size_t)g2, 0, 0)));
    long n = wb_panel_find_area(up, "NL00");
    ASSERT(n >= 0);
    ASSERT_CLOSE(wb_panel_get(up, (size_t)n, 1, 0), 230, 0);
    wb_panel_free(p);

    /* the older boundaries on request */
    o.boundary_year = 2014;
    WB_PASS(wb_panel_load(&p, st, keys, 1, &o));
    ASSERT_EQ_I(wb_panel_nareas(p), 1);
    ASSERT_EQ_I(wb_panel_nyears(p), 1);
    ASSERT_EQ_I(wb_panel_year(p, 0), 2013);
    ASSERT_CLOSE(wb_panel_get(p, 0, 0, 0), 999, 0);
    wb_panel_free(p);

    /* a year window */
    o.boundary_year = 0;
    o.year_from = 2016;
    WB_PASS(wb_panel_load(&p, st, keys, 2, &o));
    ASSERT_EQ_I(wb_panel_nyears(p), 1);
    ASSERT_EQ_I(wb_panel_year(p, 0), 2016);
    wb_panel_free(p);

    const char *bad[] = {"g_woz", "nope"};
    WB_FAILS(WB_ENOTFOUND, wb_panel_load(&p, st, bad, 2, &o));
    ASSERT(strstr(wb_error_last()->message, "nope") != NULL);
    const char *twice[] = {"g_woz", "woz"};
    WB_FAILS(WB_EINVALID, wb_panel_load(&p, st, twice, 2, &o));
    o.level = WB_LEVEL_BUURT;
    WB_FAILS(WB_ENOTFOUND, wb_panel_load(&p, st, keys, 1, &o));
    ASSERT(p == NULL);
    wb_store_free(st);
}

TEST(score_panel, new_panel_checks_its_shape)
{
    static const char *const codes[] = {"BU03630001", "WK036300", "own-area"};
    static const int years[] = {2014, 2016}, bad_years[] = {2016, 2014};
    static const char *const keys[] = {"x"}, *const dup[] = {"x", "X"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, 3, codes, 2, years, 1, keys, 2016));
    for (size_t a = 0; a < 3; a++)
        ASSERT(isnan(wb_panel_get(p, a, 1, 0)));
    const wb_panel *up = wb_panel_parents(p);
    ASSERT_EQ_S(wb_panel_code(up, (size_t)wb_panel_gemeente(p, 0)), "GM0363");
    ASSERT_EQ_I(wb_panel_gemeente(p, 0), wb_panel_gemeente(p, 1));
    ASSERT_EQ_I(wb_panel_gemeente(p, 2), -1);
    ASSERT_EQ_I(wb_panel_find_year(p, 2016), 1);
    ASSERT_EQ_I(wb_panel_find_key(p, "X"), 0);
    wb_panel_free(p);
    WB_FAILS(WB_EINVALID, wb_panel_new(&p, 3, codes, 2, bad_years, 1, keys, 2016));
    WB_FAILS(WB_EINVALID, wb_panel_new(&p, 3, codes, 2, years, 2, dup, 2016));
    static const char *const twice[] = {"WK036300", "WK036300"};
    WB_FAILS(WB_EINVALID, wb_panel_new(&p, 2, twice, 2, years, 1, keys, 2016));
}

/* Areas of two boundary years created alternately (so their row ids interleave over several
 * chunks of stored values), with gaps and missing values: the panel of each boundary year
 * holds exactly what wb_store_values returns for its areas. */
TEST(score_panel, load_matches_the_stored_values_over_interleaved_areas)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t k[3] = {ind(st, "p0"), ind(st, "p1"), ind(st, "p2")};
    enum { NA = 400 };
    for (int a = 0; a < NA; a++)
        for (int by = 2016; by <= 2017; by++) {
            char code[16];
            snprintf(code, sizeof code, "BU%04d%04d", 1 + a / 100, a % 100);
            int64_t id = area(st, code, by, WB_LEVEL_BUURT, NULL);
            for (int y = 2010; y <= 2016; y++)
                for (int j = 0; j < 3; j++) {
                    int h = (a * 7 + y * 3 + j * 11 + by) % 23;
                    if (h == 0)
                        continue; /* absent */
                    WB_PASS(wb_store_obs_put(st, k[j], id, y, h == 1 ? NAN : a + y * 0.01 + j * 1000 + by * 1e-5));
                }
        }
    WB_PASS(wb_store_commit(st));
    const char *keys[] = {"p0", "p1", "p2"};
    for (int by = 2016; by <= 2017; by++) {
        wb_panel_opts o = WB_PANEL_OPTS_INIT;
        o.level = WB_LEVEL_BUURT;
        o.boundary_year = by;
        o.with_parents = 0;
        wb_panel *p = NULL;
        WB_PASS(wb_panel_load(&p, st, keys, 3, &o));
        ASSERT_EQ_I(wb_panel_nareas(p), NA);
        ASSERT_EQ_I(wb_panel_nyears(p), 7);
        size_t seen = 0;
        for (size_t j = 0; j < 3; j++) {
            wb_value_query q = WB_VALUE_QUERY_INIT;
            q.indicator = keys[j];
            q.boundary_year = by;
            wb_value *v = NULL;
            size_t n = 0;
            WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
            for (size_t i = 0; i < n; i++) {
                long a = wb_panel_find_area(p, v[i].code), t = wb_panel_find_year(p, v[i].year);
                ASSERT(a >= 0 && t >= 0);
                ASSERT_CLOSE(wb_panel_get(p, (size_t)a, (size_t)t, j), v[i].value, 0);
            }
            /* and nothing else: every other cell is NaN */
            size_t filled = 0;
            for (size_t t = 0; t < wb_panel_nyears(p); t++)
                for (size_t a = 0; a < NA; a++)
                    filled += !isnan(wb_panel_get(p, a, t, j));
            ASSERT_EQ_I(filled, n);
            seen += n;
            wb_free(v);
        }
        ASSERT(seen > 3 * NA * 6); /* most cells hold a value */
        wb_panel_free(p);
    }
    wb_store_free(st);
}
