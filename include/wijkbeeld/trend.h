/**
 * @file
 * @brief Trends of yearly series: Mann-Kendall, Theil-Sen, the hinge (broken-stick) model
 * with a given or estimated break year, and the trend classes and RIGO groups built on them.
 *
 * Everything works on plain arrays: @c years[i] is the (data) year of @c values[i]; a NaN
 * value is a gap and is left out. Years must be finite, distinct and ascending. A series has
 * at most WB_TREND_MAX_YEARS years. Nothing here allocates per series; the batch function
 * allocates once per call.
 *
 * Formula sources (repeated next to the code in src/stats/trend.c):
 * - Mann-Kendall S, tie-corrected variance: Kendall (1975) Rank Correlation Methods, 4th ed.,
 *   ch. 4; Hipel & McLeod (1994) Time Series Modelling of Water Resources, sec. 23.3.
 *   tau is Kendall's tau-b, S / sqrt(n0 (n0 - n1)) with n0 = n(n-1)/2 and n1 = sum over
 *   groups of tied values t(t-1)/2 (years never tie), as R's cor(method = "kendall").
 * - Exact null distribution of S: without ties the number of permutations with a given
 *   number of inversions (Kendall 1975, Appendix Table 1; Hollander & Wolfe 1999, Table A.30);
 *   with ties the exact permutation distribution over the distinct arrangements of the tied
 *   values, whose inversion counts have the q-multinomial coefficient as generating function
 *   (MacMahon 1916, Combinatory Analysis, vol. 1, sec. 103).
 * - Theil-Sen: Theil (1950), Sen (1968); confidence interval as Hollander & Wolfe (1999)
 *   sec. 9.4 / Gilbert (1987) sec. 16.4.
 * - Hinge model: ordinary least squares; sup-F over candidate breaks: Andrews (1993),
 *   Econometrica 61(4); its p-value by Monte Carlo simulation under the null (the F statistics
 *   are pivotal under Gaussian errors, so the simulation is exact up to Monte Carlo error);
 *   Davies (1987), Biometrika 74(1), upper bound as in R segmented::davies.test (lm case).
 */
#ifndef WIJKBEELD_TREND_H
#define WIJKBEELD_TREND_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most years one series may have. */
#define WB_TREND_MAX_YEARS 64

/** Largest n for which an exact Mann-Kendall p can be asked (counts stay exact in a double). */
#define WB_MK_EXACT_NMAX 18

/* ---------------------------------------------------------------- Mann-Kendall */

/** Mann-Kendall trend test of one series. */
typedef struct {
    int n;        /**< observed (non-NaN) points */
    long s;       /**< S = sum over pairs i<j of sign(y_j - y_i) */
    double tau;   /**< Kendall's tau-b; NaN when n < 2 or all values tie */
    double var_s; /**< tie-corrected variance of S under the null */
    double z;     /**< (S - sign(S)) / sqrt(var_s) (continuity-corrected); NaN if var_s == 0 */
    double p;     /**< two-sided p-value; 1 when S == 0; NaN when n < 2 */
    int exact;    /**< 1: p from the exact null distribution; 0: normal approximation */
} wb_mk_result;

/**
 * Mann-Kendall test. The p-value is exact when n <= @p exact_max (ties included: the exact
 * permutation distribution given the tie pattern), else from the normal approximation with
 * continuity correction and the tie-corrected variance.
 * @param out       OUT: the result (all fields set; NaN where undefined)
 * @param years     n years (gaps: NaN in @p values)
 * @param values    n values, NaN = missing
 * @param n         number of entries, at most WB_TREND_MAX_YEARS
 * @param exact_max exact p up to this many observed points (0..WB_MK_EXACT_NMAX; 10 is usual)
 * @return 0, or WB_EINVALID (too many years, years not ascending, exact_max out of range).
 */
int wb_mk(wb_mk_result *out, const double *years, const double *values, size_t n, int exact_max);

/**
 * The exact two-sided Mann-Kendall p-value P(|S| >= |s|) for @p n points without ties,
 * from the precomputed inversion tables; the count behind it is 2 * #{perm: S >= |s|}
 * out of n! (exact integers), so the double is the correctly rounded ratio.
 * @return the p-value, or NaN when n < 2 or n > WB_MK_EXACT_NMAX.
 */
