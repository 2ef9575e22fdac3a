/**
 * @file
 * @brief Markov chains, spatial Markov, LISA Markov, quantile classes and the chi-square tail
 * on cases computed by hand (each expected number is derived in the comment next to it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats_internal.h"
#include "test.h"

/* One transition per area, two years: the counts are exactly the pairs given. */
static int *pairs_to_classes(const int (*pairs)[2], size_t n)
{
    int *cls = malloc(2 * n * sizeof *cls);
    for (size_t i = 0; i < n; i++) {
        cls[i] = pairs[i][0];
        cls[n + i] = pairs[i][1];
    }
    return cls;
}

/* Kemeny & Snell (1976), Finite Markov Chains, the Land of Oz (rain, nice, snow):
 * P = [[1/2, 1/4, 1/4], [1/2, 0, 1/2], [1/4, 1/4, 1/2]], steady state (2/5, 1/5, 2/5), mean
 * first passage times [[5/2, 4, 10/3], [8/3, 5, 8/3], [10/3, 4, 5/2]] (their section 4.4,
 * and giddy's doctest of mfpt). Counts 2,1,1 / 1,0,1 / 1,1,2 give that P. */
TEST(spacetime_markov, land_of_oz_by_hand)
{
    static const int pairs[][2] = {{0, 0}, {0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 2},
                                   {2, 0}, {2, 1}, {2, 2}, {2, 2}};
    size_t n = sizeof pairs / sizeof pairs[0];
    int *cls = pairs_to_classes(pairs, n);
    wb_markov_chain c;
    WB_PASS(wb_markov_chain_init(&c, 3));
    wb_markov_count(&c, cls, n, 2, NULL, NULL);
    WB_PASS(wb_markov_chain_finish(&c));
    const double P[9] = {0.5, 0.25, 0.25, 0.5, 0, 0.5, 0.25, 0.25, 0.5};
    const double M[9] = {2.5, 4, 10.0 / 3, 8.0 / 3, 5, 8.0 / 3, 10.0 / 3, 4, 2.5};
    for (int e = 0; e < 9; e++) {
        ASSERT_CLOSE(c.p[e], P[e], 0);
        ASSERT_CLOSE(c.mfpt[e], M[e], 1e-12);
    }
    ASSERT_EQ_I(c.nsteady, 1);
    ASSERT_CLOSE(c.steady[0], 0.4, 1e-14);
    ASSERT_CLOSE(c.steady[1], 0.2, 1e-14);
    ASSERT_CLOSE(c.steady[2], 0.4, 1e-14);
    ASSERT_CLOSE(c.ntransitions, 10, 0);
    /* only the first four areas: counts 2,1,1 / 0 / 0: rows 2 and 3 are empty and made absorbing */
    unsigned char areas[10] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    wb_markov_chain d;
    WB_PASS(wb_markov_chain_init(&d, 3));
    wb_markov_count(&d, cls, n, 2, areas, NULL);
    WB_PASS(wb_markov_chain_finish(&d));
    ASSERT_CLOSE(d.ntransitions, 4, 0);
    ASSERT_CLOSE(d.p[3], 0, 0); /* the published row stays empty */
    ASSERT_EQ_I(d.nsteady, 2);  /* {nice} and {snow}, each absorbing */
    ASSERT_CLOSE(d.steady[0 * 3 + 1], 1, 0);
    ASSERT_CLOSE(d.steady[1 * 3 + 2], 1, 0);
    free(cls);
    wb_markov_chain_dispose(&c);
    wb_markov_chain_dispose(&d);
}

/* A reducible chain: state 1 transient (stays with 1/2, else to 2), {2, 3} closed with
 * p_23 = p_22 = 1/2 and p_32 = 1, state 4 never left (an empty row, made absorbing).
 * Steady states: on {2, 3} pi = (2/3, 1/3) (pi_2 = pi_2/2 + pi_3, pi_3 = pi_2/2), on {4} 1.
 * Passage times: m_12 = 2 (geometric, 1/2); m_23 = 2 likewise; m_32 = 1; m_13 = 1 + m_13/2
 * + m_23/2 -> m_13 = 2 + m_23 = 4; m_22 = 1 + m_32/2 = 3/2 = 1/pi_2; m_33 = 1 + m_23 = 3 =
 * 1/pi_3; m_11 and anything into 1 or 4 (other than from 4 itself): never for sure. */
