/** @file @brief Scores on a small hand-computed panel: z-scores, rank normal scores, the IMD
 *  exponential transformation, weights, aggregation, coverage, classes and explanations.
 *
 * Panel (gemeente GM0001, wijken WK000101..04), years 2012 (base) and 2014:
 *            x 2012  y 2012   x 2014  y 2014
 *   WK000101    1      10        1      10
 *   WK000102    2      10        .      25
 *   WK000103    3      20        .       .
 *   WK000104    4      40        5      30
 * Reference moments (2012, sd with n - 1): x mean 2.5, sd sqrt(5/3) = 1.2909944487358056;
 * y mean 20, sd sqrt(600/3) = 14.142135623730951.
 * Expected numbers below were computed by hand from these formulas (with Python's float
 * arithmetic and statistics.NormalDist().inv_cdf for the normal quantiles, to 1e-15).
 */
#include <stdlib.h>

#include "test.h"

static wb_panel *hand_panel(void)
{
    static const char *const codes[] = {"WK000101", "WK000102", "WK000103", "WK000104"};
    static const int years[] = {2012, 2014};
    static const char *const keys[] = {"x", "y"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, 4, codes, 2, years, 2, keys, 2016));
    static const double x12[] = {1, 2, 3, 4}, y12[] = {10, 10, 20, 40};
    static const double x14[] = {1, NAN, NAN, 5}, y14[] = {10, 25, NAN, 30};
    for (size_t a = 0; a < 4; a++) {
        wb_panel_set(p, a, 0, 0, x12[a]);
        wb_panel_set(p, a, 0, 1, y12[a]);
        wb_panel_set(p, a, 1, 0, x14[a]);
        wb_panel_set(p, a, 1, 1, y14[a]);
    }
    return p;
}

static wb_model *model(const char *transform, const char *aggregate, const char *extra)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[model]\ntransform = %s\nbase_year = 2012\naggregate = %s\nmin_coverage = 0.5\n"
             "[dimension a]\nweight = 1\nindicator x direction=+ weight=2\n"
             "[dimension b]\nweight = 3\nindicator y direction=- weight=1\n%s",
             transform, aggregate, extra ? extra : "");
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "hand.model"));
    return m;
}

#define AT(sc, a, t) ((t) * (sc).nareas + (a))

