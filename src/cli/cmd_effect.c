/** @file @brief 'effect': the measured effect of an initiative on its target indicators
 *  (matched difference in differences with a placebo interval; docs/effort.md). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/collab_cli.h"
#include "cli/effort_cli.h"

static const wb_optdef effect_opts[] = {
    {"seed", 1, "seed of the placebo draws (default 1)"},
    {"draws", 1, "placebo draws (default 999)"},
    {"level", 1, "interval level (default 0.90)"},
    {"matches", 1, "comparable areas per treated area (default 3)"},
    {"lag", 1, "extra years after the start before effects count (default 0)"},
    {"pre-years", 1, "most years before the start used (default: all)"},
    {"placebo-pool", 1, "draw placebo areas among each treated area's K nearest (default 0: among all)"},
    {"min-pool", 1, "fewest comparable areas in the gemeente before the whole level is used (default 10)"},
    {"no-bias-correction", 0, "plain matching, without the regression adjustment"},
    {"keep-neighbours", 0, "keep the treated areas' neighbours in the comparison pool"},
    {"themes", 1, "theme map (default models/themes.map)"},
    {"as", 1, "act as this account (its read rights apply)"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *report_json(const wb_effect_report *r, const wb_store *st)
{
    (void)st;
    json_t *o = json_object(), *res = json_array();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "status", json_string(r->status));
    json_object_set_new(o, "start", json_string(r->start));
    json_object_set_new(o, "end", r->end[0] ? json_string(r->end) : json_null());
    json_object_set_new(o, "area_year", json_integer(r->area_year));
    json_object_set_new(o, "level", json_string(wb_level_name(r->level)));
    json_object_set_new(o, "last_pre", json_integer(r->last_pre));
    json_object_set_new(o, "first_post", json_integer(r->first_post));
    json_object_set_new(o, "neighbours", json_boolean(r->neighbours));
    for (size_t i = 0; i < r->nresults; i++) {
        const wb_effect_result *e = &r->results[i];
        json_t *x = json_object(), *areas = json_array();
        json_object_set_new(x, "indicator", json_string(e->indicator));
        json_object_set_new(x, "direction", json_integer(e->direction));
        json_object_set_new(x, "status", json_string(wb_effect_status_name(e->status)));
        json_object_set_new(x, "reason", e->reason[0] ? json_string(e->reason) : json_null());
        json_object_set_new(x, "estimate", num(e->estimate));
        json_object_set_new(x, "lo", num(e->lo));
        json_object_set_new(x, "hi", num(e->hi));
        json_object_set_new(x, "level", num(e->level));
        json_object_set_new(x, "p", num(e->p));
        json_object_set_new(x, "placebo_sd", num(e->placebo_sd));
        json_object_set_new(x, "draws", json_integer((json_int_t)e->draws));
        json_object_set_new(x, "seed", json_integer((json_int_t)e->seed));
        json_object_set_new(x, "treated", json_integer((json_int_t)e->ntreated));
        json_object_set_new(x, "controls", json_integer((json_int_t)e->ncontrols));
        json_object_set_new(x, "pool", json_integer((json_int_t)e->npool));
        json_object_set_new(x, "neighbours_left_out", json_integer((json_int_t)e->nneighbours));
        json_object_set_new(x, "pool_scope", json_string(e->pool_scope));
        json_object_set_new(x, "first_pre", json_integer(e->first_pre));
        json_object_set_new(x, "last_pre", json_integer(e->last_pre));
        json_object_set_new(x, "first_post", json_integer(e->first_post));
        json_object_set_new(x, "last_post", json_integer(e->last_post));
        json_object_set_new(x, "treated_change", num(e->treated_change));
        json_object_set_new(x, "control_change", num(e->control_change));
        json_object_set_new(x, "smd_level", num(e->smd_level));
        json_object_set_new(x, "smd_slope", num(e->smd_slope));
        for (size_t k = 0; k < e->nareas; k++) {
            const wb_effect_area *w = &e->areas[k];
            json_t *ar = json_object();
            json_object_set_new(ar, "code", json_string(w->code));
            json_object_set_new(ar, "change", num(w->change));
            json_object_set_new(ar, "control_change", num(w->control_change));
            json_object_set_new(ar, "did", num(w->did));
            json_array_append_new(areas, ar);
        }
        json_object_set_new(x, "areas", areas);
        json_array_append_new(res, x);
    }
    json_object_set_new(o, "results", res);
    json_object_set_new(o, "words", json_string(r->words ? r->words : ""));
    return o;
}

static int cmd_effect(wb_ctx *ctx, wb_args *a)
{
    int64_t id;
    long seed, draws, matches, lag, pre, pool, minpool;
    double level;
    wb_format fmt;
    if (wbx_id(a->pos[0], "INITIATIVE_ID", &id) < 0)
        return 2;
    if (wb_arg_int(a, "seed", 1, 0, 0x7fffffffL, &seed) < 0 || wb_arg_int(a, "draws", 999, 0, 1000000, &draws) < 0 ||
        wb_arg_int(a, "matches", 3, 1, WB_EFFECT_MAX_MATCHES, &matches) < 0 ||
        wb_arg_int(a, "lag", 0, 0, 50, &lag) < 0 || wb_arg_int(a, "pre-years", 0, 0, 100, &pre) < 0 ||
        wb_arg_int(a, "placebo-pool", 0, 0, 100000, &pool) < 0 || wb_arg_int(a, "min-pool", 10, 1, 100000, &minpool) < 0 ||
        wb_arg_double(a, "level", 0.90, &level) < 0 || wb_arg_format(a, &fmt) < 0)
        return 2;
    if (!(level > 0 && level < 1))
        return wb_cli_usage("--level: expected a number between 0 and 1, got %g", level);
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_actor actor;
    wb_theme_map *tm = NULL;
    wb_effect_report r;
    memset(&r, 0, sizeof r);
    if ((rc = wbx_actor(st, a, &actor)) != 0 || (rc = wbx_themes(a, NULL, &tm)) != 0)
        goto done;
    wb_effect_opts o = WB_EFFECT_OPTS_INIT;
    o.seed = (uint64_t)seed;
    o.draws = (size_t)draws;
    o.level = level;
    o.matches = (size_t)matches;
    o.lag = (int)lag;
    o.pre_years = (int)pre;
    o.placebo_pool = (size_t)pool;
    o.min_pool = (size_t)minpool;
    o.bias_correct = !wb_arg_has(a, "no-bias-correction");
    o.exclude_neighbours = !wb_arg_has(a, "keep-neighbours");
    if (wb_effect_initiative(&r, st, &actor, id, tm, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    if (fmt == WB_FMT_JSON) {
        json_t *j = report_json(&r, st);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(j);
        goto done;
    }
    if (fmt == WB_FMT_TABLE)
        printf("initiative %lld: %s (%s, %s to %s), %s areas of %d; before = up to %d, after = from %d\n\n",
               (long long)r.id, r.title, r.status, r.start, r.end[0] ? r.end : "open", wb_level_name(r.level),
               r.area_year, r.last_pre, r.first_post);
    static const char *const cols[] = {"indicator", "direction", "status", "estimate", "lo", "hi", "level", "p",
                                       "treated", "controls", "pool", "neighbours_left_out", "pool_scope", "first_pre", "last_pre",
                                       "first_post", "last_post", "treated_change", "control_change", "smd_level",
                                       "smd_slope", "draws", "seed", "reason"};
    static const int numc[] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    wb_table *t = wb_table_new(stdout, fmt, 24, cols, numc);
    for (size_t i = 0; i < r.nresults; i++) {
        const wb_effect_result *e = &r.results[i];
        int ok = e->status == WB_EFFECT_OK;
        wb_table_cell(t, e->indicator);
        wb_table_cell(t, e->direction > 0 ? "up" : e->direction < 0 ? "down" : NULL);
        wb_table_cell(t, wb_effect_status_name(e->status));
        wb_table_num(t, e->estimate);
        wb_table_num(t, e->lo);
        wb_table_num(t, e->hi);
        wb_table_num(t, e->level);
        wb_table_num(t, e->p);
        wb_table_int(t, (long long)e->ntreated);
        wb_table_int(t, (long long)e->ncontrols);
        wb_table_int(t, (long long)e->npool);
        wb_table_int(t, (long long)e->nneighbours);
        wb_table_cell(t, e->pool_scope[0] ? e->pool_scope : NULL);
        if (e->npre) {
            wb_table_int(t, e->first_pre);
            wb_table_int(t, e->last_pre);
        } else {
            wb_table_cell(t, NULL);
            wb_table_cell(t, NULL);
        }
        if (e->npost) {
            wb_table_int(t, e->first_post);
            wb_table_int(t, e->last_post);
        } else {
            wb_table_cell(t, NULL);
            wb_table_cell(t, NULL);
        }
        wb_table_num(t, e->treated_change);
        wb_table_num(t, e->control_change);
        wb_table_num(t, ok ? e->smd_level : NAN);
        wb_table_num(t, ok ? e->smd_slope : NAN);
        wb_table_int(t, (long long)e->draws);
        wb_table_int(t, (long long)o.seed);
        wb_table_cell(t, e->reason[0] ? e->reason : NULL);
    }
    wb_table_end(t);
    if (fmt == WB_FMT_TABLE)
        printf("\n%s\n", r.words);
done:
    wb_effect_report_dispose(&r);
    wb_theme_map_free(tm);
    wb_store_free(st);
    return rc;
}

static const wb_cmd effect_cmd = {
    "effect",
    "the measured effect of an initiative on its target indicators: matched difference in differences with a placebo "
    "interval, and what that can and cannot show",
    "INITIATIVE_ID [--seed S] [--draws N] [--level 0.90]", effect_opts, cmd_effect, 1, 1};
WB_COMMAND(effect_cmd)
