/** @file @brief Composite scores: reference statistics, standardisation, aggregation,
 *  classes, coverage and explanations (see include/wijkbeeld/score.h for the formulas). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats/stats_internal.h"
#include "stats/model_internal.h"
#include "wijkbeeld/errors.h"

struct wb_scorer {
    const wb_model *m;
    const wb_panel *p;
    size_t ni, nd, na;
    size_t *col;        /* panel key index of each model indicator */
    int *ref_year;      /* per indicator: the year of its reference distribution (0: none) */
    unsigned char *usable; /* per indicator: 0 when it has no reference values (always missing) */
    double *mean, *sd;  /* per indicator (z, rank_exp) */
    struct ranker *rk;  /* per indicator: reference values and normal scores (rank_normal) */
    struct ranker *drk; /* per dimension: reference scores and 100 - X values (rank_exp) */
    double *wdim;       /* per dimension: the sum of its indicator weights */
    double wall;        /* the sum of the dimension weights */
};

/* ---------------------------------------------------------------- numerics */

/*
 * Ranks against a sorted reference distribution. The mid-rank of x among n sorted values,
 * ascending, is #(< x) + (#(== x) + 1) / 2; a value not among them gets the half-way rank
 * between its neighbours. Twice the mid-rank is a whole number from 1 to 2n + 1, so every
 * transformed value can be tabulated once per reference distribution; a bucket index over
 * the value range finds the position of x in O(1) on average instead of a full binary search.
 */
typedef struct ranker {
    double *v;      /* n sorted reference values (owned) */
    size_t n;
    double *table;  /* transformed value of each doubled mid-rank 1 .. 2n + 1 */
    size_t *start;  /* nb + 1 entries: first index with v >= lo + b / inv */
    size_t nb;
    double lo, inv;
} ranker;

static size_t lower_bound(const double *v, size_t lo, size_t hi, double x)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t upper_bound(const double *v, size_t lo, size_t hi, double x)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Twice the mid-rank of x (1 .. 2n + 1). */
static size_t twice_mid_rank(const ranker *r, double x)
{
    const double *v = r->v;
    size_t n = r->n, less;
    if (x < v[0]) {
        less = 0;
    } else if (x > v[n - 1]) {
        less = n;
    } else {
        size_t b = r->inv > 0 ? (size_t)((x - r->lo) * r->inv) : 0;
        if (b >= r->nb)
            b = r->nb - 1;
        /* search the bucket and its neighbours; fall back to the whole range if rounding put
         * x in the wrong bucket */
        size_t a0 = b > 0 ? r->start[b - 1] : 0, a1 = b + 2 <= r->nb ? r->start[b + 2] : n;
        less = lower_bound(v, a0, a1, x);
        if ((less > 0 && !(v[less - 1] < x)) || (less < n && !(v[less] >= x)))
            less = lower_bound(v, 0, n, x);
    }
    size_t eq = less < n && v[less] == x ? upper_bound(v, less, n, x) - less : 0;
    return 2 * less + eq + 1;
}

/* The IMD exponential transformation of a rank share R in (0, 1] (R = 1/n the best area):
 * X = -23 ln(1 - R (1 - exp(-100/23))), from 0 (best) to 100 (worst). McLennan, Noble, Noble,
 * Plunkett, Wright and Gutacker (2019), The English Indices of Deprivation 2019: Technical
 * report, MHCLG: the exponential transformation of domain ranks before the domains are
 * combined into the Index of Multiple Deprivation. */
static double imd_exp(double R)
{
    return -23.0 * log(1.0 - R * (1.0 - exp(-100.0 / 23.0)));
}

/* Normal score of doubled mid-rank j among n: PhiInv((j/2 - 3/8) / (n + 1/4)) (Blom 1958). */
static double blom_score(size_t j, size_t n)
{
    return wb__qnorm(((double)j / 2 - 0.375) / ((double)n + 0.25));
}

/* Dimension value under rank_exp for doubled mid-rank j (ascending) among n: the rank from
 * the best is n + 1 - j/2, R = rank / n (at most 1), value 100 - X(R). */
static double imd_value(size_t j, size_t n)
{
    double R = ((double)n + 1.0 - (double)j / 2) / (double)n;
    return 100.0 - imd_exp(R > 1 ? 1 : R);
}

static void ranker_dispose(ranker *r)
{
    wb_free(r->v);
    wb_free(r->table);
    wb_free(r->start);
    memset(r, 0, sizeof *r);
}

