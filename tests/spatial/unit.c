/**
 * @file
 * @brief Spatial weights and statistics on small hand-made cases whose answers are worked
 * out in the comments, and the bad-input contract of the library functions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* An axis-aligned rectangle as a closed ring (5 points, counter-clockwise). */
static void rect(wb_geom *g, double x0, double y0, double x1, double y1)
{
    wb_geom e = WB_GEOM_INIT;
    *g = e;
    g->npts = 5;
    g->pts = malloc(5 * sizeof *g->pts);
    wb_point p[5] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    memcpy(g->pts, p, sizeof p);
    g->nrings = 1;
    g->ring_off = malloc(2 * sizeof(size_t));
    g->ring_off[0] = 0;
    g->ring_off[1] = 5;
    g->npolys = 1;
    g->poly_off = malloc(2 * sizeof(size_t));
    g->poly_off[0] = 0;
    g->poly_off[1] = 1;
    wb_geom_update_bbox(g);
}

static void free_geoms(wb_geom *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].pts);
        free(g[i].ring_off);
        free(g[i].poly_off);
    }
}

static size_t degree(const wb_weights *w, size_t i)
{
    return w->row[i + 1] - w->row[i];
}

/* 3 x 3 grid of 100 m squares, numbered row by row:
 *   6 7 8
 *   3 4 5
 *   0 1 2
 * Queen: corners have 3 neighbours, edges 5, the centre 8: 4*3 + 4*5 + 8 = 40 links.
 * Rook: corners 2, edges 3, centre 4: 4*2 + 4*3 + 4 = 24 links; diagonal cells share one
 * corner point, so they are queen but not rook neighbours. */
TEST(spatial_unit, grid3x3_queen_and_rook)
{
    wb_geom g[9];
    for (int k = 0; k < 9; k++)
        rect(&g[k], (k % 3) * 100.0, (k / 3) * 100.0, (k % 3 + 1) * 100.0, (k / 3 + 1) * 100.0);
    for (int snap0 = 0; snap0 < 2; snap0++) {
        wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
        o.snap = snap0 ? 0 : o.snap;
        o.style = WB_STYLE_B;
        wb_weights q = WB_WEIGHTS_INIT, r = WB_WEIGHTS_INIT;
        WB_PASS(wb_weights_from_geoms(&q, g, 9, &o));
        o.type = WB_WEIGHTS_ROOK;
        WB_PASS(wb_weights_from_geoms(&r, g, 9, &o));
        ASSERT_EQ_I(q.nlinks, 40);
        ASSERT_EQ_I(r.nlinks, 24);
        ASSERT_EQ_I(degree(&q, 0), 3);
        ASSERT_EQ_I(degree(&q, 1), 5);
        ASSERT_EQ_I(degree(&q, 4), 8);
        ASSERT_EQ_I(degree(&r, 0), 2);
        ASSERT_EQ_I(degree(&r, 1), 3);
        ASSERT_EQ_I(degree(&r, 4), 4);
        /* centre's rook neighbours 1, 3, 5, 7 in ascending order */
        uint32_t want[] = {1, 3, 5, 7};
        ASSERT(memcmp(r.col + r.row[4], want, sizeof want) == 0);
        wb_weights_dispose(&q);
        wb_weights_dispose(&r);
    }
    free_geoms(g, 9);
}

/* Two squares 0.5 m apart: neighbours only when snap >= 0.5 (corners (100, 0) and
 * (100.5, 0) are 0.5 apart; every other pair is farther). */
TEST(spatial_unit, snap_tolerance)
{
    wb_geom g[2];
    rect(&g[0], 0, 0, 100, 100);
    rect(&g[1], 100.5, 0, 200, 100);
    double snaps[] = {0.4, 0.49, 0.5, 0.6};
    size_t links[] = {0, 0, 2, 2};
    for (int k = 0; k < 4; k++) {
        wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
        o.snap = snaps[k];
        o.type = WB_WEIGHTS_ROOK; /* two corner pairs are within the snap: rook too */
        wb_weights w = WB_WEIGHTS_INIT;
        WB_PASS(wb_weights_from_geoms(&w, g, 2, &o));
        ASSERT_EQ_I(w.nlinks, links[k]);
        wb_weights_dispose(&w);
    }
    free_geoms(g, 2);
}

