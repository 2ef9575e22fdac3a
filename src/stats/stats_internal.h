/** @file @brief Numerical helpers shared by the statistics modules (library-internal). */
#ifndef WB_STATS_INTERNAL_H
#define WB_STATS_INTERNAL_H

/** Standard normal quantile Phi^-1(p): -INFINITY at 0, INFINITY at 1, NaN outside [0, 1].
 *  Accurate to about 1e-15 (src/stats/qnorm.c). */
double wb__qnorm(double p);

#endif
