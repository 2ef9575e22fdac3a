/**
 * @file
 * @brief Benchmark: load a panel from a SQLite store. Builds (once, into the given file) a
 * store of AREAS buurten x YEARS years x INDICATORS indicators, then times wb_panel_load of
 * all of it and reports observations per second and peak memory.
 *
 * usage: panel_load DBFILE [AREAS YEARS INDICATORS]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "wijkbeeld.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench panel_load: %s: %s\n", what, wb_error_last()->message);
    exit(1);
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
    size_t nk = argc > 4 ? strtoul(argv[4], NULL, 10) : 5;
    char **keys = malloc(nk * sizeof *keys);
    for (size_t k = 0; k < nk; k++) {
        keys[k] = malloc(16);
        snprintf(keys[k], 16, "i%02zu", k);
    }
    wb_store *st = NULL;
    int fresh = access(path, F_OK) != 0;
    if (wb_store_open(&st, path, WB_STORE_CREATE) < 0)
        die("open");
    if (fresh) {
        double t0 = now();
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
                    if (wb_store_obs_put(st, ids[k], aid, 2005 + (int)t, (double)(x >> 8) / 65536.0) < 0)
                        die("obs");
                }
        }
        if (wb_store_commit(st) < 0)
            die("commit");
        free(ids);
        printf("built %s: %zu observations in %.1f s\n", path, na * ny * nk, now() - t0);
    }
    wb_panel_opts o = WB_PANEL_OPTS_INIT;
    o.level = WB_LEVEL_BUURT;
    wb_panel *p = NULL;
    double t0 = now();
    if (wb_panel_load(&p, st, (const char *const *)keys, nk, &o) < 0)
        die("load");
    double dt = now() - t0;
    size_t nobs = wb_panel_nareas(p) * wb_panel_nyears(p) * wb_panel_nkeys(p);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("panel_load: %zu areas x %zu years x %zu indicators = %.2f M values in %.3f s (%.2f M/s), "
           "peak %ld MB\n", wb_panel_nareas(p), wb_panel_nyears(p), wb_panel_nkeys(p), (double)nobs / 1e6, dt,
           (double)nobs / 1e6 / dt, ru.ru_maxrss / 1024);
    wb_panel_free(p);
    wb_store_free(st);
    for (size_t k = 0; k < nk; k++)
        free(keys[k]);
    free(keys);
    return 0;
}
