/** @file @brief Spatial commands: weights, moran, lisa, getis. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* ---------------------------------------------------------------- shared options */

#define WEIGHT_OPTS WB_CLI_WEIGHT_OPTS

int wb_cli_weights(const wb_args *a, const char *type_opt, wb_weights_opts *o)
{
    wb_weights_opts d = WB_WEIGHTS_OPTS_INIT;
    *o = d;
    const char *t = wb_arg(a, type_opt);
    if (t && wb_weights_type_parse(&o->type, t) < 0) {
        wb_cli_usage("--%s: %s", type_opt, wb_error_last()->message);
        return -1;
    }
    const char *s = wb_arg(a, "style");
    if (s && wb_weights_style_parse(&o->style, s) < 0) {
        wb_cli_usage("--style: %s", wb_error_last()->message);
        return -1;
    }
    long k;
    if (wb_arg_int(a, "k", 4, 1, 100000, &k) < 0 || wb_arg_double(a, "snap", o->snap, &o->snap) < 0)
        return -1;
    o->k = (unsigned)k;
    if (o->snap < 0) {
        wb_cli_usage("--snap: expected a distance >= 0 in metres, got %g", o->snap);
        return -1;
    }
    if (wb_arg_has(a, "k") && o->type != WB_WEIGHTS_KNN) {
        wb_cli_usage("--k only applies to --%s knn", type_opt);
        return -1;
    }
    const char *band = wb_arg(a, "band");
    if (o->type == WB_WEIGHTS_DISTANCE) {
        if (!band) {
            wb_cli_usage("--%s distance needs --band UPPER or --band LOWER,UPPER (metres)", type_opt);
            return -1;
        }
        char *end;
        double v1 = strtod(band, &end), v2;
        if (end != band && *end == ',') {
            const char *p2 = end + 1;
            v2 = strtod(p2, &end);
            if (end == p2)
                v2 = NAN;
        } else {
            v2 = v1;
            v1 = 0;
        }
        if (*end || !isfinite(v1) || !isfinite(v2) || v1 < 0 || v2 <= 0 || v1 > v2) {
            wb_cli_usage("--band: expected UPPER or LOWER,UPPER in metres with 0 <= LOWER <= UPPER, got '%s'",
                         band);
            return -1;
        }
        o->lower = v1;
        o->upper = v2;
        o->lower_exclusive = wb_arg_has(a, "band-lower-exclusive");
    } else if (band) {
        wb_cli_usage("--band only applies to --%s distance", type_opt);
        return -1;
    }
    return 0;
}

void wb_cli_weights_desc(char *buf, size_t n, const wb_weights_opts *o)
{
    const char *style = o->style == WB_STYLE_W ? "W" : "B";
    switch (o->type) {
    case WB_WEIGHTS_KNN:
        snprintf(buf, n, "knn k=%u style %s", o->k, style);
        break;
    case WB_WEIGHTS_DISTANCE:
        snprintf(buf, n, "distance %g %s d <= %g m style %s", o->lower, o->lower_exclusive ? "<" : "<=",
                 o->upper, style);
        break;
    default:
        snprintf(buf, n, "%s snap %g m style %s", wb_weights_type_name(o->type), o->snap, style);
    }
}

/* ---------------------------------------------------------------- weights */

static const wb_optdef weights_opts[] = {
    {"level", 1, "gemeente, wijk, buurt or other (required)"},
    {"year", 1, "boundary year (required)"},
    {"type", 1, "queen (default), rook, knn or distance"},
    WEIGHT_OPTS,
    {"format", 1, "table (summary), csv (code,neighbour,weight), gal, gwt or json"},
    {NULL, 0, NULL}};

typedef enum { WF_TABLE, WF_CSV, WF_JSON, WF_GAL, WF_GWT } wformat;

static void summary_line(FILE *f, const wb_weights_opts *o, const wb_layer *l, const wb_weights_summary *s)
{
    char desc[128];
    wb_cli_weights_desc(desc, sizeof desc, o);
    fprintf(f,
            "wijkbeeld: %s weights on %zu %s areas of %d: %zu links, neighbours mean %.2f, min %zu, max %zu%s; %zu island%s\n",
            desc, s->n, wb_level_name(l->level), l->year, s->nlinks, s->mean_neighbours, s->min_neighbours,
            s->max_neighbours, s->symmetric ? "" : " (asymmetric)", s->islands, s->islands == 1 ? "" : "s");
}

