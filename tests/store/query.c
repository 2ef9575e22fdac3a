/** @file @brief The store's query functions (src/store/query.c, obs_query.c): level means
 *  against SQL's avg() and hand sums, the values of an area, single values and deletes, the
 *  boundary year with most values, coverage, indicators by key and id and as a catalogue
 *  defines them, label sets, area deletes, read snapshots and the bulk mode. Every expected
 *  number is derived in the test from the values it writes, or is SQLite's own answer. */
#include <stdlib.h>

#include "store/sfix.h"
#include "store/store_internal.h"
#include "test.h"

static int64_t area(wb_store *st, const char *code, int year, wb_level level)
{
    int64_t id;
    WB_PASS(wb_store_area_put(st, &id, code, year, level, NULL, NULL));
    return id;
}

/* A value with many significant bits, so that the order of the additions shows in the sums;
 * NaN (stored missing) for some areas, nothing stored for others. */
static double val(int a, int y, int k)
{
    if ((a + y + k) % 17 == 0)
        return NAN;
    return (double)((a * 7919 + y * 104729 + k * 1299709) % 1000003) / 997.0 - 300.0 / (1 + a % 13);
}

static int stored(int a, int y, int k)
{
    return (a * 3 + y + k) % 11 != 0;
}

/* Buurten of 2020 interleaved with wijken of 2020 and buurten of 2019 over three chunks; the
 * means of the buurten of 2020 equal SQL's avg() over the same join bit for bit (the sums run
 * in area id order, as the join over the area index does). */
TEST(store_query, level_means_equal_sql_avg)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k[3] = {sfix_indicator(st, "k0"), sfix_indicator(st, "k1"), sfix_indicator(st, "k2")};
    enum { NA = 700 };
    int64_t ids[NA];
    for (int a = 0; a < NA; a++) {
        char code[16];
        wb_level lv = a % 5 == 0 ? WB_LEVEL_WIJK : WB_LEVEL_BUURT;
        int year = a % 7 == 0 ? 2019 : 2020;
        snprintf(code, sizeof code, lv == WB_LEVEL_WIJK ? "WK%06d" : "BU%08d", a);
        ids[a] = area(st, code, year, lv);
        for (int y = 2015; y <= 2020; y++)
            for (int j = 0; j < 3; j++)
                if (stored(a, y, j))
                    WB_PASS(wb_store_obs_put(st, k[j], ids[a], y, val(a, y, j)));
    }
    WB_PASS(wb_store_commit(st));
    wb_obs_value *m = NULL;
    size_t n = 0;
    WB_PASS(wb_store_level_means(st, &m, &n, WB_LEVEL_BUURT, 2020));
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s,
                              "SELECT o.indicator_id, o.year, avg(o.value) FROM area a JOIN observation o ON "
                              "o.area_id = a.id WHERE a.level = 'buurt' AND a.year = 2020 AND o.value IS NOT NULL "
                              "GROUP BY o.indicator_id, o.year ORDER BY o.indicator_id, o.year"));
    size_t i = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        ASSERT(i < n);
        ASSERT_EQ_I(m[i].indicator_id, sqlite3_column_int64(s, 0));
        ASSERT_EQ_I(m[i].year, sqlite3_column_int(s, 1));
        double ref = sqlite3_column_double(s, 2);
        ASSERT_MSG(memcmp(&m[i].value, &ref, sizeof ref) == 0, "mean %zu: %.17g, SQL %.17g", i, m[i].value, ref);
        i++;
    }
    sqlite3_finalize(s);
    ASSERT_EQ_I(i, n);
    ASSERT_EQ_I(n, 3 * 6);
    /* and by hand: the sum in area order over the buurten of 2020 with a value */
    for (i = 0; i < n; i++) {
        int j = (int)(m[i].indicator_id - k[0]), y = m[i].year;
        double sum = 0;
        int cnt = 0;
        for (int a = 0; a < NA; a++)
            if (a % 5 != 0 && a % 7 != 0 && stored(a, y, j) && !isnan(val(a, y, j))) {
                sum += val(a, y, j);
                cnt++;
            }
        ASSERT_MSG(m[i].value == sum / cnt, "%d %d: %.17g, by hand %.17g", j, y, m[i].value, sum / cnt);
    }
    wb_free(m);
    /* a level without values, and one without areas */
    WB_PASS(wb_store_level_means(st, &m, &n, WB_LEVEL_GEMEENTE, 2020));
    ASSERT(n == 0 && m == NULL);
    WB_PASS(wb_store_begin(st));
    area(st, "GM0001", 2020, WB_LEVEL_GEMEENTE);
    WB_PASS(wb_store_commit(st));
    WB_PASS(wb_store_level_means(st, &m, &n, WB_LEVEL_GEMEENTE, 2020));
    ASSERT(n == 0 && m == NULL);
    /* three values by hand: (1 + 2 + 4) / 3, a stored missing value left out */
    WB_PASS(wb_store_begin(st));
    int64_t w[4] = {area(st, "WK000001", 2021, WB_LEVEL_WIJK), area(st, "WK000002", 2021, WB_LEVEL_WIJK),
                    area(st, "WK000003", 2021, WB_LEVEL_WIJK), area(st, "WK000004", 2021, WB_LEVEL_WIJK)};
    WB_PASS(wb_store_obs_put(st, k[1], w[0], 2021, 1));
    WB_PASS(wb_store_obs_put(st, k[1], w[1], 2021, 2));
    WB_PASS(wb_store_obs_put(st, k[1], w[2], 2021, NAN));
    WB_PASS(wb_store_obs_put(st, k[1], w[3], 2021, 4));
    WB_PASS(wb_store_level_means(st, &m, &n, WB_LEVEL_WIJK, 2021)); /* inside the transaction */
    ASSERT_EQ_I(n, 1);
    ASSERT_EQ_I(m[0].indicator_id, k[1]);
    ASSERT_EQ_I(m[0].year, 2021);
    ASSERT(m[0].value == 7.0 / 3.0);
    wb_free(m);
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
}

