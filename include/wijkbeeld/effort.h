/**
 * @file
 * @brief Combining efforts (issue 7): gaps (needs that no running initiative addresses),
 * overlaps (initiatives of different partners on one theme in the same or neighbouring
 * areas), effort against need (money and hours per inhabitant against the score), and the
 * measured effect of an initiative (matched difference in differences with a placebo
 * interval).
 *
 * Everything here reads; nothing changes the store. docs/effort.md gives every rule and
 * threshold in words; the defaults below are the ones it documents.
 *
 * ## Themes and score dimensions
 * Initiatives carry themes (veiligheid, wonen, ...) and targets (indicator keys with a
 * direction). A score model has dimensions (one vocabulary: wonen, fysiek, voorzieningen,
 * bewoners, veiligheid, duurzaamheid). Which theme works on which dimension is an editable
 * plain-text table, models/themes.map
 * (wb_theme_map_parse): one line per theme, "THEME = TOKEN TOKEN ...", where a TOKEN is
 *   - an indicator key: the theme works on the dimension that holds this indicator, in
 *     whatever model has it (lbm_onv -> lbm's veiligheid; g_misdr -> kwb's veiligheid);
 *   - a dimension key: that dimension in any model that has a dimension of that name;
 *   - MODEL:DIMENSION: that dimension of that model only (lbm:bewoners).
 * A target addresses a dimension when its indicator belongs to that dimension and its
 * direction improves it (target direction x indicator direction > 0), or when the target
 * key is the dimension's key.
 *
 * ## Areas
 * Initiatives name areas (buurten, wijken, gemeenten) of one boundary year. An analysis
 * runs on the areas of one level and boundary year (a panel). An initiative reaches an
 * analysed area when one of its areas is that area ("same"), encloses it ("within": an
 * initiative on a wijk reaches each of its buurten, one on the gemeente every area), or
 * lies inside it ("part": an initiative on a buurt, analysed by wijk). Areas of another
 * boundary year are never matched on their code (the same code can be another area); such
 * initiatives are counted and reported instead.
 */
#ifndef WIJKBEELD_EFFORT_H
#define WIJKBEELD_EFFORT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "collab.h"
#include "core.h"
#include "panel.h"
#include "score.h"
#include "store.h"
#include "trend.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Statuses that count as running when an option gives none: planned and running. */
#define WB_EFFORT_RUNNING "gepland,lopend"

/* ================================================================ theme map */

/** A parsed theme map. Opaque. */
typedef struct wb_theme_map wb_theme_map;

/**
 * Parse a theme map. Format (docs/effort.md): UTF-8 lines "THEME = TOKEN [TOKEN ...]";
 * tokens separated by spaces or commas; '#' starts a comment (at the start of a line or
 * after white space); blank lines are ignored. THEME: 1-100 characters, matched without
 * regard to case. TOKEN: letters, digits, '_', '-', '.', with at most one ':' between a
 * model name and a dimension key.
 * @param origin names the text in messages ("models/themes.map")
 * @param out    OUT: free with wb_theme_map_free
 * @return 0, or WB_EPARSE with "origin:line: expected ..., got ..." (missing '=', empty
 *         theme, no tokens, a bad token, a theme listed twice), WB_ENOMEM.
 */
int wb_theme_map_parse(wb_theme_map **out, const char *text, size_t len, const char *origin);

/** Read and parse a theme map file. @return as wb_theme_map_parse, or WB_EIO. */
int wb_theme_map_load(wb_theme_map **out, const char *path);

/** Free a theme map. Accepts NULL. */
void wb_theme_map_free(wb_theme_map *tm);

/** Number of themes in the map. */
size_t wb_theme_map_count(const wb_theme_map *tm);
/** Theme @p i as written. Borrowed. */
const char *wb_theme_map_theme(const wb_theme_map *tm, size_t i);

/**
 * The dimensions of model @p m that @p theme works on.
 * @param hit OUT: wb_model_ndims(m) flags, set to 1 for each dimension the theme reaches
 * @return 1 when the theme is in the map (even if it reaches no dimension of this model),
 *         0 when it is not (then every flag is 0).
 */
