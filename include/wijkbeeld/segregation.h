/**
 * @file
 * @brief Segregation and concentration: dissimilarity D (two-group and multigroup),
 * isolation and exposure, Theil's entropy index H, the mutual information index M with its
 * exact between/within decomposition, and location quotients.
 *
 * Notation (Reardon & Firebaugh 2002; Mora & Ruiz-Castillo 2011): units j = 1..J (e.g.
 * buurten of one gemeente), groups m = 1..K (e.g. education low / middle / high), counts
 * t_jm >= 0, unit populations t_j = sum_m t_jm, group totals T_m = sum_j t_jm, population
 * T = sum_m T_m, group shares pi_m = T_m / T, unit shares p_jm = t_jm / t_j.
 *
 * - Entropy of the group shares (natural log, nats): E = -sum_m pi_m ln pi_m.
 *   Simpson interaction: I = sum_m pi_m (1 - pi_m).
 * - Dissimilarity. Two groups (Duncan & Duncan 1955): D = 1/2 sum_j |t_j1/T_1 - t_j2/T_2|.
 *   Multigroup (Morgan 1975; Sakoda 1981; Reardon & Firebaugh 2002, eq. 5):
 *   D = sum_m sum_j t_j |p_jm - pi_m| / (2 T I). With K = 2 both formulas give the same
 *   number; wijkbeeld reports one D, computed with the two-group formula when exactly two
 *   groups are present and with the multigroup one otherwise.
 * - Exposure of x to y (Bell 1954; Massey & Denton 1988): xPy = sum_j (t_jx/T_x)(t_jy/t_j);
 *   isolation is xPx. Each row sums to 1 over y, and T_x xPy = T_y yPx.
 * - Mutual information (Theil & Finizza 1971; Mora & Ruiz-Castillo 2011):
 *   M = sum_j (t_j/T) sum_m p_jm ln(p_jm / pi_m) = E - sum_j (t_j/T) E_j, in nats.
 * - Theil's entropy index (Theil 1972; Reardon & Firebaugh 2002, eq. 8):
 *   H = sum_j t_j (E - E_j) / (T E) = M / E, in [0, 1].
 * - Decomposition: when units are grouped into sub-areas s (buurten in wijken),
 *   M = M_between + M_within, M_between = M of the sub-area table (sums of its units'
 *   counts) and M_within = sum_s w_s M_s with w_s = T_s / T and M_s the M of the units
 *   of s measured against the shares of s (the chain rule of mutual information; exact).
 * - Location quotient of group m in unit j: LQ_jm = p_jm / pi_m (1 = as in the whole).
 *
 * Counts need not be integers (shares x totals give fractions); they are used as given.
 * Units with zero population are left out of every index (counted in n_empty); units
 * with a NaN count are left out (counted in n_missing); groups whose total is zero do not
 * count as present: they add nothing to E, M and D, and their isolation/exposure rows are
 * NaN. Whenever an index is NaN the result's note says why.
 */
#ifndef WIJKBEELD_SEGREGATION_H
#define WIJKBEELD_SEGREGATION_H

#include <stddef.h>

#include "core.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most groups one analysis takes (including a derived "other" group). */
#define WB_SEG_GROUPS_MAX 16

/** Indices of one set of units (one parent area in one year). */
typedef struct {
    size_t ngroups;          /**< K, as passed in */
    size_t n_units;          /**< units with population > 0 that entered the indices */
    size_t n_empty;          /**< units with zero population, left out */
    size_t n_missing;        /**< units with a NaN count, left out */
    size_t n_groups_present; /**< groups with a total > 0 */
    size_t n_sub;            /**< sub-areas with population > 0 (0 without a grouping) */
    double population;       /**< T, the sum of all counts of the units used */
    double group_total[WB_SEG_GROUPS_MAX]; /**< T_m */
    double group_share[WB_SEG_GROUPS_MAX]; /**< pi_m (NaN when T = 0) */
    double entropy;          /**< E, nats */
    double simpson;          /**< I = sum pi_m (1 - pi_m) */
    double D;                /**< dissimilarity, in [0, 1]; NaN with fewer than 2 groups present */
    double H;                /**< Theil's H, in [0, 1]; NaN with fewer than 2 groups present */
    double M;                /**< mutual information, nats, >= 0 */
    double M_between;        /**< between sub-areas (NaN without a grouping) */
    double M_within;         /**< sum_s w_s M_s (NaN without a grouping) */
    /** exposure[x][y] = xPy; the diagonal is isolation; NaN rows for absent groups. */
    double exposure[WB_SEG_GROUPS_MAX][WB_SEG_GROUPS_MAX];
    /** Why an index is NaN ("" when none is): a static string. */
    const char *note;
} wb_seg_result;

