/** @file @brief Observations in chunks (src/store/obs.c): round trips across chunks, the
 *  `observation` virtual table, buffered writes and transactions, deletes of areas and
 *  indicators, id checks, limits, corrupt rows, and the migration of version-1 and -2 stores.
 *  Every expected number is derived in the test from the values it writes. */
#include <stdlib.h>

#include "store/schema.h"
#include "store/sfix.h"
#include "store/store_internal.h"
#include "test.h"

static double real(wb_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, sql));
    double v = NAN;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int sql(wb_store *st, const char *text)
{
    return sqlite3_exec(wb_store__db(st), text, NULL, NULL, NULL);
}

/* A deterministic value of (area index, year, indicator index); every 17th is missing. */
static double val(int a, int y, int k)
{
    if ((a + 3 * y + 5 * k) % 17 == 0)
        return NAN;
    return a * 0.5 - y + k * 1000.25;
}

/* 700 areas (three chunks of 248 and a part), 2 indicators, 3 years: written, read back
 * through wb_store_values (with and without missing) and through SQL. */
TEST(store_obs, values_round_trip_across_chunks)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k0 = sfix_indicator(st, "k0"), k1 = sfix_indicator(st, "k1");
    enum { NA = 700 };
    int64_t ids[NA];
    for (int a = 0; a < NA; a++) {
        char code[16];
        snprintf(code, sizeof code, "BU%08d", a);
        WB_PASS(wb_store_area_put(st, &ids[a], code, 2020, WB_LEVEL_BUURT, NULL, NULL));
    }
    size_t nmiss = 0;
    for (int y = 2018; y <= 2020; y++)
        for (int a = 0; a < NA; a++)
            for (int k = 0; k < 2; k++) {
                double v = val(a, y, k);
                nmiss += isnan(v);
                WB_PASS(wb_store_obs_put(st, k ? k1 : k0, ids[a], y, v));
            }
    WB_PASS(wb_store_commit(st));
    ASSERT(ids[NA - 1] / WB_OBS_CHUNK >= 2); /* the areas span at least three chunks */
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 3 * NA * 2);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE value IS NULL"), (long long)nmiss);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE value = 0"), 0);
    /* one row per (chunk, indicator, year) */
    long long chunks = ids[NA - 1] / WB_OBS_CHUNK - ids[0] / WB_OBS_CHUNK + 1;
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM obs_chunk"), chunks * 2 * 3);

    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = "k1";
    q.year = 2019;
    wb_value *v = NULL;
    size_t n = 0, missing = 0;
    WB_PASS(wb_store_values(st, &v, &n, &missing, &q));
    size_t want_miss = 0;
    for (int a = 0; a < NA; a++)
        want_miss += isnan(val(a, 2019, 1));
    ASSERT_EQ_I(n + missing, NA);
    ASSERT_EQ_I(missing, want_miss);
    for (size_t i = 1; i < n; i++)
        ASSERT(strcmp(v[i - 1].code, v[i].code) < 0); /* ordered by code */
    for (size_t i = 0; i < n; i++) {
        int a = atoi(v[i].code + 2);
        ASSERT_CLOSE(v[i].value, val(a, 2019, 1), 0);
        ASSERT_EQ_I(v[i].year, 2019);
        ASSERT_EQ_I(v[i].boundary_year, 2020);
    }
    wb_free(v);
    q.with_missing = 1;
    q.year = 0;
    q.code = "BU00000300";
    WB_PASS(wb_store_values(st, &v, &n, &missing, &q));
    ASSERT_EQ_I(n, 3);
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ_I(v[i].year, 2018 + (int)i);
        ASSERT_CLOSE(v[i].value, val(300, 2018 + (int)i, 1), 0);
    }
    wb_free(v);
    wb_store_free(st);
}

/* Joins that ask the virtual table for one area at a time (the nested loops of the
 * dashboard's map and level means, served from the cursor's cached rows) give what was
 * written: sums over 700 areas in three chunks, by indicator and year. */
