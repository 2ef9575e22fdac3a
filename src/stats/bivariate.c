/**
 * @file
 * @brief Bivariate Moran's I, global and local (Wartenberg 1985; Anselin, Syabri & Smirnov
 * 2002), as spdep 1.2's moran_bv and localmoran_bv: x and y standardised as R's scale()
 * (mean 0, standard deviation with divisor n - 1), then
 *   I_B   = sum_i zx_i (W zy)_i / sum_i zx_i^2          (global; = sum / (n - 1))
 *   Ibv_i = zx_i (W zy)_i                               (local)
 * The global test permutes the (x, y) pairs over the areas together (spdep's boot with
 * sim = "permutation"), so the correlation of x and y in place is kept and only their
 * spatial arrangement is tested. The local test is the conditional permutation of the
 * LISA (wb_lisa__permute): x_i stays, the neighbours get y values drawn without
 * replacement from the other n - 1 areas. Its exact moments, with m = n - 1 other values of
 * mean ybar_(-i) and variance s2_(-i) (divisor m), W_i = sum_j w_ij, W2_i = sum_j w_ij^2:
 *   E[Ibv_i]   = zx_i W_i ybar_(-i)
 *   Var[Ibv_i] = zx_i^2 s2_(-i) m / (m - 1) (W2_i - W_i^2 / m)
 * (sampling without replacement; for zx = zy these are the LISA's conditional moments).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "stats/spatial_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spacetime.h"

/* z = (x - mean) / sd(x), sd with divisor n - 1 (R's scale()). */
static int standardise(double *z, const double *x, size_t n, const char *what)
{
    double mean;
    int error = wb_spatial__center(z, &mean, x, n, what);
    if (error < 0)
        return error;
    long double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (long double)z[i] * z[i];
    double sd = sqrt((double)(ss / (long double)(n - 1)));
    for (size_t i = 0; i < n; i++)
        z[i] /= sd;
    return 0;
}

static void lag_of(double *lag, const wb_weights *w, const double *z)
{
    for (size_t i = 0; i < w->n; i++) {
        double l = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            l += w->w[e] * z[w->col[e]];
        lag[i] = l;
    }
}

/* ---------------------------------------------------------------- global */

typedef struct {
    const wb_weights *w;
    const double *zx, *zy;
    double sxx;
    uint64_t seed;
    double *Ip;
    uint32_t **perm; /* per thread: n indices */
} bv_ctx;

static void bv_perm_run(void *vctx, size_t begin, size_t end, unsigned tid)
{
    bv_ctx *c = vctx;
    const wb_weights *w = c->w;
    size_t n = w->n;
    uint32_t *pi = c->perm[tid];
    for (size_t p = begin; p < end; p++) {
        for (size_t i = 0; i < n; i++)
            pi[i] = (uint32_t)i;
        wb_rng32 r;
        wb_rng32_seed(&r, c->seed, WB_RNG_DOMAIN_MORAN_BV, p);
        for (size_t t = n - 1; t > 0; t--) { /* Fisher-Yates: area t gets the pair of area pi[t] */
            size_t j = wb_rng32_below(&r, (uint32_t)(t + 1));
            uint32_t tmp = pi[t];
            pi[t] = pi[j];
            pi[j] = tmp;
        }
        double num = 0;
        for (size_t i = 0; i < n; i++) {
            double l = 0;
            for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                l += w->w[e] * c->zy[pi[w->col[e]]];
            num += c->zx[pi[i]] * l;
        }
        c->Ip[p] = num / c->sxx;
    }
}

