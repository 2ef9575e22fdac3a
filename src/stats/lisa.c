/**
 * @file
 * @brief Local Moran's I (Anselin 1995) with analytical moments under conditional
 * randomisation (as spdep 1.2's localmoran with its defaults conditional = TRUE,
 * mlvar = TRUE, adjust.x = FALSE) and a conditional permutation test (as PySAL/GeoDa:
 * neighbour values drawn without replacement from the other n - 1 areas).
 *
 * With z = x - mean(x) and m2 = sum(z^2) / n:
 *   Ii      = (z_i / m2) * sum_j w_ij z_j                               (Anselin 1995, eq. 12)
 *   E[Ii]   = -z_i^2 W_i / ((n - 1) m2)                                 W_i = sum_j w_ij
 *   Var[Ii] = (z_i / m2)^2 * n / (n - 2) * (W_i2 - W_i^2 / (n - 1)) * (m2 - z_i^2 / (n - 1))
 *                                                                       W_i2 = sum_j w_ij^2
 * These are the exact mean and variance of Ii when the n - 1 other values are permuted
 * over the neighbours of i (Sokal, Oden & Thomson 1998), so the permutation distribution
 * can be checked against them.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "stats/spatial_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spatial.h"

static const char *const cluster_names[WB_LISA__MAX] = {"ns", "HH", "LL", "HL", "LH", "island"};

const char *wb_lisa_cluster_name(wb_lisa_cluster c)
{
    return (unsigned)c < WB_LISA__MAX ? cluster_names[c] : NULL;
}

typedef struct {
    const wb_weights *w;
    const double *zs, *zn, *lag; /* own values (sign, scale), neighbour values, observed lags */
    double fdiv, zmax;           /* statistic = zs_i / fdiv * lag_i; zmax = max |zn| */
    size_t n, nperm;
    uint64_t seed, domain;
    double *pperm, *pmean, *pvar;
    uint32_t **perm; /* per thread: 0 .. n-2, restored after every draw */
    uint32_t **pick; /* per thread: room for max neighbours */
    uint64_t **mark; /* per thread: bitmap of n bits, all clear between draws */
} lisa_ctx;

/* Draw k distinct indices from 0 .. m-1 into pick[0..k-1] (a uniformly random ordered
 * sample without replacement). Small k: draw and reject repeats, found in a bitmap that
 * is cleared again afterwards; otherwise a partial Fisher-Yates on @p a that is undone
 * afterwards, so that @p a is the identity again. Either way the draws depend only on the
 * random stream, and which method is used depends only on (k, m): results do not depend
 * on threads. */
static inline void draw(wb_rng32 *r, uint32_t *pick, size_t k, uint32_t m, uint32_t *a,
                        uint64_t *mark)
{
    if (k <= 64 && (size_t)m >= 4 * k) {
        for (size_t t = 0; t < k; t++) {
            uint32_t j;
            do
                j = wb_rng32_below(r, m);
            while (mark[j >> 6] & (1ULL << (j & 63)));
            mark[j >> 6] |= 1ULL << (j & 63);
            pick[t] = j;
        }
        for (size_t t = 0; t < k; t++)
            mark[pick[t] >> 6] = 0; /* only picked bits were set in these words */
        return;
    }
    /* pick[] first holds the swap positions, then the values */
    for (size_t t = 0; t < k; t++) {
        uint32_t s = (uint32_t)t + wb_rng32_below(r, m - (uint32_t)t);
        uint32_t tmp = a[t];
        a[t] = a[s];
        a[s] = tmp;
        pick[t] = s;
    }
    for (size_t t = k; t-- > 0;) {
        uint32_t s = pick[t];
        uint32_t v = a[t];
        a[t] = a[s];
        a[s] = v;
        pick[t] = v; /* a[t] held the value drawn for place t */
    }
}

