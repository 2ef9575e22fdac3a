/**
 * @file
 * @brief Emerging hot spots: Getis-Ord Gi* per year, significant hot and cold spots per year
 * (optionally with a Benjamini-Hochberg correction over the areas of each year, as ArcGIS
 * Pro), the Mann-Kendall trend of each area's Gi* z series, and the categories of ArcGIS's
 * Emerging Hot Spot Analysis. docs/spacetime.md quotes ArcGIS's definitions and says how
 * their overlaps are resolved.
 */
#include <math.h>
#include <string.h>

#include "stats/spatial_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spacetime.h"
#include "wijkbeeld/trend.h"

static const char *const ehsa_names[WB_EHSA__MAX] = {
    "none",           "new_hot",         "consecutive_hot",  "intensifying_hot", "persistent_hot",
    "diminishing_hot", "sporadic_hot",   "oscillating_hot",  "historical_hot",   "new_cold",
    "consecutive_cold", "intensifying_cold", "persistent_cold", "diminishing_cold", "sporadic_cold",
    "oscillating_cold", "historical_cold", "island"};

const char *wb_ehsa_name(wb_ehsa_category c)
{
    return (unsigned)c < WB_EHSA__MAX ? ehsa_names[c] : NULL;
}

/* The categories of one side (hot: s = +1, cold: s = -1) when the final step is a spot of
 * that side; the cold categories follow the hot ones at a fixed offset. */
static wb_ehsa_category final_spot(const signed char *spot, size_t n, int s, double tau, double mk_p,
                                   double alpha)
{
    size_t same = 0, other = 0;
    for (size_t t = 0; t < n; t++) {
        same += spot[t] == s;
        other += spot[t] == -s;
    }
    int off = s > 0 ? 0 : WB_EHSA_NEW_COLD - WB_EHSA_NEW_HOT;
    /* "90 percent of the time-step intervals": 10 * count >= 9 * n, in integers */
    if (10 * same >= 9 * n) {
        /* the trend of the intensity: tau of z, mirrored for cold spots */
        double dir = s * tau;
        if (mk_p < alpha && dir > 0)
            return (wb_ehsa_category)(WB_EHSA_INTENSIFYING_HOT + off);
        if (mk_p < alpha && dir < 0)
            return (wb_ehsa_category)(WB_EHSA_DIMINISHING_HOT + off);
        return (wb_ehsa_category)(WB_EHSA_PERSISTENT_HOT + off);
    }
    if (other > 0)
        return (wb_ehsa_category)(WB_EHSA_OSCILLATING_HOT + off);
    if (same == 1)
        return (wb_ehsa_category)(WB_EHSA_NEW_HOT + off);
    size_t run = 0;
    while (run < n && spot[n - 1 - run] == s)
        run++;
    if (run == same)
        return (wb_ehsa_category)(WB_EHSA_CONSECUTIVE_HOT + off);
    return (wb_ehsa_category)(WB_EHSA_SPORADIC_HOT + off);
}

wb_ehsa_category wb_ehsa_classify(const signed char *spot, size_t n, double tau, double mk_p, double alpha)
{
    if (n == 0)
        return WB_EHSA_NONE;
    if (spot[n - 1] != 0)
        return final_spot(spot, n, spot[n - 1] > 0 ? 1 : -1, tau, mk_p, alpha);
    size_t hot = 0, cold = 0;
    for (size_t t = 0; t < n; t++) {
        hot += spot[t] > 0;
        cold += spot[t] < 0;
    }
    if (10 * hot >= 9 * n)
        return WB_EHSA_HISTORICAL_HOT;
    if (10 * cold >= 9 * n)
        return WB_EHSA_HISTORICAL_COLD;
    return WB_EHSA_NONE;
}

typedef struct {
    const wb_weights *w;
    const double *y, *years;
    size_t n, T;
    const wb_ehsa_opts *o;
    double *z, *p;
    signed char *spot;
    int *err;           /* per year, or per area chunk */
    const wb_ehsa_out *out;
} ehsa_ctx;

/* Gi* of the years [begin, end): z, p (FDR-adjusted within the year), spots. */
static void years_run(void *vctx, size_t begin, size_t end, unsigned tid)
{
    ehsa_ctx *c = vctx;
    size_t n = c->n;
    for (size_t t = begin; t < end; t++) {
        double *z = c->z + t * n, *p = c->p + t * n;
        int error = wb_getis_ord(NULL, z, p, c->w, c->y + t * n, 1);
        /* an island's Gi* only restates its own value: no test, and not in the FDR pool */
        for (size_t i = 0; error == 0 && i < n; i++)
            if (c->w->row[i] == c->w->row[i + 1])
                z[i] = p[i] = NAN;
        if (error == 0 && c->o->fdr) {
            double *padj = wb_malloc(n * sizeof *padj);
            error = padj ? wb_p_adjust_bh(padj, p, n) : WB_ENOMEM;
            if (error == 0)
                memcpy(p, padj, n * sizeof *padj);
            wb_free(padj);
        }
        for (size_t i = 0; error == 0 && i < n; i++) /* NaN p: no spot */
            c->spot[t * n + i] = (signed char)(p[i] <= c->o->alpha && z[i] != 0 ? (z[i] > 0 ? 1 : -1) : 0);
        c->err[t] = error;
    }
}

