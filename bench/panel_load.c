/**
 * @file
 * @brief Benchmark: a national panel out of the store. With a new DBFILE it first builds a
 * store of AREAS buurten x YEARS data years x INDICATORS indicators (wb_store_obs_put in one
 * transaction, fixed-seed values) and stops: run it again to measure, so that the peak memory
 * is the reading alone. Then, on the existing file:
 *
 *   load      wb_panel_load of every indicator (the panel the scores and trends work on)
 *   scores    a z-score model over all indicators in 6 dimensions, 2 threads
 *   trends    Mann-Kendall + Sen slope + hinge at 2012 + classes per area and indicator,
 *             2 threads (the panel transposed to series first, included)
 *   profiles  every value of one area (SELECT ... FROM observation WHERE area_id = ?
 *             ORDER BY indicator_id, year: the query of the dashboard's profile endpoint)
 *             for 2,000 random areas: latency per profile
 *
 * Prints wall and CPU time per phase, values per second of the load, profile latency
 * percentiles and the peak resident memory. Compiles against the library of any schema
 * version (it uses the public API and the `observation` name only).
 *
 * usage: panel_load DBFILE [AREAS YEARS INDICATORS]   (default 15000 20 50)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "store/store_internal.h"
#include "wijkbeeld.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench panel_load: %s: %s\n", what, wb_error_last()->message);
    exit(1);
}

/* The resident memory now, split into anonymous (heap) and file pages (the memory-mapped store
 * counts here), in MB, from /proc/self/status (0 where unavailable). */
