/** @file @brief A labelled set against the rest: group means, medians and gaps per year. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wijkbeeld/compare.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static int cmp_long(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return a < b ? -1 : a > b;
}

double wb_median_inplace(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void stat_of(wb_cmp_stat *g, double *v, size_t n)
{
    g->n = n;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    g->mean = n ? sum / (double)n : NAN;
    g->median = wb_median_inplace(v, n);
}

int wb_compare_years(wb_compare_year **out, const double *values, size_t nareas, size_t nyears,
                     const int *years, const unsigned char *in_set, const long *gemeente,
                     int balanced)
{
    *out = NULL;
    int error = 0;
    wb_compare_year *rows = wb_calloc(nyears ? nyears : 1, sizeof *rows);
    unsigned char *keep = wb_malloc(nareas ? nareas : 1);
    unsigned char *near = wb_calloc(nareas ? nareas : 1, 1);
    long *gms = wb_malloc((nareas ? nareas : 1) * sizeof *gms);
    double *buf[WB_CMP__MAX] = {NULL};
    for (int g = 0; g < WB_CMP__MAX; g++)
        buf[g] = wb_malloc((nareas ? nareas : 1) * sizeof(double));
    if (!rows || !keep || !near || !gms || !buf[0] || !buf[1] || !buf[2] || !buf[3]) {
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory comparing a set");
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t a = 0; a < nareas; a++) {
        keep[a] = 1;
        for (size_t t = 0; balanced && t < nyears; t++)
            if (isnan(values[t * nareas + a]))
                keep[a] = 0;
    }
    /* the areas of gemeenten that contain a member: the members' gemeenten, sorted */
    size_t ng = 0;
    for (size_t a = 0; a < nareas; a++)
        if (in_set[a] && gemeente[a] >= 0)
            gms[ng++] = gemeente[a];
    qsort(gms, ng, sizeof *gms, cmp_long);
    for (size_t b = 0; b < nareas; b++)
        if (!in_set[b] && gemeente[b] >= 0 && bsearch(&gemeente[b], gms, ng, sizeof *gms, cmp_long))
            near[b] = 1;
    for (size_t t = 0; t < nyears; t++) {
        size_t n[WB_CMP__MAX] = {0};
        const double *col = values + t * nareas;
        for (size_t a = 0; a < nareas; a++) {
            double v = col[a];
            if (isnan(v) || !keep[a])
                continue;
            buf[WB_CMP_NATION][n[WB_CMP_NATION]++] = v;
            if (in_set[a]) {
                buf[WB_CMP_SET][n[WB_CMP_SET]++] = v;
            } else {
                buf[WB_CMP_REST][n[WB_CMP_REST]++] = v;
                if (near[a])
                    buf[WB_CMP_GEMEENTEN][n[WB_CMP_GEMEENTEN]++] = v;
            }
        }
        wb_compare_year *r = &rows[t];
        r->year = years[t];
        for (int g = 0; g < WB_CMP__MAX; g++)
            stat_of(&r->g[g], buf[g], n[g]);
        r->gap_nation = r->g[WB_CMP_SET].mean - r->g[WB_CMP_NATION].mean;
        r->gap_gemeenten = r->g[WB_CMP_SET].mean - r->g[WB_CMP_GEMEENTEN].mean;
    }
    *out = rows;
    rows = NULL;
done:
    wb_free(rows);
    wb_free(keep);
    wb_free(near);
    wb_free(gms);
    for (int g = 0; g < WB_CMP__MAX; g++)
        wb_free(buf[g]);
    return error;
}

static void period(wb_compare_period *p, const wb_compare_year *a, const wb_compare_year *b)
{
    double dt = (double)(b->year - a->year);
    p->from = a->year;
    p->to = b->year;
    for (int g = 0; g < WB_CMP__MAX; g++)
        p->change[g] = (b->g[g].mean - a->g[g].mean) / dt;
    p->gap_nation_change = (b->gap_nation - a->gap_nation) / dt;
    p->gap_gemeenten_change = (b->gap_gemeenten - a->gap_gemeenten) / dt;
}

int wb_compare_periods(wb_compare_period out[2], const wb_compare_year *rows, size_t nrows,
                       int break_year)
{
    const wb_compare_year *first = NULL, *last = NULL, *brk = NULL;
    for (size_t i = 0; i < nrows; i++) {
        if (isnan(rows[i].g[WB_CMP_SET].mean))
            continue;
        if (!first)
            first = &rows[i];
        last = &rows[i];
        if (rows[i].year == break_year)
            brk = &rows[i];
    }
    if (!brk || brk == first || brk == last) {
        wb_error_set(WB_ERRCLASS_ARG, "break year %d must be a year with values strictly between the first "
                     "(%d) and the last (%d)", break_year, first ? first->year : 0, last ? last->year : 0);
        return WB_EINVALID;
    }
    period(&out[0], first, brk);
    period(&out[1], brk, last);
    return 0;
}
