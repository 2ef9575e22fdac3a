/**
 * @file
 * @brief Permutation tests equal in distribution to the references, reproducible at any
 * thread count.
 *
 * References (tests/reference/spdep/fixtures.R): for the global test, spdep's moran.mc with
 * 99,999 permutations (M = #(I_sim >= I), p = (M + 1) / (N + 1)); for the local test, a
 * conditional permutation without replacement written in base R (sample(), 19,999 draws
 * per area, folded p). Both p estimates are binomial proportions, so their difference has
 * sd = sqrt(p (1 - p) (1 / N_ours + 1 / N_ref)); each area must agree within 5 sd plus
 * the 2 / (N + 1) granularity of the pseudo p, and the mean of the squared standardised
 * differences over all areas (expected 1, sd about 0.1 for 100+ areas) must stay below 2.
 * Independently of R, the permutation mean and variance must match the exact
 * randomisation moments (E[I], Var_R[I] globally; E[Ii], Var[Ii] locally).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

#define NPERM 9999

static void weights_of(wb_weights *w, const char *name, const char *ws)
{
    char nb[32];
    snprintf(nb, sizeof nb, "%s", ws);
    char *u = strrchr(nb, '_');
    *u = 0;
    ref_weights(w, name, nb, u[1] == 'W' ? WB_STYLE_W : WB_STYLE_B);
}

static void check_global(const char *name)
{
    char f[64];
    snprintf(f, sizeof f, "%s_moran_perm.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    for (size_t r = 0; r < c.nrows; r++) {
        const char *ws = ref_str(&c, r, ref_col(&c, "weights"));
        wb_weights w = WB_WEIGHTS_INIT;
        weights_of(&w, name, ws);
        size_t n;
        double *x = ref_values(name, ref_str(&c, r, ref_col(&c, "var")), &n);
        wb_moran_opts o = WB_MORAN_OPTS_INIT;
        o.permutations = NPERM;
        o.seed = 7;
        wb_moran_result m;
        WB_PASS(wb_moran_global(&m, &w, x, &o));
        double pref = ref_num(&c, r, ref_col(&c, "p_ref")), nref = ref_num(&c, r, ref_col(&c, "nsim"));
        ASSERT_CLOSE(m.I, ref_num(&c, r, ref_col(&c, "I")), 1e-12);
        double sd = sqrt(pref * (1 - pref) * (1.0 / NPERM + 1.0 / nref));
        ASSERT_MSG(fabs(m.p_perm - pref) <= 5 * sd + 2.0 / (NPERM + 1),
                   "%s %s: p_perm %.5f, reference %.5f (sd %.5f)", name, ws, m.p_perm, pref, sd);
        ASSERT_CLOSE(m.p_perm, (double)(m.perm_ge + 1) / (NPERM + 1), 0);
        /* exact randomisation moments: E[I] = -1/(n-1), Var = var_rand (no islands here) */
        ASSERT_MSG(fabs(m.perm_mean - m.E_I) <= 5 * sqrt(m.var_rand / NPERM),
                   "%s %s: permutation mean %.6f, E[I] %.6f", name, ws, m.perm_mean, m.E_I);
        double rel = m.perm_sd * m.perm_sd / m.var_rand - 1;
        ASSERT_MSG(fabs(rel) <= 5 * sqrt(2.0 / (NPERM - 1)),
                   "%s %s: permutation variance %.6g, Var_R %.6g", name, ws, m.perm_sd * m.perm_sd,
                   m.var_rand);
        free(x);
        wb_weights_dispose(&w);
    }
    ref_csv_free(&c);
}

TEST(spatial_perm, nc_global_equal_in_distribution) { check_global("nc"); }
TEST(spatial_perm, columbus_global_equal_in_distribution) { check_global("columbus"); }

