/** @file @brief Gaps: areas that need attention, their weak score dimensions, and whether a
 *  running initiative addresses each of them (issue 7, part 1). Rules: effort.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"
#include "collab/effort_internal.h"

/* Which dimensions of the model an initiative addresses: its targets, then its themes. */
static void initiative_dims(unsigned char *dims, unsigned char *tmp, const wb_initiative *in, const wb_model *m,
                            const wb_theme_map *tm, int *unmapped_theme)
{
    size_t nd = wb_model_ndims(m), ni = wb_model_nindicators(m);
    memset(dims, 0, nd);
    for (size_t t = 0; t < in->ntargets; t++) {
        const wb_initiative_target *tg = &in->targets[t];
        for (size_t i = 0; i < ni; i++) {
            const wb_model_indicator *mi = wb_model_indicator_at(m, i);
            if (!strcasecmp(mi->key, tg->indicator) && tg->direction * mi->direction > 0)
                dims[mi->dim] = 1;
        }
        for (size_t d = 0; d < nd; d++)
            if (!strcasecmp(wb_model_dim_key(m, d), tg->indicator))
                dims[d] = 1;
    }
    *unmapped_theme = -1;
    for (size_t k = 0; k < in->nthemes; k++) {
        if (!wb_theme_map_dims(tm, in->themes[k], m, tmp)) {
            if (*unmapped_theme < 0)
                *unmapped_theme = (int)k;
            continue;
        }
        for (size_t d = 0; d < nd; d++)
            dims[d] |= tmp[d];
    }
}

/* Does initiative @p in count as running (status, date)? */
static int running(const wb_initiative *in, unsigned status_bits, long on_day)
{
    if (!(eff_status_bit(in->status) & status_bits))
        return 0;
    if (on_day != EFF_OPEN_START) {
        long s = eff_day(in->start, EFF_OPEN_START), e = eff_day(in->end, EFF_OPEN_END);
        if (on_day < s || on_day > e)
            return 0;
    }
    return 1;
}

typedef struct {
    size_t *count;  /* pass 1: per area */
    size_t *fill;   /* pass 2: next slot per area */
    size_t *slots;  /* pass 2: initiative index per slot */
    size_t cur;     /* the initiative being placed */
    size_t *last;   /* per area: last initiative placed + 1 (dedup across its areas) */
} reach_ctx;

static void count_cb(void *c, size_t area, int rel)
{
    reach_ctx *r = c;
    (void)rel;
    if (r->last[area] != r->cur + 1) {
        r->last[area] = r->cur + 1;
        r->count[area]++;
    }
}

static void fill_cb(void *c, size_t area, int rel)
{
    reach_ctx *r = c;
    (void)rel;
    if (r->last[area] != r->cur + 1) {
        r->last[area] = r->cur + 1;
        r->slots[r->fill[area]++] = r->cur;
    }
}

typedef struct {
    size_t d;
    double z;
} dimz;

