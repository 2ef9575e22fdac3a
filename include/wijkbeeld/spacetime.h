/**
 * @file
 * @brief Space and time together: class mobility (Markov chains), spatial Markov chains
 * (Rey 2001) with the homogeneity tests of Bickenbach & Bode (2003), LISA Markov chains,
 * emerging hot spots (Getis-Ord Gi* per year and the categories of ArcGIS's Emerging Hot
 * Spot Analysis), and bivariate global and local Moran's I.
 *
 * The conventions follow PySAL giddy 2.3 (Markov, Spatial_Markov, LISA_Markov, ergodic.py,
 * homogeneity), esda / spdep 1.2 (Moran_BV, moran_bv, localmoran_bv) and the ArcGIS Pro
 * documentation of Emerging Hot Spot Analysis; docs/spacetime.md states each one and where
 * wijkbeeld deliberately differs (islands, empty rows, reducible chains).
 *
 * Layout of area x year arrays: year-major, the value of area i in year t is a[t * n + i]
 * (one contiguous column per year, as in the panel). Classes are 0-based state indices,
 * -1 = missing.
 */
#ifndef WIJKBEELD_SPACETIME_H
#define WIJKBEELD_SPACETIME_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "panel.h"
#include "spatial.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most states (classes) of a chain. */
#define WB_MARKOV_MAX_STATES 64

/* ---------------------------------------------------------------- classes */

/**
 * Quantile cut points as mapclassify's Quantiles (what giddy's Spatial_Markov uses): the
 * quantiles at 1/k, 2/k, ..., 1 of the finite values of @p x, by linear interpolation
 * between order statistics (R's quantile type 7, numpy's default). Class c (0-based) holds
 * the values v with bins[c - 1] < v <= bins[c].
 * @param bins OUT: k upper bounds, strictly increasing; bins[k - 1] is the maximum
 * @return 0; WB_EINVALID when fewer than 2 finite values, or when the k cut points are not
 *         distinct (too few distinct values for k classes; the message lists them); WB_ENOMEM.
 */
int wb_quantile_bins(double *bins, size_t k, const double *x, size_t n);

/** The class of @p v for the upper bounds of wb_quantile_bins: the number of bins below v
 *  (0 .. k - 1; values above the last bin get k - 1); -1 for NaN. */
int wb_bins_class(const double *bins, size_t k, double v);

/* ---------------------------------------------------------------- Markov chains */

/** A Markov chain estimated from transition counts (giddy's Markov). */
typedef struct {
    size_t k;          /**< states */
    double *count;     /**< k x k transition counts, row = from (row-major) */
    double *p;         /**< k x k probabilities count / row sum; a row without transitions is 0 */
    size_t nsteady;    /**< recurrent classes of the chain = number of steady states */
    double *steady;    /**< nsteady x k: one stationary distribution per recurrent class */
    double *mfpt;      /**< k x k mean first passage times (INFINITY: never reached for sure);
                            the diagonal holds the mean recurrence times */
    double ntransitions; /**< sum of the counts */
} wb_markov_chain;

#define WB_MARKOV_CHAIN_INIT {0, NULL, NULL, 0, NULL, NULL, 0}

/** Allocate a chain of @p k states with all counts 0. @return 0, WB_EINVALID, WB_ENOMEM. */
int wb_markov_chain_init(wb_markov_chain *c, size_t k);

/** Free the arrays and reset. Accepts NULL. */
void wb_markov_chain_dispose(wb_markov_chain *c);

/**
 * Add the transitions of class series to the counts: for every area i (with areas[i] != 0
 * when @p areas is given) and every period t -> t + 1 (with periods[t] != 0 when given) where
 * both classes are known, count[cls[t*n+i]][cls[(t+1)*n+i]] += 1.
 * @param cls n x T classes (year-major), 0 .. k - 1 or -1
 */
void wb_markov_count(wb_markov_chain *c, const int *cls, size_t n, size_t T,
                     const unsigned char *areas, const unsigned char *periods);

