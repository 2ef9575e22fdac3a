/**
 * @file
 * @brief Fuzz target: the WKB decoder (wb_geom_from_wkb, which reads every stored geometry and
 * every geometry GDAL hands over), and the geometry functions that follow it on import.
 *
 * Input: the WKB bytes.
 * Invariants:
 *  - an error is WB_EPARSE with a message and leaves the output untouched;
 *  - a result is structurally sound: offsets start at 0, never decrease and end at nrings /
 *    npts; the bounding box holds every point;
 *  - encoding the result and decoding it again gives the same geometry, bit for bit, and the
 *    same bytes when encoded once more;
 *  - with finite coordinates, wb_geom_clean gives a valid wb_geom (every polygon has an
 *    exterior; rings closed, at least 4 points, non-zero area); wb_geom_orient gives
 *    counter-clockwise exteriors and clockwise holes; area and centroid are finite; the
 *    simplifier keeps it valid.
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "wijkbeeld.h"

static double ring_area2(const wb_point *p, size_t n)
{
    double a = 0;
    for (size_t i = 0; i + 1 < n; i++)
        a += (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) - (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
    return a;
}

/* 1 when the sign of ring_area2 is beyond rounding error (sum of the terms' magnitudes). */
static int clear_sign(const wb_point *p, size_t n)
{
    double a = 0, m = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double t1 = (p[i].x - p[0].x) * (p[i + 1].y - p[0].y),
               t2 = (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
        a += t1 - t2;
        m += fabs(t1) + fabs(t2);
    }
    return fabs(a) > 1e-9 * m && fabs(a) > 1e-200;
}

static int same_geom(const wb_geom *a, const wb_geom *b)
{
    return a->npts == b->npts && a->nrings == b->nrings && a->npolys == b->npolys &&
           (!a->npts || !memcmp(a->pts, b->pts, a->npts * sizeof *a->pts)) &&
           !memcmp(a->ring_off, b->ring_off, (a->nrings + 1) * sizeof *a->ring_off) &&
           !memcmp(a->poly_off, b->poly_off, (a->npolys + 1) * sizeof *a->poly_off);
}

static void round_trip(const wb_geom *g, const char *what)
{
    if (!g->npolys)
        return;
    unsigned char *wkb = NULL, *wkb2 = NULL;
    size_t n = 0, n2 = 0;
    WBF_CHECK(wb_geom_to_wkb(&wkb, &n, g) == 0, "%s: cannot encode", what);
    wb_geom back = WB_GEOM_INIT;
    WBF_CHECK(wb_geom_from_wkb(&back, wkb, n) == 0, "%s: own WKB does not decode", what);
    WBF_CHECK(same_geom(g, &back), "%s: decode(encode(g)) differs from g", what);
    WBF_CHECK(wb_geom_to_wkb(&wkb2, &n2, &back) == 0 && n2 == n && !memcmp(wkb, wkb2, n),
              "%s: encoding is not stable", what);
    wb_free(wkb);
    wb_free(wkb2);
    wb_geom_dispose(&back);
}

WBF_TARGET(wkb)
{
    wb_geom g = WB_GEOM_INIT;
    g.npts = 12345; /* sentinel: must survive an error */
    int r = wb_geom_from_wkb(&g, data, size);
    wbf_note(r);
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE, "returned %d", r);
        WBF_CHECK_ERROR(r, "WKB", 0);
        WBF_CHECK(g.npts == 12345 && !g.pts && !g.ring_off && !g.poly_off, "output touched on error");
        return 0;
    }
    WBF_CHECK(r == 0, "returned %d", r);
    wbf_check_geom(&g, 0, "decoded");
    round_trip(&g, "decoded");

    int finite = 1;
    for (size_t i = 0; i < g.npts; i++)
        finite &= isfinite(g.pts[i].x) && isfinite(g.pts[i].y) && fabs(g.pts[i].x) < 1e100 &&
                  fabs(g.pts[i].y) < 1e100;
    if (finite) {
        wb_geom_clean_stats cs = {0};
        WBF_CHECK(wb_geom_clean(&g, &cs) == 0, "clean failed");
        wbf_check_geom(&g, 1, "cleaned");
        for (size_t k = 0; k < g.nrings; k++)
            WBF_CHECK(ring_area2(g.pts + g.ring_off[k], WB_RING_NPTS(&g, k)) != 0,
                      "cleaned ring %zu has zero area", k);
        /* cleaning is idempotent */
        wb_geom c2 = WB_GEOM_INIT;
        wb_geom_clean_stats cs2 = {0};
        WBF_CHECK(wb_geom_copy(&c2, &g) == 0 && wb_geom_clean(&c2, &cs2) == 0, "copy/clean");
        WBF_CHECK(same_geom(&g, &c2) && cs2.repeated_points == 0 && cs2.rings_closed == 0 &&
                      cs2.degenerate_rings == 0 && cs2.empty_polygons == 0,
                  "cleaning twice changes the geometry");
        wb_geom_dispose(&c2);

        double a = wb_geom_area(&g);
        WBF_CHECK(isfinite(a), "area %g", a);
        wb_point c = wb_geom_centroid(&g);
        WBF_CHECK(isfinite(c.x) && isfinite(c.y), "centroid (%g, %g)", c.x, c.y);
        wb_geom_orient(&g, 1);
        for (size_t p = 0; p < g.npolys; p++)
            for (size_t k = g.poly_off[p]; k < g.poly_off[p + 1]; k++) {
                double a2 = ring_area2(g.pts + g.ring_off[k], WB_RING_NPTS(&g, k));
                if (clear_sign(g.pts + g.ring_off[k], WB_RING_NPTS(&g, k)))
                    WBF_CHECK(k == g.poly_off[p] ? a2 > 0 : a2 < 0, "ring %zu oriented wrongly", k);
            }
        wbf_check_geom(&g, 1, "oriented");
        round_trip(&g, "cleaned");
        double tol = size ? (double)(data[size - 1] % 8) * 0.5 : 0;
        WBF_CHECK(wb_geoms_simplify(&g, 1, tol) == 0, "simplify failed");
        wbf_check_geom(&g, 1, "simplified");
    }
    wb_geom_dispose(&g);
    return 0;
}