/* Mann-Kendall of the z series and the category of the areas [begin, end). */
static void areas_run(void *vctx, size_t begin, size_t end, unsigned tid)
{
    ehsa_ctx *c = vctx;
    const wb_ehsa_out *out = c->out;
    size_t n = c->n, T = c->T;
    signed char series[WB_TREND_MAX_YEARS];
    double zs[WB_TREND_MAX_YEARS];
    for (size_t i = begin; i < end; i++) {
        int island = c->w->row[i] == c->w->row[i + 1];
        size_t hot = 0, cold = 0;
        for (size_t t = 0; t < T; t++) {
            series[t] = c->spot[t * n + i];
            zs[t] = c->z[t * n + i];
            hot += series[t] > 0;
            cold += series[t] < 0;
        }
        wb_mk_result mk;
        if (wb_mk(&mk, c->years, zs, T, c->o->exact_max) < 0) {
            c->err[i / 256] = WB_EINVALID;
            continue;
        }
        wb_ehsa_category cat = island ? WB_EHSA_ISLAND : wb_ehsa_classify(series, T, mk.tau, mk.p, c->o->alpha);
        if (out->tau) out->tau[i] = mk.tau;
        if (out->mk_p) out->mk_p[i] = mk.p;
        if (out->n_hot) out->n_hot[i] = (int)hot;
        if (out->n_cold) out->n_cold[i] = (int)cold;
        if (out->category) out->category[i] = (int)cat;
    }
}

int wb_ehsa(const wb_ehsa_out *out, const wb_weights *w, const double *y, size_t n, const double *years, size_t T,
            const wb_ehsa_opts *opts)
{
    wb_ehsa_opts d = WB_EHSA_OPTS_INIT;
    if (!opts)
        opts = &d;
    if (T < 2) {
        wb_error_set(WB_ERRCLASS_STATS, "emerging hot spots: %zu year%s, at least 2 needed", T, T == 1 ? "" : "s");
        return WB_EINVALID;
    }
    if (T > WB_TREND_MAX_YEARS) {
        wb_error_set(WB_ERRCLASS_STATS, "emerging hot spots: more than %d years", WB_TREND_MAX_YEARS);
        return WB_EINVALID;
    }
    if (w->n != n || n < 3) {
        wb_error_set(WB_ERRCLASS_STATS, "emerging hot spots: needs at least 3 areas, got %zu", n);
        return WB_EINVALID;
    }
    if (!(opts->alpha > 0 && opts->alpha < 1)) {
        wb_error_set(WB_ERRCLASS_ARG, "alpha must be between 0 and 1, got %g", opts->alpha);
        return WB_EINVALID;
    }
    if (opts->exact_max < 0 || opts->exact_max > WB_MK_EXACT_NMAX) {
        wb_error_set(WB_ERRCLASS_ARG, "exact_max must be between 0 and %d, got %d", WB_MK_EXACT_NMAX, opts->exact_max);
        return WB_EINVALID;
    }
    int error = 0;
    size_t nchunks = n / 256 + 1;
    double *z = wb_malloc(n * T * sizeof *z), *p = wb_malloc(n * T * sizeof *p), *scratch = wb_malloc(n * sizeof *scratch);
    signed char *spot = wb_malloc(n * T);
    int *err = wb_calloc(T > nchunks ? T : nchunks, sizeof *err);
    if (!z || !p || !scratch || !spot || !err) {
        error = WB_ENOMEM;
        goto done;
    }
    /* the checks first, here, so that a failing year gets its message (the workers' errors
     * would stay in their threads) */
    for (size_t t = 0; t < T; t++) {
        double mean;
        if ((error = wb_spatial__center(scratch, &mean, y + t * n, n, "Getis-Ord Gi*")) < 0) {
            wb_error_prefix("emerging hot spots, year %.0f", years[t]);
            goto done;
        }
    }
    ehsa_ctx c = {w, y, years, n, T, opts, z, p, spot, err, out};
    wb_spatial__parallel(T, 1, opts->threads, years_run, &c, NULL, NULL, NULL);
    for (size_t t = 0; t < T; t++)
        if (err[t] < 0) {
            error = err[t];
            goto done;
        }
    wb_spatial__parallel(n, 256, opts->threads, areas_run, &c, NULL, NULL, NULL);
    for (size_t k = 0; k < nchunks; k++)
        if (err[k] < 0) {
            wb_error_set(WB_ERRCLASS_STATS, "emerging hot spots: years not ascending");
            error = err[k];
            goto done;
        }
    if (out->z) memcpy(out->z, z, n * T * sizeof *z);
    if (out->p) memcpy(out->p, p, n * T * sizeof *p);
    if (out->spot) memcpy(out->spot, spot, n * T);
done:
    wb_free(z);
    wb_free(p);
    wb_free(scratch);
    wb_free(spot);
    wb_free(err);
    return error;
}
