/** @file @brief Helpers shared by the files of the register's SQLite storage (store-private). */
#ifndef WB_STORE_REGISTER_INTERNAL_H
#define WB_STORE_REGISTER_INTERNAL_H

#include <sqlite3.h>

#include "store/register.h"
#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

/** Bind text; NULL or "" bind SQL NULL. */
void wb_reg__bind_opt(sqlite3_stmt *s, int i, const char *t);
/** Bind text as is (NULL binds NULL). */
void wb_reg__bind_text(sqlite3_stmt *s, int i, const char *t);
/** Bind an id; 0 binds NULL. */
void wb_reg__bind_id(sqlite3_stmt *s, int i, int64_t id);

/**
 * Step a statement that changes data, then reset it: 0 when done; constraint violations
 * become WB_ECONFLICT (unique) or WB_EINVALID (others), with @p what in the message.
 */
int wb_reg__change(wb_store *st, sqlite3_stmt *s, const char *what);

/** wb_reg__change, and the rowid of the inserted row in *@p id. */
int wb_reg__insert(wb_store *st, sqlite3_stmt *s, const char *what, int64_t *id);

/**
 * Run a kept statement that changes data with ?1 = @p id (the message of a failure is
 * "updating the store").
 */
int wb_reg__exec_id(wb_store *st, const char *sql, int64_t id);

/** First column of the first row of a kept statement (?1 = @p id) as an integer;
 *  WB_ENOTFOUND without a row. */
int wb_reg__query_int(wb_store *st, int64_t *out, const char *sql, int64_t id);

/** Text of a column, or NULL. */
static inline const char *wb_reg__text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

#endif
