/**
 * @file
 * @brief Third reference: the real 2014 CBS buurt polygons of ../shared/data (11,146
 * non-empty of 11,691, quantised TopoJSON), against spdep (fixtures from
 * tests/reference/spdep/buurt2014.R). The polygons are decoded by GDAL's TopoJSON driver on
 * both sides (from a copy with the "type" member first, which GDAL needs to recognise the
 * file; SOURCES.md), in degrees. Skipped when the shared data are absent.
 *
 * Checked: queen and rook lists (77,730 and 61,666 links, 3 islands), kNN(4) on R's
 * centroids (which include identical points: ties at distance 0 go to the lower index),
 * Moran's I (all keys), local Moran and Gi* for every area, within 1e-9 relative.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/ogr_read.h"
#include "spatial/refdata.h"
#include "test.h"

/* The buurt layer, as R reads it: read the TopoJSON with "type" moved to the front. */
static void buurt_layer(wb_layer *l)
{
    const char *src = wbt_shared("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json");
    size_t len;
    char *txt = wbt_slurp(src, &len);
    ASSERT(txt && len > 2 && txt[0] == '{');
    /* strip the trailing , "type": "Topology" } */
    char *t = strstr(txt + len - 64, "\"type\"");
    ASSERT_MSG(t != NULL, "%s: no trailing \"type\" member", src);
    char *comma = t;
    while (comma > txt && *comma != ',')
        comma--;
    ASSERT(*comma == ',');
    *comma = 0;
    const char *path = wbt_tmp("buurt2014.topojson");
    FILE *f = fopen(path, "wb");
    ASSERT(f);
    fprintf(f, "{\"type\": \"Topology\", %s}", txt + 1);
    fclose(f);
    free(txt);
    size_t skipped;
    WB_PASS(wb_geo__read_ogr(l, path, "id", &skipped));
    ASSERT_EQ_I(skipped, 545);
    ASSERT_EQ_I(l->n, 11146);
}

static void expect_links(const wb_weights *w, const char *file)
{
    ref_csv c;
    ref_csv_read(&c, file);
    ASSERT_MSG(w->nlinks == c.nrows, "%s: %zu links, spdep %zu", file, w->nlinks, c.nrows);
    for (size_t r = 0; r < c.nrows; r++) {
        size_t i = (size_t)ref_num(&c, r, 0) - 1, j = (size_t)ref_num(&c, r, 1) - 1;
        ASSERT_MSG(w->row[i] <= r && r < w->row[i + 1] && w->col[r] == j, "%s: link %zu (%zu -> %zu) differs",
                   file, r + 1, i + 1, j + 1);
    }
    ref_csv_free(&c);
}

TEST(spatial_buurt2014, contiguity_equals_spdep)
{
    wb_layer l = WB_LAYER_INIT;
    buurt_layer(&l);
    ref_csv v;
    ref_csv_read(&v, "buurt2014_values.csv.gz");
    ASSERT_EQ_I(v.nrows, l.n);
    for (size_t i = 0; i < l.n; i++)
        ASSERT_EQ_S(l.codes[i], ref_str(&v, i, 0));
    ref_csv_free(&v);
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_geoms(&w, l.geoms, l.n, &o));
    expect_links(&w, "buurt2014_nb_queen.csv.gz");
    wb_weights_summary s;
    wb_weights_summarize(&s, &w);
    ASSERT_EQ_I(s.islands, 3);
    wb_weights_dispose(&w);
    o.type = WB_WEIGHTS_ROOK;
    WB_PASS(wb_weights_from_geoms(&w, l.geoms, l.n, &o));
    expect_links(&w, "buurt2014_nb_rook.csv.gz");
    wb_weights_dispose(&w);
    wb_layer_dispose(&l);
}