static void lisa_run(void *vctx, size_t begin, size_t end, unsigned tid)
{
    lisa_ctx *c = vctx;
    const wb_weights *w = c->w;
    const double *z = c->zn, *zs = c->zs;
    size_t n = c->n, N = c->nperm;
    uint32_t *pick = c->pick[tid], *a = c->perm[tid];
    uint64_t *mark = c->mark[tid];
    for (size_t i = begin; i < end; i++) {
        size_t k = w->row[i + 1] - w->row[i];
        if (k == 0) {
            c->pperm[i] = c->pmean[i] = c->pvar[i] = NAN;
            continue;
        }
        double f = zs[i] / c->fdiv;
        if (zs[i] == 0 || k >= n - 1) {
            /* Ii is the same under every permutation: nothing is more extreme than the
             * data, nor less; p = 1 rather than spdep's 1 / (N + 1) */
            c->pperm[i] = 1;
            c->pmean[i] = f * c->lag[i];
            c->pvar[i] = 0;
            continue;
        }
        const double *wr = w->w + w->row[i];
        int equal = 1;
        double wabs = 0;
        for (size_t t = 0; t < k; t++) {
            wabs += fabs(wr[t]);
            if (wr[t] != wr[0])
                equal = 0;
        }
        /* Compare sums rather than Ii: with equal weights the permuted lag is wr[0] * sum,
         * so compare sum with lag0 / wr[0]. Ties up to the rounding error of a k-term sum
         * count as at least as large. */
        double scale = equal ? wr[0] : 1.0;
        double lag0 = c->lag[i] / scale;
        double tol = 4.0 * (double)(k + 1) * DBL_EPSILON * c->zmax * wabs / scale;
        int upper = zs[i] > 0;
        double lo_lim = lag0 - tol, hi_lim = lag0 + tol;
        wb_rng32 r;
        wb_rng32_seed(&r, c->seed, c->domain, i);
        uint32_t m = (uint32_t)(n - 1), self = (uint32_t)i;
        size_t ge = 0;
        double sd = 0, sd2 = 0; /* sums of (l - lag0), shifted for accuracy */
        for (size_t p = 0; p < N; p++) {
            draw(&r, pick, k, m, a, mark);
            double l = 0;
            if (equal) {
                double l1 = 0; /* two chains of additions: half the latency */
                size_t t = 0;
                for (; t + 1 < k; t += 2) {
                    uint32_t j0 = pick[t], j1 = pick[t + 1];
                    l += z[j0 + (j0 >= self)];
                    l1 += z[j1 + (j1 >= self)];
                }
                if (t < k)
                    l += z[pick[t] + (pick[t] >= self)];
                l += l1;
            } else {
                for (size_t t = 0; t < k; t++) {
                    uint32_t j = pick[t];
                    l += wr[t] * z[j + (j >= self)];
                }
            }
            ge += upper ? l >= lo_lim : l <= hi_lim;
            double d = l - lag0;
            sd += d;
            sd2 += d * d;
        }
        size_t lo = ge < N - ge ? ge : N - ge; /* folded, as localmoran_perm "Pr(folded) Sim" */
        c->pperm[i] = (double)(lo + 1) / (double)(N + 1);
        double dN = (double)N, fs = f * scale;
        c->pmean[i] = fs * (lag0 + sd / dN);
        c->pvar[i] = N > 1 ? fs * fs * ((sd2 - sd * sd / dN) / (dN - 1)) : NAN;
    }
}

int wb_lisa__permute(double *pperm, double *pmean, double *pvar, const wb_lisa__perm_job *job)
{
    const wb_weights *w = job->w;
    size_t n = w->n, N = job->permutations;
    if (N == 0) {
        for (size_t i = 0; i < n; i++)
            pperm[i] = pmean[i] = pvar[i] = NAN;
        return 0;
    }
    int error = 0;
    size_t maxk = 0;
    double zmax = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = w->row[i + 1] - w->row[i];
        if (k > maxk)
            maxk = k;
        if (fabs(job->zn[i]) > zmax)
            zmax = fabs(job->zn[i]);
    }
    unsigned nt = wb_spatial__threads(n, 64, job->threads);
    uint32_t **perm = wb_calloc(nt, sizeof *perm), **pick = wb_calloc(nt, sizeof *pick);
    uint64_t **mark = wb_calloc(nt, sizeof *mark);
    if (!perm || !pick || !mark) {
        error = WB_ENOMEM;
        goto done;
    }
    for (unsigned t = 0; t < nt; t++) {
        perm[t] = wb_malloc(n * sizeof **perm);
        pick[t] = wb_malloc((maxk + 1) * sizeof **pick);
        mark[t] = wb_calloc(n / 64 + 1, sizeof **mark);
        if (!perm[t] || !pick[t] || !mark[t]) {
            error = WB_ENOMEM;
            goto done;
        }
        for (size_t j = 0; j < n; j++)
            perm[t][j] = (uint32_t)j;
    }
    lisa_ctx c = {w, job->zs, job->zn, job->lag, job->fdiv, zmax, n, N, job->seed, job->domain,
                  pperm, pmean, pvar, perm, pick, mark};
    wb_spatial__parallel(n, 64, nt, lisa_run, &c, job->progress, job->payload, job->what);
done:
    if (perm)
        for (unsigned t = 0; t < nt; t++)
            wb_free(perm[t]);
    if (pick)
        for (unsigned t = 0; t < nt; t++)
            wb_free(pick[t]);
    if (mark)
        for (unsigned t = 0; t < nt; t++)
            wb_free(mark[t]);
    wb_free(mark);
    wb_free(perm);
    wb_free(pick);
    return error;
}