static int cmp_dimz(const void *a, const void *b)
{
    const dimz *x = a, *y = b;
    if (x->z != y->z)
        return x->z < y->z ? -1 : 1;
    return (x->d > y->d) - (x->d < y->d);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void wb_gaps_dispose(wb_gaps *g)
{
    if (!g)
        return;
    wb_free(g->areas);
    wb_free(g->unmapped);
    wb_free(g->pool);
    wb_gaps init = WB_GAPS_INIT;
    *g = init;
}

/* Is area a among the model's reference areas (the nation: all; else one gemeente)? */
static int in_reference(const wb_panel *p, size_t a, const char *ref)
{
    if (!ref)
        return 1;
    long g = wb_panel_gemeente(p, a);
    const wb_panel *up = wb_panel_parents(p);
    return g >= 0 && up && !strcmp(wb_panel_code(up, (size_t)g), ref);
}

int wb_gaps_compute(wb_gaps *out, const wb_effort_input *in, const wb_gaps_opts *opts)
{
    wb_gaps init = WB_GAPS_INIT;
    *out = init;
    wb_gaps_opts defaults = WB_GAPS_OPTS_INIT;
    const wb_gaps_opts *o = opts ? opts : &defaults;
    if (!in || !in->model || !in->panel || !in->scores) {
        wb_error_set(WB_ERRCLASS_ARG, "gaps: a model, a panel and its scores are required");
        return WB_EINVALID;
    }
    if (o->max_weak < 1 || o->max_weak > WB_GAPS_MAX_WEAK || o->low_class < 0 || o->low_class > 9 ||
        !isfinite(o->weak_z) || !(o->alpha > 0 && o->alpha < 1)) {
        wb_error_set(WB_ERRCLASS_ARG, "gaps: expected 1 <= max_weak <= %d, 0 <= low_class <= 9, a finite weak_z "
                     "and 0 < alpha < 1", WB_GAPS_MAX_WEAK);
        return WB_EINVALID;
    }
    unsigned status_bits;
    int error = eff_statuses(&status_bits, o->statuses, WB_EFFORT_RUNNING);
    if (error < 0)
        return error;
    long on_day = EFF_OPEN_START;
    if (o->on) {
        char iso[11];
        if ((error = wbc_parse_date(iso, "on", o->on)) < 0)
            return error;
        if (!iso[0]) {
            wb_error_set(WB_ERRCLASS_ARG, "field 'on': expected a date YYYY-MM-DD, got nothing");
            return WB_EINVALID;
        }
        on_day = eff_day(iso, EFF_OPEN_START);
    }
    const wb_model *m = in->model;
    const wb_panel *p = in->panel;
    const wb_scores *sc = in->scores;
    size_t na = sc->nareas, ny = sc->nyears, nd = sc->ndims;
    if (na != wb_panel_nareas(p) || ny != wb_panel_nyears(p) || nd != wb_model_ndims(m)) {
        wb_error_set(WB_ERRCLASS_ARG, "gaps: the scores do not belong to this panel and model");
        return WB_EINVALID;
    }
    /* the year */
    long t = -1;
    if (o->year) {
        t = wb_panel_find_year(p, o->year);
    } else {
        for (size_t k = ny; k-- > 0 && t < 0;)
            for (size_t a = 0; a < na; a++)
                if (!isnan(sc->score[k * na + a])) {
                    t = (long)k;
                    break;
                }
    }
    if (t < 0) {
        if (o->year)
            wb_error_set(WB_ERRCLASS_ARG, "gaps: no scores of model %s in %d", wb_model_name(m), o->year);
        else
            wb_error_set(WB_ERRCLASS_ARG, "gaps: no scores of model %s in any year", wb_model_name(m));
        return WB_EINVALID;
    }
    out->year = wb_panel_year(p, (size_t)t);

    size_t *count = NULL, *offs = NULL, *slots = NULL, *last = NULL, *fill = NULL;
    unsigned char *idims = NULL, *tmp = NULL, *considered = NULL;
    double *series = NULL, *years = NULL, *mean = NULL, *sd = NULL;
    wb_trend_result *tr = NULL;
    eff_index ix;
    int have_ix = 0;
    eff_ids pool = {0};
    wb_str unm = WB_STR_INIT;
    typedef struct {
        size_t weak_off[WB_GAPS_MAX_WEAK], area_off;
    } offsets;
    offsets *off = NULL;

    /* ---- trends of the score since the break */
    series = wb_malloc((na * ny + 1) * sizeof *series);
    years = wb_malloc((ny + 1) * sizeof *years);
    tr = wb_calloc(na + 1, sizeof *tr);
    mean = wb_calloc(nd + 1, sizeof *mean);
    sd = wb_calloc(nd + 1, sizeof *sd);
    if (!series || !years || !tr || !mean || !sd) {
        error = eff_nomem();
        goto done;
    }
    for (size_t k = 0; k < ny; k++) {
        years[k] = wb_panel_year(p, k);
        for (size_t a = 0; a < na; a++)
            series[a * ny + k] = sc->score[k * na + a];
    }
    wb_trend_opts to = WB_TREND_OPTS_INIT;
    to.alpha = o->alpha;
    to.nthreads = o->nthreads;
    to.draws = 0;
    to.sen_conf = 0;
    if (o->break_year && ny >= 2 && o->break_year > years[0] && o->break_year < years[ny - 1]) {
        to.break_mode = WB_BREAK_FIXED;
        to.break_year = o->break_year;
        out->break_year = o->break_year;
    }
    if (ny > WB_TREND_MAX_YEARS) {
        wb_error_set(WB_ERRCLASS_ARG, "gaps: at most %d data years (got %zu)", WB_TREND_MAX_YEARS, ny);
        error = WB_EINVALID;
        goto done;
    }
    if ((error = wb_trend_batch(tr, NULL, years, ny, series, na, &to, NULL, NULL)) < 0)
        goto done;

    /* ---- reference moments of every dimension in the year */
    const char *ref = wb_model_reference(m);
    for (size_t d = 0; d < nd; d++) {
        const double *col = sc->dims + ((size_t)t * nd + d) * na;
        double s = 0, ss = 0;
        size_t n = 0;
        for (size_t a = 0; a < na; a++)
            if (!isnan(col[a]) && in_reference(p, a, ref)) {
                s += col[a];
                n++;
            }
        mean[d] = n ? s / (double)n : NAN;
        for (size_t a = 0; a < na; a++)
            if (!isnan(col[a]) && in_reference(p, a, ref))
                ss += (col[a] - mean[d]) * (col[a] - mean[d]);
        sd[d] = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
    }

    /* ---- which running initiatives reach which areas, and which dimensions they address */
    size_t ni = in->ninitiatives;
    idims = wb_calloc(ni * nd + 1, 1);
    tmp = wb_calloc(nd + 1, 1);
    considered = wb_calloc(ni + 1, 1);
    count = wb_calloc(na + 1, sizeof *count);
    offs = wb_calloc(na + 1, sizeof *offs);
    last = wb_calloc(na + 1, sizeof *last);
    fill = wb_calloc(na + 1, sizeof *fill);
    if (!idims || !tmp || !considered || !count || !offs || !last || !fill) {
        error = eff_nomem();
        goto done;
    }
    if ((error = eff_index_init(&ix, p)) < 0)
        goto done;
    have_ix = 1;
    int byear = wb_panel_boundary_year(p);
    reach_ctx rc = {count, fill, NULL, 0, last};
    for (size_t i = 0; i < ni; i++) {
        const wb_initiative *x = &in->initiatives[i];
        if (!running(x, status_bits, on_day) || x->nareas == 0)
            continue;
        if (x->area_year != byear) {
            out->nother_year++;
            continue;
        }
        considered[i] = 1;
        out->nconsidered++;
        int um;
        initiative_dims(idims + i * nd, tmp, x, m, in->themes, &um);
        for (size_t k = 0; um >= 0 && k < x->nthemes; k++) {
            if (wb_theme_map_dims(in->themes, x->themes[k], m, tmp))
                continue;
            /* remember each unmapped theme once */
            const char *s = wb_str_cstr(&unm);
            size_t tl = strlen(x->themes[k]);
            int seen = 0;
            for (const char *q = s; q && *q;) {
                const char *e = strstr(q, ", ");
                size_t l = e ? (size_t)(e - q) : strlen(q);
                if (l == tl && !strncasecmp(q, x->themes[k], l))
                    seen = 1;
                q = e ? e + 2 : q + l;
            }
            if (!seen && (wb_str_printf(&unm, "%s%s", unm.len ? ", " : "", x->themes[k]) < 0)) {
                error = eff_nomem();
                goto done;
            }
        }
        rc.cur = i;
        for (size_t k = 0; k < x->nareas; k++)
            eff_reach(&ix, x->areas[k], count_cb, &rc);
    }
    size_t total = 0;
    for (size_t a = 0; a < na; a++) {
        offs[a] = total;
        fill[a] = total;
        total += count[a];
    }
    if (!(slots = wb_malloc((total + 1) * sizeof *slots))) {
        error = eff_nomem();
        goto done;
    }
    memset(last, 0, na * sizeof *last);
    rc.slots = slots;
    for (size_t i = 0; i < ni; i++) {
        if (!considered[i])
            continue;
        rc.cur = i;
        for (size_t k = 0; k < in->initiatives[i].nareas; k++)
            eff_reach(&ix, in->initiatives[i].areas[k], fill_cb, &rc);
    }

    /* ---- the areas */
    if (!(out->areas = wb_calloc(na + 1, sizeof *out->areas)) || !(off = wb_calloc(na + 1, sizeof *off))) {
        error = eff_nomem();
        goto done;
    }
    dimz dz[64];
    for (size_t a = 0; a < na; a++) {
        size_t ix_s = (size_t)t * na + a;
        double score = sc->score[ix_s];
        if (isnan(score))
            continue;
        out->nscored++;
        unsigned need = 0;
        int k = sc->klass[ix_s];
        out->nclassed += k > 0;
        if (o->low_class && k && k <= o->low_class)
            need |= WB_NEED_LOW_CLASS;
        if (tr[a].trend == WB_TREND_DECLINING)
            need |= WB_NEED_DECLINING;
        if (tr[a].trend == WB_TREND_STAGNATING && tr[a].level_z < 0)
            need |= WB_NEED_STAGNATING;
        if (o->lisa && o->lisa[a]) {
            if (!strcmp(o->lisa[a], "LL"))
                need |= WB_NEED_LISA_LL;
            else if (!strcmp(o->lisa[a], "LH"))
                need |= WB_NEED_LISA_LH;
        }
        if (!need && !o->all)
            continue;
        wb_gap_area *g = &out->areas[out->n];
        offsets *go = &off[out->n];
        out->n++;
        g->area = a;
        snprintf(g->code, sizeof g->code, "%s", wb_panel_code(p, a));
        g->need = need;
        g->score = score;
        g->klass = k;
        g->trend = tr[a].trend;
        g->group = tr[a].group;
        g->slope_after = tr[a].class_slope;
        g->trend_p = tr[a].class_p;
        g->level_z = tr[a].level_z;
        if (need) {
            out->nneed++;
        }
        /* weak dimensions: weakest first */
        size_t nz = 0;
        for (size_t d = 0; d < nd && nz < sizeof dz / sizeof dz[0]; d++) {
            double v = sc->dims[((size_t)t * nd + d) * na + a];
            if (isnan(v) || isnan(sd[d]) || !(sd[d] > 0))
                continue;
            dz[nz].d = d;
            dz[nz++].z = (v - mean[d]) / sd[d];
        }
        qsort(dz, nz, sizeof dz[0], cmp_dimz);
        size_t nw = 0;
        for (size_t q = 0; q < nz && nw < (size_t)o->max_weak; q++)
            if (dz[q].z <= o->weak_z)
                nw++;
        if (nw == 0 && nz > 0)
            nw = 1; /* nothing that low: the weakest one */
        /* initiatives reaching the area (ids ascending: input order may be any) */
        go->area_off = pool.n;
        for (size_t s = offs[a]; s < offs[a] + count[a]; s++)
            if ((error = eff_ids_push(&pool, in->initiatives[slots[s]].id)) < 0)
                goto done;
        g->ninitiatives = count[a];
        if (count[a] > 1)
            qsort(pool.v + go->area_off, count[a], sizeof *pool.v, cmp_i64);
        g->nweak = nw;
        for (size_t q = 0; q < nw; q++) {
            wb_gap_dim *w = &g->weak[q];
            w->dim = dz[q].d;
            w->z = dz[q].z;
            w->value = sc->dims[((size_t)t * nd + dz[q].d) * na + a];
            go->weak_off[q] = pool.n;
            for (size_t s = offs[a]; s < offs[a] + count[a]; s++)
                if (idims[slots[s] * nd + dz[q].d]) {
                    if ((error = eff_ids_push(&pool, in->initiatives[slots[s]].id)) < 0)
                        goto done;
                    w->ninitiatives++;
                }
            if (w->ninitiatives > 1)
                qsort(pool.v + go->weak_off[q], w->ninitiatives, sizeof *pool.v, cmp_i64);
            if (w->ninitiatives == 0)
                g->ngaps++;
        }
        if (need) {
            if (g->ngaps)
                out->ngap++;
            else
                out->ncovered++;
        }
    }
    /* the id lists live in one pool: point into it now that it no longer moves */
    out->pool = pool.v;
    pool.v = NULL;
    for (size_t i = 0; i < out->n; i++) {
        wb_gap_area *g = &out->areas[i];
        g->initiatives = g->ninitiatives ? out->pool + off[i].area_off : NULL;
        for (size_t q = 0; q < g->nweak; q++)
            g->weak[q].initiatives = g->weak[q].ninitiatives ? out->pool + off[i].weak_off[q] : NULL;
    }
    if (unm.len)
        out->unmapped = wb_str_detach(&unm);
done:
    wb_str_dispose(&unm);
    eff_ids_dispose(&pool);
    if (have_ix)
        eff_index_dispose(&ix);
    wb_free(off);
    wb_free(count);
    wb_free(offs);
    wb_free(slots);
    wb_free(last);
    wb_free(fill);
    wb_free(idims);
    wb_free(tmp);
    wb_free(considered);
    wb_free(series);
    wb_free(years);
    wb_free(tr);
    wb_free(mean);
    wb_free(sd);
    if (error < 0)
        wb_gaps_dispose(out);
    return error;
}