double wb_mk_exact_p(int n, long s);

/* ---------------------------------------------------------------- Theil-Sen */

/** Theil-Sen slope of one series. */
typedef struct {
    int n;            /**< observed points */
    double slope;     /**< median of the pairwise slopes (y_j - y_i) / (t_j - t_i), per year */
    double intercept; /**< median of y_i - slope * t_i (Conover 1980), at year 0 */
    double lo, hi;    /**< confidence interval (NaN when not asked or too few pairs) */
} wb_sen_result;

/**
 * Theil-Sen slope over all pairs of observed years (gaps allowed). With @p conf in (0,1) also
 * the distribution-free confidence interval: with N pairs and C = z_{(1+conf)/2} sqrt(Var S)
 * (tie-corrected), the ordered slopes of ranks round((N - C) / 2) and round((N + C) / 2) + 1
 * (1-based, R-style rounding half to even, clamped to 1..N).
 * @param conf confidence level, or 0 for no interval
 * @return 0 or WB_EINVALID.
 */
int wb_sen(wb_sen_result *out, const double *years, const double *values, size_t n, double conf);

/* ---------------------------------------------------------------- hinge model */

/** Least-squares fit of y = a + b t + c max(0, t - tau) at a given tau. */
typedef struct {
    int n;               /**< observed points */
    int n_before;        /**< points with t <= tau */
    int n_after;         /**< points with t >= tau */
    double tau;          /**< the break year */
    double a, b, c;      /**< coefficients (a at year 0) */
    double slope_before; /**< b, per year */
    double slope_after;  /**< b + c, per year */
    double se_before;    /**< standard error of b */
    double se_after;     /**< standard error of b + c */
    double se_c;         /**< standard error of c */
    double p_before;     /**< two-sided t-test of b = 0 (df n - 3) */
    double p_after;      /**< two-sided t-test of b + c = 0 (df n - 3) */
    double p_c;          /**< two-sided t-test of c = 0 at this (given) tau; F = t^2 */
    double f;            /**< F statistic of c = 0: (RSS0 - RSS1) / (RSS1 / (n - 3)) */
    double rss;          /**< residual sum of squares of the hinge fit */
    int ok;              /**< 1 when fitted (design of rank 3 and n >= 4); else the rest is NaN */
} wb_hinge_result;

/**
 * Fit the hinge model at a given break year @p tau. Needs n >= 4 observed points and a design
 * of full rank (at least two distinct years on one side of tau and one on the other, not all
 * on one line); otherwise out->ok = 0 and the estimates are NaN (not an error).
 * @return 0 or WB_EINVALID.
 */
int wb_hinge_fit(wb_hinge_result *out, const double *years, const double *values, size_t n,
                 double tau);

/** The break search: sup-F over candidate years. */
typedef struct {
    wb_hinge_result fit; /**< the fit at the estimated break (fit.tau) */
    int ncand;           /**< number of candidate years searched (0: none possible) */
    double supf;         /**< max over candidates of F(tau) (Andrews 1993) */
    double supf_p;       /**< Monte Carlo p-value of supf (NaN when draws == 0) */
    double davies_p;     /**< Davies (1987) upper bound for the two-sided p (capped at 1) */
} wb_break_result;

/**
 * Estimate the break: the candidates are the observed years t_k strictly inside the range with
 * at least @p min_side observed points on each side counting t_k itself (#{t <= t_k} >= min_side
 * and #{t >= t_k} >= min_side). The estimate maximises F(tau); its p-value accounts for the
 * search: the null distribution of sup-F for this design is simulated with @p draws samples of
 * independent N(0,1) errors (F is invariant to a, b and sigma under the null, so this is the
 * parametric bootstrap), p = (1 + #{supF* >= supF}) / (draws + 1). The random stream depends
 * only on @p seed and the observed years, so the same series always gets the same p.
 * @param min_side at least 2
 * @param draws    Monte Carlo draws (e.g. 999), 0 for none (supf_p NaN; davies_p is always given)
 * @return 0 or WB_EINVALID. Without candidates: ncand = 0, fit.ok = 0.
 */
