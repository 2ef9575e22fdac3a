/**
 * @file
 * @brief `wijkbeeld trend`: Mann-Kendall, Theil-Sen, hinge model and classes per area for one
 * indicator over the data years in the store.
 *
 * Series are built from wb_store_values for the areas of one level on ONE boundary year: an
 * area code is never joined across boundary years (the same code can mean another area in
 * another year). When the stored data years come on several boundary years, --boundary-year
 * is required.
 *
 * --model FILE|NAME gives the trends of a composite score (see model_series()).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/score_cli.h"

static const wb_optdef trend_opts[] = {
    {"indicator", 1, "indicator key or alias"},
    {"model", 1, "score model file, or the name of a model in models/ (e.g. lbm)"},
    {"level", 1, "gemeente, wijk or buurt (required)"},
    {"in", 1, "only list areas within this area code (the reference still uses all areas)"},
    {"boundary-year", 1, "year of the area boundaries (required when the data use several)"},
    {"from", 1, "first data year to use"},
    {"to", 1, "last data year to use"},
    {"break", 1, "break year (e.g. 2012), 'auto' to estimate it, or 'none' (default)"},
    {"alpha", 1, "significance level of the classes (default 0.05)"},
    {"seed", 1, "seed of the sup-F simulation (default 1)"},
    {"draws", 1, "sup-F simulation draws (default 999; 0 = Davies bound only)"},
    {"min-side", 1, "--break auto: points on each side of a candidate break (default 3)"},
    {"exact-max", 1, "exact Mann-Kendall p up to this many points (default 10, at most 18)"},
    {"rule", 1, "class rule: hinge (slope after the break, default) or sen"},
    {"min-slope", 1, "smallest |slope| per year that counts as change (default 0)"},
    {"no-significance", 0, "classes by sign and size of the slope only, without p < alpha"},
    {"direction", 1, "higher-better or higher-worse (default: from the indicator catalogue)"},
    {"reference", 1, "level reference (default: median of the last values of all areas)"},
    {"scale", 1, "level scale (default: standard deviation of those values)"},
    {"good-z", 1, "success / slow recovery boundary in scale units (default 0)"},
    {"fair-z", 1, "lower edge of early warning in scale units (default -1)"},
    {"threads", 1, "threads (default: number of CPUs)"},
    {"format", 1, "csv (default when not a terminal), json or table"},
    {NULL, 0, NULL}};

/* ---- --model: trends of a composite score ----
 * The model is evaluated for every data year on the chosen boundary year (wb_cli_model_values,
 * src/cli/cmd_score.c) and its scores come back as wb_value rows, exactly as wb_store_values
 * gives them for an indicator; the rest of this command is unchanged. Scores are higher-is-
 * better by construction. */
