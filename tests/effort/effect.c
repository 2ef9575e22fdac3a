/** @file @brief The effect estimate (matched difference in differences with a randomisation
 *  interval): a hand-computed case, the statuses, and the coverage of the interval on
 *  generated data with a planted effect and with a planted null. */
#include <stdlib.h>

#include "effort/efix.h"

/* ---------------------------------------------------------------- hand-computed case */

/*
 * Five areas, years 2010..2015, start 2013 (last pre year 2012, first post year 2013).
 * y = L + 0.5 (t - 2010) for every area, plus 2 for the treated area from 2013 on.
 *   treated L = 10; controls L = 9, 12, 30, -5.
 * Every area: pre mean = L + 0.5 (2010..2012), post mean = L + 2 (2013..2015), so the change
 * is 1.5 without the effect and 3.5 for the treated area. All slopes are 0.5: the slope has
 * no spread and the metric falls back to the level alone. Nearest control by level: L = 9
 * (distance 1), then 12 (2). With one or two matches the estimate is 3.5 - 1.5 = 2 exactly.
 */
static wb_panel *hand_panel(void)
{
    const char *codes[] = {"BU09990000", "BU09990001", "BU09990002", "BU09990003", "BU09990004"};
    const int years[] = {2010, 2011, 2012, 2013, 2014, 2015};
    const char *keys[] = {"y"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, 5, codes, 6, years, 1, keys, 2015));
    const double L[] = {10, 9, 12, 30, -5};
    for (size_t a = 0; a < 5; a++)
        for (size_t t = 0; t < 6; t++)
            wb_panel_set(p, a, t, 0, L[a] + 0.5 * (double)t + (a == 0 && years[t] >= 2013 ? 2 : 0));
    return p;
}

TEST(effort_effect, hand_computed_matched_did)
{
    wb_panel *p = hand_panel();
    const size_t treated[] = {0};
    const unsigned char elig[] = {1, 1, 1, 1, 1}; /* the treated one is never a control */
    wb_effect_opts o = WB_EFFECT_OPTS_INIT;
    o.matches = 1;
    o.bias_correct = 0;
    o.draws = 0;
    wb_effect_result r;
    WB_PASS(wb_effect_did(&r, p, 0, treated, 1, elig, 2012, 2013, &o));
    ASSERT_EQ_I(r.status, WB_EFFECT_OK);
    ASSERT_EQ_I(r.npre, 3);
    ASSERT_EQ_I(r.npost, 3);
    ASSERT_EQ_I(r.first_pre, 2010);
    ASSERT_EQ_I(r.last_post, 2015);
    ASSERT_EQ_I(r.ntreated, 1);
    ASSERT_EQ_I(r.npool, 4);
    ASSERT_EQ_I(r.ncontrols, 1);
    ASSERT_CLOSE(r.estimate, 2, 1e-12);
    ASSERT_CLOSE(r.treated_change, 3.5, 1e-12);
    ASSERT_CLOSE(r.control_change, 1.5, 1e-12);
    ASSERT_EQ_I(r.areas[0].nmatched, 1);
    ASSERT_EQ_I(r.areas[0].matched[0], 1);
    ASSERT_CLOSE(r.areas[0].pre_level, 10.5, 1e-12);
    ASSERT_CLOSE(r.areas[0].pre_slope, 0.5, 1e-12);
    ASSERT(isnan(r.lo) && isnan(r.hi) && r.draws == 0);
    wb_effect_result_dispose(&r);

    /* two matches (9 and 12), with the bias correction: the change does not depend on the
     * level, so the regression slope is 0 and the estimate stays 2 */
    o.matches = 2;
    o.bias_correct = 1;
    WB_PASS(wb_effect_did(&r, p, 0, treated, 1, elig, 2012, 2013, &o));
    ASSERT_CLOSE(r.estimate, 2, 1e-12);
    ASSERT_EQ_I(r.areas[0].matched[0], 1);
    ASSERT_EQ_I(r.areas[0].matched[1], 2);
    wb_effect_result_dispose(&r);

    /* pre_years = 1 leaves one pre year: no slope, no data */
    o.pre_years = 1;
    WB_PASS(wb_effect_did(&r, p, 0, treated, 1, elig, 2012, 2013, &o));
    ASSERT_EQ_I(r.status, WB_EFFECT_NO_DATA);
    ASSERT(strstr(r.reason, "fewer than two data years"));
    wb_effect_result_dispose(&r);
    o.pre_years = 0;

    /* too early: nothing from 2016 on */
    WB_PASS(wb_effect_did(&r, p, 0, treated, 1, elig, 2015, 2016, &o));
    ASSERT_EQ_I(r.status, WB_EFFECT_TOO_EARLY);
    ASSERT(strstr(r.reason, "2016") && strstr(r.reason, "2015"));
    wb_effect_result_dispose(&r);

    /* too few comparable areas: only two eligible for one treated area and two matches */
    const unsigned char few[] = {0, 1, 1, 0, 0};
    WB_PASS(wb_effect_did(&r, p, 0, treated, 1, few, 2012, 2013, &o));
    ASSERT_EQ_I(r.status, WB_EFFECT_TOO_FEW);
    ASSERT(strstr(r.reason, "2 with data, at least 3 needed"));
    wb_effect_result_dispose(&r);

    /* bad arguments */
    const size_t bad[] = {7};
    WB_FAILS(WB_EINVALID, wb_effect_did(&r, p, 0, bad, 1, elig, 2012, 2013, &o));
    WB_FAILS(WB_EINVALID, wb_effect_did(&r, p, 0, treated, 1, elig, 2013, 2013, &o));
    o.level = 1;
    WB_FAILS(WB_EINVALID, wb_effect_did(&r, p, 0, treated, 1, elig, 2012, 2013, &o));
    wb_panel_free(p);
}