/**
 * From the counts: probabilities, steady states and mean first passage times. As giddy's
 * Markov (fill_empty_classes for steady_state and mfpt): a state without any transition
 * out is made absorbing (p_ii = 1) for the steady states and the passage times (the
 * published p keeps its row of zeros).
 * @return 0, WB_ENOMEM.
 */
int wb_markov_chain_finish(wb_markov_chain *c);

/**
 * Stationary distributions of a transition matrix (rows that are all 0 become absorbing):
 * one per recurrent (closed communicating) class, ordered by the class's lowest state,
 * zero outside the class. An irreducible chain has one (Kemeny & Snell 1976, ch. 4).
 * @param out OUT: room for k x k doubles; *nsteady rows are filled
 * @return 0, WB_EINVALID (k out of range), WB_ENOMEM.
 */
int wb_markov_steady(double *out, size_t *nsteady, const double *p, size_t k);

/**
 * Mean first passage times m_ij: the expected number of periods for a chain in state i to
 * first enter state j, and m_jj = 1 + sum_{l != j} p_jl m_lj, the mean recurrence time
 * (1 / pi_j in an ergodic chain, Kemeny & Snell 1976, theorem 4.4.5). m_ij is INFINITY
 * when the chain started in i may never enter j (giddy's mfpt for reducible chains).
 * @param out OUT: k x k
 */
int wb_markov_mfpt(double *out, const double *p, size_t k);

/** The homogeneity tests of a set of Markov chains (Bickenbach & Bode 2003, as giddy's
 *  homogeneity / Spatial_Markov.Q, LR, dof_hom). */
typedef struct {
    double Q;    /**< sum_m sum_i n_im sum_j (p_ijm - p_ij)^2 / p_ij (cells with p_ij > 0) */
    double Q_p;  /**< upper chi-square tail of Q with dof degrees of freedom */
    double LR;   /**< 2 sum_m sum_ij n_ijm ln(p_ijm / p_ij) over cells with n_ijm > 0 */
    double LR_p;
    long dof;    /**< sum_i (b_i - 1)(a_i - 1): b_i regimes with transitions out of i, a_i
                      non-zero cells in row i of the pooled counts */
    double ntransitions;
} wb_markov_homogeneity;

/**
 * Test whether @p m transition count matrices (m x k x k, regime-major) come from one chain.
 * @return 0, WB_EINVALID.
 */
int wb_markov_homogeneity_test(wb_markov_homogeneity *out, const double *counts, size_t m,
                               size_t k);

/* ---------------------------------------------------------------- spatial Markov */

/** Options of wb_spatial_markov. */
typedef struct {
    int version;
    size_t lag_classes;          /**< m: quantile classes of the spatial lag (default 4, giddy's) */
    const unsigned char *areas;  /**< NULL, or n flags: count only these areas' transitions
                                      (lags and lag classes still use all areas) */
    const unsigned char *periods;/**< NULL, or T - 1 flags: count only these periods */
} wb_spatial_markov_opts;

#define WB_SPATIAL_MARKOV_OPTS_INIT {1, 4, NULL, NULL}

/** A spatial Markov chain (giddy's Spatial_Markov with fixed = True). */
typedef struct {
    size_t k, m, n, T;
    double lag_bins[WB_MARKOV_MAX_STATES]; /**< m upper bounds of the lag classes */
    wb_markov_chain pooled;  /**< the chain of all counted transitions (giddy's p, s, f) */
    wb_markov_chain *cond;   /**< m chains, one per lag class at the start of the period */
    wb_markov_homogeneity ht;
    double *lag;             /**< n x T spatial lags of y (NaN: island or missing) */
    int *lag_class;          /**< n x T lag classes (-1: island or missing) */
    size_t islands;          /**< areas without neighbours: no lag, not counted */
} wb_spatial_markov;

#define WB_SPATIAL_MARKOV_INIT {0, 0, 0, 0, {0}, WB_MARKOV_CHAIN_INIT, NULL, {0, 0, 0, 0, 0, 0}, NULL, NULL, 0}

