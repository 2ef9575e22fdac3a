/**
 * @file
 * @brief Composite livability scores: model files, standardisation, dimension and total
 * scores, nine classes, coverage, and the explanation of a score by its indicators.
 *
 * A model (a plain-text file, see docs/models.md) lists dimensions, their indicators with
 * direction and weight, the transformation, the reference for standardisation (the nation
 * or one gemeente, in a base year, so that later years stay comparable) and the thresholds
 * of the nine classes:
 *
 *   1 zeer onvoldoende, 2 ruim onvoldoende, 3 onvoldoende, 4 zwak, 5 voldoende,
 *   6 ruim voldoende, 7 goed, 8 zeer goed, 9 uitstekend.
 *
 * Computation for an area a in year t (s = standardised value, w = weights, d = dimension):
 *   none:        s = dir * x
 *   z:           s = dir * (x - mean_ref) / sd_ref            (sd with n - 1)
 *   rank_normal: s = dir * PhiInv((r - 3/8) / (n + 1/4))      (Blom 1958; r = mid-rank of x
 *                                                               among the reference values)
 *   rank_exp:    indicators as z; each dimension's score is then ranked against the
 *                reference distribution of that dimension (R in (0,1], R = 1/n best) and
 *                transformed as in the English Index of Multiple Deprivation (McLennan et
 *                al. 2019, The English Indices of Deprivation 2019: Technical report),
 *                X = -23 ln(1 - R (1 - exp(-100/23))), dimension value 100 - X
 *                (0 worst .. 100 best), which limits how much one dimension can make up
 *                for another.
 *   aggregate = mean: dimension = sum(w s) / sum(w) over the indicators present; score =
 *                sum(W d) / sum(W) over the dimensions present.
 *   aggregate = sum: the same weighted sums, scaled up by sum(all weights) / sum(weights
 *                present), i.e. the plain weighted sum when nothing is missing.
 * Coverage is the share of the model's indicators that have a value; below min_coverage the
 * score (and class) is missing.
 */
#ifndef WIJKBEELD_SCORE_H
#define WIJKBEELD_SCORE_H

#include <stddef.h>

#include "panel.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of classes and their thresholds. */
#define WB_NCLASSES 9
#define WB_NTHRESHOLDS (WB_NCLASSES - 1)

/** The Dutch label of class 1..9 ("zeer onvoldoende" .. "uitstekend"); NULL otherwise. */
const char *wb_class_label(int klass);

/** How indicator values are standardised. */
typedef enum {
    WB_TRANSFORM_NONE = 0,    /**< identity (times direction) */
    WB_TRANSFORM_Z,           /**< z-score against the reference */
    WB_TRANSFORM_RANK_NORMAL, /**< normal scores of the rank in the reference */
    WB_TRANSFORM_RANK_EXP,    /**< z-scores, then IMD exponential transform per dimension */
    WB_TRANSFORM__MAX
} wb_transform;

/** How weighted values are combined. */
typedef enum {
    WB_AGGREGATE_MEAN = 0,
    WB_AGGREGATE_SUM,
    WB_AGGREGATE__MAX
} wb_aggregate;

/** A parsed model. Opaque. */
typedef struct wb_model wb_model;

/** One indicator of a model. Borrowed from the model. */
typedef struct {
    const char *key;  /**< as written in the model, or canonical after wb_model_resolve */
    size_t dim;       /**< index of its dimension */
    int direction;    /**< +1 higher is better, -1 higher is worse */
    double weight;    /**< > 0 */
    int line;         /**< line in the model file */
} wb_model_indicator;

/**
 * Parse a model from text. @p origin names the text in messages ("models/kwb.model").
 * @param out OUT: free with wb_model_free
 * @return 0 or WB_EPARSE with "origin:line: what was expected" (WB_ENOMEM).
 */
int wb_model_parse(wb_model **out, const char *text, size_t len, const char *origin);

/** Read and parse a model file. @return as wb_model_parse, or WB_EIO / WB_ENOTFOUND. */
int wb_model_load(wb_model **out, const char *path);

/** Free a model. Accepts NULL. */
void wb_model_free(wb_model *m);

/**
 * Check every indicator against the store's catalogue and replace aliases by canonical keys.
 * @return 0, or WB_ENOTFOUND with "origin:line: unknown indicator 'x'".
 */
int wb_model_resolve(wb_model *m, wb_store *st);

const char *wb_model_name(const wb_model *m);   /**< name = ... (or the file's base name) */
const char *wb_model_title(const wb_model *m);  /**< title = ..., or NULL */
const char *wb_model_origin(const wb_model *m); /**< file name given to the parser */
wb_transform wb_model_transform(const wb_model *m);
wb_aggregate wb_model_aggregate(const wb_model *m);
/** Reference: NULL for the nation, else a gemeente code. */
const char *wb_model_reference(const wb_model *m);
/** Base year of the reference (0 when the transform needs none). */
int wb_model_base_year(const wb_model *m);
double wb_model_min_coverage(const wb_model *m);

size_t wb_model_ndims(const wb_model *m);
const char *wb_model_dim_key(const wb_model *m, size_t d);
const char *wb_model_dim_label(const wb_model *m, size_t d); /**< label, or the key */
double wb_model_dim_weight(const wb_model *m, size_t d);

size_t wb_model_nindicators(const wb_model *m);
const wb_model_indicator *wb_model_indicator_at(const wb_model *m, size_t i);
/** The indicator keys in model order (for wb_panel_load). Borrowed array of n strings. */
const char *const *wb_model_keys(const wb_model *m);

