/**
 * @file
 * @brief Trend statistics of yearly series: Mann-Kendall (exact and normal), Theil-Sen, the
 * hinge model with a fixed or estimated break (sup-F by simulation, Davies bound), and the
 * trend classes / RIGO groups. See include/wijkbeeld/trend.h for the contract.
 *
 * Speed: every per-series routine works on stack arrays of at most WB_TREND_MAX_YEARS points
 * and allocates nothing; the exact Mann-Kendall tables without ties are built once
 * (pthread_once); the batch simulates the sup-F null distribution once per distinct pattern
 * of observed years and spreads the series over threads. Results never depend on the
 * number of threads: each series is computed independently, and the random stream of a
 * simulation depends only on the seed and the observed years.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "stats/stats_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/trend.h"

#define NMAX WB_TREND_MAX_YEARS
#define NPAIRS (NMAX * (NMAX - 1) / 2)

/* ================================================================ distributions */

/* Regularised incomplete beta I_x(a, b) by its continued fraction, evaluated with the modified
 * Lentz method (Press et al., Numerical Recipes, 3rd ed., sec. 6.4, eqs. 6.4.5-6.4.6; Lentz
 * 1976). The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise the symmetry
 * I_x(a, b) = 1 - I_{1-x}(b, a) is used. */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

static double ibeta(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(lbt) * betacf(a, b, x) / a;
    return 1.0 - exp(lbt) * betacf(b, a, 1.0 - x) / b;
}

/* Upper tail P(T > t) of Student's t with df degrees of freedom, t >= 0:
 * P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2) (Abramowitz & Stegun 26.7.1 / 26.5.27). */
static double t_upper(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return t > 0 ? 0.0 : 1.0;
    double x = df / (df + t * t);
    double two = ibeta(0.5 * df, 0.5, x); /* P(|T| > |t|) */
    return t >= 0 ? 0.5 * two : 1.0 - 0.5 * two;
}

/* Two-sided p of a t statistic. For whole df up to 200 first the finite series of
 * Abramowitz & Stegun 26.7.3 (df odd) and 26.7.4 (df even) for A(t|df) = P(|T| <= t), with
 * theta = atan(|t| / sqrt(df)):
 *   df = 1:    A = 2 theta / pi
 *   df odd:    A = 2/pi [theta + sin(theta) (cos + 2/3 cos^3 + ... + (2.4...(df-3))/(1.3...(df-2)) cos^(df-2))]
 *   df even:   A = sin(theta) [1 + 1/2 cos^2 + 1.3/(2.4) cos^4 + ... + (1.3...(df-3))/(2.4...(df-2)) cos^(df-2)]
 * p = 1 - A is accurate to a few 1e-16 absolutely; below 1e-6 the incomplete beta function
 * is used instead, for relative accuracy in the tail. */
static double t_p2(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0.0;
    if (df == floor(df) && df <= 200) {
        int nu = (int)df;
        double th = atan(fabs(t) / sqrt(df)), c = cos(th), sn = sin(th), c2 = c * c, A;
        if (nu == 1) {
            A = 2 * th / M_PI;
        } else if (nu % 2) {
            double term = c, sum = c;
            for (int k = 3; k <= nu - 2; k += 2) {
                term *= c2 * (k - 1) / k;
                sum += term;
            }
            A = 2 / M_PI * (th + sn * sum);
        } else {
            double term = 1, sum = 1;
            for (int k = 2; k <= nu - 2; k += 2) {
                term *= c2 * (k - 1) / k;
                sum += term;
            }
            A = sn * sum;
        }
        double p = 1 - A;
        if (p >= 1e-6)
            return p > 1 ? 1 : p;
    }
    return ibeta(0.5 * df, 0.5, df / (df + t * t));
}

/* ================================================================ input checks */

static int check_years(const double *years, size_t n)
{
    if (n > NMAX) {
        wb_error_set(WB_ERRCLASS_STATS, "trend: %zu years, at most %d are supported", n, NMAX);
        return WB_EINVALID;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(years[i])) {
            wb_error_set(WB_ERRCLASS_STATS, "trend: year %zu is not a finite number", i + 1);
            return WB_EINVALID;
        }
        if (i > 0 && !(years[i] > years[i - 1])) {
            wb_error_set(WB_ERRCLASS_STATS,
                         "trend: years must be distinct and ascending (%g follows %g)", years[i],
                         years[i - 1]);
            return WB_EINVALID;
        }
    }
    return 0;
}

/* Copy the observed points (finite values; NaN and infinities are gaps) into t[], y[];
 * returns their number. */
static int compact(double *t, double *y, const double *years, const double *values, size_t n)
{
    int m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(values[i])) {
            t[m] = years[i];
            y[m] = values[i];
            m++;
        }
    return m;
}

/* ================================================================ selection */

/* k-th smallest (0-based) of a[0..n), partially reordering a so that a[0..k) <= a[k] <=
 * a[k+1..n) (Hoare's FIND). The partition is Lomuto's with a branchless inner loop (values
 * below the pivot are swapped forward unconditionally, the cursor advances by the comparison);
 * when nothing lies below the pivot a second pass gathers the values equal to it, so ties
 * cannot stall it; pivot = median of three. Short ranges are finished by insertion sort. Expected O(n). */
