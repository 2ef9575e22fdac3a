/** @file @brief The overlay of two polygon layers (src/geo/overlay.c): intersection areas of
 *  hand-made shapes worked out by hand, the repair of shapes that cover a point twice, and
 *  agreement with GEOS (OGR_G_Intersection, OGR_G_Area) on random polygons and on the real
 *  wijk layers of 2014 and 2016. */
#include <ogr_api.h>
#include <stdlib.h>

#include "test.h"
#include "wijkbeeld/overlay.h"

/* A geometry from rings of (x, y) pairs; rings[i] has n[i] points (closed by the helper);
 * poly[i] = 1 starts a new polygon with ring i. */
static wb_geom make(const double *const *rings, const size_t *n, const int *poly, size_t nrings)
{
    wb_geom g = WB_GEOM_INIT;
    size_t np = 0, npoly = 0;
    for (size_t r = 0; r < nrings; r++) {
        np += n[r] + 1;
        npoly += poly[r];
    }
    g.pts = wb_malloc(np * sizeof *g.pts);
    g.ring_off = wb_malloc((nrings + 1) * sizeof *g.ring_off);
    g.poly_off = wb_malloc((npoly + 1) * sizeof *g.poly_off);
    size_t k = 0, p = 0;
    for (size_t r = 0; r < nrings; r++) {
        if (poly[r])
            g.poly_off[p++] = r;
        g.ring_off[r] = k;
        for (size_t i = 0; i < n[r]; i++) {
            g.pts[k].x = rings[r][2 * i];
            g.pts[k].y = rings[r][2 * i + 1];
            k++;
        }
        g.pts[k++] = g.pts[g.ring_off[r]];
    }
    g.ring_off[nrings] = k;
    g.poly_off[npoly] = nrings;
    g.npts = k, g.nrings = nrings, g.npolys = npoly;
    wb_geom_update_bbox(&g);
    return g;
}

static wb_geom rect(double x0, double y0, double x1, double y1, int clockwise)
{
    double ccw[] = {x0, y0, x1, y0, x1, y1, x0, y1}, cw[] = {x0, y0, x0, y1, x1, y1, x1, y0};
    const double *r[1] = {clockwise ? cw : ccw};
    size_t n[1] = {4};
    int p[1] = {1};
    return make(r, n, p, 1);
}

/* area of a[0] ∩ b[0] through wb_overlay (0 when no piece) */
static double inter(const wb_geom *a, const wb_geom *b)
{
    wb_overlay_piece *p = NULL;
    size_t n = 0;
    WB_PASS(wb_overlay(&p, &n, NULL, NULL, a, 1, b, 1, NULL));
    double v = n ? p[0].area_m2 : 0;
    wb_free(p);
    return v;
}

TEST(geo_overlay, rectangles_by_hand)
{
    wb_geom a = rect(100000, 400000, 100100, 400100, 0), b = rect(100050, 400020, 100250, 400080, 1);
    /* overlap x 100050..100100, y 400020..400080: 50 x 60 = 3000, whatever the orientations */
    ASSERT_CLOSE(inter(&a, &b), 3000, 1e-9);
    ASSERT_CLOSE(inter(&b, &a), 3000, 1e-9);
    /* identical: all borders collinear */
    ASSERT_CLOSE(inter(&a, &a), 10000, 1e-9);
    /* touching along an edge, and at a corner: no piece */
    wb_geom c = rect(100100, 400000, 100200, 400100, 0), d = rect(100100, 400100, 100200, 400200, 1);
    ASSERT_CLOSE(inter(&a, &c), 0, 0);
    ASSERT_CLOSE(inter(&a, &d), 0, 0);
    wb_geom_dispose(&a);
    wb_geom_dispose(&b);
    wb_geom_dispose(&c);
    wb_geom_dispose(&d);
}