int wb_theme_map_dims(const wb_theme_map *tm, const char *theme, const wb_model *m,
                      unsigned char *hit);

/** 1 when @p theme lists indicator @p key (case-insensitive) among its tokens. */
int wb_theme_map_lists(const wb_theme_map *tm, const char *theme, const char *key);

/* ================================================================ inputs */

/**
 * What the analyses work on. All borrowed; the panel holds the model's indicators (and
 * a_inw for effort per inhabitant), @p scores are the model's scores on that panel.
 */
typedef struct {
    const wb_model *model;
    const wb_panel *panel;
    const wb_scores *scores;
    const wb_initiative *initiatives;     /**< e.g. from wb_initiative_list */
    size_t ninitiatives;
    const wb_contribution *contributions; /**< e.g. from wb_contribution_list */
    size_t ncontributions;
    const wb_theme_map *themes;           /**< NULL: themes reach no dimension */
} wb_effort_input;

/** Everything the analyses need, loaded from a store. Opaque. */
typedef struct wb_effort_data wb_effort_data;

/**
 * Load the analyses' input from a store: a panel of @p level on @p boundary_year (0: the
 * latest with values) with the model's indicators and a_inw when the catalogue has it, the
 * model's scores on it, every initiative and contribution the actor may read.
 * @param m  a resolved model; it and @p tm must outlive the data
 * @param out OUT: free with wb_effort_data_free
 * @return 0; WB_EDENIED (the register is closed to the actor); errors of wb_panel_load,
 *         wb_scorer_new; WB_ESTORE, WB_ENOMEM.
 */
int wb_effort_data_load(wb_effort_data **out, wb_store *st, const wb_actor *actor,
                        const wb_model *m, wb_level level, int boundary_year,
                        const wb_theme_map *tm);
void wb_effort_data_free(wb_effort_data *d);
/** The loaded input. Borrowed from @p d. */
const wb_effort_input *wb_effort_data_input(const wb_effort_data *d);

/* ================================================================ gaps */

/** Why an area needs attention (flags). */
enum {
    WB_NEED_LOW_CLASS = 1u,  /**< class <= opts.low_class */
    WB_NEED_DECLINING = 2u,  /**< score declining since the break (trend.h class) */
    WB_NEED_STAGNATING = 4u, /**< stagnating since the break with a level below the reference */
    WB_NEED_LISA_LL = 8u,    /**< in a low-low LISA cluster of the score */
    WB_NEED_LISA_LH = 16u    /**< a low score among high neighbours (LISA "LH") */
};

/** "low_class", "declining", "stagnating", "lisa_ll", "lisa_lh" for one flag; NULL otherwise. */
const char *wb_need_name(unsigned flag);

/** The flags as "declining+low_class" (in the order above); "" for none. @return buf. */
char *wb_need_text(char *buf, size_t n, unsigned flags);

/** Most weak dimensions listed per area. */
#define WB_GAPS_MAX_WEAK 8

/** Options of wb_gaps_compute. Initialise with WB_GAPS_OPTS_INIT. */
typedef struct {
    int version;
    int year;              /**< data year of level, class and dimensions; 0: the last with scores */
    int break_year;        /**< trend since this year (hinge break); 0: whole-series trend */
    int low_class;         /**< class <= this is low (4 = zwak); 0: criterion off */
    double weak_z;         /**< a dimension is weak when its z <= weak_z (-0.5) */
    int max_weak;          /**< at most this many weak dimensions per area (3, <= WB_GAPS_MAX_WEAK) */
    const char *statuses;  /**< comma-separated statuses that count as running; NULL: WB_EFFORT_RUNNING */
    const char *on;        /**< YYYY-MM-DD: only initiatives whose period contains it (open ends
                                count); NULL: status only */
    const char *const *lisa; /**< NULL, or per panel area the LISA cluster of the score as
                                  spatial.h names it ("LL", "LH", "HH", "HL", "ns", "island") */
    int all;               /**< 1: list every area with a score, also without need */
    double alpha;          /**< significance of the trend classes (0.05) */
    int nthreads;          /**< trend threads (0: one per core) */
} wb_gaps_opts;

