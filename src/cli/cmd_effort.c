/** @file @brief 'effort': money and hours per inhabitant per area in a year against the score,
 *  with Spearman's rank correlation (issue 7). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/effort_cli.h"
#include "cli/score_cli.h"

static const wb_optdef effort_opts[] = {
    {"year", 1, "calendar year of the contributions (required)"},
    {"model", 1, "score model: a file or a name in models/ (default lbm)"},
    {"level", 1, "gemeente, wijk or buurt (default buurt)"},
    {"boundary-year", 1, "boundary year of the areas (default: the latest with data)"},
    {"score-year", 1, "data year of the score (default: the latest up to --year)"},
    {"split", 1, "population (default) or even: how an initiative's share is split over its areas"},
    {"status", 1, "only initiatives with these statuses (default: all)"},
    {"in", 1, "only list areas within this area code (the correlation uses all areas)"},
    {"themes", 1, "theme map (not used by effort; accepted for symmetry)"},
    {"as", 1, "act as this account (its read rights apply)"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static int cmd_effort(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long year, syear;
    if (!wb_arg_has(a, "year"))
        return wb_cli_usage("effort: --year Y is required");
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_int(a, "score-year", 0, 1800, 2200, &syear) < 0 ||
        wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_effort_split split = WB_SPLIT_POPULATION;
    const char *sp = wb_arg(a, "split");
    if (sp && !strcmp(sp, "even"))
        split = WB_SPLIT_EVEN;
    else if (sp && strcmp(sp, "population"))
        return wb_cli_usage("--split: expected population or even, got '%s'", sp);
    char within[WB_CODE_MAX] = "";
    const char *inarg = wb_arg(a, "in");
    if (inarg && wb_code_normalize(within, NULL, inarg, strlen(inarg), WB_LEVEL__MAX) < 0)
        return wb_cli_usage("--in: %s", wb_error_last()->message);
    wbx_effort e;
    int rc = wbx_effort_load(ctx, a, &e);
    if (rc)
        return rc;
    wb_effort ef = WB_EFFORT_INIT;
    wb_effort_opts o = WB_EFFORT_OPTS_INIT;
    o.year = (int)year;
    o.score_year = (int)syear;
    o.split = split;
    o.statuses = wb_arg(a, "status");
    if (wb_effort_compute(&ef, e.in, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    const wb_panel *p = e.in->panel;
    static const char *const cols[] = {"code", "name", "year", "inhabitants", "money_eur", "in_kind_eur", "hours",
                                       "eur_per_inh", "hours_per_inh", "score_year", "score", "class", "initiatives"};
    static const int num[] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, 13, cols, num);
    for (size_t i = 0; i < ef.n; i++) {
        const wb_effort_area *x = &ef.areas[i];
        if (within[0] && !wb_cli_within(p, x->area, within))
            continue;
        wb_table_cell(t, x->code);
        wb_table_cell(t, wb_panel_name(p, x->area));
        wb_table_int(t, ef.year);
        wb_table_num(t, x->inhabitants);
        wb_table_cellf(t, "%.2f", x->money_eur);
        wb_table_cellf(t, "%.2f", x->in_kind_eur);
        wb_table_cellf(t, "%.2f", x->hours);
        if (isnan(x->eur_per_inh))
            wb_table_cell(t, NULL);
        else
            wb_table_cellf(t, "%.4f", x->eur_per_inh);
        if (isnan(x->hours_per_inh))
            wb_table_cell(t, NULL);
        else
            wb_table_cellf(t, "%.6f", x->hours_per_inh);
        wb_table_int(t, ef.score_year);
        wb_table_num(t, x->score);
        if (x->klass)
            wb_table_int(t, x->klass);
        else
            wb_table_cell(t, NULL);
        wb_table_int(t, (long long)x->ninitiatives);
    }
    wb_table_end(t);
    fprintf(stderr,
            "wijkbeeld: effort in %ld against model %s scores of %d: %.0f euro money, %.0f euro in kind, %.0f hours "
            "(%.0f euro and %.0f hours not on these areas); rank correlation (Spearman) with the score over %zu areas: "
            "euros per inhabitant rho = %.3f (p = %.3g), hours per inhabitant rho = %.3f (p = %.3g); a negative rho "
            "means more effort where the score is lower\n",
            year, wb_model_name(e.m), ef.score_year, ef.money_eur, ef.in_kind_eur, ef.hours, ef.unallocated_eur,
            ef.unallocated_hours, ef.nrank, ef.rho_eur, ef.p_eur, ef.rho_hours, ef.p_hours);
done:
    wb_effort_dispose(&ef);
    wbx_effort_done(&e);
    return rc;
}

static const wb_cmd effort_cmd = {
    "effort", "money and hours per inhabitant per area in a year against the score, with a rank correlation",
    "--year Y [--model lbm] [--level L] [--split population|even]", effort_opts, cmd_effort, 0, 0};
WB_COMMAND(effort_cmd)
