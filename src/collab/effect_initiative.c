/** @file @brief The measured effect of one initiative on its target indicators, from the
 *  store: treated areas, comparison pool, years, and the plain words that go with it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"
#include "collab/effort_internal.h"
#include "wijkbeeld/spatial.h"

void wb_effect_report_dispose(wb_effect_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nresults; i++)
        wb_effect_result_dispose(&r->results[i]);
    wb_free(r->results);
    wb_free(r->title);
    wb_free(r->status);
    wb_free(r->words);
    memset(r, 0, sizeof *r);
}

typedef struct {
    size_t *list;
    size_t n;
    unsigned char *mark;
} treat_ctx;

static void treat_cb(void *c, size_t area, int rel)
{
    treat_ctx *x = c;
    (void)rel;
    if (!x->mark[area]) {
        x->mark[area] = 1;
        x->list[x->n++] = area;
    }
}

static void mark_cb(void *c, size_t area, int rel)
{
    (void)rel;
    ((unsigned char *)c)[area] = 1;
}

/* Does initiative @p o aim at indicator @p key (target, or a theme listing it)? */
static int aims_at(const wb_initiative *o, const char *key, const wb_theme_map *tm)
{
    for (size_t t = 0; t < o->ntargets; t++)
        if (!strcasecmp(o->targets[t].indicator, key))
            return 1;
    for (size_t t = 0; t < o->nthemes; t++)
        if (wb_theme_map_lists(tm, o->themes[t], key))
            return 1;
    return 0;
}

static void fmt(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "n/a");
    else if (isinf(v))
        snprintf(b, n, "%s", v < 0 ? "-inf" : "inf");
    else
        snprintf(b, n, "%.3g", v);
}

/* The plain words: what this can and cannot show. */
static char *words_of(const wb_effect_report *r)
{
    wb_str s = WB_STR_INIT;
    size_t ok = 0, maxt = 0;
    for (size_t i = 0; i < r->nresults; i++)
        if (r->results[i].status == WB_EFFECT_OK) {
            ok++;
            if (r->results[i].ntreated > maxt)
                maxt = r->results[i].ntreated;
        }
    if (!ok) {
        wb_str_printf(&s, "No effect can be measured yet. ");
        for (size_t i = 0; i < r->nresults; i++)
            wb_str_printf(&s, "%s: %s. ", r->results[i].indicator, r->results[i].reason);
        wb_str_printf(&s, "A measurement needs values of the target indicators in at least two years before "
                          "the start and one year after it, in the initiative's areas and in comparable areas "
                          "without such an initiative.");
        return wb_str_detach(&s);
    }
    for (size_t i = 0; i < r->nresults; i++) {
        const wb_effect_result *e = &r->results[i];
        if (e->status != WB_EFFECT_OK) {
            wb_str_printf(&s, "%s: not measured (%s). ", e->indicator, e->reason);
            continue;
        }
        char est[32], lo[32], hi[32];
        fmt(est, sizeof est, e->estimate);
        fmt(lo, sizeof lo, e->lo);
        fmt(hi, sizeof hi, e->hi);
        const char *verdict;
        if (isnan(e->lo) || isnan(e->hi))
            verdict = "no interval could be computed";
        else if (e->lo > 0 || e->hi < 0) {
            int up = e->lo > 0;
            verdict = !e->direction ? "the interval excludes no change"
                      : (up == (e->direction > 0)) ? "the difference lies in the intended direction and the interval excludes no change"
                                                   : "the difference lies against the intended direction and the interval excludes no change";
        } else {
            verdict = "the interval includes no change: this difference could be chance";
        }
        wb_str_printf(&s,
                      "%s: in the %zu area%s of this initiative it changed by %s more than in matched comparable "
                      "areas (%zu of %zu in %s, matched on level and trend %d-%d), comparing %d-%d with %d-%d; "
                      "%.0f%% interval %s to %s; %s. ",
                      e->indicator, e->ntreated, e->ntreated == 1 ? "" : "s", est, e->ncontrols, e->npool,
                      e->pool_scope, e->first_pre, e->last_pre, e->first_post, e->last_post, e->first_pre,
                      e->last_pre, 100 * e->level, lo, hi, verdict);
        if (e->nneighbours)
            wb_str_printf(&s, "%zu neighbouring area%s of the initiative's areas %s left out of the comparison "
                              "(effects may spill over). ",
                          e->nneighbours, e->nneighbours == 1 ? "" : "s", e->nneighbours == 1 ? "was" : "were");
        if (fabs(e->smd_slope) > 0.25 || fabs(e->smd_level) > 0.25)
            wb_str_printf(&s, "The matches differ from the initiative's areas before the start (standardised "
                              "difference %.2f in level, %.2f in trend), so read this with extra care. ",
                          e->smd_level, e->smd_slope);
    }
    wb_str_printf(&s,
                  "What this can show: whether the initiative's areas changed differently from similar areas "
                  "without such an initiative, and how large a difference arises by chance among such areas "
                  "(the interval comes from re-assigning the initiative to comparable areas many times). "
                  "What it cannot show: that the initiative caused the difference. It assumes that without the "
                  "initiative its areas would have followed the same course as their matches (parallel trends); "
                  "other events in the same areas, effects that spill over beyond the direct neighbours, "
                  "and differences between areas that level and trend do not capture can all create or hide a "
                  "difference. ");
    if (!r->neighbours)
        wb_str_printf(&s, "Neighbouring areas could not be left out of the comparison (no geometry stored), so "
                          "effects spilling over into them would make the difference look smaller. ");
    if (maxt < 5)
        wb_str_printf(&s, "With only %zu area%s, only large effects can be told apart from chance, and the "
                          "interval assumes the effect is the same in every area.",
                      maxt, maxt == 1 ? "" : "s");
    else
        wb_str_printf(&s, "The interval assumes the effect is the same in every area.");
    return wb_str_detach(&s);
}

