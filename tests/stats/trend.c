/**
 * @file
 * @brief Tests of src/stats/trend.c: hand-computed Mann-Kendall, Theil-Sen and hinge cases
 * (arithmetic in the comments), published exact tables, and the independent R reference in
 * tests/data/trend (made by tests/reference/trend/make_fixtures.R; see that script for how
 * each number is computed).
 *
 * Tolerances: 1e-10 for S, tau, variance, slopes, standard errors and F (absolute, scaled by
 * the magnitude where the number can be large); exact equality for the exact Mann-Kendall
 * p against R's brute-force enumeration (both are the correctly rounded ratio of two exact
 * integers) and 1e-14 against cor.test(exact = TRUE), which computes 1 - P(T <= q - 1) and can
 * be an ulp away; 1e-8 for analytic p-values (normal, Student t, Davies); Monte Carlo p-values
 * within 4.5 standard errors of the difference of two independent simulations.
 */
#include <stdlib.h>

#include "test.h"

/* ---------------------------------------------------------------- hand-computed cases */

TEST(trend, mk_exact_table_matches_kendall_and_hollander_wolfe)
{
    /* n = 4: the numbers of permutations with 0..6 inversions are 1 3 5 6 5 3 1 (sum 24).
     * S = 6 - 2D. S = 4 <=> D = 1: P(S >= 4) = (1 + 3)/24, two-sided p = 8/24 = 1/3.
     * S = 6: p = 2/24. S = 2: p = 2 (1 + 3 + 5)/24 = 18/24. */
    ASSERT(wb_mk_exact_p(4, 4) == 8.0 / 24.0);
    ASSERT(wb_mk_exact_p(4, -6) == 2.0 / 24.0);
    ASSERT(wb_mk_exact_p(4, 2) == 18.0 / 24.0);
    ASSERT(wb_mk_exact_p(4, 0) == 1.0);
    /* n = 5, S = 8 <=> D = 1: (1 + 4) permutations of 120, one-sided 5/120 = 0.042
     * (Kendall 1975, Appendix Table 1: n = 5, S = 8: 0.042); two-sided 10/120. */
    ASSERT(wb_mk_exact_p(5, 8) == 10.0 / 120.0);
    /* Kendall (1975) Appendix Table 1 / Hollander & Wolfe (1999) Table A.30, one-sided
     * upper-tail probabilities printed to 3 decimals: n = 8, S = 16: 0.031; n = 9, S = 20:
     * 0.022; n = 10, S = 21: 0.036; n = 10, S = 33: 0.001. */
    ASSERT_CLOSE(wb_mk_exact_p(8, 16) / 2, 0.031, 0.0005);
    ASSERT_CLOSE(wb_mk_exact_p(9, 20) / 2, 0.022, 0.0005);
    ASSERT_CLOSE(wb_mk_exact_p(10, 21) / 2, 0.036, 0.0005);
    ASSERT_CLOSE(wb_mk_exact_p(10, 33) / 2, 0.001, 0.0005);
    /* n = 10, S = 45: only the sorted order; 2/10! */
    ASSERT(wb_mk_exact_p(10, 45) == 2.0 / 3628800.0);
    /* impossible S (wrong parity or too large) and out-of-range n */
    ASSERT(isnan(wb_mk_exact_p(5, 7)));
    ASSERT(isnan(wb_mk_exact_p(5, 12)));
    ASSERT(isnan(wb_mk_exact_p(1, 0)));
    ASSERT(isnan(wb_mk_exact_p(WB_MK_EXACT_NMAX + 1, 1)));
    /* the distribution sums to one: P(|S| >= smallest possible) = 1 */
    ASSERT(wb_mk_exact_p(7, 1) == 1.0);
}

