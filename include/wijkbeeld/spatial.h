/**
 * @file
 * @brief Spatial weights (contiguity, k nearest neighbours, distance band) and spatial
 * statistics on them: global Moran's I, local Moran (LISA) and Getis-Ord Gi / Gi*.
 *
 * Every definition follows R's spdep 1.2 (the reference the tests compare with) unless a
 * function says otherwise; docs/spatial.md gives the formulas and the conventions chosen
 * where spdep leaves a choice (islands, missing values, ties, permutation p-values).
 *
 * Weights are a sparse matrix in CSR form: the neighbours of area i are
 * col[row[i] .. row[i+1]) in ascending order, with weights w[...] in the same places.
 * An area without neighbours (an "island") has an empty row; islands are kept, counted
 * (wb_weights_summarize) and handled by the statistics as documented per function
 * (spdep's zero.policy = TRUE conventions).
 *
 * Permutation tests take an explicit seed. Each area (local statistics) or each
 * permutation (global Moran) draws from its own random stream derived from (seed, index),
 * so results for a given seed are identical whatever the number of threads.
 */
#ifndef WIJKBEELD_SPATIAL_H
#define WIJKBEELD_SPATIAL_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "geo.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- weights */

/** How neighbours are defined. */
typedef enum {
    WB_WEIGHTS_QUEEN = 0, /**< polygons sharing at least one boundary point (spdep poly2nb queen) */
    WB_WEIGHTS_ROOK,      /**< polygons sharing at least two boundary points (poly2nb queen=FALSE) */
    WB_WEIGHTS_KNN,       /**< the k nearest centroids (knearneigh + knn2nb; asymmetric) */
    WB_WEIGHTS_DISTANCE,  /**< centroids within a distance band (dnearneigh) */
    WB_WEIGHTS__MAX
} wb_weights_type;

/** How the weights of a row are scaled (spdep nb2listw styles). */
typedef enum {
    WB_STYLE_W = 0, /**< row-standardised: each neighbour of i weighs 1 / (number of neighbours) */
    WB_STYLE_B,     /**< binary: each neighbour weighs 1 */
    WB_STYLE__MAX
} wb_weights_style;

/** spdep's default snapping distance, sqrt(DBL_EPSILON), in the units of the coordinates. */
#define WB_WEIGHTS_SNAP_DEFAULT 1.4901161193847656e-08

/** Options of wb_weights_from_geoms / wb_weights_from_points / wb_weights_build. */
typedef struct {
    int version;
    wb_weights_type type;   /**< default WB_WEIGHTS_QUEEN */
    double snap;            /**< contiguity: two boundary points within this distance (metres in
                                 RD New) are the same point; default WB_WEIGHTS_SNAP_DEFAULT.
                                 0 means exactly equal coordinates. */
    unsigned k;             /**< knn: number of neighbours (default 4) */
    double lower;           /**< distance band: lower bound (default 0) */
    double upper;           /**< distance band: upper bound, > 0 (required for DISTANCE) */
    int lower_exclusive;    /**< distance band: 0 = lower <= d (spdep 1.2 default bounds "GE"),
                                 1 = lower < d ("GT"); always d <= upper ("LE") */
    wb_weights_style style; /**< default WB_STYLE_W */
} wb_weights_opts;

#define WB_WEIGHTS_OPTS_INIT {1, WB_WEIGHTS_QUEEN, WB_WEIGHTS_SNAP_DEFAULT, 4, 0.0, 0.0, 0, WB_STYLE_W}

/** A sparse weights matrix (CSR). Initialise with WB_WEIGHTS_INIT; free with wb_weights_dispose. */
typedef struct {
    size_t n;               /**< number of areas (rows) */
    size_t nlinks;          /**< number of (i, j) links, the non-zeros */
    size_t *row;            /**< n + 1 offsets into col and w */
    uint32_t *col;          /**< neighbour indices, ascending within a row */
    double *w;              /**< weights, per style */
    wb_weights_type type;
    wb_weights_style style;
    int self_included;      /**< 1 when every area is its own neighbour (Gi* weights) */
} wb_weights;

#define WB_WEIGHTS_INIT {0, 0, NULL, NULL, NULL, WB_WEIGHTS_QUEEN, WB_STYLE_W, 0}

/** Free the arrays of @p w and reset it to WB_WEIGHTS_INIT. Accepts NULL. */
void wb_weights_dispose(wb_weights *w);

/** "queen", "rook", "knn", "distance"; NULL for an invalid value. Static string. */
const char *wb_weights_type_name(wb_weights_type type);

