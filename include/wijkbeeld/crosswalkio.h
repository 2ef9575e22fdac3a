/**
 * @file
 * @brief Making crosswalks: importing a published crosswalk file, deriving one from the
 * stored polygons of two boundary years (docs/crosswalk.md). The crosswalks themselves, their
 * storage and moving values along them: crosswalk.h.
 */
#ifndef WIJKBEELD_CROSSWALKIO_H
#define WIJKBEELD_CROSSWALKIO_H

#include <stddef.h>

#include "core.h"
#include "crosswalk.h"
#include "overlay.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- import */

/** Options of wb_crosswalk_import. Initialise with WB_CROSSWALK_IMPORT_OPTS_INIT. */
typedef struct {
    int version;
    const char *name;   /**< name of the crosswalk; with several year pairs in the file each
                             gets "<name>_<from>_<to>". NULL: the file name without directory
                             and extension */
    const char *weight; /**< what a column named 'weight' counts: addresses, area,
                             inhabitants or an indicator key; NULL when the header says it */
    int create_areas;   /**< 1: areas of a level and year of which no area is stored are
                             created from the file (code, year, level; no name). Codes of a
                             level and year that has stored areas must always exist. */
    int replace;        /**< 1: replace stored crosswalks of the same name, or of the same
                             level and years */
} wb_crosswalk_import_opts;

#define WB_CROSSWALK_IMPORT_OPTS_INIT {1, NULL, NULL, 0, 0}

/** One crosswalk stored by an import. */
typedef struct {
    char name[WB_XW_NAME_MAX];
    wb_level level;
    int from_year, to_year;
    size_t listed;                  /**< pairs from rows of the file */
    size_t implied;                 /**< unchanged areas added 1:1 (VNG layout) */
    size_t implied_missing;         /**< unchanged from-areas whose code the stored to-year
                                         division lacks: not linked */
    char missing_example[WB_CODE_MAX]; /**< the first of those */
    size_t from_areas, to_areas;    /**< areas of each side */
    size_t created;                 /**< areas created (create_areas) */
} wb_crosswalk_import_item;

/** What an import stored. */
typedef struct {
    char layout[16];                /**< "grenswijzigen" or "plain" */
    size_t rows;                    /**< data rows read */
    size_t n;                       /**< crosswalks stored (one per year pair) */
    wb_crosswalk_import_item *items;
} wb_crosswalk_import_summary;

/** Free the items. Accepts NULL. */
void wb_crosswalk_import_summary_dispose(wb_crosswalk_import_summary *s);

/**
 * Import a crosswalk file in one transaction (nothing is stored on any error). Layouts, by
 * header (docs/crosswalk.md):
 * - VNG grenswijzigen: van_jaar, naar_jaar, wijk_van, wijk_naar, n_adressen (or buurt_van,
 *   buurt_naar). One crosswalk per (van_jaar, naar_jaar), weighted by addresses. A from-area
 *   of the van_jaar division that a year's rows do not name kept its code and its addresses
 *   (the publisher's rule): it is linked 1:1 (weight 1, marked implied). Hence this layout
 *   needs the whole van_jaar division stored first.
 * - plain: from_code, from_year, to_code, to_year and a weight column named weight (its
 *   meaning from opts->weight), addresses, area, inhabitants or share (fractions of the
 *   from-area, which must add up to 1 per from-area within 1e-6).
 * Checks, each an error naming file:line (and column): a malformed code or year, a negative
 * or missing weight, codes of mixed levels, the same pair twice, a from-area whose weights
 * add up to 0 (or whose shares do not add up to 1), a code the stored division of its year
 * lacks, a year without stored areas (unless create_areas), and a stored crosswalk of the same
 * name or level and years (unless replace).
 * @param summary OUT (may be NULL): dispose with wb_crosswalk_import_summary_dispose
 * @return 0, WB_EPARSE, WB_EINVALID, WB_ENOTFOUND, WB_ECONFLICT, WB_EIO, WB_ESTORE, WB_ENOMEM.
 */
int wb_crosswalk_import(wb_store *st, const char *path, const wb_crosswalk_import_opts *opts,
                        wb_crosswalk_import_summary *summary);

/* ---------------------------------------------------------------- derive */

/** Options of wb_crosswalk_derive. Initialise with WB_CROSSWALK_DERIVE_OPTS_INIT. */
typedef struct {
    int version;
    wb_level level;
    int from_year, to_year;
    const char *weight; /**< NULL or "area": by area; else the key of an indicator of the next
                             finer level (wijk for gemeente, buurt for wijk) on the from-year's
                             boundaries: dasymetric weights */
    int data_year;      /**< data year of the indicator; 0: the from-year */
    const char *name;   /**< NULL: "<level>_<from>_<to>_<weight>" */
} wb_crosswalk_derive_opts;

#define WB_CROSSWALK_DERIVE_OPTS_INIT {1, WB_LEVEL__MAX, 0, 0, NULL, 0, NULL}

/** What a derivation used. */
typedef struct {
    size_t from_division, to_division; /**< areas of the level in each year */
    size_t from_areas, to_areas;       /**< areas in the crosswalk (with a polygon, or with
                                            weighted units) */
    wb_overlay_stats overlay;
    size_t overlapped_from;            /**< by area: from-areas whose pieces add up to more than
                                            their area (to-areas that overlap each other there) */
    size_t overlapped_to;              /**< the same for to-areas */
    size_t units;                      /**< dasymetric: finer units with a polygon */
    size_t units_without_value;        /**< ... without a value of the indicator (weight 0) */
    size_t units_without_parent;       /**< ... whose enclosing area is not a from-area */
    size_t from_without_weight;        /**< from-areas whose units hold no weight (total 0:
                                            their shares are undefined) */
} wb_crosswalk_derive_summary;

/**
 * Derive a crosswalk from the stored polygons of two boundary years: every from-area is
 * intersected with every to-area (wb_overlay). By area, a pair's weight is the area of the
 * intersection (m2) and an area's total is its whole area (so a from-area partly outside
 * every to-area keeps share_from sums below 1, and one under to-areas that overlap each other
 * gets sums above 1: the overlap counts for each, as in sf::st_interpolate_aw). Dasymetric (an indicator): every finer unit
 * of the from-year (a buurt for wijken) gives its value to the to-areas in proportion to the
 * share of its area lying in each, and to its enclosing from-area by its code; a from-area's
 * total is the sum of its units' values. Nothing is stored (wb_store_crosswalk_put does).
 * @param out     OUT: free with wb_crosswalk_free
 * @param summary OUT (may be NULL)
 * @return 0; WB_ENOTFOUND when a year has no polygons of the level (or the finer level),
 *         or for an unknown indicator or no values of it; WB_EINVALID for bad options, a
 *         level without a finer one, negative indicator values; WB_ENOMEM; WB_ERROR (GEOS).
 */
int wb_crosswalk_derive(wb_crosswalk **out, wb_crosswalk_derive_summary *summary, wb_store *st,
                        const wb_crosswalk_derive_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