#define WB_GAPS_OPTS_INIT {1, 0, 2012, 4, -0.5, 3, NULL, NULL, NULL, 0, 0.05, 0}

/** A weak dimension of an area and who addresses it. */
typedef struct {
    size_t dim;                  /**< index of the model's dimension */
    double value;                /**< the dimension's value in the year */
    double z;                    /**< (value - reference mean) / reference SD, in the year */
    size_t ninitiatives;         /**< running initiatives that address it in this area */
    const int64_t *initiatives;  /**< their ids, ascending; borrowed from the result */
} wb_gap_dim;

/** One area of the gaps analysis. */
typedef struct {
    size_t area;                 /**< index in the panel */
    char code[WB_CODE_MAX];
    unsigned need;               /**< WB_NEED_* flags; 0: no need (listed with opts.all) */
    double score;                /**< score in the year (NaN: none) */
    int klass;                   /**< class 1..9; 0: none (no thresholds for that year) */
    wb_trend_class trend;        /**< of the score since the break */
    wb_trend_group group;        /**< RIGO group */
    double slope_after;          /**< the slope the trend class was decided on, per year */
    double trend_p;              /**< its p-value */
    double level_z;              /**< level against the batch (trend.h) */
    size_t nweak;
    wb_gap_dim weak[WB_GAPS_MAX_WEAK]; /**< weakest first */
    size_t ngaps;                /**< weak dimensions that no running initiative addresses */
    size_t ninitiatives;         /**< running initiatives reaching the area (any theme) */
    const int64_t *initiatives;  /**< their ids, ascending; borrowed from the result */
} wb_gap_area;

/** Result of wb_gaps_compute. Dispose with wb_gaps_dispose. */
typedef struct {
    int year;                    /**< data year used */
    int break_year;              /**< 0: none used (outside the data years) */
    size_t nscored;              /**< areas with a score in the year */
    size_t nclassed;             /**< of those: with a class (0: the model has no classes for
                                      that year, so the low-class criterion cannot apply) */
    size_t nneed;                /**< areas with a need */
    size_t ngap;                 /**< of those: at least one weak dimension unaddressed */
    size_t ncovered;             /**< of those: every weak dimension addressed */
    size_t n;                    /**< areas listed */
    wb_gap_area *areas;
    size_t nconsidered;          /**< running initiatives with areas on the panel's boundary year */
    size_t nother_year;          /**< running initiatives on another boundary year (not matched) */
    char *unmapped;              /**< themes of running initiatives missing from the map, ", "
                                      joined; NULL when none */
    int64_t *pool;               /**< internal: storage of the id lists */
} wb_gaps;

#define WB_GAPS_INIT {0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, 0, NULL, NULL}

/**
 * Gaps: for every area that needs attention (see the WB_NEED_* flags), its weak dimensions
 * (z of the dimension against the model's reference areas in the year: the whole panel for
 * the nation, else the areas of the reference gemeente; weak when z <= weak_z, weakest
 * first, at most max_weak; when none is that low, the weakest one), and per weak dimension
 * the running initiatives reaching the area whose targets or themes address it.
 * Stagnation is a need only below the reference level (trend.h level_z < 0): a stable
 * good area needs nothing. The trend is that of the model score since the break (rule
 * hinge, opts.alpha).
 * @param out OUT: dispose with wb_gaps_dispose
 * @return 0; WB_EINVALID (bad options, no score in the year); WB_ENOMEM.
 */
int wb_gaps_compute(wb_gaps *out, const wb_effort_input *in, const wb_gaps_opts *opts);
void wb_gaps_dispose(wb_gaps *g);

/* ================================================================ overlaps */