int wb_lisa__clusters(int *cluster, const wb_weights *w, const double *zs, const double *lag, const double *p,
                      double alpha, int fdr)
{
    size_t n = w->n;
    double *padj = NULL;
    if (fdr) {
        if (!(padj = wb_malloc((n ? n : 1) * sizeof *padj)))
            return WB_ENOMEM;
        int error = wb_p_adjust_bh(padj, p, n);
        if (error < 0) {
            wb_free(padj);
            return error;
        }
        p = padj;
    }
    for (size_t i = 0; i < n; i++) {
        wb_lisa_cluster cl;
        if (w->row[i] == w->row[i + 1])
            cl = WB_LISA_ISLAND;
        else if (!(p[i] <= alpha))
            cl = WB_LISA_NS;
        else if (zs[i] > 0) /* quadrants as spdep's "pysal" quadr: (0, Inf] is High */
            cl = lag[i] > 0 ? WB_LISA_HH : WB_LISA_HL;
        else
            cl = lag[i] > 0 ? WB_LISA_LH : WB_LISA_LL;
        cluster[i] = (int)cl;
    }
    wb_free(padj);
    return 0;
}

int wb_lisa_local_moran(const wb_lisa_out *out, const wb_weights *w, const double *x,
                        const wb_lisa_opts *opts)
{
    wb_lisa_opts defaults = WB_LISA_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    size_t n = w->n;
    if (n < 3) {
        wb_error_set(WB_ERRCLASS_STATS, "local Moran needs at least 3 areas, got %zu", n);
        return WB_EINVALID;
    }
    if (n > UINT32_MAX) {
        wb_error_set(WB_ERRCLASS_STATS, "too many areas: %zu", n);
        return WB_EINVALID;
    }
    if (!(opts->alpha > 0 && opts->alpha < 1)) {
        wb_error_set(WB_ERRCLASS_ARG, "alpha must be between 0 and 1, got %g", opts->alpha);
        return WB_EINVALID;
    }
    int error = 0;
    double *z = wb_malloc(n * sizeof *z), *lag = wb_malloc(n * sizeof *lag);
    double *p = wb_malloc(n * sizeof *p), *pperm = wb_malloc(n * sizeof *pperm);
    double *pmean = wb_malloc(n * sizeof *pmean), *pvar = wb_malloc(n * sizeof *pvar);
    if (!z || !lag || !p || !pperm || !pmean || !pvar) {
        error = WB_ENOMEM;
        goto done;
    }
    double mean;
    if ((error = wb_spatial__center(z, &mean, x, n, "local Moran")) < 0)
        goto done;
    long double zz = 0;
    for (size_t i = 0; i < n; i++)
        zz += (long double)z[i] * z[i];
    double m2 = (double)(zz / (long double)n), dn = (double)n;
    for (size_t i = 0; i < n; i++) {
        size_t k = w->row[i + 1] - w->row[i];
        double l = 0, Wi = 0, Wi2 = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            l += w->w[e] * z[w->col[e]];
            Wi += w->w[e];
            Wi2 += w->w[e] * w->w[e];
        }
        lag[i] = l;
        double Ii = (z[i] / m2) * l;
        double E = k ? -(z[i] * z[i] * Wi) / ((dn - 1) * m2) : 0.0;
        double V = k ? (z[i] / m2) * (z[i] / m2) * (dn / (dn - 2)) * (Wi2 - (Wi * Wi / (dn - 1))) *
                           (m2 - (z[i] * z[i] / (dn - 1)))
                     : 0.0;
        double zi, pi;
        if (k == 0) { /* island: spdep zero.policy gives Ii = 0; no test */
            Ii = 0;
            zi = pi = NAN;
        } else if (z[i] == 0 || k >= n - 1) { /* Ii constant under randomisation */
            zi = NAN;
            pi = 1;
        } else {
            zi = (Ii - E) / sqrt(V);
            pi = wb_spatial__p2(zi);
        }
        p[i] = pi;
        if (out->Ii) out->Ii[i] = Ii;
        if (out->E_Ii) out->E_Ii[i] = E;
        if (out->Var_Ii) out->Var_Ii[i] = V;
        if (out->z) out->z[i] = zi;
        if (out->p) out->p[i] = pi;
    }
    size_t N = opts->permutations;
    wb_lisa__perm_job job = {w, z, m2, z, lag, N, opts->seed, WB_RNG_DOMAIN_LISA, opts->threads,
                             opts->progress, opts->payload, "local Moran permutations"};
    if ((error = wb_lisa__permute(pperm, pmean, pvar, &job)) < 0)
        goto done;
    if (out->p_perm) memcpy(out->p_perm, pperm, n * sizeof *pperm);
    if (out->perm_mean) memcpy(out->perm_mean, pmean, n * sizeof *pmean);
    if (out->perm_var) memcpy(out->perm_var, pvar, n * sizeof *pvar);
    if (out->cluster)
        error = wb_lisa__clusters(out->cluster, w, z, lag, N > 0 ? pperm : p, opts->alpha, opts->fdr);
done:
    wb_free(z);
    wb_free(lag);
    wb_free(p);
    wb_free(pperm);
    wb_free(pmean);
    wb_free(pvar);
    return error;
}