TEST(trend, mk_with_ties_and_gaps_by_hand)
{
    /* y = 1 2 2 3 5 over 2000..2005 with a gap in 2004.
     * Pairs (10): all increasing except the tied pair (2,2): S = 9.
     * n0 = 10, one tie group of size 2: n1 = 1; tau-b = 9 / sqrt(10 * 9) = 0.9486833
     * Var S = (5*4*15 - 2*1*9) / 18 = (300 - 18) / 18 = 47/3.
     * Exact p given the ties: 5!/2! = 60 distinct arrangements, m = n0 - n1 = 9, S = 9 - 2D;
     * S = 9 only for the sorted arrangement: p = 2 * 1/60. */
    double t[] = {2000, 2001, 2002, 2003, 2004, 2005}, y[] = {1, 2, 2, 3, NAN, 5};
    wb_mk_result r;
    WB_PASS(wb_mk(&r, t, y, 6, 10));
    ASSERT_EQ_I(r.n, 5);
    ASSERT_EQ_I(r.s, 9);
    ASSERT_CLOSE(r.tau, 9 / sqrt(90.0), 1e-15);
    ASSERT_CLOSE(r.var_s, 47.0 / 3.0, 1e-12);
    ASSERT_EQ_I(r.exact, 1);
    ASSERT(r.p == 2.0 / 60.0);
    /* continuity-corrected z = (9 - 1) / sqrt(47/3) */
    ASSERT_CLOSE(r.z, 8 / sqrt(47.0 / 3.0), 1e-12);

    /* y = 1 1 2: arrangements 112 (S = 2), 121 (S = 0), 211 (S = -2): p(S = 2) = 2/3 */
    double t3[] = {1, 2, 3}, y3[] = {1, 1, 2};
    WB_PASS(wb_mk(&r, t3, y3, 3, 10));
    ASSERT_EQ_I(r.s, 2);
    ASSERT(r.p == 2.0 / 3.0);

    /* every value ties: S = 0, Var S = 0, tau undefined, p = 1 */
    double y4[] = {7, 7, 7};
    WB_PASS(wb_mk(&r, t3, y4, 3, 10));
    ASSERT_EQ_I(r.s, 0);
    ASSERT(isnan(r.tau));
    ASSERT(r.p == 1.0);
}

TEST(trend, mk_normal_approximation_by_hand)
{
    /* n = 11 strictly increasing: S = 55, Var S = 11*10*27/18 = 165,
     * z = (55 - 1)/sqrt(165) = 4.2038893..., two-sided p = 2(1 - Phi(z)) = erfc(z/sqrt 2). */
    double t[11], y[11];
    for (int i = 0; i < 11; i++) {
        t[i] = 2010 + i;
        y[i] = i * i;
    }
    wb_mk_result r;
    WB_PASS(wb_mk(&r, t, y, 11, 10));
    ASSERT_EQ_I(r.s, 55);
    ASSERT_EQ_I(r.exact, 0);
    ASSERT_CLOSE(r.var_s, 165, 1e-12);
    ASSERT_CLOSE(r.z, 54 / sqrt(165.0), 1e-12);
    ASSERT_CLOSE(r.p, 2.6241e-5, 5e-9); /* pnorm(-4.2038893) * 2 = 2.62408e-05 */
    ASSERT_CLOSE(r.p, erfc(54 / sqrt(165.0) / sqrt(2.0)), 1e-15);
    /* the same series exactly: 2/11! */
    WB_PASS(wb_mk(&r, t, y, 11, 11));
    ASSERT_EQ_I(r.exact, 1);
    ASSERT(r.p == 2.0 / 39916800.0);
}

TEST(trend, sen_known_series)
{
    /* Observed (2000,1) (2002,3) (2003,2) (2005,5): pairwise slopes
     * (3-1)/2 = 1, (2-1)/3 = 1/3, (5-1)/5 = 0.8, (2-3)/1 = -1, (5-3)/3 = 2/3, (5-2)/2 = 1.5;
     * sorted -1, 1/3, 2/3, 0.8, 1, 1.5: median (2/3 + 0.8)/2 = 0.7333... */
    double t[] = {2000, 2001, 2002, 2003, 2004, 2005}, y[] = {1, NAN, 3, 2, NAN, 5};
    wb_sen_result s;
    WB_PASS(wb_sen(&s, t, y, 6, 0));
    ASSERT_EQ_I(s.n, 4);
    ASSERT_CLOSE(s.slope, (2.0 / 3.0 + 0.8) / 2, 1e-15);
    ASSERT(isnan(s.lo));
    /* y = 2t with one wild value: the 15 pairs without it all have slope 2, so the median
     * of the 21 slopes is 2 whatever the outlier; the intercept median(y - 2t) = 0. */
    double t2[] = {1, 2, 3, 4, 5, 6, 7}, y2[] = {2, 4, 6, 8, 100, 12, 14};
    WB_PASS(wb_sen(&s, t2, y2, 7, 0.95));
    ASSERT_CLOSE(s.slope, 2, 1e-15);
    ASSERT_CLOSE(s.intercept, 0, 1e-15);
    /* interval: Var S = 7*6*19/18 = 44.333, C = 1.959964 * 6.6583 = 13.050,
     * ranks round((21 - 13.05)/2) = round(3.975) = 4 and round((21 + 13.05)/2) + 1 =
     * round(17.025) + 1 = 18. The slopes with the outlier (t = 5, y = 100) are
     * 98/4 = 24.5, 96/3 = 32, 94/2 = 47, 92/1 = 92, -88/1 = -88, -86/2 = -43; sorted:
     * -88, -43, fifteen times 2 (ranks 3..17), 24.5, 32, 47, 92: rank 4 = 2, rank 18 = 24.5. */
    ASSERT_CLOSE(s.lo, 2, 1e-15);
    ASSERT_CLOSE(s.hi, 24.5, 1e-15);
}