int wb_hinge_search(wb_break_result *out, const double *years, const double *values, size_t n,
                    int min_side, int draws, uint64_t seed);

/* ---------------------------------------------------------------- classes */

/** Trend class of an area since the break (or over the whole series without a break). */
typedef enum {
    WB_TREND_UNKNOWN = 0, /**< too few points to say */
    WB_TREND_IMPROVING,
    WB_TREND_STAGNATING,
    WB_TREND_DECLINING,
    WB_TREND__MAX
} wb_trend_class;

/** The four groups of RIGO's analysis of the former aandachtswijken, and none. */
typedef enum {
    WB_GROUP_NONE = 0,      /**< none of the four (or unknown) */
    WB_GROUP_SUCCESS,       /**< improving, good level */
    WB_GROUP_SLOW_RECOVERY, /**< improving, weak level */
    WB_GROUP_RELAPSE,       /**< clear decline since the break */
    WB_GROUP_EARLY_WARNING, /**< fair but below-average level, stagnating */
    WB_GROUP__MAX
} wb_trend_group;

/** "unknown", "improving", "stagnating", "declining". Static; NULL when out of range. */
const char *wb_trend_class_name(wb_trend_class c);
/** "none", "success", "slow_recovery", "relapse", "early_warning". Static; NULL when out of range. */
const char *wb_trend_group_name(wb_trend_group g);

/** How the trend class is decided. */
typedef enum {
    /** Hinge slope after the break and its t-test; without a break, the SEN rule. */
    WB_TREND_RULE_HINGE = 0,
    /** Theil-Sen slope and Mann-Kendall p on the points at or after the break (all points
     *  without a break). */
    WB_TREND_RULE_SEN,
    WB_TREND_RULE__MAX
} wb_trend_rule;

/** Break handling. */
typedef enum {
    WB_BREAK_NONE = 0,  /**< no break: whole-series trend */
    WB_BREAK_FIXED,     /**< break at opts.break_year */
    WB_BREAK_ESTIMATE,  /**< break estimated by sup-F */
    WB_BREAK__MAX
} wb_break_mode;

/**
 * Options of wb_trend_series / wb_trend_batch. Defaults (WB_TREND_OPTS_INIT) and the class
 * rules they drive:
 *
 * Trend class (d = +1 when higher is better, -1 when higher is worse; neutral counts as +1):
 * - rule HINGE with a break: with s = d * slope_after and p = p_after (t-test, df n - 3):
 *   improving when s > 0, |slope_after| >= min_slope and (p < alpha or !require_significance);
 *   declining likewise with s < 0; otherwise stagnating. With an estimated break whose sup-F
 *   p-value (Monte Carlo, else Davies) is not below alpha, no break is established and the
 *   whole-series SEN rule decides.
 * - rule SEN (and any rule without a break): s = d * Theil-Sen slope and p = Mann-Kendall p
 *   on the points at or after the break (all points without one).
 * - unknown when the hinge cannot be fitted, or fewer than 3 points enter the SEN rule.
 * - a series whose observed values are all equal is stagnating (class slope 0, class p 1)
 *   whenever its class is not unknown: its tests are undefined (S = 0 with variance 0, a
 *   perfect fit), but it plainly does not change.
 *
 * Level (RIGO groups): level = the last observed value; z = d * (level - reference) / scale.
 * reference and scale NaN: wb_trend_batch uses the median and the standard deviation of the
 * last observed values of all series in the batch (wb_trend_series then gives group NONE).
 * - success: improving and z >= good_z (default 0: at or above the reference)
 * - slow recovery: improving and z < good_z
 * - relapse: declining (a significant decline since the break)
 * - early warning: stagnating and fair_z <= z < good_z (default -1 <= z < 0)
 * - none: everything else.
 */
