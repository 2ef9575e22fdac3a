/**
 * @file
 * @brief Bivariate Moran's I against spdep 1.2-7 (fixtures from
 * tests/reference/spacetime/bivariate.R on NC SIDS: sidr74 with the neighbours' nwbr74, and
 * Columbus: CRIME with the neighbours' HOVAL; queen weights, styles W and B):
 *  - Ibv_i (localmoran_bv "Ibvi") and I_B (moran_bv t0) within 1e-9 relative;
 *  - permutation p-values equal in distribution: local against a without-replacement
 *    conditional permutation in base R (19,999 draws; the scheme wijkbeeld uses), within 5
 *    standard deviations of the difference of two binomial proportions plus the 2/(N + 1)
 *    granularity, and a mean squared standardised difference below 2; loosely against
 *    spdep's own (with replacement); global against moran_bv's 9,999 joint permutations;
 *  - the permutation mean and variance match the exact moments (E_I under joint
 *    permutation, E_Ibv and Var_Ibv under conditional permutation);
 *  - with y = x the local statistic is the LISA's scaled by (n - 1) / n (tested with spdep).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

#define NPERM 9999

typedef struct {
    const char *name, *x, *y;
} dataset;

static const dataset sets[] = {{"nc", "sidr74", "nwbr74"}, {"columbus", "CRIME", "HOVAL"}};

static void check_global(const dataset *s)
{
    char f[64];
    snprintf(f, sizeof f, "../spacetime/%s_bv.csv", s->name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t n;
    double *x = ref_values(s->name, s->x, &n), *y = ref_values(s->name, s->y, &n);
    ASSERT_EQ_I(c.nrows, 2);
    for (size_t r = 0; r < c.nrows; r++) {
        const char *ws = ref_str(&c, r, ref_col(&c, "weights"));
        wb_weights w = WB_WEIGHTS_INIT;
        ref_weights(&w, s->name, "queen", !strcmp(ws, "queen_W") ? WB_STYLE_W : WB_STYLE_B);
        wb_moran_bv_opts o = WB_MORAN_BV_OPTS_INIT;
        o.permutations = NPERM;
        o.seed = 5;
        wb_moran_bv_result m;
        WB_PASS(wb_moran_bv(&m, &w, x, y, &o));
        ASSERT_MSG(ref_close(m.I, ref_num(&c, r, ref_col(&c, "I")), 1e-9), "%s %s: I %.17g", s->name, ws, m.I);
        double pref = ref_num(&c, r, ref_col(&c, "p_ref")), nref = ref_num(&c, r, ref_col(&c, "nsim"));
        double pe = pref > 1.0 / nref ? pref : 1.0 / nref;
        double sd = sqrt(pe * (1 - pe) * (1.0 / NPERM + 1.0 / nref));
        ASSERT_MSG(fabs(m.p_perm - pref) <= 5 * sd + 2.0 / (NPERM + 1), "%s %s: p_perm %.5f, spdep %.5f", s->name, ws,
                   m.p_perm, pref);
        /* the permutation mean is E_I = -S0 r / (n (n - 1)); spdep's simulated variance sets the scale */
        double vref = ref_num(&c, r, ref_col(&c, "sim_var"));
        ASSERT_MSG(fabs(m.perm_mean - m.E_I) <= 5 * sqrt(vref / NPERM), "%s %s: perm mean %.6g, E_I %.6g", s->name,
                   ws, m.perm_mean, m.E_I);
        ASSERT_MSG(fabs(ref_num(&c, r, ref_col(&c, "sim_mean")) - m.E_I) <= 5 * sqrt(vref / nref),
                   "%s %s: spdep's mean is not E_I either", s->name, ws);
        ASSERT_MSG(fabs(m.perm_sd * m.perm_sd / vref - 1) <= 5 * sqrt(2.0 / (NPERM - 1)) * 1.5,
                   "%s %s: perm variance %.6g, spdep %.6g", s->name, ws, m.perm_sd * m.perm_sd, vref);
        wb_weights_dispose(&w);
    }
    free(x), free(y);
    ref_csv_free(&c);
}

