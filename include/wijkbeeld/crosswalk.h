/**
 * @file
 * @brief Crosswalks between boundary years: which areas of year A make up which areas of
 * year B, with what weight (docs/crosswalk.md).
 *
 * A crosswalk links the areas of one level (wijk, buurt, ...) in two boundary years. Each
 * pair (from-area, to-area) carries a weight: the number of addresses the two have in
 * common, the area of their intersection in m2, inhabitants, an indicator's amount, or (kind
 * 'share') the fraction of the from-area that goes to the to-area. Every area of either side
 * has a total weight: the sum of its pairs, or more when part of it lies in no area of the
 * other year (or less, for a crosswalk derived from polygons of which some overlap: then
 * the to-areas share part of a from-area, as sf::st_interpolate_aw counts it). So for a pair
 *
 *     share_from = weight / total(from-area)   (how much of the from-area goes to the to-area)
 *     share_to   = weight / total(to-area)     (how much of the to-area comes from the from-area)
 *
 * In memory a crosswalk is a sparse matrix stored by rows in both directions (compressed
 * rows by from-area and by to-area), so moving values along it either way is one pass over
 * the pairs. Areas are rows of the store's `area` table (code and boundary year): pairs never
 * join on codes alone.
 *
 * The store keeps at most one crosswalk per level and pair of years (in either direction:
 * a stored 2016 -> 2024 crosswalk also serves 2024 -> 2016).
 */
#ifndef WIJKBEELD_CROSSWALK_H
#define WIJKBEELD_CROSSWALK_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the weights of a crosswalk count. */
typedef enum {
    WB_XW_ADDRESSES = 0, /**< addresses in both areas (VNG grenswijzigen) */
    WB_XW_AREA,          /**< m2 of the intersection (derived from polygons) */
    WB_XW_INHABITANTS,   /**< inhabitants */
    WB_XW_SHARE,         /**< fraction of the from-area; usable from -> to only */
    WB_XW_INDICATOR,     /**< amount of a stored indicator (info.indicator) */
    WB_XW_WEIGHT__MAX
} wb_xw_weight;

/** "addresses", "area", "inhabitants", "share", "indicator"; NULL for an invalid value. */
const char *wb_xw_weight_name(wb_xw_weight w);

/** Parse one of the names of wb_xw_weight_name. @return 0 or WB_EINVALID. */
int wb_xw_weight_parse(wb_xw_weight *out, const char *name);

#define WB_XW_NAME_MAX 201   /**< longest name plus NUL */
#define WB_XW_SOURCE_MAX 2001 /**< longest source text plus NUL */

/** Description of a crosswalk. */
typedef struct {
    int64_t id;                   /**< row id in the store; 0 when not stored */
    char name[WB_XW_NAME_MAX];    /**< unique name */
    wb_level level;
    int from_year, to_year;       /**< boundary years, different */
    wb_xw_weight weight;
    char indicator[64];           /**< indicator key when weight is WB_XW_INDICATOR, else "" */
    char source[WB_XW_SOURCE_MAX];/**< a file, or "derived from polygons: ..." */
    char created[24];             /**< "YYYY-MM-DDTHH:MM:SSZ" once stored */
    size_t nfrom, nto, npairs;    /**< areas of each side and pairs */
} wb_crosswalk_info;

/** One side of a crosswalk: its areas and, per area, its pairs (compressed rows). */
typedef struct {
    size_t n;                  /**< areas on this side */
    int64_t *id;               /**< n area row ids (0 for an area not in a store) */
    char (*code)[WB_CODE_MAX]; /**< n codes, in ascending order */
    double *total;             /**< n total weights */
    size_t *off;               /**< n + 1: the pairs of area i are off[i] .. off[i + 1] - 1 */
    size_t *other;             /**< per pair: index of the area on the other side (ascending
                                    within an area) */
    double *w;                 /**< per pair: its weight */
    unsigned char *implied;    /**< per pair: 1 when added by a publisher's rule, not listed */
} wb_xw_side;