TEST(trend, hinge_recovers_a_planted_break_exactly)
{
    /* y = 3 + 0.5 (t - 2005) - 1.2 max(0, t - 2012), 2005..2016, noise-free, gaps in 2007
     * and 2014: b = 0.5, slope after = 0.5 - 1.2 = -0.7, a (at year 0) = 3 - 0.5*2005. */
    double t[12], y[12];
    for (int i = 0; i < 12; i++) {
        t[i] = 2005 + i;
        y[i] = 3 + 0.5 * (t[i] - 2005) - 1.2 * (t[i] > 2012 ? t[i] - 2012 : 0);
    }
    y[2] = NAN;
    y[9] = NAN;
    wb_hinge_result h;
    WB_PASS(wb_hinge_fit(&h, t, y, 12, 2012));
    ASSERT_EQ_I(h.ok, 1);
    ASSERT_EQ_I(h.n, 10);
    ASSERT_EQ_I(h.n_before, 7); /* 2005 2006 2008 .. 2012 */
    ASSERT_EQ_I(h.n_after, 4);  /* 2012 2013 2015 2016 */
    ASSERT_CLOSE(h.slope_before, 0.5, 1e-10);
    ASSERT_CLOSE(h.slope_after, -0.7, 1e-10);
    ASSERT_CLOSE(h.c, -1.2, 1e-10);
    ASSERT_CLOSE(h.a, 3 - 0.5 * 2005, 1e-8);
    ASSERT_CLOSE(h.rss, 0, 1e-20);

    /* the break search finds 2012 and calls it significant */
    y[4] += 0.01; /* a little noise so the F statistic is finite */
    y[7] -= 0.02;
    wb_break_result b;
    WB_PASS(wb_hinge_search(&b, t, y, 12, 3, 199, 42));
    ASSERT_CLOSE(b.fit.tau, 2012, 0);
    ASSERT(b.supf > 1000);
    ASSERT_CLOSE(b.supf_p, 1.0 / 200, 1e-15); /* no simulated F reaches it */
    ASSERT(b.davies_p < 1e-6);
    /* candidates: observed years with >= 3 points on each side counting the year itself:
     * 2008, 2009, 2010, 2011, 2012, 2013 (2015 has only 2015, 2016 after it) */
    ASSERT_EQ_I(b.ncand, 6);
}

TEST(trend, hinge_without_a_full_rank_design_is_not_fitted)
{
    double t[] = {2000, 2001, 2002, 2003, 2004}, y[] = {1, 2, 4, 3, 5};
    wb_hinge_result h;
    WB_PASS(wb_hinge_fit(&h, t, y, 5, 2010)); /* every point before the break */
    ASSERT_EQ_I(h.ok, 0);
    ASSERT(isnan(h.slope_after));
    WB_PASS(wb_hinge_fit(&h, t, y, 3, 2001)); /* n = 3: no residual degrees of freedom */
    ASSERT_EQ_I(h.ok, 0);
    wb_break_result b;
    WB_PASS(wb_hinge_search(&b, t, y, 4, 3, 99, 1)); /* 4 points: no candidate with 3 a side */
    ASSERT_EQ_I(b.ncand, 0);
    ASSERT(isnan(b.supf));
}