int wb_moran_bv(wb_moran_bv_result *out, const wb_weights *w, const double *x, const double *y,
                const wb_moran_bv_opts *opts)
{
    wb_moran_bv_opts d = WB_MORAN_BV_OPTS_INIT;
    if (!opts)
        opts = &d;
    memset(out, 0, sizeof *out);
    size_t n = w->n;
    if (n < 3 || n > UINT32_MAX) {
        wb_error_set(WB_ERRCLASS_STATS, "bivariate Moran needs at least 3 areas, got %zu", n);
        return WB_EINVALID;
    }
    int error = 0;
    unsigned nt = 0;
    double *zx = wb_malloc(n * sizeof *zx), *zy = wb_malloc(n * sizeof *zy), *lag = wb_malloc(n * sizeof *lag);
    double *Ip = NULL;
    uint32_t **perm = NULL;
    if (!zx || !zy || !lag) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = standardise(zx, x, n, "bivariate Moran (x)")) < 0 ||
        (error = standardise(zy, y, n, "bivariate Moran (y)")) < 0)
        goto done;
    lag_of(lag, w, zy);
    long double num = 0, sxx = 0, sxy = 0, bound = 0;
    for (size_t i = 0; i < n; i++) {
        num += (long double)zx[i] * lag[i];
        sxx += (long double)zx[i] * zx[i];
        sxy += (long double)zx[i] * zy[i];
    }
    double S0 = 0, zymax = 0;
    for (size_t e = 0; e < w->nlinks; e++)
        S0 += w->w[e];
    for (size_t i = 0; i < n; i++)
        if (fabs(zy[i]) > zymax)
            zymax = fabs(zy[i]);
    for (size_t i = 0; i < n; i++) {
        double wa = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            wa += fabs(w->w[e]);
        bound += (long double)fabs(zx[i]) * wa * zymax;
    }
    double dn = (double)n, dsxx = (double)sxx;
    out->n = n;
    out->I = (double)(num / sxx);
    out->r = (double)(sxy / sxx);
    out->E_I = -S0 * (double)sxy / (dn * (dn - 1) * dsxx);
    out->permutations = opts->permutations;
    out->p_perm = out->perm_mean = out->perm_sd = NAN;
    size_t N = opts->permutations;
    if (N > 0) {
        nt = wb_spatial__threads(N, 16, opts->threads);
        Ip = wb_malloc(N * sizeof *Ip);
        perm = wb_calloc(nt, sizeof *perm);
        if (!Ip || !perm) {
            error = WB_ENOMEM;
            goto done;
        }
        for (unsigned t = 0; t < nt; t++)
            if (!(perm[t] = wb_malloc(n * sizeof **perm))) {
                error = WB_ENOMEM;
                goto done;
            }
        bv_ctx c = {w, zx, zy, dsxx, opts->seed, Ip, perm};
        wb_spatial__parallel(N, 16, nt, bv_perm_run, &c, NULL, NULL, NULL);
        /* permuted values equal to the observed one up to the rounding of the sums count
         * as at least as large */
        double tol = 8 * DBL_EPSILON * (double)(bound / sxx) * (double)(w->nlinks + n);
        size_t ge = 0;
        long double s = 0, s2 = 0;
        for (size_t p = 0; p < N; p++) {
            ge += Ip[p] >= out->I - tol;
            s += Ip[p];
        }
        double mean = (double)(s / (long double)N);
        for (size_t p = 0; p < N; p++)
            s2 += (long double)(Ip[p] - mean) * (Ip[p] - mean);
        out->perm_ge = ge;
        size_t lo = ge < N - ge ? ge : N - ge;
        out->p_perm = (double)(lo + 1) / (double)(N + 1);
        out->perm_mean = mean;
        out->perm_sd = N > 1 ? sqrt((double)(s2 / (long double)(N - 1))) : NAN;
    }
done:
    if (perm)
        for (unsigned t = 0; t < nt; t++)
            wb_free(perm[t]);
    wb_free(perm);
    wb_free(Ip);
    wb_free(zx);
    wb_free(zy);
    wb_free(lag);
    return error;
}

/* ---------------------------------------------------------------- local */

