/**
 * @file
 * @brief Benchmark: composite scores for every area and year of a generated national-size
 * panel (default 15,000 areas x 20 years x 50 indicators, 5% missing), with the z, rank_normal
 * and rank_exp transforms, on 1 and 2 threads; then a set-versus-rest comparison of the
 * scores. Prints wall time per step and the peak resident memory.
 *
 * usage: score [AREAS YEARS INDICATORS]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "wijkbeeld.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static void die(const char *what)
{
    fprintf(stderr, "bench score: %s: %s\n", what, wb_error_last()->message);
    exit(1);
}

/* xorshift64*: a fixed-seed generator, so every run scores the same panel */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double urand(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    size_t na = argc > 1 ? strtoul(argv[1], NULL, 10) : 15000;
    size_t ny = argc > 2 ? strtoul(argv[2], NULL, 10) : 20;
    size_t nk = argc > 3 ? strtoul(argv[3], NULL, 10) : 50;
    char (*cbuf)[16] = malloc(na * sizeof *cbuf);
    char (*kbuf)[16] = malloc(nk * sizeof *kbuf);
    const char **codes = malloc(na * sizeof *codes), **keys = malloc(nk * sizeof *keys);
    int *years = malloc(ny * sizeof *years);
    if (!cbuf || !kbuf || !codes || !keys || !years)
        return 1;
    for (size_t a = 0; a < na; a++) {
        /* buurt codes, 40 per wijk, 10 wijken per gemeente: ~375 gemeenten */
        snprintf(cbuf[a], sizeof cbuf[a], "BU%04zu%02zu%02zu", 1 + a / 400, (a / 40) % 10, a % 40);
        codes[a] = cbuf[a];
    }
    for (size_t k = 0; k < nk; k++) {
        snprintf(kbuf[k], sizeof kbuf[k], "i%02zu", k);
        keys[k] = kbuf[k];
    }
    for (size_t t = 0; t < ny; t++)
        years[t] = 2005 + (int)t;

    double t0 = now();
    wb_panel *p = NULL;
    if (wb_panel_new(&p, na, codes, ny, years, nk, keys, 2024) < 0)
        die("panel");
    for (size_t k = 0; k < nk; k++) {
        for (size_t t = 0; t < ny; t++) {
            double *c = wb_panel_column(p, k, t);
            for (size_t a = 0; a < na; a++)
                c[a] = urand() < 0.05 ? NAN : 10.0 * (double)k + urand() * (1.0 + (double)t * 0.01);
        }
    }
    double t_gen = now() - t0;
    printf("panel: %zu areas x %zu years x %zu indicators = %.1f M values (%.0f MB), generated in %.3f s\n", na,
           ny, nk, (double)(na * ny * nk) / 1e6, (double)(na * ny * nk * 8) / 1048576.0, t_gen);

    /* a model over all indicators in 6 dimensions */
    static const char *const tr[] = {"z", "rank_normal", "rank_exp"};
    printf("%-12s %8s %10s %10s %10s %12s\n", "transform", "threads", "reference", "scores", "total", "areas*years/s");
    for (int ti = 0; ti < 3; ti++) {
        char *text = malloc(64 * nk + 512);
        size_t len = (size_t)sprintf(text, "[model]\ntransform = %s\nbase_year = 2012\nmin_coverage = 0.5\n", tr[ti]);
        for (size_t k = 0; k < nk; k++) {
            if (k % ((nk + 5) / 6) == 0)
                len += (size_t)sprintf(text + len, "[dimension d%zu]\nweight = %zu\n", k / ((nk + 5) / 6), 1 + k % 3);
            len += (size_t)sprintf(text + len, "indicator %s direction=%c weight=%zu\n", keys[k], k % 3 ? '+' : '-',
                                   1 + k % 4);
        }
        len += (size_t)sprintf(text + len, "[classes]\nthresholds = -1.5 -1 -0.6 -0.3 -0.1 0.1 0.35 0.7\n");
        wb_model *m = NULL;
        if (wb_model_parse(&m, text, len, "bench.model") < 0)
            die("model");
        free(text);
        for (int th = 1; th <= 2; th++) {
            double a0 = now();
            wb_scorer *s = NULL;
            if (wb_scorer_new(&s, m, p) < 0)
                die("scorer");
            double a1 = now();
            wb_scores r = WB_SCORES_INIT;
            if (wb_scorer_run(&r, s, th) < 0)
                die("run");
            double a2 = now();
            printf("%-12s %8d %9.3fs %9.3fs %9.3fs %12.3g\n", tr[ti], th, a1 - a0, a2 - a1, a2 - a0,
                   (double)(na * ny) / (a2 - a0));
            if (ti == 0 && th == 2) {
                /* compare: every 40th area is in the set */
                unsigned char *in = calloc(na, 1);
                long *gm = malloc(na * sizeof *gm);
                for (size_t a = 0; a < na; a++) {
                    in[a] = a % 40 == 0;
                    gm[a] = wb_panel_gemeente(p, a);
                }
                double c0 = now();
                wb_compare_year *rows = NULL;
                if (wb_compare_years(&rows, r.score, na, ny, years, in, gm, 0) < 0)
                    die("compare");
                printf("compare      %8d %9s  %9.3fs %9.3fs (set of %zu areas vs the rest, %zu years)\n", 1, "",
                       now() - c0, now() - c0, (na + 39) / 40, ny);
                wb_free(rows);
                free(in);
                free(gm);
            }
            wb_scores_dispose(&r);
            wb_scorer_free(s);
        }
        wb_model_free(m);
    }
    printf("peak resident memory: %ld MB\n", peak_mb());
    wb_panel_free(p);
    free(cbuf);
    free(kbuf);
    free(codes);
    free(keys);
    free(years);
    return 0;
}
