/** @file @brief 'compare': a labelled set of areas against its gemeenten, the rest and the
 *  nation, per year, for one indicator or a model score. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/score_cli.h"

static const wb_optdef compare_opts[] = {
    {"set", 1, "name of the label set (required)"},
    {"indicator", 1, "indicator key or alias (or use --model)"},
    {"model", 1, "score model file or name (or use --indicator)"},
    {"break", 1, "break year: with --periods, the change per year before and after it"},
    {"periods", 0, "list the change per year before and after --break instead of the years"},
    {"from", 1, "first data year to use"},
    {"to", 1, "last data year to use"},
    {"level", 1, "level of the areas (default: the level of the set's members)"},
    {"boundary-year", 1, "boundary year (default: that of the set's members)"},
    {"balanced", 0, "only areas with a value in every year (a fixed composition)"},
    {"trend-classes", 0, "count set members and other areas per trend class and RIGO group (see 'help trend')"},
    {"alpha", 1, "--trend-classes: significance level of the classes (default 0.05)"},
    {"no-significance", 0, "--trend-classes: classes by the sign of the slope only"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

/* The trend class and RIGO group of every area's series (trend.h, with a fixed break when
 * given), counted for the set and for all other areas. */
static int trend_classes(const wb_panel *p, const double *vals, const unsigned char *in_set, long brk, double alpha,
                         int significance, int direction, wb_format fmt)
{
    size_t na = wb_panel_nareas(p), ny = wb_panel_nyears(p);
    if (ny > WB_TREND_MAX_YEARS) {
        wb_error_set(WB_ERRCLASS_ARG, "compare: more than %d data years; narrow them with --from/--to",
                     WB_TREND_MAX_YEARS);
        return wb_cli_fail();
    }
    double *years = malloc((ny ? ny : 1) * sizeof *years), *rows = malloc((na * ny > 0 ? na * ny : 1) * sizeof *rows);
    wb_trend_result *res = malloc((na ? na : 1) * sizeof *res);
    if (!years || !rows || !res)
        abort();
    for (size_t t = 0; t < ny; t++)
        years[t] = wb_panel_year(p, t);
    for (size_t a = 0; a < na; a++)
        for (size_t t = 0; t < ny; t++)
            rows[a * ny + t] = vals[t * na + a];
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    if (brk) {
        o.break_mode = WB_BREAK_FIXED;
        o.break_year = (double)brk;
    }
    o.alpha = alpha;
    o.require_significance = significance;
    o.direction = direction;
    wb_trend_summary sum;
    int rc = 0;
    if (wb_trend_batch(res, &sum, years, ny, rows, na, &o, NULL, NULL) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    size_t cls[2][WB_TREND__MAX] = {{0}}, grp[2][WB_GROUP__MAX] = {{0}}, tot[2] = {0, 0};
    for (size_t a = 0; a < na; a++) {
        if (res[a].n == 0)
            continue; /* no values at all: not part of either group */
        int s = in_set[a] ? 0 : 1;
        cls[s][res[a].trend]++;
        grp[s][res[a].group]++;
        tot[s]++;
    }
    static const char *const cols[] = {"kind", "class", "n_set", "share_set", "n_rest", "share_rest"};
    static const int num[] = {0, 0, 1, 1, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, 6, cols, num);
    for (int c = 0; c < WB_TREND__MAX; c++) {
        wb_table_cell(t, "trend");
        wb_table_cell(t, wb_trend_class_name((wb_trend_class)c));
        for (int s = 0; s < 2; s++) {
            wb_table_int(t, (long long)cls[s][c]);
            wb_table_num(t, tot[s] ? (double)cls[s][c] / (double)tot[s] : NAN);
        }
    }
    for (int g = 0; g < WB_GROUP__MAX; g++) {
        wb_table_cell(t, "group");
        wb_table_cell(t, wb_trend_group_name((wb_trend_group)g));
        for (int s = 0; s < 2; s++) {
            wb_table_int(t, (long long)grp[s][g]);
            wb_table_num(t, tot[s] ? (double)grp[s][g] / (double)tot[s] : NAN);
        }
    }
    wb_table_end(t);
done:
    free(years);
    free(rows);
    free(res);
    return rc;
}

static int cmd_compare(wb_ctx *ctx, wb_args *a)
{
    long brk, byear, from, to;
    wb_level level;
    wb_format fmt;
    const char *set = wb_arg(a, "set"), *ind = wb_arg(a, "indicator"), *model = wb_arg(a, "model");
    if (!set)
        return wb_cli_usage("compare: --set NAME is required");
    if (!ind == !model)
        return wb_cli_usage("compare: give exactly one of --indicator KEY and --model FILE");
    if (wb_arg_int(a, "break", 0, 1800, 2200, &brk) < 0 || wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        wb_arg_int(a, "from", 0, 1800, 2200, &from) < 0 || wb_arg_int(a, "to", 0, 1800, 2200, &to) < 0 ||
        wb_arg_level(a, "level", 0, &level) < 0 || wb_arg_format(a, &fmt) < 0)
        return 2;
    int periods = wb_arg_has(a, "periods"), tclasses = wb_arg_has(a, "trend-classes");
    double alpha;
    if (periods && !brk)
        return wb_cli_usage("compare: --periods needs --break YEAR");
    if (periods && tclasses)
        return wb_cli_usage("compare: give --periods or --trend-classes, not both");
    if (wb_arg_double(a, "alpha", 0.05, &alpha) < 0)
        return 2;
    if (!(alpha > 0 && alpha < 1))
        return wb_cli_usage("--alpha: expected a number between 0 and 1");
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_area *mem = NULL;
    size_t nmem = 0;
    wb_model *m = NULL;
    wb_panel *p = NULL;
    wb_scorer *sc = NULL;
    wb_scores res = WB_SCORES_INIT;
    double *vals = NULL;
    unsigned char *in_set = NULL;
    long *gm = NULL;
    wb_compare_year *rows = NULL;
    if (wb_store_label_members(st, &mem, &nmem, set) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    if (nmem == 0) {
        fprintf(stderr, "wijkbeeld: label set '%s' has no members\n", set);
        rc = 1;
        goto done;
    }
    /* level and boundary year: those of the members unless given */
    if (level == WB_LEVEL__MAX || !byear) {
        for (size_t i = 1; i < nmem; i++) {
            if ((level == WB_LEVEL__MAX && mem[i].level != mem[0].level) || (!byear && mem[i].year != mem[0].year)) {
                fprintf(stderr, "wijkbeeld: the members of '%s' have different levels or boundary years "
                                "(%s %d, %s %d): give --level and --boundary-year\n", set,
                        wb_level_name(mem[0].level), mem[0].year, wb_level_name(mem[i].level), mem[i].year);
                rc = 2;
                goto done;
            }
        }
        if (level == WB_LEVEL__MAX)
            level = mem[0].level;
        if (!byear)
            byear = mem[0].year;
    }
    const char *const *keys;
    size_t nkeys;
    if (model) {
        if (!(m = wb_cli_model(model, st))) {
            rc = 1;
            goto done;
        }
        keys = wb_model_keys(m);
        nkeys = wb_model_nindicators(m);
    } else {
        keys = &ind;
        nkeys = 1;
    }
    wb_panel_opts po = WB_PANEL_OPTS_INIT;
    po.level = level;
    po.boundary_year = (int)byear;
    po.year_from = (int)from;
    po.year_to = (int)to;
    if (wb_panel_load(&p, st, keys, nkeys, &po) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    size_t na = wb_panel_nareas(p), ny = wb_panel_nyears(p);
    vals = malloc((na * ny > 0 ? na * ny : 1) * sizeof *vals);
    in_set = calloc(na ? na : 1, 1);
    gm = malloc((na ? na : 1) * sizeof *gm);
    if (!vals || !in_set || !gm)
        abort();
    if (m) {
        if (wb_scorer_new(&sc, m, p) < 0 || wb_scorer_run(&res, sc, 0) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
        memcpy(vals, res.score, na * ny * sizeof *vals);
    } else {
        for (size_t t = 0; t < ny; t++)
            memcpy(vals + t * na, wb_panel_ccolumn(p, 0, t), na * sizeof *vals);
    }
    size_t matched = 0;
    for (size_t i = 0; i < nmem; i++) {
        long ai = mem[i].year == (int)byear && mem[i].level == level ? wb_panel_find_area(p, mem[i].code) : -1;
        if (ai >= 0 && !in_set[ai]) {
            in_set[ai] = 1;
            matched++;
        }
    }
    if (matched == 0) {
        fprintf(stderr, "wijkbeeld: no member of '%s' is a %s of boundary year %ld\n", set, wb_level_name(level), byear);
        rc = 1;
        goto done;
    }
    if (matched < nmem && !ctx->quiet)
        fprintf(stderr, "wijkbeeld: %zu of %zu members of '%s' are not %s areas of boundary year %ld: left out\n",
                nmem - matched, nmem, set, wb_level_name(level), byear);
    for (size_t ai = 0; ai < na; ai++)
        gm[ai] = wb_panel_gemeente(p, ai);
    int *years = malloc((ny ? ny : 1) * sizeof *years);
    if (!years)
        abort();
    for (size_t t = 0; t < ny; t++)
        years[t] = wb_panel_year(p, t);
    int error = wb_compare_years(&rows, vals, na, ny, years, in_set, gm, wb_arg_has(a, "balanced"));
    free(years);
    if (error < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    if (tclasses) {
        int direction = 1;
        if (!m) {
            wb_indicator *inds = NULL;
            size_t ninds = 0;
            if (wb_store_indicators(st, &inds, &ninds) == 0)
                for (size_t i = 0; i < ninds; i++)
                    if (!strcmp(inds[i].key, wb_panel_key(p, 0)) && inds[i].direction < 0)
                        direction = -1;
            wb_indicators_free(inds, ninds);
        }
        rc = trend_classes(p, vals, in_set, brk, alpha, !wb_arg_has(a, "no-significance"), direction, fmt);
        goto done;
    }
    if (periods) {
        wb_compare_period per[2];
        if (wb_compare_periods(per, rows, ny, (int)brk) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
        static const char *const cols[] = {"period", "from", "to", "set_change", "gm_change", "rest_change",
                                           "nl_change", "gap_nl_change", "gap_gm_change"};
        static const int num[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
        wb_table *t = wb_table_new(stdout, fmt, 9, cols, num);
        for (int k = 0; k < 2; k++) {
            wb_table_cell(t, k ? "after" : "before");
            wb_table_int(t, per[k].from);
            wb_table_int(t, per[k].to);
            wb_table_num(t, per[k].change[WB_CMP_SET]);
            wb_table_num(t, per[k].change[WB_CMP_GEMEENTEN]);
            wb_table_num(t, per[k].change[WB_CMP_REST]);
            wb_table_num(t, per[k].change[WB_CMP_NATION]);
            wb_table_num(t, per[k].gap_nation_change);
            wb_table_num(t, per[k].gap_gemeenten_change);
        }
        wb_table_end(t);
        goto done;
    }
    static const char *const cols[] = {"year", "n_set", "set_mean", "set_median", "n_gm", "gm_mean",
                                       "gm_median", "n_rest", "rest_mean", "rest_median", "n_nl",
                                       "nl_mean", "nl_median", "gap_nl", "gap_gm", "gap_nl_change",
                                       "gap_gm_change"};
    static const int num[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, 17, cols, num);
    const wb_compare_year *prev = NULL;
    for (size_t i = 0; i < ny; i++) {
        const wb_compare_year *r = &rows[i];
        wb_table_int(t, r->year);
        static const wb_cmp_group order[] = {WB_CMP_SET, WB_CMP_GEMEENTEN, WB_CMP_REST, WB_CMP_NATION};
        for (int g = 0; g < 4; g++) {
            wb_table_int(t, (long long)r->g[order[g]].n);
            wb_table_num(t, r->g[order[g]].mean);
            wb_table_num(t, r->g[order[g]].median);
        }
        wb_table_num(t, r->gap_nation);
        wb_table_num(t, r->gap_gemeenten);
        wb_table_num(t, prev ? r->gap_nation - prev->gap_nation : NAN);
        wb_table_num(t, prev ? r->gap_gemeenten - prev->gap_gemeenten : NAN);
        if (!isnan(r->g[WB_CMP_SET].mean))
            prev = r;
    }
    wb_table_end(t);
done:
    wb_free(rows);
    free(vals);
    free(in_set);
    free(gm);
    wb_scores_dispose(&res);
    wb_scorer_free(sc);
    wb_panel_free(p);
    wb_model_free(m);
    wb_areas_free(mem, nmem);
    wb_store_free(st);
    return rc;
}

static const wb_cmd compare_cmd = {
    "compare", "a labelled set against its gemeenten, the rest and the nation, per year",
    "--set NAME (--indicator KEY | --model FILE) [--break Y [--periods]] [--from Y] [--to Y] [--level L] "
    "[--boundary-year Y] [--balanced] [--trend-classes]",
    compare_opts, cmd_compare, 0, 0};
WB_COMMAND(compare_cmd)