/** How the areas of two overlapping initiatives relate, closest first. */
typedef enum {
    WB_OVERLAP_SAME = 0,     /**< they share an area */
    WB_OVERLAP_WITHIN,       /**< an area of one lies inside an area of the other */
    WB_OVERLAP_NEIGHBOUR,    /**< neighbouring areas (from the neighbours given) */
    WB_OVERLAP__MAX
} wb_overlap_relation;

/** "same_area", "within", "neighbours". Static; NULL when out of range. */
const char *wb_overlap_relation_name(wb_overlap_relation r);

/**
 * Neighbours of areas as a sparse matrix in CSR form, the layout of spatial.h's wb_weights
 * (the neighbours of codes[i] are codes[col[row[i]] .. col[row[i+1]-1]]).
 */
typedef struct {
    size_t n;
    const char *const *codes;  /**< n area codes (of the initiatives' boundary year) */
    int year;                  /**< their boundary year */
    const size_t *row;         /**< n + 1 offsets */
    const uint32_t *col;       /**< neighbour indices */
} wb_neighbours;

/** Options of wb_overlaps_compute. Initialise with WB_OVERLAPS_OPTS_INIT. */
typedef struct {
    int version;
    const char *statuses;      /**< statuses considered; NULL: WB_EFFORT_RUNNING */
    int year;                  /**< 0: any time; else the common period must overlap this year */
    const wb_neighbours *neighbours; /**< NULL: same and enclosing areas only */
} wb_overlaps_opts;

#define WB_OVERLAPS_OPTS_INIT {1, NULL, 0, NULL}

/** Two initiatives that could be combined. */
typedef struct {
    int64_t a, b;              /**< initiative ids, a < b */
    size_t ia, ib;             /**< their indices in the input array */
    char *themes;              /**< the themes they share, ", " joined */
    wb_overlap_relation relation;
    char area_a[WB_CODE_MAX];  /**< an area of a ... */
    char area_b[WB_CODE_MAX];  /**< ... and one of b in that relation */
    char from[11], to[11];     /**< the common period, YYYY-MM-DD; "" = open */
    char *partners;            /**< leads and contributing partners of both: who should talk;
                                    sorted, ", " joined */
} wb_overlap;

/** Result of wb_overlaps_compute. */
typedef struct {
    size_t n;
    wb_overlap *pairs;         /**< by relation, then a, then b */
    size_t nconsidered;        /**< initiatives with a considered status and areas */
} wb_overlaps;

#define WB_OVERLAPS_INIT {0, NULL, 0}

/**
 * Overlaps: pairs of initiatives with a considered status, DIFFERENT lead partners, at
 * least one shared theme, areas on the same boundary year that are the same, enclose one
 * another or neighbour each other, and periods that overlap (a missing start or end is
 * open). Contributions (may be NULL) add the contributing partners to "partners".
 * @return 0, WB_EINVALID (bad statuses), WB_ENOMEM.
 */
int wb_overlaps_compute(wb_overlaps *out, const wb_initiative *in, size_t n,
                        const wb_contribution *contributions, size_t ncontributions,
                        const wb_overlaps_opts *opts);
void wb_overlaps_dispose(wb_overlaps *o);

/* ================================================================ effort against need */

/** How an initiative's yearly contributions are split over the areas it reaches. */
typedef enum {
    WB_SPLIT_POPULATION = 0, /**< by inhabitants (a_inw); evenly when any area lacks them */
    WB_SPLIT_EVEN,           /**< evenly */
    WB_SPLIT__MAX
} wb_effort_split;

/** Options of wb_effort_compute. Initialise with WB_EFFORT_OPTS_INIT. */
typedef struct {
    int version;
    int year;                /**< calendar year of the contributions (required) */
    int score_year;          /**< data year of the score; 0: the latest <= year with scores,
                                  else the first after */
    wb_effort_split split;
    const char *statuses;    /**< NULL: every status (contributions are what was put in) */
} wb_effort_opts;

#define WB_EFFORT_OPTS_INIT {1, 0, 0, WB_SPLIT_POPULATION, NULL}