static double select_k(double *a, int n, int k)
{
    int lo = 0, hi = n; /* half-open [lo, hi) */
    while (hi - lo > 12) {
        int m = hi - lo;
        double x = a[lo + m / 4], yv = a[lo + m / 2], z = a[lo + (3 * m) / 4];
        double piv = fmax(fmin(x, yv), fmin(fmax(x, yv), z));
        int s = lo;
        for (int i = lo; i < hi; i++) {
            double v = a[i];
            int lt = v < piv;
            a[i] = a[s];
            a[s] = v;
            s += lt;
        }
        if (k < s) {
            hi = s;
            continue;
        }
        if (s > lo) { /* progress: the pivot itself is in [s, hi) */
            lo = s;
            continue;
        }
        /* nothing below the pivot: split off the values equal to it so ties cannot stall */
        int e = s;
        for (int i = s; i < hi; i++) {
            double v = a[i];
            int eq = v == piv;
            a[i] = a[e];
            a[e] = v;
            e += eq;
        }
        if (k < e)
            return piv; /* a[s..e) == piv */
        lo = e;
    }
    for (int i = lo + 1; i < hi; i++) {
        double v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
    return a[k];
}

/* Median as R's median(): the mean of the two middle values for even n. */
static double median_of(double *a, int n)
{
    if (n <= 0)
        return NAN;
    int h = n / 2;
    if (n % 2)
        return select_k(a, n, h);
    double hi = select_k(a, n, h);
    /* after selecting h, everything in a[0..h) is <= a[h]: the lower middle is their max */
    double lo = a[0];
    for (int i = 1; i < h; i++)
        if (a[i] > lo)
            lo = a[i];
    return (lo + hi) / 2;
}

/* ================================================================ Mann-Kendall */

/* Exact distribution of S without ties. The number of permutations of n items with d
 * inversions has the generating function [n]_q! = prod_{j=1..n} (1 + q + ... + q^{j-1})
 * (Kendall 1975, sec. 5.2; the recursion behind Kendall's Appendix Table 1 and Hollander &
 * Wolfe 1999 Table A.30). cum[n][d] = number of permutations with at most d inversions; a
 * permutation with D inversions has S = n0 - 2D. */
#define CUMLEN(n) ((n) * ((n) - 1) / 2 + 1)
static uint64_t *mk_cum[WB_MK_EXACT_NMAX + 1];
static uint64_t mk_cum_store[1 + 2 + 4 + 7 + 11 + 16 + 22 + 29 + 37 + 46 + 56 + 67 + 79 + 92 + 106 +
                             121 + 137 + 154 + 1];
static uint64_t mk_fact[WB_MK_EXACT_NMAX + 1];
static pthread_once_t mk_once = PTHREAD_ONCE_INIT;

/* Multiply polynomial p (degree *deg) by 1 + q + ... + q^{j-1}, in place. */
static void poly_mul_run(int64_t *p, int *deg, int j)
{
    int nd = *deg + j - 1;
    /* running window sum, from the top so the source is not overwritten too early */
    int64_t out[NPAIRS + 1];
    for (int k = 0; k <= nd; k++) {
        int64_t s = 0;
        for (int i = k - j + 1; i <= k; i++)
            if (i >= 0 && i <= *deg)
                s += p[i];
        out[k] = s;
    }
    memcpy(p, out, (size_t)(nd + 1) * sizeof *p);
    *deg = nd;
}

/* Divide polynomial p (degree *deg) exactly by 1 + q + ... + q^{j-1} = (1 - q^j) / (1 - q):
 * multiply by (1 - q), then divide by (1 - q^j) via c[k] = a[k] + c[k - j]. */
static void poly_div_run(int64_t *p, int *deg, int j)
{
    if (j <= 1)
        return;
    int d = *deg;
    for (int k = d + 1; k >= 1; k--)
        p[k] = p[k] - p[k - 1];
    /* p[0] stays; degree d + 1 now */
    int nd = d - (j - 1);
    for (int k = 0; k <= nd; k++)
        if (k >= j)
            p[k] += p[k - j];
    *deg = nd;
}

static void mk_tables_build(void)
{
    size_t off = 0;
    int64_t poly[NPAIRS + 2];
    memset(poly, 0, sizeof poly);
    poly[0] = 1;
    int deg = 0;
    mk_fact[0] = 1;
    for (int n = 1; n <= WB_MK_EXACT_NMAX; n++) {
        poly_mul_run(poly, &deg, n);
        mk_fact[n] = mk_fact[n - 1] * (uint64_t)n;
        mk_cum[n] = mk_cum_store + off;
        uint64_t acc = 0;
        for (int d = 0; d <= deg; d++) {
            acc += (uint64_t)poly[d];
            mk_cum[n][d] = acc;
        }
        off += (size_t)CUMLEN(n);
    }
}

double wb_mk_exact_p(int n, long s)
{
    if (n < 2 || n > WB_MK_EXACT_NMAX)
        return NAN;
    pthread_once(&mk_once, mk_tables_build);
    long n0 = (long)n * (n - 1) / 2;
    long as = labs(s);
    if (as > n0 || ((n0 - as) & 1))
        return NAN; /* impossible value of S for n points without ties */
    if (as == 0)
        return 1.0;
    uint64_t cnt = mk_cum[n][(n0 - as) / 2]; /* #{S >= |s|} */
    double p = (double)(2 * cnt) / (double)mk_fact[n];
    return p > 1.0 ? 1.0 : p;
}

/* Exact p with ties: the arrangements of the multiset of values are equally likely under the
 * null. Their inversion counts D have the q-multinomial coefficient [n; t_1..t_k]_q =
 * [n]_q! / prod [t_i]_q! as generating function (MacMahon 1916, sec. 103); tied pairs count
 * for neither concordant nor discordant, so S = m - 2D with m = n0 - n1. */
static double mk_exact_p_ties(int n, long s, const int *tsz, int ntg)
{
    int64_t poly[NPAIRS + 2];
    memset(poly, 0, sizeof poly);
    poly[0] = 1;
    int deg = 0;
    for (int j = 2; j <= n; j++)
        poly_mul_run(poly, &deg, j);
    long n1 = 0;
    for (int g = 0; g < ntg; g++) {
        n1 += (long)tsz[g] * (tsz[g] - 1) / 2;
        for (int j = 2; j <= tsz[g]; j++) {
            poly[deg + 1] = 0;
            poly_div_run(poly, &deg, j);
        }
    }
    long m = (long)n * (n - 1) / 2 - n1;
    long as = labs(s);
    if (as == 0)
        return 1.0;
    if (as > m || ((m - as) & 1) || deg != m)
        return NAN;
    uint64_t total = 0, cnt = 0;
    long dmax = (m - as) / 2;
    for (int d = 0; d <= deg; d++) {
        total += (uint64_t)poly[d];
        if (d <= dmax)
            cnt += (uint64_t)poly[d];
    }
    double p = (double)(2 * cnt) / (double)total;
    return p > 1.0 ? 1.0 : p;
}

/* Mann-Kendall from S and the per-point tie counts c[i] = #{j : y_j == y_i} (itself included).
 * A group of t tied values contributes t members with c = t, so sums over groups become sums
 * over points: sum_g t(t-1)(2t+5) = sum_i (c_i - 1)(2 c_i + 5), n1 = sum_i (c_i - 1) / 2. */
static void mk_finish(wb_mk_result *out, int n, long s, const int *c, int exact_max)
{
    out->n = n;
    out->s = 0;
    out->tau = out->var_s = out->z = out->p = NAN;
    out->exact = 0;
    if (n < 2)
        return;
    double vt = 0, n1 = 0;
    int ties = 0;
    for (int i = 0; i < n; i++) {
        vt += (double)(c[i] - 1) * (2 * c[i] + 5);
        n1 += c[i] - 1;
        ties |= c[i] > 1;
    }
    n1 /= 2;
    double dn = n, n0 = dn * (dn - 1) / 2;
    out->s = s;
    /* Var S = [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18 (Kendall 1975, eq. 4.3; Hipel & McLeod
     * 1994, eq. 23.3.3) */
    out->var_s = (dn * (dn - 1) * (2 * dn + 5) - vt) / 18.0;
    /* tau-b = S / sqrt(n0 (n0 - n1)) (Kendall 1975, eq. 3.2; years never tie) */
    out->tau = (n0 - n1) > 0 ? (double)s / sqrt(n0 * (n0 - n1)) : NAN;
    if (out->var_s > 0) {
        double sc = (double)(s > 0 ? s - 1 : s < 0 ? s + 1 : 0);
        out->z = sc / sqrt(out->var_s);
    }
    if (n <= exact_max) {
        out->exact = 1;
        if (!ties) {
            out->p = wb_mk_exact_p(n, s);
        } else {
            /* the tie group sizes: size t occurs #{i : c_i = t} / t times */
            int tsz[NMAX], ntg = 0, seen[NMAX + 1] = {0};
            for (int i = 0; i < n; i++)
                seen[c[i]]++;
            for (int t = 2; t <= n; t++)
                for (int g = 0; g < seen[t] / t; g++)
                    tsz[ntg++] = t;
            out->p = mk_exact_p_ties(n, s, tsz, ntg);
        }
    } else if (out->var_s > 0) {
        /* two-sided normal p with continuity correction: 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2) */
        out->p = erfc(fabs(out->z) / sqrt(2.0));
    } else {
        out->p = 1.0; /* every value ties: no evidence of a trend */
    }
}

/* Mann-Kendall on compacted points: S = sum_{i<j} sign(y_j - y_i) (Mann 1945; Kendall 1975,
 * eq. 1.6) and the tie counts, in one branch-free pass over the pairs. */
static void mk_core(wb_mk_result *out, const double *y, int n, int exact_max)
{
    int c[NMAX];
    long s = 0;
    for (int i = 0; i < n; i++)
        c[i] = 1;
    for (int i = 0; i < n - 1; i++) {
        double yi = y[i];
        int ci = 0;
        for (int j = i + 1; j < n; j++) {
            s += (y[j] > yi) - (y[j] < yi);
            int eq = y[j] == yi;
            ci += eq;
            c[j] += eq;
        }
        c[i] += ci;
    }
    mk_finish(out, n, s, c, exact_max);
}

int wb_mk(wb_mk_result *out, const double *years, const double *values, size_t n, int exact_max)
{
    int rc = check_years(years, n);
    if (rc < 0)
        return rc;
    if (exact_max < 0 || exact_max > WB_MK_EXACT_NMAX) {
        wb_error_set(WB_ERRCLASS_STATS, "mann-kendall: exact_max must be 0..%d, got %d",
                     WB_MK_EXACT_NMAX, exact_max);
        return WB_EINVALID;
    }
    double t[NMAX], y[NMAX];
    int m = compact(t, y, years, values, n);
    mk_core(out, y, m, exact_max);
    return 0;
}

/* ================================================================ Theil-Sen */

/* Theil-Sen from the N pairwise slopes d[] (reordered). */
static void sen_finish(wb_sen_result *out, const double *t, const double *y, int n, double *d,
                       int N, double conf, double var_s)
{
    out->n = n;
    out->slope = out->intercept = out->lo = out->hi = NAN;
    if (n < 2)
        return;
    int h = N / 2;
    out->slope = median_of(d, N); /* leaves d[0..h) <= d[h] <= d[h+1..N) */
    double r[NMAX];
    for (int i = 0; i < n; i++)
        r[i] = y[i] - out->slope * t[i];
    out->intercept = median_of(r, n); /* Conover (1980), sec. 5.5 */
    if (conf > 0 && conf < 1 && var_s > 0) {
        /* Hollander & Wolfe (1999) sec. 9.4; Gilbert (1987) eq. 16.4.2: C = z sqrt(Var S),
         * lower = slope of rank round((N - C) / 2), upper = rank round((N + C) / 2) + 1. */
        double C = wb__qnorm(0.5 + conf / 2) * sqrt(var_s);
        double r1 = nearbyint((N - C) / 2), r2 = nearbyint((N + C) / 2) + 1;
        if (r1 < 1)
            r1 = 1;
        if (r2 > N)
            r2 = N;
        if (r1 > N)
            r1 = N;
        if (r2 < 1)
            r2 = 1;
        int k1 = (int)r1 - 1, k2 = (int)r2 - 1;
        /* the median selection partitioned d around rank h: search only the side needed */
        out->lo = k1 < h ? select_k(d, h, k1) : k1 == h ? d[h] : select_k(d, N, k1);
        out->hi = k2 > h ? select_k(d + h + 1, N - h - 1, k2 - h - 1)
                         : k2 == h ? d[h] : select_k(d, N, k2);
    }
}

static void sen_core(wb_sen_result *out, const double *t, const double *y, int n, double conf,
                     double var_s)
{
    double d[NPAIRS];
    int N = 0;
    for (int i = 0; i < n - 1; i++)
        for (int j = i + 1; j < n; j++)
            d[N++] = (y[j] - y[i]) / (t[j] - t[i]); /* Theil 1950; Sen 1968, eq. 2.1 */
    sen_finish(out, t, y, n, d, N, conf, var_s);
}

/* Mann-Kendall and Theil-Sen together: one pass over the pairs gives S, the tie counts and
 * the slopes. */
static void mk_sen_core(wb_mk_result *mk, wb_sen_result *sen, const double *t, const double *y,
                        int n, int exact_max, double conf)
{
    double d[NPAIRS];
    int c[NMAX], N = 0;
    long s = 0;
    for (int i = 0; i < n; i++)
        c[i] = 1;
    for (int i = 0; i < n - 1; i++) {
        double yi = y[i], ti = t[i];
        int ci = 0;
        for (int j = i + 1; j < n; j++) {
            double dy = y[j] - yi;
            s += (dy > 0) - (dy < 0);
            int eq = y[j] == yi;
            ci += eq;
            c[j] += eq;
            d[N++] = dy / (t[j] - ti);
        }
        c[i] += ci;
    }
    mk_finish(mk, n, s, c, exact_max);
    sen_finish(sen, t, y, n, d, N, conf, mk->var_s);
}

int wb_sen(wb_sen_result *out, const double *years, const double *values, size_t n, double conf)
{
    int rc = check_years(years, n);
    if (rc < 0)
        return rc;
    if (!(conf >= 0 && conf < 1)) {
        wb_error_set(WB_ERRCLASS_STATS, "theil-sen: confidence level must be in [0, 1), got %g",
                     conf);
        return WB_EINVALID;
    }
    double t[NMAX], y[NMAX];
    int m = compact(t, y, years, values, n);
    wb_mk_result mk;
    mk_core(&mk, y, m, 0);
    sen_core(out, t, y, m, conf, mk.var_s);
    return 0;
}

/* ================================================================ least squares */

/* Least squares by modified Gram-Schmidt QR (Golub & Van Loan 2013, alg. 5.2.6) for p <= 3
 * columns given column-major in X (n rows). Returns 0 on full rank, -1 otherwise. Gives the
 * coefficients, the unscaled covariance (X'X)^-1 = R^-1 R^-T and the RSS. */
static int ls_fit(const double *X, int n, int p, const double *y, double *beta, double cov[3][3],
                  double *rss)
{
    double Q[3][NMAX], R[3][3] = {{0}};
    for (int k = 0; k < p; k++) {
        memcpy(Q[k], X + (size_t)k * n, (size_t)n * sizeof(double));
        double norm0 = 0;
        for (int i = 0; i < n; i++)
            norm0 += Q[k][i] * Q[k][i];
        for (int j = 0; j < k; j++) {
            double r = 0;
            for (int i = 0; i < n; i++)
                r += Q[j][i] * Q[k][i];
            R[j][k] = r;
            for (int i = 0; i < n; i++)
                Q[k][i] -= r * Q[j][i];
        }
        double nn = 0;
        for (int i = 0; i < n; i++)
            nn += Q[k][i] * Q[k][i];
        if (!(nn > 1e-20 * norm0) || nn == 0)
            return -1;
        double rk = sqrt(nn);
        R[k][k] = rk;
        for (int i = 0; i < n; i++)
            Q[k][i] /= rk;
    }
    double qy[3], res[NMAX];
    memcpy(res, y, (size_t)n * sizeof *res);
    for (int k = 0; k < p; k++) { /* MGS applied to y as well: stable residuals */
        double r = 0;
        for (int i = 0; i < n; i++)
            r += Q[k][i] * res[i];
        qy[k] = r;
        for (int i = 0; i < n; i++)
            res[i] -= r * Q[k][i];
    }
    double s = 0;
    for (int i = 0; i < n; i++)
        s += res[i] * res[i];
    *rss = s;
    /* back substitution R beta = qy, and Rinv */
    double Ri[3][3] = {{0}};
    for (int k = p - 1; k >= 0; k--) {
        double v = qy[k];
        for (int j = k + 1; j < p; j++)
            v -= R[k][j] * beta[j];
        beta[k] = v / R[k][k];
        Ri[k][k] = 1.0 / R[k][k];
        for (int j = k + 1; j < p; j++) {
            double w = 0;
            for (int l = k + 1; l <= j; l++)
                w += R[k][l] * Ri[l][j];
            Ri[k][j] = -w / R[k][k];
        }
    }
    for (int a = 0; a < p; a++)
        for (int b = 0; b < p; b++) {
            double w = 0;
            for (int l = 0; l < p; l++)
                w += Ri[a][l] * Ri[b][l];
            cov[a][b] = w;
        }
    return 0;
}

/* ================================================================ hinge model */

static void hinge_nan(wb_hinge_result *h, int n, double tau)
{
    h->n = n;
    h->n_before = h->n_after = 0;
    h->tau = tau;
    h->a = h->b = h->c = NAN;
    h->slope_before = h->slope_after = h->se_before = h->se_after = h->se_c = NAN;
    h->p_before = h->p_after = h->p_c = h->f = h->rss = NAN;
    h->ok = 0;
}

/* p-value of a t ratio that may have a zero standard error (an exact fit). */
static double ratio_p(double est, double se, double df)
{
    if (se > 0)
        return t_p2(est / se, df);
    return NAN;
}

static void hinge_core(wb_hinge_result *h, const double *t, const double *y, int n, double tau)
{
    hinge_nan(h, n, tau);
    if (isnan(tau))
        return;
    for (int i = 0; i < n; i++) {
        h->n_before += t[i] <= tau;
        h->n_after += t[i] >= tau;
    }
    if (n < 4)
        return;
    /* columns 1, t - tau, max(0, t - tau): centring at tau keeps the columns well conditioned;
     * the slopes do not change, the intercept is moved back to year 0 afterwards. */
    double X[3 * NMAX];
    for (int i = 0; i < n; i++) {
        double x = t[i] - tau;
        X[i] = 1.0;
        X[n + i] = x;
        X[2 * n + i] = x > 0 ? x : 0.0;
    }
    double beta[3], cov[3][3], rss;
    if (ls_fit(X, n, 3, y, beta, cov, &rss) < 0)
        return;
    double df = n - 3, s2 = rss / df;
    h->ok = 1;
    h->rss = rss;
    h->b = beta[1];
    h->c = beta[2];
    h->a = beta[0] - beta[1] * tau;
    h->slope_before = beta[1];
    h->slope_after = beta[1] + beta[2];
    h->se_before = sqrt(s2 * cov[1][1]);
    double va = cov[1][1] + cov[2][2] + 2 * cov[1][2];
    h->se_after = sqrt(s2 * (va > 0 ? va : 0));
    h->se_c = sqrt(s2 * cov[2][2]);
    h->p_before = ratio_p(h->slope_before, h->se_before, df);
    h->p_after = ratio_p(h->slope_after, h->se_after, df);
    h->p_c = ratio_p(h->c, h->se_c, df);
    /* one restriction: the F statistic of c = 0 is the square of its t ratio */
    h->f = h->se_c > 0 ? (h->c / h->se_c) * (h->c / h->se_c) : (h->c != 0 ? INFINITY : NAN);
}

int wb_hinge_fit(wb_hinge_result *out, const double *years, const double *values, size_t n,
                 double tau)
{
    int rc = check_years(years, n);
    if (rc < 0)
        return rc;
    if (!isfinite(tau)) {
        wb_error_set(WB_ERRCLASS_STATS, "hinge: the break year must be a finite number");
        return WB_EINVALID;
    }
    double t[NMAX], y[NMAX];
    int m = compact(t, y, years, values, n);
    hinge_core(out, t, y, m, tau);
    return 0;
}

/* ---- break search ---- */

/* The design of a break search: the observed years, the candidates and, for each candidate
 * k, the unit vector w_k along the part of the hinge column max(0, t - tau_k) orthogonal to
 * [1, t]. With q1, q2 an orthonormal basis of [1, t], RSS0 = |y|^2 - (q1'y)^2 - (q2'y)^2 and
 * the drop in RSS when the hinge enters is Q_k = (w_k'y)^2, so
 * F_k = (n - 3) Q_k / (RSS0 - Q_k) — the F statistic of c = 0 at tau_k (Andrews 1993, eq. 2.2
 * for one restriction). */
typedef struct {
    int n, ncand;
    int cand[NMAX];      /* index of the candidate years in t[] */
    double q1[NMAX], q2[NMAX];
    double w[NMAX][NMAX]; /* w[k][i] */
} design;

static void design_build(design *D, const double *t, int n, int min_side)
{
    D->n = n;
    D->ncand = 0;
    if (n < 4)
        return;
    double tm = 0;
    for (int i = 0; i < n; i++)
        tm += t[i];
    tm /= n;
    double ss = 0;
    for (int i = 0; i < n; i++) {
        D->q1[i] = 1.0 / sqrt((double)n);
        D->q2[i] = t[i] - tm;
        ss += D->q2[i] * D->q2[i];
    }
    ss = sqrt(ss);
    for (int i = 0; i < n; i++)
        D->q2[i] /= ss;
    for (int k = min_side - 1; k <= n - min_side; k++) {
        if (k <= 0 || k >= n - 1)
            continue; /* strictly inside the range */
        double tau = t[k], *w = D->w[D->ncand];
        double a1 = 0, a2 = 0;
        for (int i = 0; i < n; i++) {
            w[i] = t[i] > tau ? t[i] - tau : 0.0;
            a1 += D->q1[i] * w[i];
            a2 += D->q2[i] * w[i];
        }
        double nn = 0;
        for (int i = 0; i < n; i++) {
            w[i] -= a1 * D->q1[i] + a2 * D->q2[i];
            nn += w[i] * w[i];
        }
        /* reorthogonalise once (Gram-Schmidt twice is enough: Giraud et al. 2005) */
        a1 = a2 = 0;
        for (int i = 0; i < n; i++) {
            a1 += D->q1[i] * w[i];
            a2 += D->q2[i] * w[i];
        }
        nn = 0;
        for (int i = 0; i < n; i++) {
            w[i] -= a1 * D->q1[i] + a2 * D->q2[i];
            nn += w[i] * w[i];
        }
        if (!(nn > 0))
            continue;
        nn = sqrt(nn);
        for (int i = 0; i < n; i++)
            w[i] /= nn;
        D->cand[D->ncand++] = k;
    }
}

/* sup-F of y for a design; also the t process and rho for Davies. Returns the arg max. */
static int design_supf(const design *D, const double *y, double *supf, double *tk, double *rho)
{
    int n = D->n;
    double yy = 0, g1 = 0, g2 = 0;
    for (int i = 0; i < n; i++) {
        yy += y[i] * y[i];
        g1 += D->q1[i] * y[i];
        g2 += D->q2[i] * y[i];
    }
    /* residuals of the linear fit, for an accurate RSS0 */
    double r[NMAX], rss0 = 0;
    for (int i = 0; i < n; i++) {
        r[i] = y[i] - g1 * D->q1[i] - g2 * D->q2[i];
        rss0 += r[i] * r[i];
    }
    /* a straight line up to rounding (e.g. constant values) carries no evidence of a break */
    int flat = !(rss0 > 1e-24 * yy);
    double best = -1;
    int arg = -1;
    double df = n - 3;
    for (int k = 0; k < D->ncand; k++) {
        const double *w = D->w[k];
        double g = 0;
        for (int i = 0; i < n; i++)
            g += w[i] * r[i];
        double q = g * g, rss1 = rss0 - q;
        double f;
        if (rss1 > 1e-14 * rss0)
            f = df * q / rss1;
        else
            f = q > 0 ? INFINITY : 0.0;
        if (flat) {
            f = 0.0;
            g = 0.0;
        }
        if (tk)
            tk[k] = isinf(f) ? (g > 0 ? INFINITY : -INFINITY) : (g >= 0 ? sqrt(f) : -sqrt(f));
        if (rho)
            rho[k] = flat ? 0.0 : q / rss0;
        if (f > best) {
            best = f;
            arg = k;
        }
    }
    *supf = best;
    return arg;
}

/* Davies (1987) upper bound for P(max_k |T_k| > M), as segmented::davies.test for a linear
 * model (daviesLM): V = total variation of asin(sqrt(rho_k)) over the ordered candidates,
 * p = 2 [P(T_df > M) + V (1 - u)^((df-1)/2) Gamma((df+1)/2) / (2 Gamma(df/2) sqrt(pi))],
 * u = M^2 / (df + M^2) (Davies 1987, eq. 3.4 for a t process), capped at 1. */
static double davies_bound(const double *tk, const double *rho, int k, double df)
{
    if (k <= 0)
        return NAN;
    double V = 0, M = 0;
    for (int i = 0; i < k; i++) {
        if (fabs(tk[i]) > M)
            M = fabs(tk[i]);
        if (i > 0)
            V += fabs(asin(sqrt(rho[i])) - asin(sqrt(rho[i - 1])));
    }
    if (isinf(M))
        return 0.0;
    double u = M * M / (df + M * M);
    double approx = V * pow(1 - u, (df - 1) / 2) * exp(lgamma(df / 2 + 0.5) - lgamma(df / 2)) /
                    (2 * sqrt(M_PI));
    double p = 2 * (t_upper(M, df) + approx);
    return p > 1 ? 1 : p;
}

/* ---- random numbers for the simulation ---- */

/* xoshiro256** seeded by splitmix64 (core/internal.h), with the spare normal deviate */
typedef struct {
    wb__rng g;
    int has_spare;
    double spare;
} rng;

static void rng_seed(rng *r, uint64_t seed)
{
    wb__rng_seed(&r->g, seed);
    r->has_spare = 0;
}

/* N(0,1) by the Box-Muller transform, both values of each pair used. */
static double rng_norm(rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u1 = ((double)(wb__rng_next(&r->g) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
    double u2 = (double)(wb__rng_next(&r->g) >> 11) * (1.0 / 9007199254740992.0);
    double rad = sqrt(-2 * log(u1)), ang = 2 * M_PI * u2;
    r->spare = rad * sin(ang);
    r->has_spare = 1;
    return rad * cos(ang);
}

/* The seed of a design's simulation: the user's seed mixed with the observed years and
 * min_side, so that a series gets the same stream alone or in any batch. */
static uint64_t design_seed(uint64_t seed, const double *t, int n, int min_side)
{
    uint64_t h = seed ^ 0x6a09e667f3bcc908ULL;
    uint64_t x = h;
    h ^= wb__splitmix64(&x);
    for (int i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &t[i], sizeof b);
        x = h ^ b;
        h = wb__splitmix64(&x);
    }
    x = h ^ (uint64_t)(unsigned)min_side;
    return wb__splitmix64(&x);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Simulate @p draws sup-F values under the null for design D, sorted ascending. */
static void design_simulate(const design *D, double *sims, int draws, uint64_t seed)
{
    rng r;
    rng_seed(&r, seed);
    double e[NMAX];
    for (int b = 0; b < draws; b++) {
        for (int i = 0; i < D->n; i++)
            e[i] = rng_norm(&r);
        double f;
        design_supf(D, e, &f, NULL, NULL);
        sims[b] = f;
    }
    qsort(sims, (size_t)draws, sizeof *sims, cmp_double);
}

/* Monte Carlo p = (1 + #{sim >= obs}) / (draws + 1) (Davison & Hinkley 1997, eq. 4.11),
 * with the simulated values sorted ascending. */
static double mc_p(const double *sims, int draws, double obs)
{
    int lo = 0, hi = draws; /* first index with sims[i] >= obs */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (sims[mid] >= obs)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (1.0 + (draws - lo)) / (draws + 1.0);
}

/* The break search on compacted points. @p sims: the sorted null simulation of this design
 * (batch), or NULL to simulate here (draws > 0). */
static void search_core(wb_break_result *out, const double *t, const double *y, int n,
                        int min_side, int draws, uint64_t seed, const double *sims)
{
    out->ncand = 0;
    out->supf = out->supf_p = out->davies_p = NAN;
    hinge_nan(&out->fit, n, NAN);
    design D;
    design_build(&D, t, n, min_side);
    out->ncand = D.ncand;
    if (D.ncand == 0)
        return;
    double tk[NMAX], rho[NMAX], supf;
    int arg = design_supf(&D, y, &supf, tk, rho);
    out->supf = supf;
    out->davies_p = davies_bound(tk, rho, D.ncand, n - 3);
    hinge_core(&out->fit, t, y, n, t[D.cand[arg]]);
    if (draws > 0) {
        if (sims) {
            out->supf_p = mc_p(sims, draws, supf);
        } else {
            double *buf = wb_malloc((size_t)draws * sizeof *buf);
            if (buf) {
                design_simulate(&D, buf, draws, design_seed(seed, t, n, min_side));
                out->supf_p = mc_p(buf, draws, supf);
                wb_free(buf);
            }
        }
    }
}

int wb_hinge_search(wb_break_result *out, const double *years, const double *values, size_t n,
                    int min_side, int draws, uint64_t seed)
{
    int rc = check_years(years, n);
    if (rc < 0)
        return rc;
    if (min_side < 2 || draws < 0) {
        wb_error_set(WB_ERRCLASS_STATS, "hinge search: min_side must be >= 2 and draws >= 0");
        return WB_EINVALID;
    }
    double t[NMAX], y[NMAX];
    int m = compact(t, y, years, values, n);
    if (draws > 0) {
        /* check the allocation up front so a failure is reported, not a NaN */
        double *probe = wb_malloc((size_t)draws * sizeof *probe);
        if (!probe) {
            wb_error_set(WB_ERRCLASS_NOMEM, "hinge search: out of memory");
            return WB_ENOMEM;
        }
        wb_free(probe);
    }
    search_core(out, t, y, m, min_side, draws, seed, NULL);
    return 0;
}

/* ================================================================ classes */

const char *wb_trend_class_name(wb_trend_class c)
{
    static const char *const names[] = {"unknown", "improving", "stagnating", "declining"};
    return (unsigned)c < WB_TREND__MAX ? names[c] : NULL;
}

const char *wb_trend_group_name(wb_trend_group g)
{
    static const char *const names[] = {"none", "success", "slow_recovery", "relapse",
                                        "early_warning"};
    return (unsigned)g < WB_GROUP__MAX ? names[g] : NULL;
}

static int check_opts(const wb_trend_opts *o)
{
    const char *bad = NULL;
    if (o->version != 1)
        bad = "version must be 1 (use WB_TREND_OPTS_INIT)";
    else if ((unsigned)o->break_mode >= WB_BREAK__MAX)
        bad = "unknown break mode";
    else if (o->break_mode == WB_BREAK_FIXED && !isfinite(o->break_year))
        bad = "a fixed break needs a finite break year";
    else if (o->min_side < 2)
        bad = "min_side must be at least 2";
    else if (o->draws < 0 || o->draws > 1000000)
        bad = "draws must be 0..1000000";
    else if (o->exact_max < 0 || o->exact_max > WB_MK_EXACT_NMAX)
        bad = "exact_max out of range";
    else if (!(o->sen_conf >= 0 && o->sen_conf < 1))
        bad = "sen_conf must be in [0, 1)";
    else if ((unsigned)o->rule >= WB_TREND_RULE__MAX)
        bad = "unknown rule";
    else if (!(o->alpha > 0 && o->alpha < 1))
        bad = "alpha must be in (0, 1)";
    else if (!(o->min_slope >= 0))
        bad = "min_slope must be >= 0";
    else if (o->direction != 1 && o->direction != -1 && o->direction != 0)
        bad = "direction must be 1, -1 or 0";
    else if (!isnan(o->scale) && !(o->scale > 0 && isfinite(o->scale)))
        bad = "scale must be positive";
    else if (!isnan(o->reference) && !isfinite(o->reference))
        bad = "reference must be finite";
    else if (!isfinite(o->good_z) || !isfinite(o->fair_z) || o->fair_z > o->good_z)
        bad = "fair_z must be <= good_z, both finite";
    else if (o->nthreads < 0)
        bad = "nthreads must be >= 0";
    if (bad) {
        wb_error_set(WB_ERRCLASS_STATS, "trend options: %s", bad);
        return WB_EINVALID;
    }
    return 0;
}

/* The SEN rule on the points with t >= from (all points when from is NaN). */
static void sen_rule(const double *t, const double *y, int n, double from, int exact_max,
                     double *slope, double *p)
{
    double tt[NMAX], yy[NMAX];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (isnan(from) || t[i] >= from) {
            tt[m] = t[i];
            yy[m] = y[i];
            m++;
        }
    *slope = *p = NAN;
    if (m < 3)
        return;
    wb_mk_result mk;
    wb_sen_result sen;
    mk_core(&mk, yy, m, exact_max);
    sen_core(&sen, tt, yy, m, 0, mk.var_s);
    *slope = sen.slope;
    *p = mk.p;
}

/* 1 when all @p n values are equal (n >= 1). */
static int is_constant(const double *y, int n)
{
    for (int i = 1; i < n; i++)
        if (y[i] != y[0])
            return 0;
    return n > 0;
}

static wb_trend_class decide(double slope, double p, const wb_trend_opts *o)
{
    if (isnan(slope) || (o->require_significance && isnan(p)))
        return WB_TREND_UNKNOWN;
    int d = o->direction == -1 ? -1 : 1;
    double s = d * slope;
    int sig = !o->require_significance || p < o->alpha;
    if (sig && fabs(slope) >= o->min_slope && s > 0)
        return WB_TREND_IMPROVING;
    if (sig && fabs(slope) >= o->min_slope && s < 0)
        return WB_TREND_DECLINING;
    return WB_TREND_STAGNATING;
}

static wb_trend_group group_of(wb_trend_class c, double z, const wb_trend_opts *o)
{
    if (c == WB_TREND_DECLINING)
        return WB_GROUP_RELAPSE;
    if (isnan(z))
        return WB_GROUP_NONE;
    if (c == WB_TREND_IMPROVING)
        return z >= o->good_z ? WB_GROUP_SUCCESS : WB_GROUP_SLOW_RECOVERY;
    if (c == WB_TREND_STAGNATING && z >= o->fair_z && z < o->good_z)
        return WB_GROUP_EARLY_WARNING;
    return WB_GROUP_NONE;
}

/* Everything for one compacted series. */
static void trend_core(wb_trend_result *out, const double *t, const double *y, int n,
                       const wb_trend_opts *o, double ref, double scale, const double *sims)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->first_year = n ? (int)lrint(t[0]) : 0;
    out->last_year = n ? (int)lrint(t[n - 1]) : 0;
    mk_sen_core(&out->mk, &out->sen, t, y, n, o->exact_max, o->sen_conf);
    out->break_year = out->supf = out->supf_p = out->davies_p = NAN;
    hinge_nan(&out->hinge, n, NAN);
    if (o->break_mode == WB_BREAK_FIXED) {
        out->break_year = o->break_year;
        hinge_core(&out->hinge, t, y, n, o->break_year);
    } else if (o->break_mode == WB_BREAK_ESTIMATE) {
        wb_break_result br;
        search_core(&br, t, y, n, o->min_side, o->draws, o->seed, sims);
        out->ncand = br.ncand;
        out->supf = br.supf;
        out->supf_p = br.supf_p;
        out->davies_p = br.davies_p;
        out->hinge = br.fit;
        out->break_year = br.ncand ? br.fit.tau : NAN;
    }
    /* the class */
    double slope = NAN, p = NAN;
    int whole = o->break_mode == WB_BREAK_NONE;
    if (o->break_mode == WB_BREAK_ESTIMATE) {
        double bp = o->draws > 0 ? out->supf_p : out->davies_p;
        if (out->ncand == 0 || !(bp < o->alpha))
            whole = 1; /* no break established: the whole-series rule decides */
    }
    if (whole) {
        if (n >= 3) {
            slope = out->sen.slope;
            p = out->mk.p;
        }
    } else if (o->rule == WB_TREND_RULE_HINGE) {
        if (out->hinge.ok) {
            slope = out->hinge.slope_after;
            p = out->hinge.p_after;
        }
    } else {
        sen_rule(t, y, n, out->break_year, o->exact_max, &slope, &p);
    }
    /* A series that never changes (every observed value the same) has no trend: it is
     * stagnating, with slope 0 and p = 1. Its tests are undefined — Mann-Kendall S = 0 with
     * variance 0, a perfect hinge fit with zero standard errors — and that must not make it
     * "unknown", which is for series with too few points (slope NaN stays NaN). */
    if (!isnan(slope) && is_constant(y, n)) {
        slope = 0;
        p = 1;
    }
    out->class_slope = slope;
    out->class_p = p;
    out->trend = decide(slope, p, o);
    /* the level */
    out->level = n ? y[n - 1] : NAN;
    int d = o->direction == -1 ? -1 : 1;
    out->level_z = (n && isfinite(ref) && scale > 0) ? d * (out->level - ref) / scale : NAN;
    out->group = group_of(out->trend, out->level_z, o);
}

int wb_trend_series(wb_trend_result *out, const double *years, const double *values, size_t n,
                    const wb_trend_opts *opts)
{
    int rc = check_years(years, n);
    if (rc < 0 || (rc = check_opts(opts)) < 0)
        return rc;
    double t[NMAX], y[NMAX];
    int m = compact(t, y, years, values, n);
    trend_core(out, t, y, m, opts, opts->reference, opts->scale, NULL);
    return 0;
}

/* ================================================================ batch */

/* An open-addressing set of observed-year masks (the designs of a batch). */
typedef struct {
    uint64_t *keys;
    int32_t *idx; /* design number, -1 = empty slot */
    size_t cap, n;
} maskset;

static size_t mask_hash(uint64_t k, size_t cap)
{
    uint64_t x = k;
    return (size_t)(wb__splitmix64(&x) & (cap - 1));
}

static int maskset_grow(maskset *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 1024;
    uint64_t *keys = wb_malloc(ncap * sizeof *keys);
    int32_t *idx = wb_malloc(ncap * sizeof *idx);
    if (!keys || !idx) {
        wb_free(keys);
        wb_free(idx);
        return -1;
    }
    memset(idx, 0xff, ncap * sizeof *idx);
    for (size_t i = 0; i < s->cap; i++)
        if (s->idx[i] >= 0) {
            size_t h = mask_hash(s->keys[i], ncap);
            while (idx[h] >= 0)
                h = (h + 1) & (ncap - 1);
            keys[h] = s->keys[i];
            idx[h] = s->idx[i];
        }
    wb_free(s->keys);
    wb_free(s->idx);
    s->keys = keys;
    s->idx = idx;
    s->cap = ncap;
    return 0;
}

/* Add a mask; returns its design number, or -1 when out of memory. */
static int maskset_add(maskset *s, uint64_t k)
{
    if (2 * (s->n + 1) > s->cap && maskset_grow(s) < 0)
        return -1;
    size_t h = mask_hash(k, s->cap);
    while (s->idx[h] >= 0) {
        if (s->keys[h] == k)
            return s->idx[h];
        h = (h + 1) & (s->cap - 1);
    }
    s->keys[h] = k;
    s->idx[h] = (int32_t)s->n;
    return (int)s->n++;
}

static int maskset_find(const maskset *s, uint64_t k)
{
    if (s->cap == 0)
        return -1;
    size_t h = mask_hash(k, s->cap);
    while (s->idx[h] >= 0) {
        if (s->keys[h] == k)
            return s->idx[h];
        h = (h + 1) & (s->cap - 1);
    }
    return -1;
}

typedef struct {
    wb_trend_result *out;
    const double *years, *values;
    size_t nyears, lo, hi;
    const wb_trend_opts *o;
    double ref, scale;
    const maskset *designs;
    const double *sims; /* ndesigns x draws */
    /* design phase */
    const uint64_t *dmasks;
    size_t dlo, dhi;
} job;

static uint64_t row_mask(const double *row, size_t ny)
{
    uint64_t m = 0;
    for (size_t j = 0; j < ny; j++)
        if (isfinite(row[j]))
            m |= (uint64_t)1 << j;
    return m;
}

static void *series_worker(void *arg)
{
    job *jb = arg;
    double t[NMAX], y[NMAX];
    for (size_t r = jb->lo; r < jb->hi; r++) {
        const double *row = jb->values + r * jb->nyears;
        int m = compact(t, y, jb->years, row, jb->nyears);
        const double *sims = NULL;
        if (jb->designs) {
            int k = maskset_find(jb->designs, row_mask(row, jb->nyears));
            if (k >= 0)
                sims = jb->sims + (size_t)k * (size_t)jb->o->draws;
        }
        trend_core(&jb->out[r], t, y, m, jb->o, jb->ref, jb->scale, sims);
    }
    return NULL;
}

static void *design_worker(void *arg)
{
    job *jb = arg;
    design *D = wb_malloc(sizeof *D);
    if (!D)
        return (void *)1;
    for (size_t k = jb->dlo; k < jb->dhi; k++) {
        double t[NMAX];
        int n = 0;
        for (size_t j = 0; j < jb->nyears; j++)
            if (jb->dmasks[k] >> j & 1)
                t[n++] = jb->years[j];
        design_build(D, t, n, jb->o->min_side);
        double *dst = (double *)jb->sims + k * (size_t)jb->o->draws;
        if (D->ncand > 0)
            design_simulate(D, dst, jb->o->draws, design_seed(jb->o->seed, t, n, jb->o->min_side));
    }
    wb_free(D);
    return NULL;
}

/* Run fn over nthreads jobs; job 0 runs on the calling thread. */
static int run_jobs(job *jobs, int nthreads, void *(*fn)(void *))
{
    pthread_t th[16];
    int started = 0, rc = 0;
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&th[i], NULL, fn, &jobs[i]) != 0) {
            rc = WB_ERROR;
            break;
        }
        started = i;
    }
    if (rc == 0 && fn(&jobs[0]) != NULL)
        rc = WB_ENOMEM;
    for (int i = 1; i <= started; i++) {
        void *res = NULL;
        pthread_join(th[i], &res);
        if (res != NULL && rc == 0)
            rc = WB_ENOMEM;
    }
    if (rc == WB_ERROR)
        wb_error_set(WB_ERRCLASS_OS, "trend: cannot start a thread");
    else if (rc == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory");
    return rc;
}

