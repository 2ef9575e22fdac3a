/**
 * @file
 * @brief Markov chains of classes over time: transition counts and probabilities, steady
 * states, mean first passage times (Kemeny & Snell 1976), the spatial Markov chain (Rey
 * 2001) with the homogeneity tests of Bickenbach & Bode (2003), and the LISA Markov chain.
 * The conventions are giddy 2.3's (markov.py, ergodic.py); docs/spacetime.md lists them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/spatial_internal.h"
#include "stats/stats_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spacetime.h"

/* ---------------------------------------------------------------- classes */

/* Rearrange a[lo..hi] so that a[p] holds the value it would have if sorted, smaller or equal
 * values before it and larger or equal after (Hoare's selection with a median of three). */
static void select_nth(double *a, size_t lo, size_t hi, size_t p)
{
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) { double t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (a[hi] < a[lo]) { double t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (a[hi] < a[mid]) { double t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        double pivot = a[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (p <= j)
            hi = j;
        else if (p >= i)
            lo = i;
        else
            return; /* between j and i: equal to the pivot */
    }
}

int wb_quantile_bins(double *bins, size_t k, const double *x, size_t n)
{
    if (k < 1 || k > WB_MARKOV_MAX_STATES) {
        wb_error_set(WB_ERRCLASS_ARG, "quantile classes: expected 1 to %d classes, got %zu", WB_MARKOV_MAX_STATES, k);
        return WB_EINVALID;
    }
    double *s = wb_malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return WB_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            s[m++] = x[i];
    if (m < 2) {
        wb_free(s);
        wb_error_set(WB_ERRCLASS_STATS, "quantile classes: %zu value%s, at least 2 needed", m, m == 1 ? "" : "s");
        return WB_EINVALID;
    }
    /* R's quantile(type = 7) to the last bit: index = 1 + (m - 1) p (1-based), f = index -
     * floor(index), (1 - f) s[lo] + f s[lo + 1] of the sorted values. The order statistics are
     * selected in increasing order, each in what is left to the right of the previous one, so
     * nothing is sorted: O(m k). */
    size_t from = 0;
    for (size_t c = 1; c <= k; c++) {
        double index = 1 + (double)(m - 1) * ((double)c / (double)k);
        double fl = floor(index);
        size_t lo = (size_t)fl - 1;
        if (lo >= m - 1) {
            select_nth(s, from, m - 1, m - 1);
            bins[c - 1] = s[m - 1];
            from = m - 1;
            continue;
        }
        select_nth(s, from, m - 1, lo);
        double a = s[lo], f = index - fl;
        from = lo;
        if (f > 0) {
            select_nth(s, lo + 1, m - 1, lo + 1);
            double b = s[lo + 1];
            bins[c - 1] = b != a ? (1 - f) * a + f * b : a;
        } else {
            bins[c - 1] = a;
        }
    }
    wb_free(s);
    for (size_t c = 1; c < k; c++) {
        if (!(bins[c] > bins[c - 1])) {
            wb_str msg = WB_STR_INIT;
            for (size_t j = 0; j < k; j++)
                wb_str_printf(&msg, "%s%.6g", j ? ", " : "", bins[j]);
            wb_error_set(WB_ERRCLASS_STATS,
                         "too few distinct values for %zu quantile classes: the cut points (%s) are not all "
                         "different; ask for fewer classes",
                         k, wb_str_cstr(&msg));
            wb_str_dispose(&msg);
            return WB_EINVALID;
        }
    }
    return 0;
}

int wb_bins_class(const double *bins, size_t k, double v)
{
    if (isnan(v))
        return -1;
    size_t c = 0;
    while (c + 1 < k && bins[c] < v)
        c++;
    return (int)c;
}

/* ---------------------------------------------------------------- small dense algebra */

/* Solve A x = b (A: m x m row-major, overwritten; b overwritten by x) by Gaussian
 * elimination with partial pivoting. @return 0, or -1 when A is singular. */
static int solve(double *A, double *b, size_t m)
{
    for (size_t c = 0; c < m; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < m; r++)
            if (fabs(A[r * m + c]) > fabs(A[piv * m + c]))
                piv = r;
        if (A[piv * m + c] == 0)
            return -1;
        if (piv != c) {
            for (size_t j = 0; j < m; j++) {
                double t = A[c * m + j];
                A[c * m + j] = A[piv * m + j];
                A[piv * m + j] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (size_t r = c + 1; r < m; r++) {
            double f = A[r * m + c] / A[c * m + c];
            if (f == 0)
                continue;
            for (size_t j = c; j < m; j++)
                A[r * m + j] -= f * A[c * m + j];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = m; c-- > 0;) {
        double s = b[c];
        for (size_t j = c + 1; j < m; j++)
            s -= A[c * m + j] * b[j];
        b[c] = s / A[c * m + c];
    }
    return 0;
}

/* The matrix with every all-zero row made absorbing (giddy's fill_empty_diagonals). */
static void fill_empty(double *q, const double *p, size_t k)
{
    memcpy(q, p, k * k * sizeof *q);
    for (size_t i = 0; i < k; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++)
            s += p[i * k + j];
        if (s == 0)
            q[i * k + i] = 1;
    }
}

/* reach[i * k + j] = 1 when j can be reached from i in zero or more steps. */
static void reachability(unsigned char *reach, const double *q, size_t k)
{
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            reach[i * k + j] = i == j || q[i * k + j] > 0;
    for (size_t m = 0; m < k; m++)
        for (size_t i = 0; i < k; i++)
            if (reach[i * k + m])
                for (size_t j = 0; j < k; j++)
                    reach[i * k + j] |= reach[m * k + j];
}

/* ---------------------------------------------------------------- chains */

int wb_markov_chain_init(wb_markov_chain *c, size_t k)
{
    wb_markov_chain empty = WB_MARKOV_CHAIN_INIT;
    *c = empty;
    if (k < 1 || k > WB_MARKOV_MAX_STATES) {
        wb_error_set(WB_ERRCLASS_ARG, "Markov chain: expected 1 to %d states, got %zu", WB_MARKOV_MAX_STATES, k);
        return WB_EINVALID;
    }
    c->k = k;
    c->count = wb_calloc(k * k, sizeof *c->count);
    c->p = wb_calloc(k * k, sizeof *c->p);
    c->steady = wb_calloc(k * k, sizeof *c->steady);
    c->mfpt = wb_calloc(k * k, sizeof *c->mfpt);
    if (!c->count || !c->p || !c->steady || !c->mfpt) {
        wb_markov_chain_dispose(c);
        return WB_ENOMEM;
    }
    return 0;
}

void wb_markov_chain_dispose(wb_markov_chain *c)
{
    if (!c)
        return;
    wb_free(c->count);
    wb_free(c->p);
    wb_free(c->steady);
    wb_free(c->mfpt);
    wb_markov_chain empty = WB_MARKOV_CHAIN_INIT;
    *c = empty;
}

void wb_markov_count(wb_markov_chain *c, const int *cls, size_t n, size_t T, const unsigned char *areas,
                     const unsigned char *periods)
{
    size_t k = c->k;
    for (size_t t = 0; t + 1 < T; t++) {
        if (periods && !periods[t])
            continue;
        const int *a = cls + t * n, *b = cls + (t + 1) * n;
        for (size_t i = 0; i < n; i++) {
            if ((areas && !areas[i]) || a[i] < 0 || b[i] < 0 || (size_t)a[i] >= k || (size_t)b[i] >= k)
                continue;
            c->count[(size_t)a[i] * k + (size_t)b[i]] += 1;
        }
    }
}

int wb_markov_steady(double *out, size_t *nsteady, const double *p, size_t k)
{
    *nsteady = 0;
    if (k < 1 || k > WB_MARKOV_MAX_STATES) {
        wb_error_set(WB_ERRCLASS_ARG, "Markov chain: expected 1 to %d states, got %zu", WB_MARKOV_MAX_STATES, k);
        return WB_EINVALID;
    }
    double *q = wb_malloc(k * k * sizeof *q), *A = wb_malloc(k * k * sizeof *A), *b = wb_malloc(k * sizeof *b);
    unsigned char *reach = wb_malloc(k * k), *done = wb_calloc(k, 1);
    size_t *mem = wb_malloc(k * sizeof *mem);
    int error = 0;
    if (!q || !A || !b || !reach || !done || !mem) {
        error = WB_ENOMEM;
        goto out;
    }
    fill_empty(q, p, k);
    reachability(reach, q, k);
    memset(out, 0, k * k * sizeof *out);
    for (size_t s = 0; s < k; s++) {
        if (done[s])
            continue;
        /* the communicating class of s */
        size_t m = 0;
        for (size_t j = 0; j < k; j++)
            if (reach[s * k + j] && reach[j * k + s]) {
                mem[m++] = j;
                done[j] = 1;
            }
        /* recurrent when closed: nothing outside it can be reached */
        int closed = 1;
        for (size_t a = 0; a < m && closed; a++)
            for (size_t j = 0; j < k; j++)
                if (reach[mem[a] * k + j] && !(reach[j * k + mem[a]])) {
                    closed = 0;
                    break;
                }
        if (!closed)
            continue;
        /* pi (I - Q_CC) = 0 with sum pi = 1: transpose, last equation replaced by the sum */
        for (size_t r = 0; r < m; r++)
            for (size_t c = 0; c < m; c++)
                A[r * m + c] = (r == c ? 1.0 : 0.0) - q[mem[c] * k + mem[r]];
        for (size_t c = 0; c < m; c++)
            A[(m - 1) * m + c] = 1;
        for (size_t r = 0; r < m; r++)
            b[r] = r == m - 1 ? 1 : 0;
        if (solve(A, b, m) < 0) {
            wb_error_set(WB_ERRCLASS_STATS, "Markov chain: singular system for the steady state");
            error = WB_ERROR;
            goto out;
        }
        for (size_t a = 0; a < m; a++)
            out[*nsteady * k + mem[a]] = b[a];
        (*nsteady)++;
    }
out:
    wb_free(q);
    wb_free(A);
    wb_free(b);
    wb_free(reach);
    wb_free(done);
    wb_free(mem);
    return error;
}

int wb_markov_mfpt(double *out, const double *p, size_t k)
{
    if (k < 1 || k > WB_MARKOV_MAX_STATES) {
        wb_error_set(WB_ERRCLASS_ARG, "Markov chain: expected 1 to %d states, got %zu", WB_MARKOV_MAX_STATES, k);
        return WB_EINVALID;
    }
    double *q = wb_malloc(k * k * sizeof *q), *A = wb_malloc(k * k * sizeof *A), *b = wb_malloc(k * sizeof *b);
    unsigned char *reach = wb_malloc(k * k), *fin = wb_malloc(k);
    size_t *idx = wb_malloc(k * sizeof *idx);
    int error = 0;
    if (!q || !A || !b || !reach || !fin || !idx) {
        error = WB_ENOMEM;
        goto out;
    }
    fill_empty(q, p, k);
    for (size_t j = 0; j < k; j++) {
        /* i enters j for sure when, with j made absorbing (paths end on entering j), every
         * state it can reach can still reach j; those states form a set on which
         * (I - Q) m = 1 is regular */
        double *qj = A; /* A is free until the solve below */
        memcpy(qj, q, k * k * sizeof *qj);
        for (size_t l = 0; l < k; l++)
            qj[j * k + l] = l == j;
        reachability(reach, qj, k);
        size_t m = 0;
        for (size_t i = 0; i < k; i++) {
            fin[i] = 0;
            if (i == j || !reach[i * k + j])
                continue;
            int sure = 1;
            for (size_t s = 0; s < k && sure; s++)
                if (reach[i * k + s] && !reach[s * k + j])
                    sure = 0;
            if (sure) {
                fin[i] = 1;
                idx[m++] = i;
            }
        }
        for (size_t r = 0; r < m; r++) {
            for (size_t c = 0; c < m; c++)
                A[r * m + c] = (r == c ? 1.0 : 0.0) - q[idx[r] * k + idx[c]];
            b[r] = 1;
        }
        if (m && solve(A, b, m) < 0) {
            wb_error_set(WB_ERRCLASS_STATS, "Markov chain: singular system for the passage times");
            error = WB_ERROR;
            goto out;
        }
        for (size_t i = 0; i < k; i++)
            out[i * k + j] = INFINITY;
        for (size_t r = 0; r < m; r++)
            out[idx[r] * k + j] = b[r];
        /* recurrence: one step, then the passage time from wherever it went */
        double rec = 1;
        for (size_t l = 0; l < k; l++)
            if (l != j && q[j * k + l] > 0)
                rec += q[j * k + l] * out[l * k + j];
        out[j * k + j] = rec;
    }
out:
    wb_free(q);
    wb_free(A);
    wb_free(b);
    wb_free(reach);
    wb_free(fin);
    wb_free(idx);
    return error;
}

int wb_markov_chain_finish(wb_markov_chain *c)
{
    size_t k = c->k;
    c->ntransitions = 0;
    for (size_t i = 0; i < k; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++)
            s += c->count[i * k + j];
        c->ntransitions += s;
        for (size_t j = 0; j < k; j++)
            c->p[i * k + j] = s > 0 ? c->count[i * k + j] / s : 0;
    }
    int error = wb_markov_steady(c->steady, &c->nsteady, c->p, k);
    if (error == 0)
        error = wb_markov_mfpt(c->mfpt, c->p, k);
    return error;
}

/* ---------------------------------------------------------------- homogeneity */

int wb_markov_homogeneity_test(wb_markov_homogeneity *out, const double *counts, size_t m, size_t k)
{
    memset(out, 0, sizeof *out);
    if (m < 1 || k < 1 || k > WB_MARKOV_MAX_STATES) {
        wb_error_set(WB_ERRCLASS_ARG, "homogeneity test: bad dimensions %zu x %zu", m, k);
        return WB_EINVALID;
    }
    double *T = wb_calloc(k * k, sizeof *T);
    if (!T)
        return WB_ENOMEM;
    for (size_t r = 0; r < m; r++)
        for (size_t e = 0; e < k * k; e++)
            T[e] += counts[r * k * k + e];
    double Q = 0, LR = 0;
    long dof = 0;
    for (size_t i = 0; i < k; i++) {
        double ni = 0;
        long ai = 0, bi = 0;
        for (size_t j = 0; j < k; j++) {
            ni += T[i * k + j];
            ai += T[i * k + j] > 0;
        }
        out->ntransitions += ni;
        for (size_t r = 0; r < m; r++) {
            const double *N = counts + r * k * k + i * k;
            double nim = 0;
            for (size_t j = 0; j < k; j++)
                nim += N[j];
            if (nim <= 0)
                continue;
            bi++;
            for (size_t j = 0; j < k; j++) {
                double pij = ni > 0 ? T[i * k + j] / ni : 0, pijm = N[j] / nim;
                if (pij > 0)
                    Q += nim * (pijm - pij) * (pijm - pij) / pij;
                if (N[j] > 0 && pij > 0)
                    LR += N[j] * log(pijm / pij);
            }
        }
        if (bi > 0 && ai > 0)
            dof += (bi - 1) * (ai - 1);
    }
    wb_free(T);
    out->Q = Q;
    out->LR = 2 * LR;
    out->dof = dof;
    out->Q_p = dof > 0 ? wb__pchisq_upper(out->Q, (double)dof) : NAN;
    out->LR_p = dof > 0 ? wb__pchisq_upper(out->LR, (double)dof) : NAN;
    return 0;
}

/* ---------------------------------------------------------------- spatial Markov */

void wb_spatial_markov_dispose(wb_spatial_markov *s)
{
    if (!s)
        return;
    wb_markov_chain_dispose(&s->pooled);
    if (s->cond)
        for (size_t l = 0; l < s->m; l++)
            wb_markov_chain_dispose(&s->cond[l]);
    wb_free(s->cond);
    wb_free(s->lag);
    wb_free(s->lag_class);
    wb_spatial_markov empty = WB_SPATIAL_MARKOV_INIT;
    *s = empty;
}

/* lag[t * n + i] = sum_j w_ij y[t * n + j]; NaN for an island */
static void spatial_lag(double *lag, const wb_weights *w, const double *y, size_t n, size_t T)
{
    for (size_t t = 0; t < T; t++) {
        const double *yt = y + t * n;
        for (size_t i = 0; i < n; i++) {
            if (w->row[i] == w->row[i + 1]) {
                lag[t * n + i] = NAN;
                continue;
            }
            double l = 0;
            for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                l += w->w[e] * yt[w->col[e]];
            lag[t * n + i] = l;
        }
    }
}

int wb_spatial_markov_estimate(wb_spatial_markov *out, const wb_weights *w, const double *y, const int *cls, size_t n,
                      size_t T, size_t k, const wb_spatial_markov_opts *o)
{
    wb_spatial_markov empty = WB_SPATIAL_MARKOV_INIT;
    *out = empty;
    wb_spatial_markov_opts d = WB_SPATIAL_MARKOV_OPTS_INIT;
    if (!o)
        o = &d;
    size_t m = o->lag_classes;
    if (w->n != n) {
        wb_error_set(WB_ERRCLASS_ARG, "spatial Markov: weights of %zu areas for %zu series", w->n, n);
        return WB_EINVALID;
    }
    if (T < 2) {
        wb_error_set(WB_ERRCLASS_STATS, "spatial Markov: %zu year%s, at least 2 needed", T, T == 1 ? "" : "s");
        return WB_EINVALID;
    }
    if (m < 1 || m > WB_MARKOV_MAX_STATES) {
        wb_error_set(WB_ERRCLASS_ARG, "spatial Markov: expected 1 to %d lag classes, got %zu", WB_MARKOV_MAX_STATES, m);
        return WB_EINVALID;
    }
    for (size_t e = 0; e < n * T; e++)
        if (!isfinite(y[e])) {
            wb_error_set(WB_ERRCLASS_STATS, "spatial Markov: value of area %zu in year %zu is missing", e % n + 1,
                         e / n + 1);
            return WB_EINVALID;
        }
    out->k = k;
    out->m = m;
    out->n = n;
    out->T = T;
    int error = 0;
    double *counts = NULL;
    out->lag = wb_malloc(n * T * sizeof *out->lag);
    out->lag_class = wb_malloc(n * T * sizeof *out->lag_class);
    out->cond = wb_calloc(m, sizeof *out->cond);
    counts = wb_malloc(m * k * k * sizeof *counts);
    if (!out->lag || !out->lag_class || !out->cond || !counts) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        out->islands += w->row[i] == w->row[i + 1];
    if (out->islands == n) {
        wb_error_set(WB_ERRCLASS_STATS, "spatial Markov: none of the %zu areas has a neighbour", n);
        error = WB_EINVALID;
        goto done;
    }
    spatial_lag(out->lag, w, y, n, T);
    if ((error = wb_quantile_bins(out->lag_bins, m, out->lag, n * T)) < 0) {
        wb_error_prefix("classes of the spatial lag");
        goto done;
    }
    for (size_t e = 0; e < n * T; e++)
        out->lag_class[e] = wb_bins_class(out->lag_bins, m, out->lag[e]);
    if ((error = wb_markov_chain_init(&out->pooled, k)) < 0)
        goto done;
    for (size_t l = 0; l < m; l++)
        if ((error = wb_markov_chain_init(&out->cond[l], k)) < 0)
            goto done;
    for (size_t t = 0; t + 1 < T; t++) {
        if (o->periods && !o->periods[t])
            continue;
        for (size_t i = 0; i < n; i++) {
            int a = cls[t * n + i], b = cls[(t + 1) * n + i], l = out->lag_class[t * n + i];
            if ((o->areas && !o->areas[i]) || a < 0 || b < 0 || l < 0 || (size_t)a >= k || (size_t)b >= k)
                continue;
            out->cond[l].count[(size_t)a * k + (size_t)b] += 1;
            out->pooled.count[(size_t)a * k + (size_t)b] += 1;
        }
    }
    if ((error = wb_markov_chain_finish(&out->pooled)) < 0)
        goto done;
    for (size_t l = 0; l < m; l++) {
        if ((error = wb_markov_chain_finish(&out->cond[l])) < 0)
            goto done;
        memcpy(counts + l * k * k, out->cond[l].count, k * k * sizeof *counts);
    }
    error = wb_markov_homogeneity_test(&out->ht, counts, m, k);
done:
    wb_free(counts);
    if (error < 0)
        wb_spatial_markov_dispose(out);
    return error;
}

/* ---------------------------------------------------------------- LISA Markov */

static const char *const quad_names[WB_QUAD__MAX] = {"HH", "LH", "LL", "HL"};

const char *wb_quadrant_name(wb_quadrant q)
{
    return (unsigned)q < WB_QUAD__MAX ? quad_names[q] : NULL;
}

int wb_lisa_markov(wb_markov_chain *out, int *quad, const wb_weights *w, const double *y, size_t n, size_t T,
                   const unsigned char *areas, const unsigned char *periods)
{
    wb_markov_chain empty = WB_MARKOV_CHAIN_INIT;
    *out = empty;
    if (w->n != n || n < 3 || T < 2) {
        wb_error_set(WB_ERRCLASS_STATS, "LISA Markov: needs at least 3 areas and 2 years (got %zu and %zu)", n, T);
        return WB_EINVALID;
    }
    int error = 0;
    double *z = wb_malloc(n * sizeof *z);
    int *q = quad ? quad : wb_malloc(n * T * sizeof *q);
    if (!z || !q) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t t = 0; t < T; t++) {
        double mean;
        if ((error = wb_spatial__center(z, &mean, y + t * n, n, "LISA Markov")) < 0) {
            wb_error_prefix("year %zu", t + 1);
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            if (w->row[i] == w->row[i + 1]) {
                q[t * n + i] = -1;
                continue;
            }
            double l = 0;
            for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                l += w->w[e] * z[w->col[e]];
            int hi = z[i] > 0, lhi = l > 0;
            q[t * n + i] = hi ? (lhi ? WB_QUAD_HH : WB_QUAD_HL) : (lhi ? WB_QUAD_LH : WB_QUAD_LL);
        }
    }
    if ((error = wb_markov_chain_init(out, WB_QUAD__MAX)) < 0)
        goto done;
    wb_markov_count(out, q, n, T, areas, periods);
    error = wb_markov_chain_finish(out);
done:
    wb_free(z);
    if (q != quad)
        wb_free(q);
    if (error < 0)
        wb_markov_chain_dispose(out);
    return error;
}