TEST(spacetime_markov, reducible_chain_by_hand)
{
    const double P[16] = {0.5, 0.5, 0, 0, 0, 0.5, 0.5, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    double S[16], M[16];
    size_t ns;
    WB_PASS(wb_markov_steady(S, &ns, P, 4));
    ASSERT_EQ_I(ns, 2);
    const double S0[4] = {0, 2.0 / 3, 1.0 / 3, 0}, S1[4] = {0, 0, 0, 1};
    for (int j = 0; j < 4; j++) {
        ASSERT_CLOSE(S[j], S0[j], 1e-15);
        ASSERT_CLOSE(S[4 + j], S1[j], 0);
    }
    WB_PASS(wb_markov_mfpt(M, P, 4));
    ASSERT_CLOSE(M[0 * 4 + 1], 2, 1e-14);
    ASSERT_CLOSE(M[0 * 4 + 2], 4, 1e-14);
    ASSERT_CLOSE(M[1 * 4 + 2], 2, 1e-14);
    ASSERT_CLOSE(M[2 * 4 + 1], 1, 1e-14);
    ASSERT_CLOSE(M[1 * 4 + 1], 1.5, 1e-14);
    ASSERT_CLOSE(M[2 * 4 + 2], 3, 1e-14);
    ASSERT_CLOSE(M[3 * 4 + 3], 1, 0);
    ASSERT(isinf(M[0]) && isinf(M[1 * 4 + 0]) && isinf(M[0 * 4 + 3]) && isinf(M[1 * 4 + 3]) && isinf(M[3 * 4 + 1]));

    /* Entering a state on the way to a trap still counts: 0 stays (1/2) or moves to 1, 1 moves
     * to the absorbing 2. m_01 = 2 although 2, reachable from 0, never returns to 1;
     * m_02 = m_01 + 1 = 3; m_11 = 1 + m_21 = never. */
    const double P3[9] = {0.5, 0.5, 0, 0, 0, 1, 0, 0, 1};
    double M3[9];
    WB_PASS(wb_markov_mfpt(M3, P3, 3));
    ASSERT_CLOSE(M3[0 * 3 + 1], 2, 1e-14);
    ASSERT_CLOSE(M3[0 * 3 + 2], 3, 1e-14);
    ASSERT_CLOSE(M3[1 * 3 + 2], 1, 1e-14);
    ASSERT(isinf(M3[1 * 3 + 1]) && isinf(M3[2 * 3 + 1]) && isinf(M3[1 * 3 + 0]));
    ASSERT(isinf(M3[0])); /* m_00 = 1 + m_10 / 2: a return is not sure */
}

/* Two regimes k = 2: N1 = [[8, 2], [2, 8]], N2 = [[2, 8], [8, 2]]; pooled [[10, 10], [10, 10]],
 * p = 1/2. Q = 4 rows x 10 x ((0.3^2 + 0.3^2) / 0.5) = 14.4; LR = 2 x 4 (8 ln 1.6 + 2 ln 0.4);
 * dof = sum_i (b_i - 1)(a_i - 1) = 2; with 2 dof the upper tail is exp(-x / 2). */
TEST(spacetime_markov, homogeneity_by_hand)
{
    const double N[8] = {8, 2, 2, 8, 2, 8, 8, 2};
    wb_markov_homogeneity h;
    WB_PASS(wb_markov_homogeneity_test(&h, N, 2, 2));
    ASSERT_CLOSE(h.Q, 14.4, 1e-12);
    double LR = 8 * (8 * log(1.6) + 2 * log(0.4));
    ASSERT_CLOSE(h.LR, LR, 1e-12);
    ASSERT_EQ_I(h.dof, 2);
    ASSERT_CLOSE(h.Q_p, exp(-7.2), 1e-15);
    ASSERT_CLOSE(h.LR_p, exp(-LR / 2), 1e-15);
    ASSERT_CLOSE(h.ntransitions, 40, 0);
    /* a row seen in one regime only adds nothing to dof: b_i - 1 = 0 */
    const double N2[8] = {8, 2, 0, 0, 2, 8, 8, 2};
    WB_PASS(wb_markov_homogeneity_test(&h, N2, 2, 2));
    ASSERT_EQ_I(h.dof, 1);
}

/* Closed forms: 2 dof exp(-x/2); 1 dof erfc(sqrt(x/2)); 4 dof exp(-x/2)(1 + x/2). */
TEST(spacetime_markov, chi_square_tail_closed_forms)
{
    const double xs[] = {0.001, 0.5, 1, 2.5, 3.841458820694124, 10, 40, 200, 1000};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        double p2 = wb__pchisq_upper(x, 2), p1 = wb__pchisq_upper(x, 1), p4 = wb__pchisq_upper(x, 4);
        ASSERT_MSG(fabs(p2 / exp(-x / 2) - 1) < 1e-13, "x %g: 2 dof %.17g", x, p2);
        ASSERT_MSG(fabs(p1 / erfc(sqrt(x / 2)) - 1) < 1e-12, "x %g: 1 dof %.17g vs %.17g", x, p1, erfc(sqrt(x / 2)));
        ASSERT_MSG(fabs(p4 / (exp(-x / 2) * (1 + x / 2)) - 1) < 1e-13, "x %g: 4 dof %.17g", x, p4);
    }
    ASSERT_CLOSE(wb__pchisq_upper(0, 3), 1, 0);
    ASSERT_CLOSE(wb__pchisq_upper(-1, 3), 1, 0);
    ASSERT(isnan(wb__pchisq_upper(1, 0)));
}