/**
 * Spatial Markov chain (Rey 2001): the transitions of @p cls conditioned on the class of the
 * spatial lag of @p y at the start of each period. The lag is sum_j w_ij y_j (use
 * row-standardised weights for a neighbourhood mean); its classes are quantiles of the lags
 * pooled over all areas and years (giddy's default fixed = True). Areas without neighbours
 * have no lag: they are counted in out->islands and their transitions are left out of the
 * pooled and conditional counts alike (giddy would give them a lag of 0).
 * @param y   n x T values whose lag conditions (the class numbers for a class indicator)
 * @param cls n x T classes 0 .. k - 1 (-1 missing)
 * @return 0; WB_EINVALID (too few distinct lags for m classes, no area with neighbours,
 *         missing values of y), WB_ENOMEM.
 */
int wb_spatial_markov_estimate(wb_spatial_markov *out, const wb_weights *w, const double *y, const int *cls,
                      size_t n, size_t T, size_t k, const wb_spatial_markov_opts *o);

/** Free and reset. Accepts NULL. */
void wb_spatial_markov_dispose(wb_spatial_markov *s);

/** LISA quadrants in giddy's order (LISA_Markov, geoda_quads = False). */
typedef enum {
    WB_QUAD_HH = 0, /**< own value above the mean, neighbours' mean above the mean */
    WB_QUAD_LH,     /**< own below (or at), neighbours above */
    WB_QUAD_LL,
    WB_QUAD_HL,
    WB_QUAD__MAX
} wb_quadrant;

/** "HH", "LH", "LL", "HL"; NULL when out of range. */
const char *wb_quadrant_name(wb_quadrant q);

/**
 * LISA Markov chain (giddy's LISA_Markov transitions): each year the quadrant of every area
 * in the Moran scatterplot of that year (z = y - mean, lag = sum_j w_ij z_j; a value at the
 * mean counts as low, as in spdep and esda), and the chain of quadrant transitions.
 * Islands have no quadrant (-1) and no transitions.
 * @param quad OUT: n x T quadrants (may be NULL)
 * @param areas, periods as for wb_markov_count (may be NULL)
 * @return 0, WB_EINVALID (missing value, a year with zero variance), WB_ENOMEM.
 */
int wb_lisa_markov(wb_markov_chain *out, int *quad, const wb_weights *w, const double *y,
                   size_t n, size_t T, const unsigned char *areas, const unsigned char *periods);

/* ---------------------------------------------------------------- emerging hot spots */

/** Emerging hot spot categories (ArcGIS Emerging Hot Spot Analysis). */
typedef enum {
    WB_EHSA_NONE = 0, /**< no pattern detected */
    WB_EHSA_NEW_HOT,
    WB_EHSA_CONSECUTIVE_HOT,
    WB_EHSA_INTENSIFYING_HOT,
    WB_EHSA_PERSISTENT_HOT,
    WB_EHSA_DIMINISHING_HOT,
    WB_EHSA_SPORADIC_HOT,
    WB_EHSA_OSCILLATING_HOT,
    WB_EHSA_HISTORICAL_HOT,
    WB_EHSA_NEW_COLD,
    WB_EHSA_CONSECUTIVE_COLD,
    WB_EHSA_INTENSIFYING_COLD,
    WB_EHSA_PERSISTENT_COLD,
    WB_EHSA_DIMINISHING_COLD,
    WB_EHSA_SPORADIC_COLD,
    WB_EHSA_OSCILLATING_COLD,
    WB_EHSA_HISTORICAL_COLD,
    WB_EHSA_ISLAND,   /**< no neighbours: not classified */
    WB_EHSA__MAX
} wb_ehsa_category;

/** "none", "new_hot", "consecutive_hot", ..., "historical_cold", "island". Static. */
const char *wb_ehsa_name(wb_ehsa_category c);