/** Parse a type name (as above). @return 0 or WB_EINVALID with a message listing the names. */
int wb_weights_type_parse(wb_weights_type *out, const char *name);

/** Parse a style: "W" or "B" (any case). @return 0 or WB_EINVALID. */
int wb_weights_style_parse(wb_weights_style *out, const char *name);

/**
 * Contiguity weights (queen or rook, per @p opts->type) of @p n polygons, as spdep's
 * poly2nb: each polygon contributes all its ring points in order except the very first
 * point of its first ring (what poly2nb takes from sf::st_coordinates); polygons i and j
 * are neighbours when the number of point pairs (p of i, q of j) with |p - q| <= snap is
 * at least 1 (queen) or at least 2 (rook). Pairs are found with a vertex grid (exact
 * sort for snap 0), not by comparing bounding boxes and then all point pairs.
 *
 * @param out  OUT: weights in opts->style; free with wb_weights_dispose
 * @param geoms n polygons (coordinates in any planar unit; snap in the same unit)
 * @return 0, WB_EINVALID (bad options, more than 2^32 - 1 areas), WB_ENOMEM.
 */
int wb_weights_from_geoms(wb_weights *out, const wb_geom *geoms, size_t n,
                          const wb_weights_opts *opts);

/**
 * Point-based weights (k nearest neighbours or distance band, per @p opts->type) of
 * @p n points, as spdep's knearneigh + knn2nb and dnearneigh with planar coordinates.
 * Distances are hypot(dx, dy). kNN ties at the k-th distance go to the lower index (the
 * earlier area), which is what spdep's knearneigh does; the result is not symmetric.
 *
 * @param out OUT: weights in opts->style; free with wb_weights_dispose
 * @return 0, WB_EINVALID (k < 1 or k >= n, upper <= 0, lower > upper, non-finite points),
 *         WB_ENOMEM.
 */
int wb_weights_from_points(wb_weights *out, const wb_point *pts, size_t n,
                           const wb_weights_opts *opts);

/**
 * Weights of a layer: contiguity from its polygons, knn and distance band from the
 * area-weighted centroids (wb_geom_centroid), in the layer's units (RD metres).
 * @param out OUT: free with wb_weights_dispose
 */
int wb_weights_build(wb_weights *out, const wb_layer *layer, const wb_weights_opts *opts);

/**
 * Set the weights of every row for @p style (W: 1 / number of neighbours; B: 1). Islands
 * keep an empty row. Works on any weights built here (all start binary).
 */
void wb_weights_set_style(wb_weights *w, wb_weights_style style);

/**
 * The weights among the areas with keep[i] != 0, as spdep's subset.nb followed by
 * nb2listw in the same style: links to dropped areas are removed (an area can become an
 * island), rows are renumbered in order and re-standardised.
 * @param out OUT: free with wb_weights_dispose
 * @return 0, WB_EINVALID when nothing is kept, WB_ENOMEM.
 */
int wb_weights_subset(wb_weights *out, const wb_weights *w, const unsigned char *keep);

/**
 * The same neighbours plus each area itself (spdep include.self), in the style of @p w:
 * for W every weight of row i becomes 1 / (neighbours + 1), for B every weight 1.
 * Used for Gi*. @param out OUT: free with wb_weights_dispose
 */
int wb_weights_include_self(wb_weights *out, const wb_weights *w);

/** Summary numbers of a weights matrix. */
typedef struct {
    size_t n;             /**< areas */
    size_t nlinks;        /**< links (non-zeros) */
    size_t min_neighbours;
    size_t max_neighbours;
    double mean_neighbours;
    size_t islands;       /**< areas without neighbours */
    int symmetric;        /**< 1 when every link i->j has j->i */
} wb_weights_summary;

/** Compute the summary of @p w. */
void wb_weights_summarize(wb_weights_summary *out, const wb_weights *w);

/* ---------------------------------------------------------------- global Moran */

/** Options of wb_moran_global. */
typedef struct {
    int version;
    size_t permutations; /**< 0: no permutation test */
    uint64_t seed;       /**< seed of the permutation test */
    unsigned threads;    /**< 0: one per online processor */
    int adjust_n;        /**< 1 (default, spdep moran.test adjust.n = TRUE): n in I, E[I] and the
                              variances counts only areas with neighbours; 0: all areas */
} wb_moran_opts;

#define WB_MORAN_OPTS_INIT {1, 0, 1, 0, 1}

