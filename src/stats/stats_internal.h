/** @file @brief Numerical helpers shared by the statistics modules (library-internal). */
#ifndef WB_STATS_INTERNAL_H
#define WB_STATS_INTERNAL_H

/** Standard normal quantile Phi^-1(p): -INFINITY at 0, INFINITY at 1, NaN outside [0, 1].
 *  Accurate to about 1e-15 (src/stats/qnorm.c). */
double wb__qnorm(double p);

/** Upper tail P(X > x) of the chi-square distribution with @p df > 0 degrees of freedom,
 *  to about 1e-14 relative (src/stats/chisq.c). 1 for x <= 0, NaN for a bad df. */
double wb__pchisq_upper(double x, double df);

#endif