TEST(score_transform, z_scores_weighted_mean)
{
    wb_panel *p = hand_panel();
    wb_model *m = model("z", "mean", NULL);
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    double mu, sd;
    wb_scorer_ref_moments(s, 0, &mu, &sd);
    ASSERT_CLOSE(mu, 2.5, 1e-15);
    ASSERT_CLOSE(sd, 1.2909944487358056, 1e-15);
    ASSERT_EQ_I(wb_scorer_ref_year(s, 1), 2012);
    WB_PASS(wb_scorer_run(&r, s, 1));
    /* WK000101 2012: s_x = (1-2.5)/1.29099 = -1.161895; s_y = -(10-20)/14.1421 = 0.707107;
     * dimension a = s_x (indicator weights only matter within a dimension), b = s_y;
     * score = (1*a + 3*b) / 4 = 0.23985633492435432 */
    ASSERT_CLOSE(r.dims[(0 * 2 + 0) * 4 + 0], -1.161895003862225, 1e-12);
    ASSERT_CLOSE(r.dims[(0 * 2 + 1) * 4 + 0], 0.7071067811865475, 1e-12);
    ASSERT_CLOSE(r.score[AT(r, 0, 0)], 0.23985633492435432, 1e-12);
    ASSERT_CLOSE(r.coverage[AT(r, 0, 0)], 1, 0);
    /* WK000104 2014 on the 2012 scale: x 5 -> 1.936492, y 30 -> -0.707107: -0.04620716761398347 */
    ASSERT_CLOSE(r.score[AT(r, 3, 1)], -0.04620716761398347, 1e-12);
    /* WK000102 2014: x missing, y 25 -> -0.353553; coverage 0.5 = min_coverage: score = b */
    ASSERT_CLOSE(r.coverage[AT(r, 1, 1)], 0.5, 0);
    ASSERT(isnan(r.dims[(1 * 2 + 0) * 4 + 1]));
    ASSERT_CLOSE(r.score[AT(r, 1, 1)], -0.35355339059327373, 1e-12);
    /* WK000103 2014: nothing: coverage 0, no score, no class */
    ASSERT_CLOSE(r.coverage[AT(r, 2, 1)], 0, 0);
    ASSERT(isnan(r.score[AT(r, 2, 1)]));
    ASSERT_EQ_I(r.klass[AT(r, 2, 1)], 0);
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, weighted_sum_scales_up_missing_parts)
{
    wb_panel *p = hand_panel();
    wb_model *m = model("z", "sum", NULL);
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r, s, 1));
    /* sum: a = 2 s_x, b = 1 s_y, score = 1 a + 3 b. WK000101 2012: 2(-1.161895) + 3(0.707107) */
    ASSERT_CLOSE(r.score[AT(r, 0, 0)], -0.20246966416480783, 1e-12);
    ASSERT_CLOSE(r.score[AT(r, 3, 1)], 1.7516630026477746, 1e-12);
    /* WK000102 2014: only b: 3 b scaled by total dimension weight / weight present = 4/3 */
    ASSERT_CLOSE(r.score[AT(r, 1, 1)], -1.414213562373095, 1e-12);
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, min_coverage_refuses_thin_scores)
{
    wb_panel *p = hand_panel();
    char text[] = "[model]\nmin_coverage = 0.6\n[dimension a]\nindicator x direction=+\n"
                  "[dimension b]\nindicator y direction=+\n";
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "c.model"));
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r, s, 1));
    ASSERT(isnan(r.score[AT(r, 1, 1)]));                 /* coverage 0.5 < 0.6 */
    ASSERT_CLOSE(r.dims[(1 * 2 + 1) * 4 + 1], 25, 0);   /* the dimension is still reported */
    ASSERT_CLOSE(r.score[AT(r, 0, 0)], (1 + 10) / 2.0, 0); /* transform none, mean: (x + y) / 2 */
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, rank_normal_scores_use_blom_positions)
{
    wb_panel *p = hand_panel();
    wb_model *m = model("rank_normal", "mean", NULL);
    wb_scorer *s = NULL;
    wb_explain e = WB_EXPLAIN_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    /* x = 3 among 1,2,3,4: rank 3, p = (3 - 3/8)/(4 + 1/4) = 0.617647, PhiInv = 0.29930691046566704.
     * y = 10 among 10,10,20,40: mid-rank 1.5, p = 0.264706, PhiInv = -0.6289042176321901, direction -.
     * x = 5 above all: rank 4.5, p = 0.970588, PhiInv = 1.8895099603334296.
     * x = 2.5 between 2 and 3: rank 2.5, p = 0.5, PhiInv = 0. */
    double raw[2] = {3, 10};
    WB_PASS(wb_scorer_explain(&e, s, raw, 2012));
    ASSERT_CLOSE(e.ind[0].std, 0.29930691046566704, 1e-12);
    ASSERT_CLOSE(e.ind[1].std, 0.6289042176321901, 1e-12);
    wb_explain_dispose(&e);
    raw[0] = 5;
    raw[1] = NAN;
    WB_PASS(wb_scorer_explain(&e, s, raw, 2014));
    ASSERT_CLOSE(e.ind[0].std, 1.8895099603334296, 1e-12);
    ASSERT(isnan(e.ind[1].std));
    wb_explain_dispose(&e);
    raw[0] = 2.5;
    WB_PASS(wb_scorer_explain(&e, s, raw, 2014));
    ASSERT_CLOSE(e.ind[0].std, 0, 1e-15);
    wb_explain_dispose(&e);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, rank_exp_is_the_imd_exponential_transform)
{
    wb_panel *p = hand_panel();
    char text[] = "[model]\ntransform = rank_exp\nbase_year = 2012\n"
                  "[dimension a]\nindicator x direction=+\n[dimension b]\nindicator y direction=-\n";
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "imd.model"));
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r, s, 1));
    /* Dimension value 100 - X, X = -23 ln(1 - R (1 - exp(-100/23))), R = rank from the best / n
     * among the 2012 dimension scores (n = 4). Dimension a in 2012: WK000104 best (R = 1/4):
     * 93.48226673631962; WK000103 R = 1/2: 84.3532099273971; WK000102 R = 3/4: 68.99085646719278;
     * WK000101 worst (R = 1): X = 100, value 0. */
    ASSERT_CLOSE(r.dims[(0 * 2 + 0) * 4 + 3], 93.48226673631962, 1e-9);
    ASSERT_CLOSE(r.dims[(0 * 2 + 0) * 4 + 2], 84.3532099273971, 1e-9);
    ASSERT_CLOSE(r.dims[(0 * 2 + 0) * 4 + 1], 68.99085646719278, 1e-9);
    ASSERT_CLOSE(r.dims[(0 * 2 + 0) * 4 + 0], 0, 1e-9);
    /* Dimension b: WK000101 and 02 tie for best (mid-rank 1.5, R = 0.375): 89.36772905930259;
     * score of WK000101 = (0 + 89.3677) / 2 = 44.683864529651316 */
    ASSERT_CLOSE(r.dims[(0 * 2 + 1) * 4 + 0], 89.36772905930259, 1e-9);
    ASSERT_CLOSE(r.score[AT(r, 0, 0)], 44.683864529651316, 1e-9);
    /* WK000104 in 2014: x = 5 beats every reference score (rank 0.5, R = 0.125): 96.97123914119436;
     * y = 30 -> 3 reference scores better (rank 3.5, R = 0.875): 54.166414122655056 */
    ASSERT_CLOSE(r.score[AT(r, 3, 1)], 75.56882663192471, 1e-9);
    /* Non-compensation: WK000101 (ranks R 1 and 0.375, mean 0.69) scores far below WK000103
     * (R 0.5 and 0.75, mean 0.63): (84.3532 + 68.9909) / 2 = 76.67 against 44.68. */
    ASSERT_CLOSE(r.score[AT(r, 2, 0)], (84.3532099273971 + 68.99085646719278) / 2, 1e-9);
    ASSERT(r.score[AT(r, 0, 0)] < r.score[AT(r, 2, 0)] - 30);
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