static void islands_line(FILE *f, const wb_weights *w, const wb_layer *l, const size_t *index)
{
    size_t cnt = 0;
    for (size_t i = 0; i < w->n; i++)
        cnt += w->row[i] == w->row[i + 1];
    if (!cnt)
        return;
    fprintf(f, "wijkbeeld: islands (no neighbours):");
    for (size_t i = 0; i < w->n; i++)
        if (w->row[i] == w->row[i + 1])
            fprintf(f, " %s", l->codes[index ? index[i] : i]);
    fputc('\n', f);
}

static int cmd_weights(wb_ctx *ctx, wb_args *a)
{
    wb_level level;
    long year;
    wb_weights_opts o;
    if (wb_arg_level(a, "level", 1, &level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_cli_weights(a, "type", &o) < 0)
        return 2;
    if (!wb_arg_has(a, "year"))
        return wb_cli_usage("weights: --year Y (boundary year) is required");
    const char *fs = wb_arg(a, "format");
    wformat fmt;
    if (!fs) {
        wb_format tf;
        wb_arg_format(a, &tf);
        fmt = tf == WB_FMT_TABLE ? WF_TABLE : WF_CSV;
    } else if (!strcmp(fs, "table"))
        fmt = WF_TABLE;
    else if (!strcmp(fs, "csv"))
        fmt = WF_CSV;
    else if (!strcmp(fs, "json"))
        fmt = WF_JSON;
    else if (!strcmp(fs, "gal"))
        fmt = WF_GAL;
    else if (!strcmp(fs, "gwt"))
        fmt = WF_GWT;
    else
        return wb_cli_usage("--format: expected table, csv, gal, gwt or json, got '%s'", fs);
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_layer l = WB_LAYER_INIT;
    wb_weights w = WB_WEIGHTS_INIT;
    int rc = 0;
    if (wb_store_layer_load(st, &l, level, (int)year) < 0 || wb_weights_build(&w, &l, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    wb_weights_summary s;
    wb_weights_summarize(&s, &w);
    char buf[64];
    if (fmt == WF_TABLE) {
        static const char *const cols[] = {"statistic", "value"};
        char desc[128];
        wb_cli_weights_desc(desc, sizeof desc, &o);
        wb_table *t = wb_table_new(stdout, WB_FMT_TABLE, 2, cols, NULL);
        wb_table_cell(t, "weights");
        wb_table_cell(t, desc);
        wb_table_cell(t, "areas");
        wb_table_int(t, (long long)s.n);
        wb_table_cell(t, "links");
        wb_table_int(t, (long long)s.nlinks);
        wb_table_cell(t, "mean neighbours");
        wb_table_cellf(t, "%.3f", s.mean_neighbours);
        wb_table_cell(t, "min neighbours");
        wb_table_int(t, (long long)s.min_neighbours);
        wb_table_cell(t, "max neighbours");
        wb_table_int(t, (long long)s.max_neighbours);
        wb_table_cell(t, "symmetric");
        wb_table_cell(t, s.symmetric ? "yes" : "no");
        wb_table_cell(t, "islands");
        wb_table_int(t, (long long)s.islands);
        for (size_t i = 0; i < w.n; i++)
            if (w.row[i] == w.row[i + 1]) {
                wb_table_cell(t, "island");
                wb_table_cell(t, l.codes[i]);
            }
        wb_table_end(t);
        goto done;
    }
    if (fmt == WF_CSV || fmt == WF_JSON) {
        static const char *const cols[] = {"code", "neighbour", "weight"};
        static const int num[] = {0, 0, 1};
        wb_table *t = wb_table_new(stdout, fmt == WF_CSV ? WB_FMT_CSV : WB_FMT_JSON, 3, cols, num);
        for (size_t i = 0; i < w.n; i++)
            for (size_t e = w.row[i]; e < w.row[i + 1]; e++) {
                wb_table_cell(t, l.codes[i]);
                wb_table_cell(t, l.codes[w.col[e]]);
                wb_table_num(t, w.w[e]);
            }
        wb_table_end(t);
    } else {
        /* GeoDa's files: header "0 n layer key", then per area "id k" and a line of
         * neighbour ids (GAL), or one "id neighbour weight" line per link (GWT) */
        printf("0 %zu %s_%ld code\n", w.n, wb_level_name(level), year);
        for (size_t i = 0; i < w.n; i++) {
            if (fmt == WF_GAL) {
                printf("%s %zu\n", l.codes[i], w.row[i + 1] - w.row[i]);
                for (size_t e = w.row[i]; e < w.row[i + 1]; e++)
                    printf("%s%s", e > w.row[i] ? " " : "", l.codes[w.col[e]]);
                putchar('\n');
            } else {
                for (size_t e = w.row[i]; e < w.row[i + 1]; e++) {
                    wb_fmt_double(buf, sizeof buf, w.w[e]);
                    printf("%s %s %s\n", l.codes[i], l.codes[w.col[e]], buf);
                }
            }
        }
        fflush(stdout);
    }
    if (!ctx->quiet) {
        summary_line(stderr, &o, &l, &s);
        islands_line(stderr, &w, &l, NULL);
    }
done:
    wb_weights_dispose(&w);
    wb_layer_dispose(&l);
    wb_store_free(st);
    return rc;
}

static const wb_cmd weights_cmd = {
    "weights", "spatial weights of a level and year (links as CSV, GAL or GWT; summary)",
    "--level L --year Y [--type queen|rook|knn|distance] [--k K] [--band M] [--snap M] [--style W|B] "
    "[--format csv|gal|gwt]",
    weights_opts, cmd_weights, 0, 0};
WB_COMMAND(weights_cmd)

/* ---------------------------------------------------------------- shared loading */

#define STAT_OPTS                                                                                \
    {"indicator", 1, "indicator key or alias (required)"},                                       \
        {"level", 1, "gemeente, wijk, buurt or other (required)"},                               \
        {"year", 1, "data year (required)"},                                                     \
        {"boundary-year", 1, "year of the boundaries (default: the data year)"},                 \
        {"weights", 1, "queen (default), rook, knn or distance"}, WEIGHT_OPTS

int wb_cli_spatial_load(wb_ctx *ctx, wb_args *a, wb_store **st, wb_spatial_data *d, wb_spatial_query *q)
{
    wb_spatial_query dq = WB_SPATIAL_QUERY_INIT;
    *q = dq;
    long year, byear;
    if (!wb_arg_has(a, "indicator")) {
        wb_cli_usage("--indicator KEY is required");
        return -2;
    }
    if (wb_arg_level(a, "level", 1, &q->level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        wb_cli_weights(a, "weights", &q->weights) < 0)
        return -2;
    if (!wb_arg_has(a, "year")) {
        wb_cli_usage("--year Y (data year) is required");
        return -2;
    }
    q->indicator = wb_arg(a, "indicator");
    q->indicator2 = wb_arg(a, "bivariate");
    q->year = (int)year;
    q->boundary_year = (int)byear;
    *st = wb_cli_open(ctx, 0);
    if (!*st)
        return -1;
    if (wb_spatial_load(d, *st, q) < 0) {
        wb_cli_fail();
        return -1;
    }
    return 0;
}

void wb_cli_spatial_report(wb_ctx *ctx, const char *cmd, const wb_spatial_data *d, const wb_spatial_query *q)
{
    if (ctx->quiet)
        return;
    const wb_layer *l = &d->layer;
    char desc[128];
    wb_cli_weights_desc(desc, sizeof desc, &q->weights);
    wb_weights_summary s;
    wb_weights_summarize(&s, &d->w);
    fprintf(stderr, "wijkbeeld: %s of %s %d on %zu %s areas of %d, %s weights (%zu links, %zu island%s)\n",
            cmd, q->indicator, q->year, d->n, wb_level_name(l->level), l->year, desc, s.nlinks,
            s.islands, s.islands == 1 ? "" : "s");
    if (d->n_missing || d->n_no_value) {
        fprintf(stderr,
                "wijkbeeld: %zu of %zu areas with a geometry left out (and dropped from the weights): "
                "%zu with a missing value, %zu without a value for %d:",
                d->n_missing + d->n_no_value, l->n, d->n_missing, d->n_no_value, q->year);
        size_t shown = 0;
        for (size_t i = 0; i < l->n && shown < 20; i++)
            if (d->left_out[i]) {
                fprintf(stderr, " %s", l->codes[i]);
                shown++;
            }
        if (d->n_missing + d->n_no_value > shown)
            fprintf(stderr, " ... (%zu more)", d->n_missing + d->n_no_value - shown);
        fputc('\n', stderr);
    }
    if (d->n_no_geometry)
        fprintf(stderr, "wijkbeeld: %zu areas with a value have no geometry for %d and are left out\n",
                d->n_no_geometry, l->year);
    if (s.islands)
        islands_line(stderr, &d->w, l, d->index);
}

/* ---------------------------------------------------------------- moran */

static const wb_optdef moran_opts[] = {
    STAT_OPTS,
    {"bivariate", 1, "second indicator: bivariate Moran of the indicator with the neighbours' values of this one"},
    {"permutations", 1, "permutation test size (default 999; 0: none)"},
    {"seed", 1, "seed of the permutation test (default 1)"},
    {"threads", 1, "threads (default: all cores)"},
    {"no-adjust-n", 0, "count islands in n (spdep moran.test adjust.n = FALSE)"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

static int cmd_moran(wb_ctx *ctx, wb_args *a)
{
    if (wb_arg_has(a, "bivariate"))
        return wb_cli_moran_bv(ctx, a);
    wb_format fmt;
    long perms, seed, threads;
    if (wb_arg_format(a, &fmt) < 0 || wb_arg_int(a, "permutations", 999, 0, 10000000, &perms) < 0 ||
        wb_arg_int(a, "seed", 1, 0, 0x7fffffffffffffffL, &seed) < 0 ||
        wb_arg_int(a, "threads", 0, 0, 256, &threads) < 0)
        return 2;
    wb_store *st = NULL;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    wb_spatial_query q;
    int rc = wb_cli_spatial_load(ctx, a, &st, &d, &q);
    if (rc < 0) {
        rc = rc == -2 ? 2 : 1;
        goto done;
    }
    wb_moran_opts o = WB_MORAN_OPTS_INIT;
    o.permutations = (size_t)perms;
    o.seed = (uint64_t)seed;
    o.threads = (unsigned)threads;
    o.adjust_n = !wb_arg_has(a, "no-adjust-n");
    wb_moran_result m;
    if (wb_moran_global(&m, &d.w, d.x, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    char desc[128];
    wb_cli_weights_desc(desc, sizeof desc, &q.weights);
    /* name, value (number or string) */
    struct {
        const char *k;
        double v;
        const char *s;
    } kv[] = {
        {"n", (double)m.n, NULL},
        {"I", m.I, NULL},
        {"E_I", m.E_I, NULL},
        {"var_norm", m.var_norm, NULL},
        {"z_norm", m.z_norm, NULL},
        {"p_norm", m.p_norm, NULL},
        {"var_rand", m.var_rand, NULL},
        {"z_rand", m.z_rand, NULL},
        {"p_rand", m.p_rand, NULL},
        {"permutations", (double)m.permutations, NULL},
        {"p_perm", m.p_perm, NULL},
        {"p_perm_tail", 0, "greater"},
        {"perm_ge", m.permutations ? (double)m.perm_ge : NAN, NULL},
        {"perm_mean", m.perm_mean, NULL},
        {"perm_sd", m.perm_sd, NULL},
        {"seed", (double)seed, NULL},
        {"n_eff", m.n_eff, NULL},
        {"islands", (double)m.islands, NULL},
        {"adjust_n", (double)o.adjust_n, NULL},
        {"left_out", (double)(d.n_missing + d.n_no_value), NULL},
        {"indicator", 0, q.indicator},
        {"year", (double)q.year, NULL},
        {"boundary_year", (double)d.layer.year, NULL},
        {"level", 0, wb_level_name(d.layer.level)},
        {"weights", 0, desc},
    };
    size_t nkv = sizeof kv / sizeof kv[0];
    char buf[64];
    if (fmt == WB_FMT_JSON) {
        printf("{");
        for (size_t i = 0; i < nkv; i++) {
            printf("%s\"%s\": ", i ? ", " : "", kv[i].k);
            if (kv[i].s)
                printf("\"%s\"", kv[i].s);
            else if (isnan(kv[i].v))
                printf("null");
            else {
                wb_fmt_double(buf, sizeof buf, kv[i].v);
                printf("%s", buf);
            }
        }
        printf("}\n");
    } else if (fmt == WB_FMT_CSV) {
        for (size_t i = 0; i < nkv; i++)
            printf("%s%s", i ? "," : "", kv[i].k);
        putchar('\n');
        for (size_t i = 0; i < nkv; i++) {
            if (i)
                putchar(',');
            if (kv[i].s)
                printf("\"%s\"", kv[i].s);
            else if (!isnan(kv[i].v)) {
                wb_fmt_double(buf, sizeof buf, kv[i].v);
                printf("%s", buf);
            }
        }
        putchar('\n');
    } else {
        static const char *const cols[] = {"statistic", "value"};
        wb_table *t = wb_table_new(stdout, WB_FMT_TABLE, 2, cols, NULL);
        for (size_t i = 0; i < nkv; i++) {
            wb_table_cell(t, kv[i].k);
            if (kv[i].s)
                wb_table_cell(t, kv[i].s);
            else
                wb_table_num(t, kv[i].v);
        }
        wb_table_end(t);
    }
    fflush(stdout);
    wb_cli_spatial_report(ctx, "Moran's I", &d, &q);
done:
    wb_spatial_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

static const wb_cmd moran_cmd = {
    "moran", "global Moran's I: normality, randomisation and permutation tests",
    "--indicator KEY --level L --year Y [--weights queen|rook|knn|distance] [--permutations 999] "
    "[--seed 1] [--format json|csv]",
    moran_opts, cmd_moran, 0, 0};
WB_COMMAND(moran_cmd)

/* ---------------------------------------------------------------- lisa */

static const wb_optdef lisa_opts[] = {
    STAT_OPTS,
    {"bivariate", 1, "second indicator: local bivariate Moran of the indicator with the neighbours' values of this one"},
    {"permutations", 1, "conditional permutations per area (default 999; 0: analytical p only)"},
    {"seed", 1, "seed (default 1)"},
    {"threads", 1, "threads (default: all cores)"},
    {"alpha", 1, "significance level of the clusters (default 0.05)"},
    {"fdr", 0, "Benjamini-Hochberg false discovery rate over the areas before --alpha"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

static int cmd_lisa(wb_ctx *ctx, wb_args *a)
{
    if (wb_arg_has(a, "bivariate"))
        return wb_cli_lisa_bv(ctx, a);
    wb_format fmt;
    long perms, seed, threads;
    double alpha;
    if (wb_arg_format(a, &fmt) < 0 || wb_arg_int(a, "permutations", 999, 0, 10000000, &perms) < 0 ||
        wb_arg_int(a, "seed", 1, 0, 0x7fffffffffffffffL, &seed) < 0 ||
        wb_arg_int(a, "threads", 0, 0, 256, &threads) < 0 || wb_arg_double(a, "alpha", 0.05, &alpha) < 0)
        return 2;
    if (!(alpha > 0 && alpha < 1))
        return wb_cli_usage("--alpha: expected a number between 0 and 1, got %g", alpha);
    wb_store *st = NULL;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    wb_spatial_query q;
    double *buf = NULL;
    int *cl = NULL;
    int rc = wb_cli_spatial_load(ctx, a, &st, &d, &q);
    if (rc < 0) {
        rc = rc == -2 ? 2 : 1;
        goto done;
    }
    size_t n = d.n;
    buf = malloc(6 * n * sizeof *buf);
    cl = malloc(n * sizeof *cl);
    if (!buf || !cl) {
        fprintf(stderr, "wijkbeeld: out of memory\n");
        rc = 1;
        goto done;
    }
    wb_lisa_out out = {buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, NULL, NULL, cl};
    wb_lisa_opts o = WB_LISA_OPTS_INIT;
    o.permutations = (size_t)perms;
    o.seed = (uint64_t)seed;
    o.threads = (unsigned)threads;
    o.alpha = alpha;
    o.fdr = wb_arg_has(a, "fdr");
    o.progress = wb_cli_progress;
    o.payload = ctx;
    if (wb_lisa_local_moran(&out, &d.w, d.x, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    static const char *const cols[] = {"code", "value", "Ii", "E_Ii", "Var_Ii", "z", "p", "p_perm", "cluster"};
    static const int num[] = {0, 1, 1, 1, 1, 1, 1, 1, 0};
    wb_table *t = wb_table_new(stdout, fmt, 9, cols, num);
    size_t counts[WB_LISA__MAX] = {0};
    for (size_t i = 0; i < n; i++) {
        wb_table_cell(t, d.layer.codes[d.index[i]]);
        wb_table_num(t, d.x[i]);
        wb_table_num(t, out.Ii[i]);
        wb_table_num(t, out.E_Ii[i]);
        wb_table_num(t, out.Var_Ii[i]);
        wb_table_num(t, out.z[i]);
        wb_table_num(t, out.p[i]);
        wb_table_num(t, out.p_perm[i]);
        wb_table_cell(t, wb_lisa_cluster_name((wb_lisa_cluster)cl[i]));
        counts[cl[i]]++;
    }
    wb_table_end(t);
    wb_cli_spatial_report(ctx, "local Moran", &d, &q);
    if (!ctx->quiet)
        fprintf(stderr,
                "wijkbeeld: clusters at alpha %g%s (%s p, seed %ld): HH %zu, LL %zu, HL %zu, LH %zu, ns %zu, island %zu\n",
                alpha, o.fdr ? " with FDR" : "", perms ? "permutation" : "analytical", seed, counts[WB_LISA_HH],
                counts[WB_LISA_LL], counts[WB_LISA_HL], counts[WB_LISA_LH], counts[WB_LISA_NS],
                counts[WB_LISA_ISLAND]);
done:
    free(buf);
    free(cl);
    wb_spatial_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

static const wb_cmd lisa_cmd = {
    "lisa", "local Moran's I (LISA) with conditional permutations and clusters HH/LL/HL/LH",
    "--indicator KEY --level L --year Y [--weights queen] [--permutations 999] [--seed 1] [--alpha 0.05] "
    "[--fdr] [--format csv]",
    lisa_opts, cmd_lisa, 0, 0};
WB_COMMAND(lisa_cmd)

/* ---------------------------------------------------------------- getis */

static const wb_optdef getis_opts[] = {
    STAT_OPTS,
    {"star", 0, "Gi* (each area counts itself, with a neighbour's weight) instead of Gi"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

static int cmd_getis(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_store *st = NULL;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    wb_spatial_query q;
    double *buf = NULL;
    int rc = wb_cli_spatial_load(ctx, a, &st, &d, &q);
    if (rc < 0) {
        rc = rc == -2 ? 2 : 1;
        goto done;
    }
    size_t n = d.n;
    int star = wb_arg_has(a, "star");
    buf = malloc(3 * n * sizeof *buf);
    if (!buf) {
        fprintf(stderr, "wijkbeeld: out of memory\n");
        rc = 1;
        goto done;
    }
    if (wb_getis_ord(buf, buf + n, buf + 2 * n, &d.w, d.x, star) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    static const char *const cols[] = {"code", "value", "G", "z", "p"};
    static const int num[] = {0, 1, 1, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, 5, cols, num);
    for (size_t i = 0; i < n; i++) {
        wb_table_cell(t, d.layer.codes[d.index[i]]);
        wb_table_num(t, d.x[i]);
        wb_table_num(t, buf[i]);
        wb_table_num(t, buf[n + i]);
        wb_table_num(t, buf[2 * n + i]);
    }
    wb_table_end(t);
    wb_cli_spatial_report(ctx, star ? "Getis-Ord Gi*" : "Getis-Ord Gi", &d, &q);
    if (!ctx->quiet && !star) {
        size_t isl = 0;
        for (size_t i = 0; i < n; i++)
            isl += d.w.row[i] == d.w.row[i + 1];
        if (isl)
            fprintf(stderr, "wijkbeeld: Gi of the %zu islands: G = 0, z and p empty (no neighbours)\n", isl);
    }
done:
    free(buf);
    wb_spatial_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

static const wb_cmd getis_cmd = {
    "getis", "Getis-Ord Gi or Gi* per area (columns code,value,G,z,p)",
    "--indicator KEY --level L --year Y [--star] [--weights queen] [--format csv]", getis_opts,
    cmd_getis, 0, 0};
WB_COMMAND(getis_cmd)
