/** @file @brief Composite scores: 'score' (every area of a level) and 'explain' (one area,
 *  indicator by indicator, beside its gemeente and the nation). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/score_cli.h"

/* ---------------------------------------------------------------- shared helpers */

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static int try_dir(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s.model", dir, name);
    return access(out, R_OK) == 0;
}

/* The directory of the running program, or "" when unknown. */
static void exe_dir(char *out, size_t n)
{
    char buf[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
    out[0] = 0;
    if (len <= 0)
        return;
    buf[len] = 0;
    char *slash = strrchr(buf, '/');
    if (slash) {
        *slash = 0;
        snprintf(out, n, "%s", buf);
    }
}

static int find_model(char *out, size_t n, const char *name, wb_str *tried)
{
    const char *env = getenv("WIJKBEELD_MODELS");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
            wb_str_printf(tried, "%s, ", d);
            if (try_dir(out, n, d, name)) {
                free(copy);
                return 1;
            }
        }
        free(copy);
    }
    char exe[PATH_MAX], dir[PATH_MAX + 64];
    exe_dir(exe, sizeof exe);
    const char *dirs[6] = {"models", NULL, NULL, "/usr/local/share/wijkbeeld/models", "/usr/share/wijkbeeld/models", NULL};
    char src[PATH_MAX + 32], inst[PATH_MAX + 32];
    if (exe[0]) {
        snprintf(src, sizeof src, "%s/../../models", exe);
        snprintf(inst, sizeof inst, "%s/../share/wijkbeeld/models", exe);
        dirs[1] = src;
        dirs[2] = inst;
    }
    for (int i = 0; i < 5; i++) {
        if (!dirs[i])
            continue;
        snprintf(dir, sizeof dir, "%s", dirs[i]);
        wb_str_printf(tried, "%s%s", dir, i < 4 ? ", " : "");
        if (try_dir(out, n, dir, name))
            return 1;
    }
    return 0;
}

int wb_cli_model_find(wb_model **out, const char *arg, wb_store *st)
{
    char path[PATH_MAX + 128];
    *out = NULL;
    if (strchr(arg, '/') || has_suffix(arg, ".model") || access(arg, R_OK) == 0) {
        snprintf(path, sizeof path, "%s", arg);
    } else {
        wb_str tried = WB_STR_INIT;
        int found = find_model(path, sizeof path, arg, &tried);
        if (!found) {
            wb_error_set(WB_ERRCLASS_ARG, "model '%s' not found (looked for %s.model in %s); give the path of a "
                         "model file", arg, arg, wb_str_cstr(&tried));
            wb_str_dispose(&tried);
            return WB_ENOTFOUND;
        }
        wb_str_dispose(&tried);
    }
    wb_model *m = NULL;
    int error = wb_model_load(&m, path);
    if (error == 0)
        error = wb_model_resolve(m, st);
    if (error < 0) {
        wb_model_free(m);
        return error;
    }
    *out = m;
    return 0;
}

wb_model *wb_cli_model(const char *arg, wb_store *st)
{
    wb_model *m = NULL;
    if (wb_cli_model_find(&m, arg, st) < 0) {
        wb_cli_fail();
        return NULL;
    }
    return m;
}

int wb_cli_model_values(wb_value **out, size_t *n, wb_store *st, const char *model, wb_level level,
                        int boundary_year)
{
    *out = NULL;
    *n = 0;
    wb_model *m = NULL;
    wb_panel *p = NULL;
    wb_scorer *sc = NULL;
    wb_scores res = WB_SCORES_INIT;
    int error = wb_cli_model_find(&m, model, st);
    if (error == 0) {
        wb_panel_opts po = WB_PANEL_OPTS_INIT;
        po.level = level;
        po.boundary_year = boundary_year;
        if ((error = wb_panel_load(&p, st, wb_model_keys(m), wb_model_nindicators(m), &po)) == 0 &&
            (error = wb_scorer_new(&sc, m, p)) == 0 && (error = wb_scorer_run(&res, sc, 0)) == 0)
            error = wb_scores_values(out, n, sc, &res);
    }
    wb_scores_dispose(&res);
    wb_scorer_free(sc);
    wb_panel_free(p);
    wb_model_free(m);
    return error;
}

