/**
 * @file
 * @brief Third reference: the real 2014 CBS buurt polygons of ../shared/data as wijkbeeld
 * stores them ('import geo': own TopoJSON decoder, RD New, cleaned rings; 10,410 of 11,691
 * buurten keep a polygon), against spdep on the same polygons exported with 'export gpkg'
 * (fixtures from tests/reference/spdep/buurt2014.R). Skipped when the shared data are absent.
 *
 * Checked, within 1e-9 relative where numbers: queen and rook lists (70,252 and 51,470
 * links, 2 islands); kNN(4) and a 2 km distance band (851 islands) on R's centroids; the
 * centroids of the 9,934 valid polygons (for the 476 self-intersecting ones GEOS orients
 * rings by its isCCW test, wijkbeeld by the signed area, and the centroids can differ);
 * Moran's I (all keys) for queen, kNN and the band; local Moran and Gi* of every area;
 * queen statistics through wb_spatial_load on a synthetic indicator stored for 2014, and
 * the moran command on that store.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/refdata.h"
#include "test.h"

#define NB 10410

/* A store with the imported buurten of 2014 and the fixture's synthetic values as
 * indicator "synth" for 2014. */
static wb_store *buurt_store(void)
{
    const char *src = wbt_shared("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("b.db"), WB_STORE_CREATE));
    wb_geo_opts go = WB_GEO_OPTS_INIT;
    go.year = 2014;
    wb_geo_summary gs;
    WB_PASS(wb_geo_import(st, src, &go, &gs));
    ASSERT_EQ_I(gs.imported, NB);
    ref_csv v;
    ref_csv_read(&v, "buurt2014_values.csv.gz");
    ASSERT_EQ_I(v.nrows, NB);
    WB_PASS(wb_store_begin(st));
    wb_indicator in = {0};
    in.key = "synth";
    int64_t ind;
    WB_PASS(wb_store_indicator_put(st, &ind, &in));
    for (size_t r = 0; r < v.nrows; r++) {
        int64_t id;
        WB_PASS(wb_store_area_find(st, &id, ref_str(&v, r, 0), 2014));
        WB_PASS(wb_store_obs_put(st, ind, id, 2014, ref_num(&v, r, 3)));
    }
    WB_PASS(wb_store_commit(st));
    ref_csv_free(&v);
    return st;
}

/* Fixture rows are in the GeoPackage's order; map them to layer positions by code. */
static size_t *fixture_to_layer(const wb_layer *l)
{
    ref_csv v;
    ref_csv_read(&v, "buurt2014_values.csv.gz");
    size_t *map = malloc(v.nrows * sizeof *map);
    for (size_t r = 0; r < v.nrows; r++) {
        size_t lo = 0, hi = l->n;
        const char *code = ref_str(&v, r, 0);
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(l->codes[mid], code) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        ASSERT_MSG(lo < l->n && !strcmp(l->codes[lo], code), "%s not in the layer", code);
        map[r] = lo;
    }
    ref_csv_free(&v);
    return map;
}

static int has_link(const wb_weights *w, size_t i, size_t j)
{
    for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
        if (w->col[e] == j)
            return 1;
    return 0;
}

/* The links of @p w (layer order) equal the fixture's (fixture order, via @p map). */
static void expect_links(const wb_weights *w, const size_t *map, const char *file)
{
    ref_csv c;
    ref_csv_read(&c, file);
    ASSERT_MSG(w->nlinks == c.nrows, "%s: %zu links, spdep %zu", file, w->nlinks, c.nrows);
    for (size_t r = 0; r < c.nrows; r++) {
        size_t i = map[(size_t)ref_num(&c, r, 0) - 1], j = map[(size_t)ref_num(&c, r, 1) - 1];
        ASSERT_MSG(has_link(w, i, j), "%s: link %zu (%zu -> %zu) missing", file, r + 1, i, j);
    }
    ref_csv_free(&c);
}

TEST(spatial_buurt2014, contiguity_of_the_stored_polygons_equals_spdep)
{
    wb_store *st = buurt_store();
    wb_layer l = WB_LAYER_INIT;
    WB_PASS(wb_store_layer_load(st, &l, WB_LEVEL_BUURT, 2014));
    ASSERT_EQ_I(l.n, NB);
    size_t *map = fixture_to_layer(&l);
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_geoms(&w, l.geoms, l.n, &o));
    expect_links(&w, map, "buurt2014_nb_queen.csv.gz");
    wb_weights_summary s;
    wb_weights_summarize(&s, &w);
    ASSERT_EQ_I(s.islands, 2);
    wb_weights_dispose(&w);
    o.type = WB_WEIGHTS_ROOK;
    WB_PASS(wb_weights_from_geoms(&w, l.geoms, l.n, &o));
    expect_links(&w, map, "buurt2014_nb_rook.csv.gz");
    wb_weights_dispose(&w);
    /* centroids of the valid polygons: wb_geom_centroid against sf (GEOS), 1e-9 relative
     * (1e-4 m at RD scale) */
    ref_csv v;
    ref_csv_read(&v, "buurt2014_values.csv.gz");
    size_t valid = 0;
    wb_point *pts = malloc(l.n * sizeof *pts); /* R's centroids in layer order */
    for (size_t r = 0; r < v.nrows; r++) {
        pts[map[r]].x = ref_num(&v, r, 1);
        pts[map[r]].y = ref_num(&v, r, 2);
        if (!ref_num(&v, r, ref_col(&v, "valid")))
            continue;
        valid++;
        wb_point c = wb_geom_centroid(&l.geoms[map[r]]);
        ASSERT_MSG(ref_close(c.x, ref_num(&v, r, 1), 1e-9) && ref_close(c.y, ref_num(&v, r, 2), 1e-9),
                   "%s: centroid differs from sf", ref_str(&v, r, 0));
    }
    ASSERT_EQ_I(valid, NB - 476);
    /* kNN and distance band on the same centroids as spdep */
    o.type = WB_WEIGHTS_KNN;
    o.k = 4;
    WB_PASS(wb_weights_from_points(&w, pts, l.n, &o));
    expect_links(&w, map, "buurt2014_nb_knn4.csv.gz");
    wb_weights_dispose(&w);
    o.type = WB_WEIGHTS_DISTANCE;
    o.upper = 2000;
    WB_PASS(wb_weights_from_points(&w, pts, l.n, &o));
    expect_links(&w, map, "buurt2014_nb_dist2000.csv.gz");
    wb_weights_summarize(&s, &w);
    ASSERT_EQ_I(s.islands, 851);
    wb_weights_dispose(&w);
    free(pts);
    ref_csv_free(&v);
    free(map);
    wb_layer_dispose(&l);
    wb_store_free(st);
}