static void rss_now(long *anon, long *file)
{
    *anon = *file = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long kb;
        if (sscanf(line, "RssAnon: %ld kB", &kb) == 1)
            *anon = kb / 1024;
        else if (sscanf(line, "RssFile: %ld kB", &kb) == 1)
            *file = kb / 1024;
    }
    fclose(f);
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void build(const char *path, size_t na, size_t ny, size_t nk, char **keys)
{
    wb_store *st = NULL;
    if (wb_store_open(&st, path, WB_STORE_CREATE) < 0)
        die("open");
    double t0 = now(), c0 = cpu();
    if (wb_store_begin(st) < 0)
        die("begin");
    int64_t *ids = malloc(nk * sizeof *ids);
    for (size_t k = 0; k < nk; k++) {
        wb_indicator ind = {0};
        ind.key = keys[k];
        if (wb_store_indicator_put(st, &ids[k], &ind) < 0)
            die("indicator");
    }
    unsigned x = 1;
    for (size_t a = 0; a < na; a++) {
        char code[16];
        snprintf(code, sizeof code, "BU%04zu%02zu%02zu", 1 + a / 400, (a / 40) % 10, a % 40);
        int64_t aid;
        if (wb_store_area_put(st, &aid, code, 2024, WB_LEVEL_BUURT, NULL, NULL) < 0)
            die("area");
        for (size_t k = 0; k < nk; k++)
            for (size_t t = 0; t < ny; t++) {
                x = x * 1103515245u + 12345u;
                /* the generator of the first version of this benchmark: files built by either
                 * version hold the same values */
                if (wb_store_obs_put(st, ids[k], aid, 2005 + (int)t, (double)(x >> 8) / 65536.0) < 0)
                    die("obs");
            }
    }
    if (wb_store_commit(st) < 0)
        die("commit");
    free(ids);
    wb_store_free(st);
    printf("built %s: %zu values in %.1f s (%.1f s CPU); run again to measure\n", path, na * ny * nk, now() - t0,
           cpu() - c0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: panel_load DBFILE [AREAS YEARS INDICATORS]\n");
        return 2;
    }
    const char *path = argv[1];
    size_t na = argc > 2 ? strtoul(argv[2], NULL, 10) : 15000;
    size_t ny = argc > 3 ? strtoul(argv[3], NULL, 10) : 20;
    size_t nk = argc > 4 ? strtoul(argv[4], NULL, 10) : 50;
    char **keys = malloc(nk * sizeof *keys);
    for (size_t k = 0; k < nk; k++) {
        keys[k] = malloc(16);
        snprintf(keys[k], 16, "i%02zu", k);
    }
    if (access(path, F_OK) != 0) {
        build(path, na, ny, nk, keys);
        return 0;
    }
    wb_store *st = NULL;
    if (wb_store_open(&st, path, WB_STORE_READONLY) < 0)
        die("open");

    /* load */
    wb_panel_opts o = WB_PANEL_OPTS_INIT;
    o.level = WB_LEVEL_BUURT;
    wb_panel *p = NULL;
    double t0 = now(), c0 = cpu();
    if (wb_panel_load(&p, st, (const char *const *)keys, nk, &o) < 0)
        die("load");
    double load_w = now() - t0, load_c = cpu() - c0;
    long anon, file;
    rss_now(&anon, &file);
    size_t pa = wb_panel_nareas(p), py = wb_panel_nyears(p), pk = wb_panel_nkeys(p);
    size_t nval = pa * py * pk;

    /* scores: z over all indicators in 6 dimensions */
    char *text = malloc(64 * nk + 512);
    size_t len = (size_t)sprintf(text, "[model]\ntransform = z\nbase_year = 2012\nmin_coverage = 0.5\n");
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
    t0 = now(), c0 = cpu();
    wb_scorer *sc = NULL;
    wb_scores r = WB_SCORES_INIT;
    if (wb_scorer_new(&sc, m, p) < 0 || wb_scorer_run(&r, sc, 2) < 0)
        die("scores");
    double score_w = now() - t0, score_c = cpu() - c0;
    wb_scores_dispose(&r);
    wb_scorer_free(sc);
    wb_model_free(m);

    /* trends: the series of each indicator as [area][year], then one batch per indicator */
    t0 = now(), c0 = cpu();
    double *years = malloc(py * sizeof *years), *series = malloc(pa * py * sizeof *series);
    wb_trend_result *res = malloc(pa * sizeof *res);
    for (size_t t = 0; t < py; t++)
        years[t] = wb_panel_year(p, t);
    size_t ncls[WB_TREND__MAX] = {0};
    for (size_t k = 0; k < pk; k++) {
        for (size_t t = 0; t < py; t++) {
            const double *c = wb_panel_ccolumn(p, k, t);
            for (size_t a = 0; a < pa; a++)
                series[a * py + t] = c[a];
        }
        wb_trend_opts to = WB_TREND_OPTS_INIT;
        to.break_mode = WB_BREAK_FIXED;
        to.break_year = 2012;
        to.nthreads = 2;
        to.sen_conf = 0; /* phase 1 of bench/trend.c: MK + Sen slope + hinge + classes */
        wb_trend_summary sum;
        if (wb_trend_batch(res, &sum, years, py, series, pa, &to, NULL, NULL) < 0)
            die("trends");
        for (int cl = 0; cl < WB_TREND__MAX; cl++)
            ncls[cl] += sum.count[cl];
    }
    double trend_w = now() - t0, trend_c = cpu() - c0;
    free(series);
    free(years);
    free(res);
    wb_panel_free(p);

    /* profiles of random areas, as the dashboard asks for them */
    sqlite3 *db = wb_store__db(st);
    sqlite3_stmt *ids = NULL, *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT id FROM area WHERE level = 'buurt' ORDER BY id", -1, &ids, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT indicator_id, year, value FROM observation WHERE area_id = ?1 "
                               "ORDER BY indicator_id, year", -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench panel_load: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    size_t nids = 0, cap = 1024;
    int64_t *aid = malloc(cap * sizeof *aid);
    while (sqlite3_step(ids) == SQLITE_ROW) {
        if (nids == cap)
            aid = realloc(aid, (cap *= 2) * sizeof *aid);
        aid[nids++] = sqlite3_column_int64(ids, 0);
    }
    sqlite3_finalize(ids);
    enum { NP = 2000 };
    double *lat = malloc(NP * sizeof *lat), sumv = 0;
    size_t got = 0;
    uint64_t xs = 88172645463325252ULL;
    t0 = now(), c0 = cpu();
    for (int i = 0; i < NP; i++) {
        xs ^= xs << 13, xs ^= xs >> 7, xs ^= xs << 17;
        double s = now();
        sqlite3_bind_int64(q, 1, aid[xs % nids]);
        while (sqlite3_step(q) == SQLITE_ROW) {
            sumv += sqlite3_column_double(q, 2);
            got++;
        }
        sqlite3_reset(q);
        lat[i] = now() - s;
    }
    double prof_w = now() - t0, prof_c = cpu() - c0;
    sqlite3_finalize(q);
    qsort(lat, NP, sizeof *lat, cmp_d);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("panel: %zu areas x %zu years x %zu indicators = %.2f M values\n", pa, py, pk, (double)nval / 1e6);
    printf("%-10s %9s %9s  %s\n", "phase", "wall s", "cpu s", "");
    printf("%-10s %9.3f %9.3f  %.2f M values/s (wall), %.2f M values/s (cpu)\n", "load", load_w, load_c,
           (double)nval / 1e6 / load_w, (double)nval / 1e6 / load_c);
    printf("%-10s %9.3f %9.3f  z-score model, %zu indicators in 6 dimensions, 2 threads\n", "scores", score_w, score_c,
           pk);
    printf("%-10s %9.3f %9.3f  MK + Sen + hinge 2012, %zu series, 2 threads (%zu improving, %zu declining)\n",
           "trends", trend_w, trend_c, pa * pk, ncls[WB_TREND_IMPROVING], ncls[WB_TREND_DECLINING]);
    printf("%-10s %9.3f %9.3f  load + scores + trends\n", "total", load_w + score_w + trend_w,
           load_c + score_c + trend_c);
    printf("%-10s %9.3f %9.3f  %d profiles of %zu values: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n",
           "profiles", prof_w, prof_c, NP, got / NP, lat[NP / 2] * 1e3, lat[NP * 9 / 10] * 1e3,
           lat[NP * 99 / 100] * 1e3, lat[NP - 1] * 1e3);
    printf("peak resident memory: %ld MB; after the load %ld MB anonymous + %ld MB file pages (the store is "
           "read through a memory map)\n", ru.ru_maxrss / 1024, anon, file);
    printf("RESULT load_wall=%.4f load_cpu=%.4f score_wall=%.4f trend_wall=%.4f profile_p50_ms=%.4f "
           "profile_p99_ms=%.4f peak_mb=%ld (checksum %.6g)\n",
           load_w, load_c, score_w, trend_w, lat[NP / 2] * 1e3, lat[NP * 99 / 100] * 1e3, ru.ru_maxrss / 1024, sumv);
    free(lat);
    free(aid);
    wb_store_free(st);
    for (size_t k = 0; k < nk; k++)
        free(keys[k]);
    free(keys);
    return 0;
}