int wb_cli_area_year(wb_store *st, const char *code, int given)
{
    if (given || !code || !*code)
        return given;
    wb_area *a = NULL;
    int year = 0;
    if (wb_store_area_get(st, &a, code, 0) == 0)
        year = a->year;
    else
        wb_error_clear();
    wb_areas_free(a, a ? 1 : 0);
    return year;
}

int wb_cli_within(const wb_panel *p, size_t a, const char *within)
{
    const char *code = wb_panel_code(p, a);
    if (!within || !strcmp(within, "NL00") || !strcmp(code, within))
        return 1;
    if (!strncmp(within, "GM", 2)) {
        long g = wb_panel_gemeente(p, a);
        const wb_panel *up = wb_panel_parents(p);
        return g >= 0 && up && !strcmp(wb_panel_code(up, (size_t)g), within);
    }
    if (!strncmp(within, "WK", 2) && !strncmp(code, "BU", 2))
        return !strncmp(code + 2, within + 2, 6);
    return 0;
}

/* Years of a panel as "2012, 2014, 2016". */
static void years_text(char *buf, size_t n, const wb_panel *p)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t t = 0; t < wb_panel_nyears(p) && used + 8 < n; t++)
        used += (size_t)snprintf(buf + used, n - used, "%s%d", t ? ", " : "", wb_panel_year(p, t));
}

/* ---------------------------------------------------------------- score */