TEST(store_obs, joins_by_area_give_the_written_values)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k[2] = {sfix_indicator(st, "k0"), sfix_indicator(st, "k1")};
    enum { NA = 700 };
    for (int a = 0; a < NA; a++) {
        char code[16];
        int64_t id;
        snprintf(code, sizeof code, "BU%08d", a);
        WB_PASS(wb_store_area_put(st, &id, code, 2020, WB_LEVEL_BUURT, NULL, NULL));
        for (int y = 2018; y <= 2020; y++)
            for (int j = 0; j < 2; j++)
                WB_PASS(wb_store_obs_put(st, k[j], id, y, val(a, y, j)));
    }
    WB_PASS(wb_store_commit(st));
    for (int j = 0; j < 2; j++)
        for (int y = 2018; y <= 2020; y++) {
            double sum = 0;
            long long n = 0;
            for (int a = 0; a < NA; a++)
                if (!isnan(val(a, y, j))) {
                    sum += val(a, y, j);
                    n++;
                }
            char q[400];
            /* one indicator and year per area (the map) */
            snprintf(q, sizeof q, "SELECT count(o.value) FROM area a JOIN observation o ON o.area_id = a.id "
                                  "WHERE a.level = 'buurt' AND a.year = 2020 AND o.indicator_id = %lld AND o.year = %d",
                     (long long)k[j], y);
            ASSERT_EQ_I(sfix_count(st, q), n);
            snprintf(q, sizeof q, "SELECT sum(o.value) FROM area a JOIN observation o ON o.area_id = a.id "
                                  "WHERE a.level = 'buurt' AND a.year = 2020 AND o.indicator_id = %lld AND o.year = %d",
                     (long long)k[j], y);
            ASSERT_CLOSE(real(st, q), sum, 1e-6);
            /* every value of every area (the level means), grouped */
            snprintf(q, sizeof q, "SELECT s FROM (SELECT o.indicator_id i, o.year y, sum(o.value) s, count(o.value) n "
                                  "FROM area a JOIN observation o ON o.area_id = a.id WHERE a.level = 'buurt' AND "
                                  "a.year = 2020 GROUP BY o.indicator_id, o.year) WHERE i = %lld AND y = %d AND n = %lld",
                     (long long)k[j], y, n);
            ASSERT_CLOSE(real(st, q), sum, 1e-6);
        }
    /* the same areas read through two cursors in one statement */
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM area a JOIN observation o ON o.area_id = a.id "
                          "JOIN observation p ON p.area_id = a.id AND p.indicator_id = o.indicator_id AND p.year = o.year "
                          "WHERE a.year = 2020 AND o.value IS p.value"),
                NA * 6);
    wb_store_free(st);
}

/* A join that asks twice in a row for areas of a chunk without any stored row (areas of a
 * level that has no values, such as boundaries imported without data) answers nothing; it
 * used to crash while caching the empty chunk. */
TEST(store_obs, joins_over_areas_without_values_answer_nothing)
{
    wb_store *st = sfix_fresh();
    WB_PASS(wb_store_begin(st));
    int64_t k = sfix_indicator(st, "k0"), id = 0;
    /* ids 1..300: the wijken, the first chunk has no row; the one value is in the second */
    for (int a = 0; a < 300; a++) {
        char code[16];
        snprintf(code, sizeof code, "WK%06d", a);
        WB_PASS(wb_store_area_put(st, &id, code, 2014, WB_LEVEL_WIJK, NULL, NULL));
    }
    WB_PASS(wb_store_area_put(st, &id, "BU00000000", 2016, WB_LEVEL_BUURT, NULL, NULL));
    ASSERT(id > WB_OBS_CHUNK);
    WB_PASS(wb_store_obs_put(st, k, id, 2016, 1.5));
    WB_PASS(wb_store_commit(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM area a JOIN observation o ON o.area_id = a.id "
                          "WHERE a.level = 'wijk' AND a.year = 2014"),
                0);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM area a JOIN observation o ON o.area_id = a.id"), 1);
    wb_store_free(st);
}

/* A value written again replaces the first; missing replaces a number and back. */
TEST(store_obs, rewriting_replaces_and_missing_stays_missing)
{
    wb_store *st = sfix_fresh();
    int64_t k = sfix_indicator(st, "k"), a;
    WB_PASS(wb_store_area_put(st, &a, "GM0363", 2020, WB_LEVEL_GEMEENTE, NULL, NULL));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, 1.5)); /* outside a transaction: written at once */
    ASSERT_EQ_I(wb_obs__pending(wb_store__obs(st)), 0);
    ASSERT_CLOSE(real(st, "SELECT value FROM observation"), 1.5, 0);
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, NAN));
    WB_PASS(wb_store_commit(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE value IS NULL"), 1);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 1);
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, 2.5));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, -0.0));
    WB_PASS(wb_store_commit(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 1);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE value = 0"), 1);
    wb_store_free(st);
}