/* Points on a line at x = 0, 1, 2, 3, 10. k = 1: point 1 is at distance 1 from both 0 and
 * 2: the tie goes to the lower index (0), as in spdep's knearneigh; point 2 -> 1; point
 * 3 -> 2; point 4 (x = 10) -> 3. k = 2 for point 4: 3 (7) and 2 (8). */
TEST(spatial_unit, knn_ties_go_to_the_lower_index)
{
    wb_point p[5] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {10, 0}};
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_KNN;
    o.k = 1;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w, p, 5, &o));
    uint32_t want[] = {1, 0, 1, 2, 3};
    ASSERT(memcmp(w.col, want, sizeof want) == 0);
    wb_weights_dispose(&w);
    o.k = 2;
    WB_PASS(wb_weights_from_points(&w, p, 5, &o));
    ASSERT_EQ_I(w.col[w.row[4]], 2);
    ASSERT_EQ_I(w.col[w.row[4] + 1], 3);
    ASSERT_CLOSE(w.w[0], 0.5, 0);
    wb_weights_dispose(&w);
}

/* Distance band bounds: points at 0, 1, 2, 3 on a line. Band [1, 2]: lower <= d <= upper
 * (spdep 1.2 "GE","LE"): point 0 -> 1, 2; with lower exclusive (1 < d <= 2): 0 -> 2. */
TEST(spatial_unit, distance_band_bounds)
{
    wb_point p[4] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_DISTANCE;
    o.lower = 1;
    o.upper = 2;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w, p, 4, &o));
    ASSERT_EQ_I(degree(&w, 0), 2);
    ASSERT_EQ_I(w.nlinks, 2 + 3 + 3 + 2);
    wb_weights_dispose(&w);
    o.lower_exclusive = 1;
    WB_PASS(wb_weights_from_points(&w, p, 4, &o));
    ASSERT_EQ_I(degree(&w, 0), 1);
    ASSERT_EQ_I(w.col[0], 2);
    ASSERT_EQ_I(w.nlinks, 1 + 1 + 1 + 1);
    wb_weights_dispose(&w);
}

/* subset.nb: dropping the centre of the 3x3 rook grid leaves 8 areas with 4 * 2 + 4 * 2
 * = 16 links (the edge cells lose the centre); re-standardised to 1/2. include_self on
 * the result: 16 + 8 links, W weights 1/3. */
TEST(spatial_unit, subset_and_include_self)
{
    wb_geom g[9];
    for (int k = 0; k < 9; k++)
        rect(&g[k], (k % 3) * 100.0, (k / 3) * 100.0, (k % 3 + 1) * 100.0, (k / 3 + 1) * 100.0);
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_ROOK;
    wb_weights w = WB_WEIGHTS_INIT, s = WB_WEIGHTS_INIT, t = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_geoms(&w, g, 9, &o));
    unsigned char keep[9] = {1, 1, 1, 1, 0, 1, 1, 1, 1};
    WB_PASS(wb_weights_subset(&s, &w, keep));
    ASSERT_EQ_I(s.n, 8);
    ASSERT_EQ_I(s.nlinks, 16);
    for (size_t e = 0; e < s.nlinks; e++)
        ASSERT_CLOSE(s.w[e], 0.5, 0);
    /* old 5 is new 4: neighbours old 2, 8 -> new 2, 7 */
    ASSERT_EQ_I(s.col[s.row[4]], 2);
    ASSERT_EQ_I(s.col[s.row[4] + 1], 7);
    WB_PASS(wb_weights_include_self(&t, &s));
    ASSERT_EQ_I(t.nlinks, 24);
    ASSERT(t.self_included);
    ASSERT_EQ_I(t.col[t.row[4] + 1], 4); /* self in sorted place: 2, 4, 7 */
    ASSERT_CLOSE(t.w[0], 1.0 / 3, 1e-16);
    wb_weights_dispose(&w);
    WB_FAILS(WB_EINVALID, wb_weights_include_self(&w, &t));
    unsigned char none[8] = {0};
    WB_FAILS(WB_EINVALID, wb_weights_subset(&w, &s, none));
    wb_weights_dispose(&s);
    wb_weights_dispose(&t);
    free_geoms(g, 9);
}