/** Effort and need of one area in one year. */
typedef struct {
    size_t area;             /**< panel index */
    char code[WB_CODE_MAX];
    double money_eur;        /**< money allocated to the area in the year */
    double in_kind_eur;      /**< in-kind value allocated */
    double hours;            /**< hours allocated */
    double inhabitants;      /**< a_inw (NaN when unknown) */
    int pop_year;            /**< data year of the inhabitants (0: none) */
    double eur_per_inh;      /**< (money + in kind) / inhabitants */
    double hours_per_inh;
    double score;            /**< score in score_year (NaN: none) */
    int klass;
    size_t ninitiatives;     /**< initiatives with contributions here in the year */
} wb_effort_area;

/** Result of wb_effort_compute. */
typedef struct {
    int year, score_year;
    size_t n;                /**< every area of the panel */
    wb_effort_area *areas;
    double money_eur, in_kind_eur, hours;  /**< all contributions in the year */
    double unallocated_eur, unallocated_hours; /**< to initiatives without areas on the panel */
    size_t nrank;            /**< areas in the rank correlations (score and inhabitants known) */
    double rho_eur, p_eur;   /**< Spearman rho of euros per inhabitant with the score, two-sided p */
    double rho_hours, p_hours;
} wb_effort;

#define WB_EFFORT_INIT {0, 0, 0, NULL, 0, 0, 0, 0, 0, 0, NAN, NAN, NAN, NAN}

/**
 * Money and hours per inhabitant per area in a year against the score. A contribution
 * counts in the year pro rata to the days of its period inside the year; an initiative's
 * share is split over the panel areas it reaches by opts.split. Spearman's rho (average
 * ranks for ties; p from the t approximation t = rho sqrt((n-2)/(1-rho^2)), df n-2) over
 * areas with a score and inhabitants: a negative rho means more effort where scores are
 * lower (where the need is).
 * @return 0, WB_EINVALID (no year), WB_ENOMEM.
 */
int wb_effort_compute(wb_effort *out, const wb_effort_input *in, const wb_effort_opts *opts);
void wb_effort_dispose(wb_effort *e);

/* ================================================================ spatial context */

/**
 * LISA clusters of the model score for the panel's areas, for wb_gaps_opts.lisa: queen
 * contiguity (spatial.h, default snapping) on the stored geometry of the panel's level and
 * boundary year, among the areas that have a geometry and a score in the year (spdep
 * subset.nb semantics), row-standardised; local Moran with @p permutations conditional
 * permutations from @p seed; clusters at @p alpha (docs/spatial.md).
 * @param year data year of the score; 0: the last year with scores (as wb_gaps_compute)
 * @param out  OUT: wb_panel_nareas(in->panel) names ("LL", "LH", "HH", "HL", "ns", "island"
 *             as wb_lisa_cluster_name gives them; NULL for an area without geometry or
 *             score); free the array with wb_free (the names are static)
 * @return 0; WB_ENOTFOUND (no geometry for that level and year, no score in the year);
 *         WB_EINVALID (fewer than 3 areas, no spread); WB_ENOMEM, WB_ESTORE.
 */
int wb_effort_lisa(const char ***out, wb_store *st, const wb_effort_input *in, int year,
                   size_t permutations, uint64_t seed, double alpha);

/** Neighbour lists loaded from a store. Opaque. */
typedef struct wb_neighbour_set wb_neighbour_set;

/**
 * Queen contiguity (spatial.h) of the wijken and, separately, of the buurten of boundary
 * year @p year, each level that has stored geometry, as one neighbour list (a wijk only
 * neighbours wijken, a buurt only buurten) for wb_overlaps_opts.neighbours.
 * @param out OUT: free with wb_neighbour_set_free
 * @return 0; WB_ENOTFOUND when neither level has geometry in that year; WB_ENOMEM, WB_ESTORE.
 */
int wb_neighbour_set_load(wb_neighbour_set **out, wb_store *st, int year);
/** The neighbour list. Borrowed from @p s. */
const wb_neighbours *wb_neighbour_set_get(const wb_neighbour_set *s);
void wb_neighbour_set_free(wb_neighbour_set *s);