/**
 * The category of one location from its significant spots per time step (+1 hot, -1 cold,
 * 0 not significant; oldest first) and the Mann-Kendall test of its Gi* z series (tau's
 * sign and p-value). The rules, in this order, with n steps, H hot and C cold steps, and
 * "90%" meaning at least 9 n / 10 steps (docs/spacetime.md quotes ArcGIS's definitions):
 *  final step hot:  H >= 90%: intensifying (tau > 0, p < alpha), diminishing (tau < 0,
 *                   p < alpha), else persistent; otherwise C > 0: oscillating; H == 1: new;
 *                   all H hot steps are the final run: consecutive; else sporadic.
 *  final step cold: the mirror image (intensifying cold: tau < 0).
 *  final step neither: H >= 90%: historical hot; C >= 90%: historical cold; else none.
 */
wb_ehsa_category wb_ehsa_classify(const signed char *spot, size_t n, double tau, double mk_p,
                                  double alpha);

/** Options of wb_ehsa. */
typedef struct {
    int version;
    double alpha;    /**< significance of the Gi* spots and of the trend (default 0.05) */
    int fdr;         /**< 1 (default, as ArcGIS Pro): Benjamini-Hochberg over the areas of each year */
    int exact_max;   /**< Mann-Kendall exact p up to this many years (default 10) */
    unsigned threads;/**< years, then areas, in parallel; 0: one per online processor (the
                          results do not depend on it) */
} wb_ehsa_opts;

#define WB_EHSA_OPTS_INIT {1, 0.05, 1, 10, 0}

/** Caller-owned outputs of wb_ehsa; any may be NULL. */
typedef struct {
    double *z;        /**< n x T: Gi* z per year */
    double *p;        /**< n x T: its two-sided p (FDR-adjusted when opts.fdr) */
    signed char *spot;/**< n x T: +1 hot, -1 cold, 0 */
    double *tau;      /**< n: Mann-Kendall tau of the z series */
    double *mk_p;     /**< n: its p-value */
    int *n_hot;       /**< n */
    int *n_cold;      /**< n */
    int *category;    /**< n: a wb_ehsa_category */
} wb_ehsa_out;

/**
 * Emerging hot spots: Getis-Ord Gi* of every year (wb_getis_ord with star, on the same
 * weights every year: spatial neighbours only, no time lags), significant spots per year,
 * Mann-Kendall of each area's z series (wb_mk), and the category.
 * @param y     n x T values, all finite
 * @param years T years (ascending)
 * @return 0, WB_EINVALID (T < 2, n < 3, missing values, a year with zero variance), WB_ENOMEM.
 */
int wb_ehsa(const wb_ehsa_out *out, const wb_weights *w, const double *y, size_t n,
            const double *years, size_t T, const wb_ehsa_opts *opts);

/* ---------------------------------------------------------------- bivariate Moran */

/** Options of wb_moran_bv. */
typedef struct {
    int version;
    size_t permutations; /**< 0: none */
    uint64_t seed;
    unsigned threads;    /**< 0: one per online processor */
} wb_moran_bv_opts;

#define WB_MORAN_BV_OPTS_INIT {1, 0, 1, 0}

/** Bivariate global Moran's I. */
typedef struct {
    size_t n;
    double I;          /**< sum_i zx_i sum_j w_ij zy_j / sum_i zx_i^2 (spdep moran_bv), with zx, zy
                            the standardised x and y (sd with divisor n - 1) */
    double r;          /**< the correlation of x and y in place */
    double E_I;        /**< its exact mean under joint permutation of the (x, y) pairs:
                            -S0 r / (n (n - 1)) */
    size_t permutations;
    size_t perm_ge;    /**< permutations with I >= the observed I */
    double p_perm;     /**< folded: (min(M, N - M) + 1) / (N + 1); NaN without permutations */
    double perm_mean, perm_sd;
} wb_moran_bv_result;

/**
 * Bivariate Moran's I of x with the spatial lag of y, with a permutation test that permutes
 * the (x, y) pairs over the areas jointly, as spdep's moran_bv (boot, sim = "permutation").
 * Seeded, multi-threaded, identical at any thread count.
 * @return 0; WB_EINVALID (n < 3, non-finite or constant x or y), WB_ENOMEM.
 */