/* Take ownership of n sorted values (n >= 1) and tabulate f for every doubled mid-rank. */
static int ranker_init(ranker *r, double *sorted, size_t n, double (*f)(size_t j, size_t n))
{
    r->v = sorted;
    r->n = n;
    r->nb = n;
    r->lo = sorted[0];
    r->inv = sorted[n - 1] > sorted[0] ? (double)r->nb / (sorted[n - 1] - sorted[0]) : 0;
    r->table = wb_malloc((2 * n + 2) * sizeof *r->table);
    r->start = wb_malloc((r->nb + 1) * sizeof *r->start);
    if (!r->table || !r->start)
        return WB_ENOMEM;
    for (size_t j = 1; j <= 2 * n + 1; j++)
        r->table[j] = f(j, n);
    size_t i = 0;
    for (size_t b = 0; b <= r->nb; b++) {
        double bound = r->inv > 0 ? r->lo + (double)b / r->inv : r->lo;
        while (i < n && sorted[i] < bound)
            i++;
        r->start[b] = i;
    }
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* ---------------------------------------------------------------- standardisation */

static double standardise(const wb_scorer *s, size_t i, double x)
{
    if (!s->usable[i])
        return NAN;
    double dir = (double)s->m->inds[i].direction;
    switch (s->m->transform) {
    case WB_TRANSFORM_NONE: return dir * x;
    case WB_TRANSFORM_Z:
    case WB_TRANSFORM_RANK_EXP: return dir * (x - s->mean[i]) / s->sd[i];
    case WB_TRANSFORM_RANK_NORMAL: return dir * s->rk[i].table[twice_mid_rank(&s->rk[i], x)];
    default: return NAN;
    }
}

/* Combine weighted sums into a value: the weighted mean, or the weighted sum scaled up to the
 * full weight when some parts are missing. */
static double combine(wb_aggregate agg, double sum, double wpresent, double wfull)
{
    if (!(wpresent > 0))
        return NAN;
    return agg == WB_AGGREGATE_MEAN ? sum / wpresent : sum * (wfull / wpresent);
}

/* ---------------------------------------------------------------- scorer */

void wb_scorer_free(wb_scorer *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->rk && i < s->ni; i++)
        ranker_dispose(&s->rk[i]);
    for (size_t d = 0; s->drk && d < s->nd; d++)
        ranker_dispose(&s->drk[d]);
    wb_free(s->rk);
    wb_free(s->drk);
    wb_free(s->col);
    wb_free(s->ref_year);
    wb_free(s->usable);
    wb_free(s->mean);
    wb_free(s->sd);
    wb_free(s->wdim);
    wb_free(s);
}

int wb_scorer_ref_year(const wb_scorer *s, size_t i) { return s->ref_year[i]; }

void wb_scorer_ref_moments(const wb_scorer *s, size_t i, double *mean, double *sd)
{
    *mean = s->mean[i];
    *sd = s->sd[i];
}

/* Number of reference areas with a value of panel key k in year t. */
static size_t count_ref(const wb_panel *p, const unsigned char *isref, size_t k, size_t t)
{
    const double *c = wb_panel_ccolumn(p, k, t);
    size_t n = 0, na = wb_panel_nareas(p);
    for (size_t a = 0; a < na; a++)
        n += isref[a] && !isnan(c[a]);
    return n;
}

/* The year index used as reference for panel key k: the base year when it has at least two
 * reference values, else the nearest such year (the earlier on a tie); -1 when none. */
static long pick_ref_year(const wb_panel *p, const unsigned char *isref, size_t k, int base)
{
    long best = -1;
    int bestdist = 0;
    for (size_t t = 0; t < wb_panel_nyears(p); t++) {
        if (count_ref(p, isref, k, t) < 2)
            continue;
        int dist = abs(wb_panel_year(p, t) - base);
        if (best < 0 || dist < bestdist) {
            best = (long)t;
            bestdist = dist;
        }
    }
    return best;
}

static int nomem(void)
{
    wb_error_set(WB_ERRCLASS_NOMEM, "out of memory while scoring");
    return WB_ENOMEM;
}

/* Dimension scores before any rank transformation, for the reference distribution of
 * rank_exp: computed from standardised values exactly as in scoring. */
static double pre_dim(const wb_scorer *s, size_t d, size_t a, size_t t)
{
    double sum = 0, w = 0;
    for (size_t i = 0; i < s->ni; i++) {
        if (s->m->inds[i].dim != d)
            continue;
        double x = wb_panel_get(s->p, a, t, s->col[i]);
        double z = isnan(x) ? NAN : standardise(s, i, x);
        if (isnan(z))
            continue;
        sum += s->m->inds[i].weight * z;
        w += s->m->inds[i].weight;
    }
    return combine(s->m->aggregate, sum, w, s->wdim[d]);
}

