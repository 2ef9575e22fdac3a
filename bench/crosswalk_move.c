/**
 * @file
 * @brief Benchmark program (bench/crosswalk.sh): derive the area-weighted crosswalk between
 * two boundary years from the stored polygons and move one count along it, as one process,
 * the way the harmonisation will: wb_crosswalk_derive, then wb_crosswalk_move (WB_XW_COUNT).
 * Writes "code,value" of every to-area (empty when no source reaches it) and, on stderr, the
 * time of each step and of moving the same count 20 times (20 data years).
 *
 *   crosswalk_move DB LEVEL FROM_YEAR TO_YEAR INDICATOR DATA_YEAR OUT.csv
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wijkbeeld.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int fail(void)
{
    fprintf(stderr, "crosswalk_move: %s\n", wb_error_last()->message);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: crosswalk_move DB LEVEL FROM_YEAR TO_YEAR INDICATOR DATA_YEAR OUT.csv\n");
        return 2;
    }
    double t0 = now();
    wb_store *st = NULL;
    if (wb_store_open(&st, argv[1], WB_STORE_READONLY) < 0)
        return fail();
    wb_crosswalk_derive_opts o = WB_CROSSWALK_DERIVE_OPTS_INIT;
    if (wb_level_parse(&o.level, argv[2]) < 0)
        return fail();
    o.from_year = atoi(argv[3]);
    o.to_year = atoi(argv[4]);
    wb_crosswalk *xw = NULL;
    wb_crosswalk_derive_summary s;
    if (wb_crosswalk_derive(&xw, &s, st, &o) < 0)
        return fail();
    double t1 = now();
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = argv[5];
    q.year = atoi(argv[6]);
    q.boundary_year = o.from_year;
    q.level = o.level;
    wb_value *v = NULL;
    size_t nv = 0;
    if (wb_store_values(st, &v, &nv, NULL, &q) < 0)
        return fail();
    double *in = malloc(xw->from.n * sizeof *in), *out = malloc(xw->to.n * sizeof *out);
    for (size_t i = 0; i < xw->from.n; i++)
        in[i] = NAN;
    /* values and from-areas are both in code order */
    for (size_t k = 0, i = 0; k < nv && i < xw->from.n;) {
        int c = strcmp(v[k].code, xw->from.code[i]);
        if (c == 0)
            in[i++] = v[k++].value;
        else if (c < 0)
            k++;
        else
            i++;
    }
    double t2 = now();
    if (wb_crosswalk_move(xw, WB_XW_COUNT, in, out, NULL) < 0)
        return fail();
    double t3 = now();
    for (int rep = 0; rep < 20; rep++)
        wb_crosswalk_move(xw, WB_XW_COUNT, in, out, NULL);
    double t4 = now();
    FILE *f = fopen(argv[7], "w");
    if (!f)
        return 1;
    fprintf(f, "code,value\n");
    for (size_t t = 0; t < xw->to.n; t++) {
        if (isnan(out[t]))
            fprintf(f, "%s,\n", xw->to.code[t]);
        else
            fprintf(f, "%s,%.17g\n", xw->to.code[t], out[t]);
    }
    fclose(f);
    fprintf(stderr, "derive %.3f s (%zu pairs of %zu candidates, %zu repaired), values %.3f s, move %.6f s, "
                    "20 moves of %zu values %.6f s\n",
            t1 - t0, xw->npairs, s.overlay.candidates, s.overlay.repaired_a + s.overlay.repaired_b, t2 - t1,
            t3 - t2, xw->from.n, t4 - t3);
    free(in);
    free(out);
    wb_free(v);
    wb_crosswalk_free(xw);
    wb_store_free(st);
    return 0;
}