/* R's quantile(1:10, (1:4)/4, type = 7): index 1 + 9 c / 4 = 3.25, 5.5, 7.75, 10 -> 3.25, 5.5,
 * 7.75, 10 (1..10 are their own order statistics). Classes are (b_{c-1}, b_c]. */
TEST(spacetime_markov, quantile_classes_by_hand)
{
    double x[10], b[4];
    for (int i = 0; i < 10; i++)
        x[i] = 10 - i; /* any order */
    WB_PASS(wb_quantile_bins(b, 4, x, 10));
    ASSERT_CLOSE(b[0], 3.25, 0);
    ASSERT_CLOSE(b[1], 5.5, 0);
    ASSERT_CLOSE(b[2], 7.75, 0);
    ASSERT_CLOSE(b[3], 10, 0);
    ASSERT_EQ_I(wb_bins_class(b, 4, 3.25), 0);
    ASSERT_EQ_I(wb_bins_class(b, 4, 3.2500001), 1);
    ASSERT_EQ_I(wb_bins_class(b, 4, 1), 0);
    ASSERT_EQ_I(wb_bins_class(b, 4, 10), 3);
    ASSERT_EQ_I(wb_bins_class(b, 4, 99), 3);
    ASSERT_EQ_I(wb_bins_class(b, 4, NAN), -1);
    /* five 1s and a 2: the thirds are 1, 1, 2 (index 2.67 and 4.33 fall among the 1s) */
    const double t[6] = {1, 1, 1, 1, 1, 2};
    WB_FAILS(WB_EINVALID, wb_quantile_bins(b, 3, t, 6));
    ASSERT(strstr(wb_error_last()->message, "too few distinct values for 3 quantile classes"));
    WB_PASS(wb_quantile_bins(b, 2, t, 6)); /* halves: index 3.5 falls among the 1s, then the 2 */
    ASSERT_CLOSE(b[0], 1, 0);
    ASSERT_CLOSE(b[1], 2, 0);
    const double one[1] = {5};
    WB_FAILS(WB_EINVALID, wb_quantile_bins(b, 2, one, 1));
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The selection inside wb_quantile_bins gives what sorting gives: random values with many
 * ties (integers 0..29 and halves), 1 to 12 classes, against R's type 7 on a sorted copy. */
TEST(spacetime_markov, quantile_classes_equal_sorting)
{
    unsigned seed = 12345;
    for (int round = 0; round < 200; round++) {
        size_t n = 2 + (size_t)(round * 7 % 500);
        double *x = malloc(n * sizeof *x), *s = malloc(n * sizeof *s), b[12];
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            x[i] = (double)((seed >> 16) % 60) / 2;
            s[i] = x[i];
        }
        qsort(s, n, sizeof *s, cmp_d);
        size_t k = 1 + (size_t)round % 12;
        int rc = wb_quantile_bins(b, k, x, n);
        int distinct = 1;
        double want[12];
        for (size_t c = 1; c <= k; c++) {
            double index = 1 + (double)(n - 1) * ((double)c / (double)k), fl = floor(index);
            size_t lo = (size_t)fl - 1;
            double f = index - fl;
            want[c - 1] = lo >= n - 1 ? s[n - 1] : f > 0 && s[lo + 1] != s[lo] ? (1 - f) * s[lo] + f * s[lo + 1] : s[lo];
            if (c > 1 && !(want[c - 1] > want[c - 2]))
                distinct = 0;
        }
        ASSERT_EQ_I(rc, distinct ? 0 : WB_EINVALID);
        for (size_t c = 0; distinct && c < k; c++)
            ASSERT_MSG(b[c] == want[c], "round %d n %zu k %zu bin %zu: %.17g, sorted %.17g", round, n, k, c, b[c],
                       want[c]);
        free(x);
        free(s);
    }
}