int wb_scorer_new(wb_scorer **out, const wb_model *m, const wb_panel *p)
{
    *out = NULL;
    int error = 0;
    size_t na = wb_panel_nareas(p), ny = wb_panel_nyears(p);
    unsigned char *isref = NULL;
    double *tmp = NULL;
    wb_scorer *s = wb_calloc(1, sizeof *s);
    if (!s)
        return nomem();
    s->m = m;
    s->p = p;
    s->ni = m->nind;
    s->nd = m->ndims;
    s->na = na;
    s->col = wb_calloc(s->ni, sizeof *s->col);
    s->ref_year = wb_calloc(s->ni, sizeof *s->ref_year);
    s->usable = wb_malloc(s->ni ? s->ni : 1);
    s->mean = wb_calloc(s->ni, sizeof *s->mean);
    s->sd = wb_calloc(s->ni, sizeof *s->sd);
    s->rk = wb_calloc(s->ni, sizeof *s->rk);
    s->drk = wb_calloc(s->nd, sizeof *s->drk);
    s->wdim = wb_calloc(s->nd, sizeof *s->wdim);
    isref = wb_calloc(na ? na : 1, 1);
    tmp = wb_malloc((na ? na : 1) * sizeof *tmp);
    if (!s->col || !s->ref_year || !s->usable || !s->mean || !s->sd || !s->rk || !s->drk || !s->wdim || !isref || !tmp) {
        error = nomem();
        goto done;
    }
    for (size_t i = 0; i < s->ni; i++) {
        long k = wb_panel_find_key(p, m->inds[i].key);
        if (k < 0) {
            wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: indicator '%s' is not in the panel", m->origin,
                         m->inds[i].line, m->inds[i].key);
            error = WB_ENOTFOUND;
            goto done;
        }
        s->col[i] = (size_t)k;
        s->wdim[m->inds[i].dim] += m->inds[i].weight;
    }
    for (size_t d = 0; d < s->nd; d++)
        s->wall += m->dims[d].weight;
    memset(s->usable, 1, s->ni);
    if (m->transform == WB_TRANSFORM_NONE)
        goto ok;

    /* the reference areas */
    size_t nref = 0;
    if (!m->reference[0]) {
        memset(isref, 1, na);
        nref = na;
    } else {
        const wb_panel *up = wb_panel_parents(p);
        long g = up ? wb_panel_find_area(up, m->reference) : -1;
        for (size_t a = 0; g >= 0 && a < na; a++)
            if (wb_panel_gemeente(p, a) == g) {
                isref[a] = 1;
                nref++;
            }
        if (nref == 0) {
            wb_error_set(WB_ERRCLASS_MODEL, "%s: reference %s has no %s areas in the data", m->origin,
                         m->reference, wb_level_name(wb_panel_level(p)) ? wb_level_name(wb_panel_level(p)) : "");
            error = WB_ENOTFOUND;
            goto done;
        }
    }
    for (size_t i = 0; i < s->ni; i++) {
        long t = pick_ref_year(p, isref, s->col[i], m->base_year);
        if (t < 0) {
            /* no reference distribution in any year: the indicator cannot be standardised and
             * counts as missing everywhere (e.g. a KWB year without energy figures) */
            s->usable[i] = 0;
            s->ref_year[i] = 0;
            s->mean[i] = s->sd[i] = NAN;
            continue;
        }
        s->ref_year[i] = wb_panel_year(p, (size_t)t);
        const double *c = wb_panel_ccolumn(p, s->col[i], (size_t)t);
        size_t n = 0;
        for (size_t a = 0; a < na; a++)
            if (isref[a] && !isnan(c[a]))
                tmp[n++] = c[a];
        /* two-pass mean and variance (n - 1) */
        double mean = 0, ss = 0;
        for (size_t j = 0; j < n; j++)
            mean += tmp[j];
        mean /= (double)n;
        for (size_t j = 0; j < n; j++)
            ss += (tmp[j] - mean) * (tmp[j] - mean);
        s->mean[i] = mean;
        s->sd[i] = sqrt(ss / (double)(n - 1));
        if (!(s->sd[i] > 0) && m->transform != WB_TRANSFORM_RANK_NORMAL) {
            wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: indicator '%s' has no spread among the reference areas in %d: "
                         "cannot standardise", m->origin, m->inds[i].line, m->inds[i].key, s->ref_year[i]);
            error = WB_EINVALID;
            goto done;
        }
        if (m->transform == WB_TRANSFORM_RANK_NORMAL) {
            double *v = wb_malloc(n * sizeof(double));
            if (!v) {
                error = nomem();
                goto done;
            }
            memcpy(v, tmp, n * sizeof(double));
            qsort(v, n, sizeof(double), cmp_double);
            if (ranker_init(&s->rk[i], v, n, blom_score) < 0) {
                error = nomem();
                goto done;
            }
        }
    }
    size_t nusable = 0;
    for (size_t i = 0; i < s->ni; i++)
        nusable += s->usable[i];
    if (nusable == 0) {
        wb_error_set(WB_ERRCLASS_MODEL, "%s: none of the model's indicators has two or more values among the "
                     "reference areas (%s) in any year: nothing to standardise", m->origin,
                     m->reference[0] ? m->reference : "nation");
        error = WB_EINVALID;
        goto done;
    }
    if (m->transform == WB_TRANSFORM_RANK_EXP) {
        /* reference distribution of each dimension's score in the base year (or nearest) */
        for (size_t d = 0; d < s->nd; d++) {
            long best = -1;
            size_t bestn = 0;
            int bestdist = 0;
            for (size_t t = 0; t < ny; t++) {
                size_t n = 0;
                for (size_t a = 0; a < na; a++)
                    n += isref[a] && !isnan(pre_dim(s, d, a, t));
                int dist = abs(wb_panel_year(p, t) - m->base_year);
                if (n >= 2 && (best < 0 || dist < bestdist)) {
                    best = (long)t;
                    bestn = n;
                    bestdist = dist;
                }
            }
            if (best < 0) {
                wb_error_set(WB_ERRCLASS_MODEL, "%s:%d: dimension '%s' has fewer than two reference scores in "
                             "every year", m->origin, m->dims[d].line, m->dims[d].key);
                error = WB_EINVALID;
                goto done;
            }
            double *ds = wb_malloc(bestn * sizeof(double));
            if (!ds) {
                error = nomem();
                goto done;
            }
            size_t n = 0;
            for (size_t a = 0; a < na; a++) {
                double v = isref[a] ? pre_dim(s, d, a, (size_t)best) : NAN;
                if (!isnan(v))
                    ds[n++] = v;
            }
            qsort(ds, n, sizeof(double), cmp_double);
            if (ranker_init(&s->drk[d], ds, n, imd_value) < 0) {
                error = nomem();
                goto done;
            }
        }
    }