TEST(spatial_buurt2014, statistics_from_the_store_equal_spdep)
{
    wb_store *st = buurt_store();
    ref_csv m;
    ref_csv_read(&m, "buurt2014_moran.csv.gz");
    const char *keys[] = {"I", "E_I", "var_norm", "z_norm", "p_norm", "var_rand", "z_rand", "p_rand"};
    for (size_t r = 0; r < m.nrows; r++) {
        const char *ws = ref_str(&m, r, 0);
        wb_spatial_query q = WB_SPATIAL_QUERY_INIT;
        q.indicator = "synth";
        q.year = 2014;
        q.level = WB_LEVEL_BUURT;
        q.weights.type = !strcmp(ws, "queen") ? WB_WEIGHTS_QUEEN
                         : !strcmp(ws, "knn4") ? WB_WEIGHTS_KNN
                                               : WB_WEIGHTS_DISTANCE;
        q.weights.k = 4;
        q.weights.upper = 2000;
        wb_spatial_data d = WB_SPATIAL_DATA_INIT;
        WB_PASS(wb_spatial_load(&d, st, &q));
        ASSERT_EQ_I(d.n, NB);
        ASSERT_EQ_I(d.n_missing + d.n_no_value + d.n_no_geometry, 0);
        if (q.weights.type != WB_WEIGHTS_QUEEN) {
            /* point weights on sf's centroids (see above), in layer order */
            size_t *map = fixture_to_layer(&d.layer);
            ref_csv v;
            ref_csv_read(&v, "buurt2014_values.csv.gz");
            wb_point *pts = malloc(NB * sizeof *pts);
            for (size_t k = 0; k < v.nrows; k++) {
                pts[map[k]].x = ref_num(&v, k, 1);
                pts[map[k]].y = ref_num(&v, k, 2);
            }
            wb_weights_dispose(&d.w);
            WB_PASS(wb_weights_from_points(&d.w, pts, NB, &q.weights));
            free(pts);
            free(map);
            ref_csv_free(&v);
        }
        wb_moran_result mr;
        WB_PASS(wb_moran_global(&mr, &d.w, d.x, NULL));
        double got[] = {mr.I, mr.E_I, mr.var_norm, mr.z_norm, mr.p_norm, mr.var_rand, mr.z_rand, mr.p_rand};
        for (size_t k = 0; k < 8; k++) {
            double ref = ref_num(&m, r, ref_col(&m, keys[k]));
            ASSERT_MSG(ref_close(got[k], ref, 1e-9), "%s %s = %.17g, spdep %.17g", ws, keys[k], got[k], ref);
        }
        if (r == 0) { /* queen: local statistics of every area */
            ASSERT_EQ_S(ws, "queen");
            size_t *map = fixture_to_layer(&d.layer);
            size_t n = d.n;
            double *Ii = malloc(n * 8), *E = malloc(n * 8), *V = malloc(n * 8), *z = malloc(n * 8),
                   *Gz = malloc(n * 8);
            wb_lisa_out out = {Ii, E, V, z, NULL, NULL, NULL, NULL, NULL};
            WB_PASS(wb_lisa_local_moran(&out, &d.w, d.x, NULL));
            wb_weights_set_style(&d.w, WB_STYLE_B);
            WB_PASS(wb_getis_ord(NULL, Gz, NULL, &d.w, d.x, 1));
            ref_csv c;
            ref_csv_read(&c, "buurt2014_local.csv.gz");
            for (size_t k = 0; k < c.nrows; k++) {
                size_t i = map[k]; /* all areas analysed: layer index = data index */
                ASSERT_MSG(ref_close(Ii[i], ref_num(&c, k, 1), 1e-9), "%s Ii", d.layer.codes[i]);
                ASSERT_MSG(ref_close(E[i], ref_num(&c, k, 2), 1e-9), "%s E_Ii", d.layer.codes[i]);
                ASSERT_MSG(ref_close(V[i], ref_num(&c, k, 3), 1e-9), "%s Var_Ii", d.layer.codes[i]);
                ASSERT_MSG(ref_close(z[i], ref_num(&c, k, 4), 1e-9), "%s z", d.layer.codes[i]);
                ASSERT_MSG(ref_close(Gz[i], ref_num(&c, k, 5), 1e-9), "%s Gi* z", d.layer.codes[i]);
            }
            ref_csv_free(&c);
            free(Ii), free(E), free(V), free(z), free(Gz), free(map);
        }
        wb_spatial_data_dispose(&d);
    }
    wb_store_free(st);
    /* the command on the same store */
    wbt_run_result r = wbt_run(NULL, "--db b.db moran --indicator synth --level buurt --year 2014 "
                                     "--permutations 99 --format json");
    ASSERT_EQ_I(r.status, 0);
    const char *p = strstr(r.out, "\"I\": ");
    ASSERT(p);
    ASSERT(ref_close(strtod(p + 5, NULL), ref_num(&m, 0, ref_col(&m, "I")), 1e-9));
    ASSERT(strstr(r.err, "islands (no neighbours): BU00880009 BU00960009") != NULL);
    wbt_run_free(&r);
    ref_csv_free(&m);
}