/* The virtual table: reads by area (ordered by indicator and year without a sort), by
 * indicator and year, writes with INSERT (replacing), UPDATE and DELETE, and refuses what the
 * version-1 table refused through its types and foreign keys. */
TEST(store_obs, observation_table_reads_and_writes)
{
    wb_store *st = sfix_fresh();
    int64_t k1 = sfix_indicator(st, "k1"), k2 = sfix_indicator(st, "k2"), a, b;
    WB_PASS(wb_store_area_put(st, &a, "WK036300", 2016, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_area_put(st, &b, "WK036301", 2016, WB_LEVEL_WIJK, NULL, NULL));
    char q[256];
    snprintf(q, sizeof q,
             "INSERT INTO observation(indicator_id, area_id, year, value) VALUES "
             "(%lld,%lld,2016,3),(%lld,%lld,2014,1),(%lld,%lld,2012,NULL),(%lld,%lld,2016,7)",
             (long long)k2, (long long)a, (long long)k1, (long long)a, (long long)k2, (long long)a, (long long)k1,
             (long long)b);
    ASSERT_EQ_I(sql(st, q), SQLITE_OK);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 4);
    /* by area, in (indicator, year) order */
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, "SELECT indicator_id, year, value FROM observation WHERE area_id = ?1 "
                                      "ORDER BY indicator_id, year"));
    sqlite3_bind_int64(s, 1, a);
    int64_t want_ind[] = {k1, k2, k2};
    int want_year[] = {2014, 2012, 2016};
    int i = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        ASSERT(i < 3);
        ASSERT_EQ_I(sqlite3_column_int64(s, 0), want_ind[i]);
        ASSERT_EQ_I(sqlite3_column_int(s, 1), want_year[i]);
        ASSERT_EQ_I(sqlite3_column_type(s, 2) == SQLITE_NULL, i == 1);
        i++;
    }
    ASSERT_EQ_I(i, 3);
    sqlite3_finalize(s);
    /* the plan of a profile: the area's chunk, no sorting */
    WB_PASS(wb_store__prepare(st, &s, "EXPLAIN QUERY PLAN SELECT indicator_id, year, value FROM observation "
                                      "WHERE area_id = 1 ORDER BY indicator_id, year"));
    int sorts = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
        sorts += strstr((const char *)sqlite3_column_text(s, 3), "TEMP B-TREE") != NULL;
    sqlite3_finalize(s);
    ASSERT_EQ_I(sorts, 0);
    /* by indicator and year, joined with the areas */
    snprintf(q, sizeof q, "SELECT count(*) FROM observation o JOIN area x ON x.id = o.area_id "
                          "WHERE o.indicator_id = %lld AND o.year = 2016", (long long)k1);
    ASSERT_EQ_I(sfix_count(st, q), 1);
    /* INSERT replaces, UPDATE changes, DELETE removes */
    snprintf(q, sizeof q, "INSERT INTO observation VALUES (%lld, %lld, 2016, 8)", (long long)k1, (long long)b);
    ASSERT_EQ_I(sql(st, q), SQLITE_OK);
    snprintf(q, sizeof q, "SELECT value FROM observation WHERE area_id = %lld AND indicator_id = %lld", (long long)b,
             (long long)k1);
    ASSERT_CLOSE(real(st, q), 8, 0);
    ASSERT_EQ_I(sql(st, "UPDATE observation SET value = value * 2 WHERE year = 2016"), SQLITE_OK);
    ASSERT_CLOSE(real(st, q), 16, 0);
    snprintf(q, sizeof q, "SELECT value FROM observation WHERE area_id = %lld AND year = 2016", (long long)a);
    ASSERT_CLOSE(real(st, q), 6, 0);
    ASSERT_EQ_I(sql(st, "UPDATE observation SET year = 2015 WHERE year = 2014"), SQLITE_OK);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE year = 2015"), 1);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE year = 2014"), 0);
    ASSERT_EQ_I(sql(st, "DELETE FROM observation WHERE value IS NULL"), SQLITE_OK);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 3);
    /* refused: an area or indicator that does not exist, text values, impossible years */
    snprintf(q, sizeof q, "INSERT INTO observation VALUES (%lld, 999, 2016, 1)", (long long)k1);
    ASSERT(sql(st, q) != SQLITE_OK);
    ASSERT(strstr(sqlite3_errmsg(wb_store__db(st)), "area id 999") != NULL);
    snprintf(q, sizeof q, "INSERT INTO observation VALUES (999, %lld, 2016, 1)", (long long)a);
    ASSERT(sql(st, q) != SQLITE_OK);
    snprintf(q, sizeof q, "INSERT INTO observation VALUES (%lld, %lld, 2016, 'veel')", (long long)k1, (long long)a);
    ASSERT(sql(st, q) != SQLITE_OK);
    snprintf(q, sizeof q, "INSERT INTO observation VALUES (%lld, %lld, 0, 1)", (long long)k1, (long long)a);
    ASSERT(sql(st, q) != SQLITE_OK);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 3);
    wb_store_free(st);
}