TEST(geo_overlay, holes_multipolygons_and_triangles)
{
    /* square 0..100 with a hole 30..70 (area 8400), against the right half x 50..150:
     * 50 x 100 = 5000 minus the hole's right half 20 x 40 = 800 -> 4200 */
    double outer[] = {0, 0, 100, 0, 100, 100, 0, 100}, hole[] = {30, 30, 70, 30, 70, 70, 30, 70};
    const double *r[2] = {outer, hole};
    size_t n[2] = {4, 4};
    int p[2] = {1, 0};
    wb_geom a = make(r, n, p, 2), b = rect(50, -10, 150, 110, 0);
    ASSERT_CLOSE(inter(&a, &b), 4200, 1e-9);
    /* the same hole given counter-clockwise too (like the exterior): still a hole */
    double hole_ccw[] = {30, 30, 30, 70, 70, 70, 70, 30};
    const double *r2[2] = {outer, hole_ccw};
    wb_geom a2 = make(r2, n, p, 2);
    ASSERT_CLOSE(inter(&a2, &b), 4200, 1e-9);
    /* a multipolygon of two squares 0..10 and 20..30 against a strip y 5..6: 10 + 10 = 20 */
    double s1[] = {0, 0, 10, 0, 10, 10, 0, 10}, s2[] = {20, 0, 30, 0, 30, 10, 20, 10};
    const double *r3[2] = {s1, s2};
    int p3[2] = {1, 1};
    wb_geom m = make(r3, n, p3, 2), strip = rect(-5, 5, 35, 6, 0);
    ASSERT_CLOSE(inter(&m, &strip), 20, 1e-12);
    /* a triangle (0,0) (100,0) (0,100) against a square 0..50: the square lies under the
     * hypotenuse x + y = 100 except nothing (50 + 50 = 100): 2500 */
    double tri[] = {0, 0, 100, 0, 0, 100};
    const double *r4[1] = {tri};
    size_t n4[1] = {3};
    int p4[1] = {1};
    wb_geom t = make(r4, n4, p4, 1), q = rect(0, 0, 60, 60, 0);
    /* square 0..60: the triangle part x + y <= 100 inside it: 3600 - the corner triangle
     * with legs 20 (x, y in 40..60 above the line): 3600 - 200 = 3400 */
    ASSERT_CLOSE(inter(&t, &q), 3400, 1e-9);
    wb_geom_dispose(&a);
    wb_geom_dispose(&a2);
    wb_geom_dispose(&b);
    wb_geom_dispose(&m);
    wb_geom_dispose(&strip);
    wb_geom_dispose(&t);
    wb_geom_dispose(&q);
}

TEST(geo_overlay, repairs_what_covers_a_point_twice)
{
    /* a bow-tie (0,0) (2,2) (2,0) (0,2): two triangles of area 1 with opposite orientation
     * (its shoelace area is 0); GEOS MakeValid (structure) keeps both: area 2 */
    double bow[] = {0, 0, 2, 2, 2, 0, 0, 2};
    const double *r[1] = {bow};
    size_t n[1] = {4};
    int p[1] = {1};
    wb_geom g = make(r, n, p, 1);
    int repaired = 0;
    WB_PASS(wb_geom_repair(&g, &repaired));
    ASSERT_EQ_I(repaired, 1);
    ASSERT_CLOSE(wb_geom_area(&g), 2, 1e-12);
    wb_geom_dispose(&g);
    /* two overlapping squares 0..2 and 1..3 in one multipolygon: their union, 4 + 4 - 1 = 7 */
    double s1[] = {0, 0, 2, 0, 2, 2, 0, 2}, s2[] = {1, 1, 3, 1, 3, 3, 1, 3};
    const double *r2[2] = {s1, s2};
    size_t n2[2] = {4, 4};
    int p2[2] = {1, 1};
    wb_geom m = make(r2, n2, p2, 2), whole = rect(-1, -1, 4, 4, 0);
    double area_a[1];
    wb_overlay_piece *pc = NULL;
    size_t np = 0;
    wb_overlay_stats stats;
    WB_PASS(wb_overlay(&pc, &np, area_a, NULL, &m, 1, &whole, 1, &stats));
    ASSERT_EQ_I(stats.repaired_a, 1);
    ASSERT_EQ_I(np, 1);
    ASSERT_CLOSE(pc[0].area_m2, 7, 1e-12);
    ASSERT_CLOSE(area_a[0], 7, 1e-12);
    wb_free(pc);
    /* the input is not changed by the overlay */
    ASSERT_EQ_I(m.npolys, 2);
    /* a valid square is left alone */
    repaired = 1;
    WB_PASS(wb_geom_repair(&whole, &repaired));
    ASSERT_EQ_I(repaired, 0);
    wb_geom_dispose(&m);
    wb_geom_dispose(&whole);
}

/* ---------------------------------------------------------------- against GEOS */