/** Result of the global Moran's I test. */
typedef struct {
    size_t n;          /**< areas analysed (length of x) */
    double n_eff;      /**< n used in the formulas (n minus islands when adjust_n) */
    size_t islands;    /**< areas without neighbours */
    double I;          /**< Moran's I = (n_eff / S0) * sum(z * Wz) / sum(z^2) */
    double E_I;        /**< -1 / (n_eff - 1) */
    double var_norm;   /**< variance under normality (Cliff & Ord 1981, as spdep moran.test) */
    double z_norm, p_norm; /**< standard deviate and two-sided p under normality */
    double var_rand;   /**< variance under randomisation */
    double z_rand, p_rand; /**< standard deviate and two-sided p under randomisation */
    double kurtosis;   /**< K = n * sum(z^4) / (sum(z^2))^2 */
    double S0, S1, S2; /**< weight constants */
    size_t permutations;
    size_t perm_ge;    /**< M: permutations whose I >= the observed I */
    double p_perm;     /**< (M + 1) / (permutations + 1): one-sided, upper tail ("greater");
                            NaN without permutations */
    double perm_mean, perm_sd; /**< mean and standard deviation of the permuted I */
} wb_moran_result;

/**
 * Global Moran's I of @p x (length w->n, all finite) with moments under normality and
 * randomisation, and optionally a permutation test.
 * @return 0; WB_EINVALID when n < 4, no area has a neighbour, x has a non-finite value or
 *         zero variance (message says which); WB_ENOMEM.
 */
int wb_moran_global(wb_moran_result *out, const wb_weights *w, const double *x,
                    const wb_moran_opts *opts);

/* ---------------------------------------------------------------- local Moran */

/** LISA cluster of an area. */
typedef enum {
    WB_LISA_NS = 0, /**< not significant */
    WB_LISA_HH,     /**< high value, high neighbours (hot spot) */
    WB_LISA_LL,     /**< low value, low neighbours (cold spot) */
    WB_LISA_HL,     /**< high value among low neighbours */
    WB_LISA_LH,     /**< low value among high neighbours */
    WB_LISA_ISLAND, /**< no neighbours: no test */
    WB_LISA__MAX
} wb_lisa_cluster;

/** "ns", "HH", "LL", "HL", "LH", "island". Static string; NULL for an invalid value. */
const char *wb_lisa_cluster_name(wb_lisa_cluster c);

/** Options of wb_lisa_local_moran. */
typedef struct {
    int version;
    size_t permutations;     /**< conditional permutations per area (0: analytical p only) */
    uint64_t seed;
    unsigned threads;        /**< 0: one per online processor */
    double alpha;            /**< significance level of the clusters (default 0.05) */
    int fdr;                 /**< 1: Benjamini-Hochberg over the tested areas before alpha */
    wb_progress_fn progress; /**< may be NULL */
    void *payload;
} wb_lisa_opts;

#define WB_LISA_OPTS_INIT {1, 0, 1, 0, 0.05, 0, NULL, NULL}

/**
 * Caller-owned output arrays of wb_lisa_local_moran, each of length w->n. Any may be NULL
 * (not computed). NaN marks a value that is undefined, for a reason given per field.
 */
typedef struct {
    double *Ii;        /**< local Moran Ii = (z_i / m2) * sum_j w_ij z_j, m2 = sum(z^2) / n;
                            0 for an island (spdep zero.policy) */
    double *E_Ii;      /**< E[Ii] under conditional randomisation (spdep localmoran
                            conditional = TRUE): -z_i^2 W_i / ((n - 1) m2) */
    double *Var_Ii;    /**< Var[Ii], same convention; 0 for an island */
    double *z;         /**< (Ii - E_Ii) / sqrt(Var_Ii); NaN for an island or when z_i == 0 */
    double *p;         /**< two-sided normal p of z; NaN for an island, 1 when z_i == 0 */
    double *p_perm;    /**< folded pseudo p (min(M, N - M) + 1) / (N + 1), M = permutations
                            with Ii >= observed; NaN for an island or without permutations */
    double *perm_mean; /**< mean of the permuted Ii (NaN without permutations) */
    double *perm_var;  /**< variance (divisor N - 1) of the permuted Ii */
    int *cluster;      /**< a wb_lisa_cluster */
} wb_lisa_out;