/* ---------------------------------------------------------------- generated data */

/* The test's own generator: xoshiro256** from splitmix64, normals by Box-Muller. */
typedef struct {
    uint64_t s[4];
} gen;

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t gnext(gen *g)
{
    uint64_t *s = g->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

static void gseed(gen *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        g->s[i] = z ^ (z >> 31);
    }
}

static double gunif(gen *g)
{
    return ((double)(gnext(g) >> 11) + 0.5) / 9007199254740992.0;
}

static double gnorm(gen *g)
{
    return sqrt(-2 * log(gunif(g))) * cos(6.283185307179586 * gunif(g));
}

#define NA 60
#define NY 13
#define NT 5

/*
 * One generated municipality: 60 buurten, years 2008..2020, initiative from 2016 in 5 areas.
 *   y[a,t] = alpha_a + beta_a (t - 2008) + gamma_t + e[a,t] + tau [a treated, t >= 2016]
 *   alpha_a ~ N(0, 1), beta_a = 0.05 alpha_a + N(0, 0.03^2)  (low areas also trend down: a
 *   naive comparison would be biased), gamma_t ~ N(0, 0.2^2) common year shocks,
 *   e ~ N(0, 0.15^2).
 * select = 0: the 5 treated areas are drawn at random (the design's assumption: as good as
 * random given level and trend); select = 1: drawn from the third with the lowest pre-period
 * mean (initiatives go where the need is).
 */