/**
 * Compute every index of one set of units.
 *
 * @param out      OUT: the indices
 * @param counts   @p nunits x @p ngroups counts, row-major (counts[j * ngroups + m]);
 *                 >= 0 and finite, or NaN for missing (the whole unit is then left out)
 * @param nunits   number of units (0 is allowed: every index is then NaN)
 * @param ngroups  2 .. WB_SEG_GROUPS_MAX
 * @param sub      sub-area of each unit, 0 .. @p nsub - 1, for the between/within
 *                 decomposition; NULL for none
 * @param nsub     number of sub-areas
 * @param sub_weight OUT (may be NULL): @p nsub weights w_s = T_s / T (0 for empty sub-areas)
 * @param sub_M    OUT (may be NULL): @p nsub within-sub-area M_s (NaN for empty sub-areas)
 * @return 0; WB_EINVALID (with a message naming unit and group) for a negative or infinite
 *         count, a sub-area index out of range, or a group count outside 2..WB_SEG_GROUPS_MAX.
 */
int wb_seg_compute(wb_seg_result *out, const double *counts, size_t nunits, size_t ngroups,
                   const size_t *sub, size_t nsub, double *sub_weight, double *sub_M);

/**
 * Location quotients LQ_jm = (t_jm / t_j) / (T_m / T), with T_m and T over the units with
 * a complete, positive population.
 * @param out    OUT: caller buffer of @p nunits x @p ngroups; NaN for units with zero
 *               population or a missing count, and for groups whose total is zero
 * @return 0, or WB_EINVALID as wb_seg_compute.
 */
int wb_seg_lq(double *out, const double *counts, size_t nunits, size_t ngroups);

/* ---------------------------------------------------------------- from the store */

/** How group indicators are turned into counts. */
typedef enum {
    WB_SEG_INPUT_AUTO = 0, /**< shares when every group's unit is "%" (or, without a unit,
                                its key starts with "p_"), counts when none is */
    WB_SEG_INPUT_COUNTS,   /**< the group indicators are counts */
    WB_SEG_INPUT_SHARES,   /**< the group indicators are percentages of the total:
                                count = share / 100 x total */
    WB_SEG_INPUT__MAX
} wb_seg_input;

/**
 * What to do with a unit where a group is larger than its total (a count above the total, a
 * share above 100 %) or, when the remainder group "other" is asked for, where the groups
 * together exceed the total. A relative excess up to 1e-9 is taken as rounding and ignored.
 */
typedef enum {
    WB_SEG_EXCESS_ERROR = 0, /**< fail with WB_EINVALID naming the unit, year and values */
    WB_SEG_EXCESS_DROP,      /**< leave the unit out (counted in n_excess) */
    WB_SEG_EXCESS_CLAMP,     /**< keep it: each group capped at the total, "other" = 0
                                  (counted in n_excess) */
    WB_SEG_EXCESS__MAX
} wb_seg_excess;

/** What to analyse. Initialise with WB_SEG_QUERY_INIT. */
typedef struct {
    int version;                            /**< 1 */
    const char *groups[WB_SEG_GROUPS_MAX];  /**< indicator keys or aliases */
    size_t ngroups;                         /**< 2 .. WB_SEG_GROUPS_MAX (1 with other = 1) */
    const char *total;                      /**< total indicator, or NULL (required for shares
                                                 and for other) */
    wb_seg_input input;
    int other;               /**< 1: add the group "other" = total - sum of the groups */
    wb_level unit_level;     /**< the units (default buurt) */
    wb_level by_level;       /**< one result per area of this level (default gemeente) */
    wb_level within_level;   /**< sub-areas for the decomposition; WB_LEVEL__MAX: none */
    const char *in;          /**< only units within this area code, or NULL */
    int year_from, year_to;  /**< data years, inclusive; 0: no bound */
    int boundary_year;       /**< 0: the only boundary year that has data for a data year */
    wb_seg_excess excess;
} wb_seg_query;