/* ================================================================ effect of an initiative */

/** Most matched controls per treated area. */
#define WB_EFFECT_MAX_MATCHES 10

/** Options of the effect estimate. Initialise with WB_EFFECT_OPTS_INIT. */
typedef struct {
    int version;
    size_t matches;        /**< nearest controls per treated area (3), 1..WB_EFFECT_MAX_MATCHES */
    size_t draws;          /**< placebo draws (999) */
    uint64_t seed;         /**< seed of the draws (1) */
    double level;          /**< interval level (0.90) */
    int lag;               /**< years after the first full year before effects count (0) */
    int pre_years;         /**< most pre-period years used, counted back from the start (0: all) */
    size_t placebo_pool;   /**< placebo candidates per treated area: its nearest eligible
                                areas (10); 0: any eligible area */
    size_t min_pool;       /**< fewest eligible controls in the gemeente before the pool widens
                                to the whole level (10) */
    int bias_correct;      /**< 1 (default): adjust each control's change to the treated area's
                                level and slope by a regression over the eligible areas
                                (Abadie & Imbens 2011); 0: plain matching */
    int exclude_neighbours; /**< wb_effect_initiative: 1 (default) leaves the treated areas'
                                 queen neighbours out of the comparison pool (spillover), when
                                 the store has their geometry */
} wb_effect_opts;

#define WB_EFFECT_OPTS_INIT {1, 3, 999, 1, 0.90, 0, 0, 0, 10, 1, 1}

/** Whether an effect could be estimated. */
typedef enum {
    WB_EFFECT_OK = 0,
    WB_EFFECT_TOO_EARLY,   /**< no data year after the start yet */
    WB_EFFECT_NO_DATA,     /**< the indicator has no values (or too few before the start) */
    WB_EFFECT_TOO_FEW,     /**< too few comparable areas */
    WB_EFFECT__MAX
} wb_effect_status;

/** "ok", "too_early", "no_data", "too_few_controls". Static. */
const char *wb_effect_status_name(wb_effect_status s);

/** One treated area. */
typedef struct {
    size_t area;                    /**< panel index */
    char code[WB_CODE_MAX];
    double pre_level, pre_slope;    /**< matching features */
    double change;                  /**< mean after minus mean before */
    double control_change;          /**< the same, averaged over its matched controls */
    double did;                     /**< change - control_change */
    size_t nmatched;
    size_t matched[WB_EFFECT_MAX_MATCHES]; /**< panel indices of its controls */
} wb_effect_area;

/** The effect on one indicator. Dispose with wb_effect_result_dispose. */
typedef struct {
    char indicator[64];
    int direction;          /**< the initiative's aim: +1 up, -1 down (0: not given) */
    wb_effect_status status;
    char reason[256];       /**< why not OK, in words */
    int first_pre, last_pre, first_post, last_post; /**< data years used */
    size_t npre, npost;
    size_t ntreated;        /**< treated areas with enough data */
    size_t npool;           /**< eligible comparison areas */
    size_t nneighbours;     /**< wb_effect_initiative: areas left out of the pool as queen
                                 neighbours of a treated area (spillover) */
    size_t ncontrols;       /**< distinct controls used */
    char pool_scope[64];    /**< "gemeente GM0363" or "all buurt areas" */
    double estimate;        /**< mean over treated areas of did (indicator units) */
    double lo, hi;          /**< placebo interval */
    double level;           /**< its level */
    double p;               /**< two-sided placebo p of "no effect" */
    double placebo_sd;      /**< SD of the placebo estimates */
    size_t draws;           /**< placebo draws made */
    uint64_t seed;
    double treated_change, control_change; /**< means over the treated areas */
    double smd_level, smd_slope; /**< balance after matching: (treated - controls) mean
                                      difference of pre level / pre slope in pooled SDs */
    size_t nareas;
    wb_effect_area *areas;
} wb_effect_result;

void wb_effect_result_dispose(wb_effect_result *r);

