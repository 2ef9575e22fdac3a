/**
 * @file
 * @brief Online backup (wb_store_backup, `wijkbeeld backup FILE`): a copy taken while another
 * connection keeps writing is consistent (every transaction is in it whole or not at all),
 * passes SQLite's integrity check, opens as a store, and is private (0600).
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

typedef struct {
    const char *path;
    volatile int stop;
    long committed;
} writer_arg;

/* Keep writing pairs (i, -i), one pair per transaction, until told to stop. */
static void *writer(void *p)
{
    writer_arg *w = p;
    sqlite3 *db = NULL;
    if (sqlite3_open(w->path, &db) != SQLITE_OK)
        return NULL;
    sqlite3_busy_timeout(db, 5000);
    for (long i = 1; !w->stop; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; INSERT INTO pairs VALUES (%ld); INSERT INTO pairs VALUES (%ld); COMMIT",
                 i, -i);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
            break;
        w->committed = i;
    }
    sqlite3_close(db);
    return NULL;
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    ASSERT_MSG(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    ASSERT(sqlite3_step(s) == SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

TEST(store_backup, copy_during_writes_is_consistent_and_private)
{
    const char *src = wbt_tmp("live.db");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, src, WB_STORE_CREATE));
    wb_store_free(st);
    sqlite3 *db = NULL;
    ASSERT(sqlite3_open(src, &db) == SQLITE_OK);
    /* some bulk so that a copy takes a while: 20,000 rows of 200 bytes */
    ASSERT(sqlite3_exec(db, "CREATE TABLE pairs (v INTEGER); CREATE TABLE bulk (b BLOB);"
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
                            "INSERT INTO bulk SELECT randomblob(200) FROM n",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);

    writer_arg w = {src, 0, 0};
    pthread_t th;
    ASSERT(pthread_create(&th, NULL, writer, &w) == 0);
    while (w.committed < 50)
        usleep(1000);
    umask(022);
    WB_PASS(wb_store_open(&st, src, 0));
    const char *copy = wbt_tmp("copy.db");
    for (int k = 0; k < 5; k++) /* several copies while the writer goes on; the last one stays */
        WB_PASS(wb_store_backup(st, copy));
    wb_store_free(st);
    w.stop = 1;
    pthread_join(th, NULL);
    ASSERT_MSG(w.committed > 50, "the writer stopped after %ld transactions", w.committed);

    struct stat sb;
    ASSERT(stat(copy, &sb) == 0);
    ASSERT_MSG((sb.st_mode & 0777) == 0600, "the copy has mode %03o", (unsigned)(sb.st_mode & 0777));
    ASSERT(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_stmt *s = NULL;
    ASSERT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK);
    ASSERT(sqlite3_step(s) == SQLITE_ROW);
    ASSERT_EQ_S((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    long long n = one(db, "SELECT count(*) FROM pairs"), sum = one(db, "SELECT total(v) FROM pairs");
    long long maxv = one(db, "SELECT max(v) FROM pairs");
    ASSERT_EQ_I(one(db, "SELECT count(*) FROM bulk"), 20000);
    sqlite3_close(db);
    /* whole transactions only: every i with its -i, and the pairs 1..max without a gap */
    ASSERT_MSG(n % 2 == 0 && sum == 0, "%lld rows summing to %lld: a torn transaction", n, sum);
    ASSERT_EQ_I(n, 2 * maxv);
    ASSERT_MSG(maxv >= 50 && maxv <= w.committed, "the copy has %lld pairs, %ld were committed", maxv, w.committed);
    /* the copy is a store */
    WB_PASS(wb_store_open(&st, copy, WB_STORE_READONLY));
    ASSERT_EQ_I(wb_store_schema_version(st), WB_STORE_SCHEMA_VERSION);
    wb_store_free(st);
}

TEST(store_backup, command_and_refusals)
{
    wbt_write(wbt_tmp("good.csv"), "code,year,a_inw\nGM0363,2019,862965\n");
    wbt_run_result r = wbt_run(NULL, "--db t.db import csv good.csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db backup b.db");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_MSG(strstr(r.out, "backed up t.db to b.db"), "%s", r.out);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db b.db export values --indicator a_inw --year 2019 --level gemeente --format csv");
    ASSERT_MSG(r.status == 0 && strstr(r.out, "GM0363") && strstr(r.out, "862965"), "%s%s", r.out, r.err);
    wbt_run_free(&r);
    /* a directory that does not exist: one clear line, nothing left behind */
    r = wbt_run(NULL, "--db t.db backup no/such/dir/b.db");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT_MSG(strstr(r.err, "no/such/dir/b.db"), "%s", r.err);
    wbt_run_free(&r);
    /* the copy onto the store itself is refused */
    r = wbt_run(NULL, "--db t.db backup t.db");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_MSG(strstr(r.err, "is the store itself"), "%s", r.err);
    wbt_run_free(&r);
}