typedef struct {
    int version;
    wb_break_mode break_mode;  /**< default WB_BREAK_NONE */
    double break_year;         /**< for WB_BREAK_FIXED */
    int min_side;              /**< estimated break: points on each side, incl. the break (3) */
    int draws;                 /**< sup-F Monte Carlo draws (999); 0 = Davies bound only */
    uint64_t seed;             /**< seed of the simulation (1) */
    int exact_max;             /**< exact Mann-Kendall p up to this n (10) */
    double sen_conf;           /**< Theil-Sen interval level (0.95); 0 = none */
    wb_trend_rule rule;        /**< default WB_TREND_RULE_HINGE */
    double alpha;              /**< significance level of the classes (0.05) */
    int require_significance;  /**< 1: classes need p < alpha (default); 0: sign and size only */
    double min_slope;          /**< smallest |slope| per year that counts as change (0) */
    int direction;             /**< +1 higher is better (default), -1 higher is worse */
    double reference;          /**< level reference (NaN: median of the batch's last values) */
    double scale;              /**< level scale (NaN: SD of the batch's last values) */
    double good_z;             /**< success / slow recovery boundary (0) */
    double fair_z;             /**< lower edge of early warning (-1) */
    int nthreads;              /**< batch threads; 0 = number of online CPUs (at most 16) */
} wb_trend_opts;

#define WB_TREND_OPTS_INIT                                                                   \
    {1, WB_BREAK_NONE, 0.0, 3, 999, 1, 10, 0.95, WB_TREND_RULE_HINGE, 0.05, 1, 0.0, 1,       \
     NAN, NAN, 0.0, -1.0, 0}

/** Everything about one series. */
typedef struct {
    int n;                /**< observed points */
    int first_year;       /**< first observed year (0 when n == 0) */
    int last_year;        /**< last observed year */
    wb_mk_result mk;      /**< whole-series Mann-Kendall */
    wb_sen_result sen;    /**< whole-series Theil-Sen */
    wb_hinge_result hinge;/**< hinge fit at break_year (ok = 0 without a break) */
    double break_year;    /**< fixed or estimated break; NaN without */
    int ncand;            /**< estimated break: candidates searched */
    double supf;          /**< estimated break: sup-F (NaN otherwise) */
    double supf_p;        /**< estimated break: Monte Carlo p (NaN otherwise) */
    double davies_p;      /**< estimated break: Davies bound (NaN otherwise) */
    double class_slope;   /**< the slope the class was decided on (per year) */
    double class_p;       /**< its p-value (1 for a series that never changes) */
    double level;         /**< last observed value */
    double level_z;       /**< d * (level - reference) / scale; NaN when unknown */
    wb_trend_class trend;
    wb_trend_group group;
} wb_trend_result;

/**
 * All trend statistics and classes of one series.
 * @return 0 or WB_EINVALID (bad options or years). A series with too few points is not an
 *         error: its statistics are NaN and its class unknown.
 */
int wb_trend_series(wb_trend_result *out, const double *years, const double *values, size_t n,
                    const wb_trend_opts *opts);

/** What a batch used and found. */
typedef struct {
    double reference;    /**< level reference used */
    double scale;        /**< level scale used */
    size_t ndesigns;     /**< distinct observed-year patterns simulated for sup-F */
    size_t count[WB_TREND__MAX];  /**< series per trend class */
    size_t groups[WB_GROUP__MAX]; /**< series per group */
    int nthreads;        /**< threads used */
} wb_trend_summary;

/**
 * Trends of many series on one year axis: row r of @p values (nseries x nyears, row-major)
 * is a series over @p years. Equivalent to wb_trend_series on each row (identical results,
 * whatever the number of threads), but faster: the sup-F null distribution is simulated once
 * per distinct pattern of observed years, and the work is spread over opts->nthreads threads.
 * @param out      OUT: caller array of @p nseries results
 * @param summary  OUT: may be NULL
 * @param progress may be NULL; called from the calling thread only ("trend", done, total)
 * @return 0, WB_EINVALID, WB_ENOMEM, or WB_ERROR when a thread cannot be started.
 */
int wb_trend_batch(wb_trend_result *out, wb_trend_summary *summary, const double *years,
                   size_t nyears, const double *values, size_t nseries, const wb_trend_opts *opts,
                   wb_progress_fn progress, void *payload);

#ifdef __cplusplus
}
#endif
#endif