#define WB_SEG_QUERY_INIT                                                                    \
    {1, {NULL}, 0, NULL, WB_SEG_INPUT_AUTO, 0, WB_LEVEL_BUURT, WB_LEVEL_GEMEENTE,            \
     WB_LEVEL__MAX, NULL, 0, 0, 0, WB_SEG_EXCESS_ERROR}

/** The units of one parent area in one data year, with their counts. */
typedef struct {
    char parent[WB_CODE_MAX];  /**< code of the --by area */
    char *parent_name;         /**< its stored name, or NULL */
    int year;                  /**< data year */
    int boundary_year;         /**< boundary year of the units */
    size_t n_areas;            /**< areas of the unit level in the parent */
    size_t nunits;             /**< units with complete values (including empty ones) */
    char (*codes)[WB_CODE_MAX];/**< their codes, ordered */
    double *counts;            /**< nunits x ngroups, row-major */
    size_t *sub;               /**< sub-area index per unit, or NULL without within_level */
    size_t nsub;
    char (*sub_codes)[WB_CODE_MAX]; /**< the sub-area codes ("" for units without one) */
    size_t n_missing;          /**< units left out because a value is missing */
    size_t missing_by[WB_SEG_GROUPS_MAX + 1]; /**< per input indicator: the groups as asked,
                                                   then the total */
    size_t n_excess;           /**< units dropped or clamped by the excess policy */
} wb_seg_block;

/** Counts loaded for an analysis. Free with wb_seg_data_dispose. */
typedef struct {
    size_t ngroups;                         /**< groups in the counts (incl. "other") */
    char group_keys[WB_SEG_GROUPS_MAX][64]; /**< canonical keys; "other" for the remainder */
    size_t ninputs;                         /**< group indicators as asked (without other) */
    int shares;                             /**< 1: counts = share / 100 x total */
    char total_key[64];                     /**< "" without a total */
    char source[160];                       /**< "counts" or "shares x total KEY", plus
                                                 "; other = KEY - sum" when derived */
    wb_seg_block *blocks;                   /**< ordered by year, then parent code */
    size_t nblocks;
} wb_seg_data;

/**
 * Load group counts from the store: units are the areas of q->unit_level (within q->in)
 * grouped by their enclosing area of q->by_level, by the CBS code hierarchy (BU within WK
 * within GM; other codes by their stored parent). A parent area gets a block for a data
 * year when any of its units has a value of any of the indicators in that year; every area
 * of the unit level in it is then a unit, and those with a missing value are counted, not
 * used. With shares, a unit whose total is 0 is empty (its shares are usually suppressed).
 *
 * @param out OUT: free with wb_seg_data_dispose (also on error: it is left empty)
 * @return 0; WB_ENOTFOUND for an unknown indicator or when no values match (the message
 *         says which indicator, level and years); WB_EINVALID for a bad query, mixed count
 *         and share inputs, shares without a total, negative values, several boundary years
 *         for one data year without q->boundary_year, or (with WB_SEG_EXCESS_ERROR) a group
 *         larger than its total.
 */
int wb_seg_load(wb_seg_data *out, wb_store *st, const wb_seg_query *q);

/** Free what wb_seg_load allocated and empty @p d. Accepts NULL. */
void wb_seg_data_dispose(wb_seg_data *d);

/** "error", "drop", "clamp"; NULL for an invalid value. Static string. */
const char *wb_seg_excess_name(wb_seg_excess e);

/** Parse an excess policy name. @return 0 or WB_EINVALID with a message. */
int wb_seg_excess_parse(wb_seg_excess *out, const char *name);

#ifdef __cplusplus
}
#endif
#endif
