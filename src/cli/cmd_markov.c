/**
 * @file
 * @brief Space and time together: `wijkbeeld markov` (class mobility, spatial Markov, LISA
 * Markov) and `wijkbeeld hotspots` (emerging hot spots). docs/spacetime.md describes both.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* ---------------------------------------------------------------- shared */

#define LOAD_OPTS                                                                                \
    {"indicator", 1, "indicator key or alias (required)"},                                       \
        {"level", 1, "gemeente, wijk or buurt (required)"},                                      \
        {"boundary-year", 1, "year of the boundaries (default: the latest with values)"},        \
        {"from", 1, "first data year"}, {"to", 1, "last data year"},                             \
        {"weights", 1, "queen (default), rook, knn or distance"}, WB_CLI_WEIGHT_OPTS

/* Parse the loading options into @p q; 2 after a usage message. */
static int load_args(const wb_args *a, wb_spacetime_query *q)
{
    wb_spacetime_query d = WB_SPACETIME_QUERY_INIT;
    *q = d;
    long byear, from, to;
    if (!wb_arg_has(a, "indicator"))
        return wb_cli_usage("--indicator KEY is required");
    if (wb_arg_level(a, "level", 1, &q->level) < 0 || wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        wb_arg_int(a, "from", 0, 1800, 2200, &from) < 0 || wb_arg_int(a, "to", 0, 1800, 2200, &to) < 0 ||
        wb_cli_weights(a, "weights", &q->weights) < 0)
        return 2;
    if (from && to && from > to)
        return wb_cli_usage("--from %ld is after --to %ld", from, to);
    q->indicator = wb_arg(a, "indicator");
    q->boundary_year = (int)byear;
    q->year_from = (int)from;
    q->year_to = (int)to;
    return 0;
}

/* What was analysed and what was left out, on stderr. */
static void report_spatial(wb_ctx *ctx, const char *what, const wb_spacetime_data *d)
{
    if (ctx->quiet)
        return;
    size_t islands = 0;
    for (size_t i = 0; i < d->m; i++)
        islands += d->w.row[i] == d->w.row[i + 1];
    fprintf(stderr,
            "wijkbeeld: %s of %s on %zu %s areas of %d with a polygon and a value in each of the %zu years "
            "%d-%d; left out: %zu with some years missing, %zu without any value, %zu with values but no "
            "polygon; %zu island%s\n",
            what, d->key, d->m, wb_level_name(wb_panel_level(d->panel)), wb_panel_boundary_year(d->panel), d->T,
            wb_panel_year(d->panel, 0), wb_panel_year(d->panel, d->T - 1), d->n_incomplete, d->n_no_value,
            d->n_no_geometry, islands, islands == 1 ? "" : "s");
    if (islands) {
        fprintf(stderr, "wijkbeeld: islands (no neighbours among the analysed areas; not counted):");
        for (size_t i = 0; i < d->m; i++)
            if (d->w.row[i] == d->w.row[i + 1])
                fprintf(stderr, " %s", wb_panel_code(d->panel, d->index[i]));
        fputc('\n', stderr);
    }
}

/* ---------------------------------------------------------------- markov */

static const wb_optdef markov_opts[] = {
    LOAD_OPTS,
    {"classes", 1, "N quantile classes (pooled over areas and years); default: the published classes"},
    {"break", 1, "break year: separate chains before and after it (e.g. 2012)"},
    {"spatial", 0, "spatial Markov: transitions conditioned on the class of the neighbours' mean"},
    {"lag-classes", 1, "--spatial: quantile classes of the spatial lag (default 4)"},
    {"lisa", 0, "LISA Markov: transitions between the quadrants HH, LH, LL, HL"},
    {"in", 1, "count only the transitions of the areas within this gemeente or wijk"},
    {"what", 1, "transitions (default), matrix (one row per class), steady, mfpt, tests (--spatial), or paths"},
    {"format", 1, "table, csv, json or markdown"},
    {NULL, 0, NULL}};

static void state_cell(wb_table *t, const wb_markov_result *r, int lisa, size_t s)
{
    if (lisa)
        wb_table_cell(t, wb_quadrant_name((wb_quadrant)s));
    else
        wb_table_int(t, (long long)s + r->class_lo);
}