/** A crosswalk in memory. Plain data: read the arrays directly. */
typedef struct {
    wb_crosswalk_info info;
    int reversed;  /**< 1: turned around (wb_crosswalk_reverse) from how it was stored */
    size_t npairs;
    wb_xw_side from, to;
} wb_crosswalk;

/** A pair as given to wb_crosswalk_new: indices into the from- and to-areas. */
typedef struct {
    size_t from;
    size_t to;
    double weight;  /**< >= 0, finite */
    int implied;    /**< 0 or 1 */
} wb_xw_pair;

/**
 * Build a crosswalk from its areas and pairs (copied; the areas are sorted by code).
 * @param from_id    nfrom area row ids, or NULL (all 0: not stored)
 * @param from_code  nfrom distinct codes
 * @param from_total nfrom totals (finite, >= 0), or NULL for the sums of each area's pairs
 * @param out        OUT: free with wb_crosswalk_free
 * @return 0; WB_EINVALID (with a message naming the codes) for an index out of range, a
 *         negative or non-finite weight or total, the same pair twice, a duplicate code;
 *         WB_ENOMEM.
 */
int wb_crosswalk_new(wb_crosswalk **out, const wb_crosswalk_info *info, size_t nfrom,
                     const int64_t *from_id, const char (*from_code)[WB_CODE_MAX],
                     const double *from_total, size_t nto, const int64_t *to_id,
                     const char (*to_code)[WB_CODE_MAX], const double *to_total,
                     const wb_xw_pair *pairs, size_t npairs);

/** Free. Accepts NULL. */
void wb_crosswalk_free(wb_crosswalk *xw);

/**
 * Turn a crosswalk around in place (to -> from): swaps the sides and the years.
 * @return 0, or WB_EINVALID for a crosswalk of shares (a share of one from-area says
 *         nothing about the composition of a to-area).
 */
int wb_crosswalk_reverse(wb_crosswalk *xw);

/** Index of an area on one side (by row id), or -1. @param side 0 from, 1 to. O(n). */
long wb_crosswalk_find_id(const wb_crosswalk *xw, int side, int64_t area_id);

/** Index of an area on one side (by code), or -1. @param side 0 from, 1 to. O(log n). */
long wb_crosswalk_find_code(const wb_crosswalk *xw, int side, const char *code);

/* ---------------------------------------------------------------- moving values */

/** How a value moves along a crosswalk. */
typedef enum {
    WB_XW_COUNT = 0, /**< extensive (inhabitants, dwellings, m2): split in proportion:
                          out[t] = Σ_f in[f] * w(f,t) / total(f) */
    WB_XW_MEAN = 1   /**< intensive (a score, a mean): the weight-weighted mean of the parts
                          with a value: out[t] = Σ_f w(f,t) in[f] / Σ_f w(f,t) */
} wb_xw_move;

/**
 * Move values of the from-areas to the to-areas (wb_crosswalk_reverse first for the other
 * direction). Sources that are missing (NaN) or have a total of 0 contribute nothing.
 * @param in        xw->from.n values, NaN = missing
 * @param out       OUT: xw->to.n values; NaN for a to-area that no source with a value reaches
 * @param coverage  OUT (may be NULL): xw->to.n shares of each to-area's total weight that
 *                  came from sources with a value (0 for a to-area with total 0)
 * @return 0, or WB_EINVALID for an unknown @p how.
 */
int wb_crosswalk_move(const wb_crosswalk *xw, wb_xw_move how, const double *in, double *out,
                      double *coverage);

/* ---------------------------------------------------------------- what changed */

/**
 * What happened to an area between the two years, from its significant pairs: a pair is a
 * sliver (not significant) when both its share_from and its share_to are below the sliver
 * threshold.
 */
typedef enum {
    WB_XW_UNCHANGED = 0, /**< one significant pair each way, same code, both shares >= 1 - tolerance */
    WB_XW_RECODED,       /**< the same, with another code */
    WB_XW_RESHAPED,      /**< one significant pair each way, but a share below 1 - tolerance */
    WB_XW_SPLIT,         /**< from-area: two or more significant pairs; to-area: the one
                              significant source of it split */
    WB_XW_MERGED,        /**< to-area: two or more significant sources; from-area: its one
                              significant pair goes to such a to-area */
    WB_XW_UNMATCHED,     /**< no significant pair (from: gone; to: new) */
    WB_XW_CLASS__MAX
} wb_xw_class;