TEST(spacetime_bv, nc_global_equals_spdep) { check_global(&sets[0]); }
TEST(spacetime_bv, columbus_global_equals_spdep) { check_global(&sets[1]); }

static void check_local(const dataset *s)
{
    char f[64];
    snprintf(f, sizeof f, "../spacetime/%s_bv_local.csv", s->name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t n, r = 0;
    double *x = ref_values(s->name, s->x, &n), *y = ref_values(s->name, s->y, &n);
    while (r < c.nrows) {
        const char *ws = ref_str(&c, r, ref_col(&c, "weights"));
        wb_weights w = WB_WEIGHTS_INIT;
        ref_weights(&w, s->name, "queen", !strcmp(ws, "queen_W") ? WB_STYLE_W : WB_STYLE_B);
        double *I = calloc(n, 8), *E = calloc(n, 8), *V = calloc(n, 8), *pp = calloc(n, 8), *pm = calloc(n, 8),
               *pv = calloc(n, 8);
        wb_lisa_bv_out out = {I, E, V, NULL, NULL, pp, pm, pv, NULL};
        wb_lisa_opts o = WB_LISA_OPTS_INIT;
        o.permutations = NPERM;
        o.seed = 13;
        WB_PASS(wb_lisa_bv(&out, &w, x, y, &o));
        double chi = 0, ratio = 0;
        for (size_t i = 0; i < n; i++, r++) {
            ASSERT_MSG(ref_close(I[i], ref_num(&c, r, ref_col(&c, "Ibv")), 1e-9), "%s %s area %zu: Ibv %.17g",
                       s->name, ws, i + 1, I[i]);
            double pref = ref_num(&c, r, ref_col(&c, "p_ref")), nref = ref_num(&c, r, ref_col(&c, "nsim_ref"));
            double pe = pref > 1.0 / nref ? pref : 1.0 / nref;
            double sd = sqrt(pe * (1 - pe) * (1.0 / NPERM + 1.0 / nref));
            ASSERT_MSG(fabs(pp[i] - pref) <= 5 * sd + 2.0 / (NPERM + 1), "%s %s area %zu: p_perm %.5f, ref %.5f",
                       s->name, ws, i + 1, pp[i], pref);
            chi += (pp[i] - pref) * (pp[i] - pref) / (sd * sd);
            /* spdep draws with replacement: a slightly larger p, within 0.03 plus noise */
            double psp = ref_num(&c, r, ref_col(&c, "p_spdep_folded"));
            ASSERT_MSG(fabs(pp[i] - psp) <= 0.03 + 5 * sqrt(pe * (1 - pe) * 2.0 / NPERM), "%s %s area %zu: %.4f vs %.4f",
                       s->name, ws, i + 1, pp[i], psp);
            ASSERT_MSG(fabs(pm[i] - E[i]) <= 5 * sqrt(V[i] / NPERM), "%s %s area %zu: perm mean %.6g, E %.6g",
                       s->name, ws, i + 1, pm[i], E[i]);
            ASSERT_MSG(fabs(pv[i] / V[i] - 1) <= 0.15, "%s %s area %zu: perm var %.6g, Var %.6g", s->name, ws,
                       i + 1, pv[i], V[i]);
            ratio += pv[i] / V[i];
        }
        chi /= (double)n;
        ratio /= (double)n;
        ASSERT_MSG(chi < 2, "%s %s: mean squared standardised difference %.3f", s->name, ws, chi);
        ASSERT_MSG(fabs(ratio - 1) < 0.02, "%s %s: mean variance ratio %.4f", s->name, ws, ratio);
        free(I), free(E), free(V), free(pp), free(pm), free(pv);
        wb_weights_dispose(&w);
    }
    free(x), free(y);
    ref_csv_free(&c);
}

TEST(spacetime_bv, nc_local_equals_spdep) { check_local(&sets[0]); }
TEST(spacetime_bv, columbus_local_equals_spdep) { check_local(&sets[1]); }

/* y = x: Ibv_i = zx_i lag(zx)_i with zx = z / sd and sd^2 = sum z^2 / (n - 1), while the
 * LISA is Ii = z_i lag(z)_i / m2 with m2 = sum z^2 / n: Ibv = Ii (n - 1) / n; its exact
 * moments scale alike (E by (n - 1)/n, Var by ((n - 1)/n)^2), the LISA's being spdep's. */
TEST(spacetime_bv, same_variable_is_the_lisa)
{
    wb_weights w = WB_WEIGHTS_INIT;
    ref_weights(&w, "columbus", "queen", WB_STYLE_W);
    size_t n;
    double *x = ref_values("columbus", "CRIME", &n);
    double *I = calloc(n, 8), *E = calloc(n, 8), *V = calloc(n, 8), *Ii = calloc(n, 8), *Ei = calloc(n, 8),
           *Vi = calloc(n, 8), *z1 = calloc(n, 8), *z2 = calloc(n, 8);
    wb_lisa_bv_out out = {I, E, V, z1, NULL, NULL, NULL, NULL, NULL};
    WB_PASS(wb_lisa_bv(&out, &w, x, x, NULL));
    wb_lisa_out lo = {Ii, Ei, Vi, z2, NULL, NULL, NULL, NULL, NULL};
    WB_PASS(wb_lisa_local_moran(&lo, &w, x, NULL));
    double f = (double)(n - 1) / (double)n;
    for (size_t i = 0; i < n; i++) {
        ASSERT(ref_close(I[i], Ii[i] * f, 1e-12));
        ASSERT(ref_close(E[i], Ei[i] * f, 1e-12));
        ASSERT(ref_close(V[i], Vi[i] * f * f, 1e-12));
        ASSERT(ref_close(z1[i], z2[i], 1e-10));
    }
    free(I), free(E), free(V), free(Ii), free(Ei), free(Vi), free(z1), free(z2), free(x);
    wb_weights_dispose(&w);
}

/* The same seed gives identical p-values with 1, 2 and 3 threads, locally and globally. */
TEST(spacetime_bv, identical_at_any_thread_count)
{
    wb_weights w = WB_WEIGHTS_INIT;
    ref_weights(&w, "nc", "queen", WB_STYLE_W);
    size_t n;
    double *x = ref_values("nc", "sidr74", &n), *y = ref_values("nc", "nwbr74", &n);
    double *p0 = calloc(n, 8), *p = calloc(n, 8);
    int *c0 = calloc(n, sizeof(int)), *c = calloc(n, sizeof(int));
    wb_moran_bv_result g0, g;
    unsigned threads[] = {1, 2, 3};
    for (int k = 0; k < 3; k++) {
        wb_lisa_bv_out out = {NULL, NULL, NULL, NULL, NULL, k ? p : p0, NULL, NULL, k ? c : c0};
        wb_lisa_opts o = WB_LISA_OPTS_INIT;
        o.permutations = 999;
        o.seed = 9;
        o.threads = threads[k];
        o.fdr = 1;
        WB_PASS(wb_lisa_bv(&out, &w, x, y, &o));
        wb_moran_bv_opts mo = WB_MORAN_BV_OPTS_INIT;
        mo.permutations = 999;
        mo.seed = 9;
        mo.threads = threads[k];
        WB_PASS(wb_moran_bv(k ? &g : &g0, &w, x, y, &mo));
        if (k) {
            ASSERT(memcmp(p, p0, n * 8) == 0);
            ASSERT(memcmp(c, c0, n * sizeof(int)) == 0);
            ASSERT_EQ_I(g.perm_ge, g0.perm_ge);
            ASSERT(g.perm_mean == g0.perm_mean && g.perm_sd == g0.perm_sd);
        }
    }
    /* bad input: a constant y */
    for (size_t i = 0; i < n; i++)
        y[i] = 1;
    WB_FAILS(WB_EINVALID, wb_moran_bv(&g, &w, x, y, NULL));
    ASSERT(strstr(wb_error_last()->message, "(y)") && strstr(wb_error_last()->message, "zero variance"));
    free(x), free(y), free(p0), free(p), free(c0), free(c);
    wb_weights_dispose(&w);
}
