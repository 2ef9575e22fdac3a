/**
 * @file
 * @brief GeoJSON of a layer for the web: Douglas-Peucker simplification in RD metres,
 * reprojection to WGS84 in one PROJ call for the whole layer, RFC 7946 ring orientation,
 * coordinates rounded to 5 decimals (about 1 m).
 *
 * PARTIAL: this is the server's own writer until the geo branch's library GeoJSON writer
 * is merged; then the route should call that writer and keep only the simplification here.
 */
#include <math.h>
#include <string.h>

#include "web/json.h"
#include "web/web_internal.h"
#include "wijkbeeld/geo.h"

/* Tolerance of the simplification per level, in metres: below a pixel at the zoom where a
 * whole municipality (buurten), the country (gemeenten) fills a laptop screen. */
static double tolerance_m(wb_level level)
{
    switch (level) {
    case WB_LEVEL_LAND: return 200;
    case WB_LEVEL_GEMEENTE: return 50;
    case WB_LEVEL_WIJK: return 15;
    default: return 4;
    }
}

static double seg_dist2(wb_point p, wb_point a, wb_point b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    if (t < 0)
        t = 0;
    else if (t > 1)
        t = 1;
    double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

/* Douglas-Peucker on a closed ring pts[0..n) (pts[n-1] == pts[0]); marks kept points.
 * Iterative with an explicit stack of spans. The ring is split at its first point and the
 * point farthest from it, so that a closed ring never collapses onto one segment. */
static int simplify_ring(unsigned char *keep, const wb_point *pts, size_t n, double tol,
                         size_t *stack, size_t stack_cap)
{
    memset(keep, 0, n);
    keep[0] = keep[n - 1] = 1;
    size_t far = 0;
    double best = -1;
    for (size_t i = 1; i + 1 < n; i++) {
        double dx = pts[i].x - pts[0].x, dy = pts[i].y - pts[0].y;
        if (dx * dx + dy * dy > best) {
            best = dx * dx + dy * dy;
            far = i;
        }
    }
    if (far == 0)
        return 0;
    keep[far] = 1;
    size_t sp = 0;
    stack[sp++] = 0;
    stack[sp++] = far;
    stack[sp++] = far;
    stack[sp++] = n - 1;
    double tol2 = tol * tol;
    while (sp) {
        size_t b = stack[--sp], a = stack[--sp];
        double dmax = -1;
        size_t imax = 0;
        for (size_t i = a + 1; i < b; i++) {
            double d = seg_dist2(pts[i], pts[a], pts[b]);
            if (d > dmax) {
                dmax = d;
                imax = i;
            }
        }
        if (imax && dmax > tol2) {
            keep[imax] = 1;
            if (sp + 4 > stack_cap)
                return -1;
            stack[sp++] = a;
            stack[sp++] = imax;
            stack[sp++] = imax;
            stack[sp++] = b;
        }
    }
    return 0;
}

static double ring_signed_area(const wb_point *p, size_t n)
{
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        s += p[i].x * p[i + 1].y - p[i + 1].x * p[i].y;
    return s / 2;
}

/* Simplify a geometry in place (rings keep at least 4 points: a ring that would lose its
 * shape keeps its original points, so small areas never vanish from the map). */
static int simplify_geom(wb_geom *g, double tol)
{
    size_t maxn = 0;
    for (size_t r = 0; r < g->nrings; r++)
        if (g->ring_off[r + 1] - g->ring_off[r] > maxn)
            maxn = g->ring_off[r + 1] - g->ring_off[r];
    if (maxn < 5)
        return 0;
    unsigned char *keep = wb_malloc(maxn);
    size_t cap = 4 * maxn + 8;
    size_t *stack = wb_malloc(cap * sizeof *stack);
    if (!keep || !stack) {
        wb_free(keep);
        wb_free(stack);
        return WB_ENOMEM;
    }
    size_t w = 0; /* write position in pts */
    for (size_t r = 0; r < g->nrings; r++) {
        size_t a = g->ring_off[r], n = g->ring_off[r + 1] - a;
        size_t start = w;
        int ok = n >= 5 && simplify_ring(keep, g->pts + a, n, tol, stack, cap) == 0;
        size_t kept = 0;
        if (ok)
            for (size_t i = 0; i < n; i++)
                kept += keep[i];
        if (!ok || kept < 4) {
            memmove(g->pts + w, g->pts + a, n * sizeof *g->pts);
            w += n;
        } else {
            for (size_t i = 0; i < n; i++)
                if (keep[i])
                    g->pts[w++] = g->pts[a + i];
        }
        g->ring_off[r] = start;
    }
    g->ring_off[g->nrings] = w;
    g->npts = w;
    wb_free(keep);
    wb_free(stack);
    return 0;
}

/* RFC 7946: exterior rings counter-clockwise, holes clockwise (in lon/lat, x east y north). */
static void orient(wb_geom *g)
{
    for (size_t p = 0; p < g->npolys; p++)
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            wb_point *pts = g->pts + g->ring_off[r];
            size_t n = g->ring_off[r + 1] - g->ring_off[r];
            double s = ring_signed_area(pts, n);
            int exterior = r == g->poly_off[p];
            if ((exterior && s < 0) || (!exterior && s > 0))
                for (size_t i = 0, j = n - 1; i < j; i++, j--) {
                    wb_point t = pts[i];
                    pts[i] = pts[j];
                    pts[j] = t;
                }
        }
}