/* Buffered values: raw SQL sees them (the handle flushes), a rollback forgets them, and a
 * COMMIT that bypasses the store while values are still buffered is turned into a rollback
 * instead of losing them silently. */
TEST(store_obs, buffered_values_and_transactions)
{
    wb_store *st = sfix_fresh();
    int64_t k = sfix_indicator(st, "k"), a;
    WB_PASS(wb_store_area_put(st, &a, "GM0363", 2020, WB_LEVEL_GEMEENTE, NULL, NULL));
    sqlite3 *db = wb_store__db(st);
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, 4));
    ASSERT_EQ_I(wb_obs__pending(wb_store__obs(st)), 1);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM obs_chunk"), 0); /* not yet in the table */
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 1); /* the virtual table flushes */
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM obs_chunk"), 1);
    WB_PASS(wb_store_rollback(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 0);

    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, a, 2021, 5));
    ASSERT(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK); /* db taken before the put */
    ASSERT_EQ_I(wb_obs__pending(wb_store__obs(st)), 0);
    WB_PASS(wb_store_rollback(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 0);

    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, a, 2022, 6));
    WB_PASS(wb_store_commit(st));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE year = 2022 AND value = 6"), 1);
    wb_store_free(st);
}

/* Ids are checked like foreign keys: a value for an area or indicator that does not exist
 * fails (at once outside a transaction, at the commit inside one, leaving nothing). */
TEST(store_obs, values_for_missing_ids_fail)
{
    wb_store *st = sfix_fresh();
    int64_t k = sfix_indicator(st, "k"), a;
    WB_PASS(wb_store_area_put(st, &a, "GM0363", 2020, WB_LEVEL_GEMEENTE, NULL, NULL));
    WB_FAILS(WB_ENOTFOUND, wb_store_obs_put(st, k, a + 1, 2020, 1));
    ASSERT(strstr(wb_error_last()->message, "does not exist") != NULL);
    WB_FAILS(WB_ENOTFOUND, wb_store_obs_put(st, k + 1, a, 2020, 1));
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, 1));
    WB_PASS(wb_store_obs_put(st, k, a + 7, 2020, 1));
    WB_FAILS(WB_ENOTFOUND, wb_store_commit(st));
    ASSERT(strstr(wb_error_last()->message, "commit failed") != NULL);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 0);
    /* limits of the packed keys */
    WB_FAILS(WB_EINVALID, wb_store_obs_put(st, k, a, 0, 1));
    WB_FAILS(WB_EINVALID, wb_store_obs_put(st, k, a, 4096, 1));
    WB_FAILS(WB_EINVALID, wb_store_obs_put(st, (int64_t)WB_OBS_MAX_INDICATOR + 1, a, 2020, 1));
    WB_FAILS(WB_EINVALID, wb_store_obs_put(st, k, WB_OBS_MAX_AREA + 1, 2020, 1));
    WB_FAILS(WB_EINVALID, wb_store_obs_put(st, k, 0, 2020, 1));
    wb_store_free(st);
}

/* Deleting an area deletes its values (the trigger replaces ON DELETE CASCADE): a new area
 * that gets the freed row id starts without values. Deleting an indicator drops its rows. */