static OGRGeometryH to_ogr(const wb_geom *g)
{
    unsigned char *wkb = NULL;
    size_t len = 0;
    WB_PASS(wb_geom_to_wkb(&wkb, &len, g));
    OGRGeometryH o = NULL;
    ASSERT(OGR_G_CreateFromWkbEx(wkb, NULL, &o, len) == OGRERR_NONE);
    wb_free(wkb);
    return o;
}

static double geos_area(OGRGeometryH a, OGRGeometryH b)
{
    OGRGeometryH x = OGR_G_Intersection(a, b);
    double v = 0;
    if (x) {
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(x));
        if (t == wkbPolygon || t == wkbMultiPolygon)
            v = OGR_G_Area(x);
        else if (t == wkbGeometryCollection)
            for (int i = 0; i < OGR_G_GetGeometryCount(x); i++) {
                OGRGeometryH part = OGR_G_GetGeometryRef(x, i);
                OGRwkbGeometryType pt = wkbFlatten(OGR_G_GetGeometryType(part));
                if (pt == wkbPolygon || pt == wkbMultiPolygon)
                    v += OGR_G_Area(part);
            }
        OGR_G_DestroyGeometry(x);
    }
    return v;
}

/* A star-shaped polygon around (cx, cy): k vertices at angles 2πi/k with radii in [r/2, r]
 * (a simple polygon, so GEOS takes it as valid). */
static wb_geom star(unsigned *seed, double cx, double cy, double r, int k)
{
    double *pts = malloc(sizeof(double) * 2 * (size_t)k);
    for (int i = 0; i < k; i++) {
        *seed = *seed * 1103515245u + 12345u;
        double rr = r * (0.5 + 0.5 * ((*seed >> 8) & 0xffff) / 65535.0);
        pts[2 * i] = cx + rr * cos(2 * M_PI * i / k);
        pts[2 * i + 1] = cy + rr * sin(2 * M_PI * i / k);
    }
    const double *rings[1] = {pts};
    size_t n[1] = {(size_t)k};
    int p[1] = {1};
    wb_geom g = make(rings, n, p, 1);
    free(pts);
    return g;
}

TEST(geo_overlay, agrees_with_geos_on_random_polygons)
{
    unsigned seed = 7;
    enum { NA = 30, NB = 30 };
    wb_geom a[NA], b[NB];
    for (int i = 0; i < NA; i++)
        a[i] = star(&seed, 150000 + 40.0 * (i % 6), 450000 + 40.0 * (i / 6), 35, 5 + i % 9);
    for (int i = 0; i < NB; i++)
        b[i] = star(&seed, 150010 + 35.0 * (i % 6), 450015 + 37.0 * (i / 6), 30, 4 + i % 11);
    wb_overlay_piece *p = NULL;
    size_t np = 0;
    WB_PASS(wb_overlay(&p, &np, NULL, NULL, a, NA, b, NB, NULL));
    ASSERT(np > 60);
    OGRGeometryH oa[NA], ob[NB];
    for (int i = 0; i < NA; i++)
        oa[i] = to_ogr(&a[i]);
    for (int i = 0; i < NB; i++)
        ob[i] = to_ogr(&b[i]);
    /* every pair: the pieces found equal GEOS's areas, and no pair GEOS finds is missing */
    size_t k = 0, checked = 0;
    for (int i = 0; i < NA; i++)
        for (int j = 0; j < NB; j++) {
            double g = geos_area(oa[i], ob[j]), mine = 0;
            if (k < np && p[k].a == (size_t)i && p[k].b == (size_t)j)
                mine = p[k++].area_m2;
            ASSERT_MSG(fabs(mine - g) <= 1e-9 * fmax(1.0, g), "pair %d %d: %.17g, GEOS %.17g", i, j, mine, g);
            checked += g > 0;
        }
    ASSERT_EQ_I(k, np);
    ASSERT(checked >= np);
    for (int i = 0; i < NA; i++) {
        OGR_G_DestroyGeometry(oa[i]);
        wb_geom_dispose(&a[i]);
    }
    for (int i = 0; i < NB; i++) {
        OGR_G_DestroyGeometry(ob[i]);
        wb_geom_dispose(&b[i]);
    }
    wb_free(p);
}

