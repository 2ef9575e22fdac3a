/**
 * @file
 * @brief Global Moran's I with its moments under normality and randomisation (Cliff & Ord
 * 1981, as spdep's moran.test computes them) and a permutation test (as moran.mc).
 *
 * With z = x - mean(x) over all n areas and W the weights:
 *   I    = (n' / S0) * z'Wz / z'z                         n' = n, or n - islands (adjust_n)
 *   E[I] = -1 / (n' - 1)
 *   S0 = sum_ij w_ij, S1 = sum_ij (w_ij^2 + w_ij w_ji), S2 = sum_i (w_i. + w_.i)^2
 *   Var_N = (n'^2 S1 - n' S2 + 3 S0^2) / (S0^2 (n'^2 - 1)) - E[I]^2
 *   K     = n sum z^4 / (sum z^2)^2                        (n = all areas, as spdep)
 *   Var_R = [n' (S1 (n'^2 - 3n' + 3) - n' S2 + 3 S0^2)
 *            - K (S1 (n'^2 - n') - 2 n' S2 + 6 S0^2)] / ((n'-1)(n'-2)(n'-3) S0^2) - E[I]^2
 * z = (I - E[I]) / sqrt(Var), p two-sided = 2 (1 - Phi(|z|)).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "geo/weights_internal.h"
#include "stats/spatial_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spatial.h"

typedef struct {
    const wb_weights *w;
    const double *z;
    const double *rw; /* the weight of each row when all its weights are equal, else NULL */
    double factor; /* n' / (S0 z'z) */
    uint64_t seed;
    double *Ip;    /* one I per permutation */
    double **buf;  /* per thread: n values */
} perm_ctx;

static double quad_form(const wb_weights *w, const double *z)
{
    long double num = 0;
    for (size_t i = 0; i < w->n; i++) {
        double lag = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            lag += w->w[e] * z[w->col[e]];
        num += (long double)z[i] * lag;
    }
    return (double)num;
}

/* Permutations are processed PB at a time: PB shuffled copies of z side by side (area i's
 * values at Y[i * PB .. i * PB + PB)), so that one pass over the weights serves PB
 * permutations (one cache line per neighbour instead of PB). Permutation p always draws
 * from its own stream and sits in column p % PB of batch p / PB; batches never straddle
 * the chunks of 16 handed to threads, so the result does not depend on threads. */
#define PB 4

static void perm_run(void *vctx, size_t begin, size_t end, unsigned tid)
{
    perm_ctx *c = vctx;
    const wb_weights *w = c->w;
    size_t n = w->n;
    const size_t *row = w->row;
    const uint32_t *col = w->col;
    double *Y = c->buf[tid];
    for (size_t p0 = begin; p0 < end; p0 += PB) {
        size_t cnt = end - p0 < PB ? end - p0 : PB;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < PB; k++)
                Y[i * PB + k] = c->z[i];
        for (size_t k = 0; k < cnt; k++) {
            wb_rng32 r;
            wb_rng32_seed(&r, c->seed, WB_RNG_DOMAIN_MORAN, p0 + k);
            for (size_t t = n - 1; t > 0; t--) { /* Fisher-Yates on column k */
                size_t j = wb_rng32_below(&r, (uint32_t)(t + 1));
                double tmp = Y[t * PB + k];
                Y[t * PB + k] = Y[j * PB + k];
                Y[j * PB + k] = tmp;
            }
        }
        double num[PB] = {0};
        for (size_t i = 0; i < n; i++) {
            double sum[PB] = {0};
            if (c->rw) { /* equal weights in the row (W, B): sum first, weigh once */
                for (size_t e = row[i]; e < row[i + 1]; e++) {
                    const double *yj = Y + (size_t)col[e] * PB;
                    for (size_t k = 0; k < PB; k++)
                        sum[k] += yj[k];
                }
                for (size_t k = 0; k < PB; k++)
                    num[k] += Y[i * PB + k] * (c->rw[i] * sum[k]);
            } else {
                for (size_t e = row[i]; e < row[i + 1]; e++) {
                    const double *yj = Y + (size_t)col[e] * PB;
                    for (size_t k = 0; k < PB; k++)
                        sum[k] += w->w[e] * yj[k];
                }
                for (size_t k = 0; k < PB; k++)
                    num[k] += Y[i * PB + k] * sum[k];
            }
        }
        for (size_t k = 0; k < cnt; k++)
            c->Ip[p0 + k] = c->factor * num[k];
    }
}

