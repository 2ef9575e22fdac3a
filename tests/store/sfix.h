/** @file @brief Helpers of the store tests: a fresh in-memory store, a count by SQL, a bare
 *  indicator. */
#ifndef WB_TESTS_STORE_SFIX_H
#define WB_TESTS_STORE_SFIX_H

#include <stdint.h>

#include "wijkbeeld.h"

/** A new empty in-memory store (the test fails when it cannot be opened). */
wb_store *sfix_fresh(void);
/** The first column of the first row of @p sql as an integer; -1 without a row. */
long long sfix_count(wb_store *st, const char *sql);
/** The row id of a new indicator with only a key. */
int64_t sfix_indicator(wb_store *st, const char *key);

#endif