/* The explanation's contributions add up to the score, for the area and for any profile. */
TEST(score_transform, explain_contributions_sum_to_the_score)
{
    wb_panel *p = hand_panel();
    static const char *const tr[] = {"none", "z", "rank_normal"};
    static const char *const ag[] = {"mean", "sum"};
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
            wb_model *m = model(tr[i], ag[j], NULL);
            wb_scorer *s = NULL;
            wb_scores r = WB_SCORES_INIT;
            WB_PASS(wb_scorer_new(&s, m, p));
            WB_PASS(wb_scorer_run(&r, s, 1));
            for (size_t t = 0; t < 2; t++) {
                for (size_t a = 0; a < 4; a++) {
                    double raw[2];
                    wb_explain e = WB_EXPLAIN_INIT;
                    wb_scorer_profile(s, raw, a, t);
                    WB_PASS(wb_scorer_explain(&e, s, raw, wb_panel_year(p, t)));
                    ASSERT(e.additive);
                    ASSERT_CLOSE(e.score, r.score[AT(r, a, t)], 1e-12);
                    if (isnan(e.score)) {
                        wb_explain_dispose(&e);
                        continue;
                    }
                    double si = 0, sd = 0;
                    for (size_t k = 0; k < 2; k++)
                        if (!isnan(e.ind[k].contribution))
                            si += e.ind[k].contribution;
                    for (size_t d = 0; d < 2; d++)
                        if (!isnan(e.dims[d].contribution))
                            sd += e.dims[d].contribution;
                    ASSERT_MSG(fabs(si - e.score) < 1e-12, "%s/%s area %zu year %zu: indicators sum to %.17g, score %.17g",
                               tr[i], ag[j], a, t, si, e.score);
                    ASSERT_CLOSE(sd, e.score, 1e-12);
                    wb_explain_dispose(&e);
                }
            }
            wb_scores_dispose(&r);
            wb_scorer_free(s);
            wb_model_free(m);
        }
    }
    wb_panel_free(p);
}

