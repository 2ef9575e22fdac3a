/**
 * @file
 * @brief Benchmark of the trend statistics on a national-size panel generated in memory:
 * 15,000 areas x 20 years (2004..2023) x 50 indicators = 750,000 series, seeded.
 *
 * Each indicator is one wb_trend_batch call over its 15,000 series (the unit `wijkbeeld trend`
 * works in); the result buffer is reused. Phases timed separately:
 *   1  Mann-Kendall + Theil-Sen slope + hinge at 2012 + classes and groups
 *   2  the same with the Theil-Sen 95% interval (what `wijkbeeld trend` computes)
 *   3  the same with the break estimated by sup-F, Davies bound only (draws = 0)
 *   4  the same with the sup-F p by simulation (999 draws per distinct design)
 * Usage: trend [--areas N] [--indicators K] [--threads T] [--seed S] [--phases 1..4]
 *              [--dump FILE]
 *   --dump writes the first 2000 series of indicator 0 (long CSV) for the R comparison.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "wijkbeeld.h"

#define NY 20

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rs;
static uint64_t next(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}
static double unif(void)
{
    return ((double)(next() >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
    return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    long nareas = 15000, nind = 50, threads = 2, seed = 20240611;
    const char *dump = NULL;
    int nphases = 4;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--areas"))
            nareas = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--indicators"))
            nind = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--phases"))
            nphases = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--dump"))
            dump = argv[i + 1];
    }
    rs = (uint64_t)seed * 2654435761u + 1;
    double years[NY];
    for (int j = 0; j < NY; j++)
        years[j] = 2004 + j;

    /* the panel: [indicator][area][year]. Each indicator has its own scale and a few years
     * in which it was not published (every 5th indicator misses 2 years); each area has a
     * level and a trend with a change at 2012 in a third of the areas; 1% of the values are
     * missing at random; values rounded to 2 decimals (ties happen). */
    double t0 = now();
    size_t nser = (size_t)nareas * (size_t)nind;
    double *panel = malloc(nser * NY * sizeof *panel);
    if (!panel) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long k = 0; k < nind; k++) {
        double scale = 1 + (double)(k % 7) * 10;
        int skip1 = (k % 5 == 0) ? (int)(k / 5) % NY : -1, skip2 = (k % 5 == 0) ? (skip1 + 7) % NY : -1;
        for (long a = 0; a < nareas; a++) {
            double *row = panel + ((size_t)k * (size_t)nareas + (size_t)a) * NY;
            double level = gauss() * scale, b = gauss() * 0.05 * scale;
            double c = (a % 3 == 0) ? -b + gauss() * 0.05 * scale : 0;
            for (int j = 0; j < NY; j++) {
                double x = years[j] - 2012;
                double v = level + b * x + c * (x > 0 ? x : 0) + gauss() * 0.2 * scale;
                row[j] = round(v * 100) / 100;
                if (j == skip1 || j == skip2 || unif() < 0.01)
                    row[j] = NAN;
            }
        }
    }
    double tgen = now() - t0;

    if (dump) {
        FILE *f = fopen(dump, "w");
        if (!f)
            return 1;
        fprintf(f, "id,year,value\n");
        long m = nareas < 2000 ? nareas : 2000;
        for (long a = 0; a < m; a++)
            for (int j = 0; j < NY; j++) {
                double v = panel[(size_t)a * NY + (size_t)j];
                if (isnan(v))
                    fprintf(f, "%ld,%d,NA\n", a + 1, (int)years[j]);
                else
                    fprintf(f, "%ld,%d,%.17g\n", a + 1, (int)years[j], v);
            }
        fclose(f);
    }

    wb_trend_result *res = malloc((size_t)nareas * sizeof *res);
    if (!res)
        return 1;
    struct {
        const char *name;
        wb_break_mode mode;
        int draws;
        double conf;
        double secs, cpus;
        size_t designs;
        size_t cls[WB_TREND__MAX];
    } ph[] = {{"MK + Sen slope + hinge at 2012 + classes", WB_BREAK_FIXED, 0, 0, 0, 0, 0, {0}},
              {"  same + Sen 95% interval (CLI default)", WB_BREAK_FIXED, 0, 0.95, 0, 0, 0, {0}},
              {"  same, break estimated, Davies p", WB_BREAK_ESTIMATE, 0, 0.95, 0, 0, 0, {0}},
              {"  same, break estimated, sup-F p (999 draws)", WB_BREAK_ESTIMATE, 999, 0.95, 0, 0, 0,
               {0}}};
    int nph = nphases < 1 ? 1 : nphases > 4 ? 4 : nphases;
    for (int p = 0; p < nph; p++) {
        wb_trend_opts o = WB_TREND_OPTS_INIT;
        o.break_mode = ph[p].mode;
        o.break_year = 2012;
        o.draws = ph[p].draws;
        o.sen_conf = ph[p].conf;
        o.nthreads = (int)threads;
        double s = now(), c0 = cpu();
        for (long k = 0; k < nind; k++) {
            wb_trend_summary sum;
            if (wb_trend_batch(res, &sum, years, NY, panel + (size_t)k * (size_t)nareas * NY,
                               (size_t)nareas, &o, NULL, NULL) < 0) {
                fprintf(stderr, "trend: %s\n", wb_error_last()->message);
                return 1;
            }
            ph[p].designs += sum.ndesigns;
            for (int c = 0; c < WB_TREND__MAX; c++)
                ph[p].cls[c] += sum.count[c];
        }
        ph[p].secs = now() - s;
        ph[p].cpus = cpu() - c0;
    }

    printf("trend: %ld areas x %d years x %ld indicators = %zu series, %ld threads\n", nareas, NY,
           nind, nser, threads);
    printf("%-46s %9s %9s %12s %10s\n", "phase", "wall s", "cpu s", "series/s", "us/series");
    printf("%-46s %9.3f\n", "generate the panel (not part of the goal)", tgen);
    for (int p = 0; p < nph; p++) {
        printf("%-46s %9.3f %9.3f %12.0f %10.3f", ph[p].name, ph[p].secs, ph[p].cpus, (double)nser / ph[p].secs,
               ph[p].secs * 1e6 / (double)nser);
        if (ph[p].draws)
            printf("   (%zu designs simulated)", ph[p].designs);
        printf("\n");
    }
    printf("classes (fixed break): improving %zu, stagnating %zu, declining %zu, unknown %zu\n",
           ph[0].cls[WB_TREND_IMPROVING], ph[0].cls[WB_TREND_STAGNATING],
           ph[0].cls[WB_TREND_DECLINING], ph[0].cls[WB_TREND_UNKNOWN]);
    for (int p = 0; p < nph; p++)
        printf("PHASE%d_WALL=%.6f PHASE%d_CPU=%.6f\n", p + 1, ph[p].secs, p + 1, ph[p].cpus);
    printf("peak memory (max RSS): %.1f MB (panel %.1f MB)\n", peak_mb(),
           (double)(nser * NY * sizeof *panel) / 1048576.0);
    free(res);
    free(panel);
    return 0;
}
