/**
 * @file
 * @brief Global Moran, local Moran and Getis-Ord equal to spdep 1.2-7 (fixtures from
 * tests/reference/spdep/fixtures.R): every statistic within 1e-9 relative
 * (|a - b| <= 1e-9 |ref| + 1e-12), stricter than an absolute 1e-9.
 * Weights: queen W, queen B, rook B, kNN(4) W and a distance band W with islands, on NC
 * SIDS and Columbus, two variables each, adjust.n TRUE and FALSE.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

#define TOL 1e-9

/* "queen_W" -> ("queen", W) */
static void weights_of(wb_weights *w, const char *name, const char *ws)
{
    char nb[32];
    snprintf(nb, sizeof nb, "%s", ws);
    char *u = strrchr(nb, '_');
    ASSERT(u);
    *u = 0;
    ref_weights(w, name, nb, u[1] == 'W' ? WB_STYLE_W : WB_STYLE_B);
}

#define EXPECT(field, got, ref)                                                              \
    ASSERT_MSG(ref_close(got, ref, TOL), "%s %s %s adjust_n=%d: %s = %.17g, spdep %.17g", name, \
               ws, var, adj, field, (double)(got), (double)(ref))

static void check_moran(const char *name)
{
    char f[64];
    snprintf(f, sizeof f, "%s_moran.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    for (size_t r = 0; r < c.nrows; r++) {
        const char *ws = ref_str(&c, r, ref_col(&c, "weights"));
        const char *var = ref_str(&c, r, ref_col(&c, "var"));
        int adj = (int)ref_num(&c, r, ref_col(&c, "adjust_n"));
        wb_weights w = WB_WEIGHTS_INIT;
        weights_of(&w, name, ws);
        size_t n;
        double *x = ref_values(name, var, &n);
        wb_moran_opts o = WB_MORAN_OPTS_INIT;
        o.adjust_n = adj;
        wb_moran_result m;
        WB_PASS(wb_moran_global(&m, &w, x, &o));
        EXPECT("n", m.n, ref_num(&c, r, ref_col(&c, "n")));
        EXPECT("n_eff", m.n_eff, ref_num(&c, r, ref_col(&c, "n_eff")));
        EXPECT("I", m.I, ref_num(&c, r, ref_col(&c, "I")));
        EXPECT("E_I", m.E_I, ref_num(&c, r, ref_col(&c, "E_I")));
        EXPECT("var_norm", m.var_norm, ref_num(&c, r, ref_col(&c, "var_norm")));
        EXPECT("z_norm", m.z_norm, ref_num(&c, r, ref_col(&c, "z_norm")));
        EXPECT("p_norm", m.p_norm, ref_num(&c, r, ref_col(&c, "p_norm")));
        EXPECT("var_rand", m.var_rand, ref_num(&c, r, ref_col(&c, "var_rand")));
        EXPECT("z_rand", m.z_rand, ref_num(&c, r, ref_col(&c, "z_rand")));
        EXPECT("p_rand", m.p_rand, ref_num(&c, r, ref_col(&c, "p_rand")));
        EXPECT("S0", m.S0, ref_num(&c, r, ref_col(&c, "S0")));
        EXPECT("S1", m.S1, ref_num(&c, r, ref_col(&c, "S1")));
        EXPECT("S2", m.S2, ref_num(&c, r, ref_col(&c, "S2")));
        ASSERT(isnan(m.p_perm)); /* no permutations asked */
        free(x);
        wb_weights_dispose(&w);
    }
    ASSERT_EQ_I(c.nrows, 5 * 2 * 2);
    ref_csv_free(&c);
}

TEST(spatial_ref, nc_moran_all_keys) { check_moran("nc"); }
TEST(spatial_ref, columbus_moran_all_keys) { check_moran("columbus"); }