/**
 * Matched difference in differences of indicator @p key of panel @p p.
 *
 * Per area: pre years = data years <= @p last_pre (at most opts.pre_years of them, the
 * latest), post years = data years >= @p first_post. Features: the mean of the pre years
 * (level) and their least-squares slope. Each treated area is matched to its
 * opts.matches nearest eligible areas by the Mahalanobis distance on (level, slope), with
 * the covariance of the eligible and treated areas (with replacement across treated
 * areas). did = (post mean - pre mean) of the area minus the same averaged over its
 * matches, each match's change first moved to the treated area's level and slope by a
 * least-squares regression of change on (level, slope) over the eligible areas (bias
 * correction, Abadie & Imbens 2011; opts.bias_correct); the estimate is the mean did over
 * the treated areas.
 *
 * Interval (randomisation inference inverted, Imbens & Rubin 2015 ch. 5): each of
 * opts.draws draws re-assigns the treatment to as many other comparable areas (uniformly;
 * with opts.placebo_pool K, each treated area's replacement from itself and its K nearest
 * eligible areas; never exactly the real set) and recomputes the estimate with the real
 * treated areas' values after the start lowered by a hypothesised effect tau0. That estimate
 * is A + B tau0; tau0 is kept while both one-sided randomisation p-values
 * (1 + #draws at least as extreme) / (draws + 1) exceed (1 - level) / 2, which gives an
 * interval between order statistics of (estimate - A) / (1 + B). p is that of tau0 = 0,
 * two-sided: (1 + #|A| >= |estimate|) / (draws + 1). The interval has its nominal coverage
 * when the treatment is as good as random given level and trend and the effect is the same
 * in every treated area (tests/effort/effect.c measures it; docs/effort.md).
 *
 * @param treated  ntreated panel indices
 * @param eligible per panel area 1 when it may serve as a control (treated areas are
 *                 never used, whatever this says)
 * @param out OUT: dispose with wb_effect_result_dispose; a status other than OK is not an
 *            error (the reason says why)
 * @return 0, WB_EINVALID (bad options or indices), WB_ENOMEM.
 */
int wb_effect_did(wb_effect_result *out, const wb_panel *p, size_t key, const size_t *treated,
                  size_t ntreated, const unsigned char *eligible, int last_pre, int first_post,
                  const wb_effect_opts *opts);

/** The measured effect of one initiative on each of its target indicators. */
typedef struct {
    int64_t id;
    char *title;
    char *status;
    char start[11], end[11];  /**< "" when open */
    int area_year;
    wb_level level;           /**< level of the areas analysed */
    int last_pre, first_post; /**< the years that split before and after */
    int neighbours;           /**< 1: the treated areas' queen neighbours were left out of the
                                   comparison pools; 0: not asked, or no geometry stored */
    size_t nresults;
    wb_effect_result *results; /**< one per target indicator */
    char *words;              /**< what this can and cannot show, in plain words */
} wb_effect_report;

void wb_effect_report_dispose(wb_effect_report *r);

/**
 * The effect of initiative @p id on its target indicators: treated = the areas it reaches
 * at the level of its finest area (wijk targets are spread over their buurten when it
 * also has buurten); comparison pool = areas of that level and boundary year in the same
 * gemeente (the whole level when it has fewer than opts.min_pool eligible areas) that no
 * other initiative reaches with the same target indicator, or with a theme that lists the
 * indicator in @p tm, in a period overlapping the years analysed, and (opts.
 * exclude_neighbours, when the store has the geometry) that do not touch a treated area. The first post year is
 * the start year when the initiative starts on 1 January, else the next year, plus
 * opts.lag; pre years end the year before the start.
 * @param out OUT: dispose with wb_effect_report_dispose
 * @return 0; WB_ENOTFOUND (no such initiative); WB_EINVALID (no start date, no targets,
 *         no areas); WB_EDENIED; WB_ESTORE, WB_ENOMEM.
 */
int wb_effect_initiative(wb_effect_report *out, wb_store *st, const wb_actor *actor, int64_t id,
                         const wb_theme_map *tm, const wb_effect_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
