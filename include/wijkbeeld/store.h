/**
 * @file
 * @brief The embedded store: one SQLite file holding areas, indicators, observations,
 * geometries and label sets.
 *
 * Every import runs inside one transaction (wb_store_begin .. wb_store_commit): on any
 * error the caller calls wb_store_rollback and the file is left as it was.
 *
 * Areas are keyed by (code, year): the year is the year of the boundaries. Observations
 * carry the year of the data and refer to an area, hence also to a boundary year; a
 * back-series gives many data years on one boundary year. Missing values are stored as
 * NULL (NaN in memory), never as 0.
 *
 * Since schema version 3 the observations are stored in chunks of 248 areas per indicator
 * and data year (docs/store.md); SQL run by wijkbeeld still sees them as the table
 * `observation` (indicator_id, area_id, year, value), a virtual table of every connection
 * the library opens. The sqlite3 shell does not have it: use `wijkbeeld export values`.
 */
#ifndef WIJKBEELD_STORE_H
#define WIJKBEELD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "geo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open store. Opaque. */
typedef struct wb_store wb_store;

/** Flags of wb_store_open. */
enum {
    WB_STORE_CREATE = 1,   /**< create the file when missing */
    WB_STORE_READONLY = 2  /**< open read-only (migrations are not run) */
};

/** The schema version this library writes (PRAGMA user_version). */
#define WB_STORE_SCHEMA_VERSION 4

/**
 * Open (and migrate to WB_STORE_SCHEMA_VERSION) a store. ":memory:" gives an in-memory store.
 * WAL journal, foreign keys on, reads through a memory map of up to 1 GiB.
 * @param out OUT: free with wb_store_free
 * @return 0, WB_ENOTFOUND when the file is missing and WB_STORE_CREATE not given,
 *         WB_ESTORE when it is not a wijkbeeld database or is newer than this library.
 */
int wb_store_open(wb_store **out, const char *path, int flags);

/** Close. Rolls back an open transaction. Accepts NULL. */
void wb_store_free(wb_store *st);

/** Schema version of the open file. */
int wb_store_schema_version(wb_store *st);

/**
 * Copy the store to @p dest while it is in use (SQLite's online backup API): the copy is the
 * state of one moment, whatever other connections write meanwhile; in WAL mode they are not
 * held up. The copy is written under a temporary name beside @p dest (mode 0600) and renamed
 * to it when complete, replacing an older file of that name; it needs no -wal file.
 * @return 0; WB_EINVALID when @p dest is the store itself; WB_EIO, WB_ESTORE (message says why).
 */
int wb_store_backup(wb_store *st, const char *dest);

/** Begin a write transaction (BEGIN IMMEDIATE). Not nestable. */
int wb_store_begin(wb_store *st);
/**
 * Commit the open transaction, after writing the values buffered by wb_store_obs_put. When
 * that fails (an area or indicator that does not exist, a full disk), the transaction is
 * rolled back and the error returned.
 */
int wb_store_commit(wb_store *st);
/** Roll back the open transaction; a no-op without one. Keeps the last error message. */
int wb_store_rollback(wb_store *st);

/**
 * Run a function inside a transaction: commit when it returns >= 0, roll back otherwise
 * (keeping its error message). @return what @p fn returned, or a store error.
 */
int wb_store_transact(wb_store *st, int (*fn)(wb_store *st, void *payload), void *payload);

/** 1 while a transaction is open (wb_store_begin .. wb_store_commit / rollback), else 0: an
 *  importer that is called inside a caller's transaction leaves committing to the caller. */
int wb_store_in_transaction(const wb_store *st);

/**
 * Begin a read snapshot: every read until wb_store_snapshot_end sees the store as it was at
 * the first of them, whatever other connections commit meanwhile (a web request answers from
 * one state of the data). Nothing may be written inside it. Not nestable, and not inside a
 * transaction of wb_store_begin.
 * @return 0, or WB_ESTORE when a transaction or snapshot is open.
 */
int wb_store_snapshot_begin(wb_store *st);
/** End the read snapshot; a no-op without one. */
void wb_store_snapshot_end(wb_store *st);

/**
 * Bulk-write mode for a large import: until wb_store_bulk_end the connection keeps more of the
 * file in memory (a 16 MiB page cache). Only speed changes; a store backend without such a
 * setting does nothing. Again while on is a no-op.
 * @return 0 or WB_ESTORE (the mode is then off; the import works without it).
 */
int wb_store_bulk_begin(wb_store *st);
/** Back to the connection's settings before wb_store_bulk_begin; a no-op when not on. */
void wb_store_bulk_end(wb_store *st);

/* ---------------------------------------------------------------- areas */