TEST(score_transform, reference_gemeente_and_nearest_year)
{
    static const char *const codes[] = {"WK000101", "WK000102", "WK000103", "WK000201", "WK000202"};
    static const int years[] = {2010, 2014};
    static const char *const keys[] = {"x"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, 5, codes, 2, years, 1, keys, 2016));
    /* only 2014 has values: base year 2012 falls back to the nearest year with values (2014) */
    static const double x14[] = {1, 2, 6, 100, 200};
    for (size_t a = 0; a < 5; a++)
        wb_panel_set(p, a, 1, 0, x14[a]);
    char text[] = "[model]\ntransform = z\nreference = GM0001\nbase_year = 2012\n[dimension a]\nindicator x direction=+\n";
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "ref.model"));
    wb_scorer *s = NULL;
    WB_PASS(wb_scorer_new(&s, m, p));
    ASSERT_EQ_I(wb_scorer_ref_year(s, 0), 2014);
    double mu, sd;
    wb_scorer_ref_moments(s, 0, &mu, &sd); /* GM0001's wijken only: 1, 2, 6 -> mean 3, sd sqrt(7) */
    ASSERT_CLOSE(mu, 3, 1e-15);
    ASSERT_CLOSE(sd, sqrt(7.0), 1e-15);
    wb_scorer_free(s);
    wb_model_free(m);
    char bad[] = "[model]\ntransform = z\nreference = GM0009\nbase_year = 2012\n[dimension a]\nindicator x direction=+\n";
    WB_PASS(wb_model_parse(&m, bad, strlen(bad), "ref.model"));
    WB_FAILS(WB_ENOTFOUND, wb_scorer_new(&s, m, p));
    ASSERT(strstr(wb_error_last()->message, "GM0009") != NULL);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, constant_reference_is_refused)
{
    static const char *const codes[] = {"WK000101", "WK000102"};
    static const int years[] = {2012};
    static const char *const keys[] = {"x"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, 2, codes, 1, years, 1, keys, 2016));
    wb_panel_set(p, 0, 0, 0, 4);
    wb_panel_set(p, 1, 0, 0, 4);
    char text[] = "[model]\ntransform = z\nbase_year = 2012\n[dimension a]\n\nindicator x direction=+\n";
    wb_model *m = NULL;
    wb_scorer *s = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "flat.model"));
    WB_FAILS(WB_EINVALID, wb_scorer_new(&s, m, p));
    ASSERT(strstr(wb_error_last()->message, "flat.model:6: indicator 'x' has no spread") != NULL);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, threads_give_identical_results)
{
    static const char *const keys[] = {"x", "y"};
    enum { NA = 300, NY = 7 };
    char codes_buf[NA][16];
    const char *codes[NA];
    int years[NY];
    for (int a = 0; a < NA; a++) {
        snprintf(codes_buf[a], sizeof codes_buf[a], "WK%04d%02d", 1 + a / 20, a % 20);
        codes[a] = codes_buf[a];
    }
    for (int t = 0; t < NY; t++)
        years[t] = 2010 + t;
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, NA, codes, NY, years, 2, keys, 2016));
    unsigned x = 12345;
    for (int t = 0; t < NY; t++)
        for (int a = 0; a < NA; a++)
            for (int k = 0; k < 2; k++) {
                x = x * 1103515245u + 12345u;
                wb_panel_set(p, (size_t)a, (size_t)t, (size_t)k, (x >> 16) % 97 == 0 ? NAN : (double)(x >> 8) / 65536.0);
            }
    wb_model *m = model("rank_normal", "mean", "[classes]\nthresholds = -1 -0.5 -0.2 0 0.2 0.4 0.6 1\n");
    wb_scorer *s = NULL;
    wb_scores r1 = WB_SCORES_INIT, r4 = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r1, s, 1));
    WB_PASS(wb_scorer_run(&r4, s, 4));
    ASSERT(memcmp(r1.score, r4.score, NA * NY * sizeof(double)) == 0);
    ASSERT(memcmp(r1.dims, r4.dims, 2 * NA * NY * sizeof(double)) == 0);
    ASSERT(memcmp(r1.klass, r4.klass, NA * NY) == 0);
    size_t classified = 0;
    for (int i = 0; i < NA * NY; i++)
        classified += r1.klass[i] != 0;
    ASSERT(classified > NA * NY / 2);
    wb_scores_dispose(&r1);
    wb_scores_dispose(&r4);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

/* Standard normal quantile by bisection on erfc: slow and independent of the library's. */
static double bisect_norm_inv(double p)
{
    double lo = -40, hi = 40;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / sqrt(2.0)) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* Rank normal scores against a reference with many ties and a wide spread, for values inside,
 * between, on and outside the reference values: the library's tabulated, bucket-indexed ranks
 * must equal a brute-force mid-rank with a bisection quantile (tolerance 1e-9). */
