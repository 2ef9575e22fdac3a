/** @file @brief Segregation indices: hand-computed cases, published values, invariances,
 *  the exact between/within decomposition, bad input, loading from the store, and the real
 *  SES-WOA 2019 Amsterdam data.
 *
 * Tolerances: 1e-15 for indices that are exact fractions computed from a few additions,
 * 1e-14 for closed forms with logarithms, 1e-12 for identities (decomposition, M = H E)
 * on larger tables; each test says which. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats/ses_woa_raw.h"
#include "test.h"

static const double LN2 = 0.69314718055994530942;
static const double LN3 = 1.09861228866810969140;

/* ---------------------------------------------------------------- hand-computed */

/* Two groups x three units, t = [[3,1],[1,1],[0,2]]: T_1 = T_2 = 4, T = 8, pi = (1/2, 1/2).
 *   D   = 1/2 (|3/4 - 1/4| + |1/4 - 1/4| + |0 - 2/4|) = 1/2 (1/2 + 0 + 1/2) = 1/2
 *   E   = ln 2;  unit entropies E_1 = ln 4 - (3/4) ln 3, E_2 = ln 2, E_3 = 0
 *   M   = E - sum_j (t_j/T) E_j = ln 2 - [ (1/2)(2 ln 2 - (3/4) ln 3) + (1/4) ln 2 ]
 *       = (3/8) ln 3 - (1/4) ln 2                                     = 0.238692813...
 *   H   = M / E = (3/8) log2(3) - 1/4                                 = 0.344360937...
 *   1P1 = (3/4)(3/4) + (1/4)(1/2) + 0 = 11/16;  1P2 = (3/4)(1/4) + (1/4)(1/2) = 5/16
 *   2P2 = (1/4)(1/4) + (1/4)(1/2) + (2/4)(1) = 11/16; 2P1 = 5/16
 *   Multigroup D (Reardon & Firebaugh eq. 5): I = 1/2; sum_m sum_j t_j |p_jm - pi_m| =
 *   2 x (4 |3/4 - 1/2| + 2 |1/2 - 1/2| + 2 |0 - 1/2|) = 4; D = 4 / (2 x 8 x 1/2) = 1/2 too.
 *   LQ: unit 1 (3/2, 1/2), unit 2 (1, 1), unit 3 (0, 2). */
static const double T2x3[] = {3, 1, 1, 1, 0, 2};

TEST(segregation, two_groups_three_units_by_hand)
{
    wb_seg_result r;
    WB_PASS(wb_seg_compute(&r, T2x3, 3, 2, NULL, 0, NULL, NULL));
    ASSERT_EQ_I(r.n_units, 3);
    ASSERT_EQ_I(r.n_groups_present, 2);
    ASSERT_CLOSE(r.population, 8, 0);
    ASSERT_CLOSE(r.D, 0.5, 1e-15);
    ASSERT_CLOSE(r.entropy, LN2, 1e-15);
    ASSERT_CLOSE(r.M, 0.375 * LN3 - 0.25 * LN2, 1e-15);
    ASSERT_CLOSE(r.H, 0.375 * LN3 / LN2 - 0.25, 1e-14);
    ASSERT_CLOSE(r.simpson, 0.5, 1e-15);
    ASSERT_CLOSE(r.exposure[0][0], 11.0 / 16, 1e-15);
    ASSERT_CLOSE(r.exposure[0][1], 5.0 / 16, 1e-15);
    ASSERT_CLOSE(r.exposure[1][1], 11.0 / 16, 1e-15);
    ASSERT_CLOSE(r.exposure[1][0], 5.0 / 16, 1e-15);
    ASSERT(isnan(r.M_between) && isnan(r.M_within)); /* no grouping asked */
    ASSERT_EQ_S(r.note, "");

    double lq[6];
    WB_PASS(wb_seg_lq(lq, T2x3, 3, 2));
    const double want[6] = {1.5, 0.5, 1, 1, 0, 2};
    for (int i = 0; i < 6; i++)
        ASSERT_CLOSE(lq[i], want[i], 1e-15);
}

/* Three groups, four units in two sub-areas (wijken):
 *   wijk A: u1 = (3,1,0), u2 = (1,3,0)   -> A = (4,4,0), T_A = 8
 *   wijk B: u3 = (0,0,4), u4 = (0,0,4)   -> B = (0,0,8), T_B = 8
 *   T_m = (4,4,8), T = 16, pi = (1/4,1/4,1/2), E = (3/2) ln 2, I = 2(1/4)(3/4) + 1/4 = 5/8
 *   Unit entropies: E_u1 = E_u2 = 2 ln 2 - (3/4) ln 3, E_u3 = E_u4 = 0.
 *   M = E - sum (t_j/T) E_j = (3/2) ln 2 - 2 (1/4)(2 ln 2 - (3/4) ln 3) = (1/2) ln 2 + (3/8) ln 3
 *   M_between (wijk table (4,4,0),(0,0,8)) = E - (1/2) ln 2 - (1/2) 0 = ln 2
 *   M_A = ln 2 - (2 ln 2 - (3/4) ln 3) = (3/4) ln 3 - ln 2, M_B = 0, w_A = w_B = 1/2
 *   M_within = (1/2)((3/4) ln 3 - ln 2) = (3/8) ln 3 - (1/2) ln 2;  M_between + M_within = M.
 *   H = M / E = 1/3 + (1/4) log2(3)
 *   Multigroup D: sum_m |p_jm - pi_m| is 1 for every unit (e.g. u1: 1/2 + 0 + 1/2), so
 *   sum_j t_j (...) = 16 and D = 16 / (2 x 16 x 5/8) = 4/5.
 *   Exposure of group 1: 1P1 = (3/4)(3/4) + (1/4)(1/4) = 5/8, 1P2 = 2 (3/4)(1/4) = 3/8, 1P3 = 0;
 *   3P3 = 1. */
