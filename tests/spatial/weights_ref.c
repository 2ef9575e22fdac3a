/**
 * @file
 * @brief Spatial weights equal to spdep's neighbour lists (fixtures from
 * tests/reference/spdep/fixtures.R, spdep 1.2-7): queen/rook contiguity with the default
 * and a 0.05 snap, k = 4 nearest neighbours and two distance bands, on NC SIDS (100
 * counties) and Columbus (49). Neighbour lists must be identical, link by link.
 */
#include <math.h>
#include <stdlib.h>

#include "spatial/refdata.h"
#include "test.h"

/* Compare the links of @p w with <name>_nb_<nb>.csv (1-based i,j pairs, file order). */
static void expect_same_links(const wb_weights *w, const char *name, const char *nb)
{
    char f[128];
    snprintf(f, sizeof f, "%s_nb_%s.csv", name, nb);
    ref_csv c;
    ref_csv_read(&c, f);
    size_t ci = ref_col(&c, "i"), cj = ref_col(&c, "j");
    ASSERT_MSG(w->nlinks == c.nrows, "%s %s: %zu links, spdep has %zu", name, nb, w->nlinks, c.nrows);
    /* spdep's nb lists are sorted per row and rows come in order: so are ours */
    for (size_t r = 0; r < c.nrows; r++) {
        size_t i = (size_t)ref_num(&c, r, ci) - 1, j = (size_t)ref_num(&c, r, cj) - 1;
        ASSERT_MSG(w->row[i] <= r && r < w->row[i + 1] && w->col[r] == j,
                   "%s %s: link %zu (%zu -> %zu) differs from spdep", name, nb, r + 1, i + 1, j + 1);
    }
    ref_csv_free(&c);
}

static void check(const char *name, const char *nb)
{
    wb_weights w = WB_WEIGHTS_INIT;
    ref_weights(&w, name, nb, WB_STYLE_B);
    expect_same_links(&w, name, nb);
    wb_weights_dispose(&w);
}

TEST(spatial_ref, nc_queen) { check("nc", "queen"); }
TEST(spatial_ref, nc_rook) { check("nc", "rook"); }
TEST(spatial_ref, nc_queen_snap) { check("nc", "queen_snap"); }
TEST(spatial_ref, nc_rook_snap) { check("nc", "rook_snap"); }
TEST(spatial_ref, nc_knn4) { check("nc", "knn4"); }
TEST(spatial_ref, nc_dist_band_with_islands) { check("nc", "dist"); }
TEST(spatial_ref, nc_dist_band_lower_exclusive) { check("nc", "dist_gt"); }
TEST(spatial_ref, columbus_queen) { check("columbus", "queen"); }
TEST(spatial_ref, columbus_rook) { check("columbus", "rook"); }
TEST(spatial_ref, columbus_queen_snap) { check("columbus", "queen_snap"); }
TEST(spatial_ref, columbus_rook_snap) { check("columbus", "rook_snap"); }
TEST(spatial_ref, columbus_knn4) { check("columbus", "knn4"); }
TEST(spatial_ref, columbus_dist_band_with_islands) { check("columbus", "dist"); }
TEST(spatial_ref, columbus_dist_band_lower_exclusive) { check("columbus", "dist_gt"); }

/* snap = 0 (exact coordinates) takes the sorted-vertex path instead of the grid: the
 * shapefiles share boundary vertices exactly, so the lists equal spdep's default-snap ones. */
TEST(spatial_ref, exact_snap_zero_equals_default_snap)
{
    const char *names[] = {"nc", "columbus"};
    for (int k = 0; k < 2; k++) {
        wb_layer l = WB_LAYER_INIT;
        ref_layer(&l, names[k]);
        for (int rook = 0; rook < 2; rook++) {
            wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
            o.type = rook ? WB_WEIGHTS_ROOK : WB_WEIGHTS_QUEEN;
            o.snap = 0;
            wb_weights w = WB_WEIGHTS_INIT;
            WB_PASS(wb_weights_from_geoms(&w, l.geoms, l.n, &o));
            expect_same_links(&w, names[k], rook ? "rook" : "queen");
            wb_weights_dispose(&w);
        }
        wb_layer_dispose(&l);
    }
}

/* wb_geom_centroid against sf::st_centroid (GEOS) on the same polygons: both are the
 * area-weighted centroid, so they agree to rounding (tolerance 1e-9 relative). */
TEST(spatial_ref, centroids_equal_sf)
{
    const char *names[] = {"nc", "columbus"};
    for (int k = 0; k < 2; k++) {
        wb_layer l = WB_LAYER_INIT;
        ref_layer(&l, names[k]);
        size_t n;
        wb_point *p = ref_coords(names[k], &n);
        ASSERT_EQ_I(n, l.n);
        for (size_t i = 0; i < n; i++) {
            wb_point c = wb_geom_centroid(&l.geoms[i]);
            ASSERT_MSG(ref_close(c.x, p[i].x, 1e-9) && ref_close(c.y, p[i].y, 1e-9),
                       "%s area %zu: centroid (%.17g, %.17g), sf (%.17g, %.17g)", names[k], i + 1,
                       c.x, c.y, p[i].x, p[i].y);
        }
        free(p);
        wb_layer_dispose(&l);
    }
}

/* Row-standardised weights are 1/k per row, binary 1 (nb2listw), and the summary counts
 * islands: the 0.9-quantile band leaves 10 NC counties without a neighbour (fixture). */
TEST(spatial_ref, styles_and_summary)
{
    wb_weights w = WB_WEIGHTS_INIT;
    ref_weights(&w, "nc", "dist", WB_STYLE_W);
    wb_weights_summary s;
    wb_weights_summarize(&s, &w);
    ASSERT_EQ_I(s.n, 100);
    ASSERT_EQ_I(s.nlinks, 184);
    ASSERT_EQ_I(s.islands, 10);
    ASSERT_EQ_I(s.min_neighbours, 0);
    ASSERT(s.symmetric);
    for (size_t i = 0; i < w.n; i++) {
        size_t k = w.row[i + 1] - w.row[i];
        for (size_t e = w.row[i]; e < w.row[i + 1]; e++)
            ASSERT_CLOSE(w.w[e], 1.0 / (double)k, 0);
    }
    wb_weights_set_style(&w, WB_STYLE_B);
    for (size_t e = 0; e < w.nlinks; e++)
        ASSERT_CLOSE(w.w[e], 1.0, 0);
    wb_weights_dispose(&w);
    ref_weights(&w, "nc", "knn4", WB_STYLE_W);
    wb_weights_summarize(&s, &w);
    ASSERT_EQ_I(s.min_neighbours, 4);
    ASSERT_EQ_I(s.max_neighbours, 4);
    ASSERT(!s.symmetric); /* kNN is asymmetric on NC */
    wb_weights_dispose(&w);
}