TEST(store_obs, deleting_areas_and_indicators_deletes_their_values)
{
    wb_store *st = sfix_fresh();
    int64_t k = sfix_indicator(st, "k"), k2 = sfix_indicator(st, "k2"), a, b;
    WB_PASS(wb_store_area_put(st, &a, "WK036300", 2016, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_area_put(st, &b, "WK036301", 2016, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_begin(st));
    for (int y = 2010; y < 2015; y++) {
        WB_PASS(wb_store_obs_put(st, k, a, y, y));
        WB_PASS(wb_store_obs_put(st, k, b, y, -y));
        WB_PASS(wb_store_obs_put(st, k2, b, y, y * 2));
    }
    WB_PASS(wb_store_commit(st));
    char q[160];
    snprintf(q, sizeof q, "DELETE FROM area WHERE id = %lld", (long long)b);
    ASSERT_EQ_I(sql(st, q), SQLITE_OK);
    wb_store__cache_clear(st);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 5);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM obs_chunk"), 5); /* k2's rows held only b */
    int64_t c;
    WB_PASS(wb_store_area_put(st, &c, "WK036302", 2016, WB_LEVEL_WIJK, NULL, NULL));
    ASSERT_EQ_I(c, b); /* SQLite gives the largest free row id again */
    snprintf(q, sizeof q, "SELECT count(*) FROM observation WHERE area_id = %lld", (long long)c);
    ASSERT_EQ_I(sfix_count(st, q), 0);
    ASSERT_EQ_I(sql(st, "DELETE FROM indicator WHERE key = 'k'"), SQLITE_OK);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), 0);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM obs_chunk"), 0);
    wb_store_free(st);
}

/* A damaged row is reported, not read past its end. */
TEST(store_obs, corrupt_rows_are_reported)
{
    wb_store *st = sfix_fresh();
    int64_t k = sfix_indicator(st, "k"), a;
    WB_PASS(wb_store_area_put(st, &a, "GM0363", 2020, WB_LEVEL_GEMEENTE, NULL, NULL));
    WB_PASS(wb_store_obs_put(st, k, a, 2020, 1));
    /* the bitmap claims two values, the blob holds one */
    ASSERT_EQ_I(sql(st, "UPDATE obs_chunk SET data = x'0600000000000000000000000000000000000000000000000000000000000000"
                        "000000000000f03f'"),
                SQLITE_OK);
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, "SELECT count(*) FROM observation"));
    ASSERT(sqlite3_step(s) != SQLITE_ROW);
    sqlite3_finalize(s);
    ASSERT(strstr(sqlite3_errmsg(wb_store__db(st)), "corrupt observation row") != NULL);
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = "k";
    wb_value *v = NULL;
    size_t n;
    ASSERT(wb_store_values(st, &v, &n, NULL, &q) < 0);
    wb_store_free(st);
}

/* Version-1 and version-2 stores move their observations into chunks on opening: values,
 * missing values and every key survive; rows of areas or indicators that no longer exist
 * (possible in version 1 with foreign keys off) are dropped; the old table is gone. */
static void migrate_from(int version)
{
    const char *path = wbt_tmp(version == 1 ? "v1.db" : "v2.db");
    sqlite3 *db = NULL;
    ASSERT(sqlite3_open(path, &db) == SQLITE_OK);
    for (int v = 0; v < version; v++)
        ASSERT(sqlite3_exec(db, wb_migrations[v], NULL, NULL, NULL) == SQLITE_OK);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
    ASSERT(sqlite3_exec(db, pragma, NULL, NULL, NULL) == SQLITE_OK);
    ASSERT(sqlite3_exec(db, "BEGIN; INSERT INTO indicator(key) VALUES ('k1'), ('k2');", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_stmt *s = NULL;
    ASSERT(sqlite3_prepare_v2(db, "INSERT INTO area(code, year, level) VALUES (?1, 2016, 'buurt')", -1, &s, NULL) ==
           SQLITE_OK);
    for (int a = 0; a < 600; a++) {
        char code[16];
        snprintf(code, sizeof code, "BU%08d", a);
        sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
        ASSERT(sqlite3_step(s) == SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    ASSERT(sqlite3_prepare_v2(db, "INSERT INTO observation(indicator_id, area_id, year, value) VALUES (?1,?2,?3,?4)",
                              -1, &s, NULL) == SQLITE_OK);
    double sum = 0;
    long long nnull = 0, n = 0;
    for (int k = 1; k <= 2; k++)
        for (int a = 1; a <= 600; a++)
            for (int y = 2014; y <= 2016; y += k) {
                double v = val(a, y, k);
                sqlite3_bind_int(s, 1, k);
                sqlite3_bind_int(s, 2, a);
                sqlite3_bind_int(s, 3, y);
                if (isnan(v))
                    sqlite3_bind_null(s, 4);
                else
                    sqlite3_bind_double(s, 4, v);
                ASSERT(sqlite3_step(s) == SQLITE_DONE);
                sqlite3_reset(s);
                n++;
                nnull += isnan(v);
                sum += isnan(v) ? 0 : v;
            }
    /* orphans: an area and an indicator that do not exist (foreign keys are off here) */
    sqlite3_bind_int(s, 1, 1);
    sqlite3_bind_int(s, 2, 5000);
    sqlite3_bind_int(s, 3, 2016);
    sqlite3_bind_double(s, 4, 1);
    ASSERT(sqlite3_step(s) == SQLITE_DONE);
    sqlite3_reset(s);
    sqlite3_bind_int(s, 1, 9);
    sqlite3_bind_int(s, 2, 1);
    ASSERT(sqlite3_step(s) == SQLITE_DONE);
    sqlite3_finalize(s);
    ASSERT(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);

    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, 0));
    ASSERT_EQ_I(wb_store_schema_version(st), WB_STORE_SCHEMA_VERSION);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM sqlite_master WHERE name IN ('observation', 'observation_area')"),
                0);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), n);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE value IS NULL"), nnull);
    ASSERT_CLOSE(real(st, "SELECT sum(value) FROM observation"), sum, 1e-6);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE indicator_id = 2 AND year = 2015"), 0);
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation WHERE indicator_id = 2 AND year = 2016"), 600);
    ASSERT_CLOSE(real(st, "SELECT value FROM observation WHERE area_id = 421 AND indicator_id = 1 AND year = 2015"),
                 val(421, 2015, 1), 0);
    wb_store_free(st);
    /* opened again: nothing left to migrate */
    WB_PASS(wb_store_open(&st, path, WB_STORE_READONLY));
    ASSERT_EQ_I(sfix_count(st, "SELECT count(*) FROM observation"), n);
    wb_store_free(st);
}