static const double T3x4[] = {3, 1, 0, 1, 3, 0, 0, 0, 4, 0, 0, 4};
static const size_t SUB3x4[] = {0, 0, 1, 1};

TEST(segregation, three_groups_with_wijken_by_hand)
{
    wb_seg_result r;
    double w[2], ms[2];
    WB_PASS(wb_seg_compute(&r, T3x4, 4, 3, SUB3x4, 2, w, ms));
    ASSERT_CLOSE(r.entropy, 1.5 * LN2, 1e-15);
    ASSERT_CLOSE(r.simpson, 5.0 / 8, 1e-15);
    ASSERT_CLOSE(r.M, 0.5 * LN2 + 0.375 * LN3, 1e-15);
    ASSERT_CLOSE(r.M_between, LN2, 1e-15);
    ASSERT_CLOSE(r.M_within, 0.375 * LN3 - 0.5 * LN2, 1e-15);
    ASSERT_CLOSE(w[0], 0.5, 0);
    ASSERT_CLOSE(w[1], 0.5, 0);
    ASSERT_CLOSE(ms[0], 0.75 * LN3 - LN2, 1e-15);
    ASSERT_CLOSE(ms[1], 0, 0);
    ASSERT_CLOSE(r.H, 1.0 / 3 + 0.25 * LN3 / LN2, 1e-14);
    ASSERT_CLOSE(r.D, 0.8, 1e-15);
    ASSERT_CLOSE(r.exposure[0][0], 5.0 / 8, 1e-15);
    ASSERT_CLOSE(r.exposure[0][1], 3.0 / 8, 1e-15);
    ASSERT_CLOSE(r.exposure[0][2], 0, 0);
    ASSERT_CLOSE(r.exposure[2][2], 1, 1e-15);
    ASSERT_EQ_I(r.n_sub, 2);
}

/* ---------------------------------------------------------------- published values */

/* R package segregation (Elbers 2021, CRAN, MIT), tests/testthat/test_dissimilarity.R:
 * matrix(c(100,60,40,0, 0,40,60,100), ncol = 2) and matrix(c(80,80,20,20, 20,20,80,80),
 * ncol = 2) both have D = 0.6; matrix(c(100,100,100, 100,100,100), ncol = 2) has D = 0 and
 * matrix(c(100,100,0,0, 0,0,100,100), ncol = 2) has D = 1. test_mutual_total.R: two units
 * holding (40,0,0,0) and (0,0,0,40) have M = log(2) (its maximum). */
