/** @file @brief Helpers of the store tests (sfix.h). */
#include "store/sfix.h"

#include "store/store_internal.h"
#include "test.h"

wb_store *sfix_fresh(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    return st;
}

long long sfix_count(wb_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, sql));
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

int64_t sfix_indicator(wb_store *st, const char *key)
{
    wb_indicator ind = {0};
    ind.key = (char *)key;
    int64_t id;
    WB_PASS(wb_store_indicator_put(st, &id, &ind));
    return id;
}