TEST(store_query, level_means_fail_cleanly_without_memory)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k = sfix_indicator(st, "k0");
    for (int a = 0; a < 600; a++) {
        char code[16];
        snprintf(code, sizeof code, "BU%08d", a);
        int64_t id = area(st, code, 2020, WB_LEVEL_BUURT);
        for (int y = 2000; y < 2020; y++)
            WB_PASS(wb_store_obs_put(st, k, id, y, a + y));
    }
    WB_PASS(wb_store_commit(st));
    int failed = 0;
    for (long f = 0; f < 12; f++) {
        wb_obs_value *m = NULL;
        size_t n = 0;
        wb_alloc_fail_after(f);
        int rc = wb_store_level_means(st, &m, &n, WB_LEVEL_BUURT, 2020);
        wb_alloc_fail_after(-1);
        if (rc < 0) {
            ASSERT_EQ_I(rc, WB_ENOMEM);
            ASSERT(m == NULL && n == 0);
            failed++;
        } else {
            ASSERT_EQ_I(n, 20);
            ASSERT(m[0].value == 299.5 + 2000); /* mean of a + 2000 over a = 0..599 */
        }
        wb_free(m);
    }
    ASSERT(failed >= 2);
    wb_store_free(st);
}

/* The values of an area, of one indicator of it, single values and deletes. */
TEST(store_query, values_of_an_area)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k0 = sfix_indicator(st, "k0"), k1 = sfix_indicator(st, "k1");
    int64_t a = 0, b = 0;
    for (int i = 0; i < 300; i++) { /* the two areas in different chunks */
        char code[16];
        snprintf(code, sizeof code, "BU%08d", i);
        int64_t id = area(st, code, 2020, WB_LEVEL_BUURT);
        if (i == 3)
            a = id;
        if (i == 290)
            b = id;
    }
    WB_PASS(wb_store_obs_put(st, k1, a, 2019, 1.5));
    WB_PASS(wb_store_obs_put(st, k0, a, 2020, NAN));
    WB_PASS(wb_store_obs_put(st, k0, a, 2018, -2));
    WB_PASS(wb_store_obs_put(st, k1, a, 2017, 3));
    WB_PASS(wb_store_obs_put(st, k0, b, 2018, 9));
    wb_obs_value *v = NULL;
    size_t n = 0;
    WB_PASS(wb_store_area_values(st, &v, &n, a, 0)); /* flushes the buffer first */
    ASSERT_EQ_I(n, 4);
    ASSERT(v[0].indicator_id == k0 && v[0].year == 2018 && v[0].value == -2);
    ASSERT(v[1].indicator_id == k0 && v[1].year == 2020 && isnan(v[1].value));
    ASSERT(v[2].indicator_id == k1 && v[2].year == 2017 && v[2].value == 3);
    ASSERT(v[3].indicator_id == k1 && v[3].year == 2019 && v[3].value == 1.5);
    wb_free(v);
    WB_PASS(wb_store_area_values(st, &v, &n, a, k1));
    ASSERT_EQ_I(n, 2);
    ASSERT(v[0].year == 2017 && v[1].year == 2019);
    wb_free(v);
    WB_PASS(wb_store_area_values(st, &v, &n, b, 0));
    ASSERT(n == 1 && v[0].value == 9);
    wb_free(v);
    WB_PASS(wb_store_area_values(st, &v, &n, 123456, 0));
    ASSERT(n == 0 && v == NULL);
    double x;
    WB_PASS(wb_store_value_get(st, &x, k1, a, 2019));
    ASSERT(x == 1.5);
    WB_PASS(wb_store_value_get(st, &x, k0, a, 2020));
    ASSERT(isnan(x));
    WB_FAILS(WB_ENOTFOUND, wb_store_value_get(st, &x, k0, a, 2019));
    /* deleting k0 of area a leaves k1 of a and k0 of b */
    WB_PASS(wb_store_obs_delete(st, k0, a));
    WB_PASS(wb_store_commit(st));
    WB_PASS(wb_store_area_values(st, &v, &n, a, 0));
    ASSERT(n == 2 && v[0].indicator_id == k1 && v[1].indicator_id == k1);
    wb_free(v);
    WB_PASS(wb_store_value_get(st, &x, k0, b, 2018));
    ASSERT(x == 9);
    wb_store_free(st);
}