TEST(trend, input_errors_are_reported)
{
    double t[] = {2000, 1999, 2002}, y[] = {1, 2, 3};
    wb_mk_result r;
    WB_FAILS(WB_EINVALID, wb_mk(&r, t, y, 3, 10));
    ASSERT(strstr(wb_error_last()->message, "ascending") != NULL);
    double t2[] = {2000, 2001, 2002};
    WB_FAILS(WB_EINVALID, wb_mk(&r, t2, y, 3, WB_MK_EXACT_NMAX + 1));
    WB_FAILS(WB_EINVALID, wb_mk(&r, t2, y, WB_TREND_MAX_YEARS + 1, 10));
    wb_hinge_result h;
    WB_FAILS(WB_EINVALID, wb_hinge_fit(&h, t2, y, 3, NAN));
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.alpha = 1.5;
    wb_trend_result tr;
    WB_FAILS(WB_EINVALID, wb_trend_series(&tr, t2, y, 3, &o));
    ASSERT(strstr(wb_error_last()->message, "alpha") != NULL);
    o = (wb_trend_opts)WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_FIXED;
    o.break_year = NAN;
    WB_FAILS(WB_EINVALID, wb_trend_series(&tr, t2, y, 3, &o));
}

/* ---------------------------------------------------------------- classes and groups */

/* A series 2004..2019 that rises by @p before per year to 2012 and by @p after from then,
 * with a fixed alternating wiggle of +-w, ending at a level set by @p shift. */
static void make_series(double *t, double *y, double before, double after, double w, double shift)
{
    for (int i = 0; i < 16; i++) {
        t[i] = 2004 + i;
        double x = t[i] - 2012;
        y[i] = shift + before * x + (after - before) * (x > 0 ? x : 0) + ((i % 2) ? w : -w);
    }
}

TEST(trend, classes_and_rigo_groups_follow_the_documented_rules)
{
    double t[16], y[16];
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_FIXED;
    o.break_year = 2012;
    o.reference = 0;
    o.scale = 1;
    wb_trend_result r;
    /* still rising after 2012, ending at +2 (z = 2 >= good_z = 0): success */
    make_series(t, y, 0.5, 0.4, 0.05, 0);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_IMPROVING);
    ASSERT_CLOSE(r.level, 0 + 0.4 * 7 + 0.05, 1e-12);
    ASSERT_EQ_I(r.group, WB_GROUP_SUCCESS);
    ASSERT_EQ_S(wb_trend_group_name(r.group), "success");
    /* the same shape ending below the reference: slow recovery */
    make_series(t, y, 0.5, 0.4, 0.05, -5);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.group, WB_GROUP_SLOW_RECOVERY);
    /* rising, then flat from 2012 at level -0.5 (fair, below the reference): early warning */
    make_series(t, y, 0.5, 0.0, 0.05, -0.5);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_STAGNATING);
    ASSERT_EQ_I(r.group, WB_GROUP_EARLY_WARNING);
    /* flat from 2012 far below (z = -3 < fair_z = -1): none */
    make_series(t, y, 0.5, 0.0, 0.05, -3);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.group, WB_GROUP_NONE);
    /* ... unless the user lowers fair_z */
    o.fair_z = -4;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.group, WB_GROUP_EARLY_WARNING);
    o.fair_z = -1;
    /* falling from 2012: declining, relapse, whatever the level */
    make_series(t, y, 0.5, -0.3, 0.05, 3);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_DECLINING);
    ASSERT_EQ_I(r.group, WB_GROUP_RELAPSE);
    /* for an indicator where higher is worse the same series improves */
    o.direction = -1;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_IMPROVING);
    ASSERT_CLOSE(r.level_z, -(y[15] - 0), 1e-12);
    o.direction = 1;
    /* a minimum relevant slope above |-0.3| turns the decline into stagnation */
    o.min_slope = 0.5;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_STAGNATING);
    o.min_slope = 0;
    /* a weak slope with a big wiggle is not significant: stagnating; without the
     * significance requirement its sign decides */
    make_series(t, y, 0.5, -0.05, 1.0, 0);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_STAGNATING);
    ASSERT(r.class_p > 0.05);
    o.require_significance = 0;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_DECLINING);
    o.require_significance = 1;
    /* without a reference the level groups are unknown (none), relapse is still given */
    o.reference = NAN;
    make_series(t, y, 0.5, 0.4, 0.05, 0);
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_IMPROVING);
    ASSERT_EQ_I(r.group, WB_GROUP_NONE);
    /* a break after the last year cannot be fitted: unknown */
    o.break_year = 2030;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_UNKNOWN);
    /* the SEN rule uses the points from 2012 on: 0.4 per year with a +-0.05 wiggle */
    o.break_year = 2012;
    o.rule = WB_TREND_RULE_SEN;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_IMPROVING);
    ASSERT(r.class_slope > 0.3 && r.class_slope < 0.5);
    /* without a break the whole series decides: Sen slope and MK p */
    o.break_mode = WB_BREAK_NONE;
    WB_PASS(wb_trend_series(&r, t, y, 16, &o));
    ASSERT_CLOSE(r.class_slope, r.sen.slope, 0);
    ASSERT_CLOSE(r.class_p, r.mk.p, 0);
    ASSERT(isnan(r.break_year));
}