int wb_moran_bv(wb_moran_bv_result *out, const wb_weights *w, const double *x, const double *y,
                const wb_moran_bv_opts *opts);

/** Caller-owned outputs of wb_lisa_bv, each of length w->n (any may be NULL). */
typedef struct {
    double *Ibv;       /**< zx_i sum_j w_ij zy_j (spdep localmoran_bv "Ibvi"); 0 for an island */
    double *E_Ibv;     /**< exact mean under conditional permutation (other areas' y drawn
                            without replacement for i's neighbours): zx_i W_i ybar_(-i) */
    double *Var_Ibv;   /**< exact variance, same scheme (docs/spacetime.md) */
    double *z;         /**< (Ibv - E) / sqrt(Var); NaN for an island or when zx_i == 0 */
    double *p;         /**< two-sided normal p of z */
    double *p_perm;    /**< folded pseudo p (min(M, N - M) + 1) / (N + 1), as spdep's
                            "Pr(folded) Sim"; NaN for an island or without permutations */
    double *perm_mean;
    double *perm_var;
    int *cluster;      /**< wb_lisa_cluster: HH = x high and neighbours' y high, ... */
} wb_lisa_bv_out;

/**
 * Local bivariate Moran (Anselin, Syabri & Smirnov 2002; spdep localmoran_bv, esda
 * Moran_Local_BV) with the conditional permutation test of wb_lisa_local_moran (area i
 * keeps x_i, its neighbours get y values drawn without replacement from the other n - 1
 * areas; spdep draws with replacement). Clusters and FDR as wb_lisa_local_moran, by
 * opts->alpha and opts->fdr, on p_perm when permutations are run, else on p.
 * @return 0; WB_EINVALID (n < 3, non-finite or constant x or y), WB_ENOMEM.
 */
int wb_lisa_bv(const wb_lisa_bv_out *out, const wb_weights *w, const double *x, const double *y,
               const wb_lisa_opts *opts);

/* ---------------------------------------------------------------- data from the store */

/** What to load: one indicator of every area of a level on one boundary year, all data years. */
typedef struct {
    int version;
    const char *indicator;   /**< key or alias */
    wb_level level;          /**< required */
    int boundary_year;       /**< 0: the latest boundary year with values (wb_panel_load) */
    int year_from, year_to;  /**< data years, 0: no limit */
    int spatial;             /**< 1: also geometry and weights (below) */
    wb_weights_opts weights;
} wb_spacetime_query;

#define WB_SPACETIME_QUERY_INIT {1, NULL, WB_LEVEL__MAX, 0, 0, 0, 0, WB_WEIGHTS_OPTS_INIT}

/** An indicator over time on one set of boundaries; with spatial, the areas with a complete
 *  series and a polygon and the weights among them. */
typedef struct {
    wb_panel *panel;         /**< the areas (code order) and years; owned */
    size_t n, T;             /**< panel areas, data years */
    double *y;               /**< n x T values (NaN missing) */
    char key[64];            /**< canonical key */
    char unit[64];
    int direction;           /**< a wb_direction */
    int class_lo, class_hi;  /**< a class indicator (unit "klasse A-B"): its classes; else 0, 0 */
    /* spatial only */
    wb_layer layer;          /**< every area with a polygon */
    size_t m;                /**< analysed areas: a polygon and a value in every year */
    size_t *index;           /**< m panel indices of the analysed areas (ascending) */
    wb_weights w;            /**< weights among the m analysed areas (subset of the whole layer's) */
    double *ym;              /**< m x T values of the analysed areas */
    size_t n_incomplete;     /**< areas with a polygon and some but not all years */
    size_t n_no_value;       /**< areas with a polygon and no value at all */
    size_t n_no_geometry;    /**< areas with values but no polygon */
    wb_weights_summary full; /**< weights on the whole layer */
} wb_spacetime_data;

#define WB_SPACETIME_DATA_INIT {NULL, 0, 0, NULL, "", "", 0, 0, 0, WB_LAYER_INIT, 0, NULL, WB_WEIGHTS_INIT, NULL, 0, 0, 0, {0, 0, 0, 0, 0, 0, 0}}