ok:
    *out = s;
    s = NULL;
done:
    wb_free(isref);
    wb_free(tmp);
    wb_scorer_free(s);
    return error;
}

/* ---------------------------------------------------------------- scoring every area */

void wb_scores_dispose(wb_scores *sc)
{
    wb_free(sc->score);
    wb_free(sc->dims);
    wb_free(sc->coverage);
    wb_free(sc->klass);
    memset(sc, 0, sizeof *sc);
}

typedef struct {
    const wb_scorer *s;
    wb_scores *out;
    size_t first, step;
    int error;
} job;

/* Score one year, column by column: for each indicator a pass over its column adds into the
 * per-dimension accumulators, then one pass over the areas combines them. */
static int score_year(const wb_scorer *s, wb_scores *out, size_t t, double *acc, double *accw, unsigned *cnt)
{
    const wb_model *m = s->m;
    size_t na = s->na, nd = s->nd;
    memset(acc, 0, nd * na * sizeof *acc);
    memset(accw, 0, nd * na * sizeof *accw);
    memset(cnt, 0, na * sizeof *cnt);
    for (size_t i = 0; i < s->ni; i++) {
        if (!s->usable[i])
            continue;
        const double *c = wb_panel_ccolumn(s->p, s->col[i], t);
        size_t d = m->inds[i].dim;
        double w = m->inds[i].weight, dir = (double)m->inds[i].direction;
        double *ad = acc + d * na, *wd = accw + d * na;
        switch (m->transform) {
        case WB_TRANSFORM_NONE:
            for (size_t a = 0; a < na; a++)
                if (!isnan(c[a])) {
                    ad[a] += w * dir * c[a];
                    wd[a] += w;
                    cnt[a]++;
                }
            break;
        case WB_TRANSFORM_Z:
        case WB_TRANSFORM_RANK_EXP: {
            double mu = s->mean[i], f = w * dir / s->sd[i];
            for (size_t a = 0; a < na; a++)
                if (!isnan(c[a])) {
                    ad[a] += f * (c[a] - mu);
                    wd[a] += w;
                    cnt[a]++;
                }
            break;
        }
        default:
            for (size_t a = 0; a < na; a++)
                if (!isnan(c[a])) {
                    ad[a] += w * standardise(s, i, c[a]);
                    wd[a] += w;
                    cnt[a]++;
                }
        }
    }
    int year = wb_panel_year(s->p, t);
    double *score = out->score + t * na, *cov = out->coverage + t * na;
    unsigned char *kl = out->klass + t * na;
    double *dims = out->dims + t * nd * na;
    for (size_t a = 0; a < na; a++) {
        double sum = 0, wp = 0;
        for (size_t d = 0; d < nd; d++) {
            double v = combine(m->aggregate, acc[d * na + a], accw[d * na + a], s->wdim[d]);
            if (m->transform == WB_TRANSFORM_RANK_EXP && !isnan(v))
                v = s->drk[d].table[twice_mid_rank(&s->drk[d], v)];
            dims[d * na + a] = v;
            if (!isnan(v)) {
                sum += m->dims[d].weight * v;
                wp += m->dims[d].weight;
            }
        }
        cov[a] = (double)cnt[a] / (double)s->ni;
        /* a small tolerance so that e.g. 1/3 + 2/3 coverage is not refused by rounding */
        score[a] = cov[a] + 1e-12 >= m->min_coverage ? combine(m->aggregate, sum, wp, s->wall) : NAN;
        kl[a] = (unsigned char)wb_model_classify(m, score[a], year);
    }
    return 0;
}