/* The boundary year with most values: per data year or over all, ties to the later year,
 * stored missing values not counted. */
TEST(store_query, boundary_year_with_most_values)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k = sfix_indicator(st, "k0");
    int64_t a16[3], a18[3];
    for (int i = 0; i < 3; i++) {
        char code[16];
        snprintf(code, sizeof code, "WK%06d", i);
        a16[i] = area(st, code, 2016, WB_LEVEL_WIJK);
        a18[i] = area(st, code, 2018, WB_LEVEL_WIJK);
    }
    /* 2012 data: 3 values on 2016 wijken, 2 (and a missing one) on 2018 wijken */
    for (int i = 0; i < 3; i++)
        WB_PASS(wb_store_obs_put(st, k, a16[i], 2012, i));
    WB_PASS(wb_store_obs_put(st, k, a18[0], 2012, 1));
    WB_PASS(wb_store_obs_put(st, k, a18[1], 2012, 1));
    WB_PASS(wb_store_obs_put(st, k, a18[2], 2012, NAN));
    /* 2018 data: 2 on each: the later boundary year wins */
    for (int i = 0; i < 2; i++) {
        WB_PASS(wb_store_obs_put(st, k, a16[i], 2018, i));
        WB_PASS(wb_store_obs_put(st, k, a18[i], 2018, i));
    }
    WB_PASS(wb_store_commit(st));
    int by;
    WB_PASS(wb_store_values_boundary_year(st, &by, k, WB_LEVEL_WIJK, 2012));
    ASSERT_EQ_I(by, 2016);
    WB_PASS(wb_store_values_boundary_year(st, &by, k, WB_LEVEL_WIJK, 2018));
    ASSERT_EQ_I(by, 2018);
    WB_PASS(wb_store_values_boundary_year(st, &by, k, WB_LEVEL_WIJK, 0)); /* 5 against 4 */
    ASSERT_EQ_I(by, 2016);
    WB_PASS(wb_store_values_boundary_year(st, &by, k, WB_LEVEL_BUURT, 0));
    ASSERT_EQ_I(by, 0);
    WB_PASS(wb_store_values_boundary_year(st, &by, k, WB_LEVEL_WIJK, 2013));
    ASSERT_EQ_I(by, 0);
    /* coverage: by level name, data year, boundary year; the missing value is a stored row */
    wb_coverage *c = NULL;
    size_t n = 0;
    WB_PASS(wb_store_indicator_coverage(st, &c, &n, k));
    ASSERT_EQ_I(n, 4);
    static const int want[4][3] = {{2012, 2016, 3}, {2012, 2018, 2}, {2018, 2016, 2}, {2018, 2018, 2}};
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ_I(c[i].level, WB_LEVEL_WIJK);
        ASSERT_EQ_I(c[i].year, want[i][0]);
        ASSERT_EQ_I(c[i].boundary_year, want[i][1]);
        ASSERT_EQ_I(c[i].n, want[i][2]);
    }
    wb_free(c);
    wb_store_free(st);
}

