/**
 * @file
 * @brief Benchmark: the store queries behind the dashboard, in-process (no HTTP): a profile
 * (every value of one area, as the profile endpoint asks for it) for random areas of a level
 * and boundary year, and a map (one indicator and data year for every area of the level,
 * joined with the areas and sorted by code, as the values endpoint asks for it, uncached), and
 * the level means of the profile: SQL's avg() through the `observation` virtual table beside
 * the store's wb_store_level_means, checked to be identical bit for bit.
 * Latency per query: p50, p90, p99, max (wall) and the mean CPU time.
 *
 * usage: profile_query DBFILE LEVEL YEAR [N]   (N profiles, default 3000; N/10 maps)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench profile_query: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    return s;
}

static void report(const char *what, double *lat, int n, double cpu_s, size_t rows)
{
    qsort(lat, (size_t)n, sizeof *lat, cmp_d);
    printf("%-9s %6d queries, %7.1f rows each: p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  "
           "cpu %7.3f ms/query\n",
           what, n, (double)rows / n, lat[n / 2] * 1e3, lat[n * 9 / 10] * 1e3, lat[n * 99 / 100] * 1e3,
           lat[n - 1] * 1e3, cpu_s / n * 1e3);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: profile_query DBFILE LEVEL YEAR [N]\n");
        return 2;
    }
    int year = atoi(argv[3]), n = argc > 4 ? atoi(argv[4]) : 3000;
    wb_store *st = NULL;
    if (wb_store_open(&st, argv[1], WB_STORE_READONLY) < 0) {
        fprintf(stderr, "bench profile_query: %s\n", wb_error_last()->message);
        return 1;
    }
    sqlite3 *db = wb_store__db(st);
    sqlite3_stmt *s = prep(db, "SELECT id FROM area WHERE level = ?1 AND year = ?2 ORDER BY id");
    sqlite3_bind_text(s, 1, argv[2], -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    size_t na = 0, cap = 1024;
    int64_t *ids = malloc(cap * sizeof *ids);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (na == cap)
            ids = realloc(ids, (cap *= 2) * sizeof *ids);
        ids[na++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (!na) {
        fprintf(stderr, "bench profile_query: no %s areas of %d\n", argv[2], year);
        return 1;
    }
    /* the (indicator, data year) pairs that have values for the level */
    s = prep(db, "SELECT DISTINCT indicator_id, year FROM observation WHERE area_id = ?1");
    int64_t pairs[4096][2];
    int np = 0;
    for (size_t i = 0; i < na && i < 50 && np < 4096; i++) {
        sqlite3_bind_int64(s, 1, ids[i * na / 50]);
        while (sqlite3_step(s) == SQLITE_ROW && np < 4096) {
            int64_t k = sqlite3_column_int64(s, 0), y = sqlite3_column_int64(s, 1);
            int dup = 0;
            for (int j = 0; j < np && !dup; j++)
                dup = pairs[j][0] == k && pairs[j][1] == y;
            if (!dup) {
                pairs[np][0] = k;
                pairs[np][1] = y;
                np++;
            }
        }
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);

    double *lat = malloc((size_t)n * sizeof *lat), sum = 0;
    uint64_t x = 88172645463325252ULL;
    size_t rows = 0;
    s = prep(db, "SELECT o.indicator_id, o.year, o.value FROM observation o WHERE o.area_id = ?1 "
                 "ORDER BY o.indicator_id, o.year");
    double c0 = cpu();
    for (int i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double t = now();
        sqlite3_bind_int64(s, 1, ids[x % na]);
        while (sqlite3_step(s) == SQLITE_ROW) {
            sum += sqlite3_column_double(s, 2);
            rows++;
        }
        sqlite3_reset(s);
        lat[i] = now() - t;
    }
    double pc = cpu() - c0;
    sqlite3_finalize(s);
    printf("%s: %zu %s areas of %d, %d (indicator, year) pairs\n", argv[1], na, argv[2], year, np);
    report("profile", lat, n, pc, rows);

    int nm = n / 10 > 0 ? n / 10 : 1;
    rows = 0;
    s = prep(db, "SELECT a.code, o.value FROM observation o JOIN area a ON a.id = o.area_id "
                 "WHERE o.indicator_id = ?1 AND o.year = ?2 AND a.year = ?3 AND a.level = ?4 "
                 "AND o.value IS NOT NULL ORDER BY a.code");
    c0 = cpu();
    for (int i = 0; i < nm && np; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double t = now();
        int j = (int)(x % (uint64_t)np);
        sqlite3_bind_int64(s, 1, pairs[j][0]);
        sqlite3_bind_int64(s, 2, pairs[j][1]);
        sqlite3_bind_int(s, 3, year);
        sqlite3_bind_text(s, 4, argv[2], -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW) {
            sum += sqlite3_column_double(s, 1);
            rows++;
        }
        sqlite3_reset(s);
        lat[i] = now() - t;
    }
    pc = cpu() - c0;
    sqlite3_finalize(s);
    if (np)
        report("map", lat, nm, pc, rows);

    /* the level means: SQL's avg() through the virtual table (the reference), then the
     * store's walk over the chunks (wb_store_level_means); the results must be identical */
    rows = 0;
    s = prep(db, "SELECT o.indicator_id, o.year, avg(o.value) FROM area a JOIN observation o ON o.area_id = a.id "
                 "WHERE a.level = ?1 AND a.year = ?2 AND o.value IS NOT NULL GROUP BY o.indicator_id, o.year "
                 "ORDER BY o.indicator_id, o.year");
    wb_obs_value *ref = NULL;
    size_t nref = 0;
    c0 = cpu();
    for (int i = 0; i < 3; i++) {
        double t = now();
        sqlite3_bind_text(s, 1, argv[2], -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, year);
        nref = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            if (!(nref & (nref - 1)) && !(ref = realloc(ref, (nref ? 2 * nref : 1) * sizeof *ref)))
                abort();
            ref[nref].indicator_id = sqlite3_column_int64(s, 0);
            ref[nref].year = sqlite3_column_int(s, 1);
            ref[nref++].value = sqlite3_column_double(s, 2);
            rows++;
        }
        sqlite3_reset(s);
        lat[i] = now() - t;
    }
    pc = cpu() - c0;
    sqlite3_finalize(s);
    report("means SQL", lat, 3, pc, rows);
    wb_level level;
    if (wb_level_parse(&level, argv[2]) < 0) {
        fprintf(stderr, "bench profile_query: %s\n", wb_error_last()->message);
        return 1;
    }
    rows = 0;
    size_t same = 0, nm2 = 0;
    c0 = cpu();
    for (int i = 0; i < 20; i++) {
        wb_obs_value *m = NULL;
        double t = now();
        if (wb_store_level_means(st, &m, &nm2, level, year) < 0) {
            fprintf(stderr, "bench profile_query: %s\n", wb_error_last()->message);
            return 1;
        }
        lat[i] = now() - t;
        rows += nm2;
        if (i == 0)
            for (size_t k = 0; k < nm2 && k < nref; k++)
                same += m[k].indicator_id == ref[k].indicator_id && m[k].year == ref[k].year &&
                        memcmp(&m[k].value, &ref[k].value, sizeof(double)) == 0;
        wb_free(m);
    }
    pc = cpu() - c0;
    report("means C", lat, 20, pc, rows);
    printf("level means: %zu of %zu (indicator, year) means identical to SQL's avg() bit for bit%s\n", same, nref,
           same == nref && nm2 == nref ? "" : "  ** DIFFERENT **");
    free(ref);
    printf("(checksum %.6g)\n", sum);
    free(lat);
    free(ids);
    wb_store_free(st);
    return 0;
}