/* A line of four areas 0-1-2-3 with row-standardised weights, three years of classes 1/2:
 *   y(t0) = 1 2 1 2   lag = 2 1 2 1
 *   y(t1) = 1 1 2 2   lag = 1 1.5 1.5 2
 *   y(t2) = 2 1 2 1   lag = 1 2 1 2
 * Pooled lags sorted: 1 x5, 1.5 x2, 2 x5; halves (m = 2): index 6.5 -> 1.5, index 12 -> 2.
 * Lag class 1 (<= 1.5) / 2: t0: 2 1 2 1; t1: 1 1 1 2. Transitions (lag class: from -> to):
 * t0->t1: a0 2: 1->1, a1 1: 2->1, a2 2: 1->2, a3 1: 2->2;
 * t1->t2: a0 1: 1->2, a1 1: 1->1, a2 1: 2->2, a3 2: 2->1.
 * Lag class 1: [[1, 1], [1, 2]]; lag class 2: [[1, 1], [1, 0]]; pooled [[2, 2], [2, 2]].
 * Q: row 2 of class 1 (n 3, p 1/3 2/3): 3 (2 (1/6)^2 / 0.5) = 1/3; row 2 of class 2 (n 1,
 * p 1 0): 1; Q = 4/3. LR = 2 (ln(2/3) + 2 ln(4/3) + ln 2). dof = 1 + 1. */