/**
 * Load through the panel (and, when spatial, the layer and its weights, subset to the
 * areas with a complete series as spdep's subset.nb). Nothing is dropped silently: the
 * counts say which areas were left out and why.
 * @param out OUT: free with wb_spacetime_data_dispose
 * @return 0; WB_ENOTFOUND (unknown indicator, no areas, no values, no geometry); WB_EINVALID
 *         (fewer than two data years; spatial with fewer than 3 complete areas); WB_ESTORE,
 *         WB_ENOMEM.
 */
int wb_spacetime_load(wb_spacetime_data *out, wb_store *st, const wb_spacetime_query *q);

/** Free and reset. Accepts NULL. */
void wb_spacetime_data_dispose(wb_spacetime_data *d);

/**
 * Flags over the panel's areas: 1 for those within the area @p code (a gemeente or wijk, any
 * depth) on the panel's boundary year; "NL00" (the country) selects every area.
 * @param flags OUT: d->n flags
 * @param count OUT: how many are set (may be NULL)
 * @return 0; WB_ENOTFOUND (no area of the panel lies within @p code), WB_ESTORE, WB_ENOMEM.
 */
int wb_spacetime_within(unsigned char *flags, size_t *count, wb_store *st, const wb_spacetime_data *d,
                        const char *code);


/* ---------------------------------------------------------------- the analyses on loaded data */

/** Options of wb_markov_run. */
typedef struct {
    int version;
    size_t classes;          /**< 0: the published classes of a class indicator (unit "klasse A-B");
                                  N: N quantile classes of the values pooled over areas and years */
    int break_year;          /**< 0: none; else two chains, before (periods ending at or before the
                                  break) and after (periods starting at or after it) */
    int spatial;             /**< 1: spatial Markov (needs data loaded with spatial) */
    int lisa;                /**< 1: LISA Markov of the values (needs spatial data) */
    size_t lag_classes;      /**< spatial: quantile classes of the lag (default 4) */
    const unsigned char *areas; /**< NULL, or d->n flags over the panel's areas: count only these */
} wb_markov_opts;

#define WB_MARKOV_OPTS_INIT {1, 0, 0, 0, 0, 4, NULL}

/** The result of wb_markov_run. */
typedef struct {
    size_t k;                /**< states */
    int published;           /**< 1: the states are the indicator's classes class_lo .. */
    int class_lo;            /**< label of state 0 (published classes), else 1 */
    double bins[WB_MARKOV_MAX_STATES]; /**< quantile classes: k upper bounds */
    size_t nperiods;         /**< 1, or 2 with a break */
    int period_from[2], period_to[2]; /**< first and last year of each period */
    size_t n_straddling;     /**< transitions across the break (counted in neither period) */
    wb_markov_chain chain[2];/**< class or LISA chains (not spatial) */
    wb_spatial_markov sm[2]; /**< spatial chains */
    size_t nrows;            /**< areas in the analysis: d->n, or d->m when spatial / lisa */
    const size_t *rows;      /**< NULL (all panel areas), or d->index: panel index of each row */
    int *cls;                /**< nrows x T states (-1 missing; LISA: quadrants) */
    size_t n_counted;        /**< areas whose transitions are counted (after --in and islands) */
} wb_markov_result;

/**
 * Class mobility of the loaded indicator: classes, then the class chain, the spatial
 * Markov chain (Rey 2001) or the LISA Markov chain, for the whole series or before and
 * after a break. Paths: out->cls (and out->sm[0].lag, lag_class) per row and year.
 * @return 0; WB_EINVALID (a value that is not one of the classes, too few distinct values
 *         for the classes or lag classes, no class indicator and no classes asked, spatial
 *         without spatial data, a break outside the years), WB_ENOMEM.
 */
int wb_markov_run(wb_markov_result *out, const wb_spacetime_data *d, const wb_markov_opts *o);

/** Free and reset. Accepts NULL. */
void wb_markov_result_dispose(wb_markov_result *r);

#ifdef __cplusplus
}
#endif
#endif