/* A series that never changes is stagnating, not unknown: e.g. a wijk whose LBM class was 4
 * in 2002, 2008, 2012, 2014 and 2016. By hand: every pair ties, so S = 0 and Var S =
 * [n(n-1)(2n+5) - n(n-1)(2n+5)] / 18 = 0; the hinge fits exactly (RSS 0), so its standard
 * errors are 0 and its t-test is 0/0. Under every rule and break mode, with and without the
 * significance requirement, the class is stagnating with slope 0 and p 1; too few points stay
 * unknown, and one change in the series is no longer "constant". */
TEST(trend, a_series_that_never_changes_is_stagnating)
{
    const double t[] = {2002, 2008, 2012, 2014, 2016}, y[] = {4, 4, 4, 4, 4};
    const double yc[] = {4, 4, 4, 5, 5};
    wb_trend_result r;
    for (int mode = 0; mode < WB_BREAK__MAX; mode++)
        for (int rule = 0; rule < WB_TREND_RULE__MAX; rule++)
            for (int sig = 0; sig < 2; sig++) {
                wb_trend_opts o = WB_TREND_OPTS_INIT;
                o.break_mode = (wb_break_mode)mode;
                o.break_year = 2012;
                o.min_side = 2;
                o.rule = (wb_trend_rule)rule;
                o.require_significance = sig;
                o.reference = 4.5;
                o.scale = 1;
                WB_PASS(wb_trend_series(&r, t, y, 5, &o));
                ASSERT_MSG(r.trend == WB_TREND_STAGNATING, "mode %d rule %d significance %d: %s", mode, rule,
                           sig, wb_trend_class_name(r.trend));
                ASSERT_CLOSE(r.class_slope, 0, 0);
                ASSERT_CLOSE(r.class_p, 1, 0);
                ASSERT_EQ_I(r.mk.s, 0);
                ASSERT_CLOSE(r.mk.var_s, 0, 0);
                /* stagnating at z = -0.5, in [fair_z, good_z): early warning */
                ASSERT_EQ_I(r.group, WB_GROUP_EARLY_WARNING);
            }
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_FIXED;
    o.break_year = 2012;
    WB_PASS(wb_trend_series(&r, t, y, 5, &o));
    ASSERT(isnan(r.hinge.p_after)); /* the test itself stays undefined, as reported */
    /* three points with a break: the hinge cannot be fitted, too few points: unknown */
    WB_PASS(wb_trend_series(&r, t + 2, y + 2, 3, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_UNKNOWN);
    /* one step up after 2012 is a change: by the sign of the hinge slope it improves */
    o.require_significance = 0;
    WB_PASS(wb_trend_series(&r, t, yc, 5, &o));
    ASSERT_EQ_I(r.trend, WB_TREND_IMPROVING);
    ASSERT(r.class_slope > 0);
}

/* ---------------------------------------------------------------- batch */

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 11;
}

static double unif(uint64_t *s)
{
    return ((double)lcg(s) + 0.5) / 9007199254740992.0;
}

static double gauss(uint64_t *s)
{
    return sqrt(-2 * log(unif(s))) * cos(2 * M_PI * unif(s));
}

/* bitwise equality of every field (NaN == NaN), padding aside */
#define SAME(f) (memcmp(&a->f, &b->f, sizeof a->f) == 0)
static int same_result(const wb_trend_result *a, const wb_trend_result *b)
{
    return SAME(n) && SAME(first_year) && SAME(last_year) && SAME(mk.n) && SAME(mk.s) &&
           SAME(mk.tau) && SAME(mk.var_s) && SAME(mk.z) && SAME(mk.p) && SAME(mk.exact) &&
           SAME(sen.slope) && SAME(sen.intercept) && SAME(sen.lo) && SAME(sen.hi) &&
           SAME(hinge.ok) && SAME(hinge.tau) && SAME(hinge.slope_before) &&
           SAME(hinge.slope_after) && SAME(hinge.se_after) && SAME(hinge.p_after) &&
           SAME(hinge.p_c) && SAME(hinge.f) && SAME(break_year) && SAME(ncand) && SAME(supf) &&
           SAME(supf_p) && SAME(davies_p) && SAME(class_slope) && SAME(class_p) && SAME(level) &&
           SAME(level_z) && SAME(trend) && SAME(group);
}

