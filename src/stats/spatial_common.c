/** @file @brief Shared pieces of the spatial statistics: centring, normal p-values, BH. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* Order of the p-values (0 <= p <= 1, none NaN) by an LSD radix sort of their bit patterns,
 * which order like the numbers for non-negative doubles; stable, so ties keep the order of
 * their index. O(m) instead of a comparison sort: this runs once per year of a panel. */
static void order_p(size_t *ord, const uint64_t *key, size_t m, size_t *tmp)
{
    for (size_t k = 0; k < m; k++)
        ord[k] = k;
    for (int shift = 0; shift < 64; shift += 11) {
        size_t count[2049] = {0};
        for (size_t k = 0; k < m; k++)
            count[((key[ord[k]] >> shift) & 2047) + 1]++;
        if (count[1] == m && shift > 0)
            continue; /* every key has this digit 0 */
        for (int d = 0; d < 2048; d++)
            count[d + 1] += count[d];
        for (size_t k = 0; k < m; k++)
            tmp[count[(key[ord[k]] >> shift) & 2047]++] = ord[k];
        memcpy(ord, tmp, m * sizeof *ord);
    }
}

int wb_p_adjust_bh(double *out, const double *p, size_t n)
{
    size_t nn = n ? n : 1;
    uint64_t *key = wb_malloc(nn * sizeof *key);
    size_t *idx = wb_malloc(nn * sizeof *idx), *ord = wb_malloc(nn * sizeof *ord), *tmp = wb_malloc(nn * sizeof *tmp);
    if (!key || !idx || !ord || !tmp) {
        wb_free(key), wb_free(idx), wb_free(ord), wb_free(tmp);
        return WB_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i])) {
            out[i] = NAN;
            continue;
        }
        double v = p[i] > 0 ? p[i] : 0.0; /* -0 and negatives (none expected) sort first */
        memcpy(&key[m], &v, sizeof v);
        idx[m++] = i;
    }
    order_p(ord, key, m, tmp);
    /* q_(k) = min over j >= k of m / j * p_(j), capped at 1 (R p.adjust "BH") */
    double run = 1.0;
    for (size_t k = m; k-- > 0;) {
        size_t i = idx[ord[k]];
        double q = (double)m / (double)(k + 1) * p[i];
        if (q < run)
            run = q;
        out[i] = run;
    }
    wb_free(key), wb_free(idx), wb_free(ord), wb_free(tmp);
    return 0;
}