int wb_web__geojson(wb_str *out, wb_store *st, wb_level level, int year, const char *code)
{
    wb_layer layer = WB_LAYER_INIT;
    int error = wb_store_layer_load(st, &layer, level, year);
    if (error < 0)
        return error;
    size_t first = 0, last = layer.n; /* the features to write: [first, last) */
    if (code) {
        for (first = 0; first < layer.n && strcmp(layer.codes[first], code); first++)
            ;
        if (first == layer.n) {
            wb_error_set(WB_ERRCLASS_GEO, "no geometry for %s in %d", code, year);
            error = WB_ENOTFOUND;
            goto done;
        }
        last = first + 1;
    }
    /* simplify in metres, then reproject every point of the layer in one PROJ call: a
     * transformation object per area would cost milliseconds each */
    size_t total = 0;
    for (size_t i = first; i < last; i++) {
        if ((error = simplify_geom(&layer.geoms[i], tolerance_m(level))) < 0)
            goto done;
        total += layer.geoms[i].npts;
    }
    wb_geom all = WB_GEOM_INIT;
    all.pts = wb_malloc((total ? total : 1) * sizeof *all.pts);
    if (!all.pts) {
        error = WB_ENOMEM;
        goto done;
    }
    all.npts = total;
    size_t off = 0;
    for (size_t i = first; i < last; i++) {
        memcpy(all.pts + off, layer.geoms[i].pts, layer.geoms[i].npts * sizeof *all.pts);
        off += layer.geoms[i].npts;
    }
    if (total && (error = wb_geom_transform(&all, "EPSG:28992", "EPSG:4326")) < 0) {
        wb_free(all.pts);
        goto done;
    }
    off = 0;
    for (size_t i = first; i < last; i++) {
        memcpy(layer.geoms[i].pts, all.pts + off, layer.geoms[i].npts * sizeof *all.pts);
        off += layer.geoms[i].npts;
        orient(&layer.geoms[i]);
    }
    wb_free(all.pts);

    wb_json j;
    wb_json_init(&j, out);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "type", "FeatureCollection");
    wb_json_key(&j, "features");
    wb_json_arr_open(&j);
    for (size_t i = first; i < last && !j.error; i++) {
        const wb_geom *g = &layer.geoms[i];
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "type", "Feature");
        wb_json_kstr(&j, "id", layer.codes[i]);
        wb_json_key(&j, "properties");
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "code", layer.codes[i]);
        wb_json_kstr(&j, "name", layer.names[i]);
        wb_json_kstr(&j, "level", wb_level_name(level));
        wb_json_kint(&j, "year", year);
        wb_json_obj_close(&j);
        wb_json_key(&j, "geometry");
        wb_json_obj_open(&j);
        wb_json_kstr(&j, "type", "MultiPolygon");
        wb_json_key(&j, "coordinates");
        wb_json_arr_open(&j);
        for (size_t p = 0; p < g->npolys; p++) {
            wb_json_arr_open(&j);
            for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
                wb_json_arr_open(&j);
                for (size_t k = g->ring_off[r]; k < g->ring_off[r + 1]; k++) {
                    wb_json_arr_open(&j);
                    wb_json_fixed(&j, g->pts[k].x, 5);
                    wb_json_fixed(&j, g->pts[k].y, 5);
                    wb_json_arr_close(&j);
                }
                wb_json_arr_close(&j);
            }
            wb_json_arr_close(&j);
        }
        wb_json_arr_close(&j);
        wb_json_obj_close(&j);
        wb_json_obj_close(&j);
    }
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    error = wb_json_finish(&j);
done:
    wb_layer_dispose(&layer);
    return error;
}