/** "unchanged", "recoded", "reshaped", "split", "merged", "unmatched". */
const char *wb_xw_class_name(wb_xw_class c);

/** Counts of wb_crosswalk_classify. */
typedef struct {
    size_t from[WB_XW_CLASS__MAX]; /**< from-areas per class */
    size_t to[WB_XW_CLASS__MAX];   /**< to-areas per class */
    size_t slivers;                /**< pairs that are slivers */
} wb_xw_counts;

/**
 * Classify every area of both sides (see wb_xw_class).
 * @param sliver     share threshold of a sliver, in [0, 1)
 * @param tolerance  how far below 1 both shares of an unchanged or recoded area may lie, in [0, 1)
 * @param from_class OUT (may be NULL): xw->from.n classes
 * @param to_class   OUT (may be NULL): xw->to.n classes
 * @param counts     OUT (may be NULL)
 * @return 0, or WB_EINVALID for thresholds outside [0, 1).
 */
int wb_crosswalk_classify(const wb_crosswalk *xw, double sliver, double tolerance,
                          unsigned char *from_class, unsigned char *to_class, wb_xw_counts *counts);

/* ---------------------------------------------------------------- the store */

/** Flags of wb_store_crosswalk_put. */
enum {
    WB_XW_REPLACE = 1 /**< first remove a stored crosswalk of the same name or of the same
                           level and years */
};

/**
 * Store a crosswalk (its areas must be stored: every id non-zero, of the crosswalk's level
 * and of its from- or to-year). Use inside a transaction (wb_store_begin).
 * @param id OUT: row id (may be NULL)
 * @return 0; WB_ECONFLICT (without WB_XW_REPLACE) when a crosswalk of that name, or of the
 *         same level and years in either direction, is stored: the message names it and its
 *         source; WB_EINVALID for an area that is not stored or of another level or year;
 *         WB_ESTORE.
 */
int wb_store_crosswalk_put(wb_store *st, int64_t *id, const wb_crosswalk *xw, int flags);

/**
 * The stored crosswalks (their info, with the counts of areas and pairs), ordered by level,
 * years and name.
 * @param out OUT: free with wb_free
 */
int wb_store_crosswalks(wb_store *st, wb_crosswalk_info **out, size_t *n);

/**
 * Load a stored crosswalk by name.
 * @param out OUT: free with wb_crosswalk_free
 * @return 0, WB_ENOTFOUND (message lists how to see the stored ones), WB_ESTORE, WB_ENOMEM.
 */
int wb_store_crosswalk_load(wb_store *st, wb_crosswalk **out, const char *name);

/**
 * Load the stored crosswalk of a level between two years, in the direction asked: a
 * crosswalk stored the other way round is returned reversed (wb_crosswalk_reverse).
 * @return 0; WB_ENOTFOUND when none links those years; WB_EINVALID when only a crosswalk of
 *         shares links them in the other direction.
 */
int wb_store_crosswalk_find(wb_store *st, wb_crosswalk **out, wb_level level, int from_year,
                            int to_year);

/** Remove a stored crosswalk by name (areas stay). @return 0 or WB_ENOTFOUND. */
int wb_store_crosswalk_remove(wb_store *st, const char *name);

/**
 * Row ids of @p n areas of a level and boundary year, by code, in one pass (for building a
 * crosswalk of a layer's areas).
 * @param ids   OUT: n ids; 0 for a code that is not stored
 * @param codes n codes in ascending (strcmp) order, as in a wb_layer
 */
int wb_store_area_ids(wb_store *st, int64_t *ids, wb_level level, int year, const char (*codes)[WB_CODE_MAX],
                      size_t n);

/** Number of stored areas of a level and boundary year (the year's division). */
int wb_store_area_count(wb_store *st, size_t *n, wb_level level, int year);

#ifdef __cplusplus
}
#endif
#endif
