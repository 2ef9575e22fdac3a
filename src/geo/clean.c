/** @file @brief Geometry hygiene: cleaning rings, orientation, copying and appending. */
#include <string.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/geo.h"
#include "wijkbeeld/overlay.h"

static int same_pt(wb_point a, wb_point b)
{
    return a.x == b.x && a.y == b.y;
}

/* Twice the signed area, shifted by the first point for precision. Exactly 0 for rings whose
 * points all lie on a line through repeated coordinates (A B A ...). */
static double ring_area2(const wb_point *p, size_t n)
{
    if (n < 3)
        return 0;
    double a = 0, ox = p[0].x, oy = p[0].y;
    for (size_t i = 1; i + 1 < n; i++)
        a += (p[i].x - ox) * (p[i + 1].y - oy) - (p[i + 1].x - ox) * (p[i].y - oy);
    return a;
}

/* Do the points of a ring with zero signed area lie on one line? Otherwise the ring crosses
 * itself and its lobes cancel out (a bowtie). Exact: collinear quantised positions give 0. */
static int flat(const wb_point *p, size_t n)
{
    size_t a = 1;
    while (a < n && same_pt(p[a], p[0]))
        a++;
    if (a == n)
        return 1;
    double dx = p[a].x - p[0].x, dy = p[a].y - p[0].y;
    for (size_t i = a + 1; i < n; i++)
        if (dx * (p[i].y - p[0].y) - dy * (p[i].x - p[0].x) != 0)
            return 0;
    return 1;
}

/* Polygon @p p of @p g made valid by GEOS (wb_geom_repair, as the overlay repairs), its parts
 * appended to @p out. Its rings are cleaned first as everywhere (repeats dropped, closed,
 * fewer than 4 points dropped). 1 when something was appended, 0 when nothing of area is left
 * (or GEOS gave up: the polygon is then dropped, as before there was a repair), or
 * WB_ENOMEM. */
static int repair_polygon(wb_geom *out, const wb_geom *g, size_t p)
{
    size_t r0 = g->poly_off[p], r1 = g->poly_off[p + 1];
    size_t p0 = g->ring_off[r0], p1 = g->ring_off[r1];
    wb_geom one = WB_GEOM_INIT;
    one.pts = wb_malloc((p1 - p0 + (r1 - r0) + 1) * sizeof *one.pts);
    one.ring_off = wb_malloc((r1 - r0 + 1) * sizeof *one.ring_off);
    one.poly_off = wb_malloc(2 * sizeof *one.poly_off);
    if (!one.pts || !one.ring_off || !one.poly_off) {
        wb_geom_dispose(&one);
        return WB_ENOMEM;
    }
    one.ring_off[0] = 0;
    for (size_t r = r0; r < r1; r++) {
        size_t start = one.npts;
        for (size_t i = g->ring_off[r]; i < g->ring_off[r + 1]; i++)
            if (one.npts == start || !same_pt(one.pts[one.npts - 1], g->pts[i]))
                one.pts[one.npts++] = g->pts[i];
        if (one.npts > start && !same_pt(one.pts[start], one.pts[one.npts - 1]))
            one.pts[one.npts++] = one.pts[start];
        if (one.npts - start < 4) { /* degenerate: without an exterior there is nothing */
            one.npts = start;
            if (r == r0)
                break;
            continue;
        }
        one.ring_off[++one.nrings] = one.npts;
    }
    int error = 0;
    if (one.nrings) {
        one.poly_off[0] = 0;
        one.poly_off[1] = one.nrings;
        one.npolys = 1;
        wb_geom_update_bbox(&one);
        error = wb_geom_repair(&one, NULL);
        if (error == WB_ERROR) { /* GEOS refused it: drop the polygon */
            wb_error_clear();
            error = 0;
            wb_geom_dispose(&one);
        }
        if (error == 0 && one.npolys)
            error = wb_geom_append(out, &one);
    }
    int appended = error == 0 && one.npolys > 0;
    wb_geom_dispose(&one);
    return error < 0 ? error : appended;
}

