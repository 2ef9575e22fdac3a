/** @file @brief Library-internal access to the store (for modules that query in bulk). */
#ifndef WB_STORE_INTERNAL_H
#define WB_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "wijkbeeld/store.h"

/**
 * The SQLite handle of a store. Borrowed. Library-internal. Values buffered by
 * wb_store_obs_put are written first, so that raw SQL sees them (a failure to write them
 * makes the transaction fail at its commit).
 */
sqlite3 *wb_store__db(wb_store *st);

/** Set the error from the database's last message and return WB_ESTORE. */
int wb_store__error(wb_store *st, const char *what);

/** Prepare a statement, setting the error on failure. */
int wb_store__prepare(wb_store *st, sqlite3_stmt **out, const char *sql);

/**
 * A statement prepared once per store and kept until wb_store_free, returned reset and with
 * its bindings cleared. @p sql must have static storage: its address is the key. Reset the
 * statement when done with it (one left inside a result holds a read transaction open), and
 * do not use the same statement again while it is being stepped.
 */
int wb_store__stmt(wb_store *st, sqlite3_stmt **out, const char *sql);

/**
 * Forget the cached (code, year) -> id lookups. Call after deleting areas with raw SQL, so
 * that a later wb_store_area_put does not return the id of a deleted row.
 */
void wb_store__cache_clear(wb_store *st);

/**
 * Inside a transaction of wb_store_begin: when the store has no area with boundary year
 * @p year yet, remember that, so that wb_store_area_find answers WB_ENOTFOUND for that year
 * from its cache without a query (areas added with wb_store_area_put enter the cache). Until
 * the end of the transaction. @return 1 when the year is new, 0 when it has areas, < 0 on error.
 */
int wb_store__area_year_new(wb_store *st, int year);

/** 1 inside a transaction begun with wb_store_begin. */
int wb_store__in_tx(wb_store *st);

/* ---------------------------------------------------------------- observations (obs.c) */

/** Areas per row of obs_chunk (a full row is 32 + 8 x 248 = 2,016 bytes: two per 4 KiB page). */
#define WB_OBS_CHUNK 248
/** Largest indicator id, area id an observation can refer to (the keys pack them). */
#define WB_OBS_MAX_INDICATOR 1048575
#define WB_OBS_MAX_AREA 2147483647LL

/** The buffer of wb_store_obs_put is written once it holds more than this many bytes
 *  (default 128 MiB, about 64,000 rows); a variable so that tests can lower it. */
extern size_t wb_obs__flush_bytes;

/** The observation layer of a store: write buffer, statements, virtual table. */
typedef struct wb_obs wb_obs;

/** One stored row of obs_chunk: the values of up to 248 areas for one indicator and year. */
typedef struct {
    int64_t key;          /**< rowid: chunk << 32 | indicator_id << 12 | year */
    int64_t chunk;        /**< area ids chunk * WB_OBS_CHUNK .. + WB_OBS_CHUNK - 1 */
    int64_t indicator_id;
    int year;             /**< data year */
    uint64_t bits[4];     /**< slot s has a value when bit s & 63 of bits[s >> 6] is set */
    int n;                /**< number of set bits = values */
    const unsigned char *vals; /**< n little-endian doubles (NaN = missing); read with wb_obs__row_value */
} wb_obs_row;

/** Called per row; a non-zero return stops the walk and is returned. */
typedef int (*wb_obs_row_fn)(void *payload, const wb_obs_row *r);

/** The observation layer of a store. */
wb_obs *wb_store__obs(wb_store *st);

/** Write the values buffered by wb_store_obs_put now (within the open transaction). */
int wb_store__obs_flush(wb_store *st);

int wb_obs__attach(wb_obs **out, wb_store *st, sqlite3 *db);
void wb_obs__free(wb_obs *o);
int wb_obs__check(int64_t indicator_id, int64_t area_id, int year);
int wb_obs__put(wb_obs *o, int64_t indicator_id, int64_t area_id, int year, double value);
int wb_obs__flush(wb_obs *o);
void wb_obs__discard(wb_obs *o);
size_t wb_obs__pending(const wb_obs *o);
int wb_obs__migrate_v3(wb_obs *o);

/** Parse a stored row (checks the length against the bitmap). */
int wb_obs__row_parse(wb_obs_row *r, int64_t key, const void *blob, int len);
/** The i-th value of a row (0 <= i < n); NaN = stored as missing. */
static inline double wb_obs__row_value(const wb_obs_row *r, int i)
{
    uint64_t u;
    memcpy(&u, r->vals + 8 * (size_t)i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    u = __builtin_bswap64(u);
#endif
    double d;
    memcpy(&d, &u, 8);
    return d;
}
/** The index in the values of slot @p slot, or -1 when the slot is empty. */
int wb_obs__row_find(const wb_obs_row *r, int slot);

/** Every row of an indicator with data years in [year_from, year_to], by year then chunk. */
int wb_obs__rows(wb_obs *o, int64_t indicator_id, int year_from, int year_to, wb_obs_row_fn fn, void *payload);

/** Set bit id of @p bitmap (nbits bits) for every area id with a stored value of the indicator. */
int wb_obs__presence(wb_obs *o, int64_t indicator_id, uint64_t *bitmap, size_t nbits);

/** The distinct data years of an indicator in [year_from, year_to], ascending; free *years. */
int wb_obs__years(wb_obs *o, int64_t indicator_id, int year_from, int year_to, int **years, size_t *n);

#endif
