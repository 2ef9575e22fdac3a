/**
 * @file
 * @brief A labelled set of areas against the rest: per year the mean and median of the
 * set, of the other areas in the set's gemeenten, of all other areas and of the nation,
 * and the gaps between them; the change of those gaps before and after a break year.
 *
 * Groups (per year, areas with a value only):
 *   set        the members of the set;
 *   gemeenten  the other areas (not in the set) of the gemeenten that contain a member;
 *   rest       every area not in the set;
 *   nation     every area (the set included).
 * gap_nation = mean(set) - mean(nation); gap_gemeenten = mean(set) - mean(gemeenten).
 * Means are unweighted means over areas (each area counts once, whatever its population).
 */
#ifndef WIJKBEELD_COMPARE_H
#define WIJKBEELD_COMPARE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Count, mean and median of one group in one year (NaN when n = 0). */
typedef struct {
    size_t n;
    double mean, median;
} wb_cmp_stat;

/** Groups of a comparison. */
typedef enum {
    WB_CMP_SET = 0,
    WB_CMP_GEMEENTEN,
    WB_CMP_REST,
    WB_CMP_NATION,
    WB_CMP__MAX
} wb_cmp_group;

/** One year of a comparison. */
typedef struct {
    int year;
    wb_cmp_stat g[WB_CMP__MAX];
    double gap_nation;    /**< mean(set) - mean(nation) */
    double gap_gemeenten; /**< mean(set) - mean(gemeenten) */
} wb_compare_year;

/**
 * Compare a set with the rest, year by year.
 *
 * @param out       OUT: @p nyears rows, free with wb_free
 * @param values    [t * nareas + a], NaN = missing
 * @param in_set    per area: 1 = member
 * @param gemeente  per area: index of its gemeente (any integer id), -1 = unknown
 * @param balanced  1: only areas with a value in every year take part (in every group)
 * @return 0 or WB_ENOMEM.
 */
int wb_compare_years(wb_compare_year **out, const double *values, size_t nareas, size_t nyears,
                     const int *years, const unsigned char *in_set, const long *gemeente,
                     int balanced);

/** Change per year of the group means and the gaps over one period. */
typedef struct {
    int from, to;
    double change[WB_CMP__MAX]; /**< (mean(to) - mean(from)) / (to - from) */
    double gap_nation_change;     /**< per year */
    double gap_gemeenten_change;  /**< per year */
} wb_compare_period;

/**
 * The change per year before and after a break year: the periods first year .. break and
 * break .. last year of @p rows (those with a set mean). @p out receives 2 periods.
 * @return 0, or WB_EINVALID when the break year is not strictly inside the years with values.
 */
int wb_compare_periods(wb_compare_period out[2], const wb_compare_year *rows, size_t nrows,
                       int break_year);

/** Median of n values (NaN are not allowed); sorts @p v in place. NaN for n = 0. */
double wb_median_inplace(double *v, size_t n);

#ifdef __cplusplus
}
#endif
#endif
