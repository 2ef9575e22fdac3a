/** @file @brief Effort against need: money and hours per inhabitant per area and year against
 *  the score, with Spearman's rank correlation (issue 7, part 3). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"
#include "collab/effort_internal.h"

/* Regularised incomplete beta I_x(a, b): continued fraction with the modified Lentz method
 * (Press et al., Numerical Recipes, 3rd ed., sec. 6.4), as in src/stats/trend.c. */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = 1 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
        d = 1 + aa * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
        d = 1 + aa * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < eps)
            break;
    }
    return h;
}

static double ibeta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2))
        return exp(lbt) * betacf(a, b, x) / a;
    return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

/* Two-sided p of Student's t: P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) (A&S 26.5.27). */
static double t_two_sided(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0;
    return ibeta(0.5 * df, 0.5, df / (df + t * t));
}

typedef struct {
    double v;
    size_t i;
} rank_item;

static int cmp_rank(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Average ranks (1-based; ties get the mean of their ranks). */
static void ranks(double *r, const double *v, size_t n, rank_item *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = (rank_item){v[i], i};
    qsort(tmp, n, sizeof *tmp, cmp_rank);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && tmp[j + 1].v == tmp[i].v)
            j++;
        double avg = 0.5 * (double)(i + j) + 1.0;
        for (size_t k = i; k <= j; k++)
            r[tmp[k].i] = avg;
        i = j + 1;
    }
}

