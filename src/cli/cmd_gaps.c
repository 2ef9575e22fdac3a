/** @file @brief 'gaps': areas that need attention, their weak score dimensions, the running
 *  initiatives that address them and the gaps left (issue 7; rules in docs/effort.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/effort_cli.h"
#include "cli/score_cli.h"

static const wb_optdef gaps_opts[] = {
    {"model", 1, "score model: a file or a name in models/ (default lbm)"},
    {"level", 1, "gemeente, wijk or buurt (default buurt)"},
    {"year", 1, "data year of the scores (default: the last with scores)"},
    {"break", 1, "trend since this year (default 2012; 0: the whole series)"},
    {"boundary-year", 1, "boundary year of the areas (default: the latest with data)"},
    {"in", 1, "only list areas within this area code"},
    {"low-class", 1, "a class at or below this is low (default 4 = zwak; 0: off)"},
    {"weak-z", 1, "a dimension is weak at or below this z against the reference (default -0.5)"},
    {"max-weak", 1, "at most this many weak dimensions per area (default 3)"},
    {"status", 1, "statuses that count as running (default gepland,lopend)"},
    {"on", 1, "only initiatives whose period contains this date (YYYY-MM-DD)"},
    {"all", 0, "list every area with a score, also those without need"},
    {"no-lisa", 0, "do not use LISA clusters of the score as a need criterion"},
    {"permutations", 1, "LISA: conditional permutations (default 999)"},
    {"seed", 1, "LISA: seed of the permutations (default 1)"},
    {"alpha", 1, "LISA: significance level of the clusters (default 0.05)"},
    {"themes", 1, "theme map (default: themes.map next to the model)"},
    {"as", 1, "act as this account (its read rights apply)"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static int cmd_gaps(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long year, brk, low, maxw, perms, seed;
    double wz, alpha;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_int(a, "break", 2012, 0, 2200, &brk) < 0 ||
        wb_arg_int(a, "low-class", 4, 0, 9, &low) < 0 || wb_arg_int(a, "max-weak", 3, 1, WB_GAPS_MAX_WEAK, &maxw) < 0 ||
        wb_arg_double(a, "weak-z", -0.5, &wz) < 0 || wb_arg_format(a, &fmt) < 0 ||
        wb_arg_int(a, "permutations", 999, 0, 99999, &perms) < 0 || wb_arg_int(a, "seed", 1, 0, 0x7fffffffL, &seed) < 0 ||
        wb_arg_double(a, "alpha", 0.05, &alpha) < 0)
        return 2;
    if (!(alpha > 0 && alpha < 1))
        return wb_cli_usage("--alpha: expected a number between 0 and 1, got %g", alpha);
    char within[WB_CODE_MAX] = "";
    const char *inarg = wb_arg(a, "in");
    if (inarg && wb_code_normalize(within, NULL, inarg, strlen(inarg), WB_LEVEL__MAX) < 0)
        return wb_cli_usage("--in: %s", wb_error_last()->message);
    wbx_effort e;
    int rc = wbx_effort_load(ctx, a, &e);
    if (rc)
        return rc;
    wb_gaps g = WB_GAPS_INIT;
    wb_gaps_opts o = WB_GAPS_OPTS_INIT;
    o.year = (int)year;
    o.break_year = (int)brk;
    o.low_class = (int)low;
    o.weak_z = wz;
    o.max_weak = (int)maxw;
    o.statuses = wb_arg(a, "status");
    o.on = wb_arg(a, "on");
    o.all = wb_arg_has(a, "all");
    /* LISA clusters of the score (queen contiguity of the stored geometry) */
    const char **lisa = NULL;
    int lisa_note = 0;
    if (!wb_arg_has(a, "no-lisa")) {
        int le = wb_effort_lisa(&lisa, e.st, e.in, o.year, (size_t)perms, (uint64_t)seed, alpha);
        if (le == WB_ENOTFOUND || le == WB_EINVALID) {
            fprintf(stderr, "wijkbeeld: note: no LISA clusters as a need criterion: %s\n", wb_error_last()->message);
            lisa_note = 1;
        } else if (le < 0) {
            rc = wb_cli_fail();
            goto done;
        }
    }
    o.lisa = lisa;
    if (wb_gaps_compute(&g, e.in, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    const wb_panel *p = e.in->panel;
    const wb_model *m = e.m;
    static const char *const cols[] = {"code", "name", "year", "score", "class", "trend", "group", "need",
                                       "weak", "weak_z", "initiatives", "addressed", "gaps", "status"};
    static const int num[] = {0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    wb_table *t = wb_table_new(stdout, fmt, 14, cols, num);
    size_t listed = 0;
    for (size_t i = 0; i < g.n; i++) {
        const wb_gap_area *x = &g.areas[i];
        if (within[0] && !wb_cli_within(p, x->area, within))
            continue;
        listed++;
        char need[128];
        wb_str weak = WB_STR_INIT, wzs = WB_STR_INIT, ins = WB_STR_INIT, addr = WB_STR_INIT, gaps = WB_STR_INIT;
        for (size_t q = 0; q < x->nweak; q++) {
            const wb_gap_dim *w = &x->weak[q];
            const char *dk = wb_model_dim_key(m, w->dim);
            wb_str_printf(&weak, "%s%s", q ? "; " : "", dk);
            wb_str_printf(&wzs, "%s%.2f", q ? "; " : "", w->z);
            if (w->ninitiatives) {
                wb_str_printf(&addr, "%s%s:", addr.len ? "; " : "", dk);
                for (size_t k = 0; k < w->ninitiatives; k++)
                    wb_str_printf(&addr, "%s%lld", k ? "," : "", (long long)w->initiatives[k]);
            } else {
                wb_str_printf(&gaps, "%s%s", gaps.len ? "; " : "", dk);
            }
        }
        for (size_t k = 0; k < x->ninitiatives; k++)
            wb_str_printf(&ins, "%s%lld", k ? "," : "", (long long)x->initiatives[k]);
        wb_table_cell(t, x->code);
        wb_table_cell(t, wb_panel_name(p, x->area));
        wb_table_int(t, g.year);
        wb_table_num(t, x->score);
        if (x->klass)
            wb_table_int(t, x->klass);
        else
            wb_table_cell(t, NULL);
        wb_table_cell(t, wb_trend_class_name(x->trend));
        wb_table_cell(t, wb_trend_group_name(x->group));
        wb_table_cell(t, wb_need_text(need, sizeof need, x->need));
        wb_table_cell(t, wb_str_cstr(&weak));
        wb_table_cell(t, wb_str_cstr(&wzs));
        wb_table_cell(t, wb_str_cstr(&ins));
        wb_table_cell(t, wb_str_cstr(&addr));
        wb_table_cell(t, wb_str_cstr(&gaps));
        wb_table_cell(t, !x->need ? "none" : x->ngaps ? "gap" : "covered");
        wb_str_dispose(&weak);
        wb_str_dispose(&wzs);
        wb_str_dispose(&ins);
        wb_str_dispose(&addr);
        wb_str_dispose(&gaps);
    }
    wb_table_end(t);
    char brks[32] = "the whole series", lows[96];
    if (g.break_year)
        snprintf(brks, sizeof brks, "%d", g.break_year);
    if (!low)
        snprintf(lows, sizeof lows, "low class off");
    else if (g.nclassed)
        snprintf(lows, sizeof lows, "class <= %ld", low);
    else
        snprintf(lows, sizeof lows, "no classes: the model has none for %d", g.year);
    fprintf(stderr,
            "wijkbeeld: gaps with model %s, %s areas of boundary year %d in %d: %zu scored, %zu need attention "
            "(%s; declining or stagnating below the reference since %s%s), %zu with a gap, %zu covered; "
            "%zu listed; %zu running initiatives considered",
            wb_model_name(m), wb_level_name(wb_panel_level(p)), wb_panel_boundary_year(p), g.year, g.nscored, g.nneed,
            lows, brks, lisa ? "; LISA LL or LH of the score" : "", g.ngap, g.ncovered, listed, g.nconsidered);
    if (g.nother_year)
        fprintf(stderr, ", %zu on another boundary year left out", g.nother_year);
    fprintf(stderr, "\n");
    if (g.unmapped)
        fprintf(stderr, "wijkbeeld: note: themes not in the theme map (they address no dimension): %s\n", g.unmapped);
    (void)lisa_note;
done:
    wb_free(lisa);
    wb_gaps_dispose(&g);
    wbx_effort_done(&e);
    return rc;
}

static const wb_cmd gaps_cmd = {
    "gaps",
    "areas that need attention, their weak score dimensions, the running initiatives that address them and the gaps "
    "left",
    "[--model lbm|kwb] [--level L] [--year Y] [--break 2012] [--in CODE]", gaps_opts, cmd_gaps, 0, 0};
WB_COMMAND(gaps_cmd)
