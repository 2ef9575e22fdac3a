/**
 * @file
 * @brief In-process benchmark of the space-time steps (bench/spacetime.sh runs it):
 *   load        wb_spacetime_load with polygons and queen weights (panel of one indicator,
 *               20 years, the layer, weights on it, subset to the complete series)
 *   markov      the class chain of lbm_klasse, steady state and passage times
 *   spatial markov  wb_markov_run with spatial (lag, lag classes, 4 chains, tests)
 *   hot spots   wb_ehsa: Gi* of 20 years, FDR per year, Mann-Kendall, categories
 *   local bivariate Moran 999  wb_lisa_bv on the polygons of FILE.gpkg, x and y smooth fields
 *               of the centroids (the formulas of bench/spacetime.R)
 *
 * usage: spacetime_bench DB FILE.gpkg [THREADS] [REPS]
 * Prints one tab-separated line per step: step, n, seconds (best of REPS), peak resident
 * memory during the step in MB, CPU seconds of the process (all threads; best of REPS).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "geo/ogr_read.h"
#include "bench_util.h"
#include "wijkbeeld.h"

static void die(const char *what)
{
    fprintf(stderr, "spacetime_bench: %s: %s\n", what, wb_error_last()->message);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: spacetime_bench DB FILE.gpkg [THREADS] [REPS]\n");
        return 2;
    }
    unsigned threads = argc > 3 ? (unsigned)atoi(argv[3]) : 0;
    int reps = argc > 4 ? atoi(argv[4]) : 3;
    wb_store *st = NULL;
    if (wb_store_open(&st, argv[1], 0) < 0)
        die(argv[1]);
    wb_spacetime_query q = WB_SPACETIME_QUERY_INIT;
    q.indicator = "lbm_klasse";
    q.level = WB_LEVEL_BUURT;
    q.spatial = 1;
    wb_spacetime_data d = WB_SPACETIME_DATA_INIT;
    const char *steps[] = {"load (panel, queen)", "markov", "spatial markov", "hot spots"};
    for (int s = 0; s < 4; s++) {
        double best = INFINITY, bestcpu = INFINITY, peak = 0;
        size_t n = 0;
        for (int r = 0; r < reps; r++) {
            bench_peak_reset();
            double t0 = bench_now(), c0 = bench_cpu();
            if (s == 0) {
                wb_spacetime_data_dispose(&d);
                if (wb_spacetime_load(&d, st, &q) < 0)
                    die("load");
                n = d.m;
            } else if (s == 1 || s == 2) {
                wb_markov_opts mo = WB_MARKOV_OPTS_INIT;
                mo.spatial = s == 2;
                wb_markov_result res;
                if (wb_markov_run(&res, &d, &mo) < 0)
                    die("markov");
                n = res.nrows;
                wb_markov_result_dispose(&res);
            } else {
                /* Gi* on binary weights, as `hotspots` */
                wb_weights_set_style(&d.w, WB_STYLE_B);
                size_t m = d.m, T = d.T;
                double years[64], *z = malloc(m * T * sizeof *z);
                int *cat = malloc(m * sizeof *cat);
                for (size_t t = 0; t < T; t++)
                    years[t] = wb_panel_year(d.panel, t);
                wb_ehsa_out o = {z, NULL, NULL, NULL, NULL, NULL, NULL, cat};
                if (wb_ehsa(&o, &d.w, d.ym, m, years, T, NULL) < 0)
                    die("hot spots");
                free(z);
                free(cat);
                wb_weights_set_style(&d.w, WB_STYLE_W);
                n = m;
            }
            double t = bench_now() - t0, c = bench_cpu() - c0;
            if (t < best)
                best = t;
            if (c < bestcpu)
                bestcpu = c;
            double pk = bench_peak_mb();
            if (pk > peak)
                peak = pk;
        }
        printf("%s\t%zu\t%.6f\t%.1f\t%.6f\n", steps[s], n, best, peak, bestcpu);
        fflush(stdout);
    }
    wb_spacetime_data_dispose(&d);
    wb_store_free(st);

    /* the bivariate step on the polygons, as spdep reads them */
    wb_layer l = WB_LAYER_INIT;
    if (wb_geo__read_ogr(&l, argv[2], NULL, NULL) < 0)
        die(argv[2]);
    size_t n = l.n;
    /* the variables bench/spacetime.R computes from the same centroids */
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        wb_point c = wb_geom_centroid(&l.geoms[i]);
        x[i] = sin(c.x / 2000) + cos(c.y / 3000) + (double)(i % 7) / 7;
        y[i] = cos(c.x / 5000) - sin(c.y / 9000) + (double)(i % 5) / 5;
    }
    wb_weights w = WB_WEIGHTS_INIT;
    wb_weights_opts wo = WB_WEIGHTS_OPTS_INIT;
    if (wb_weights_from_geoms(&w, l.geoms, n, &wo) < 0)
        die("weights");
    double *buf = malloc(2 * n * sizeof *buf);
    int *cl = malloc(n * sizeof *cl);
    double best = INFINITY, bestcpu = INFINITY, peak = 0;
    for (int r = 0; r < reps; r++) {
        bench_peak_reset();
        double t0 = bench_now(), c0 = bench_cpu();
        wb_lisa_bv_out out = {buf, NULL, NULL, NULL, NULL, buf + n, NULL, NULL, cl};
        wb_lisa_opts o = WB_LISA_OPTS_INIT;
        o.permutations = 999;
        o.threads = threads;
        if (wb_lisa_bv(&out, &w, x, y, &o) < 0)
            die("local bivariate Moran");
        double t = bench_now() - t0, c = bench_cpu() - c0;
        if (t < best)
            best = t;
        if (c < bestcpu)
            bestcpu = c;
        double pk = bench_peak_mb();
        if (pk > peak)
            peak = pk;
    }
    printf("local bivariate Moran 999\t%zu\t%.6f\t%.1f\t%.6f\n", n, best, peak, bestcpu);
    free(buf), free(cl), free(x), free(y);
    wb_weights_dispose(&w);
    wb_layer_dispose(&l);
    return 0;
}