static const wb_optdef score_opts[] = {
    {"model", 1, "model file, or the name of a model in models/ (e.g. lbm, kwb)"},
    {"level", 1, "gemeente, wijk or buurt (required)"},
    {"year", 1, "data year (default: every year with data)"},
    {"in", 1, "only list areas within this area code (the reference stays the whole level)"},
    {"boundary-year", 1, "boundary year of the areas (default: that of --in, else the latest with data)"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static int cmd_score(wb_ctx *ctx, wb_args *a)
{
    wb_level level;
    long year, byear;
    wb_format fmt;
    if (!wb_arg_has(a, "model"))
        return wb_cli_usage("score: --model FILE|NAME is required");
    if (wb_arg_level(a, "level", 1, &level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 || wb_arg_format(a, &fmt) < 0)
        return 2;
    char within[WB_CODE_MAX] = "";
    const char *in = wb_arg(a, "in");
    if (in && wb_code_normalize(within, NULL, in, strlen(in), WB_LEVEL__MAX) < 0)
        return wb_cli_usage("--in: %s", wb_error_last()->message);
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_model *m = NULL;
    wb_panel *p = NULL;
    wb_scorer *sc = NULL;
    wb_scores res = WB_SCORES_INIT;
    const char **cols = NULL;
    int *num = NULL;
    if (!(m = wb_cli_model(wb_arg(a, "model"), st))) {
        rc = 1;
        goto done;
    }
    wb_panel_opts po = WB_PANEL_OPTS_INIT;
    po.level = level;
    po.boundary_year = wb_cli_area_year(st, within, (int)byear);
    if (wb_panel_load(&p, st, wb_model_keys(m), wb_model_nindicators(m), &po) < 0 ||
        wb_scorer_new(&sc, m, p) < 0 || wb_scorer_run(&res, sc, 0) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    long only_t = -1;
    if (year) {
        only_t = wb_panel_find_year(p, (int)year);
        if (only_t < 0) {
            char yt[256];
            years_text(yt, sizeof yt, p);
            fprintf(stderr, "wijkbeeld: no values of model %s for %s areas in %ld (years with values: %s)\n",
                    wb_model_name(m), wb_level_name(level), year, yt);
            rc = 1;
            goto done;
        }
    }
    size_t nd = wb_model_ndims(m), ncols = 6 + nd;
    cols = calloc(ncols, sizeof *cols);
    num = calloc(ncols, sizeof *num);
    if (!cols || !num)
        abort();
    cols[0] = "code";
    cols[1] = "year";
    cols[2] = "score";
    for (size_t d = 0; d < nd; d++)
        cols[3 + d] = wb_model_dim_key(m, d);
    cols[3 + nd] = "class";
    cols[4 + nd] = "label";
    cols[5 + nd] = "coverage";
    for (size_t c = 1; c < ncols; c++)
        num[c] = c != 4 + nd;
    wb_table *t = wb_table_new(stdout, fmt, ncols, cols, num);
    size_t na = res.nareas;
    for (size_t ti = 0; ti < res.nyears; ti++) {
        if (only_t >= 0 && ti != (size_t)only_t)
            continue;
        for (size_t ai = 0; ai < na; ai++) {
            if (within[0] && !wb_cli_within(p, ai, within))
                continue;
            size_t ix = ti * na + ai;
            wb_table_cell(t, wb_panel_code(p, ai));
            wb_table_int(t, wb_panel_year(p, ti));
            wb_table_num(t, res.score[ix]);
            for (size_t d = 0; d < nd; d++)
                wb_table_num(t, res.dims[(ti * nd + d) * na + ai]);
            int k = res.klass[ix];
            if (k)
                wb_table_int(t, k);
            else
                wb_table_cell(t, NULL);
            wb_table_cell(t, wb_class_label(k));
            wb_table_cellf(t, "%.4g", res.coverage[ix]);
        }
    }
    wb_table_end(t);
done:
    free(cols);
    free(num);
    wb_scores_dispose(&res);
    wb_scorer_free(sc);
    wb_panel_free(p);
    wb_model_free(m);
    wb_store_free(st);
    return rc;
}

static const wb_cmd score_cmd = {
    "score", "composite livability score per area (columns code,year,score,<dimensions>,class,label,coverage)",
    "--model FILE|NAME --level L [--year Y] [--in CODE] [--boundary-year Y]", score_opts, cmd_score, 0, 0};
WB_COMMAND(score_cmd)

/* ---------------------------------------------------------------- explain */

static const wb_optdef explain_opts[] = {
    {"model", 1, "model file, or the name of a model in models/ (required)"},
    {"year", 1, "data year (default: the latest year with values for the area)"},
    {"boundary-year", 1, "boundary year of the area (default: its latest)"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

typedef enum { SRC_NONE, SRC_STORED, SRC_WEIGHTED, SRC_MEAN } src_kind;
static const char *const src_names[] = {"", "stored", "a_inw-weighted mean", "mean"};

/* The value of panel key k in year t for a comparison area: the value stored for it (index
 * `up_ix` in the parents panel), else the mean over the member areas (gemeente g, or all when
 * g < 0), weighted by inhabitants (key `pop`) when every area with a value has them. */
static double group_value(const wb_panel *p, size_t k, size_t t, long up_ix, long g, long pop, src_kind *src,
                          size_t *nused)
{
    const wb_panel *up = wb_panel_parents(p);
    *nused = 0;
    if (up && up_ix >= 0) {
        double v = wb_panel_get(up, (size_t)up_ix, t, k);
        if (!isnan(v)) {
            *src = SRC_STORED;
            return v;
        }
    }
    double sum = 0, wsum = 0, usum = 0;
    size_t n = 0;
    int all_w = pop >= 0;
    for (size_t a = 0; a < wb_panel_nareas(p); a++) {
        if (g >= 0 && wb_panel_gemeente(p, a) != g)
            continue;
        double v = wb_panel_get(p, a, t, k);
        if (isnan(v))
            continue;
        n++;
        usum += v;
        double w = pop >= 0 ? wb_panel_get(p, a, t, (size_t)pop) : NAN;
        if (isnan(w) || w < 0)
            all_w = 0;
        else {
            sum += w * v;
            wsum += w;
        }
    }
    *nused = n;
    if (n == 0) {
        *src = SRC_NONE;
        return NAN;
    }
    if (all_w && wsum > 0) {
        *src = SRC_WEIGHTED;
        return sum / wsum;
    }
    *src = SRC_MEAN;
    return usum / (double)n;
}

/* How the comparison values were obtained, in words. */
static const char *source_text(const src_kind *src, size_t ni, size_t nareas, wb_level level, const char *whose)
{
    static char buf[256];
    int stored = 0, weighted = 0, mean = 0;
    for (size_t i = 0; i < ni; i++) {
        stored += src[i] == SRC_STORED;
        weighted += src[i] == SRC_WEIGHTED;
        mean += src[i] == SRC_MEAN;
    }
    if (stored == (int)ni) {
        snprintf(buf, sizeof buf, "the values stored for it");
        return buf;
    }
    snprintf(buf, sizeof buf, "%s%s %s of %s %zu %s areas with a value%s", stored ? "stored values, else " : "",
             weighted ? "the inhabitant-weighted (a_inw)" : "the", weighted && mean ? "or plain mean" : "mean", whose, nareas,
             wb_level_name(level), stored + weighted + mean < (int)ni ? " (none for some indicators)" : "");
    return buf;
}

static void row(wb_table *t, const char *part, const char *dim, const char *ind, const char *dir, double w,
                const wb_explain_line *l[3], const char *src[2], int is_dim)
{
    wb_table_cell(t, part);
    wb_table_cell(t, dim);
    wb_table_cell(t, ind);
    wb_table_cell(t, dir);
    wb_table_num(t, w);
    for (int e = 0; e < 3; e++) {
        wb_table_num(t, l[e] ? l[e]->raw : NAN);
        wb_table_num(t, l[e] && !is_dim ? l[e]->std : NAN);
        wb_table_num(t, l[e] ? l[e]->contribution : NAN);
    }
    wb_table_cell(t, src[0]);
    wb_table_cell(t, src[1]);
}

static int cmd_explain(wb_ctx *ctx, wb_args *a)
{
    long year, byear;
    wb_format fmt;
    if (!wb_arg_has(a, "model"))
        return wb_cli_usage("explain: --model FILE|NAME is required");
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        wb_arg_format(a, &fmt) < 0)
        return 2;
    char code[WB_CODE_MAX];
    wb_level level;
    if (wb_code_normalize(code, &level, a->pos[0], strlen(a->pos[0]), WB_LEVEL__MAX) < 0)
        return wb_cli_usage("%s", wb_error_last()->message);
    if (level == WB_LEVEL_LAND)
        return wb_cli_usage("explain: give a gemeente, wijk or buurt code, not %s", code);
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_model *m = NULL;
    wb_panel *p = NULL;
    wb_scorer *sc = NULL;
    wb_explain ex[3] = {WB_EXPLAIN_INIT, WB_EXPLAIN_INIT, WB_EXPLAIN_INIT};
    const char **keys = NULL;
    double *raw[3] = {NULL, NULL, NULL};
    src_kind *srcs[2] = {NULL, NULL};
    if (!(m = wb_cli_model(wb_arg(a, "model"), st))) {
        rc = 1;
        goto done;
    }
    size_t ni = wb_model_nindicators(m), nk = ni;
    keys = calloc(ni + 1, sizeof *keys);
    for (int e = 0; e < 3; e++)
        raw[e] = calloc(ni ? ni : 1, sizeof(double));
    srcs[0] = calloc(ni ? ni : 1, sizeof(src_kind));
    srcs[1] = calloc(ni ? ni : 1, sizeof(src_kind));
    if (!keys || !raw[0] || !raw[1] || !raw[2] || !srcs[0] || !srcs[1])
        abort();
    memcpy(keys, wb_model_keys(m), ni * sizeof *keys);
    /* inhabitants weight the municipal and national means, when the catalogue has them */
    char popkey[64];
    if (wb_store_indicator_resolve(st, NULL, popkey, "a_inw") == 0) {
        int dup = 0;
        for (size_t i = 0; i < ni; i++)
            dup |= !strcasecmp(keys[i], popkey);
        if (!dup)
            keys[nk++] = popkey;
    }
    wb_error_clear();
    wb_panel_opts po = WB_PANEL_OPTS_INIT;
    po.level = level;
    po.boundary_year = wb_cli_area_year(st, code, (int)byear);
    if (wb_panel_load(&p, st, keys, nk, &po) < 0 || wb_scorer_new(&sc, m, p) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    long ai = wb_panel_find_area(p, code);
    if (ai < 0) {
        fprintf(stderr, "wijkbeeld: %s is not a %s of boundary year %d (give --boundary-year)\n", code,
                wb_level_name(level), wb_panel_boundary_year(p));
        rc = 1;
        goto done;
    }
    long ti = -1;
    if (year) {
        ti = wb_panel_find_year(p, (int)year);
    } else {
        for (size_t t = 0; t < wb_panel_nyears(p); t++) {
            wb_scorer_profile(sc, raw[0], (size_t)ai, t);
            for (size_t i = 0; i < ni; i++)
                if (!isnan(raw[0][i]))
                    ti = (long)t;
        }
    }
    if (ti < 0) {
        char yt[256];
        years_text(yt, sizeof yt, p);
        char yb[32] = "any year";
        if (year)
            snprintf(yb, sizeof yb, "%ld", year);
        fprintf(stderr, "wijkbeeld: no values of model %s for %s in %s (years with values: %s)\n", wb_model_name(m),
                code, yb, yt);
        rc = 1;
        goto done;
    }
    int y = wb_panel_year(p, (size_t)ti);
    long pop = wb_panel_find_key(p, "a_inw");
    const wb_panel *up = wb_panel_parents(p);
    long g = wb_panel_gemeente(p, (size_t)ai);
    long nl = up ? wb_panel_find_area(up, "NL00") : -1;
    size_t n_gm = 0, n_nl = 0;
    wb_scorer_profile(sc, raw[0], (size_t)ai, (size_t)ti);
    for (size_t i = 0; i < ni; i++) {
        long k = wb_panel_find_key(p, wb_model_indicator_at(m, i)->key);
        size_t nu;
        raw[1][i] = g >= 0 ? group_value(p, (size_t)k, (size_t)ti, g, g, pop, &srcs[0][i], &nu) : NAN;
        if (nu > n_gm)
            n_gm = nu;
        raw[2][i] = group_value(p, (size_t)k, (size_t)ti, nl, -1, pop, &srcs[1][i], &nu);
        if (nu > n_nl)
            n_nl = nu;
    }
    for (int e = 0; e < 3; e++)
        if (wb_scorer_explain(&ex[e], sc, raw[e], y) < 0) {
            rc = wb_cli_fail();
            goto done;
        }
    if (fmt == WB_FMT_TABLE) {
        const char *nm = wb_panel_name(p, (size_t)ai);
        printf("%s%s%s (%s, boundaries %d): model %s, %d\n", code, nm ? " " : "", nm ? nm : "", wb_level_name(level),
               wb_panel_boundary_year(p), wb_model_name(m), y);
        char sbuf[64];
        wb_fmt_double(sbuf, sizeof sbuf, ex[0].score);
        printf("score %s%s", sbuf[0] ? sbuf : "(none)", ex[0].klass ? "" : "\n");
        if (ex[0].klass)
            printf(", class %d %s\n", ex[0].klass, wb_class_label(ex[0].klass));
        printf("coverage %.0f%% of %zu indicators\n", 100 * ex[0].coverage, ni);
        if (g >= 0) {
            const char *gn = wb_panel_name(up, (size_t)g);
            printf("gemeente %s%s%s: %s\n", wb_panel_code(up, (size_t)g), gn ? " " : "", gn ? gn : "",
                   source_text(srcs[0], ni, n_gm, level, "its"));
        }
        printf("nation: %s\n", source_text(srcs[1], ni, n_nl, level, "all"));
        if (!ex[0].additive)
            printf("transform rank_exp: indicator contributions add up to their dimension's score before the "
                   "exponential transformation; dimension contributions add up to the score\n");
        for (size_t i = 0; wb_model_transform(m) != WB_TRANSFORM_NONE && i < ni; i++) {
            if (wb_scorer_ref_year(sc, i) == 0)
                printf("note: %s has no reference values in any year: it counts as missing\n",
                       wb_model_indicator_at(m, i)->key);
            else if (wb_scorer_ref_year(sc, i) != wb_model_base_year(m))
                printf("note: %s is standardised against %d (no reference values in base year %d)\n",
                       wb_model_indicator_at(m, i)->key, wb_scorer_ref_year(sc, i), wb_model_base_year(m));
        }
        printf("\n");
    }
    static const char *const cols[] = {"part", "dimension", "indicator", "direction", "weight",
                                       "value", "std", "contribution", "gm_value", "gm_std",
                                       "gm_contribution", "nl_value", "nl_std", "nl_contribution",
                                       "gm_source", "nl_source"};
    static const int num[] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    wb_table *t = wb_table_new(stdout, fmt, 16, cols, num);
    for (size_t d = 0; d < wb_model_ndims(m); d++) {
        for (size_t i = 0; i < ni; i++) {
            const wb_model_indicator *mi = wb_model_indicator_at(m, i);
            if (mi->dim != d)
                continue;
            const wb_explain_line *l[3] = {&ex[0].ind[i], &ex[1].ind[i], &ex[2].ind[i]};
            const char *src[2] = {src_names[srcs[0][i]], src_names[srcs[1][i]]};
            row(t, "indicator", wb_model_dim_key(m, d), mi->key, mi->direction > 0 ? "+" : "-", mi->weight, l, src, 0);
        }
        const wb_explain_line *l[3] = {&ex[0].dims[d], &ex[1].dims[d], &ex[2].dims[d]};
        const char *src[2] = {NULL, NULL};
        row(t, "dimension", wb_model_dim_key(m, d), NULL, NULL, wb_model_dim_weight(m, d), l, src, 1);
    }
    wb_explain_line sl[3], kl[3], cl[3];
    for (int e = 0; e < 3; e++) {
        sl[e] = (wb_explain_line){ex[e].score, NAN, NAN, ex[e].score};
        kl[e] = (wb_explain_line){ex[e].klass ? (double)ex[e].klass : NAN, NAN, NAN, NAN};
        cl[e] = (wb_explain_line){ex[e].coverage, NAN, NAN, NAN};
    }
    const char *nosrc[2] = {NULL, NULL};
    const wb_explain_line *ls[3] = {&sl[0], &sl[1], &sl[2]};
    row(t, "score", NULL, NULL, NULL, NAN, ls, nosrc, 1);
    const wb_explain_line *lk[3] = {&kl[0], &kl[1], &kl[2]};
    row(t, "class", NULL, wb_class_label(ex[0].klass), NULL, NAN, lk, nosrc, 1);
    const wb_explain_line *lc[3] = {&cl[0], &cl[1], &cl[2]};
    row(t, "coverage", NULL, NULL, NULL, NAN, lc, nosrc, 1);
    wb_table_end(t);
done:
    for (int e = 0; e < 3; e++) {
        wb_explain_dispose(&ex[e]);
        free(raw[e]);
    }
    free(srcs[0]);
    free(srcs[1]);
    free(keys);
    wb_scorer_free(sc);
    wb_panel_free(p);
    wb_model_free(m);
    wb_store_free(st);
    return rc;
}

static const wb_cmd explain_cmd = {
    "explain", "the contribution of every indicator and dimension to an area's score, beside its gemeente and the nation",
    "CODE --model FILE|NAME [--year Y] [--boundary-year Y]", explain_opts, cmd_explain, 1, 1};
WB_COMMAND(explain_cmd)