TEST(spacetime_markov, spatial_markov_by_hand)
{
    static const size_t row[5] = {0, 1, 3, 5, 6};
    static uint32_t col[6] = {1, 0, 2, 1, 3, 2};
    static double wt[6] = {1, 0.5, 0.5, 0.5, 0.5, 1};
    wb_weights w = {4, 6, (size_t *)row, col, wt, WB_WEIGHTS_QUEEN, WB_STYLE_W, 0};
    const double y[12] = {1, 2, 1, 2, 1, 1, 2, 2, 2, 1, 2, 1};
    int cls[12];
    for (int e = 0; e < 12; e++)
        cls[e] = (int)y[e] - 1;
    wb_spatial_markov_opts o = WB_SPATIAL_MARKOV_OPTS_INIT;
    o.lag_classes = 2;
    wb_spatial_markov s;
    WB_PASS(wb_spatial_markov_estimate(&s, &w, y, cls, 4, 3, 2, &o));
    ASSERT_CLOSE(s.lag_bins[0], 1.5, 0);
    ASSERT_CLOSE(s.lag_bins[1], 2, 0);
    const double L[12] = {2, 1, 2, 1, 1, 1.5, 1.5, 2, 1, 2, 1, 2};
    const int LC[8] = {1, 0, 1, 0, 0, 0, 0, 1};
    for (int e = 0; e < 12; e++)
        ASSERT_CLOSE(s.lag[e], L[e], 0);
    for (int e = 0; e < 8; e++)
        ASSERT_EQ_I(s.lag_class[e], LC[e]);
    const double C0[4] = {1, 1, 1, 2}, C1[4] = {1, 1, 1, 0};
    for (int e = 0; e < 4; e++) {
        ASSERT_CLOSE(s.cond[0].count[e], C0[e], 0);
        ASSERT_CLOSE(s.cond[1].count[e], C1[e], 0);
        ASSERT_CLOSE(s.pooled.count[e], 2, 0);
    }
    ASSERT_CLOSE(s.ht.Q, 4.0 / 3, 1e-14);
    ASSERT_CLOSE(s.ht.LR, 2 * (log(2.0 / 3) + 2 * log(4.0 / 3) + log(2.0)), 1e-14);
    ASSERT_EQ_I(s.ht.dof, 2);
    ASSERT_CLOSE(s.ht.Q_p, exp(-2.0 / 3), 1e-15);
    ASSERT_EQ_I(s.islands, 0);
    wb_spatial_markov_dispose(&s);

    /* the same with only the first period counted, and with area 3 left out */
    const unsigned char periods[2] = {1, 0}, areas[4] = {1, 1, 1, 0};
    o.periods = periods;
    o.areas = areas;
    WB_PASS(wb_spatial_markov_estimate(&s, &w, y, cls, 4, 3, 2, &o));
    ASSERT_CLOSE(s.pooled.ntransitions, 3, 0);
    ASSERT_CLOSE(s.cond[0].count[2], 1, 0); /* a1: lag class 1, 2 -> 1 */
    ASSERT_CLOSE(s.cond[1].count[0], 1, 0); /* a0: 1 -> 1 */
    ASSERT_CLOSE(s.cond[1].count[1], 1, 0); /* a2: 1 -> 2 */
    ASSERT_CLOSE(s.lag_bins[0], 1.5, 0);    /* lag classes still from all areas and years */
    wb_spatial_markov_dispose(&s);

    /* too few distinct lags for 4 classes: the quarters are 1, 1.5, 2, 2 */
    o.periods = NULL;
    o.areas = NULL;
    o.lag_classes = 4;
    WB_FAILS(WB_EINVALID, wb_spatial_markov_estimate(&s, &w, y, cls, 4, 3, 2, &o));
    ASSERT(strstr(wb_error_last()->message, "classes of the spatial lag"));
    ASSERT(strstr(wb_error_last()->message, "too few distinct values"));
}

/* Same line. t0: z = -.5 .5 -.5 .5, lag of z = .5 -.5 .5 -.5: LH HL LH HL.
 * t1: z = -.5 -.5 .5 .5, lag = -.5 0 0 .5: LL LL HL HH (a lag of exactly 0 counts as low).
 * Transitions: LH->LL, HL->LL, LH->HL, HL->HH. */
TEST(spacetime_markov, lisa_markov_by_hand)
{
    static const size_t row[5] = {0, 1, 3, 5, 6};
    static uint32_t col[6] = {1, 0, 2, 1, 3, 2};
    static double wt[6] = {1, 0.5, 0.5, 0.5, 0.5, 1};
    wb_weights w = {4, 6, (size_t *)row, col, wt, WB_WEIGHTS_QUEEN, WB_STYLE_W, 0};
    const double y[8] = {1, 2, 1, 2, 1, 1, 2, 2};
    int q[8];
    wb_markov_chain c;
    WB_PASS(wb_lisa_markov(&c, q, &w, y, 4, 2, NULL, NULL));
    const int Q[8] = {WB_QUAD_LH, WB_QUAD_HL, WB_QUAD_LH, WB_QUAD_HL, WB_QUAD_LL, WB_QUAD_LL, WB_QUAD_HL, WB_QUAD_HH};
    for (int e = 0; e < 8; e++)
        ASSERT_EQ_I(q[e], Q[e]);
    ASSERT_CLOSE(c.count[WB_QUAD_LH * 4 + WB_QUAD_LL], 1, 0);
    ASSERT_CLOSE(c.count[WB_QUAD_HL * 4 + WB_QUAD_LL], 1, 0);
    ASSERT_CLOSE(c.count[WB_QUAD_LH * 4 + WB_QUAD_HL], 1, 0);
    ASSERT_CLOSE(c.count[WB_QUAD_HL * 4 + WB_QUAD_HH], 1, 0);
    ASSERT_CLOSE(c.ntransitions, 4, 0);
    ASSERT_EQ_S(wb_quadrant_name(WB_QUAD_HL), "HL");
    wb_markov_chain_dispose(&c);
}