TEST(score_transform, rank_lookup_matches_brute_force)
{
    enum { NA = 500 };
    char cb[NA][16];
    const char *codes[NA];
    for (int a = 0; a < NA; a++) {
        snprintf(cb[a], sizeof cb[a], "WK%04d%02d", 1 + a / 50, a % 50);
        codes[a] = cb[a];
    }
    static const int years[] = {2012};
    static const char *const keys[] = {"x"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, NA, codes, 1, years, 1, keys, 2016));
    double ref[NA];
    unsigned u = 7;
    for (int a = 0; a < NA; a++) {
        u = u * 1664525u + 1013904223u;
        /* two thirds small integers 0..9 (ties), one third spread over 0..1e6 (skewed) */
        ref[a] = a % 3 ? (double)((u >> 20) % 10) : pow((double)(u >> 8) / 16777216.0, 4) * 1e6;
        wb_panel_set(p, (size_t)a, 0, 0, ref[a]);
    }
    char text[] = "[model]\ntransform = rank_normal\nbase_year = 2012\n[dimension a]\nindicator x direction=+\n";
    wb_model *m = NULL;
    wb_scorer *s = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "r.model"));
    WB_PASS(wb_scorer_new(&s, m, p));
    double probes[NA + 8];
    size_t np = 0;
    static const double fixed[] = {-1, 0, 0.5, 3, 9, 9.5, 2e6, 123.456};
    for (size_t i = 0; i < 8; i++)
        probes[np++] = fixed[i];
    for (int a = 0; a < NA; a++)
        probes[np++] = ref[a] + (a % 2 ? 0 : 1e-7);
    for (size_t i = 0; i < np; i++) {
        double x = probes[i], less = 0, eq = 0;
        for (int a = 0; a < NA; a++) {
            less += ref[a] < x;
            eq += ref[a] == x;
        }
        double want = bisect_norm_inv((less + (eq + 1) / 2 - 0.375) / (NA + 0.25));
        wb_explain e = WB_EXPLAIN_INIT;
        WB_PASS(wb_scorer_explain(&e, s, &x, 2012));
        ASSERT_MSG(fabs(e.ind[0].std - want) < 1e-9, "x = %.17g: %.17g, brute force %.17g", x, e.ind[0].std, want);
        wb_explain_dispose(&e);
    }
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, scores_as_value_rows)
{
    wb_panel *p = hand_panel();
    wb_model *m = model("z", "mean", NULL);
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r, s, 1));
    wb_value *v = NULL;
    size_t n = 0;
    WB_PASS(wb_scores_values(&v, &n, s, &r));
    ASSERT_EQ_I(n, 7); /* 8 area-years, WK000103 has nothing in 2014 */
    ASSERT_EQ_S(v[0].code, "WK000101");
    ASSERT_EQ_I(v[0].year, 2012);
    ASSERT_EQ_I(v[0].boundary_year, 2016);
    ASSERT_CLOSE(v[0].value, 0.23985633492435432, 1e-12);
    ASSERT_EQ_S(v[6].code, "WK000104");
    ASSERT_EQ_I(v[6].year, 2014);
    ASSERT_CLOSE(v[6].value, -0.04620716761398347, 1e-12);
    wb_free(v);
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_model_free(m);
    wb_panel_free(p);
}

TEST(score_transform, indicator_without_reference_counts_as_missing)
{
    wb_panel *p = hand_panel();
    for (size_t a = 0; a < 4; a++)
        for (size_t t = 0; t < 2; t++)
            wb_panel_set(p, a, t, 1, a == 0 && t == 1 ? 7 : NAN); /* y: one value only */
    wb_model *m = model("z", "mean", NULL);
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    ASSERT_EQ_I(wb_scorer_ref_year(s, 1), 0);
    WB_PASS(wb_scorer_run(&r, s, 1));
    /* WK000101 2014 has x and y, but y cannot be standardised: coverage 1/2, score = dim a */
    ASSERT_CLOSE(r.coverage[AT(r, 0, 1)], 0.5, 0);
    ASSERT_CLOSE(r.score[AT(r, 0, 1)], -1.161895003862225, 1e-12);
    ASSERT(isnan(r.dims[(1 * 2 + 1) * 4 + 0]));
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    /* no indicator with reference values at all: refused */
    for (size_t a = 0; a < 4; a++)
        for (size_t t = 0; t < 2; t++)
            wb_panel_set(p, a, t, 0, NAN);
    WB_FAILS(WB_EINVALID, wb_scorer_new(&s, m, p));
    ASSERT(strstr(wb_error_last()->message, "hand.model: none of the model's indicators") != NULL);
    wb_model_free(m);
    wb_panel_free(p);
}