/** An area as stored. */
typedef struct {
    int64_t id;
    char code[WB_CODE_MAX];
    int year;                 /**< boundary year */
    wb_level level;
    char *name;               /**< may be NULL */
    char parent[WB_CODE_MAX]; /**< "" when unknown */
    int has_geometry;         /**< 1 when a geometry is stored for it */
} wb_area;

/**
 * Insert an area or complete an existing one (a NULL/empty name or parent leaves the stored
 * value alone; a non-empty one replaces it). When @p parent is NULL and the code is a CBS
 * code, the parent is derived from the code.
 * @param id OUT: the area's row id (may be NULL)
 */
int wb_store_area_put(wb_store *st, int64_t *id, const char *code, int year, wb_level level,
                      const char *name, const char *parent);

/** Find the row id of (code, year). @return 0 or WB_ENOTFOUND. */
int wb_store_area_find(wb_store *st, int64_t *id, const char *code, int year);

/** Filter for wb_store_areas; fields at their WB_AREA_QUERY_INIT value do not filter. */
typedef struct {
    wb_level level;     /**< WB_LEVEL__MAX: any */
    int year;           /**< 0: any */
    const char *within; /**< code of an enclosing area (any depth), or NULL */
    int with_geometry;  /**< 1: only areas that have a geometry */
    const char *parent; /**< code of the direct parent as stored (not deeper), or NULL */
} wb_area_query;

#define WB_AREA_QUERY_INIT {WB_LEVEL__MAX, 0, NULL, 0, NULL}

/**
 * List areas ordered by year, then code.
 * @param out OUT: array of @p n areas; free with wb_areas_free
 */
int wb_store_areas(wb_store *st, wb_area **out, size_t *n, const wb_area_query *q);

/** Free an array from wb_store_areas or wb_store_area_get. Accepts NULL. */
void wb_areas_free(wb_area *areas, size_t n);

/**
 * One area by code; @p year 0 takes the latest boundary year of that code.
 * @param out OUT: free with wb_areas_free(out, 1)
 */
int wb_store_area_get(wb_store *st, wb_area **out, const char *code, int year);

/**
 * The latest boundary year of the areas of @p level (WB_LEVEL__MAX: of any level).
 * @param year OUT: 0 when the store has no such area
 */
int wb_store_area_latest_year(wb_store *st, int *year, wb_level level);

/**
 * Delete an area (by row id) with everything stored for it: its values, geometry and label
 * memberships. Deleting an id that does not exist is fine.
 * @return 0; WB_ESTORE when the register still refers to the area (an initiative or proposal
 *         there), the message saying so.
 */
int wb_store_area_delete(wb_store *st, int64_t area_id);

/* ---------------------------------------------------------------- indicators */

/** Which way is better. */
typedef enum {
    WB_DIR_NEUTRAL = 0,
    WB_DIR_HIGHER_BETTER = 1,
    WB_DIR_HIGHER_WORSE = -1
} wb_direction;

/** An indicator of the catalogue. All strings may be NULL except key. */
typedef struct {
    int64_t id;
    char *key;        /**< stable key, e.g. "lbm", "a_inw" */
    char *label_nl;
    char *label_en;
    char *unit;       /**< "aantal", "%", "x 1000 euro", "score" ... */
    int direction;    /**< a wb_direction */
    char *dimension;  /**< livability dimension, or NULL */
    char *source;     /**< "CBS KWB", "Leefbaarometer 2.0" ... */
    char *aliases;    /**< comma-separated aliases (output only) */
} wb_indicator;

/**
 * Insert or update an indicator by key (NULL fields leave stored values alone).
 * @param id OUT: row id (may be NULL)
 */
int wb_store_indicator_put(wb_store *st, int64_t *id, const wb_indicator *ind);

/** Add an alias (case-insensitive) for an indicator key. Re-adding the same pair is fine. */
int wb_store_alias_put(wb_store *st, const char *alias, const char *key);

/**
 * Resolve a key or alias (case-insensitive) to an indicator.
 * @param id  OUT: row id (may be NULL)
 * @param key OUT: buffer of 64 bytes for the canonical key (may be NULL)
 * @return 0 or WB_ENOTFOUND
 */
int wb_store_indicator_resolve(wb_store *st, int64_t *id, char key[64], const char *name);

/** The whole catalogue ordered by key. Free with wb_indicators_free. */
int wb_store_indicators(wb_store *st, wb_indicator **out, size_t *n);

/**
 * Find an indicator by its key only (case-insensitive; aliases are not tried, unlike
 * wb_store_indicator_resolve). @return 0 or WB_ENOTFOUND.
 */
int wb_store_indicator_find(wb_store *st, int64_t *id, const char *key);

