/** @file @brief Library-internal access to the store (for modules that query in bulk). */
#ifndef WB_STORE_INTERNAL_H
#define WB_STORE_INTERNAL_H

#include <sqlite3.h>

#include "wijkbeeld/store.h"

/** The SQLite handle of a store. Borrowed. Library-internal. */
sqlite3 *wb_store__db(wb_store *st);

/** Set the error from the database's last message and return WB_ESTORE. */
int wb_store__error(wb_store *st, const char *what);

/** Prepare a statement, setting the error on failure. */
int wb_store__prepare(wb_store *st, sqlite3_stmt **out, const char *sql);

/**
 * Forget the cached (code, year) -> id lookups. Call after deleting areas with raw SQL, so
 * that a later wb_store_area_put does not return the id of a deleted row.
 */
void wb_store__cache_clear(wb_store *st);

/** 1 inside a transaction begun with wb_store_begin. */
int wb_store__in_tx(wb_store *st);

#endif