int wb_moran_global(wb_moran_result *out, const wb_weights *w, const double *x,
                    const wb_moran_opts *opts)
{
    wb_moran_opts defaults = WB_MORAN_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    memset(out, 0, sizeof *out);
    size_t n = w->n;
    int error = 0;
    double *z = NULL, *Ip = NULL, **bufs = NULL, *rw = NULL;
    unsigned nt = 0;
    if (n < 4) {
        wb_error_set(WB_ERRCLASS_STATS, "Moran's I needs at least 4 areas, got %zu", n);
        return WB_EINVALID;
    }
    z = wb_malloc(n * sizeof *z);
    double *cs = wb_calloc(n, sizeof *cs); /* column sums */
    if (!z || !cs) {
        error = WB_ENOMEM;
        goto done;
    }
    double mean;
    if ((error = wb_spatial__center(z, &mean, x, n, "Moran's I")) < 0)
        goto done;

    /* weight constants, as spdep's spweights.constants */
    size_t islands = 0;
    long double S0 = 0, S1 = 0, S2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (w->row[i] == w->row[i + 1])
            islands++;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            double dij = w->w[e];
            double dji = wb_weights__weight(w, w->col[e], i);
            S0 += dij;
            S1 += (long double)dij * dij + (long double)dij * dji;
            cs[w->col[e]] += dij;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double rs = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            rs += w->w[e];
        long double t = (long double)rs + cs[i];
        S2 += t * t;
    }
    if (islands == n || S0 == 0) {
        wb_error_set(WB_ERRCLASS_STATS, "Moran's I: none of the %zu areas has a neighbour", n);
        error = WB_EINVALID;
        goto done;
    }
    double ne = opts->adjust_n ? (double)(n - islands) : (double)n;
    if (ne < 4) {
        wb_error_set(WB_ERRCLASS_STATS,
                     "Moran's I needs at least 4 areas with neighbours, got %.0f of %zu", ne, n);
        error = WB_EINVALID;
        goto done;
    }
    long double zz = 0, z4 = 0;
    for (size_t i = 0; i < n; i++) {
        long double q = (long double)z[i] * z[i];
        zz += q;
        z4 += q * q;
    }
    double K = (double)((long double)n * z4 / (zz * zz));
    double num = quad_form(w, z);
    double s0 = (double)S0, s1 = (double)S1, s2 = (double)S2, S02 = s0 * s0;
    double I = (ne / s0) * (num / (double)zz);
    double EI = -1.0 / (ne - 1);
    double nn = ne * ne;
    double VN = (nn * s1 - ne * s2 + 3 * S02) / (S02 * (nn - 1)) - EI * EI;
    double VR = ne * (s1 * (nn - 3 * ne + 3) - ne * s2 + 3 * S02);
    double tmp = K * (s1 * (nn - ne) - 2 * ne * s2 + 6 * S02);
    VR = (VR - tmp) / ((ne - 1) * (ne - 2) * (ne - 3) * S02) - EI * EI;

    out->n = n;
    out->n_eff = ne;
    out->islands = islands;
    out->I = I;
    out->E_I = EI;
    out->var_norm = VN;
    out->var_rand = VR;
    /* a negative variance (possible under randomisation for extreme kurtosis) leaves z
     * and p undefined: NaN, as spdep warns "Negative variance" */
    out->z_norm = VN > 0 ? (I - EI) / sqrt(VN) : NAN;
    out->p_norm = wb_spatial__p2(out->z_norm);
    out->z_rand = VR > 0 ? (I - EI) / sqrt(VR) : NAN;
    out->p_rand = wb_spatial__p2(out->z_rand);
    out->kurtosis = K;
    out->S0 = s0;
    out->S1 = s1;
    out->S2 = s2;
    out->permutations = opts->permutations;
    out->p_perm = out->perm_mean = out->perm_sd = NAN;

    if (opts->permutations > 0) {
        size_t N = opts->permutations;
        if (n > UINT32_MAX) {
            wb_error_set(WB_ERRCLASS_STATS, "too many areas for the permutation test");
            error = WB_EINVALID;
            goto done;
        }
        nt = wb_spatial__threads(N, 16, opts->threads);
        Ip = wb_malloc(N * sizeof *Ip);
        bufs = wb_calloc(nt, sizeof *bufs);
        if (!Ip || !bufs) {
            error = WB_ENOMEM;
            goto done;
        }
        for (unsigned t = 0; t < nt; t++)
            if (!(bufs[t] = wb_malloc(n * PB * sizeof **bufs))) {
                error = WB_ENOMEM;
                goto done;
            }
        rw = wb_malloc(n * sizeof *rw);
        if (!rw) {
            error = WB_ENOMEM;
            goto done;
        }
        int equal = 1;
        for (size_t i = 0; i < n && equal; i++) {
            rw[i] = w->row[i] < w->row[i + 1] ? w->w[w->row[i]] : 0;
            for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                if (w->w[e] != rw[i])
                    equal = 0;
        }
        perm_ctx c = {w, z, equal ? rw : NULL, ne / (s0 * (double)zz), opts->seed, Ip, bufs};
        wb_spatial__parallel(N, 16, nt, perm_run, &c, NULL, NULL, NULL);
        /* Ties up to rounding count as "at least as large": a permutation that gives the
         * same value as the data (up to the error of summing n products) must not be
         * counted as smaller. */
        double zmax = 0;
        for (size_t i = 0; i < n; i++)
            if (fabs(z[i]) > zmax)
                zmax = fabs(z[i]);
        double tol = 4.0 * (double)(n + 16) * DBL_EPSILON * zmax * zmax * s0 * c.factor;
        size_t ge = 0;
        long double sum = 0;
        for (size_t p = 0; p < N; p++) {
            ge += Ip[p] >= I - tol;
            sum += Ip[p];
        }
        double pm = (double)(sum / (long double)N);
        long double ss = 0;
        for (size_t p = 0; p < N; p++)
            ss += (long double)(Ip[p] - pm) * (Ip[p] - pm);
        out->perm_ge = ge;
        out->p_perm = (double)(ge + 1) / (double)(N + 1);
        out->perm_mean = pm;
        out->perm_sd = N > 1 ? sqrt((double)(ss / (long double)(N - 1))) : NAN;
    }
done:
    if (bufs)
        for (unsigned t = 0; t < nt; t++)
            wb_free(bufs[t]);
    wb_free(bufs);
    wb_free(Ip);
    wb_free(rw);
    wb_free(z);
    wb_free(cs);
    return error;
}