TEST(trend, batch_equals_series_at_any_thread_count)
{
    enum { NS = 300, NY = 14 };
    double years[NY], *v = malloc(sizeof(double) * NS * NY);
    uint64_t seed = 7;
    for (int j = 0; j < NY; j++)
        years[j] = 2006 + j;
    for (int r = 0; r < NS; r++)
        for (int j = 0; j < NY; j++) {
            double x = years[j] - 2012;
            v[r * NY + j] = 0.3 * x - (r % 3) * 0.4 * (x > 0 ? x : 0) + gauss(&seed);
            if (unif(&seed) < 0.08)
                v[r * NY + j] = NAN; /* gaps: many distinct designs */
        }
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_ESTIMATE;
    o.draws = 99;
    o.nthreads = 1;
    wb_trend_result *a = calloc(NS, sizeof *a), *b = calloc(NS, sizeof *b);
    wb_trend_summary sa, sb;
    WB_PASS(wb_trend_batch(a, &sa, years, NY, v, NS, &o, NULL, NULL));
    o.nthreads = 2;
    WB_PASS(wb_trend_batch(b, &sb, years, NY, v, NS, &o, NULL, NULL));
    ASSERT_EQ_I(sb.nthreads, 2);
    ASSERT(sa.ndesigns > 10);
    for (int r = 0; r < NS; r++)
        ASSERT_MSG(same_result(&a[r], &b[r]), "series %d differs between 1 and 2 threads", r);
    /* one by one with the reference and scale the batch used */
    o.reference = sa.reference;
    o.scale = sa.scale;
    for (int r = 0; r < NS; r++) {
        wb_trend_result one;
        WB_PASS(wb_trend_series(&one, years, v + r * NY, NY, &o));
        ASSERT_MSG(same_result(&one, &a[r]), "series %d differs alone and in the batch", r);
    }
    size_t tot = 0;
    for (int c = 0; c < WB_TREND__MAX; c++)
        tot += sa.count[c];
    ASSERT_EQ_I(tot, NS);
    free(a);
    free(b);
    free(v);
}

TEST(trend, supf_test_holds_its_size_where_the_naive_test_does_not)
{
    /* 600 null series (a line plus N(0,1) noise, n = 16, no gaps: one design): the share of
     * sup-F p < 0.05 must be within binomial noise of 0.05 (sd 0.0089; bounds = 3.4 sd),
     * while the naive t-test of c at the estimated break rejects far more often. */
    enum { NS = 600, NY = 16 };
    double years[NY], *v = malloc(sizeof(double) * NS * NY);
    uint64_t seed = 2024;
    for (int j = 0; j < NY; j++)
        years[j] = 2004 + j;
    for (int r = 0; r < NS; r++)
        for (int j = 0; j < NY; j++)
            v[r * NY + j] = 5 + 0.2 * j + gauss(&seed);
    wb_trend_opts o = WB_TREND_OPTS_INIT;
    o.break_mode = WB_BREAK_ESTIMATE;
    o.draws = 999;
    o.nthreads = 2;
    wb_trend_result *res = calloc(NS, sizeof *res);
    wb_trend_summary sum;
    WB_PASS(wb_trend_batch(res, &sum, years, NY, v, NS, &o, NULL, NULL));
    ASSERT_EQ_I(sum.ndesigns, 1);
    int rej = 0, naive = 0, dav = 0;
    for (int r = 0; r < NS; r++) {
        rej += res[r].supf_p < 0.05;
        naive += res[r].hinge.p_c < 0.05;
        dav += res[r].davies_p < 0.05;
    }
    double rate = rej / (double)NS;
    ASSERT_MSG(rate > 0.02 && rate < 0.08, "sup-F rejection rate %g", rate);
    ASSERT_MSG(naive / (double)NS > 0.12, "naive rejection rate %g", naive / (double)NS);
    /* Davies' bound is conservative: it rejects no more often than the exact test */
    ASSERT_MSG(dav <= rej + 6, "davies %d vs sup-F %d", dav, rej);
    free(res);
    free(v);
}

/* ---------------------------------------------------------------- the R reference */

typedef struct {
    int id, n, first_year, last_year, ncand;
    char kind[16];
    long mk_s;
    double f[24];
} refrow;