/* Indicators: by key only (aliases are not keys), by id, and defined as a catalogue does. */
TEST(store_query, indicators_by_key_id_and_definition)
{
    wb_store *st = sfix_fresh();
    wb_indicator d = {0};
    d.key = "g_woz";
    d.label_nl = "WOZ";
    d.unit = "x 1000 euro";
    d.direction = 1;
    d.dimension = "wonen";
    d.source = "CBS";
    WB_PASS(wb_store_indicator_define(st, &d, "woz|GemiddeldeWOZWaarde"));
    int64_t id, via;
    WB_PASS(wb_store_indicator_find(st, &id, "G_WOZ"));
    WB_FAILS(WB_ENOTFOUND, wb_store_indicator_find(st, &via, "woz"));
    WB_PASS(wb_store_indicator_resolve(st, &via, NULL, "gemiddeldewozwaarde"));
    ASSERT_EQ_I(via, id);
    wb_indicator *got = NULL;
    WB_PASS(wb_store_indicator_get(st, &got, id));
    ASSERT_EQ_S(got->key, "g_woz");
    ASSERT_EQ_S(got->unit, "x 1000 euro");
    ASSERT(got->label_en == NULL && got->aliases == NULL);
    ASSERT_EQ_I(got->direction, 1);
    wb_indicators_free(got, 1);
    WB_FAILS(WB_ENOTFOUND, wb_store_indicator_get(st, &got, id + 100));
    ASSERT(got == NULL);
    /* the same definition again changes no row */
    int before = sqlite3_total_changes(wb_store__db(st));
    WB_PASS(wb_store_indicator_define(st, &d, "woz|GemiddeldeWOZWaarde"));
    ASSERT_EQ_I(sqlite3_total_changes(wb_store__db(st)), before);
    /* a new definition replaces every field, NULL included, and moves an alias */
    int64_t other = sfix_indicator(st, "other");
    d.dimension = NULL;
    d.label_nl = "WOZ-waarde";
    WB_PASS(wb_store_indicator_define(st, &d, NULL));
    WB_PASS(wb_store_indicator_get(st, &got, id));
    ASSERT(got->dimension == NULL);
    ASSERT_EQ_S(got->label_nl, "WOZ-waarde");
    wb_indicators_free(got, 1);
    wb_indicator o = {0};
    o.key = "other";
    WB_PASS(wb_store_indicator_define(st, &o, "woz"));
    WB_PASS(wb_store_indicator_resolve(st, &via, NULL, "woz"));
    ASSERT_EQ_I(via, other);
    o.key = "";
    WB_FAILS(WB_EINVALID, wb_store_indicator_define(st, &o, NULL));
    wb_store_free(st);
}