/**
 * One indicator by row id (aliases left NULL).
 * @param out OUT: free with wb_indicators_free(out, 1)
 * @return 0 or WB_ENOTFOUND.
 */
int wb_store_indicator_get(wb_store *st, wb_indicator **out, int64_t id);

/**
 * Write an indicator as a catalogue defines it, with the names it was published under: insert
 * it, or else give it exactly these labels, unit, direction, dimension and source (a NULL
 * field is stored as NULL, unlike wb_store_indicator_put). A row that already matches is not
 * written, nor is an alias that already points to it, so defining the same again changes
 * nothing. The @p ind->aliases and @p ind->id fields are not read.
 * @param aliases names separated by '|' (each added, or moved to this indicator), or NULL
 * @return 0, WB_EINVALID without a key, WB_ESTORE.
 */
int wb_store_indicator_define(wb_store *st, const wb_indicator *ind, const char *aliases);

/** Values of an indicator in one (level, data year, boundary year). */
typedef struct {
    wb_level level;
    int year;          /**< data year */
    int boundary_year;
    size_t n;          /**< areas with a value (0: only stored missing values) */
} wb_coverage;

/**
 * Where an indicator has values: one entry per (level, data year, boundary year) with any
 * stored value, ordered by the level's name, then data year, then boundary year.
 * @param out OUT: free with wb_free (NULL when there is none)
 */
int wb_store_indicator_coverage(wb_store *st, wb_coverage **out, size_t *n, int64_t indicator_id);

/** Free an array of indicators. Accepts NULL. */
void wb_indicators_free(wb_indicator *inds, size_t n);

/* ---------------------------------------------------------------- observations */

/**
 * Store a value (NaN = missing, stored as NULL) for (indicator, area, data year); replaces
 * an earlier value of the same triple. Inside a transaction the value is buffered in memory
 * and written, in key order, before the commit or before the store reads observations (so
 * a million values cost well under a second); outside one it is written at once.
 * @return 0; WB_EINVALID for an indicator id above 1,048,575, an area id above 2^31 - 1 or
 *         a data year outside 1..4095; WB_ENOTFOUND (here outside a transaction, else from
 *         wb_store_commit) when the area or indicator does not exist; WB_ENOMEM.
 */
int wb_store_obs_put(wb_store *st, int64_t indicator_id, int64_t area_id, int year,
                     double value);

/** A value of an indicator for an area and year. */
typedef struct {
    int64_t area_id;
    char code[WB_CODE_MAX];
    int year;          /**< data year */
    int boundary_year; /**< year of the area's boundaries */
    wb_level level;
    double value;      /**< NaN = missing */
} wb_value;

/** Filter for wb_store_values. */
typedef struct {
    const char *indicator; /**< key or alias; required */
    int year;              /**< data year; 0: all */
    int boundary_year;     /**< 0: any */
    wb_level level;        /**< WB_LEVEL__MAX: any */
    const char *within;    /**< enclosing area code, or NULL */
    const char *code;      /**< one area code (time series), or NULL */
    int with_missing;      /**< 1: include stored missing values (NaN) */
} wb_value_query;

#define WB_VALUE_QUERY_INIT {NULL, 0, 0, WB_LEVEL__MAX, NULL, NULL, 0}

/**
 * Values ordered by data year, then code.
 * @param out     OUT: free with wb_free
 * @param missing OUT: number of stored missing values that matched but were left out
 *                (may be NULL)
 * @return 0, WB_ENOTFOUND for an unknown indicator.
 */
int wb_store_values(wb_store *st, wb_value **out, size_t *n, size_t *missing,
                    const wb_value_query *q);

/** A value of an indicator in one data year: of one area, or a mean over areas. */
typedef struct {
    int64_t indicator_id;
    int year;          /**< data year */
    double value;      /**< NaN = missing */
} wb_obs_value;

/**
 * The stored values of one area (by row id), stored missing values included, ordered by
 * indicator id, then data year: of every indicator, or of one.
 * @param indicator_id 0: every indicator
 * @param out OUT: free with wb_free (NULL when there is none)
 */
int wb_store_area_values(wb_store *st, wb_obs_value **out, size_t *n, int64_t area_id,
                         int64_t indicator_id);

/**
 * One stored value. @param out OUT: the value, NaN when stored as missing
 * @return 0, or WB_ENOTFOUND (no message) when nothing is stored for the triple.
 */
int wb_store_value_get(wb_store *st, double *out, int64_t indicator_id, int64_t area_id, int year);

/** Delete every value (all data years) of an indicator for an area. None stored is fine. */
int wb_store_obs_delete(wb_store *st, int64_t indicator_id, int64_t area_id);