TEST(store_obs, migrates_a_version_1_store)
{
    migrate_from(1);
}

TEST(store_obs, migrates_a_version_2_store)
{
    migrate_from(2);
}

/* A data year the chunks cannot hold stops the migration, which leaves the file at its old
 * version. */
TEST(store_obs, migration_refuses_impossible_years)
{
    const char *path = wbt_tmp("v1y.db");
    sqlite3 *db = NULL;
    ASSERT(sqlite3_open(path, &db) == SQLITE_OK);
    ASSERT(sqlite3_exec(db, wb_migrations[0], NULL, NULL, NULL) == SQLITE_OK);
    ASSERT(sqlite3_exec(db, "PRAGMA user_version = 1; INSERT INTO indicator(key) VALUES ('k');"
                            "INSERT INTO area(code, year, level) VALUES ('GM0363', 2020, 'gemeente');"
                            "INSERT INTO observation VALUES (1, 1, 20200, 1);",
                        NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    wb_store *st = NULL;
    WB_FAILS(WB_ESTORE, wb_store_open(&st, path, 0));
    ASSERT(strstr(wb_error_last()->message, "data year 20200") != NULL);
    ASSERT(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_stmt *s = NULL;
    ASSERT(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK);
    ASSERT(sqlite3_step(s) == SQLITE_ROW);
    ASSERT(sqlite3_column_int(s, 0) < 3);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* A failed import that had already written part of its values (buffer limit lowered to one
 * row) leaves the database file byte for byte as it was. */
TEST(store_obs, failed_import_after_partial_writes_leaves_the_file_unchanged)
{
    size_t limit = wb_obs__flush_bytes;
    const char *db = wbt_tmp("p.db"), *csv = wbt_tmp("p.csv");
    FILE *f = fopen(csv, "w");
    ASSERT(f != NULL);
    fputs("code,year,a\n", f);
    for (int i = 0; i < 2000; i++)
        fprintf(f, "BU%08d,2020,%d\n", i, i);
    fclose(f);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_CREATE));
    WB_PASS(wb_import_csv(st, NULL, csv, NULL));
    wb_store_free(st);
    size_t len;
    char *before = wbt_slurp(db, &len);
    ASSERT(before != NULL);
    f = fopen(csv, "w");
    fputs("code,year,a\n", f);
    for (int i = 0; i < 3000; i++)
        fprintf(f, "BU%08d,2021,%d\n", i, i);
    fputs("BU00009999,2021,x1\n", f); /* the last line is malformed */
    fclose(f);
    wb_obs__flush_bytes = 1;
    WB_PASS(wb_store_open(&st, db, 0));
    WB_FAILS(WB_EPARSE, wb_import_csv(st, NULL, csv, NULL));
    wb_store_free(st);
    wb_obs__flush_bytes = limit;
    size_t len2;
    char *after = wbt_slurp(db, &len2);
    ASSERT(after != NULL);
    ASSERT_EQ_I(len2, len);
    ASSERT(memcmp(before, after, len) == 0);
    free(before);
    free(after);
}