static void *run_job(void *arg)
{
    job *j = arg;
    const wb_scorer *s = j->s;
    size_t na = s->na ? s->na : 1;
    double *acc = wb_malloc(2 * s->nd * na * sizeof *acc);
    unsigned *cnt = wb_malloc(na * sizeof *cnt);
    if (!acc || !cnt) {
        j->error = WB_ENOMEM;
    } else {
        for (size_t t = j->first; t < wb_panel_nyears(s->p); t += j->step)
            score_year(s, j->out, t, acc, acc + s->nd * na, cnt);
    }
    wb_free(acc);
    wb_free(cnt);
    return NULL;
}

int wb_scorer_run(wb_scores *out, const wb_scorer *s, int nthreads)
{
    memset(out, 0, sizeof *out);
    size_t na = s->na, ny = wb_panel_nyears(s->p), nd = s->nd, n = na * ny;
    out->nareas = na;
    out->nyears = ny;
    out->ndims = nd;
    out->score = wb_malloc((n ? n : 1) * sizeof *out->score);
    out->coverage = wb_malloc((n ? n : 1) * sizeof *out->coverage);
    out->dims = wb_malloc((n * nd > 0 ? n * nd : 1) * sizeof *out->dims);
    out->klass = wb_malloc(n ? n : 1);
    if (!out->score || !out->coverage || !out->dims || !out->klass) {
        wb_scores_dispose(out);
        return nomem();
    }
    if (nthreads <= 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = nc > 0 ? (int)(nc > 8 ? 8 : nc) : 1;
    }
    if ((size_t)nthreads > ny)
        nthreads = ny ? (int)ny : 1;
    job jobs[8];
    pthread_t th[8];
    int started[8] = {0};
    if (nthreads > 8)
        nthreads = 8;
    for (int k = 0; k < nthreads; k++)
        jobs[k] = (job){s, out, (size_t)k, (size_t)nthreads, 0};
    /* thread 0 is this thread; if a thread cannot start, its years run here afterwards */
    for (int k = 1; k < nthreads; k++)
        started[k] = pthread_create(&th[k], NULL, run_job, &jobs[k]) == 0;
    run_job(&jobs[0]);
    int error = jobs[0].error;
    for (int k = 1; k < nthreads; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            run_job(&jobs[k]);
        if (jobs[k].error)
            error = jobs[k].error;
    }
    if (error) {
        wb_scores_dispose(out);
        return nomem();
    }
    return 0;
}