static void check_local(const char *name)
{
    char f[64];
    snprintf(f, sizeof f, "%s_local.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t r = 0, islands_seen = 0;
    while (r < c.nrows) {
        const char *ws = ref_str(&c, r, ref_col(&c, "weights"));
        const char *var = ref_str(&c, r, ref_col(&c, "var"));
        int adj = -1;
        wb_weights w = WB_WEIGHTS_INIT;
        weights_of(&w, name, ws);
        size_t n;
        double *x = ref_values(name, var, &n);
        double *Ii = calloc(n, 8), *E = calloc(n, 8), *V = calloc(n, 8), *z = calloc(n, 8),
               *p = calloc(n, 8), *G = calloc(n, 8), *Gz = calloc(n, 8), *Gs = calloc(n, 8),
               *Gsz = calloc(n, 8);
        int *cl = calloc(n, sizeof *cl);
        wb_lisa_out out = {Ii, E, V, z, p, NULL, NULL, NULL, cl};
        WB_PASS(wb_lisa_local_moran(&out, &w, x, NULL));
        WB_PASS(wb_getis_ord(G, Gz, NULL, &w, x, 0));
        WB_PASS(wb_getis_ord(Gs, Gsz, NULL, &w, x, 1));
        for (size_t i = 0; i < n; i++, r++) {
            ASSERT_EQ_S(ref_str(&c, r, ref_col(&c, "weights")), ws);
            ASSERT_EQ_I((size_t)ref_num(&c, r, ref_col(&c, "i")), i + 1);
            int island = w.row[i] == w.row[i + 1];
            islands_seen += island;
            EXPECT("Ii", Ii[i], ref_num(&c, r, ref_col(&c, "Ii")));
            EXPECT("E_Ii", E[i], ref_num(&c, r, ref_col(&c, "E_Ii")));
            EXPECT("Var_Ii", V[i], ref_num(&c, r, ref_col(&c, "Var_Ii")));
            /* spdep: Z = 0/0 = NaN for an island; wijkbeeld leaves z and p empty too,
             * and marks the cluster "island" */
            EXPECT("z", z[i], ref_num(&c, r, ref_col(&c, "Z_Ii")));
            EXPECT("p", p[i], ref_num(&c, r, ref_col(&c, "P_Ii")));
            ASSERT_EQ_I(cl[i] == WB_LISA_ISLAND, island);
            /* Gi of an island: spdep 0/0 = NaN for z and G = 0/..= 0 */
            EXPECT("Gi", G[i], ref_num(&c, r, ref_col(&c, "Gi")));
            EXPECT("Gi z", Gz[i], ref_num(&c, r, ref_col(&c, "Gi_z")));
            EXPECT("Gi*", Gs[i], ref_num(&c, r, ref_col(&c, "Gs")));
            EXPECT("Gi* z", Gsz[i], ref_num(&c, r, ref_col(&c, "Gs_z")));
        }
        free(Ii), free(E), free(V), free(z), free(p), free(G), free(Gz), free(Gs), free(Gsz);
        free(cl);
        free(x);
        wb_weights_dispose(&w);
    }
    ASSERT(islands_seen > 0); /* the distance band has islands: their convention is tested */
    ref_csv_free(&c);
}

TEST(spatial_ref, nc_local_moran_and_getis) { check_local("nc"); }
TEST(spatial_ref, columbus_local_moran_and_getis) { check_local("columbus"); }

/* Missing values: spdep's moran.test(na.action = na.omit) subsets the weights with
 * subset.nb and re-standardises; wb_weights_subset does the same. */
static void check_na(const char *name)
{
    char f[64];
    snprintf(f, sizeof f, "%s_moran_na.csv", name);
    ref_csv c;
    ref_csv_read(&c, f);
    const char *var = ref_str(&c, 0, ref_col(&c, "var"));
    const char *ws = "queen_W";
    int adj = 1;
    size_t n;
    double *x = ref_values(name, var, &n);
    unsigned char *keep = malloc(n);
    memset(keep, 1, n);
    char drop[256];
    snprintf(drop, sizeof drop, "%s", ref_str(&c, 0, ref_col(&c, "dropped")));
    for (char *t = strtok(drop, " "); t; t = strtok(NULL, " "))
        keep[atoi(t) - 1] = 0;
    wb_weights w = WB_WEIGHTS_INIT, ws_ = WB_WEIGHTS_INIT;
    weights_of(&w, name, ws);
    WB_PASS(wb_weights_subset(&ws_, &w, keep));
    double *xs = malloc(n * sizeof *xs);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            xs[m++] = x[i];
    ASSERT_EQ_I(ws_.n, m);
    wb_moran_result r;
    WB_PASS(wb_moran_global(&r, &ws_, xs, NULL));
    EXPECT("I", r.I, ref_num(&c, 0, ref_col(&c, "I")));
    EXPECT("E_I", r.E_I, ref_num(&c, 0, ref_col(&c, "E_I")));
    EXPECT("var_norm", r.var_norm, ref_num(&c, 0, ref_col(&c, "var_norm")));
    EXPECT("var_rand", r.var_rand, ref_num(&c, 0, ref_col(&c, "var_rand")));
    EXPECT("z_rand", r.z_rand, ref_num(&c, 0, ref_col(&c, "z_rand")));
    EXPECT("p_rand", r.p_rand, ref_num(&c, 0, ref_col(&c, "p_rand")));
    free(xs);
    free(keep);
    free(x);
    wb_weights_dispose(&w);
    wb_weights_dispose(&ws_);
    ref_csv_free(&c);
}

TEST(spatial_ref, nc_moran_with_missing_values_subsets_weights) { check_na("nc"); }
TEST(spatial_ref, columbus_moran_with_missing_values_subsets_weights) { check_na("columbus"); }