/* columns of reference.csv after mk_s, in order */
enum {
    R_MK_TAU, R_MK_VAR, R_MK_P_ENUM, R_MK_P_COR, R_SEN, R_SEN_INT, R_SEN_LO, R_SEN_HI,
    R_TAU_FIXED, R_H_SB, R_H_SA, R_H_SEB, R_H_SEA, R_H_SEC, R_H_PB, R_H_PA, R_H_PC, R_H_F,
    R_H_RSS, R_NCAND, R_SUPF, R_TAU_HAT, R_DAVIES, R_MC
};

static double num(const char *s)
{
    return strcmp(s, "NA") == 0 ? NAN : strtod(s, NULL);
}

static refrow *load_reference(size_t *nrows, double **years, double **values, size_t **off)
{
    FILE *f = fopen(wbt_fixture("trend/reference.csv"), "r");
    ASSERT_MSG(f != NULL, "cannot open tests/data/trend/reference.csv");
    char line[4096];
    size_t cap = 512, n = 0;
    refrow *rows = calloc(cap, sizeof *rows);
    ASSERT(fgets(line, sizeof line, f) != NULL); /* header */
    while (fgets(line, sizeof line, f)) {
        char *tok[40];
        int k = 0;
        for (char *p = strtok(line, ",\n"); p && k < 40; p = strtok(NULL, ",\n"))
            tok[k++] = p;
        ASSERT_EQ_I(k, 30);
        ASSERT((size_t)n < cap);
        refrow *r = &rows[n++];
        r->id = atoi(tok[0]);
        snprintf(r->kind, sizeof r->kind, "%s", tok[1]);
        r->n = atoi(tok[2]);
        r->first_year = atoi(tok[3]);
        r->last_year = atoi(tok[4]);
        r->mk_s = atol(tok[5]);
        for (int j = 0; j < 24; j++)
            r->f[j] = num(tok[6 + j]);
        r->ncand = (int)r->f[R_NCAND];
    }
    fclose(f);
    /* the series, in id order, as consecutive (year, value) rows */
    f = fopen(wbt_fixture("trend/series.csv"), "r");
    ASSERT(f != NULL);
    size_t vcap = 8192, nv = 0;
    *years = malloc(vcap * sizeof **years);
    *values = malloc(vcap * sizeof **values);
    *off = calloc(n + 2, sizeof **off);
    int last = 0;
    ASSERT(fgets(line, sizeof line, f) != NULL);
    while (fgets(line, sizeof line, f)) {
        int id = atoi(strtok(line, ","));
        double yr = num(strtok(NULL, ",")), val = num(strtok(NULL, ",\n"));
        ASSERT(nv < vcap && id >= 1 && (size_t)id <= n);
        if (id != last) {
            (*off)[id - 1] = nv;
            last = id;
        }
        (*years)[nv] = yr;
        (*values)[nv] = val;
        nv++;
    }
    (*off)[n] = nv;
    fclose(f);
    *nrows = n;
    return rows;
}