TEST(segregation, published_values_of_the_R_package_segregation)
{
    const double m1[] = {100, 0, 60, 40, 40, 60, 0, 100};
    const double m2[] = {80, 20, 80, 20, 20, 80, 20, 80};
    const double m0[] = {100, 100, 100, 100, 100, 100};
    const double m3[] = {100, 0, 100, 0, 0, 100, 0, 100};
    const double four[] = {40, 0, 0, 0, 0, 0, 0, 40};
    wb_seg_result r;
    WB_PASS(wb_seg_compute(&r, m1, 4, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(r.D, 0.6, 1e-15);
    WB_PASS(wb_seg_compute(&r, m2, 4, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(r.D, 0.6, 1e-15);
    WB_PASS(wb_seg_compute(&r, m0, 3, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(r.D, 0, 1e-15);
    WB_PASS(wb_seg_compute(&r, m3, 4, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(r.D, 1, 1e-15);
    WB_PASS(wb_seg_compute(&r, four, 2, 4, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(r.M, LN2, 1e-15);
    ASSERT_EQ_I(r.n_groups_present, 2); /* groups 2 and 3 are absent */
    ASSERT_CLOSE(r.H, 1, 1e-15);
    ASSERT(isnan(r.exposure[1][1])); /* absent group: undefined, and said so */
    ASSERT(strstr(r.note, "total 0") != NULL);
}

/* ---------------------------------------------------------------- evenness, segregation */

TEST(segregation, perfect_evenness_gives_zero)
{
    /* every unit 1:3 (non-integer counts on purpose) */
    const double t[] = {1, 3, 2, 6, 0.5, 1.5, 10, 30};
    wb_seg_result r;
    WB_PASS(wb_seg_compute(&r, t, 4, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(r.D, 0, 1e-15);
    ASSERT_CLOSE(r.M, 0, 1e-15);
    ASSERT_CLOSE(r.H, 0, 1e-15);
    ASSERT(r.M >= 0);
    ASSERT_CLOSE(r.exposure[0][1], 0.75, 1e-15); /* exposure = the other group's share */
}

TEST(segregation, perfect_segregation_gives_one)
{
    /* 3 groups, every unit holds one group only: D = H = 1, M = E */
    const double t[] = {5, 0, 0, 0, 7, 0, 0, 0, 2.5, 3, 0, 0};
    wb_seg_result r;
    double w[2], ms[2];
    const size_t sub[] = {0, 0, 1, 1};
    WB_PASS(wb_seg_compute(&r, t, 4, 3, sub, 2, w, ms));
    ASSERT_CLOSE(r.D, 1, 1e-15);
    ASSERT_CLOSE(r.H, 1, 1e-15);
    ASSERT_CLOSE(r.M, r.entropy, 1e-15);
    for (int x = 0; x < 3; x++)
        ASSERT_CLOSE(r.exposure[x][x], 1, 1e-15);
    ASSERT_CLOSE(r.M_between + r.M_within, r.M, 1e-15);
}

/* ---------------------------------------------------------------- identities on random tables */

static uint64_t rng_state;
static double rnd(void) /* xorshift64*, uniform [0, 1) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

/* Independent reference for M, straight from Mora & Ruiz-Castillo's form
 * M = E - sum_j (t_j/T) E_j (the library sums t_jm/T ln(p_jm/pi_m) instead). */
static double ref_M(const double *t, size_t J, size_t K, double *E_out)
{
    double Tm[WB_SEG_GROUPS_MAX] = {0}, T = 0, E = 0, within = 0;
    for (size_t j = 0; j < J; j++)
        for (size_t m = 0; m < K; m++)
            Tm[m] += t[j * K + m];
    for (size_t m = 0; m < K; m++)
        T += Tm[m];
    for (size_t m = 0; m < K; m++)
        if (Tm[m] > 0)
            E -= Tm[m] / T * log(Tm[m] / T);
    for (size_t j = 0; j < J; j++) {
        double tj = 0, Ej = 0;
        for (size_t m = 0; m < K; m++)
            tj += t[j * K + m];
        for (size_t m = 0; m < K; m++)
            if (t[j * K + m] > 0)
                Ej -= t[j * K + m] / tj * log(t[j * K + m] / tj);
        within += tj / T * Ej;
    }
    *E_out = E;
    return E - within;
}

TEST(segregation, identities_hold_on_random_tables)
{
    /* 200 random tables (2-6 groups, 2-60 units, 1-8 sub-areas, some zero cells and empty
     * units): D, H in [0,1]; M >= 0; M = H E (1e-12); M = M_between + sum w_s M_s (1e-12);
     * M equals the independent reference; exposure rows sum to 1 and T_x xPy = T_y yPx;
     * scaling every count leaves every index unchanged. */
    rng_state = 0x9E3779B97F4A7C15ULL;
    double t[60 * 6], t2[60 * 6];
    size_t sub[60];
    for (int iter = 0; iter < 200; iter++) {
        size_t K = 2 + (size_t)(rnd() * 5), J = 2 + (size_t)(rnd() * 59), S = 1 + (size_t)(rnd() * 8);
        for (size_t j = 0; j < J; j++) {
            sub[j] = (size_t)(rnd() * (double)S);
            int empty = rnd() < 0.05;
            for (size_t m = 0; m < K; m++) {
                double v = rnd() < 0.2 ? 0 : floor(rnd() * 500) + (rnd() < 0.3 ? rnd() : 0);
                t[j * K + m] = empty ? 0 : v;
                t2[j * K + m] = 7.25 * t[j * K + m];
            }
        }
        wb_seg_result r, r2;
        double w[8], ms[8];
        WB_PASS(wb_seg_compute(&r, t, J, K, sub, S, w, ms));
        WB_PASS(wb_seg_compute(&r2, t2, J, K, sub, S, NULL, NULL));
        if (r.n_units == 0 || r.n_groups_present < 2)
            continue;
        ASSERT(r.D >= 0 && r.D <= 1);
        ASSERT(r.H >= 0 && r.H <= 1);
        ASSERT(r.M >= 0);
        ASSERT_CLOSE(r.M, r.H * r.entropy, 1e-12);
        double sum = r.M_between;
        for (size_t s = 0; s < S; s++)
            if (w[s] > 0)
                sum += w[s] * ms[s];
        ASSERT_CLOSE(sum, r.M, 1e-12);
        ASSERT_CLOSE(r.M_between + r.M_within, r.M, 1e-12);
        double E;
        ASSERT_CLOSE(r.M, ref_M(t, J, K, &E), 1e-12);
        ASSERT_CLOSE(r.entropy, E, 1e-12);
        for (size_t x = 0; x < K; x++) {
            if (!(r.group_total[x] > 0))
                continue;
            double row = 0;
            for (size_t y = 0; y < K; y++) {
                row += r.exposure[x][y];
                if (r.group_total[y] > 0)
                    ASSERT_CLOSE(r.group_total[x] * r.exposure[x][y],
                                 r.group_total[y] * r.exposure[y][x], 1e-9 * r.population);
            }
            ASSERT_CLOSE(row, 1, 1e-12);
        }
        ASSERT_CLOSE(r2.D, r.D, 1e-12);
        ASSERT_CLOSE(r2.H, r.H, 1e-12);
        ASSERT_CLOSE(r2.M, r.M, 1e-12);
        ASSERT_CLOSE(r2.M_between, r.M_between, 1e-12);
    }
}

TEST(segregation, organisational_equivalence_and_unit_order)
{
    /* Splitting a unit into two of the same composition and reordering units change
     * nothing (Reardon & Firebaugh 2002, property 3: organisational equivalence). */
    const double a[] = {3, 1, 1, 1, 0, 2};
    const double b[] = {0, 2, 1.5, 0.5, 1, 1, 1.5, 0.5};
    wb_seg_result ra, rb;
    WB_PASS(wb_seg_compute(&ra, a, 3, 2, NULL, 0, NULL, NULL));
    WB_PASS(wb_seg_compute(&rb, b, 4, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(rb.D, ra.D, 1e-15);
    ASSERT_CLOSE(rb.M, ra.M, 1e-15);
    ASSERT_CLOSE(rb.H, ra.H, 1e-15);
    ASSERT_CLOSE(rb.exposure[0][0], ra.exposure[0][0], 1e-15);
}

TEST(segregation, two_group_D_is_composition_invariant)
{
    /* D depends on each group's distribution only: tripling group 1 changes nothing
     * (Reardon & Firebaugh 2002, property 4, which D has and H does not). */
    const double a[] = {3, 1, 1, 1, 0, 2};
    const double b[] = {9, 1, 3, 1, 0, 2};
    wb_seg_result ra, rb;
    WB_PASS(wb_seg_compute(&ra, a, 3, 2, NULL, 0, NULL, NULL));
    WB_PASS(wb_seg_compute(&rb, b, 3, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(rb.D, ra.D, 1e-15);
    ASSERT(fabs(rb.H - ra.H) > 1e-3);
}

TEST(segregation, M_is_symmetric_in_units_and_groups)
{
    /* M is mutual information: transposing the table (units <-> groups) keeps it
     * (Elbers' test_mutual_total.R "works both ways around"); H does not. */
    const double t[] = {40, 20, 5, 1, 20, 40, 60, 80}; /* 2 units x 4 groups */
    const double tt[] = {40, 20, 20, 40, 5, 60, 1, 80}; /* 4 units x 2 groups */
    wb_seg_result a, b;
    WB_PASS(wb_seg_compute(&a, t, 2, 4, NULL, 0, NULL, NULL));
    WB_PASS(wb_seg_compute(&b, tt, 4, 2, NULL, 0, NULL, NULL));
    ASSERT_CLOSE(a.M, b.M, 1e-15);
}

/* ---------------------------------------------------------------- bad input */

TEST(segregation, empty_and_missing_units_are_left_out_and_counted)
{
    /* The hand case with an empty unit and a unit with a missing count added: same indices. */
    const double t[] = {3, 1, 0, 0, 1, 1, NAN, 5, 0, 2};
    wb_seg_result r;
    WB_PASS(wb_seg_compute(&r, t, 5, 2, NULL, 0, NULL, NULL));
    ASSERT_EQ_I(r.n_units, 3);
    ASSERT_EQ_I(r.n_empty, 1);
    ASSERT_EQ_I(r.n_missing, 1);
    ASSERT_CLOSE(r.D, 0.5, 1e-15);
    ASSERT_CLOSE(r.M, 0.375 * LN3 - 0.25 * LN2, 1e-15);
    double lq[10];
    WB_PASS(wb_seg_lq(lq, t, 5, 2));
    ASSERT(isnan(lq[2]) && isnan(lq[3]) && isnan(lq[6]) && isnan(lq[7]));
    ASSERT_CLOSE(lq[0], 1.5, 1e-15);
}

TEST(segregation, undefined_indices_are_NaN_with_a_reason)
{
    wb_seg_result r;
    const double zero[] = {0, 0, 0, 0};
    WB_PASS(wb_seg_compute(&r, zero, 2, 2, NULL, 0, NULL, NULL));
    ASSERT(isnan(r.D) && isnan(r.H) && isnan(r.M));
    ASSERT(strstr(r.note, "no unit with a population") != NULL);
    WB_PASS(wb_seg_compute(&r, NULL, 0, 2, NULL, 0, NULL, NULL));
    ASSERT(isnan(r.M) && *r.note);

    const double one[] = {4, 0, 3, 0}; /* group 2 absent everywhere */
    WB_PASS(wb_seg_compute(&r, one, 2, 2, NULL, 0, NULL, NULL));
    ASSERT(isnan(r.D) && isnan(r.H));
    ASSERT_CLOSE(r.M, 0, 0);
    ASSERT_CLOSE(r.exposure[0][0], 1, 1e-15);
    ASSERT(isnan(r.exposure[1][1]));
    ASSERT(strstr(r.note, "only one group present") != NULL);
}

TEST(segregation, invalid_counts_are_rejected)
{
    wb_seg_result r;
    const double neg[] = {3, -1, 1, 1};
    WB_FAILS(WB_EINVALID, wb_seg_compute(&r, neg, 2, 2, NULL, 0, NULL, NULL));
    ASSERT(strstr(wb_error_last()->message, "unit 1, group 2") != NULL);
    const double inf[] = {3, 1, INFINITY, 1};
    WB_FAILS(WB_EINVALID, wb_seg_compute(&r, inf, 2, 2, NULL, 0, NULL, NULL));
    const double ok[] = {3, 1, 1, 1};
    WB_FAILS(WB_EINVALID, wb_seg_compute(&r, ok, 2, 1, NULL, 0, NULL, NULL));
    WB_FAILS(WB_EINVALID, wb_seg_compute(&r, ok, 1, WB_SEG_GROUPS_MAX + 1, NULL, 0, NULL, NULL));
    const size_t sub[] = {0, 3};
    WB_FAILS(WB_EINVALID, wb_seg_compute(&r, ok, 2, 2, sub, 2, NULL, NULL));
    ASSERT(strstr(wb_error_last()->message, "sub-area 3 out of range") != NULL);
    double lq[4];
    WB_FAILS(WB_EINVALID, wb_seg_lq(lq, neg, 2, 2));
}

/* ---------------------------------------------------------------- loading from the store */

static int64_t put_ind(wb_store *st, const char *key, const char *unit)
{
    wb_indicator d = {0};
    d.key = (char *)key;
    d.unit = (char *)unit;
    int64_t id = 0;
    WB_PASS(wb_store_indicator_put(st, &id, &d));
    return id;
}

static void put_val(wb_store *st, int64_t ind, const char *code, int byear, int year, double v)
{
    wb_level l = WB_LEVEL_OTHER;
    char norm[WB_CODE_MAX];
    WB_PASS(wb_code_normalize(norm, &l, code, strlen(code), WB_LEVEL__MAX));
    int64_t area;
    WB_PASS(wb_store_area_put(st, &area, norm, byear, l, NULL, NULL));
    WB_PASS(wb_store_obs_put(st, ind, area, year, v));
}

/* Gemeente GM9999 with wijken WK999901 (buurten 01, 02) and WK999902 (buurten 03, 04, 05);
 * counts a_w_all / a_nw_all / a_inw for 2019 laid out as the 3-group hand case above:
 * buurt 01 (3,1) + other, etc. Buurt 05 has a missing a_nw_all; buurt 06 (in WK999902) has
 * no observation at all. */
static wb_store *small_store(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t w = put_ind(st, "a_w_all", "aantal"), nw = put_ind(st, "a_nw_all", "aantal");
    int64_t inw = put_ind(st, "a_inw", "aantal");
    /* hand case T3x4 with group 3 = other = a_inw - a_w_all - a_nw_all */
    const char *codes[] = {"BU99990101", "BU99990102", "BU99990203", "BU99990204"};
    for (int j = 0; j < 4; j++) {
        put_val(st, w, codes[j], 2019, 2019, T3x4[j * 3 + 0]);
        put_val(st, nw, codes[j], 2019, 2019, T3x4[j * 3 + 1]);
        put_val(st, inw, codes[j], 2019, 2019, T3x4[j * 3 + 0] + T3x4[j * 3 + 1] + T3x4[j * 3 + 2]);
    }
    put_val(st, w, "BU99990205", 2019, 2019, 5);
    put_val(st, nw, "BU99990205", 2019, 2019, NAN);
    put_val(st, inw, "BU99990205", 2019, 2019, 9);
    int64_t id;
    WB_PASS(wb_store_area_put(st, &id, "BU99990206", 2019, WB_LEVEL_BUURT, "Leeg", NULL));
    WB_PASS(wb_store_area_put(st, &id, "GM9999", 2019, WB_LEVEL_GEMEENTE, "Proefstad", NULL));
    WB_PASS(wb_store_commit(st));
    return st;
}

TEST(segregation_load, counts_with_other_match_the_hand_case)
{
    wb_store *st = small_store();
    wb_seg_query q = WB_SEG_QUERY_INIT;
    q.groups[0] = "a_w_all";
    q.groups[1] = "A_NW_ALL"; /* keys are case-insensitive */
    q.ngroups = 2;
    q.total = "a_inw";
    q.other = 1;
    q.within_level = WB_LEVEL_WIJK;
    wb_seg_data d;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_I(d.nblocks, 1);
    ASSERT_EQ_I(d.ngroups, 3);
    ASSERT_EQ_S(d.group_keys[1], "a_nw_all");
    ASSERT_EQ_S(d.group_keys[2], "other");
    ASSERT_EQ_S(d.source, "counts; other = a_inw - sum");
    wb_seg_block *b = &d.blocks[0];
    ASSERT_EQ_S(b->parent, "GM9999");
    ASSERT_EQ_S(b->parent_name, "Proefstad");
    ASSERT_EQ_I(b->year, 2019);
    ASSERT_EQ_I(b->n_areas, 6);
    ASSERT_EQ_I(b->nunits, 4);
    ASSERT_EQ_I(b->n_missing, 2);       /* buurt 05 (a_nw_all) and 06 (everything) */
    ASSERT_EQ_I(b->missing_by[0], 1);   /* a_w_all: buurt 06 */
    ASSERT_EQ_I(b->missing_by[1], 2);   /* a_nw_all: buurten 05 and 06 */
    ASSERT_EQ_I(b->missing_by[2], 1);   /* a_inw: buurt 06 */
    ASSERT_EQ_I(b->nsub, 2);
    ASSERT_EQ_S(b->sub_codes[b->sub[0]], "WK999901");
    ASSERT_EQ_S(b->sub_codes[b->sub[3]], "WK999902");
    wb_seg_result r;
    WB_PASS(wb_seg_compute(&r, b->counts, b->nunits, d.ngroups, b->sub, b->nsub, NULL, NULL));
    ASSERT_CLOSE(r.M, 0.5 * LN2 + 0.375 * LN3, 1e-15);
    ASSERT_CLOSE(r.M_between, LN2, 1e-15);
    ASSERT_CLOSE(r.D, 0.8, 1e-15);
    wb_seg_data_dispose(&d);
    wb_seg_data_dispose(&d); /* twice is fine */
    wb_store_free(st);
}

TEST(segregation_load, bad_queries_say_what_is_wrong)
{
    wb_store *st = small_store();
    wb_seg_query q = WB_SEG_QUERY_INIT;
    wb_seg_data d;
    q.groups[0] = "a_w_all";
    q.groups[1] = "nope";
    q.ngroups = 2;
    WB_FAILS(WB_ENOTFOUND, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "unknown indicator 'nope'") != NULL);
    ASSERT_EQ_I(d.nblocks, 0);

    q.groups[1] = "a_nw_all";
    q.year_from = q.year_to = 2020;
    WB_FAILS(WB_ENOTFOUND, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "no buurt values of a_w_all in 2020") != NULL);

    q.year_from = q.year_to = 0;
    q.unit_level = WB_LEVEL_WIJK;
    WB_FAILS(WB_ENOTFOUND, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "no wijk values") != NULL);

    q.unit_level = WB_LEVEL_GEMEENTE;
    q.by_level = WB_LEVEL_BUURT;
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    q.unit_level = WB_LEVEL_BUURT;
    q.by_level = WB_LEVEL_GEMEENTE;

    q.other = 1; /* other without a total */
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "--total") != NULL);
    q.other = 0;

    q.groups[1] = "a_w_all";
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "given twice") != NULL);
    wb_store_free(st);
}

TEST(segregation_load, a_group_larger_than_its_total_is_an_error_or_dropped_or_clamped)
{
    wb_store *st = small_store();
    int64_t w;
    WB_PASS(wb_store_indicator_resolve(st, &w, NULL, "a_w_all"));
    WB_PASS(wb_store_begin(st));
    put_val(st, w, "BU99990204", 2019, 2019, 6); /* a_inw = 4 there */
    WB_PASS(wb_store_commit(st));
    wb_seg_query q = WB_SEG_QUERY_INIT;
    q.groups[0] = "a_w_all";
    q.groups[1] = "a_nw_all";
    q.ngroups = 2;
    q.total = "a_inw";
    q.other = 1;
    wb_seg_data d;
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "BU99990204 (2019): a_w_all = 6 is larger than its "
                                            "total a_inw = 4") != NULL);
    q.excess = WB_SEG_EXCESS_DROP;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_I(d.blocks[0].nunits, 3);
    ASSERT_EQ_I(d.blocks[0].n_excess, 1);
    wb_seg_data_dispose(&d);
    q.excess = WB_SEG_EXCESS_CLAMP;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_I(d.blocks[0].nunits, 4);
    ASSERT_EQ_I(d.blocks[0].n_excess, 1);
    const double *c = d.blocks[0].counts + 3 * 3; /* capped at the total, other 0 */
    ASSERT_CLOSE(c[0], 4, 0);
    ASSERT_CLOSE(c[1], 0, 0);
    ASSERT_CLOSE(c[2], 0, 0);
    wb_seg_data_dispose(&d);
    wb_seg_excess e;
    WB_PASS(wb_seg_excess_parse(&e, "Clamp"));
    ASSERT_EQ_I(e, WB_SEG_EXCESS_CLAMP);
    WB_FAILS(WB_EINVALID, wb_seg_excess_parse(&e, "ignore"));
    ASSERT_EQ_S(wb_seg_excess_name(WB_SEG_EXCESS_DROP), "drop");
    wb_store_free(st);
}

TEST(segregation_load, shares_times_total_and_mixed_inputs)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t lo = put_ind(st, "p_opl_laag", "%"), hi = put_ind(st, "p_opl_hoog", "%");
    int64_t hh = put_ind(st, "a_hh", "aantal"), w = put_ind(st, "a_w_all", "aantal");
    /* 2019 and 2020 on the boundaries of 2019; shares x households give the 2x3 hand case:
     * (75 %, 25 %) x 4, (50, 50) x 2, (0, 100) x 2. Buurt 04 has 0 households and '.'
     * shares (empty); buurt 05 has households but no shares (missing). */
    const char *codes[] = {"BU99990101", "BU99990102", "BU99990103", "BU99990104", "BU99990105"};
    const double plo[] = {75, 50, 0, NAN, NAN}, phi[] = {25, 50, 100, NAN, NAN}, hhs[] = {4, 2, 2, 0, 7};
    for (int y = 2019; y <= 2020; y++)
        for (int j = 0; j < 5; j++) {
            put_val(st, lo, codes[j], 2019, y, plo[j]);
            put_val(st, hi, codes[j], 2019, y, phi[j]);
            put_val(st, hh, codes[j], 2019, y, hhs[j]);
            put_val(st, w, codes[j], 2019, y, 1);
        }
    WB_PASS(wb_store_commit(st));
    wb_seg_query q = WB_SEG_QUERY_INIT;
    q.groups[0] = "p_opl_laag";
    q.groups[1] = "p_opl_hoog";
    q.ngroups = 2;
    wb_seg_data d;
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q)); /* shares need a total */
    ASSERT(strstr(wb_error_last()->message, "--total") != NULL);
    q.total = "a_hh";
    q.year_from = 2019;
    q.year_to = 2020;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_S(d.source, "shares x total a_hh");
    ASSERT_EQ_I(d.nblocks, 2);
    ASSERT_EQ_I(d.blocks[1].year, 2020);
    for (size_t k = 0; k < 2; k++) {
        wb_seg_block *b = &d.blocks[k];
        ASSERT_EQ_I(b->nunits, 4); /* 3 with people + the empty buurt 04 */
        ASSERT_EQ_I(b->n_missing, 1);
        ASSERT(b->sub == NULL);
        wb_seg_result r;
        WB_PASS(wb_seg_compute(&r, b->counts, b->nunits, 2, NULL, 0, NULL, NULL));
        ASSERT_EQ_I(r.n_empty, 1);
        ASSERT_CLOSE(r.D, 0.5, 1e-15);
        ASSERT_CLOSE(r.M, 0.375 * LN3 - 0.25 * LN2, 1e-15);
    }
    wb_seg_data_dispose(&d);

    q.groups[1] = "a_w_all"; /* a share and a count */
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "--input") != NULL);
    q.input = WB_SEG_INPUT_SHARES; /* said explicitly: taken as shares */
    WB_PASS(wb_seg_load(&d, st, &q));
    wb_seg_data_dispose(&d);

    /* a share above 100 % is a group larger than its total */
    WB_PASS(wb_store_begin(st));
    put_val(st, hi, "BU99990101", 2019, 2019, 140);
    WB_PASS(wb_store_commit(st));
    q.groups[1] = "p_opl_hoog";
    q.input = WB_SEG_INPUT_AUTO;
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "p_opl_hoog = 140% is larger than its total") != NULL);
    wb_store_free(st);
}