int wb_effect_initiative(wb_effect_report *out, wb_store *st, const wb_actor *actor, int64_t id,
                         const wb_theme_map *tm, const wb_effect_opts *opts)
{
    memset(out, 0, sizeof *out);
    wb_effect_opts defaults = WB_EFFECT_OPTS_INIT;
    const wb_effect_opts *o = opts ? opts : &defaults;
    wb_initiative *in = NULL, *all = NULL;
    size_t nall = 0;
    wb_layer nlayer = WB_LAYER_INIT;
    wb_weights nw = WB_WEIGHTS_INIT;
    eff_map ncodes = {0};
    int error = wb_initiative_get(st, actor, &in, id);
    if (error < 0)
        return error;
    if (!in->start || !in->start[0]) {
        wb_error_set(WB_ERRCLASS_ARG, "initiative %lld has no start date: its effect cannot be measured", (long long)id);
        error = WB_EINVALID;
        goto done;
    }
    if (!in->ntargets) {
        wb_error_set(WB_ERRCLASS_ARG, "initiative %lld has no target indicators: give it targets (KEY:up or KEY:down) "
                     "to measure its effect", (long long)id);
        error = WB_EINVALID;
        goto done;
    }
    if (!in->nareas) {
        wb_error_set(WB_ERRCLASS_ARG, "initiative %lld has no areas: its effect cannot be measured", (long long)id);
        error = WB_EINVALID;
        goto done;
    }
    out->id = in->id;
    if (!(out->title = wb_strdup(in->title)) || !(out->status = wb_strdup(in->status))) {
        error = eff_nomem();
        goto done;
    }
    snprintf(out->start, sizeof out->start, "%s", in->start);
    snprintf(out->end, sizeof out->end, "%s", in->end ? in->end : "");
    out->area_year = in->area_year;
    /* the finest level among its areas */
    out->level = WB_LEVEL_GEMEENTE;
    for (size_t k = 0; k < in->nareas; k++) {
        char c[WB_CODE_MAX];
        wb_level lv;
        if (wb_code_normalize(c, &lv, in->areas[k], strlen(in->areas[k]), WB_LEVEL__MAX) == 0 && lv <= WB_LEVEL_BUURT &&
            lv > out->level)
            out->level = lv;
    }
    wb_error_clear();
    int sy = atoi(in->start);
    out->last_pre = sy - 1;
    out->first_post = (!strcmp(in->start + 4, "-01-01") ? sy : sy + 1) + o->lag;
    if ((error = wb_initiative_list(st, actor, &all, &nall, NULL)) < 0)
        goto done;
    /* queen neighbours of the level's areas, to leave spillover areas out of the pools */
    if (o->exclude_neighbours && wb_store_layer_load(st, &nlayer, out->level, in->area_year) == 0) {
        wb_weights_opts wo = WB_WEIGHTS_OPTS_INIT;
        wo.style = WB_STYLE_B;
        if ((error = wb_weights_build(&nw, &nlayer, &wo)) < 0 || (error = eff_map_init(&ncodes, nlayer.n)) < 0)
            goto done;
        for (size_t i = 0; i < nlayer.n; i++)
            if ((error = eff_map_put(&ncodes, nlayer.codes[i], i)) < 0)
                goto done;
        out->neighbours = 1;
    }
    wb_error_clear();
    if (!(out->results = wb_calloc(in->ntargets, sizeof *out->results))) {
        error = eff_nomem();
        goto done;
    }
    for (size_t t = 0; t < in->ntargets; t++) {
        wb_effect_result *r = &out->results[out->nresults++];
        memset(r, 0, sizeof *r);
        r->estimate = r->lo = r->hi = r->p = NAN;
        r->level = o->level;
        snprintf(r->indicator, sizeof r->indicator, "%s", in->targets[t].indicator);
        r->direction = in->targets[t].direction;
        char key[64];
        if (wb_store_indicator_resolve(st, NULL, key, in->targets[t].indicator) < 0) {
            wb_error_clear();
            r->status = WB_EFFECT_NO_DATA;
            snprintf(r->reason, sizeof r->reason, "the store has no values of %s", r->indicator);
            continue;
        }
        wb_panel *p = NULL;
        wb_panel_opts po = WB_PANEL_OPTS_INIT;
        po.level = out->level;
        po.boundary_year = in->area_year;
        const char *keys[1] = {key};
        if (wb_panel_load(&p, st, keys, 1, &po) < 0 || wb_panel_nyears(p) == 0) {
            r->status = WB_EFFECT_NO_DATA;
            snprintf(r->reason, sizeof r->reason, "no values of %s for the %s areas of boundary year %d", key,
                     wb_level_name(out->level), in->area_year);
            wb_error_clear();
            wb_panel_free(p);
            continue;
        }
        size_t na = wb_panel_nareas(p);
        eff_index ix;
        size_t *treated = wb_malloc((na + 1) * sizeof *treated);
        unsigned char *mark = wb_calloc(na + 1, 1), *excl = wb_calloc(na + 1, 1), *elig = wb_calloc(na + 1, 1);
        if (!treated || !mark || !excl || !elig || (error = eff_index_init(&ix, p)) < 0) {
            if (!error)
                error = eff_nomem();
            wb_free(treated);
            wb_free(mark);
            wb_free(excl);
            wb_free(elig);
            wb_panel_free(p);
            goto done;
        }
        treat_ctx tc = {treated, 0, mark};
        for (size_t k = 0; k < in->nareas; k++)
            eff_reach(&ix, in->areas[k], treat_cb, &tc);
        /* areas that another initiative aimed at this indicator reached during the years analysed */
        char from[16], to[16];
        snprintf(from, sizeof from, "%04d-01-01", wb_panel_year(p, 0));
        snprintf(to, sizeof to, "%04d-12-31", wb_panel_year(p, wb_panel_nyears(p) - 1));
        long wf = eff_day(from, 0), wt = eff_day(to, 0);
        for (size_t j = 0; j < nall; j++) {
            const wb_initiative *x = &all[j];
            if (x->id == in->id || !strcmp(x->status, "idee") || x->area_year != in->area_year ||
                !aims_at(x, key, tm) || eff_day(x->start, EFF_OPEN_START) > wt || eff_day(x->end, EFF_OPEN_END) < wf)
                continue;
            for (size_t k = 0; k < x->nareas; k++)
                eff_reach(&ix, x->areas[k], mark_cb, excl);
        }
        /* spillover: the treated areas' neighbours are no fair comparison */
        size_t nspill = 0;
        for (size_t i = 0; out->neighbours && i < tc.n; i++) {
            size_t li = eff_map_get(&ncodes, wb_panel_code(p, treated[i]));
            if (li == (size_t)-1)
                continue;
            for (size_t q = nw.row[li]; q < nw.row[li + 1]; q++) {
                long pa = wb_panel_find_area(p, nlayer.codes[nw.col[q]]);
                if (pa >= 0 && !mark[pa] && !excl[pa]) {
                    excl[pa] = 1;
                    nspill++;
                }
            }
        }
        /* the pool: the treated areas' gemeenten when they have enough, else the whole level */
        size_t in_gm = 0, anywhere = 0;
        for (size_t a = 0; a < na; a++) {
            if (mark[a] || excl[a])
                continue;
            anywhere++;
            long g = wb_panel_gemeente(p, a);
            for (size_t i = 0; i < tc.n; i++)
                if (g >= 0 && wb_panel_gemeente(p, treated[i]) == g) {
                    elig[a] = 1;
                    in_gm++;
                    break;
                }
        }
        const wb_panel *up = wb_panel_parents(p);
        long g0 = tc.n ? wb_panel_gemeente(p, treated[0]) : -1;
        if (in_gm >= o->min_pool && g0 >= 0 && up) {
            snprintf(r->pool_scope, sizeof r->pool_scope, "gemeente %s", wb_panel_code(up, (size_t)g0));
        } else {
            for (size_t a = 0; a < na; a++)
                elig[a] = !mark[a] && !excl[a];
            snprintf(r->pool_scope, sizeof r->pool_scope, "all %s areas (%zu comparable in the gemeente)",
                     wb_level_name(out->level), in_gm);
        }
        (void)anywhere;
        char scope[64];
        memcpy(scope, r->pool_scope, sizeof scope);
        error = wb_effect_did(r, p, 0, treated, tc.n, elig, out->last_pre, out->first_post, o);
        memcpy(r->pool_scope, scope, sizeof scope);
        r->nneighbours = nspill;
        r->direction = in->targets[t].direction;
        snprintf(r->indicator, sizeof r->indicator, "%s", key);
        if (error == 0 && tc.n == 0) {
            r->status = WB_EFFECT_NO_DATA;
            snprintf(r->reason, sizeof r->reason, "none of its areas is a %s of boundary year %d",
                     wb_level_name(out->level), in->area_year);
        }
        eff_index_dispose(&ix);
        wb_free(treated);
        wb_free(mark);
        wb_free(excl);
        wb_free(elig);
        wb_panel_free(p);
        if (error < 0)
            goto done;
    }
    if (!(out->words = words_of(out)))
        error = eff_nomem();
done:
    wb_layer_dispose(&nlayer);
    wb_weights_dispose(&nw);
    eff_map_dispose(&ncodes);
    wb_initiative_free(in);
    wb_initiatives_free(all, nall);
    if (error < 0)
        wb_effect_report_dispose(out);
    return error;
}
