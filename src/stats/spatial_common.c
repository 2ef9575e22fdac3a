/** @file @brief Shared pieces of the spatial statistics: centring, normal p-values, BH. */
#include <math.h>
#include <stdlib.h>

#include "stats/spatial_internal.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spatial.h"

int wb_spatial__center(double *z, double *mean, const double *x, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            wb_error_set(WB_ERRCLASS_STATS, "%s: value %zu is not a finite number", what, i + 1);
            return WB_EINVALID;
        }
    }
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    long double t = 0;
    for (size_t i = 0; i < n; i++)
        t += x[i] - s;
    s += t / (long double)n;
    double m = (double)s;
    int constant = 1;
    for (size_t i = 0; i < n; i++) {
        z[i] = x[i] - m;
        if (x[i] != x[0])
            constant = 0;
    }
    if (constant) {
        wb_error_set(WB_ERRCLASS_STATS,
                     "%s: all %zu values are equal (%.15g): zero variance, the statistic is undefined",
                     what, n, x[0]);
        return WB_EINVALID;
    }
    *mean = m;
    return 0;
}

double wb_spatial__p2(double z)
{
    return erfc(fabs(z) / M_SQRT2);
}

typedef struct {
    double p;
    size_t i;
} pidx;

static int cmp_pidx(const void *a, const void *b)
{
    const pidx *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int wb_p_adjust_bh(double *out, const double *p, size_t n)
{
    pidx *v = wb_malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return WB_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            out[i] = NAN;
        else
            v[m++] = (pidx){p[i], i};
    }
    qsort(v, m, sizeof *v, cmp_pidx);
    /* q_(k) = min over j >= k of m / j * p_(j), capped at 1 (R p.adjust "BH") */
    double run = 1.0;
    for (size_t k = m; k-- > 0;) {
        double q = (double)m / (double)(k + 1) * v[k].p;
        if (q < run)
            run = q;
        out[v[k].i] = run;
    }
    wb_free(v);
    return 0;
}