TEST(store_query, label_sets_areas_and_deletes)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k = sfix_indicator(st, "k0");
    int64_t w = area(st, "WK000001", 2016, WB_LEVEL_WIJK), b1 = area(st, "BU00000101", 2016, WB_LEVEL_BUURT),
            b2 = area(st, "BU00000102", 2018, WB_LEVEL_BUURT);
    int64_t s1, s2;
    WB_PASS(wb_store_label_set_put(st, &s1, "zet", "de tweede"));
    WB_PASS(wb_store_label_set_put(st, &s2, "aandacht", NULL));
    WB_PASS(wb_store_label_add(st, s1, b1));
    WB_PASS(wb_store_label_add(st, s2, b1));
    WB_PASS(wb_store_label_add(st, s2, b2));
    WB_PASS(wb_store_obs_put(st, k, b1, 2016, 5));
    WB_PASS(wb_store_commit(st));
    wb_label_set *l = NULL;
    size_t n = 0;
    WB_PASS(wb_store_label_sets(st, &l, &n, 0));
    ASSERT_EQ_I(n, 2);
    ASSERT(!strcmp(l[0].name, "aandacht") && l[0].description == NULL && l[0].members == 2);
    ASSERT(!strcmp(l[1].name, "zet") && !strcmp(l[1].description, "de tweede") && l[1].members == 1);
    wb_label_sets_free(l, n);
    WB_PASS(wb_store_label_sets(st, &l, &n, b2));
    ASSERT(n == 1 && l[0].id == s2);
    wb_label_sets_free(l, n);
    /* the areas of a direct parent (CBS codes derive theirs): not deeper, as within is */
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.parent = "WK000001";
    wb_area *areas = NULL;
    WB_PASS(wb_store_areas(st, &areas, &n, &q));
    ASSERT(n == 2 && !strcmp(areas[0].code, "BU00000101") && !strcmp(areas[1].code, "BU00000102"));
    wb_areas_free(areas, n);
    q.year = 2018;
    WB_PASS(wb_store_areas(st, &areas, &n, &q));
    ASSERT(n == 1 && areas[0].id == b2);
    wb_areas_free(areas, n);
    q.year = 0;
    q.parent = "GM0000";
    WB_PASS(wb_store_areas(st, &areas, &n, &q));
    ASSERT(n == 1 && areas[0].id == w);
    wb_areas_free(areas, n);
    int y;
    WB_PASS(wb_store_area_latest_year(st, &y, WB_LEVEL_BUURT));
    ASSERT_EQ_I(y, 2018);
    WB_PASS(wb_store_area_latest_year(st, &y, WB_LEVEL_WIJK));
    ASSERT_EQ_I(y, 2016);
    WB_PASS(wb_store_area_latest_year(st, &y, WB_LEVEL_GEMEENTE));
    ASSERT_EQ_I(y, 0);
    WB_PASS(wb_store_area_latest_year(st, &y, WB_LEVEL__MAX));
    ASSERT_EQ_I(y, 2018);
    /* deleting an area takes its values and memberships; the id is not handed out again */
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, b1, 2017, 6)); /* buffered: deleted too */
    WB_PASS(wb_store_area_delete(st, b1));
    WB_PASS(wb_store_area_delete(st, 99999)); /* none: fine */
    int64_t again;
    WB_PASS(wb_store_area_put(st, &again, "BU00000101", 2016, WB_LEVEL_BUURT, NULL, NULL));
    ASSERT(again != b1);
    WB_PASS(wb_store_commit(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 0);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM label_member"), 1);
    wb_store_free(st);
}

/* A snapshot sees the store as it was at its first read, while another connection commits;
 * a write transaction cannot begin inside it. */
TEST(store_query, snapshot_and_bulk_mode)
{
    const char *path = wbt_tmp("snap.db");
    wb_store *w = NULL, *r = NULL;
    WB_PASS(wb_store_open(&w, path, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(w));
    area(w, "WK000001", 2016, WB_LEVEL_WIJK);
    WB_PASS(wb_store_commit(w));
    WB_PASS(wb_store_open(&r, path, WB_STORE_READONLY));
    WB_PASS(wb_store_snapshot_begin(r));
    WB_FAILS(WB_ESTORE, wb_store_snapshot_begin(r));
    WB_FAILS(WB_ESTORE, wb_store_begin(r));
    int y;
    WB_PASS(wb_store_area_latest_year(r, &y, WB_LEVEL_WIJK));
    ASSERT_EQ_I(y, 2016);
    WB_PASS(wb_store_begin(w));
    area(w, "WK000001", 2020, WB_LEVEL_WIJK);
    WB_PASS(wb_store_commit(w));
    WB_PASS(wb_store_area_latest_year(r, &y, WB_LEVEL_WIJK));
    ASSERT_EQ_I(y, 2016);
    wb_store_snapshot_end(r);
    wb_store_snapshot_end(r); /* again: nothing */
    WB_PASS(wb_store_area_latest_year(r, &y, WB_LEVEL_WIJK));
    ASSERT_EQ_I(y, 2020);
    /* bulk mode: a 16 MiB page cache, and back to what it was */
    long long cache = sfix_count(w, "PRAGMA cache_size");
    WB_PASS(wb_store_bulk_begin(w));
    WB_PASS(wb_store_bulk_begin(w));
    ASSERT_EQ_I(sfix_count(w, "PRAGMA cache_size"), -16384);
    wb_store_bulk_end(w);
    ASSERT_EQ_I(sfix_count(w, "PRAGMA cache_size"), cache);
    ASSERT_EQ_I(wb_store_in_transaction(w), 0);
    WB_PASS(wb_store_begin(w));
    ASSERT_EQ_I(wb_store_in_transaction(w), 1);
    WB_PASS(wb_store_rollback(w));
    wb_store_free(r);
    wb_store_free(w);
}
