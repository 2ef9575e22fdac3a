/** @file @brief The effect of an initiative: matched difference in differences with a placebo
 *  (re-assignment) interval (issue 7, part 4). Definitions: include/wijkbeeld/effort.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/effort.h"
#include "wijkbeeld/errors.h"

static int nomem(void)
{
    wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    return WB_ENOMEM;
}

/* ---------------------------------------------------------------- random numbers */

/* The library's generator (src/core/internal.h): xoshiro256** seeded through splitmix64. */
typedef wb__rng rng;

static void rng_seed(rng *r, uint64_t seed)
{
    wb__rng_seed(r, seed);
}

static uint64_t rng_next(rng *r)
{
    return wb__rng_next(r);
}

/* Uniform in [0, n) without modulo bias (Lemire 2019). */
static size_t rng_below(rng *r, size_t n)
{
    uint64_t x = rng_next(r);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = -(uint64_t)n % n;
        while (l < t) {
            x = rng_next(r);
            m = (__uint128_t)x * n;
            l = (uint64_t)m;
        }
    }
    return (size_t)(m >> 64);
}

/* ---------------------------------------------------------------- matching */

typedef struct {
    size_t na;
    const double *lev, *slo, *chg; /* per area */
    double i11, i12, i22;          /* inverse covariance (Mahalanobis metric) */
    size_t m;                      /* matches per treated area */
    int bias_correct;              /* adjust controls by a regression of change on features */
    double bl, bs;                 /* its slopes on level and slope (set by fit()) */
} matcher;

/* Bias correction (Abadie & Imbens 2011): least squares of change on (1, level, slope) over
 * the control pool (pool minus blocked), so that each control's change can be moved to the
 * treated area's features. Fitted afresh for every placebo set, which is left out of the fit
 * just as the treated areas are. A constant feature gets no slope. */
static void fit(matcher *M, const size_t *pool, size_t np, const unsigned char *blocked)
{
    M->bl = M->bs = 0;
    if (!M->bias_correct)
        return;
    double ml = 0, ms = 0, mc = 0, sll = 0, sls = 0, sss = 0, slc = 0, ssc = 0;
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        size_t a = pool[i];
        if (blocked && blocked[a])
            continue;
        ml += M->lev[a];
        ms += M->slo[a];
        mc += M->chg[a];
        n++;
    }
    if (n < 3)
        return;
    ml /= (double)n;
    ms /= (double)n;
    mc /= (double)n;
    for (size_t i = 0; i < np; i++) {
        size_t a = pool[i];
        if (blocked && blocked[a])
            continue;
        double dl = M->lev[a] - ml, ds = M->slo[a] - ms, dc = M->chg[a] - mc;
        sll += dl * dl;
        sls += dl * ds;
        sss += ds * ds;
        slc += dl * dc;
        ssc += ds * dc;
    }
    double dd = sll * sss - sls * sls;
    if (n >= 4 && sll > 0 && sss > 0 && dd > 1e-12 * sll * sss) {
        M->bl = (sss * slc - sls * ssc) / dd;
        M->bs = (sll * ssc - sls * slc) / dd;
    } else if (sll > 0) {
        M->bl = slc / sll;
    } else if (sss > 0) {
        M->bs = ssc / sss;
    }
}

static double dist2(const matcher *M, size_t a, size_t b)
{
    double dx = M->lev[a] - M->lev[b], dy = M->slo[a] - M->slo[b];
    return M->i11 * dx * dx + 2 * M->i12 * dx * dy + M->i22 * dy * dy;
}

/* The k nearest areas to @p a among pool[] (skipping blocked[] != 0): indices into out[],
 * nearest first; ties go to the lower panel index. Returns how many were found. */
static size_t nearest(const matcher *M, size_t a, const size_t *pool, size_t np, const unsigned char *blocked,
                      size_t k, size_t *out, double *dout)
{
    size_t n = 0;
    for (size_t q = 0; q < np; q++) {
        size_t c = pool[q];
        if (blocked && blocked[c])
            continue;
        double d = dist2(M, a, c);
        if (n == k && !(d < dout[n - 1] || (d == dout[n - 1] && c < out[n - 1])))
            continue;
        size_t pos = n < k ? n++ : k - 1;
        while (pos > 0 && (d < dout[pos - 1] || (d == dout[pos - 1] && c < out[pos - 1]))) {
            out[pos] = out[pos - 1];
            dout[pos] = dout[pos - 1];
            pos--;
        }
        out[pos] = c;
        dout[pos] = d;
    }
    return n;
}

