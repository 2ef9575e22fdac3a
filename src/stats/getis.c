/**
 * @file
 * @brief Getis-Ord local statistics Gi and Gi* as spdep 1.2's localG (Getis & Ord 1992,
 * Ord & Getis 1995).
 *
 * With lx_i = sum_j w_ij x_j, W_i = sum_j w_ij and S1_i = sum_j w_ij^2:
 *  Gi  (self excluded): xbar_i = (sum x - x_i) / (n - 1),
 *      s_i^2 = (sum x^2 - x_i^2) / (n - 1) - xbar_i^2,
 *      z = (lx_i - W_i xbar_i) / sqrt(s_i^2 ((n - 1) S1_i - W_i^2) / (n - 2)),
 *      G = lx_i / (sum x - x_i)
 *  Gi* (self included with the same weight as a neighbour): xbar = mean(x),
 *      s^2 = sum (x - xbar)^2 / n,
 *      z = (lx_i - W_i xbar) / sqrt(s^2 (n S1_i - W_i^2) / (n - 1)),
 *      G = lx_i / sum x
 */
#include <math.h>
#include <string.h>

#include "stats/spatial_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spatial.h"

int wb_getis_ord(double *G, double *z, double *p, const wb_weights *w0, const double *x, int star)
{
    size_t n = w0->n;
    if (n < 3) {
        wb_error_set(WB_ERRCLASS_STATS, "Getis-Ord needs at least 3 areas, got %zu", n);
        return WB_EINVALID;
    }
    if (w0->self_included) {
        wb_error_set(WB_ERRCLASS_STATS, "Getis-Ord: pass weights without self; Gi* adds self");
        return WB_EINVALID;
    }
    int error = 0;
    wb_weights ws = WB_WEIGHTS_INIT;
    const wb_weights *w = w0;
    double *zc = wb_malloc(n * sizeof *zc);
    if (!zc)
        return WB_ENOMEM;
    double mean;
    if ((error = wb_spatial__center(zc, &mean, x, n, star ? "Getis-Ord Gi*" : "Getis-Ord Gi")) < 0)
        goto done;
    if (star) {
        if ((error = wb_weights_include_self(&ws, w0)) < 0)
            goto done;
        w = &ws;
    }
    long double sx = 0, sx2 = 0, sz2 = 0;
    for (size_t i = 0; i < n; i++) {
        sx += x[i];
        sx2 += (long double)x[i] * x[i];
        sz2 += (long double)zc[i] * zc[i];
    }
    double dn = (double)n, sumx = (double)sx, sumx2 = (double)sx2;
    double s2star = (double)(sz2 / (long double)n);
    for (size_t i = 0; i < n; i++) {
        double lx = 0, Wi = 0, S1i = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            lx += w->w[e] * x[w->col[e]];
            Wi += w->w[e];
            S1i += w->w[e] * w->w[e];
        }
        double gi, zi;
        if (star) {
            double EG = Wi * mean;
            double VG = s2star * ((dn * S1i - Wi * Wi) / (dn - 1));
            zi = (lx - EG) / sqrt(VG);
            gi = lx / sumx;
        } else if (w->row[i] == w->row[i + 1]) {
            /* island: no neighbours, no test (spdep: 0 / 0) */
            zi = NAN;
            gi = 0;
        } else {
            double xbar = (sumx - x[i]) / (dn - 1);
            double si2 = ((sumx2 - x[i] * x[i]) / (dn - 1)) - xbar * xbar;
            double VG = si2 * (((dn - 1) * S1i - Wi * Wi) / (dn - 2));
            zi = (lx - Wi * xbar) / sqrt(VG);
            gi = lx / (sumx - x[i]);
        }
        if (G) G[i] = gi;
        if (z) z[i] = zi;
        if (p) p[i] = wb_spatial__p2(zi);
    }
done:
    wb_weights_dispose(&ws);
    wb_free(zc);
    return error;
}