TEST(spatial_buurt2014, knn_with_identical_centroids_and_statistics_equal_spdep)
{
    wbt_shared("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json"); /* same SKIP rule */
    ref_csv v;
    ref_csv_read(&v, "buurt2014_values.csv.gz");
    size_t n = v.nrows;
    wb_point *p = malloc(n * sizeof *p);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        p[i].x = ref_num(&v, i, 1);
        p[i].y = ref_num(&v, i, 2);
        x[i] = ref_num(&v, i, 3);
    }
    ref_csv_free(&v);
    wb_weights_opts o = WB_WEIGHTS_OPTS_INIT;
    o.type = WB_WEIGHTS_KNN;
    o.k = 4;
    wb_weights w = WB_WEIGHTS_INIT;
    WB_PASS(wb_weights_from_points(&w, p, n, &o));
    expect_links(&w, "buurt2014_nb_knn4.csv.gz");
    wb_weights_dispose(&w);
    free(p);

    wb_layer l = WB_LAYER_INIT;
    buurt_layer(&l);
    wb_weights_opts q = WB_WEIGHTS_OPTS_INIT;
    WB_PASS(wb_weights_from_geoms(&w, l.geoms, l.n, &q));
    wb_layer_dispose(&l);
    wb_moran_result m;
    WB_PASS(wb_moran_global(&m, &w, x, NULL));
    ref_csv c;
    ref_csv_read(&c, "buurt2014_moran.csv.gz");
    const char *keys[] = {"I", "E_I", "var_norm", "z_norm", "p_norm", "var_rand", "z_rand", "p_rand"};
    double got[] = {m.I, m.E_I, m.var_norm, m.z_norm, m.p_norm, m.var_rand, m.z_rand, m.p_rand};
    for (size_t k = 0; k < 8; k++)
        ASSERT_MSG(ref_close(got[k], ref_num(&c, 0, ref_col(&c, keys[k])), 1e-9), "%s = %.17g, spdep %.17g",
                   keys[k], got[k], ref_num(&c, 0, ref_col(&c, keys[k])));
    ASSERT_EQ_I(m.islands, 3);
    ref_csv_free(&c);

    double *Ii = malloc(n * 8), *E = malloc(n * 8), *V = malloc(n * 8), *z = malloc(n * 8), *Gz = malloc(n * 8);
    int *cl = malloc(n * sizeof *cl);
    wb_lisa_out out = {Ii, E, V, z, NULL, NULL, NULL, NULL, cl};
    WB_PASS(wb_lisa_local_moran(&out, &w, x, NULL));
    wb_weights_set_style(&w, WB_STYLE_B);
    WB_PASS(wb_getis_ord(NULL, Gz, NULL, &w, x, 1));
    ref_csv_read(&c, "buurt2014_local.csv.gz");
    ASSERT_EQ_I(c.nrows, n);
    size_t cI = ref_col(&c, "Ii"), cE = ref_col(&c, "E_Ii"), cV = ref_col(&c, "Var_Ii"), cz = ref_col(&c, "Z_Ii"),
           cg = ref_col(&c, "Gs_z");
    for (size_t i = 0; i < n; i++) {
        ASSERT_MSG(ref_close(Ii[i], ref_num(&c, i, cI), 1e-9), "area %zu Ii", i + 1);
        ASSERT_MSG(ref_close(E[i], ref_num(&c, i, cE), 1e-9), "area %zu E", i + 1);
        ASSERT_MSG(ref_close(V[i], ref_num(&c, i, cV), 1e-9), "area %zu Var", i + 1);
        ASSERT_MSG(ref_close(z[i], ref_num(&c, i, cz), 1e-9), "area %zu z %.15g vs %s", i + 1, z[i],
                   ref_str(&c, i, cz));
        ASSERT_MSG(ref_close(Gz[i], ref_num(&c, i, cg), 1e-9), "area %zu Gi* z", i + 1);
    }
    ref_csv_free(&c);
    free(Ii), free(E), free(V), free(z), free(Gz), free(cl), free(x);
    wb_weights_dispose(&w);
}
