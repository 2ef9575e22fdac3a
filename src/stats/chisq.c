/**
 * @file
 * @brief Upper tail of the chi-square distribution, through the regularised incomplete
 * gamma function: P(X > x) = Q(df / 2, x / 2).
 *
 * Q(a, x) by the power series of P(a, x) for x < a + 1 (Q = 1 - P there, never tiny) and by
 * the continued fraction of Q(a, x) with the modified Lentz method otherwise (Press et al.,
 * Numerical Recipes, 3rd ed., sec. 6.2), both to a relative 1e-16 of their terms; the
 * prefactor x^a e^-x / Gamma(a) goes through logarithms, so tiny tails stay accurate
 * instead of rounding to 0 early.
 */
#include <float.h>
#include <math.h>

#include "stats/stats_internal.h"

static double log_prefactor(double a, double x)
{
    return a * log(x) - x - lgamma(a);
}

/* P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)) */
static double p_series(double a, double x)
{
    double ap = a, del = 1.0 / a, sum = del;
    for (int n = 0; n < 100000; n++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (fabs(del) < fabs(sum) * DBL_EPSILON)
            break;
    }
    return sum * exp(log_prefactor(a, x));
}

/* Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)) */
static double q_fraction(double a, double x)
{
    const double tiny = DBL_MIN / DBL_EPSILON;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 100000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < DBL_EPSILON)
            break;
    }
    return exp(log_prefactor(a, x)) * h;
}

double wb__pchisq_upper(double x, double df)
{
    if (isnan(x) || !(df > 0))
        return NAN;
    if (x <= 0)
        return 1;
    if (isinf(x))
        return 0;
    double a = df / 2, h = x / 2;
    return h < a + 1 ? 1 - p_series(a, h) : q_fraction(a, h);
}
