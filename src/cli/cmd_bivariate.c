/**
 * @file
 * @brief `wijkbeeld moran --bivariate Y` and `wijkbeeld lisa --bivariate Y`: bivariate
 * global and local Moran's I of the indicator with the neighbours' values of Y (the options
 * are those of moran and lisa, src/cli/cmd_spatial.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

static int perm_args(const wb_args *a, long *perms, long *seed, long *threads)
{
    if (wb_arg_int(a, "permutations", 999, 0, 10000000, perms) < 0 ||
        wb_arg_int(a, "seed", 1, 0, 0x7fffffffffffffffL, seed) < 0 || wb_arg_int(a, "threads", 0, 0, 256, threads) < 0)
        return -1;
    return 0;
}

int wb_cli_moran_bv(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long perms, seed, threads;
    if (wb_arg_format(a, &fmt) < 0 || perm_args(a, &perms, &seed, &threads) < 0)
        return 2;
    if (wb_arg_has(a, "no-adjust-n"))
        return wb_cli_usage("--no-adjust-n does not apply to --bivariate");
    wb_store *st = NULL;
    wb_spatial_data d = WB_SPATIAL_DATA_INIT;
    wb_spatial_query q;
    int rc = wb_cli_spatial_load(ctx, a, &st, &d, &q);
    if (rc < 0) {
        rc = rc == -2 ? 2 : 1;
        goto done;
    }
    wb_moran_bv_opts o = WB_MORAN_BV_OPTS_INIT;
    o.permutations = (size_t)perms;
    o.seed = (uint64_t)seed;
    o.threads = (unsigned)threads;
    wb_moran_bv_result m;
    if (wb_moran_bv(&m, &d.w, d.x, d.y, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    char desc[128];
    wb_cli_weights_desc(desc, sizeof desc, &q.weights);
    static const char *const cols[] = {"n", "I", "r", "E_I", "permutations", "perm_ge", "p_perm", "perm_mean",
                                       "perm_sd", "seed", "indicator", "bivariate", "year", "boundary_year",
                                       "level", "weights"};
    static const int num[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0};
    double v[] = {(double)m.n, m.I, m.r, m.E_I, (double)m.permutations, m.permutations ? (double)m.perm_ge : NAN,
                  m.p_perm, m.perm_mean, m.perm_sd, (double)seed, 0, 0, q.year, d.layer.year, 0, 0};
    const char *sv[] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, q.indicator, q.indicator2,
                        NULL, NULL, wb_level_name(d.layer.level), desc};
    if (fmt == WB_FMT_TABLE) { /* one record: a statistic per line reads better */
        static const char *const kv[] = {"statistic", "value"};
        wb_table *t = wb_table_new(stdout, WB_FMT_TABLE, 2, kv, NULL);
        for (size_t i = 0; i < 16; i++) {
            wb_table_cell(t, cols[i]);
            if (sv[i])
                wb_table_cell(t, sv[i]);
            else
                wb_table_num(t, v[i]);
        }
        wb_table_end(t);
    } else {
        wb_table *t = wb_table_new(stdout, fmt, 16, cols, num);
        for (size_t i = 0; i < 16; i++) {
            if (sv[i])
                wb_table_cell(t, sv[i]);
            else
                wb_table_num(t, v[i]);
        }
        wb_table_end(t);
    }
    fflush(stdout);
    char what[160];
    snprintf(what, sizeof what, "bivariate Moran's I (with the neighbours' %s)", q.indicator2);
    wb_cli_spatial_report(ctx, what, &d, &q);
done:
    wb_spatial_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

int wb_cli_lisa_bv(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long perms, seed, threads;
    double alpha;
    if (wb_arg_format(a, &fmt) < 0 || perm_args(a, &perms, &seed, &threads) < 0 ||
        wb_arg_double(a, "alpha", 0.05, &alpha) < 0)
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
    wb_lisa_bv_out out = {buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, NULL, NULL, cl};
    wb_lisa_opts o = WB_LISA_OPTS_INIT;
    o.permutations = (size_t)perms;
    o.seed = (uint64_t)seed;
    o.threads = (unsigned)threads;
    o.alpha = alpha;
    o.fdr = wb_arg_has(a, "fdr");
    o.progress = wb_cli_progress;
    o.payload = ctx;
    if (wb_lisa_bv(&out, &d.w, d.x, d.y, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    static const char *const cols[] = {"code", "value", "value2", "Ibv", "E_Ibv", "Var_Ibv", "z", "p", "p_perm",
                                       "cluster"};
    static const int num[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    wb_table *t = wb_table_new(stdout, fmt, 10, cols, num);
    size_t counts[WB_LISA__MAX] = {0};
    for (size_t i = 0; i < n; i++) {
        wb_table_cell(t, d.layer.codes[d.index[i]]);
        wb_table_num(t, d.x[i]);
        wb_table_num(t, d.y[i]);
        wb_table_num(t, out.Ibv[i]);
        wb_table_num(t, out.E_Ibv[i]);
        wb_table_num(t, out.Var_Ibv[i]);
        wb_table_num(t, out.z[i]);
        wb_table_num(t, out.p[i]);
        wb_table_num(t, out.p_perm[i]);
        wb_table_cell(t, wb_lisa_cluster_name((wb_lisa_cluster)cl[i]));
        counts[cl[i]]++;
    }
    wb_table_end(t);
    char what[160];
    snprintf(what, sizeof what, "local bivariate Moran (with the neighbours' %s)", q.indicator2);
    wb_cli_spatial_report(ctx, what, &d, &q);
    if (!ctx->quiet)
        fprintf(stderr,
                "wijkbeeld: clusters (own %s, neighbours' %s) at alpha %g%s (%s p, seed %ld): HH %zu, LL %zu, HL %zu, "
                "LH %zu, ns %zu, island %zu\n",
                q.indicator, q.indicator2, alpha, o.fdr ? " with FDR" : "", perms ? "permutation" : "analytical", seed,
                counts[WB_LISA_HH], counts[WB_LISA_LL], counts[WB_LISA_HL], counts[WB_LISA_LH], counts[WB_LISA_NS],
                counts[WB_LISA_ISLAND]);
done:
    free(buf);
    free(cl);
    wb_spatial_data_dispose(&d);
    wb_store_free(st);
    return rc;
}