static int model_series(wb_store *st, const char *model, wb_level level, int boundary_year, wb_value **out,
                        size_t *n)
{
    return wb_cli_model_values(out, n, st, model, level, boundary_year);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* rows sorted by code, then data year */
static const wb_value *sort_base;
static int cmp_row(const void *a, const void *b)
{
    const wb_value *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
    int c = strcmp(x->code, y->code);
    return c ? c : (x->year > y->year) - (x->year < y->year);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp((const char *)a, *(const char *const *)b);
}

static int cmp_codep(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A number cell; infinities (an exact fit) are written as missing so JSON stays valid. */
static void num(wb_table *t, double v)
{
    wb_table_num(t, isfinite(v) ? v : NAN);
}

static int parse_break(const char *s, wb_trend_opts *o)
{
    if (!s || !strcmp(s, "none")) {
        o->break_mode = WB_BREAK_NONE;
        return 0;
    }
    if (!strcmp(s, "auto")) {
        o->break_mode = WB_BREAK_ESTIMATE;
        return 0;
    }
    char *end;
    long y = strtol(s, &end, 10);
    if (end == s || *end || y < 1800 || y > 2200) {
        wb_cli_usage("--break: expected a year, 'auto' or 'none', got '%s'", s);
        return -1;
    }
    o->break_mode = WB_BREAK_FIXED;
    o->break_year = (double)y;
    return 0;
}

static int cmd_trend(wb_ctx *ctx, wb_args *a)
{
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    wb_level level;
    long byear, from, to, seed, draws, min_side, exact_max, threads;
    wb_format fmt;
    const char *ind = wb_arg(a, "indicator"), *model = wb_arg(a, "model");
    if (!ind == !model)
        return wb_cli_usage("trend: give exactly one of --indicator KEY or --model FILE");
    if (wb_arg_level(a, "level", 1, &level) < 0 ||
        wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        wb_arg_int(a, "from", 0, 1800, 2200, &from) < 0 ||
        wb_arg_int(a, "to", 9999, 1800, 9999, &to) < 0 ||
        wb_arg_int(a, "seed", 1, 0, 0x7fffffffL, &seed) < 0 ||
        wb_arg_int(a, "draws", 999, 0, 1000000, &draws) < 0 ||
        wb_arg_int(a, "min-side", 3, 2, 32, &min_side) < 0 ||
        wb_arg_int(a, "exact-max", 10, 0, WB_MK_EXACT_NMAX, &exact_max) < 0 ||
        wb_arg_int(a, "threads", 0, 0, 16, &threads) < 0 ||
        wb_arg_double(a, "alpha", 0.05, &o.alpha) < 0 ||
        wb_arg_double(a, "min-slope", 0, &o.min_slope) < 0 ||
        wb_arg_double(a, "reference", NAN, &o.reference) < 0 ||
        wb_arg_double(a, "scale", NAN, &o.scale) < 0 ||
        wb_arg_double(a, "good-z", 0, &o.good_z) < 0 ||
        wb_arg_double(a, "fair-z", -1, &o.fair_z) < 0 || wb_arg_format(a, &fmt) < 0 ||
        parse_break(wb_arg(a, "break"), &o) < 0)
        return 2;
    if (!wb_arg_has(a, "from"))
        from = 0;
    if (from > to)
        return wb_cli_usage("trend: --from %ld is after --to %ld", from, to);
    if (!(o.alpha > 0 && o.alpha < 1))
        return wb_cli_usage("--alpha: expected a number between 0 and 1, got '%s'", wb_arg(a, "alpha"));
    if (o.min_slope < 0)
        return wb_cli_usage("--min-slope: expected a number >= 0");
    if (wb_arg_has(a, "scale") && !(o.scale > 0))
        return wb_cli_usage("--scale: expected a number > 0");
    if (o.fair_z > o.good_z)
        return wb_cli_usage("--fair-z must not be above --good-z");
    const char *rule = wb_arg(a, "rule");
    if (rule && !strcmp(rule, "sen"))
        o.rule = WB_TREND_RULE_SEN;
    else if (rule && strcmp(rule, "hinge"))
        return wb_cli_usage("--rule: expected hinge or sen, got '%s'", rule);
    const char *dir = wb_arg(a, "direction");
    if (dir && strcmp(dir, "higher-better") && strcmp(dir, "higher-worse"))
        return wb_cli_usage("--direction: expected higher-better or higher-worse, got '%s'", dir);
    o.seed = (uint64_t)seed;
    o.draws = (int)draws;
    o.min_side = (int)min_side;
    o.exact_max = (int)exact_max;
    o.nthreads = (int)threads;
    o.require_significance = !wb_arg_has(a, "no-significance");

    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_value *v = NULL;
    size_t nv = 0, *order = NULL, nser = 0;
    wb_area *inareas = NULL;
    size_t nin = 0;
    const char **incodes = NULL;
    double *mat = NULL;
    wb_trend_result *res = NULL;
    const char **codes = NULL;
    wb_indicator *inds = NULL;
    size_t ninds = 0;
    char key[64] = "";

    if (model) {
        o.direction = 1;
        if (model_series(st, model, level, (int)byear, &v, &nv) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
    } else {
        if (wb_store_indicator_resolve(st, NULL, key, ind) < 0 || wb_store_indicators(st, &inds, &ninds) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
        int direction = 0;
        for (size_t i = 0; i < ninds; i++)
            if (!strcmp(inds[i].key, key))
                direction = inds[i].direction;
        /* neutral indicators: higher is taken as better (say so with --direction) */
        o.direction = direction < 0 ? -1 : 1;
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = key;
        q.level = level;
        q.boundary_year = (int)byear;
        if (wb_store_values(st, &v, &nv, NULL, &q) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
    }
    if (dir)
        o.direction = !strcmp(dir, "higher-worse") ? -1 : 1;

    /* one boundary year only */
    int bys[64], nby = 0;
    for (size_t i = 0; i < nv; i++) {
        int seen = 0;
        for (int k = 0; k < nby; k++)
            seen |= bys[k] == v[i].boundary_year;
        if (!seen && nby < 64)
            bys[nby++] = v[i].boundary_year;
    }
    if (nby > 1) {
        qsort(bys, (size_t)nby, sizeof *bys, cmp_int);
        wb_str s = WB_STR_INIT;
        for (int k = 0; k < nby; k++)
            wb_str_printf(&s, "%s%d", k ? ", " : "", bys[k]);
        rc = wb_cli_usage("trend: the %s values of %s areas come on %d boundary years (%s); "
                          "choose one with --boundary-year (codes are never joined across "
                          "boundary years)",
                          model ? model : key, wb_level_name(level), nby, wb_str_cstr(&s));
        wb_str_dispose(&s);
        goto done;
    }
    if (nby == 0) {
        wb_error_set(WB_ERRCLASS_ARG, "trend: no %s values for %s areas%s", model ? model : key,
                     wb_level_name(level), byear ? " on that boundary year" : "");
        rc = wb_cli_fail();
        goto done;
    }
    int boundary = bys[0];

    /* the year axis */
    int years_i[WB_TREND_MAX_YEARS], ny = 0;
    for (size_t i = 0; i < nv; i++) {
        int y = v[i].year, seen = 0;
        if (y < from || y > to)
            continue;
        for (int k = 0; k < ny && !seen; k++)
            seen = years_i[k] == y;
        if (!seen) {
            if (ny == WB_TREND_MAX_YEARS) {
                wb_error_set(WB_ERRCLASS_ARG, "trend: more than %d data years; narrow them with --from/--to",
                             WB_TREND_MAX_YEARS);
                rc = wb_cli_fail();
                goto done;
            }
            years_i[ny++] = y;
        }
    }
    if (ny == 0) {
        wb_error_set(WB_ERRCLASS_ARG, "trend: no data years between %ld and %ld", from, to);
        rc = wb_cli_fail();
        goto done;
    }
    qsort(years_i, (size_t)ny, sizeof *years_i, cmp_int);
    double years[WB_TREND_MAX_YEARS];
    for (int k = 0; k < ny; k++)
        years[k] = years_i[k];

    /* the series matrix: one row per code (sorted), NaN where a year is missing */
    order = malloc((nv ? nv : 1) * sizeof *order);
    codes = malloc((nv ? nv : 1) * sizeof *codes);
    if (!order || !codes) {
        wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory");
        rc = wb_cli_fail();
        goto done;
    }
    for (size_t i = 0; i < nv; i++)
        order[i] = i;
    sort_base = v;
    qsort(order, nv, sizeof *order, cmp_row);
    for (size_t i = 0; i < nv; i++)
        if (i == 0 || strcmp(v[order[i]].code, v[order[i - 1]].code))
            codes[nser++] = v[order[i]].code;
    mat = malloc((nser ? nser : 1) * (size_t)ny * sizeof *mat);
    res = malloc((nser ? nser : 1) * sizeof *res);
    if (!mat || !res) {
        wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory");
        rc = wb_cli_fail();
        goto done;
    }
    for (size_t i = 0; i < nser * (size_t)ny; i++)
        mat[i] = NAN;
    for (size_t i = 0, r = 0; i < nv; i++) {
        const wb_value *x = &v[order[i]];
        if (i > 0 && strcmp(x->code, v[order[i - 1]].code))
            r++;
        int *k = bsearch(&x->year, years_i, (size_t)ny, sizeof *years_i, cmp_int);
        if (k)
            mat[r * (size_t)ny + (size_t)(k - years_i)] = x->value;
    }

    wb_trend_summary sum;
    if (wb_trend_batch(res, &sum, years, (size_t)ny, mat, nser, &o, wb_cli_progress, ctx) < 0) {
        rc = wb_cli_fail();
        goto done;
    }

    /* --in: list only areas within that code (on the same boundary year) */
    const char *in = wb_arg(a, "in");
    if (in) {
        wb_area_query aq = WB_AREA_QUERY_INIT;
        aq.level = level;
        aq.year = boundary;
        aq.within = in;
        if (wb_store_areas(st, &inareas, &nin, &aq) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
        incodes = malloc((nin ? nin : 1) * sizeof *incodes);
        if (!incodes) {
            wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory");
            rc = wb_cli_fail();
            goto done;
        }
        for (size_t i = 0; i < nin; i++)
            incodes[i] = inareas[i].code;
        qsort(incodes, nin, sizeof *incodes, cmp_codep);
    }

    static const char *const cols[] = {
        "code",        "n",           "first_year", "last_year", "mk_s",     "mk_tau",
        "mk_p",        "sen_slope",   "slope_before", "slope_after", "trend", "group",
        "mk_var",      "mk_exact",    "sen_lo",     "sen_hi",    "break_year", "se_before",
        "se_after",    "p_after",     "p_change",   "supf",      "supf_p",   "davies_p",
        "level",       "level_z",     "boundary_year"};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    static const int numeric[NCOLS] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1,
                                       1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, NCOLS, cols, numeric);
    size_t shown = 0;
    for (size_t r = 0; r < nser; r++) {
        if (in && !bsearch(codes[r], incodes, nin, sizeof *incodes, cmp_code))
            continue;
        const wb_trend_result *x = &res[r];
        shown++;
        wb_table_cell(t, codes[r]);
        wb_table_int(t, x->n);
        wb_table_int(t, x->first_year);
        wb_table_int(t, x->last_year);
        wb_table_int(t, x->mk.s);
        num(t, x->mk.tau);
        num(t, x->mk.p);
        num(t, x->sen.slope);
        num(t, x->hinge.slope_before);
        num(t, x->hinge.slope_after);
        wb_table_cell(t, wb_trend_class_name(x->trend));
        wb_table_cell(t, wb_trend_group_name(x->group));
        num(t, x->mk.var_s);
        wb_table_int(t, x->mk.exact);
        num(t, x->sen.lo);
        num(t, x->sen.hi);
        num(t, x->break_year);
        num(t, x->hinge.se_before);
        num(t, x->hinge.se_after);
        num(t, x->hinge.p_after);
        num(t, x->hinge.p_c);
        num(t, x->supf);
        num(t, x->supf_p);
        num(t, x->davies_p);
        num(t, x->level);
        num(t, x->level_z);
        wb_table_int(t, boundary);
    }
    wb_table_end(t);
    if (!ctx->quiet && fmt != WB_FMT_JSON)
        fprintf(stderr,
                "wijkbeeld: trend of %s: %zu areas (%zu listed), data years %d-%d (%d), boundary "
                "year %d; level reference %.6g, scale %.6g; %zu improving, %zu stagnating, %zu "
                "declining, %zu unknown\n",
                model ? model : key, nser, shown, years_i[0], years_i[ny - 1], ny, boundary,
                sum.reference, sum.scale, sum.count[WB_TREND_IMPROVING],
                sum.count[WB_TREND_STAGNATING], sum.count[WB_TREND_DECLINING],
                sum.count[WB_TREND_UNKNOWN]);
done:
    free(order);
    free(codes);
    free(mat);
    free(res);
    free(incodes);
    wb_areas_free(inareas, nin);
    wb_indicators_free(inds, ninds);
    wb_free(v);
    wb_store_free(st);
    return rc;
}

static const wb_cmd trend_cmd = {
    "trend",
    "trends per area: Mann-Kendall, Theil-Sen, hinge model, classes and RIGO groups "
    "(columns code,n,first_year,last_year,mk_s,mk_tau,mk_p,sen_slope,slope_before,slope_after,"
    "trend,group,...)",
    "--indicator KEY --level L [--break 2012|auto] [--boundary-year Y] [--from Y --to Y]",
    trend_opts,
    cmd_trend,
    0,
    0};
WB_COMMAND(trend_cmd)