/* The matched DiD of treated set S (controls from pool minus blocked). Fills per-area
 * details when @p areas is given. */
static double did_of(matcher *M, const size_t *S, size_t ns, const size_t *pool, size_t np,
                     const unsigned char *blocked, wb_effect_area *areas, size_t *buf, double *dbuf)
{
    double sum = 0;
    fit(M, pool, np, blocked);
    for (size_t i = 0; i < ns; i++) {
        size_t k = nearest(M, S[i], pool, np, blocked, M->m, buf, dbuf);
        double cc = 0;
        /* each control's change moved to the treated area's features (Abadie & Imbens 2011) */
        for (size_t j = 0; j < k; j++)
            cc += M->chg[buf[j]] + M->bl * (M->lev[S[i]] - M->lev[buf[j]]) + M->bs * (M->slo[S[i]] - M->slo[buf[j]]);
        cc = k ? cc / (double)k : NAN;
        double d = M->chg[S[i]] - cc;
        sum += d;
        if (areas) {
            areas[i].change = M->chg[S[i]];
            areas[i].control_change = cc;
            areas[i].did = d;
            areas[i].nmatched = k;
            memcpy(areas[i].matched, buf, k * sizeof *buf);
        }
    }
    return sum / (double)ns;
}

/* Strata of nearest areas, or the whole pool (placebo_pool 0). */
static int placebo_strata(const wb_effect_opts *o)
{
    return o->placebo_pool > 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void wb_effect_result_dispose(wb_effect_result *r)
{
    if (!r)
        return;
    wb_free(r->areas);
    r->areas = NULL;
    r->nareas = 0;
}

int wb_effect_did(wb_effect_result *out, const wb_panel *p, size_t key, const size_t *treated, size_t ntreated,
                  const unsigned char *eligible, int last_pre, int first_post, const wb_effect_opts *opts)
{
    memset(out, 0, sizeof *out);
    wb_effect_opts defaults = WB_EFFECT_OPTS_INIT;
    const wb_effect_opts *o = opts ? opts : &defaults;
    out->estimate = out->lo = out->hi = out->p = out->placebo_sd = NAN;
    out->treated_change = out->control_change = out->smd_level = out->smd_slope = NAN;
    out->level = o->level;
    out->seed = o->seed;
    size_t na = p ? wb_panel_nareas(p) : 0, ny = p ? wb_panel_nyears(p) : 0;
    if (!p || key >= wb_panel_nkeys(p) || o->matches < 1 || o->matches > WB_EFFECT_MAX_MATCHES ||
        !(o->level > 0 && o->level < 1) || o->pre_years < 0 || o->lag < 0 || first_post <= last_pre) {
        wb_error_set(WB_ERRCLASS_ARG, "effect: expected a panel and indicator, 1 <= matches <= %d, 0 < level < 1, "
                     "pre_years >= 0 and the first year after the start later than the last year before it",
                     WB_EFFECT_MAX_MATCHES);
        return WB_EINVALID;
    }
    for (size_t i = 0; i < ntreated; i++)
        if (treated[i] >= na) {
            wb_error_set(WB_ERRCLASS_ARG, "effect: treated area index %zu out of range (%zu areas)", treated[i], na);
            return WB_EINVALID;
        }
    snprintf(out->indicator, sizeof out->indicator, "%s", wb_panel_key(p, key));
    /* years */
    int lo_pre = o->pre_years ? last_pre - o->pre_years + 1 : -100000;
    out->first_pre = out->last_pre = out->first_post = out->last_post = 0;
    for (size_t t = 0; t < ny; t++) {
        int y = wb_panel_year(p, t);
        if (y <= last_pre && y >= lo_pre) {
            if (!out->npre++)
                out->first_pre = y;
            out->last_pre = y;
        } else if (y >= first_post) {
            if (!out->npost++)
                out->first_post = y;
            out->last_post = y;
        }
    }
    if (out->npost == 0) {
        out->status = WB_EFFECT_TOO_EARLY;
        snprintf(out->reason, sizeof out->reason,
                 "too early: no data year from %d on yet (the last data year is %d)", first_post,
                 ny ? wb_panel_year(p, ny - 1) : 0);
        return 0;
    }
    if (out->npre < 2) {
        out->status = WB_EFFECT_NO_DATA;
        snprintf(out->reason, sizeof out->reason, "fewer than two data years up to %d (before the start)", last_pre);
        return 0;
    }

    int error = 0;
    double *lev = wb_malloc((na + 1) * sizeof *lev), *slo = wb_malloc((na + 1) * sizeof *slo);
    double *chg = wb_malloc((na + 1) * sizeof *chg), *est = NULL, *dbuf = NULL;
    unsigned char *valid = wb_calloc(na + 1, 1), *is_t = wb_calloc(na + 1, 1), *blocked = wb_calloc(na + 1, 1);
    size_t *T = wb_malloc((ntreated + 1) * sizeof *T), *E = wb_malloc((na + 1) * sizeof *E);
    size_t *buf = NULL, *cand = NULL, *ncand = NULL, *P = NULL, *order = NULL;
    if (!lev || !slo || !chg || !valid || !is_t || !blocked || !T || !E) {
        error = nomem();
        goto done;
    }
    /* features and change of every area */
    for (size_t a = 0; a < na; a++) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0, post = 0;
        size_t n = 0, npost = 0;
        for (size_t t = 0; t < ny; t++) {
            int y = wb_panel_year(p, t);
            double v = wb_panel_get(p, a, t, key);
            if (isnan(v))
                continue;
            if (y <= last_pre && y >= lo_pre) {
                sx += y;
                sy += v;
                n++;
            } else if (y >= first_post) {
                post += v;
                npost++;
            }
        }
        if (n < 2 || npost < 1)
            continue;
        double mx = sx / (double)n, my = sy / (double)n;
        for (size_t t = 0; t < ny; t++) {
            int y = wb_panel_year(p, t);
            double v = wb_panel_get(p, a, t, key);
            if (isnan(v) || y > last_pre || y < lo_pre)
                continue;
            sxx += (y - mx) * (y - mx);
            sxy += (y - mx) * (v - my);
        }
        lev[a] = my;
        slo[a] = sxx > 0 ? sxy / sxx : 0;
        chg[a] = post / (double)npost - my;
        valid[a] = 1;
    }
    size_t nt = 0, ne = 0;
    for (size_t i = 0; i < ntreated; i++)
        if (valid[treated[i]] && !is_t[treated[i]]) {
            is_t[treated[i]] = 1;
            T[nt++] = treated[i];
        }
    for (size_t a = 0; a < na; a++)
        if (valid[a] && !is_t[a] && eligible && eligible[a])
            E[ne++] = a;
    out->ntreated = nt;
    out->npool = ne;
    if (nt == 0) {
        out->status = WB_EFFECT_NO_DATA;
        snprintf(out->reason, sizeof out->reason,
                 "no treated area has %s values both before (two years or more) and after the start", out->indicator);
        goto done;
    }
    if (ne < nt + o->matches) {
        out->status = WB_EFFECT_TOO_FEW;
        snprintf(out->reason, sizeof out->reason,
                 "too few comparable areas: %zu with data, at least %zu needed (%zu treated + %zu matches)", ne,
                 nt + o->matches, nt, o->matches);
        goto done;
    }
    /* Mahalanobis metric: covariance of (level, slope) over eligible and treated areas */
    matcher M = {na, lev, slo, chg, 0, 0, 0, o->matches, o->bias_correct, 0, 0};
    {
        double m1 = 0, m2 = 0, c11 = 0, c12 = 0, c22 = 0;
        size_t n = nt + ne;
        for (size_t i = 0; i < n; i++) {
            size_t a = i < nt ? T[i] : E[i - nt];
            m1 += lev[a];
            m2 += slo[a];
        }
        m1 /= (double)n;
        m2 /= (double)n;
        for (size_t i = 0; i < n; i++) {
            size_t a = i < nt ? T[i] : E[i - nt];
            c11 += (lev[a] - m1) * (lev[a] - m1);
            c12 += (lev[a] - m1) * (slo[a] - m2);
            c22 += (slo[a] - m2) * (slo[a] - m2);
        }
        c11 /= (double)(n - 1);
        c12 /= (double)(n - 1);
        c22 /= (double)(n - 1);
        double det = c11 * c22 - c12 * c12;
        if (c11 > 0 && c22 > 0 && det > 1e-12 * c11 * c22) {
            M.i11 = c22 / det;
            M.i12 = -c12 / det;
            M.i22 = c11 / det;
        } else {
            /* (nearly) collinear or constant features: standardised Euclidean, a constant
             * feature left out */
            M.i11 = c11 > 0 ? 1 / c11 : 0;
            M.i22 = c22 > 0 ? 1 / c22 : 0;
            M.i12 = 0;
        }
        out->smd_level = sqrt(c11);
        out->smd_slope = sqrt(c22);
    }
    buf = wb_malloc((na + 1) * sizeof *buf);
    dbuf = wb_malloc((na + 1) * sizeof *dbuf);
    out->areas = wb_calloc(nt, sizeof *out->areas);
    if (!buf || !dbuf || !out->areas) {
        error = nomem();
        goto done;
    }
    out->nareas = nt;
    out->estimate = did_of(&M, T, nt, E, ne, NULL, out->areas, buf, dbuf);
    /* details, balance and the controls used */
    {
        double tc = 0, cc = 0, dl = 0, ds = 0;
        size_t used = 0;
        for (size_t i = 0; i < nt; i++) {
            wb_effect_area *w = &out->areas[i];
            w->area = T[i];
            snprintf(w->code, sizeof w->code, "%s", wb_panel_code(p, T[i]));
            w->pre_level = lev[T[i]];
            w->pre_slope = slo[T[i]];
            tc += w->change;
            cc += w->control_change;
            double ml = 0, ms = 0;
            for (size_t j = 0; j < w->nmatched; j++) {
                ml += lev[w->matched[j]];
                ms += slo[w->matched[j]];
                if (!blocked[w->matched[j]]) {
                    blocked[w->matched[j]] = 1;
                    used++;
                }
            }
            dl += lev[T[i]] - ml / (double)w->nmatched;
            ds += slo[T[i]] - ms / (double)w->nmatched;
        }
        memset(blocked, 0, na);
        out->ncontrols = used;
        out->treated_change = tc / (double)nt;
        out->control_change = cc / (double)nt;
        out->smd_level = out->smd_level > 0 ? dl / (double)nt / out->smd_level : 0;
        out->smd_slope = out->smd_slope > 0 ? ds / (double)nt / out->smd_slope : 0;
    }
    out->status = WB_EFFECT_OK;
    if (o->draws == 0)
        goto done;

    /* ---- placebo draws: re-assign the treatment.
     *
     * Randomisation inference (Fisher; Imbens & Rubin 2015, ch. 5) inverted into an interval.
     * Under the hypothesis "the effect is tau0", subtracting tau0 from the treated areas'
     * values after the start removes it, and the treatment could as well have fallen on other
     * areas like the treated ones. Each draw re-assigns it: every treated area i draws one
     * area from its stratum C_i = {itself} + its placebo_pool nearest eligible areas (all
     * areas when placebo_pool is 0), distinct within the draw; the estimate of the placebo
     * set P (controls: all other areas, the real treated ones included with their adjusted
     * values) is A_P + B_P tau0, linear in tau0 because the features are pre-period values
     * and the bias correction is least squares. The observed statistic at tau0 is
     * estimate - tau0. A draw is at least as low as the observed one exactly when
     * tau0 <= t_P = (estimate - A_P) / (1 + B_P) (1 + B_P > 0: B_P >= -1, with equality
     * only for the real assignment, which is not drawn: it is the observed statistic), so
     * the accepted tau0 form an interval between order statistics of the t_P. Without effect heterogeneity and with the treatment as good as
     * random within the strata, the interval has its nominal coverage; the tests check this
     * on generated data. */
    size_t nu = nt + ne;
    size_t k = o->placebo_pool && o->placebo_pool < ne ? o->placebo_pool : ne;
    size_t *U = wb_malloc((nu + 1) * sizeof *U);
    double *chg1 = wb_malloc((na + 1) * sizeof *chg1);
    cand = wb_malloc((nt * (k + 1) + 1) * sizeof *cand);
    ncand = wb_malloc((nt + 1) * sizeof *ncand);
    P = wb_malloc((nt + 1) * sizeof *P);
    order = wb_malloc((nt + 1) * sizeof *order);
    est = wb_malloc((2 * o->draws + 1) * sizeof *est);
    if (!U || !chg1 || !cand || !ncand || !P || !order || !est) {
        wb_free(U);
        wb_free(chg1);
        error = nomem();
        goto done;
    }
    memcpy(U, T, nt * sizeof *U);
    memcpy(U + nt, E, ne * sizeof *U);
    memcpy(chg1, chg, na * sizeof *chg1);
    for (size_t i = 0; i < nt; i++)
        chg1[T[i]] -= 1.0; /* tau0 = 1: the treated areas' change minus one */
    for (size_t i = 0; i < nt; i++) {
        cand[i * (k + 1)] = T[i];
        ncand[i] = 1 + (placebo_strata(o) ? nearest(&M, T[i], E, ne, NULL, k, cand + i * (k + 1) + 1, dbuf) : 0);
    }
    rng r;
    rng_seed(&r, o->seed);
    double *tb = est, *ab = est + o->draws;
    size_t ntb = 0, ge = 0;
    for (size_t b = 0; b < o->draws; b++) {
    redraw:
        /* treated areas in random order; each takes a random unused member of its stratum */
        for (size_t i = 0; i < nt; i++)
            order[i] = i;
        for (size_t i = nt; i > 1; i--) {
            size_t j = rng_below(&r, i), t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t q = 0; q < nt; q++) {
            size_t i = order[q], pick = (size_t)-1;
            const size_t *ci = placebo_strata(o) ? cand + i * (k + 1) : U;
            size_t nci = placebo_strata(o) ? ncand[i] : nu;
            size_t free_n = 0;
            for (size_t j = 0; j < nci; j++)
                free_n += !blocked[ci[j]];
            if (!free_n) { /* its stratum is used up in this draw: any unused area */
                ci = U;
                nci = nu;
                free_n = nu - q;
            }
            size_t want = rng_below(&r, free_n);
            for (size_t j = 0; j < nci; j++)
                if (!blocked[ci[j]] && want-- == 0) {
                    pick = ci[j];
                    break;
                }
            blocked[pick] = 1;
            P[i] = pick;
        }
        /* the real assignment itself is the observed statistic (the 1 in 1 + count): draw
         * again (it cannot be the only possible set, since ne >= nt + matches) */
        size_t real = 0;
        for (size_t i = 0; i < nt; i++)
            real += is_t[P[i]];
        if (real == nt) {
            for (size_t i = 0; i < nt; i++)
                blocked[P[i]] = 0;
            goto redraw;
        }
        M.chg = chg;
        double a0 = did_of(&M, P, nt, U, nu, blocked, NULL, buf, dbuf);
        M.chg = chg1;
        double a1 = did_of(&M, P, nt, U, nu, blocked, NULL, buf, dbuf);
        M.chg = chg;
        for (size_t i = 0; i < nt; i++)
            blocked[P[i]] = 0;
        double slope = 1 + (a1 - a0); /* 1 + B_P */
        ab[b] = a0;
        ge += fabs(a0) >= fabs(out->estimate) - 1e-12 * fabs(out->estimate);
        if (slope > 1e-9)
            tb[ntb++] = (out->estimate - a0) / slope;
    }
    out->draws = o->draws;
    {
        double s = 0, ss = 0;
        for (size_t b = 0; b < o->draws; b++)
            s += ab[b];
        double mean = s / (double)o->draws;
        for (size_t b = 0; b < o->draws; b++)
            ss += (ab[b] - mean) * (ab[b] - mean);
        out->placebo_sd = o->draws > 1 ? sqrt(ss / (double)(o->draws - 1)) : NAN;
        out->p = (1.0 + (double)ge) / ((double)o->draws + 1.0);
        /* accept tau0 while both one-sided p-values (1 + #{draws at least as extreme}) /
         * (draws + 1) exceed a/2. Draws that re-assign the real treatment (1 + B = 0) tie
         * with the observed statistic at every tau0 and count on both sides. So with r the
         * smallest count c with (1 + c) / (draws + 1) > a / 2, the interval runs from the
         * (r - ties)-th smallest t_P to the (r - ties)-th largest. */
        double a = 1 - o->level;
        size_t ties = o->draws - ntb;
        double need = a / 2 * ((double)o->draws + 1) - 1; /* c must exceed this */
        size_t rk = need < 0 ? 0 : (size_t)floor(need + 1e-9) + 1;
        size_t rr = rk > ties ? rk - ties : 0;
        if (rr >= 1 && rr <= ntb && ntb - rr + 1 >= rr) {
            qsort(tb, ntb, sizeof *tb, cmp_double);
            out->lo = tb[rr - 1];
            out->hi = tb[ntb - rr];
        } else if (rr == 0) {
            out->lo = -INFINITY; /* too few draws for this level: nothing can be excluded */
            out->hi = INFINITY;
        }
    }
    wb_free(U);
    wb_free(chg1);
done:
    wb_free(lev);
    wb_free(slo);
    wb_free(chg);
    wb_free(valid);
    wb_free(is_t);
    wb_free(blocked);
    wb_free(T);
    wb_free(E);
    wb_free(buf);
    wb_free(dbuf);
    wb_free(cand);
    wb_free(ncand);
    wb_free(P);
    wb_free(order);
    wb_free(est);
    if (error < 0)
        wb_effect_result_dispose(out);
    return error;
}