/* Moran's I by hand: 4 areas on a line (rook chain 0-1-2-3), B weights, x = 1, 2, 3, 4.
 * z = -1.5, -0.5, 0.5, 1.5; z'z = 5; links 0-1, 1-2, 2-3 both ways: S0 = 6;
 * z'Wz = 2 * (0.75 - 0.25 + 0.75) = 2.5; I = (4 / 6) * 2.5 / 5 = 1/3; E[I] = -1/3.
 * S1 = 0.5 * sum (w_ij + w_ji)^2 = 0.5 * 6 * 4 = 12; row sums 1, 2, 2, 1, S2 = sum (2 r)^2
 * = 4 + 16 + 16 + 4 = 40; Var_N = (16 * 12 - 4 * 40 + 3 * 36) / (36 * 15) - 1/9
 * = 140 / 540 - 60 / 540 = 80 / 540 = 4/27. */
TEST(spatial_unit, moran_by_hand)
{
    wb_point p[4] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_DISTANCE;
    o.upper = 1;
    o.style = WB_STYLE_B;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w, p, 4, &o));
    double x[4] = {1, 2, 3, 4};
    wb_moran_result m;
    WB_PASS(wb_moran_global(&m, &w, x, NULL));
    ASSERT_CLOSE(m.I, 1.0 / 3, 1e-15);
    ASSERT_CLOSE(m.E_I, -1.0 / 3, 1e-15);
    ASSERT_CLOSE(m.S0, 6, 0);
    ASSERT_CLOSE(m.S1, 12, 0);
    ASSERT_CLOSE(m.S2, 40, 0);
    ASSERT_CLOSE(m.var_norm, 4.0 / 27, 1e-15);
    ASSERT_CLOSE(m.z_norm, (2.0 / 3) / sqrt(4.0 / 27), 1e-14);
    /* all 4! = 24 orderings are equally likely; the permutation p can only take values
     * (M + 1) / (N + 1) and here M >= 1 is certain to occur over 999 draws */
    wb_moran_opts mo = WB_MORAN_OPTS_INIT;
    mo.permutations = 999;
    WB_PASS(wb_moran_global(&m, &w, x, &mo));
    ASSERT(m.perm_ge >= 1 && m.perm_ge < 999);
    ASSERT_CLOSE(m.p_perm, (m.perm_ge + 1) / 1000.0, 0);
    wb_weights_dispose(&w);
}

/* Local Moran by hand on the same chain, W weights: lags of z: -0.5, -0.5 (= (-1.5 + 0.5)
 * / 2), 0.5, 0.5; m2 = 5 / 4; I_0 = (-1.5 / 1.25) * -0.5 = 0.6. Islands: a fifth point
 * far away (x = 100) has no neighbour: Ii = 0, E = Var = 0, z and p NaN, cluster island.
 * A value equal to the mean gives z NaN and p = 1 (Ii = 0 under every permutation). */