static void check_local(const char *name)
{
    char f[64];
    snprintf(f, sizeof f, "%s_local_perm.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t r = 0;
    while (r < c.nrows) {
        const char *ws = ref_str(&c, r, ref_col(&c, "weights"));
        wb_weights w = WB_WEIGHTS_INIT;
        weights_of(&w, name, ws);
        size_t n;
        double *x = ref_values(name, ref_str(&c, r, ref_col(&c, "var")), &n);
        double *Ii = calloc(n, 8), *E = calloc(n, 8), *V = calloc(n, 8), *pp = calloc(n, 8),
               *pm = calloc(n, 8), *pv = calloc(n, 8);
        wb_lisa_out out = {Ii, E, V, NULL, NULL, pp, pm, pv, NULL};
        wb_lisa_opts o = WB_LISA_OPTS_INIT;
        o.permutations = NPERM;
        o.seed = 11;
        WB_PASS(wb_lisa_local_moran(&out, &w, x, &o));
        double chi = 0, mean_ratio = 0;
        for (size_t i = 0; i < n; i++, r++) {
            ASSERT_CLOSE(Ii[i], ref_num(&c, r, ref_col(&c, "Ii")), 1e-12);
            double pref = ref_num(&c, r, ref_col(&c, "p_ref"));
            double nref = ref_num(&c, r, ref_col(&c, "nsim_ref"));
            double pe = pref > 1.0 / nref ? pref : 1.0 / nref;
            double sd = sqrt(pe * (1 - pe) * (1.0 / NPERM + 1.0 / nref));
            ASSERT_MSG(fabs(pp[i] - pref) <= 5 * sd + 2.0 / (NPERM + 1),
                       "%s %s area %zu: p_perm %.5f, reference %.5f (sd %.5f)", name, ws, i + 1,
                       pp[i], pref, sd);
            chi += (pp[i] - pref) * (pp[i] - pref) / (sd * sd);
            /* spdep 1.2's localmoran_perm draws WITH replacement; its folded p is a
             * little larger (mean +0.002 to +0.005, at most 0.026 over these areas in the
             * fixtures): agreement within 0.03 plus sampling noise */
            double psp = ref_num(&c, r, ref_col(&c, "p_spdep_folded"));
            double sd2 = sqrt(pe * (1 - pe) * (1.0 / NPERM + 1.0 / 9999));
            ASSERT_MSG(fabs(pp[i] - psp) <= 0.03 + 5 * sd2, "%s %s area %zu: %.4f vs spdep %.4f",
                       name, ws, i + 1, pp[i], psp);
            /* exact conditional randomisation moments (Sokal et al. 1998) */
            ASSERT_MSG(fabs(pm[i] - E[i]) <= 5 * sqrt(V[i] / NPERM),
                       "%s %s area %zu: permutation mean %.6g, E[Ii] %.6g", name, ws, i + 1, pm[i], E[i]);
            ASSERT_MSG(fabs(pv[i] / V[i] - 1) <= 0.15, "%s %s area %zu: permutation variance %.6g, Var[Ii] %.6g",
                       name, ws, i + 1, pv[i], V[i]);
            mean_ratio += pv[i] / V[i];
        }
        chi /= (double)n;
        mean_ratio /= (double)n;
        ASSERT_MSG(chi < 2, "%s %s: mean squared standardised difference %.3f (expected ~1)", name, ws, chi);
        ASSERT_MSG(fabs(mean_ratio - 1) < 0.02, "%s %s: mean variance ratio %.4f", name, ws, mean_ratio);
        free(Ii), free(E), free(V), free(pp), free(pm), free(pv);
        free(x);
        wb_weights_dispose(&w);
    }
    ref_csv_free(&c);
}

TEST(spatial_perm, nc_local_equal_in_distribution) { check_local("nc"); }
TEST(spatial_perm, columbus_local_equal_in_distribution) { check_local("columbus"); }

/* The same seed gives bit-identical results with 1, 2, 3 and 8 threads; another seed
 * gives other draws. */
TEST(spatial_perm, identical_at_any_thread_count)
{
    wb_weights w = WB_WEIGHTS_INIT;
    ref_weights(&w, "nc", "queen", WB_STYLE_W);
    size_t n;
    double *x = ref_values("nc", "sidr74", &n);
    double *ref_p = calloc(n, 8), *ref_m = calloc(n, 8), *p = calloc(n, 8), *m = calloc(n, 8);
    int *ref_c = calloc(n, sizeof(int)), *cl = calloc(n, sizeof(int));
    unsigned threads[] = {1, 2, 3, 8};
    wb_moran_result g0, g;
    for (int k = 0; k < 4; k++) {
        wb_lisa_out out = {NULL, NULL, NULL, NULL, NULL, k ? p : ref_p, k ? m : ref_m, NULL,
                           k ? cl : ref_c};
        wb_lisa_opts o = WB_LISA_OPTS_INIT;
        o.permutations = 999;
        o.seed = 42;
        o.threads = threads[k];
        WB_PASS(wb_lisa_local_moran(&out, &w, x, &o));
        wb_moran_opts mo = WB_MORAN_OPTS_INIT;
        mo.permutations = 999;
        mo.seed = 42;
        mo.threads = threads[k];
        WB_PASS(wb_moran_global(k ? &g : &g0, &w, x, &mo));
        if (k) {
            ASSERT(memcmp(p, ref_p, n * 8) == 0);
            ASSERT(memcmp(m, ref_m, n * 8) == 0);
            ASSERT(memcmp(cl, ref_c, n * sizeof(int)) == 0);
            ASSERT_EQ_I(g.perm_ge, g0.perm_ge);
            ASSERT(g.perm_mean == g0.perm_mean && g.perm_sd == g0.perm_sd);
        }
    }
    wb_lisa_out out = {NULL, NULL, NULL, NULL, NULL, p, m, NULL, NULL};
    wb_lisa_opts o = WB_LISA_OPTS_INIT;
    o.permutations = 999;
    o.seed = 43;
    WB_PASS(wb_lisa_local_moran(&out, &w, x, &o));
    ASSERT(memcmp(m, ref_m, n * 8) != 0);
    free(x), free(ref_p), free(ref_m), free(p), free(m), free(ref_c), free(cl);
    wb_weights_dispose(&w);
}

/* Areas with many neighbours relative to n take the partial Fisher-Yates path instead of
 * rejection sampling (k = 40 of 99 others here): the permutation mean and variance must
 * still match the exact conditional moments (5 standard errors for the mean; 15% for the
 * variance from 9,999 draws), and a vector of distinct values must never be drawn twice
 * (checked indirectly: with replacement the variance would exceed Var[Ii] by a factor
 * (n - 2) / (n - 1 - k) ~ 1.6). */
TEST(spatial_perm, many_neighbours_fisher_yates_moments)
{
    size_t n;
    wb_point *pts = ref_coords("nc", &n);
    double *x = ref_values("nc", "sidr74", &n);
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_KNN;
    o.k = 40;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w, pts, n, &o));
    double *E = calloc(n, 8), *V = calloc(n, 8), *pm = calloc(n, 8), *pv = calloc(n, 8), *pp = calloc(n, 8);
    wb_lisa_out out = {NULL, E, V, NULL, NULL, pp, pm, pv, NULL};
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.permutations = NPERM;
    lo.seed = 3;
    WB_PASS(wb_lisa_local_moran(&out, &w, x, &lo));
    for (size_t i = 0; i < n; i++) {
        ASSERT_MSG(fabs(pm[i] - E[i]) <= 5 * sqrt(V[i] / NPERM), "area %zu: mean %.6g, E %.6g", i + 1, pm[i], E[i]);
        ASSERT_MSG(fabs(pv[i] / V[i] - 1) <= 0.15, "area %zu: var %.6g, Var %.6g", i + 1, pv[i], V[i]);
        ASSERT(pp[i] > 0 && pp[i] <= 0.5 + 1.0 / NPERM);
    }
    free(E), free(V), free(pm), free(pv), free(pp), free(x), free(pts);
    wb_weights_dispose(&w);
}