/** 1 when the model has class thresholds. */
int wb_model_has_classes(const wb_model *m);
/**
 * Class 1..9 of a score in a data year, or 0 when the score is NaN, the model has no
 * thresholds, or the model has per-year offsets and none for @p year. A score equal to a
 * threshold belongs to the higher class. With offsets the thresholds apply to
 * score + offset(year) (the Leefbaarometer publishes deviations from a yearly national
 * level, and its classes are on the level).
 */
int wb_model_classify(const wb_model *m, double score, int year);

/**
 * The class thresholds of a model in a data year, on the scale of its scores: @p thr[k] is
 * the lowest score of class k + 2 (k = 0..7). With per-year offsets these are the thresholds
 * minus the offset of @p year (for LBM 2.0: the absolute thresholds minus the national level,
 * i.e. on the deviation scale of RLBRMTR), so they are for display: wb_model_classify remains
 * the rule (it compares score + offset with the threshold, which can differ from
 * score >= thr[k] in the last bit).
 * @param thr    OUT: 8 increasing values (unchanged when 0 is returned)
 * @param offset OUT, may be NULL: the offset of @p year, or NaN when the model has no offsets
 * @return 1 when the model has classes for @p year, 0 when it has no thresholds or no offset
 *         for that year.
 */
int wb_model_thresholds(const wb_model *m, int year, double thr[WB_NTHRESHOLDS], double *offset);

/* ---------------------------------------------------------------- scoring */

/** A model bound to a panel, with its reference statistics. Opaque. */
typedef struct wb_scorer wb_scorer;

/**
 * Bind a model to a panel: find each model indicator in the panel (by canonical key) and
 * compute the reference statistics (mean and standard deviation, or the sorted reference
 * values) over the reference areas (all areas of the panel for the nation, or those of the
 * gemeente) in the base year. When an indicator has fewer than two reference values in the
 * base year, the nearest year with them is used instead (the earlier one on a tie);
 * wb_scorer_ref_year tells. An indicator without two reference values in any year cannot be
 * standardised: it counts as missing everywhere (lowering coverage) and wb_scorer_ref_year
 * gives 0.
 *
 * @param out OUT: free with wb_scorer_free; keeps pointers to @p m and @p p (they must
 *            outlive it)
 * @return 0; WB_ENOTFOUND when an indicator is not in the panel or the reference gemeente has
 *         no areas; WB_EINVALID when a reference has no spread (z, rank_exp), or when no
 *         indicator has reference values at all.
 */
int wb_scorer_new(wb_scorer **out, const wb_model *m, const wb_panel *p);
void wb_scorer_free(wb_scorer *s);

/** The year whose reference distribution standardises model indicator @p i; 0 when it has
 *  none (then the indicator is always missing), or for transform none. */
int wb_scorer_ref_year(const wb_scorer *s, size_t i);
/** Reference mean and standard deviation of model indicator @p i (z transforms). */
void wb_scorer_ref_moments(const wb_scorer *s, size_t i, double *mean, double *sd);

/** Scores of every area of a panel in every year. Arrays indexed [t * nareas + a]. */
typedef struct {
    size_t nareas, nyears, ndims;
    double *score;    /**< NaN when coverage < min_coverage */
    double *dims;     /**< [(t * ndims + d) * nareas + a]; NaN when no indicator present */
    double *coverage; /**< 0..1 */
    unsigned char *klass; /**< 1..9, 0 = none */
} wb_scores;

#define WB_SCORES_INIT {0, 0, 0, NULL, NULL, NULL, NULL}

/**
 * Score every area in every year of the panel. Runs on @p nthreads threads (0: one per
 * core, at most 8); the result does not depend on the thread count.
 * @param out OUT: dispose with wb_scores_dispose
 */
int wb_scorer_run(wb_scores *out, const wb_scorer *s, int nthreads);
void wb_scores_dispose(wb_scores *sc);

/**
 * The scores as value rows, like wb_store_values gives for an indicator: one row per area and
 * year that has a score, ordered by year, then area (by code for a panel loaded from the
 * store); area_id is 0. For commands that work on value rows (e.g. trends of a model score).
 * @param out OUT: free with wb_free
 */
int wb_scores_values(wb_value **out, size_t *n, const wb_scorer *s, const wb_scores *sc);

/** One line of an explanation. */
typedef struct {
    double raw;          /**< indicator value (NaN = missing); dimension: its value */
    double std;          /**< standardised value s (NaN when missing); dimension: NaN */
    double weight;       /**< indicator weight within its dimension / dimension weight */
    double contribution; /**< to the total score (sums to the score; see below) */
} wb_explain_line;

/** The explanation of one score. */
typedef struct {
    size_t nind, ndims;
    wb_explain_line *ind;  /**< nind lines in model order */
    wb_explain_line *dims; /**< ndims lines */
    double score, coverage;
    int klass;
    int additive;          /**< 1: indicator contributions sum to the score. 0 (rank_exp):
                                indicator contributions sum to the dimension's score before
                                the exponential transform; dimension contributions sum to
                                the score */
} wb_explain;

#define WB_EXPLAIN_INIT {0, 0, NULL, NULL, 0, 0, 0, 0}

/**
 * Explain the score of a profile of raw values (one per model indicator, NaN = missing) in
 * a data year: the area's own values, or those of its gemeente or the nation.
 * @param out OUT: dispose with wb_explain_dispose
 */
int wb_scorer_explain(wb_explain *out, const wb_scorer *s, const double *raw, int year);
void wb_explain_dispose(wb_explain *e);

/** The raw values of model indicators for area @p a in panel year index @p t (n = nind). */
void wb_scorer_profile(const wb_scorer *s, double *raw, size_t a, size_t t);

#ifdef __cplusplus
}
#endif
#endif