static void period_cell(wb_table *t, const wb_markov_result *r, size_t p)
{
    wb_table_cellf(t, "%d-%d", r->period_from[p], r->period_to[p]);
}

/* The chain of period p and lag class l (l = SIZE_MAX: the class or LISA chain). */
static const wb_markov_chain *chain_of(const wb_markov_result *r, int spatial, size_t p, size_t l)
{
    if (!spatial)
        return &r->chain[p];
    return l == (size_t)-1 ? &r->sm[p].pooled : &r->sm[p].cond[l];
}

static void write_markov(wb_table *t, const wb_markov_result *r, int spatial, int lisa, const char *what)
{
    size_t k = r->k, m = spatial ? r->sm[0].m : 0;
    int brk = r->nperiods > 1;
    for (size_t p = 0; p < r->nperiods; p++) {
        for (size_t l = 0; l < (spatial ? m : 1); l++) {
            const wb_markov_chain *c = chain_of(r, spatial, p, spatial ? l : (size_t)-1);
            if (!strcmp(what, "transitions")) {
                for (size_t i = 0; i < k; i++)
                    for (size_t j = 0; j < k; j++) {
                        if (brk)
                            period_cell(t, r, p);
                        if (spatial)
                            wb_table_int(t, (long long)l + 1);
                        state_cell(t, r, lisa, i);
                        state_cell(t, r, lisa, j);
                        wb_table_num(t, c->count[i * k + j]);
                        wb_table_num(t, c->p[i * k + j]);
                    }
            } else if (!strcmp(what, "steady")) {
                for (size_t s = 0; s < c->nsteady; s++)
                    for (size_t i = 0; i < k; i++) {
                        if (brk)
                            period_cell(t, r, p);
                        if (spatial)
                            wb_table_int(t, (long long)l + 1);
                        wb_table_int(t, (long long)s + 1);
                        state_cell(t, r, lisa, i);
                        wb_table_num(t, c->steady[s * k + i]);
                    }
            } else { /* mfpt */
                for (size_t i = 0; i < k; i++)
                    for (size_t j = 0; j < k; j++) {
                        if (brk)
                            period_cell(t, r, p);
                        if (spatial)
                            wb_table_int(t, (long long)l + 1);
                        state_cell(t, r, lisa, i);
                        state_cell(t, r, lisa, j);
                        /* never reached for sure: empty (JSON null) */
                        wb_table_num(t, isfinite(c->mfpt[i * k + j]) ? c->mfpt[i * k + j] : NAN);
                    }
            }
        }
    }
}