TEST(segregation_load, several_boundary_years_need_a_choice)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t a = put_ind(st, "a_w_all", NULL), b = put_ind(st, "a_nw_all", NULL);
    for (int by = 2018; by <= 2019; by++) {
        put_val(st, a, "BU99990101", by, 2019, 3);
        put_val(st, b, "BU99990101", by, 2019, 1);
        put_val(st, a, "BU99990102", by, 2019, 1);
        put_val(st, b, "BU99990102", by, 2019, 3);
    }
    WB_PASS(wb_store_commit(st));
    wb_seg_query q = WB_SEG_QUERY_INIT;
    q.groups[0] = "a_w_all";
    q.groups[1] = "a_nw_all";
    q.ngroups = 2;
    wb_seg_data d;
    WB_FAILS(WB_EINVALID, wb_seg_load(&d, st, &q));
    ASSERT(strstr(wb_error_last()->message, "--boundary-year") != NULL);
    q.boundary_year = 2018;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_I(d.nblocks, 1);
    ASSERT_EQ_I(d.blocks[0].boundary_year, 2018);
    ASSERT_EQ_S(d.source, "counts"); /* no unit, key not p_*: counts */
    wb_seg_data_dispose(&d);
    wb_store_free(st);
}

TEST(segregation_load, own_area_codes_follow_stored_parents)
{
    /* Non-CBS units ("cel-1".."cel-4") whose parents are two own districts in GM9999. */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t a = put_ind(st, "a_w_all", NULL), b = put_ind(st, "a_nw_all", NULL), id;
    WB_PASS(wb_store_area_put(st, &id, "WK999901", 2020, WB_LEVEL_WIJK, NULL, NULL));
    WB_PASS(wb_store_area_put(st, &id, "WK999902", 2020, WB_LEVEL_WIJK, NULL, NULL));
    const char *parent[] = {"WK999901", "WK999901", "WK999902", "WK999902"};
    for (int j = 0; j < 4; j++) {
        char code[16];
        snprintf(code, sizeof code, "cel-%d", j + 1);
        WB_PASS(wb_store_area_put(st, &id, code, 2020, WB_LEVEL_OTHER, NULL, parent[j]));
        WB_PASS(wb_store_obs_put(st, a, id, 2020, T3x4[j * 3]));
        WB_PASS(wb_store_obs_put(st, b, id, 2020, T3x4[j * 3 + 1] + T3x4[j * 3 + 2]));
    }
    WB_PASS(wb_store_commit(st));
    wb_seg_query q = WB_SEG_QUERY_INIT;
    q.groups[0] = "a_w_all";
    q.groups[1] = "a_nw_all";
    q.ngroups = 2;
    q.unit_level = WB_LEVEL_OTHER;
    q.within_level = WB_LEVEL_WIJK;
    wb_seg_data d;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_I(d.nblocks, 1);
    ASSERT_EQ_S(d.blocks[0].parent, "GM9999");
    ASSERT_EQ_I(d.blocks[0].nunits, 4);
    ASSERT_EQ_I(d.blocks[0].nsub, 2);
    wb_seg_data_dispose(&d);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- real data: Amsterdam */

/* SES-WOA 2019 (CBS 85163NED), Amsterdam: education low/middle/high shares x households per
 * buurt, within wijken, within GM0363. Expected numbers are not hard-coded: the test checks
 * the counts against the raw file, every identity, an independent recomputation of M and the
 * between part from the loaded counts, and the reference values of tests/reference/
 * segregation.R committed in tests/data/segregation/amsterdam_2019.csv (1e-12). */
TEST(segregation_load, amsterdam_ses_woa_2019_by_education)
{
    const char *path = wbt_shared("ses_woa_cbs/ses_woa_2019_amsterdam_wijk_buurt.csv");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_import_stats is;
    WB_PASS(wb_import_kwb(st, &is, path, NULL));
    wbt_ses_stats raw;
    wbt_ses_woa_raw(path, &raw);
    ASSERT_EQ_I(raw.rows, 579);
    ASSERT_EQ_I(raw.buurten, 479);
    ASSERT_EQ_I(is.rows, raw.rows);
    ASSERT_EQ_I(is.areas, raw.rows);
    ASSERT_EQ_I(is.boundary_year, 2019);

    wb_seg_query q = WB_SEG_QUERY_INIT;
    q.groups[0] = "p_opl_laag";
    q.groups[1] = "p_opl_mid";
    q.groups[2] = "p_opl_hoog";
    q.ngroups = 3;
    q.total = "a_hh";
    q.within_level = WB_LEVEL_WIJK;
    q.year_from = q.year_to = 2019;
    wb_seg_data d;
    WB_PASS(wb_seg_load(&d, st, &q));
    ASSERT_EQ_S(d.source, "shares x total a_hh");
    ASSERT_EQ_I(d.nblocks, 1);
    wb_seg_block *b = &d.blocks[0];
    ASSERT_EQ_S(b->parent, "GM0363");
    ASSERT_EQ_S(b->parent_name, "Amsterdam");
    ASSERT_EQ_I(b->n_areas, 479);
    ASSERT_EQ_I(b->n_missing, raw.bu_missing);
    ASSERT_EQ_I(b->nunits, 479 - raw.bu_missing);

    double *w = calloc(b->nsub, sizeof *w), *ms = calloc(b->nsub, sizeof *ms);
    wb_seg_result r;
    WB_PASS(wb_seg_compute(&r, b->counts, b->nunits, 3, b->sub, b->nsub, w, ms));
    ASSERT_EQ_I(r.n_empty, raw.bu_empty);
    ASSERT_EQ_I(r.n_units, 479 - raw.bu_missing - raw.bu_empty);
    ASSERT_CLOSE(r.population, raw.bu_pop, 1e-9 * raw.bu_pop);
    ASSERT(r.D > 0 && r.D < 1 && r.H > 0 && r.H < 1);
    ASSERT_CLOSE(r.M, r.H * r.entropy, 1e-12);
    double sum = r.M_between;
    for (size_t s = 0; s < b->nsub; s++)
        if (w[s] > 0)
            sum += w[s] * ms[s];
    ASSERT_CLOSE(sum, r.M, 1e-12);
    double E;
    ASSERT_CLOSE(r.M, ref_M(b->counts, b->nunits, 3, &E), 1e-12);
    /* the between part from an independent aggregation of the buurten into their wijken
     * (by the first 8 characters of the code: BU0363xxyy -> wijk 0363xx) */
    double *agg = calloc(b->nunits * 3, sizeof *agg);
    size_t na = 0;
    char (*wk)[WB_CODE_MAX] = calloc(b->nunits, sizeof *wk);
    for (size_t j = 0; j < b->nunits; j++) {
        size_t k = 0;
        while (k < na && strncmp(wk[k] + 2, b->codes[j] + 2, 6))
            k++;
        if (k == na)
            snprintf(wk[na++], WB_CODE_MAX, "WK%.6s", b->codes[j] + 2);
        for (int m = 0; m < 3; m++)
            agg[k * 3 + m] += b->counts[j * 3 + m];
    }
    ASSERT_EQ_I(na, b->nsub);
    double Eb;
    ASSERT_CLOSE(r.M_between, ref_M(agg, na, 3, &Eb), 1e-12);

    /* the R reference (tests/reference/segregation.R) */
    char *ref = wbt_slurp(wbt_fixture("segregation/amsterdam_2019.csv"), NULL);
    ASSERT(ref != NULL);
    const char *names[] = {"D", "H", "M", "M_between", "M_within", "entropy", "population",
                           "xPx_laag", "xPx_mid", "xPx_hoog", "xPy_laag_hoog", "xPy_hoog_laag"};
    const double got[] = {r.D, r.H, r.M, r.M_between, r.M_within, r.entropy, r.population,
                          r.exposure[0][0], r.exposure[1][1], r.exposure[2][2], r.exposure[0][2],
                          r.exposure[2][0]};
    for (size_t i = 0; i < sizeof got / sizeof got[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "\n%s,", names[i]);
        const char *p = strstr(ref, key);
        ASSERT_MSG(p != NULL, "reference value %s missing", names[i]);
        double want = strtod(p + strlen(key), NULL);
        ASSERT_MSG(fabs(got[i] - want) <= 1e-12 * fmax(1, fabs(want)), "%s = %.17g, R reference %.17g",
                   names[i], got[i], want);
    }
    free(ref);
    free(agg);
    free(wk);
    free(w);
    free(ms);
    wb_seg_data_dispose(&d);
    wb_store_free(st);
}