/* |a - b| <= tol * max(1, |b|) */
#define ASSERT_REL(a, b, tol, id)                                                            \
    ASSERT_MSG((isnan(a) && isnan(b)) || fabs((a) - (b)) <= (tol) * fmax(1.0, fabs(b)),       \
               "series %d: %s = %.17g, R %.17g", id, #a, (double)(a), (double)(b))

TEST(trend, matches_the_r_reference)
{
    size_t n;
    double *years, *values;
    size_t *off;
    refrow *rows = load_reference(&n, &years, &values, &off);
    ASSERT(n >= 300);
    int n_exact = 0, n_exact_ties = 0, n_normal = 0, n_hinge = 0, n_search = 0, n_davies = 0;
    for (size_t i = 0; i < n; i++) {
        refrow *r = &rows[i];
        const double *yr = years + off[i], *val = values + off[i];
        size_t len = off[i + 1] - off[i];
        wb_mk_result mk;
        WB_PASS(wb_mk(&mk, yr, val, len, 10));
        ASSERT_EQ_I(mk.n, r->n);
        ASSERT_MSG(mk.s == r->mk_s, "series %d: S = %ld, R %ld", r->id, mk.s, r->mk_s);
        ASSERT_REL(mk.tau, r->f[R_MK_TAU], 1e-10, r->id);
        ASSERT_REL(mk.var_s, r->f[R_MK_VAR], 1e-10, r->id);
        if (r->n <= 10) {
            /* exact: the same rational number, correctly rounded on both sides */
            ASSERT_MSG(mk.p == r->f[R_MK_P_ENUM], "series %d: exact p %.17g, R %.17g", r->id,
                       mk.p, r->f[R_MK_P_ENUM]);
            if (!isnan(r->f[R_MK_P_COR])) {
                ASSERT_CLOSE(mk.p, r->f[R_MK_P_COR], 1e-14);
                n_exact++;
            } else {
                n_exact_ties++;
            }
        } else {
            ASSERT_REL(mk.p, r->f[R_MK_P_COR], 1e-8, r->id);
            n_normal++;
        }
        wb_sen_result sen;
        WB_PASS(wb_sen(&sen, yr, val, len, 0.95));
        ASSERT_REL(sen.slope, r->f[R_SEN], 1e-10, r->id);
        ASSERT_REL(sen.intercept, r->f[R_SEN_INT], 1e-10, r->id);
        ASSERT_REL(sen.lo, r->f[R_SEN_LO], 1e-10, r->id);
        ASSERT_REL(sen.hi, r->f[R_SEN_HI], 1e-10, r->id);
        if (!isnan(r->f[R_H_SB])) {
            wb_hinge_result h;
            WB_PASS(wb_hinge_fit(&h, yr, val, len, r->f[R_TAU_FIXED]));
            ASSERT_MSG(h.ok, "series %d: hinge not fitted", r->id);
            ASSERT_REL(h.slope_before, r->f[R_H_SB], 1e-10, r->id);
            ASSERT_REL(h.slope_after, r->f[R_H_SA], 1e-10, r->id);
            ASSERT_REL(h.rss, r->f[R_H_RSS], 1e-10, r->id);
            if (r->f[R_H_RSS] > 1e-12) { /* an exact fit has no meaningful errors */
                ASSERT_REL(h.se_before, r->f[R_H_SEB], 1e-10, r->id);
                ASSERT_REL(h.se_after, r->f[R_H_SEA], 1e-10, r->id);
                ASSERT_REL(h.se_c, r->f[R_H_SEC], 1e-10, r->id);
                ASSERT_REL(h.f, r->f[R_H_F], 1e-9, r->id);
                ASSERT_CLOSE(h.p_before, r->f[R_H_PB], 1e-8);
                ASSERT_CLOSE(h.p_after, r->f[R_H_PA], 1e-8);
                ASSERT_CLOSE(h.p_c, r->f[R_H_PC], 1e-8);
            }
            n_hinge++;
        }
        wb_break_result br;
        int mc = !isnan(r->f[R_MC]);
        WB_PASS(wb_hinge_search(&br, yr, val, len, 3, mc ? 19999 : 0, 99));
        ASSERT_EQ_I(br.ncand, r->ncand);
        /* R's F of a series on a straight line (e.g. constant) is rounding noise: skip */
        if (r->ncand > 0 && !isnan(r->f[R_SUPF]) && r->f[R_H_RSS] > 1e-12) {
            ASSERT_REL(br.supf, r->f[R_SUPF], 1e-9, r->id);
            if (br.fit.tau != r->f[R_TAU_HAT]) {
                /* only acceptable when F ties (to rounding) at both years */
                wb_hinge_result h2;
                WB_PASS(wb_hinge_fit(&h2, yr, val, len, r->f[R_TAU_HAT]));
                ASSERT_MSG(fabs(h2.f - br.supf) <= 1e-9 * fmax(1, br.supf),
                           "series %d: break %g, R %g", r->id, br.fit.tau, r->f[R_TAU_HAT]);
            }
            n_search++;
            if (!isnan(r->f[R_DAVIES])) {
                ASSERT_MSG(fabs(br.davies_p - r->f[R_DAVIES]) <= 1e-8,
                           "series %d: davies %.17g, R %.17g", r->id, br.davies_p,
                           r->f[R_DAVIES]);
                n_davies++;
            }
            if (mc) {
                /* two independent simulations (20000 draws each): 4.5 sd of the difference */
                double p = r->f[R_MC], sd = sqrt(p * (1 - p) * (1.0 / 20000 + 1.0 / 20000));
                ASSERT_MSG(fabs(br.supf_p - p) <= 4.5 * sd + 1e-4,
                           "series %d: sup-F p %.5f, R %.5f", r->id, br.supf_p, p);
            }
        }
    }
    /* the fixture covers every path */
    ASSERT(n_exact >= 60 && n_exact_ties >= 50 && n_normal >= 100 && n_hinge >= 60);
    ASSERT(n_search >= 100 && n_davies >= 100);
    free(rows);
    free(years);
    free(values);
    free(off);
}