TEST(spatial_unit, local_moran_by_hand_islands_and_degenerate)
{
    wb_point p[5] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {100, 0}};
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_DISTANCE;
    o.upper = 1;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w, p, 5, &o));
    double x[5] = {1, 2, 3, 4, 2.5}; /* mean 2.5: area 4 (the island) sits at the mean */
    double Ii[5], E[5], V[5], z[5], pv[5], pp[5];
    int cl[5];
    wb_lisa_out out = {Ii, E, V, z, pv, pp, NULL, NULL, cl};
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.permutations = 99;
    WB_PASS(wb_lisa_local_moran(&out, &w, x, &lo));
    /* z = -1.5, -0.5, 0.5, 1.5, 0; m2 = 5 / 5 = 1; lag_0 = z_1 = -0.5 -> I_0 = 0.75 */
    ASSERT_CLOSE(Ii[0], 0.75, 1e-15);
    ASSERT_CLOSE(Ii[4], 0, 0);
    ASSERT_CLOSE(E[4], 0, 0);
    ASSERT_CLOSE(V[4], 0, 0);
    ASSERT(isnan(z[4]) && isnan(pv[4]) && isnan(pp[4]));
    ASSERT_EQ_I(cl[4], WB_LISA_ISLAND);
    ASSERT_EQ_S(wb_lisa_cluster_name(WB_LISA_ISLAND), "island");
    wb_weights_dispose(&w);
    /* degenerate: a value at the mean with neighbours */
    wb_point q[4] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    WB_PASS(wb_weights_from_points(&w, q, 4, &o));
    double y[4] = {1, 2.5, 3, 3.5}; /* mean 2.5 */
    WB_PASS(wb_lisa_local_moran(&out, &w, y, &lo));
    ASSERT_CLOSE(Ii[1], 0, 0);
    ASSERT(isnan(z[1]));
    ASSERT_CLOSE(pv[1], 1, 0);
    ASSERT_CLOSE(pp[1], 1, 0);
    ASSERT_EQ_I(cl[1], WB_LISA_NS);
    wb_weights_dispose(&w);
}

/* Benjamini-Hochberg by hand: p = 0.01, 0.04, 0.03, 0.005 -> sorted 0.005, 0.01, 0.03,
 * 0.04 times m / rank = 0.02, 0.02, 0.04, 0.04, running minimum from the top:
 * adjusted 0.02, 0.04, 0.04, 0.02 (as R's p.adjust(p, "BH")). NaN stays NaN. */
TEST(spatial_unit, benjamini_hochberg)
{
    double p[5] = {0.01, 0.04, NAN, 0.03, 0.005}, q[5];
    WB_PASS(wb_p_adjust_bh(q, p, 5));
    ASSERT_CLOSE(q[0], 0.02, 1e-17);
    ASSERT_CLOSE(q[1], 0.04, 1e-17);
    ASSERT(isnan(q[2]));
    ASSERT_CLOSE(q[3], 0.04, 1e-17);
    ASSERT_CLOSE(q[4], 0.02, 1e-17);
}