int wb_lisa_bv(const wb_lisa_bv_out *out, const wb_weights *w, const double *x, const double *y,
               const wb_lisa_opts *opts)
{
    wb_lisa_opts defaults = WB_LISA_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    size_t n = w->n;
    if (n < 3 || n > UINT32_MAX) {
        wb_error_set(WB_ERRCLASS_STATS, "local bivariate Moran needs at least 3 areas, got %zu", n);
        return WB_EINVALID;
    }
    if (!(opts->alpha > 0 && opts->alpha < 1)) {
        wb_error_set(WB_ERRCLASS_ARG, "alpha must be between 0 and 1, got %g", opts->alpha);
        return WB_EINVALID;
    }
    int error = 0;
    double *zx = wb_malloc(n * sizeof *zx), *zy = wb_malloc(n * sizeof *zy), *lag = wb_malloc(n * sizeof *lag);
    double *p = wb_malloc(n * sizeof *p), *pperm = wb_malloc(n * sizeof *pperm);
    double *pmean = wb_malloc(n * sizeof *pmean), *pvar = wb_malloc(n * sizeof *pvar);
    if (!zx || !zy || !lag || !p || !pperm || !pmean || !pvar) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = standardise(zx, x, n, "local bivariate Moran (x)")) < 0 ||
        (error = standardise(zy, y, n, "local bivariate Moran (y)")) < 0)
        goto done;
    lag_of(lag, w, zy);
    long double sy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sy += zy[i];
        syy += (long double)zy[i] * zy[i];
    }
    double m = (double)(n - 1);
    for (size_t i = 0; i < n; i++) {
        size_t k = w->row[i + 1] - w->row[i];
        double Wi = 0, Wi2 = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            Wi += w->w[e];
            Wi2 += w->w[e] * w->w[e];
        }
        double ybar = (double)((sy - zy[i]) / (long double)m);
        double s2 = (double)((syy - (long double)zy[i] * zy[i]) / (long double)m) - ybar * ybar;
        double I = zx[i] * lag[i];
        double E = k ? zx[i] * Wi * ybar : 0;
        double V = k ? zx[i] * zx[i] * s2 * (m / (m - 1)) * (Wi2 - Wi * Wi / m) : 0;
        double zi, pi;
        if (k == 0) {
            I = 0;
            zi = pi = NAN;
        } else if (zx[i] == 0 || k >= n - 1) { /* the statistic cannot change */
            zi = NAN;
            pi = 1;
        } else {
            zi = (I - E) / sqrt(V);
            pi = wb_spatial__p2(zi);
        }
        p[i] = pi;
        if (out->Ibv) out->Ibv[i] = I;
        if (out->E_Ibv) out->E_Ibv[i] = E;
        if (out->Var_Ibv) out->Var_Ibv[i] = V;
        if (out->z) out->z[i] = zi;
        if (out->p) out->p[i] = pi;
    }
    size_t N = opts->permutations;
    wb_lisa__perm_job job = {w, zx, 1.0, zy, lag, N, opts->seed, WB_RNG_DOMAIN_LISA_BV, opts->threads,
                             opts->progress, opts->payload, "local bivariate Moran permutations"};
    if ((error = wb_lisa__permute(pperm, pmean, pvar, &job)) < 0)
        goto done;
    if (out->p_perm) memcpy(out->p_perm, pperm, n * sizeof *pperm);
    if (out->perm_mean) memcpy(out->perm_mean, pmean, n * sizeof *pmean);
    if (out->perm_var) memcpy(out->perm_var, pvar, n * sizeof *pvar);
    if (out->cluster)
        error = wb_lisa__clusters(out->cluster, w, zx, lag, N > 0 ? pperm : p, opts->alpha, opts->fdr);
done:
    wb_free(zx);
    wb_free(zy);
    wb_free(lag);
    wb_free(p);
    wb_free(pperm);
    wb_free(pmean);
    wb_free(pvar);
    return error;
}