static wb_panel *generate(gen *g, double tau, int select, size_t *treated)
{
    static char codes[NA][16];
    const char *cp[NA];
    int years[NY];
    for (int t = 0; t < NY; t++)
        years[t] = 2008 + t;
    for (size_t a = 0; a < NA; a++) {
        snprintf(codes[a], sizeof codes[a], "BU0999%02zu%02zu", a / 20, a % 20);
        cp[a] = codes[a];
    }
    const char *keys[] = {"y"};
    wb_panel *p = NULL;
    WB_PASS(wb_panel_new(&p, NA, cp, NY, years, 1, keys, 2020));
    double gamma[NY], pre[NA];
    for (int t = 0; t < NY; t++)
        gamma[t] = 0.2 * gnorm(g);
    for (size_t a = 0; a < NA; a++) {
        double alpha = gnorm(g), beta = 0.05 * alpha + 0.03 * gnorm(g);
        pre[a] = 0;
        for (int t = 0; t < NY; t++) {
            double v = alpha + beta * t + gamma[t] + 0.15 * gnorm(g);
            wb_panel_set(p, a, (size_t)t, 0, v);
            if (years[t] < 2016)
                pre[a] += v;
        }
    }
    size_t idx[NA];
    for (size_t a = 0; a < NA; a++)
        idx[a] = a;
    if (select) /* sort by pre-period mean */
        for (size_t i = 1; i < NA; i++)
            for (size_t j = i; j > 0 && pre[idx[j]] < pre[idx[j - 1]]; j--) {
                size_t x = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = x;
            }
    size_t lim = select ? NA / 3 : NA;
    for (size_t i = 0; i < NT; i++) { /* partial Fisher-Yates within the first lim */
        size_t j = i + (size_t)(gnext(g) % (lim - i)), x = idx[i];
        idx[i] = idx[j];
        idx[j] = x;
        treated[i] = idx[i];
        for (int t = 0; t < NY; t++)
            if (years[t] >= 2016)
                wb_panel_set(p, idx[i], (size_t)t, 0, wb_panel_get(p, idx[i], (size_t)t, 0) + tau);
    }
    return p;
}

/* Smallest lo and largest hi with P(X < lo) <= tail and P(X > hi) <= tail, X ~ Bin(n, q):
 * the range a correct interval's cover count stays in, but for probability 2 * tail. */
static void binomial_range(int n, double q, double tail, int *lo, int *hi)
{
    double pmf[1024], cum = 0;
    for (int k = 0; k <= n; k++)
        pmf[k] = exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(q) + (n - k) * log1p(-q));
    *lo = 0;
    for (int k = 0; k <= n; k++) {
        if (cum + pmf[k] > tail) {
            *lo = k;
            break;
        }
        cum += pmf[k];
    }
    cum = 0;
    *hi = n;
    for (int k = n; k >= 0; k--) {
        if (cum + pmf[k] > tail) {
            *hi = k;
            break;
        }
        cum += pmf[k];
    }
}

#define REPS 300
#define DRAWS 199

/* Run REPS generated municipalities; return how many intervals covered tau. */
static int coverage(uint64_t seed, double tau, int select, double *mean_est)
{
    gen g;
    gseed(&g, seed);
    int covered = 0;
    double sum = 0;
    unsigned char elig[NA];
    memset(elig, 1, sizeof elig);
    for (int r = 0; r < REPS; r++) {
        size_t treated[NT];
        wb_panel *p = generate(&g, tau, select, treated);
        wb_effect_opts o = WB_EFFECT_OPTS_INIT;
        o.draws = DRAWS;
        o.seed = seed * 1000 + (uint64_t)r;
        wb_effect_result res;
        WB_PASS(wb_effect_did(&res, p, 0, treated, NT, elig, 2015, 2016, &o));
        ASSERT_EQ_I(res.status, WB_EFFECT_OK);
        ASSERT(res.lo <= res.hi);
        covered += res.lo <= tau && tau <= res.hi;
        sum += res.estimate;
        wb_effect_result_dispose(&res);
        wb_panel_free(p);
    }
    *mean_est = sum / REPS;
    return covered;
}

/*
 * The 90% interval must cover the planted effect in about 90% of 300 generated
 * municipalities (199 placebo draws each). Under the design (random assignment, constant
 * effect) the randomisation test behind the interval is exact, so its coverage is at least
 * 90% up to the Monte Carlo error of the draws. The accepted range is where a binomial(300,
 * 0.9) count falls with probability 0.999 (0.0005 in each tail), computed below: 252..286,
 * i.e. 84.0%..95.3%.
 */