int wb_trend_batch(wb_trend_result *out, wb_trend_summary *summary, const double *years,
                   size_t nyears, const double *values, size_t nseries, const wb_trend_opts *opts,
                   wb_progress_fn progress, void *payload)
{
    int rc = check_years(years, nyears);
    if (rc < 0 || (rc = check_opts(opts)) < 0)
        return rc;
    maskset set = {NULL, NULL, 0, 0};
    uint64_t *dmasks = NULL;
    double *sims = NULL, *levels = NULL;
    int nth = opts->nthreads;
    if (nth == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nth = c > 0 ? (int)c : 1;
    }
    if (nth > 16)
        nth = 16;
    if ((size_t)nth > nseries)
        nth = nseries ? (int)nseries : 1;
    if (progress)
        progress(payload, "trend", 0, nseries);

    /* the level reference: median and SD of the last observed values */
    double ref = opts->reference, scale = opts->scale;
    if (isnan(ref) || isnan(scale)) {
        levels = wb_malloc((nseries ? nseries : 1) * sizeof *levels);
        if (!levels) {
            rc = WB_ENOMEM;
            wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory");
            goto done;
        }
        size_t m = 0;
        double sum = 0;
        for (size_t r = 0; r < nseries; r++) {
            const double *row = values + r * nyears;
            for (size_t j = nyears; j-- > 0;)
                if (isfinite(row[j])) {
                    levels[m++] = row[j];
                    sum += row[j];
                    break;
                }
        }
        if (isnan(ref)) {
            /* select_k works on int sizes; fall back to qsort for huge batches */
            if (m == 0)
                ref = NAN;
            else if (m < (size_t)1 << 30)
                ref = median_of(levels, (int)m);
            else {
                qsort(levels, m, sizeof *levels, cmp_double);
                ref = m % 2 ? levels[m / 2] : (levels[m / 2 - 1] + levels[m / 2]) / 2;
            }
        }
        if (isnan(scale)) {
            double mean = m ? sum / (double)m : NAN, ss = 0;
            /* levels were reordered by the median selection; the SD does not care */
            for (size_t i = 0; i < m; i++)
                ss += (levels[i] - mean) * (levels[i] - mean);
            scale = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
            if (!(scale > 0))
                scale = NAN;
        }
    }

    /* the designs of the sup-F simulation */
    int simulate = opts->break_mode == WB_BREAK_ESTIMATE && opts->draws > 0;
    if (simulate) {
        for (size_t r = 0; r < nseries; r++)
            if (maskset_add(&set, row_mask(values + r * nyears, nyears)) < 0) {
                rc = WB_ENOMEM;
                wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory");
                goto done;
            }
        dmasks = wb_malloc((set.n ? set.n : 1) * sizeof *dmasks);
        sims = wb_malloc((set.n ? set.n : 1) * (size_t)opts->draws * sizeof *sims);
        if (!dmasks || !sims) {
            rc = WB_ENOMEM;
            wb_error_set(WB_ERRCLASS_NOMEM, "trend: out of memory (%zu designs x %d draws)", set.n,
                         opts->draws);
            goto done;
        }
        for (size_t h = 0; h < set.cap; h++)
            if (set.idx[h] >= 0)
                dmasks[set.idx[h]] = set.keys[h];
        job jobs[16];
        int dth = (size_t)nth > set.n ? (set.n ? (int)set.n : 1) : nth;
        for (int i = 0; i < dth; i++) {
            memset(&jobs[i], 0, sizeof jobs[i]);
            jobs[i].years = years;
            jobs[i].nyears = nyears;
            jobs[i].o = opts;
            jobs[i].dmasks = dmasks;
            jobs[i].sims = sims;
            /* interleave-free contiguous split; designs cost about the same */
            jobs[i].dlo = set.n * (size_t)i / (size_t)dth;
            jobs[i].dhi = set.n * (size_t)(i + 1) / (size_t)dth;
        }
        if ((rc = run_jobs(jobs, dth, design_worker)) < 0)
            goto done;
    }

    {
        job jobs[16];
        for (int i = 0; i < nth; i++) {
            memset(&jobs[i], 0, sizeof jobs[i]);
            jobs[i].out = out;
            jobs[i].years = years;
            jobs[i].values = values;
            jobs[i].nyears = nyears;
            jobs[i].lo = nseries * (size_t)i / (size_t)nth;
            jobs[i].hi = nseries * (size_t)(i + 1) / (size_t)nth;
            jobs[i].o = opts;
            jobs[i].ref = ref;
            jobs[i].scale = scale;
            jobs[i].designs = simulate ? &set : NULL;
            jobs[i].sims = sims;
        }
        if ((rc = run_jobs(jobs, nth, series_worker)) < 0)
            goto done;
    }
    if (summary) {
        memset(summary, 0, sizeof *summary);
        summary->reference = ref;
        summary->scale = scale;
        summary->ndesigns = set.n;
        summary->nthreads = nth;
        for (size_t r = 0; r < nseries; r++) {
            summary->count[out[r].trend]++;
            summary->groups[out[r].group]++;
        }
    }
    if (progress)
        progress(payload, "trend", nseries, nseries);
done:
    wb_free(set.keys);
    wb_free(set.idx);
    wb_free(dmasks);
    wb_free(sims);
    wb_free(levels);
    return rc;
}