/* Spearman's rho: Pearson's correlation of the average ranks; p from the t approximation. */
static void spearman(double *rho, double *p, const double *x, const double *y, size_t n, double *rx, double *ry,
                     rank_item *tmp)
{
    *rho = *p = NAN;
    if (n < 3)
        return;
    ranks(rx, x, n, tmp);
    ranks(ry, y, n, tmp);
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += rx[i];
        my += ry[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    if (!(sxx > 0) || !(syy > 0))
        return; /* all ranks tie on one side: undefined */
    *rho = sxy / sqrt(sxx * syy);
    if (*rho > 1)
        *rho = 1;
    if (*rho < -1)
        *rho = -1;
    double df = (double)n - 2;
    *p = fabs(*rho) >= 1 ? 0 : t_two_sided(*rho * sqrt(df / (1 - *rho * *rho)), df);
}

typedef struct {
    size_t *list;
    size_t n;
    size_t *mark;
    size_t cur;
} collect_ctx;

static void collect_cb(void *c, size_t area, int rel)
{
    collect_ctx *x = c;
    (void)rel;
    if (x->mark[area] != x->cur) {
        x->mark[area] = x->cur;
        x->list[x->n++] = area;
    }
}

void wb_effort_dispose(wb_effort *e)
{
    if (!e)
        return;
    wb_free(e->areas);
    wb_effort init = WB_EFFORT_INIT;
    *e = init;
}

int wb_effort_compute(wb_effort *out, const wb_effort_input *in, const wb_effort_opts *opts)
{
    wb_effort init = WB_EFFORT_INIT;
    *out = init;
    if (!in || !in->panel || !in->scores || !opts || opts->year < 1800 || opts->year > 2200 ||
        (unsigned)opts->split >= WB_SPLIT__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "effort: expected a panel, its scores and a year between 1800 and 2200");
        return WB_EINVALID;
    }
    unsigned bits;
    int error = eff_statuses(&bits, opts->statuses, NULL);
    if (error < 0)
        return error;
    const wb_panel *p = in->panel;
    const wb_scores *sc = in->scores;
    size_t na = wb_panel_nareas(p), ny = wb_panel_nyears(p);
    if (sc->nareas != na || sc->nyears != ny) {
        wb_error_set(WB_ERRCLASS_ARG, "effort: the scores do not belong to this panel");
        return WB_EINVALID;
    }
    int Y = opts->year;
    out->year = Y;
    /* the score year: given, or the latest <= Y with scores, else the first after */
    long ts = -1;
    if (opts->score_year) {
        ts = wb_panel_find_year(p, opts->score_year);
        if (ts < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "effort: no data year %d in the panel", opts->score_year);
            return WB_EINVALID;
        }
    } else {
        for (size_t t = 0; t < ny; t++) {
            int has = 0;
            for (size_t a = 0; a < na && !has; a++)
                has = !isnan(sc->score[t * na + a]);
            if (!has)
                continue;
            if (wb_panel_year(p, t) <= Y || ts < 0)
                ts = (long)t; /* years ascend: ends at the latest <= Y, or the first after */
        }
    }
    out->score_year = ts >= 0 ? wb_panel_year(p, (size_t)ts) : 0;
    long pk = wb_panel_find_key(p, "a_inw");

    size_t *list = NULL, *mark = NULL;
    double *xs = NULL, *ys = NULL, *hs = NULL, *rx = NULL, *ry = NULL;
    rank_item *tmp = NULL;
    size_t *seen_init = NULL;
    eff_index ix;
    int have_ix = 0;
    if (!(out->areas = wb_calloc(na + 1, sizeof *out->areas)) || !(list = wb_malloc((na + 1) * sizeof *list)) ||
        !(mark = wb_calloc(na + 1, sizeof *mark)) ||
        !(seen_init = wb_calloc(na + 1, sizeof *seen_init))) {
        error = eff_nomem();
        goto done;
    }
    out->n = na;
    for (size_t a = 0; a < na; a++) {
        wb_effort_area *ea = &out->areas[a];
        ea->area = a;
        snprintf(ea->code, sizeof ea->code, "%s", wb_panel_code(p, a));
        ea->inhabitants = NAN;
        ea->score = ts >= 0 ? sc->score[(size_t)ts * na + a] : NAN;
        ea->klass = ts >= 0 ? sc->klass[(size_t)ts * na + a] : 0;
        /* inhabitants: the latest data year <= Y with a value, else the first after */
        if (pk >= 0) {
            long best = -1;
            for (size_t t = 0; t < ny; t++) {
                double v = wb_panel_get(p, a, t, (size_t)pk);
                if (isnan(v))
                    continue;
                if (wb_panel_year(p, t) <= Y || best < 0)
                    best = (long)t;
            }
            if (best >= 0) {
                ea->inhabitants = wb_panel_get(p, a, (size_t)best, (size_t)pk);
                ea->pop_year = wb_panel_year(p, (size_t)best);
            }
        }
    }
    if ((error = eff_index_init(&ix, p)) < 0)
        goto done;
    have_ix = 1;
    size_t nc = in->ncontributions;
    long yf, yl;
    eff_year_days(Y, &yf, &yl);
    int byear = wb_panel_boundary_year(p);
    eff_map byid = {0};
    if ((error = eff_map_init(&byid, in->ninitiatives)) < 0)
        goto done;
    char (*idkeys)[24] = wb_malloc((in->ninitiatives + 1) * sizeof *idkeys);
    if (!idkeys) {
        eff_map_dispose(&byid);
        error = eff_nomem();
        goto done;
    }
    for (size_t i = 0; i < in->ninitiatives; i++) {
        snprintf(idkeys[i], sizeof idkeys[i], "%lld", (long long)in->initiatives[i].id);
        if ((error = eff_map_put(&byid, idkeys[i], i)) < 0)
            break;
    }
    collect_ctx cc = {list, 0, mark, 0};
    for (size_t k = 0; k < nc && error == 0; k++) {
        const wb_contribution *c = &in->contributions[k];
        long s = eff_day(c->start, EFF_OPEN_START), e = eff_day(c->end, EFF_OPEN_END);
        if (s == EFF_OPEN_START || e == EFF_OPEN_END || e < s)
            continue;
        long lo = s > yf ? s : yf, hi = e < yl ? e : yl;
        if (hi < lo)
            continue;
        double share = c->amount * (double)(hi - lo + 1) / (double)(e - s + 1);
        int kind = !strcmp(c->kind, "money_eur") ? 0 : !strcmp(c->kind, "hours") ? 2 : 1;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)c->initiative_id);
        size_t ii = eff_map_get(&byid, key);
        const wb_initiative *x = ii != (size_t)-1 ? &in->initiatives[ii] : NULL;
        if (x && !(eff_status_bit(x->status) & bits))
            continue;
        if (kind == 0)
            out->money_eur += share;
        else if (kind == 1)
            out->in_kind_eur += share;
        else
            out->hours += share;
        /* the areas it reaches */
        cc.n = 0;
        cc.cur = k + 1;
        if (x && x->area_year == byear)
            for (size_t q = 0; q < x->nareas; q++)
                eff_reach(&ix, x->areas[q], collect_cb, &cc);
        if (cc.n == 0) {
            if (kind == 2)
                out->unallocated_hours += share;
            else
                out->unallocated_eur += share;
            continue;
        }
        double tot = 0;
        int even = opts->split == WB_SPLIT_EVEN;
        for (size_t q = 0; q < cc.n; q++) {
            double pop = out->areas[cc.list[q]].inhabitants;
            if (!(pop > 0))
                even = 1;
            tot += pop;
        }
        for (size_t q = 0; q < cc.n; q++) {
            wb_effort_area *ea = &out->areas[cc.list[q]];
            double f = even ? 1.0 / (double)cc.n : ea->inhabitants / tot;
            if (kind == 0)
                ea->money_eur += share * f;
            else if (kind == 1)
                ea->in_kind_eur += share * f;
            else
                ea->hours += share * f;
            /* count each initiative once per area */
            if (seen_init[cc.list[q]] != ii + 1) {
                seen_init[cc.list[q]] = ii + 1;
                ea->ninitiatives++;
            }
        }
    }
    wb_free(idkeys);
    eff_map_dispose(&byid);
    if (error < 0)
        goto done;
    /* per inhabitant, and the rank correlations */
    if (!(xs = wb_malloc((na + 1) * sizeof *xs)) || !(ys = wb_malloc((na + 1) * sizeof *ys)) ||
        !(hs = wb_malloc((na + 1) * sizeof *hs)) || !(rx = wb_malloc((na + 1) * sizeof *rx)) ||
        !(ry = wb_malloc((na + 1) * sizeof *ry)) || !(tmp = wb_malloc((na + 1) * sizeof *tmp))) {
        error = eff_nomem();
        goto done;
    }
    size_t nr = 0;
    for (size_t a = 0; a < na; a++) {
        wb_effort_area *ea = &out->areas[a];
        if (ea->inhabitants > 0) {
            ea->eur_per_inh = (ea->money_eur + ea->in_kind_eur) / ea->inhabitants;
            ea->hours_per_inh = ea->hours / ea->inhabitants;
        } else {
            ea->eur_per_inh = ea->hours_per_inh = NAN;
        }
        if (!isnan(ea->score) && ea->inhabitants > 0) {
            xs[nr] = ea->eur_per_inh;
            hs[nr] = ea->hours_per_inh;
            ys[nr++] = ea->score;
        }
    }
    out->nrank = nr;
    spearman(&out->rho_eur, &out->p_eur, xs, ys, nr, rx, ry, tmp);
    spearman(&out->rho_hours, &out->p_hours, hs, ys, nr, rx, ry, tmp);
done:
    if (have_ix)
        eff_index_dispose(&ix);
    wb_free(list);
    wb_free(mark);
    wb_free(seen_init);
    wb_free(xs);
    wb_free(ys);
    wb_free(hs);
    wb_free(rx);
    wb_free(ry);
    wb_free(tmp);
    if (error < 0)
        wb_effort_dispose(out);
    return error;
}