TEST(spatial_unit, bad_input)
{
    wb_point p[4] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    wb_weights w = WB_WEIGHTS_INIT;
    o.type = WB_WEIGHTS_KNN;
    o.k = 4;
    WB_FAILS(WB_EINVALID, wb_weights_from_points(&w, p, 4, &o));
    o.k = 0;
    WB_FAILS(WB_EINVALID, wb_weights_from_points(&w, p, 4, &o));
    o.type = WB_WEIGHTS_DISTANCE;
    o.upper = 0;
    WB_FAILS(WB_EINVALID, wb_weights_from_points(&w, p, 4, &o));
    o.upper = 1;
    o.lower = 2;
    WB_FAILS(WB_EINVALID, wb_weights_from_points(&w, p, 4, &o));
    o.lower = 0;
    o.type = WB_WEIGHTS_QUEEN;
    WB_FAILS(WB_EINVALID, wb_weights_from_points(&w, p, 4, &o));
    o.type = WB_WEIGHTS_DISTANCE;
    p[2].x = NAN;
    WB_FAILS(WB_EINVALID, wb_weights_from_points(&w, p, 4, &o));
    ASSERT(strstr(wb_error_last()->message, "point 2 has a non-finite coordinate") != NULL);
    p[2].x = 2;
    WB_PASS(wb_weights_from_points(&w, p, 4, &o));
    double x[4] = {1, 2, 3, 4};
    wb_moran_result m;
    /* non-finite value */
    x[1] = NAN;
    WB_FAILS(WB_EINVALID, wb_moran_global(&m, &w, x, NULL));
    ASSERT(strstr(wb_error_last()->message, "value 2 is not a finite number") != NULL);
    x[1] = 2;
    /* n too small for the randomisation variance */
    wb_weights w3 = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w3, p, 3, &o));
    WB_FAILS(WB_EINVALID, wb_moran_global(&m, &w3, x, NULL));
    /* no links at all */
    o.upper = 0.5;
    wb_weights w0 = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w0, p, 4, &o));
    WB_FAILS(WB_EINVALID, wb_moran_global(&m, &w0, x, NULL));
    ASSERT(strstr(wb_error_last()->message, "none of the 4 areas has a neighbour") != NULL);
    /* Gi of islands: G 0, z NaN; Gi* still defined (self) */
    double G[4], z[4];
    WB_PASS(wb_getis_ord(G, z, NULL, &w0, x, 0));
    ASSERT(isnan(z[0]) && G[0] == 0);
    WB_PASS(wb_getis_ord(G, z, NULL, &w0, x, 1));
    ASSERT(!isnan(z[0]));
    /* alpha out of range */
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.alpha = 0;
    double Ii[4];
    wb_lisa_out out = {Ii, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    WB_FAILS(WB_EINVALID, wb_lisa_local_moran(&out, &w, x, &lo));
    wb_weights_dispose(&w);
    wb_weights_dispose(&w3);
    wb_weights_dispose(&w0);
    /* names */
    wb_weights_type t;
    WB_PASS(wb_weights_type_parse(&t, "Rook"));
    ASSERT_EQ_I(t, WB_WEIGHTS_ROOK);
    WB_FAILS(WB_EINVALID, wb_weights_type_parse(&t, "bishop"));
    wb_weights_style s;
    WB_PASS(wb_weights_style_parse(&s, "b"));
    ASSERT_EQ_I(s, WB_STYLE_B);
    WB_FAILS(WB_EINVALID, wb_weights_style_parse(&s, "S"));
}

/* Failing allocations anywhere in weights and statistics give WB_ENOMEM, never a crash
 * or a leak (ASan/LSan check the latter). */
TEST(spatial_unit, out_of_memory_is_reported)
{
    wb_geom g[9];
    for (int k = 0; k < 9; k++)
        rect(&g[k], (k % 3) * 100.0, (k / 3) * 100.0, (k % 3 + 1) * 100.0, (k / 3 + 1) * 100.0);
    double x[9] = {3, 1, 4, 1, 5, 9, 2, 6, 5};
    for (long fail = 0; fail < 40; fail++) {
        wb_weights w = WB_WEIGHTS_INIT;
        wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
        wb_alloc_fail_after(fail);
        int rc = wb_weights_from_geoms(&w, g, 9, &o);
        wb_alloc_fail_after(-1);
        ASSERT(rc == 0 || rc == WB_ENOMEM);
        if (rc < 0)
            continue;
        wb_moran_opts mo = WB_MORAN_OPTS_INIT;
        mo.permutations = 9;
        mo.threads = 2;
        wb_moran_result m;
        double Ii[9], pp[9];
        int cl[9];
        wb_lisa_out out = {Ii, NULL, NULL, NULL, NULL, pp, NULL, NULL, cl};
        wb_lisa_opts lo = WB_LISA_OPTS_INIT;
        lo.permutations = 9;
        lo.threads = 2;
        lo.fdr = 1;
        for (long f2 = 0; f2 < 30; f2++) {
            wb_alloc_fail_after(f2);
            int r1 = wb_moran_global(&m, &w, x, &mo);
            int r2 = wb_lisa_local_moran(&out, &w, x, &lo);
            int r3 = wb_getis_ord(Ii, pp, NULL, &w, x, 1);
            wb_alloc_fail_after(-1);
            ASSERT(r1 == 0 || r1 == WB_ENOMEM);
            ASSERT(r2 == 0 || r2 == WB_ENOMEM);
            ASSERT(r3 == 0 || r3 == WB_ENOMEM);
        }
        wb_weights_dispose(&w);
    }
    free_geoms(g, 9);
}