TEST(effort_effect, interval_covers_a_planted_effect_at_its_nominal_rate)
{
    int lo, hi;
    binomial_range(REPS, 0.90, 0.0005, &lo, &hi);
    double mean;
    int c = coverage(20240601, 0.5, 0, &mean);
    fprintf(stderr, "    effect coverage, planted effect 0.5: %d/%d = %.3f (accepted %d..%d), mean estimate %.4f\n", c,
            REPS, (double)c / REPS, lo, hi, mean);
    ASSERT_MSG(c >= lo && c <= hi, "covered %d of %d, outside %d..%d", c, REPS, lo, hi);
    /* unbiased: the mean of 300 estimates within 4 standard errors (sd ~0.08 per estimate,
     * measured) of the truth */
    ASSERT_CLOSE(mean, 0.5, 4 * 0.08 / sqrt(REPS));
}

TEST(effort_effect, interval_covers_a_planted_null_at_its_nominal_rate)
{
    int lo, hi;
    binomial_range(REPS, 0.90, 0.0005, &lo, &hi);
    double mean;
    int c = coverage(19870101, 0.0, 0, &mean);
    fprintf(stderr, "    effect coverage, planted null: %d/%d = %.3f (accepted %d..%d), mean estimate %.4f\n", c, REPS,
            (double)c / REPS, lo, hi, mean);
    ASSERT_MSG(c >= lo && c <= hi, "covered %d of %d, outside %d..%d", c, REPS, lo, hi);
    ASSERT_CLOSE(mean, 0.0, 4 * 0.08 / sqrt(REPS));
}

/*
 * A known limitation, kept honest: when initiatives go to the lowest third (selection on the
 * pre-period level), the matched, bias-corrected estimate stays nearly unbiased but the
 * interval, which re-assigns the initiative among all comparable areas, is a little too
 * narrow: 0.875 measured over 2000 municipalities (release build). The test asserts the
 * bias and a floor of 80% (docs/effort.md reports the rate).
 */
TEST(effort_effect, selection_on_the_level_keeps_the_estimate_unbiased)
{
    double mean;
    int c = coverage(777, 0.5, 1, &mean);
    fprintf(stderr, "    effect coverage, treatment in the lowest third: %d/%d = %.3f, mean estimate %.4f\n", c, REPS,
            (double)c / REPS, mean);
    ASSERT_CLOSE(mean, 0.5, 4 * 0.085 / sqrt(REPS));
    ASSERT_MSG(c >= (int)(0.80 * REPS), "covered %d of %d", c, REPS);
}

/* The interval moves with the effect (the method is shift-equivariant) and depends only on
 * the seed. */
TEST(effort_effect, equivariant_and_seeded)
{
    gen g1, g2;
    gseed(&g1, 5);
    gseed(&g2, 5);
    size_t t1[NT], t2[NT];
    wb_panel *p0 = generate(&g1, 0.0, 0, t1), *p1 = generate(&g2, 0.7, 0, t2);
    unsigned char elig[NA];
    memset(elig, 1, sizeof elig);
    wb_effect_opts o = WB_EFFECT_OPTS_INIT;
    o.draws = 99;
    o.seed = 42;
    wb_effect_result r0, r1, r2;
    WB_PASS(wb_effect_did(&r0, p0, 0, t1, NT, elig, 2015, 2016, &o));
    WB_PASS(wb_effect_did(&r1, p1, 0, t2, NT, elig, 2015, 2016, &o));
    ASSERT_CLOSE(r1.estimate - r0.estimate, 0.7, 1e-9);
    ASSERT_CLOSE(r1.lo - r0.lo, 0.7, 1e-9);
    ASSERT_CLOSE(r1.hi - r0.hi, 0.7, 1e-9);
    WB_PASS(wb_effect_did(&r2, p0, 0, t1, NT, elig, 2015, 2016, &o));
    ASSERT(r2.lo == r0.lo && r2.hi == r0.hi && r2.p == r0.p);
    wb_effect_result_dispose(&r2);
    o.seed = 43;
    WB_PASS(wb_effect_did(&r2, p0, 0, t1, NT, elig, 2015, 2016, &o));
    ASSERT(r2.lo != r0.lo || r2.hi != r0.hi);
    ASSERT_CLOSE(r2.estimate, r0.estimate, 0);
    wb_effect_result_dispose(&r0);
    wb_effect_result_dispose(&r1);
    wb_effect_result_dispose(&r2);
    wb_panel_free(p0);
    wb_panel_free(p1);
}