int wb_scores_values(wb_value **out, size_t *n, const wb_scorer *s, const wb_scores *sc)
{
    *out = NULL;
    *n = 0;
    size_t cnt = 0, total = sc->nareas * sc->nyears;
    for (size_t i = 0; i < total; i++)
        cnt += !isnan(sc->score[i]);
    wb_value *v = wb_malloc((cnt ? cnt : 1) * sizeof *v);
    if (!v)
        return nomem();
    size_t w = 0;
    for (size_t t = 0; t < sc->nyears; t++) {
        for (size_t a = 0; a < sc->nareas; a++) {
            double x = sc->score[t * sc->nareas + a];
            if (isnan(x))
                continue;
            wb_value *r = &v[w++];
            r->area_id = 0;
            snprintf(r->code, sizeof r->code, "%s", wb_panel_code(s->p, a));
            r->year = wb_panel_year(s->p, t);
            r->boundary_year = wb_panel_boundary_year(s->p);
            r->level = wb_panel_level(s->p);
            r->value = x;
        }
    }
    *out = v;
    *n = w;
    return 0;
}

/* ---------------------------------------------------------------- explanation */

void wb_explain_dispose(wb_explain *e)
{
    wb_free(e->ind);
    wb_free(e->dims);
    memset(e, 0, sizeof *e);
}

void wb_scorer_profile(const wb_scorer *s, double *raw, size_t a, size_t t)
{
    for (size_t i = 0; i < s->ni; i++)
        raw[i] = wb_panel_get(s->p, a, t, s->col[i]);
}

int wb_scorer_explain(wb_explain *out, const wb_scorer *s, const double *raw, int year)
{
    const wb_model *m = s->m;
    memset(out, 0, sizeof *out);
    out->nind = s->ni;
    out->ndims = s->nd;
    out->ind = wb_calloc(s->ni, sizeof *out->ind);
    out->dims = wb_calloc(s->nd, sizeof *out->dims);
    double *dsum = wb_calloc(s->nd, sizeof *dsum), *dw = wb_calloc(s->nd, sizeof *dw);
    if (!out->ind || !out->dims || !dsum || !dw) {
        wb_free(dsum);
        wb_free(dw);
        wb_explain_dispose(out);
        return nomem();
    }
    size_t present = 0;
    for (size_t i = 0; i < s->ni; i++) {
        wb_explain_line *l = &out->ind[i];
        l->raw = raw[i];
        l->weight = m->inds[i].weight;
        l->std = isnan(raw[i]) ? NAN : standardise(s, i, raw[i]);
        if (!isnan(l->std)) {
            dsum[m->inds[i].dim] += l->weight * l->std;
            dw[m->inds[i].dim] += l->weight;
            present++;
        }
    }
    out->coverage = (double)present / (double)s->ni;
    double sum = 0, wp = 0;
    for (size_t d = 0; d < s->nd; d++) {
        double v = combine(m->aggregate, dsum[d], dw[d], s->wdim[d]);
        if (m->transform == WB_TRANSFORM_RANK_EXP && !isnan(v))
            v = s->drk[d].table[twice_mid_rank(&s->drk[d], v)];
        out->dims[d].raw = v;
        out->dims[d].std = NAN;
        out->dims[d].weight = m->dims[d].weight;
        if (!isnan(v)) {
            sum += m->dims[d].weight * v;
            wp += m->dims[d].weight;
        }
    }
    int ok = out->coverage + 1e-12 >= m->min_coverage && wp > 0;
    out->score = ok ? combine(m->aggregate, sum, wp, s->wall) : NAN;
    out->klass = wb_model_classify(m, out->score, year);
    out->additive = m->transform != WB_TRANSFORM_RANK_EXP;
    /* The factor that turns a dimension value into its share of the score, and an indicator's
     * weighted standardised value into its share of the dimension value. */
    double sfac = !ok ? NAN : m->aggregate == WB_AGGREGATE_MEAN ? 1.0 / wp : s->wall / wp;
    for (size_t d = 0; d < s->nd; d++)
        out->dims[d].contribution = isnan(out->dims[d].raw) ? NAN : sfac * m->dims[d].weight * out->dims[d].raw;
    for (size_t i = 0; i < s->ni; i++) {
        size_t d = m->inds[i].dim;
        wb_explain_line *l = &out->ind[i];
        if (isnan(l->std) || !(dw[d] > 0)) {
            l->contribution = NAN;
            continue;
        }
        double ifac = m->aggregate == WB_AGGREGATE_MEAN ? 1.0 / dw[d] : s->wdim[d] / dw[d];
        double within = ifac * l->weight * l->std; /* share of the dimension value */
        l->contribution = out->additive ? sfac * m->dims[d].weight * within : within;
    }
    wb_free(dsum);
    wb_free(dw);
    return 0;
}
