/**
 * @file
 * @brief The panel: area x year x indicator in memory, columnar doubles, NaN = missing.
 *
 * A panel holds the values of a few indicators for every area of one level on one set of
 * boundaries (a boundary year), for every data year that has values. It is what the
 * analyses (scores, trends, comparisons) run on: one contiguous column of doubles per
 * (indicator, year), indexed by area, so a pass over all areas of a year is a pass over
 * memory. A national panel of 15,000 areas x 20 years x 50 indicators takes 120 MB.
 *
 * Next to the areas, a panel loaded with parents carries a second, smaller panel with the
 * same indicators and years for the gemeenten of those areas (and the country, NL00): the
 * values stored for them, or NaN. Each area knows the index of its gemeente there, so that
 * an area can be compared with its municipality.
 *
 * Layout: the value of area a, year t, indicator k is data[(k * nyears + t) * nareas + a].
 */
#ifndef WIJKBEELD_PANEL_H
#define WIJKBEELD_PANEL_H

#include <stddef.h>

#include "core.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A panel. Opaque. */
typedef struct wb_panel wb_panel;

/** What wb_panel_load loads. */
typedef struct {
    int version;         /**< 1 */
    wb_level level;      /**< level of the areas; required */
    int boundary_year;   /**< 0: the latest boundary year of that level that has values of
                              any of the indicators */
    int year_from;       /**< first data year, 0: no limit */
    int year_to;         /**< last data year, 0: no limit */
    int with_parents;    /**< 1: also load the gemeenten (and NL00) of the areas */
} wb_panel_opts;

#define WB_PANEL_OPTS_INIT {1, WB_LEVEL__MAX, 0, 0, 0, 1}

/**
 * Load a panel from the store: every area of @p o->level with boundary year
 * @p o->boundary_year (ordered by code), every data year in which any of the indicators
 * has a value for any of those areas, and the indicators @p keys in that order (keys or
 * aliases; the panel keeps the canonical keys). Years without any value are left out.
 *
 * @param out  OUT: free with wb_panel_free
 * @param keys indicator keys or aliases (at least one)
 * @return 0; WB_ENOTFOUND for an unknown indicator (message names it) or when there are no
 *         areas of that level and boundary year; WB_EINVALID for a bad option; WB_ESTORE,
 *         WB_ENOMEM.
 */
int wb_panel_load(wb_panel **out, wb_store *st, const char *const *keys, size_t nkeys,
                  const wb_panel_opts *o);

/**
 * An empty panel (all values NaN) for generated data and tests. Gemeenten are derived from
 * the CBS codes (WK036300 -> GM0363); codes that are not CBS wijk or buurt codes have none.
 * A parents panel with those gemeenten and NL00 is created (all NaN).
 *
 * @param codes   @p nareas area codes (copied)
 * @param years   @p nyears data years, strictly increasing
 * @param keys    @p nkeys indicator keys (copied)
 * @param boundary_year recorded as the panel's boundary year
 * @return 0, WB_EINVALID (years not increasing, duplicate code or key), WB_ENOMEM.
 */
int wb_panel_new(wb_panel **out, size_t nareas, const char *const *codes, size_t nyears,
                 const int *years, size_t nkeys, const char *const *keys, int boundary_year);

/** Free a panel (and its parents panel). Accepts NULL. */
void wb_panel_free(wb_panel *p);

size_t wb_panel_nareas(const wb_panel *p);
size_t wb_panel_nyears(const wb_panel *p);
size_t wb_panel_nkeys(const wb_panel *p);
/** Level of the areas (WB_LEVEL_OTHER for a generated panel of mixed codes). */
wb_level wb_panel_level(const wb_panel *p);
int wb_panel_boundary_year(const wb_panel *p);

/** Code of area @p a. Borrowed. */
const char *wb_panel_code(const wb_panel *p, size_t a);
/** Name of area @p a, or NULL. Borrowed. */
const char *wb_panel_name(const wb_panel *p, size_t a);
/** Data year of year index @p t. */
int wb_panel_year(const wb_panel *p, size_t t);
/** Canonical key of indicator @p k. Borrowed. */
const char *wb_panel_key(const wb_panel *p, size_t k);

/** Index of an area code, or -1. O(log n). */
long wb_panel_find_area(const wb_panel *p, const char *code);
/** Index of a data year, or -1. */
long wb_panel_find_year(const wb_panel *p, int year);
/** Index of an indicator key (case-insensitive; canonical keys only), or -1. */
long wb_panel_find_key(const wb_panel *p, const char *key);

/** The column of indicator @p k in year @p t: nareas doubles, writable. */
double *wb_panel_column(wb_panel *p, size_t k, size_t t);
/** Read-only column. */
const double *wb_panel_ccolumn(const wb_panel *p, size_t k, size_t t);
/** One value (NaN = missing). */
double wb_panel_get(const wb_panel *p, size_t a, size_t t, size_t k);
/** Set one value. */
void wb_panel_set(wb_panel *p, size_t a, size_t t, size_t k, double v);

/**
 * The parents panel: the gemeenten of the areas plus NL00, with the same years and keys,
 * holding the values stored for them (NaN where none). Borrowed; NULL when the panel was
 * loaded without parents.
 */
const wb_panel *wb_panel_parents(const wb_panel *p);
/** Index in the parents panel of the gemeente of area @p a, or -1 when unknown. */
long wb_panel_gemeente(const wb_panel *p, size_t a);

#ifdef __cplusplus
}
#endif
#endif