int wb_geom_clean(wb_geom *g, wb_geom_clean_stats *stats)
{
    wb_geom_clean_stats local = {0};
    wb_geom repaired = WB_GEOM_INIT; /* polygons GEOS made valid, appended at the end */
    wb_geom o = WB_GEOM_INIT;
    o.pts = wb_malloc((g->npts + g->nrings + 1) * sizeof *o.pts);
    o.ring_off = wb_malloc((g->nrings + 1) * sizeof *o.ring_off);
    o.poly_off = wb_malloc((g->npolys + 1) * sizeof *o.poly_off);
    if (!o.pts || !o.ring_off || !o.poly_off) {
        wb_geom_dispose(&o);
        return WB_ENOMEM;
    }
    o.ring_off[0] = 0;
    o.poly_off[0] = 0;
    for (size_t p = 0; p < g->npolys; p++) {
        size_t first_ring = o.nrings;
        int exterior_ok = 0, crossed = 0;
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            size_t start = o.npts;
            for (size_t i = g->ring_off[r]; i < g->ring_off[r + 1]; i++) {
                if (o.npts > start && same_pt(o.pts[o.npts - 1], g->pts[i])) {
                    local.repeated_points++;
                    continue;
                }
                o.pts[o.npts++] = g->pts[i];
            }
            size_t n = o.npts - start;
            if (n > 0 && !same_pt(o.pts[start], o.pts[o.npts - 1])) {
                o.pts[o.npts++] = o.pts[start];
                n++;
                local.rings_closed++;
            }
            int ok = n >= 4 && ring_area2(o.pts + start, n) != 0;
            if (!ok && n >= 4 && !flat(o.pts + start, n)) {
                crossed = 1;
                break;
            }
            int is_exterior = r == g->poly_off[p];
            if (!ok) {
                local.degenerate_rings++;
                o.npts = start;
                if (is_exterior)
                    break; /* the polygon is gone; its holes are counted below */
                continue;
            }
            if (is_exterior)
                exterior_ok = 1;
            o.nrings++;
            o.ring_off[o.nrings] = o.npts;
        }
        if (crossed) { /* forget what was copied of this polygon; GEOS makes it valid */
            o.nrings = first_ring;
            o.npts = o.ring_off[first_ring];
            int got = repair_polygon(&repaired, g, p);
            if (got < 0) {
                wb_geom_dispose(&o);
                wb_geom_dispose(&repaired);
                return got;
            }
            if (got)
                local.repaired_polygons++;
            else
                local.empty_polygons++;
            continue;
        }
        if (!exterior_ok) {
            /* count the holes that went with a degenerate exterior: valid ones as orphans */
            for (size_t r = g->poly_off[p] + 1; r < g->poly_off[p + 1]; r++) {
                size_t n = g->ring_off[r + 1] - g->ring_off[r], distinct = 0;
                if (!n) { /* an empty ring: g->pts may be NULL when every ring is empty */
                    local.degenerate_rings++;
                    continue;
                }
                const wb_point *h = g->pts + g->ring_off[r];
                for (size_t i = 0; i < n; i++)
                    if (i == 0 || !same_pt(h[i], h[i - 1]))
                        distinct++;
                if (n > 0 && !same_pt(h[0], h[n - 1]))
                    distinct++; /* it would have been closed */
                if (distinct >= 4 && ring_area2(h, n) != 0)
                    local.orphan_holes++;
                else
                    local.degenerate_rings++;
            }
            local.empty_polygons++;
            o.nrings = first_ring;
            o.npts = o.ring_off[first_ring];
            continue;
        }
        o.npolys++;
        o.poly_off[o.npolys] = o.nrings;
    }
    if (repaired.npolys) {
        int error = wb_geom_append(&o, &repaired);
        wb_geom_dispose(&repaired);
        if (error < 0) {
            wb_geom_dispose(&o);
            return error;
        }
    }
    wb_geom_dispose(&repaired);
    wb_geom_update_bbox(&o);
    wb_geom_dispose(g);
    *g = o;
    if (stats) {
        stats->repeated_points += local.repeated_points;
        stats->rings_closed += local.rings_closed;
        stats->degenerate_rings += local.degenerate_rings;
        stats->empty_polygons += local.empty_polygons;
        stats->orphan_holes += local.orphan_holes;
        stats->repaired_polygons += local.repaired_polygons;
    }
    return 0;
}