static int cmd_markov(wb_ctx *ctx, wb_args *a)
{
    wb_spacetime_query q;
    wb_format fmt;
    long classes, lagc, brk;
    int rc = load_args(a, &q);
    if (rc)
        return rc;
    if (wb_arg_format(a, &fmt) < 0 || wb_arg_int(a, "classes", 0, 2, WB_MARKOV_MAX_STATES, &classes) < 0 ||
        wb_arg_int(a, "lag-classes", 4, 2, WB_MARKOV_MAX_STATES, &lagc) < 0 ||
        wb_arg_int(a, "break", 0, 1800, 2200, &brk) < 0)
        return 2;
    int spatial = wb_arg_has(a, "spatial"), lisa = wb_arg_has(a, "lisa");
    const char *what = wb_arg(a, "what") ? wb_arg(a, "what") : "transitions";
    if (strcmp(what, "transitions") && strcmp(what, "matrix") && strcmp(what, "steady") && strcmp(what, "mfpt") &&
        strcmp(what, "tests") && strcmp(what, "paths"))
        return wb_cli_usage("--what: expected transitions, matrix, steady, mfpt, tests or paths, got '%s'", what);
    if (spatial && lisa)
        return wb_cli_usage("markov: --spatial and --lisa are different chains; give one");
    if (lisa && classes)
        return wb_cli_usage("markov --lisa: the states are the four LISA quadrants; --classes does not apply");
    if (!spatial && wb_arg_has(a, "lag-classes"))
        return wb_cli_usage("--lag-classes only applies to --spatial");
    if (!strcmp(what, "tests") && !spatial)
        return wb_cli_usage("--what tests: the homogeneity tests compare the chains of --spatial");
    if (!spatial && !lisa && (wb_arg_has(a, "weights") || wb_arg_has(a, "k") || wb_arg_has(a, "band") ||
                              wb_arg_has(a, "style") || wb_arg_has(a, "snap")))
        return wb_cli_usage("the weights options apply to --spatial and --lisa only");
    q.spatial = spatial || lisa;

    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_spacetime_data d = WB_SPACETIME_DATA_INIT;
    wb_markov_result r;
    memset(&r, 0, sizeof r);
    unsigned char *in = NULL;
    size_t nin = 0;
    if (wb_spacetime_load(&d, st, &q) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    const char *incode = wb_arg(a, "in");
    if (incode) {
        char norm[WB_CODE_MAX];
        if (wb_code_normalize(norm, NULL, incode, strlen(incode), WB_LEVEL__MAX) < 0) {
            rc = wb_cli_usage("--in: %s", wb_error_last()->message);
            goto done;
        }
        if (!(in = malloc(d.n ? d.n : 1)) || wb_spacetime_within(in, &nin, st, &d, norm) < 0) {
            rc = in ? wb_cli_fail() : (fprintf(stderr, "wijkbeeld: out of memory\n"), 1);
            goto done;
        }
    }
    wb_markov_opts mo = WB_MARKOV_OPTS_INIT;
    mo.classes = (size_t)classes;
    mo.break_year = (int)brk;
    mo.spatial = spatial;
    mo.lisa = lisa;
    mo.lag_classes = (size_t)lagc;
    mo.areas = in;
    if (wb_markov_run(&r, &d, &mo) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    int brk_col = r.nperiods > 1;
    if (!strcmp(what, "transitions") || !strcmp(what, "steady") || !strcmp(what, "mfpt")) {
        const char *cols[8];
        int num[8];
        size_t nc = 0;
        if (brk_col) {
            num[nc] = 0;
            cols[nc++] = "period";
        }
        if (spatial) {
            num[nc] = 1;
            cols[nc++] = "lag_class";
        }
        if (!strcmp(what, "transitions")) {
            const char *c4[] = {"from_class", "to_class", "count", "probability"};
            for (int i = 0; i < 4; i++) {
                num[nc] = !lisa || i >= 2;
                cols[nc++] = c4[i];
            }
        } else if (!strcmp(what, "steady")) {
            const char *c3[] = {"recurrent_class", "class", "probability"};
            for (int i = 0; i < 3; i++) {
                num[nc] = i != 1 || !lisa;
                cols[nc++] = c3[i];
            }
        } else {
            const char *c3[] = {"from_class", "to_class", "mfpt"};
            for (int i = 0; i < 3; i++) {
                num[nc] = i == 2 || !lisa;
                cols[nc++] = c3[i];
            }
        }
        wb_table *t = wb_table_new(stdout, fmt, nc, cols, num);
        write_markov(t, &r, spatial, lisa, what);
        wb_table_end(t);
    } else if (!strcmp(what, "matrix")) {
        /* the probabilities as a table: a row per class of origin, a column per class of
         * destination, and the number of transitions out of the row's class */
        const char *cols[4 + WB_MARKOV_MAX_STATES];
        int num[4 + WB_MARKOV_MAX_STATES];
        char labels[WB_MARKOV_MAX_STATES][16];
        size_t nc = 0;
        if (brk_col) {
            num[nc] = 0;
            cols[nc++] = "period";
        }
        if (spatial) {
            num[nc] = 1;
            cols[nc++] = "lag_class";
        }
        num[nc] = !lisa;
        cols[nc++] = "from_class";
        num[nc] = 1;
        cols[nc++] = "n";
        for (size_t j = 0; j < r.k; j++) {
            if (lisa)
                snprintf(labels[j], sizeof labels[j], "%s", wb_quadrant_name((wb_quadrant)j));
            else
                snprintf(labels[j], sizeof labels[j], "%d", (int)j + r.class_lo);
            num[nc] = 1;
            cols[nc++] = labels[j];
        }
        wb_table *t = wb_table_new(stdout, fmt, nc, cols, num);
        for (size_t p = 0; p < r.nperiods; p++)
            for (size_t l = 0; l < (spatial ? r.sm[p].m : 1); l++) {
                const wb_markov_chain *c = chain_of(&r, spatial, p, spatial ? l : (size_t)-1);
                for (size_t i = 0; i < r.k; i++) {
                    double rs = 0;
                    for (size_t j = 0; j < r.k; j++)
                        rs += c->count[i * r.k + j];
                    if (brk_col)
                        period_cell(t, &r, p);
                    if (spatial)
                        wb_table_int(t, (long long)l + 1);
                    state_cell(t, &r, lisa, i);
                    wb_table_int(t, (long long)rs);
                    for (size_t j = 0; j < r.k; j++)
                        wb_table_num(t, rs > 0 ? c->p[i * r.k + j] : NAN);
                }
            }
        wb_table_end(t);
    } else if (!strcmp(what, "tests")) {
        static const char *const cols[] = {"period", "statistic", "value", "dof", "p", "transitions"};
        static const int num[] = {0, 0, 1, 1, 1, 1};
        wb_table *t = wb_table_new(stdout, fmt, 6, cols, num);
        for (size_t p = 0; p < r.nperiods; p++) {
            const wb_markov_homogeneity *h = &r.sm[p].ht;
            for (int s = 0; s < 2; s++) {
                period_cell(t, &r, p);
                wb_table_cell(t, s ? "LR" : "Q");
                wb_table_num(t, s ? h->LR : h->Q);
                wb_table_int(t, h->dof);
                wb_table_num(t, s ? h->LR_p : h->Q_p);
                wb_table_int(t, (long long)h->ntransitions);
            }
        }
        wb_table_end(t);
    } else { /* paths */
        const char *cols[] = {"code", "year", lisa ? "quadrant" : "class", "lag", "lag_class"};
        int num[] = {0, 1, !lisa, 1, 1};
        wb_table *t = wb_table_new(stdout, fmt, spatial ? 5 : 3, cols, num);
        size_t n = r.nrows;
        for (size_t i = 0; i < n; i++) {
            size_t a0 = r.rows ? r.rows[i] : i;
            if (in && !in[a0])
                continue;
            for (size_t tt = 0; tt < d.T; tt++) {
                wb_table_cell(t, wb_panel_code(d.panel, a0));
                wb_table_int(t, wb_panel_year(d.panel, tt));
                int c = r.cls[tt * n + i];
                if (c < 0)
                    wb_table_cell(t, NULL);
                else
                    state_cell(t, &r, lisa, (size_t)c);
                if (spatial) {
                    wb_table_num(t, r.sm[0].lag[tt * n + i]);
                    int lc = r.sm[0].lag_class[tt * n + i];
                    if (lc < 0)
                        wb_table_cell(t, NULL);
                    else
                        wb_table_int(t, lc + 1);
                }
            }
        }
        wb_table_end(t);
    }
    fflush(stdout);
    if (!ctx->quiet) {
        if (q.spatial)
            report_spatial(ctx, spatial ? "spatial Markov" : "LISA Markov", &d);
        wb_str s = WB_STR_INIT;
        if (lisa)
            wb_str_puts(&s, "the 4 LISA quadrants of each year (HH, LH, LL, HL)");
        else if (r.published)
            wb_str_printf(&s, "the %zu published classes %d-%d", r.k, r.class_lo, r.class_lo + (int)r.k - 1);
        else {
            wb_str_printf(&s, "%zu quantile classes (pooled over areas and years) with upper bounds", r.k);
            for (size_t c = 0; c < r.k; c++)
                wb_str_printf(&s, "%s %.6g", c ? "," : "", r.bins[c]);
        }
        fprintf(stderr, "wijkbeeld: states: %s; %zu area%s counted%s%s\n", wb_str_cstr(&s), r.n_counted,
                r.n_counted == 1 ? "" : "s", in ? " within " : "", in ? incode : "");
        wb_str_dispose(&s);
        for (size_t p = 0; p < r.nperiods; p++) {
            const wb_markov_chain *c = spatial ? &r.sm[p].pooled : &r.chain[p];
            fprintf(stderr, "wijkbeeld: %d-%d: %.0f transitions, %zu recurrent class%s\n", r.period_from[p],
                    r.period_to[p], c->ntransitions, c->nsteady, c->nsteady == 1 ? "" : "es");
            if (spatial) {
                const wb_spatial_markov *sm = &r.sm[p];
                fprintf(stderr, "wijkbeeld: %d-%d: lag classes (quantiles of the neighbours' mean pooled over "
                                "areas and years), upper bounds:", r.period_from[p], r.period_to[p]);
                for (size_t l = 0; l < sm->m; l++)
                    fprintf(stderr, "%s %.6g", l ? "," : "", sm->lag_bins[l]);
                fprintf(stderr, "; homogeneity: Q = %.6g, LR = %.6g, dof %ld, p = %.3g and %.3g\n", sm->ht.Q,
                        sm->ht.LR, sm->ht.dof, sm->ht.Q_p, sm->ht.LR_p);
            }
        }
        if (r.n_straddling)
            fprintf(stderr, "wijkbeeld: %zu transitions span the break %ld and are in neither period\n",
                    r.n_straddling, brk);
    }
done:
    free(in);
    wb_markov_result_dispose(&r);
    wb_spacetime_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

static const wb_cmd markov_cmd = {
    "markov",
    "class mobility: transition counts and probabilities, steady state, mean first passage times; "
    "--spatial (conditioned on the neighbours), --lisa (LISA quadrants), --break",
    "--indicator KEY --level L [--boundary-year Y] [--classes N] [--break 2012] [--spatial [--lag-classes 4]] "
    "[--lisa] [--in CODE] [--what transitions|matrix|steady|mfpt|tests|paths]",
    markov_opts,
    cmd_markov,
    0,
    0};
WB_COMMAND(markov_cmd)

/* ---------------------------------------------------------------- hotspots */

static const wb_optdef hotspots_opts[] = {
    LOAD_OPTS,
    {"alpha", 1, "significance of the Gi* spots and of their trend (default 0.05)"},
    {"no-fdr", 0, "no Benjamini-Hochberg correction of each year's Gi* p-values"},
    {"in", 1, "list only the areas within this gemeente or wijk"},
    {"what", 1, "areas (default: one row per area) or series (one row per area and year)"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

static int cmd_hotspots(wb_ctx *ctx, wb_args *a)
{
    wb_spacetime_query q;
    wb_format fmt;
    double alpha;
    int rc = load_args(a, &q);
    if (rc)
        return rc;
    if (wb_arg_format(a, &fmt) < 0 || wb_arg_double(a, "alpha", 0.05, &alpha) < 0)
        return 2;
    if (!(alpha > 0 && alpha < 1))
        return wb_cli_usage("--alpha: expected a number between 0 and 1, got %g", alpha);
    const char *what = wb_arg(a, "what") ? wb_arg(a, "what") : "areas";
    if (strcmp(what, "areas") && strcmp(what, "series"))
        return wb_cli_usage("--what: expected areas or series, got '%s'", what);
    /* Gi* counts the area itself and its neighbours equally: binary weights, as ArcGIS */
    if (!wb_arg_has(a, "style"))
        q.weights.style = WB_STYLE_B;
    q.spatial = 1;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_spacetime_data d = WB_SPACETIME_DATA_INIT;
    unsigned char *in = NULL;
    double *buf = NULL, years[WB_TREND_MAX_YEARS];
    int *ibuf = NULL;
    signed char *spot = NULL;
    if (wb_spacetime_load(&d, st, &q) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    size_t n = d.m, T = d.T;
    if (T > WB_TREND_MAX_YEARS) {
        rc = wb_cli_usage("hotspots: more than %d data years; narrow them with --from/--to", WB_TREND_MAX_YEARS);
        goto done;
    }
    const char *incode = wb_arg(a, "in");
    if (incode) {
        char norm[WB_CODE_MAX];
        if (wb_code_normalize(norm, NULL, incode, strlen(incode), WB_LEVEL__MAX) < 0) {
            rc = wb_cli_usage("--in: %s", wb_error_last()->message);
            goto done;
        }
        if (!(in = malloc(d.n ? d.n : 1)) || wb_spacetime_within(in, NULL, st, &d, norm) < 0) {
            rc = in ? wb_cli_fail() : (fprintf(stderr, "wijkbeeld: out of memory\n"), 1);
            goto done;
        }
    }
    for (size_t t = 0; t < T; t++)
        years[t] = wb_panel_year(d.panel, t);
    buf = malloc((2 * n * T + 2 * n) * sizeof *buf);
    ibuf = malloc(3 * n * sizeof *ibuf);
    spot = malloc(n * T);
    if (!buf || !ibuf || !spot) {
        fprintf(stderr, "wijkbeeld: out of memory\n");
        rc = 1;
        goto done;
    }
    wb_ehsa_out o = {buf, buf + n * T, spot, buf + 2 * n * T, buf + 2 * n * T + n, ibuf, ibuf + n, ibuf + 2 * n};
    wb_ehsa_opts eo = WB_EHSA_OPTS_INIT;
    eo.alpha = alpha;
    eo.fdr = !wb_arg_has(a, "no-fdr");
    if (wb_ehsa(&o, &d.w, d.ym, n, years, T, &eo) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    size_t counts[WB_EHSA__MAX] = {0};
    if (!strcmp(what, "areas")) {
        static const char *const cols[] = {"code", "category", "n_hot", "n_cold", "tau", "mk_p", "z_last", "p_last"};
        static const int num[] = {0, 0, 1, 1, 1, 1, 1, 1};
        wb_table *t = wb_table_new(stdout, fmt, 8, cols, num);
        for (size_t i = 0; i < n; i++) {
            if (in && !in[d.index[i]])
                continue;
            counts[o.category[i]]++;
            wb_table_cell(t, wb_panel_code(d.panel, d.index[i]));
            wb_table_cell(t, wb_ehsa_name((wb_ehsa_category)o.category[i]));
            wb_table_int(t, o.n_hot[i]);
            wb_table_int(t, o.n_cold[i]);
            wb_table_num(t, o.tau[i]);
            wb_table_num(t, o.mk_p[i]);
            wb_table_num(t, o.z[(T - 1) * n + i]);
            wb_table_num(t, o.p[(T - 1) * n + i]);
        }
        wb_table_end(t);
    } else {
        static const char *const cols[] = {"code", "year", "value", "z", "p", "spot"};
        static const int num[] = {0, 1, 1, 1, 1, 0};
        wb_table *t = wb_table_new(stdout, fmt, 6, cols, num);
        for (size_t i = 0; i < n; i++) {
            if (in && !in[d.index[i]])
                continue;
            counts[o.category[i]]++;
            for (size_t tt = 0; tt < T; tt++) {
                wb_table_cell(t, wb_panel_code(d.panel, d.index[i]));
                wb_table_int(t, (long long)years[tt]);
                wb_table_num(t, d.ym[tt * n + i]);
                wb_table_num(t, o.z[tt * n + i]);
                wb_table_num(t, o.p[tt * n + i]);
                signed char s = spot[tt * n + i];
                wb_table_cell(t, s > 0 ? "hot" : s < 0 ? "cold" : "ns");
            }
        }
        wb_table_end(t);
    }
    fflush(stdout);
    if (!ctx->quiet) {
        char desc[128];
        wb_cli_weights_desc(desc, sizeof desc, &q.weights);
        report_spatial(ctx, "emerging hot spots", &d);
        fprintf(stderr, "wijkbeeld: Gi* per year on %s weights, spots at p <= %g%s, Mann-Kendall of the z series:",
                desc, alpha, eo.fdr ? " after FDR per year" : "");
        for (int c = 0; c < WB_EHSA__MAX; c++)
            if (counts[c])
                fprintf(stderr, " %s %zu", wb_ehsa_name((wb_ehsa_category)c), counts[c]);
        fputc('\n', stderr);
    }
done:
    free(in);
    free(buf);
    free(ibuf);
    free(spot);
    wb_spacetime_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

static const wb_cmd hotspots_cmd = {
    "hotspots",
    "emerging hot spots: Gi* per year and the categories new, consecutive, intensifying, persistent, "
    "diminishing, sporadic, oscillating, historical (hot and cold)",
    "--indicator KEY --level L [--boundary-year Y] [--from Y --to Y] [--alpha 0.05] [--no-fdr] "
    "[--what areas|series]",
    hotspots_opts,
    cmd_hotspots,
    0,
    0};
WB_COMMAND(hotspots_cmd)