/**
 * Local Moran's I (Anselin 1995) of @p x (length w->n, all finite), with the conditional
 * permutation test: area i keeps its value, its neighbours' values are drawn without
 * replacement from the other n - 1 areas. Multi-threaded; for a given seed identical at
 * any thread count. The cluster uses p_perm when permutations > 0, else p.
 * @return 0; WB_EINVALID when n < 3, x has a non-finite value or zero variance; WB_ENOMEM.
 */
int wb_lisa_local_moran(const wb_lisa_out *out, const wb_weights *w, const double *x,
                        const wb_lisa_opts *opts);

/* ---------------------------------------------------------------- Getis-Ord */

/**
 * Getis-Ord Gi (star = 0) or Gi* (star = 1) of @p x as spdep's localG. For Gi* the
 * weights are those of @p w plus each area itself (wb_weights_include_self, in the style
 * of @p w); @p w itself must not include self. Outputs are caller arrays of length w->n
 * (any may be NULL): G (the ratio sum_j w_ij x_j / sum_{j != i} x_j, or / sum_j x_j for
 * Gi*), z (the standard deviate localG returns) and the two-sided normal p of z. For Gi
 * an island has G = 0 and z = p = NaN.
 * @return 0; WB_EINVALID when n < 3, x has a non-finite value or zero variance; WB_ENOMEM.
 */
int wb_getis_ord(double *G, double *z, double *p, const wb_weights *w, const double *x, int star);

/** Benjamini-Hochberg adjusted p-values of the non-NaN entries of @p p (NaN stays NaN). */
int wb_p_adjust_bh(double *out, const double *p, size_t n);

/* ---------------------------------------------------------------- data from the store */

/** What to analyse: one indicator in one data year on the areas of one level and boundary year. */
typedef struct {
    int version;
    const char *indicator; /**< key or alias */
    int year;              /**< data year (required) */
    int boundary_year;     /**< 0: the data year */
    wb_level level;        /**< required */
    wb_weights_opts weights;
    const char *indicator2; /**< version 2: NULL, or a second indicator (bivariate statistics);
                                 an area is analysed when it has values of both */
    int year2;             /**< its data year; 0: the same as @c year */
} wb_spatial_query;

#define WB_SPATIAL_QUERY_INIT {2, NULL, 0, 0, WB_LEVEL__MAX, WB_WEIGHTS_OPTS_INIT, NULL, 0}

/** Why an area of the layer was left out. */
typedef enum {
    WB_LEFT_OUT_MISSING = 1, /**< its value is stored as missing */
    WB_LEFT_OUT_NO_VALUE = 2 /**< no value at all for that indicator and year */
} wb_left_out;

/** An indicator on a layer with weights among the areas that have a value. */
typedef struct {
    wb_layer layer;        /**< every area with a geometry */
    wb_weights w;          /**< weights among the analysed areas, in opts style */
    size_t n;              /**< analysed areas */
    size_t *index;         /**< n: their index in layer */
    double *x;             /**< n values */
    unsigned char *left_out; /**< layer.n: 0 analysed, else a wb_left_out */
    size_t n_missing;      /**< areas with a geometry whose value is stored missing */
    size_t n_no_value;     /**< areas with a geometry without any value */
    size_t n_no_geometry;  /**< areas with a value but no geometry (also left out) */
    wb_weights_summary full; /**< summary of the weights on the whole layer */
    double *y;             /**< n values of the second indicator (NULL without one) */
} wb_spatial_data;

#define WB_SPATIAL_DATA_INIT {WB_LAYER_INIT, WB_WEIGHTS_INIT, 0, NULL, NULL, NULL, 0, 0, 0, {0, 0, 0, 0, 0, 0, 0}, NULL}

/**
 * Load the geometry of (level, boundary year), build the weights on all its areas, load
 * the indicator values, and keep the areas that have a value (spdep subset.nb semantics:
 * the weights are subset, then re-styled). Nothing is dropped silently: the counts and
 * @c left_out say which areas were left out and why. With a second indicator, an area
 * needs values of both; the reasons count an area once, missing before no value, the
 * first indicator's reason before the second's.
 * @param out OUT: free with wb_spatial_data_dispose
 * @return 0; WB_ENOTFOUND (no geometry for that level and year, unknown indicator, no
 *         value at all), WB_EINVALID, WB_ENOMEM, WB_ESTORE.
 */
int wb_spatial_load(wb_spatial_data *out, wb_store *st, const wb_spatial_query *q);

/** Free what wb_spatial_load allocated and reset. Accepts NULL. */
void wb_spatial_data_dispose(wb_spatial_data *d);

#ifdef __cplusplus
}
#endif
#endif