static void reverse_ring(wb_point *p, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        wb_point t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
}

void wb_geom_orient(wb_geom *g, int exterior_ccw)
{
    for (size_t p = 0; p < g->npolys; p++) {
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            wb_point *pts = g->pts + g->ring_off[r];
            size_t n = WB_RING_NPTS(g, r);
            double a = ring_area2(pts, n);
            int want_ccw = (r == g->poly_off[p]) ? exterior_ccw : !exterior_ccw;
            if ((a > 0 && !want_ccw) || (a < 0 && want_ccw))
                reverse_ring(pts, n);
        }
    }
}

int wb_geom_append(wb_geom *dst, const wb_geom *src)
{
    if (src->npolys == 0)
        return 0;
    size_t np = dst->npts + src->npts, nr = dst->nrings + src->nrings,
           npo = dst->npolys + src->npolys;
    wb_point *pts = wb_malloc(np * sizeof *pts);
    size_t *ro = wb_malloc((nr + 1) * sizeof *ro), *po = wb_malloc((npo + 1) * sizeof *po);
    if (!pts || !ro || !po) {
        wb_free(pts);
        wb_free(ro);
        wb_free(po);
        return WB_ENOMEM;
    }
    if (dst->npts)
        memcpy(pts, dst->pts, dst->npts * sizeof *pts);
    memcpy(pts + dst->npts, src->pts, src->npts * sizeof *pts);
    ro[0] = 0;
    for (size_t r = 0; r < dst->nrings; r++)
        ro[r + 1] = dst->ring_off[r + 1];
    for (size_t r = 0; r < src->nrings; r++)
        ro[dst->nrings + r + 1] = dst->npts + src->ring_off[r + 1];
    po[0] = 0;
    for (size_t p = 0; p < dst->npolys; p++)
        po[p + 1] = dst->poly_off[p + 1];
    for (size_t p = 0; p < src->npolys; p++)
        po[dst->npolys + p + 1] = dst->nrings + src->poly_off[p + 1];
    wb_geom_dispose(dst);
    dst->pts = pts;
    dst->npts = np;
    dst->ring_off = ro;
    dst->nrings = nr;
    dst->poly_off = po;
    dst->npolys = npo;
    wb_geom_update_bbox(dst);
    return 0;
}

int wb_geom_copy(wb_geom *out, const wb_geom *src)
{
    wb_geom empty = WB_GEOM_INIT;
    *out = empty;
    out->pts = wb_malloc((src->npts ? src->npts : 1) * sizeof *out->pts);
    out->ring_off = wb_malloc((src->nrings + 1) * sizeof *out->ring_off);
    out->poly_off = wb_malloc((src->npolys + 1) * sizeof *out->poly_off);
    if (!out->pts || !out->ring_off || !out->poly_off) {
        wb_geom_dispose(out);
        return WB_ENOMEM;
    }
    if (src->npts)
        memcpy(out->pts, src->pts, src->npts * sizeof *out->pts);
    if (src->ring_off)
        memcpy(out->ring_off, src->ring_off, (src->nrings + 1) * sizeof *out->ring_off);
    else
        out->ring_off[0] = 0;
    if (src->poly_off)
        memcpy(out->poly_off, src->poly_off, (src->npolys + 1) * sizeof *out->poly_off);
    else
        out->poly_off[0] = 0;
    out->npts = src->npts;
    out->nrings = src->nrings;
    out->npolys = src->npolys;
    memcpy(out->bbox, src->bbox, sizeof out->bbox);
    return 0;
}
