/**
 * @file
 * @brief Benchmark of the spatial steps on one polygon file (or a generated grid):
 * queen weights, global Moran (analytical and 999 permutations), local Moran with 999
 * conditional permutations, Gi*. bench/spatial.sh runs it beside bench/spatial.R (spdep)
 * on the same polygons.
 *
 * usage: spatial_bench FILE|grid:N [THREADS] [REPS]
 * Prints one tab-separated line per step: step, n, seconds (best of REPS, default 3),
 * peak resident memory of the process during the step in MB (VmHWM after resetting it
 * through /proc/self/clear_refs; the loaded polygons count, as they do in R), and the CPU
 * seconds of the process (all threads; best of REPS).
 *
 * The variable is a smooth field of the centroids plus a fixed index pattern, the same
 * formula as bench/spatial.R uses: x_i = sin(cx / 2000) + cos(cy / 3000) + (i mod 7) / 7.
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
    fprintf(stderr, "spatial_bench: %s: %s\n", what, wb_error_last()->message);
    exit(1);
}

/* An N x N grid of 100 m squares, row by row. */
static void make_grid(wb_layer *l, size_t N)
{
    wb_layer e = WB_LAYER_INIT;
    *l = e;
    l->n = N * N;
    l->codes = wb_calloc(l->n, sizeof *l->codes);
    l->names = wb_calloc(l->n, sizeof *l->names);
    l->geoms = wb_calloc(l->n, sizeof *l->geoms);
    for (size_t k = 0; k < l->n; k++) {
        double x0 = (double)(k % N) * 100, y0 = (double)(k / N) * 100;
        wb_geom *g = &l->geoms[k];
        g->npts = 5;
        g->pts = wb_malloc(5 * sizeof *g->pts);
        wb_point p[5] = {{x0, y0}, {x0 + 100, y0}, {x0 + 100, y0 + 100}, {x0, y0 + 100}, {x0, y0}};
        memcpy(g->pts, p, sizeof p);
        g->nrings = 1;
        g->ring_off = wb_malloc(2 * sizeof(size_t));
        g->ring_off[0] = 0;
        g->ring_off[1] = 5;
        g->npolys = 1;
        g->poly_off = wb_malloc(2 * sizeof(size_t));
        g->poly_off[0] = 0;
        g->poly_off[1] = 1;
        wb_geom_update_bbox(g);
        snprintf(l->codes[k], WB_CODE_MAX, "%zu", k + 1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: spatial_bench FILE|grid:N [THREADS] [REPS]\n");
        return 2;
    }
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 0;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    wb_layer l;
    if (!strncmp(argv[1], "grid:", 5))
        make_grid(&l, (size_t)atoi(argv[1] + 5));
    else if (wb_geo__read_ogr(&l, argv[1], NULL, NULL) < 0)
        die(argv[1]);
    size_t n = l.n;
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        wb_point c = wb_geom_centroid(&l.geoms[i]);
        x[i] = sin(c.x / 2000) + cos(c.y / 3000) + (double)(i % 7) / 7;
    }
    wb_weights w = WB_WEIGHTS_INIT;
    wb_weights_opts wo = WB_WEIGHTS_OPTS_INIT;
    double *buf = malloc(6 * n * sizeof *buf);
    int *cl = malloc(n * sizeof *cl);
    const char *steps[] = {"queen weights", "global Moran", "global Moran 999", "local Moran 999", "Gi*"};
    for (int s = 0; s < 5; s++) {
        double best = INFINITY, bestcpu = INFINITY, peak = 0;
        for (int r = 0; r < reps; r++) {
            if (s == 4) /* spdep's localG(x, nb2listw(include.self(nb), style = "B")) */
                wb_weights_set_style(&w, WB_STYLE_B);
            bench_peak_reset();
            double t0 = bench_now(), c0 = bench_cpu();
            if (s == 0) {
                wb_weights_dispose(&w);
                if (wb_weights_from_geoms(&w, l.geoms, n, &wo) < 0)
                    die("weights");
            } else if (s == 1 || s == 2) {
                wb_moran_opts mo = WB_MORAN_OPTS_INIT;
                mo.permutations = s == 2 ? 999 : 0;
                mo.threads = threads;
                wb_moran_result m;
                if (wb_moran_global(&m, &w, x, &mo) < 0)
                    die("moran");
            } else if (s == 3) {
                wb_lisa_out out = {buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, NULL, NULL, cl};
                wb_lisa_opts lo = WB_LISA_OPTS_INIT;
                lo.permutations = 999;
                lo.threads = threads;
                if (wb_lisa_local_moran(&out, &w, x, &lo) < 0)
                    die("lisa");
            } else {
                if (wb_getis_ord(buf, buf + n, buf + 2 * n, &w, x, 1) < 0)
                    die("getis");
            }
            double dt = bench_now() - t0, dc = bench_cpu() - c0;
            if (dc < bestcpu)
                bestcpu = dc;
            if (s == 4)
                wb_weights_set_style(&w, WB_STYLE_W);
            if (dt < best)
                best = dt;
            double pk = bench_peak_mb();
            if (pk > peak)
                peak = pk;
        }
        printf("%s\t%zu\t%.6f\t%.1f\t%.6f\n", steps[s], n, best, peak, bestcpu);
        fflush(stdout);
    }
    wb_weights_summary sm;
    wb_weights_summarize(&sm, &w);
    fprintf(stderr, "spatial_bench: %zu areas, %zu queen links, %zu islands\n", n, sm.nlinks, sm.islands);
    wb_weights_dispose(&w);
    wb_layer_dispose(&l);
    free(x);
    free(buf);
    free(cl);
    return 0;
}