/**
 * The unweighted mean over the areas of one level and boundary year, per indicator and data
 * year: the sum of the values that are not missing, in order of area row id, divided by
 * their number (so it equals SQL's avg() over them). One pass over the stored rows of the
 * areas' chunks.
 * @param out OUT: in .value the mean, ordered by indicator id, then data year; pairs without
 *            any value are left out. Free with wb_free (NULL when there is none).
 */
int wb_store_level_means(wb_store *st, wb_obs_value **out, size_t *n, wb_level level,
                         int boundary_year);

/**
 * The boundary year on which an indicator has the most values (not missing) at a level in
 * data year @p year (0: in all data years together); of equal counts the later boundary year.
 * A back-series such as the Leefbaarometer's gives old data years on new boundaries.
 * @param out OUT: the boundary year, 0 when the indicator has no value at that level
 */
int wb_store_values_boundary_year(wb_store *st, int *out, int64_t indicator_id, wb_level level,
                                  int year);

/** The latest value of every indicator for a set of areas (wb_store_latest). */
typedef struct {
    size_t nareas;      /**< areas, as asked for */
    size_t nind;        /**< indicators with at least one value for these areas in the window */
    wb_indicator *ind;  /**< those indicators, ordered by key (as wb_store_indicators) */
    double *value;      /**< nareas x nind, value[a * nind + k]: the value of the latest data
                             year with a value; NaN where there is none */
    int *year;          /**< nareas x nind: that data year; 0 where there is none */
    int year_min;       /**< the first data year with a value (any area, any indicator); 0: none */
    int year_max;       /**< the last such data year; 0: none */
} wb_latest;

#define WB_LATEST_INIT {0, 0, NULL, NULL, NULL, 0, 0}

/**
 * For each of @p nareas areas (row ids, as in wb_area.id) and each indicator, the value of the
 * latest data year in [@p year_from, @p year_to] (0: open) that has a value; values stored as
 * missing are passed over, so an earlier year's value can be the latest. With year_from ==
 * year_to it gives the values of that one data year. Indicators without any value for these
 * areas in the window are left out. The cost follows the areas asked for (the rows of their
 * id chunks), not the size of the store.
 * @param out OUT: dispose with wb_latest_dispose (also after an error)
 * @return 0, WB_ESTORE, WB_ENOMEM.
 */
int wb_store_latest(wb_store *st, wb_latest *out, const int64_t *area_ids, size_t nareas,
                    int year_from, int year_to);

/** Free what wb_store_latest filled and reset @p l. Accepts NULL. */
void wb_latest_dispose(wb_latest *l);

/* ---------------------------------------------------------------- geometry */

/** Store (replace) the geometry of an area. RD New metres. */
int wb_store_geom_put(wb_store *st, int64_t area_id, const wb_geom *g);

/**
 * Load every area of a level and boundary year that has a geometry, ordered by code.
 * @return 0; WB_ENOTFOUND with a message when there is none.
 */
int wb_store_layer_load(wb_store *st, wb_layer *out, wb_level level, int year);

/* ---------------------------------------------------------------- label sets */

/** Create a label set (or return the existing one of that name). */
int wb_store_label_set_put(wb_store *st, int64_t *id, const char *name, const char *description);

/** Add an area to a set (again is fine). */
int wb_store_label_add(wb_store *st, int64_t set_id, int64_t area_id);

/**
 * Members of a set as areas. @return WB_ENOTFOUND for an unknown set.
 * @param out OUT: free with wb_areas_free
 */
int wb_store_label_members(wb_store *st, wb_area **out, size_t *n, const char *set);

/** Names of the label sets an area (by row id) belongs to, comma-separated; caller frees. */
int wb_store_area_labels(wb_store *st, char **out, int64_t area_id);

/** A label set. */
typedef struct {
    int64_t id;
    char *name;
    char *description; /**< may be NULL */
    size_t members;    /**< members at every level and boundary year (wb_store_label_sets) */
} wb_label_set;

/**
 * Label sets ordered by name: every set with its number of members (@p area_id 0), or the sets
 * area @p area_id belongs to (members then 0: not counted).
 * @param out OUT: free with wb_label_sets_free
 */
int wb_store_label_sets(wb_store *st, wb_label_set **out, size_t *n, int64_t area_id);

/** Free an array of label sets. Accepts NULL. */
void wb_label_sets_free(wb_label_set *sets, size_t n);

/* ---------------------------------------------------------------- import log */

/** Record an import (inside its transaction). */
int wb_store_log_import(wb_store *st, const char *kind, const char *file, const char *summary);

#ifdef __cplusplus
}
#endif
#endif