/* GEOS refuses to intersect OGC-invalid input (a ring touching itself, common in quantised
 * TopoJSON), so on the GEOS side every geometry is made valid as sf::st_make_valid does
 * (structure method); the overlay repairs only what covers a point twice, and the areas of
 * the others do not change (up to GEOS's noding, ~1e-10 of an area). */
static OGRGeometryH to_ogr_valid(const wb_geom *g)
{
    OGRGeometryH o = to_ogr(g);
    char *opts[] = {(char *)"METHOD=STRUCTURE", NULL};
    OGRGeometryH v = OGR_G_MakeValidEx(o, opts);
    ASSERT(v != NULL);
    OGR_G_DestroyGeometry(o);
    return v;
}

/* The real wijk layers (CBS 2014, quantised, and 2016, simplified), imported as 'import geo'
 * does: every 6th piece against GEOS on the same geometries, and for every 15th from-area
 * all its bounding-box candidates, so a piece GEOS finds cannot be missing. */
TEST(geo_overlay, agrees_with_geos_on_the_wijken_of_2014_and_2016)
{
    const char *w14 = wbt_shared("geo_cbs_topojson_2014/Wijk_2014_layer_q1e3.json");
    const char *w16 = wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson");
    wb_geo_features fa = WB_GEO_FEATURES_INIT, fb = WB_GEO_FEATURES_INIT;
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.year = 2014;
    WB_PASS(wb_geo_read(&fa, NULL, w14, &o));
    o.year = 2016;
    WB_PASS(wb_geo_read(&fb, NULL, w16, &o));
    wb_overlay_piece *p = NULL;
    size_t np = 0;
    wb_overlay_stats stats;
    double *area_a = malloc(fa.n * sizeof *area_a);
    WB_PASS(wb_overlay(&p, &np, area_a, NULL, fa.geoms, fa.n, fb.geoms, fb.n, &stats));
    ASSERT(np > 10000);
    ASSERT(stats.repaired_a > 0);
    /* the same repair, outside the overlay */
    OGRGeometryH *oa = calloc(fa.n, sizeof *oa), *ob = calloc(fb.n, sizeof *ob);
    for (size_t i = 0; i < fa.n; i++)
        if (fa.geoms[i].npolys) {
            wb_geom c = WB_GEOM_INIT;
            WB_PASS(wb_geom_copy(&c, &fa.geoms[i]));
            WB_PASS(wb_geom_repair(&c, NULL));
            ASSERT_CLOSE(wb_geom_area(&c), area_a[i], 0);
            if (c.npolys)
                oa[i] = to_ogr_valid(&c);
            wb_geom_dispose(&c);
        }
    for (size_t j = 0; j < fb.n; j++)
        if (fb.geoms[j].npolys)
            ob[j] = to_ogr_valid(&fb.geoms[j]);
    double worst = 0;
    for (size_t k = 0; k < np; k += 6) {
        double g = geos_area(oa[p[k].a], ob[p[k].b]);
        double d = fabs(p[k].area_m2 - g) / fmax(area_a[p[k].a], 1.0);
        worst = fmax(worst, d);
    }
    ASSERT_MSG(worst < 1e-9, "largest difference from GEOS: %g of the from-area", worst);
    size_t k = 0, missing = 0;
    for (size_t i = 0; i < fa.n; i += 15) {
        if (!oa[i])
            continue;
        while (k < np && p[k].a < i)
            k++;
        for (size_t j = 0; j < fb.n; j++) {
            if (!ob[j])
                continue;
            const double *x = fa.geoms[i].bbox, *y = fb.geoms[j].bbox;
            if (!(x[0] < y[2] && y[0] < x[2] && x[1] < y[3] && y[1] < x[3]))
                continue;
            double g = geos_area(oa[i], ob[j]);
            int found = 0;
            for (size_t q = k; q < np && p[q].a == i; q++)
                found |= p[q].b == j;
            missing += g > 1e-3 && !found;
        }
    }
    ASSERT_EQ_I(missing, 0);
    for (size_t i = 0; i < fa.n; i++)
        OGR_G_DestroyGeometry(oa[i]);
    for (size_t j = 0; j < fb.n; j++)
        OGR_G_DestroyGeometry(ob[j]);
    free(oa);
    free(ob);
    free(area_a);
    wb_free(p);
    wb_geo_features_dispose(&fa);
    wb_geo_features_dispose(&fb);
}
