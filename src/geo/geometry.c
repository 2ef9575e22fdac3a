/** @file @brief Multipolygons: WKB encoding, area, centroid, reprojection with PROJ. */
#include <math.h>
#include <proj.h>
#include <stdint.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/geo.h"

void wb_geom_dispose(wb_geom *g)
{
    if (!g)
        return;
    wb_free(g->pts);
    wb_free(g->ring_off);
    wb_free(g->poly_off);
    wb_geom empty = WB_GEOM_INIT;
    *g = empty;
}

void wb_geom_update_bbox(wb_geom *g)
{
    double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < g->npts; i++) {
        wb_point p = g->pts[i];
        if (p.x < b[0]) b[0] = p.x;
        if (p.y < b[1]) b[1] = p.y;
        if (p.x > b[2]) b[2] = p.x;
        if (p.y > b[3]) b[3] = p.y;
    }
    if (!g->npts)
        b[0] = b[1] = b[2] = b[3] = 0;
    memcpy(g->bbox, b, sizeof b);
}

/* Shoelace formula; signed (counter-clockwise positive). Coordinates are shifted by the
 * first point to keep precision with RD metres (~1e5). */
static double ring_signed_area2(const wb_point *p, size_t n, double *cx, double *cy)
{
    double a = 0, x = 0, y = 0;
    if (n < 3) {
        *cx = *cy = 0;
        return 0;
    }
    double ox = p[0].x, oy = p[0].y;
    for (size_t i = 0; i + 1 < n; i++) {
        double x0 = p[i].x - ox, y0 = p[i].y - oy, x1 = p[i + 1].x - ox, y1 = p[i + 1].y - oy;
        double c = x0 * y1 - x1 * y0;
        a += c;
        x += (x0 + x1) * c;
        y += (y0 + y1) * c;
    }
    /* centroid of the ring relative to origin, times 6A: convert to absolute later */
    *cx = x + 3.0 * a * ox; /* (sum) + 6A*ox/2 ... see wb_geom_centroid */
    *cy = y + 3.0 * a * oy;
    return a;
}

double wb_geom_area(const wb_geom *g)
{
    double total = 0;
    for (size_t p = 0; p < g->npolys; p++) {
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            double cx, cy;
            double a = fabs(ring_signed_area2(g->pts + g->ring_off[r],
                                               g->ring_off[r + 1] - g->ring_off[r], &cx, &cy)) / 2;
            total += r == g->poly_off[p] ? a : -a;
        }
    }
    return total;
}

wb_point wb_geom_centroid(const wb_geom *g)
{
    /* Centroid of each ring: C = (1/(6A)) * sum (xi + xi+1) * cross; with the shift by
     * (ox, oy): sum over shifted coords, then add o * 6A. ring_signed_area2 returns 2A and
     * sum + 3*(2A)*o = sum + 6A*o. Holes subtract with the sign of their area term. */
    double A = 0, X = 0, Y = 0;
    for (size_t p = 0; p < g->npolys; p++) {
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            double cx, cy;
            double a2 = ring_signed_area2(g->pts + g->ring_off[r],
                                          g->ring_off[r + 1] - g->ring_off[r], &cx, &cy);
            double sign = (r == g->poly_off[p]) ? 1.0 : -1.0;
            double s = (a2 < 0 ? -1.0 : 1.0) * sign; /* make exterior positive, holes negative */
            A += s * a2;
            X += s * cx;
            Y += s * cy;
        }
    }
    wb_point c = {0, 0};
    if (fabs(A) > 0) {
        c.x = X / (3.0 * A);
        c.y = Y / (3.0 * A);
        return c;
    }
    for (size_t i = 0; i < g->npts; i++) {
        c.x += g->pts[i].x;
        c.y += g->pts[i].y;
    }
    if (g->npts) {
        c.x /= (double)g->npts;
        c.y /= (double)g->npts;
    }
    return c;
}

/* ---------------------------------------------------------------- WKB */

static void put_u32(unsigned char **p, uint32_t v)
{
    memcpy(*p, &v, 4); /* little-endian hosts only: checked in wb_geom_to_wkb */
    *p += 4;
}

int wb_geom_to_wkb(unsigned char **out, size_t *len, const wb_geom *g)
{
    const uint16_t probe = 1;
    if (*(const unsigned char *)&probe != 1) {
        wb_error_set(WB_ERRCLASS_GEO, "WKB encoding needs a little-endian host");
        return WB_ERROR;
    }
    *out = NULL;
    *len = 0;
    if (g->npolys == 0) {
        wb_error_set(WB_ERRCLASS_GEO, "empty geometry");
        return WB_EINVALID;
    }
    int multi = g->npolys > 1;
    size_t n = multi ? 9 : 0;
    n += g->npolys * 9 + g->nrings * 4 + g->npts * 16;
    unsigned char *buf = wb_malloc(n), *p = buf;
    if (!buf)
        return WB_ENOMEM;
    if (multi) {
        *p++ = 1;
        put_u32(&p, 6);
        put_u32(&p, (uint32_t)g->npolys);
    }
    for (size_t k = 0; k < g->npolys; k++) {
        *p++ = 1;
        put_u32(&p, 3);
        put_u32(&p, (uint32_t)(g->poly_off[k + 1] - g->poly_off[k]));
        for (size_t r = g->poly_off[k]; r < g->poly_off[k + 1]; r++) {
            size_t np = g->ring_off[r + 1] - g->ring_off[r];
            put_u32(&p, (uint32_t)np);
            memcpy(p, g->pts + g->ring_off[r], np * 16);
            p += np * 16;
        }
    }
    *out = buf;
    *len = n;
    return 0;
}

typedef struct {
    const unsigned char *p, *end, *start;
} reader;

static int rd_fail(reader *r, const char *what)
{
    wb_error_set(WB_ERRCLASS_GEO, "malformed WKB at byte %zu: %s", (size_t)(r->p - r->start), what);
    return WB_EPARSE;
}

static int rd_u32(reader *r, int le, uint32_t *v)
{
    if (r->end - r->p < 4)
        return rd_fail(r, "truncated");
    const unsigned char *b = r->p;
    *v = le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
            : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
    r->p += 4;
    return 0;
}

static int rd_f64(reader *r, int le, double *v)
{
    if (r->end - r->p < 8)
        return rd_fail(r, "truncated");
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = le ? r->p[i] : r->p[7 - i];
    memcpy(v, b, 8);
    r->p += 8;
    return 0;
}

typedef struct {
    size_t cap_pts, cap_rings, cap_polys;
} caps;

static int rd_polygon(reader *r, wb_geom *g, caps *c, int expect_header)
{
    int le = 1, error;
    uint32_t type = 3;
    if (expect_header) {
        if (r->p >= r->end)
            return rd_fail(r, "truncated");
        le = *r->p++ == 1;
        if ((error = rd_u32(r, le, &type)) < 0)
            return error;
    }
    uint32_t base = type % 1000, dimcode = type / 1000;
    int dims = 2 + (dimcode == 1 || dimcode == 2) + 2 * (dimcode == 3);
    if (type & 0x80000000u)
        dims++, base = type & 0xffff;
    if (type & 0x40000000u)
        dims++, base = type & 0xffff;
    if (base != 3)
        return rd_fail(r, "expected a Polygon");
    uint32_t nr;
    if ((error = rd_u32(r, le, &nr)) < 0)
        return error;
    if ((error = wb__grow((void **)&g->poly_off, &c->cap_polys, g->npolys + 2, sizeof(size_t))) < 0)
        return error;
    for (uint32_t k = 0; k < nr; k++) {
        uint32_t np;
        if ((error = rd_u32(r, le, &np)) < 0)
            return error;
        if ((size_t)(r->end - r->p) / (size_t)(8 * dims) < np)
            return rd_fail(r, "ring longer than the data");
        if ((error = wb__grow((void **)&g->pts, &c->cap_pts, g->npts + np, sizeof(wb_point))) < 0 ||
            (error = wb__grow((void **)&g->ring_off, &c->cap_rings, g->nrings + 2, sizeof(size_t))) < 0)
            return error;
        for (uint32_t i = 0; i < np; i++) {
            double xyzm[4];
            for (int d = 0; d < dims; d++)
                if ((error = rd_f64(r, le, &xyzm[d])) < 0)
                    return error;
            g->pts[g->npts + i].x = xyzm[0];
            g->pts[g->npts + i].y = xyzm[1];
        }
        g->npts += np;
        g->nrings++;
        g->ring_off[g->nrings] = g->npts;
    }
    g->npolys++;
    g->poly_off[g->npolys] = g->nrings;
    return 0;
}

int wb_geom_from_wkb(wb_geom *out, const unsigned char *wkb, size_t len)
{
    wb_geom g = WB_GEOM_INIT;
    caps c = {0, 0, 0};
    reader r = {wkb, wkb + len, wkb};
    int error = 0;
    if (!wkb || len < 5) {
        error = rd_fail(&r, "too short");
        goto done;
    }
    if ((error = wb__grow((void **)&g.ring_off, &c.cap_rings, 1, sizeof(size_t))) < 0 ||
        (error = wb__grow((void **)&g.poly_off, &c.cap_polys, 1, sizeof(size_t))) < 0)
        goto done;
    g.ring_off[0] = 0;
    g.poly_off[0] = 0;
    int le = wkb[0] == 1;
    r.p = wkb + 1;
    uint32_t type;
    if ((error = rd_u32(&r, le, &type)) < 0)
        goto done;
    uint32_t base = type % 1000;
    if (type & 0xC0000000u)
        base = type & 0xffff;
    if (base == 3) {
        r.p = wkb;
        error = rd_polygon(&r, &g, &c, 1);
    } else if (base == 6) {
        uint32_t np;
        if ((error = rd_u32(&r, le, &np)) < 0)
            goto done;
        for (uint32_t k = 0; k < np && error == 0; k++)
            error = rd_polygon(&r, &g, &c, 1);
    } else {
        error = rd_fail(&r, "expected Polygon or MultiPolygon");
    }
    if (error == 0 && r.p != r.end)
        error = rd_fail(&r, "trailing bytes");
done:
    if (error < 0) {
        wb_geom_dispose(&g);
        return error;
    }
    wb_geom_update_bbox(&g);
    *out = g;
    return 0;
}

/* ---------------------------------------------------------------- PROJ */

int wb_geom_transform(wb_geom *g, const char *from_crs, const char *to_crs)
{
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx) {
        wb_error_set(WB_ERRCLASS_GEO, "cannot create a PROJ context");
        return WB_ERROR;
    }
    proj_log_level(ctx, PJ_LOG_NONE);
    int error = 0;
    PJ *raw = proj_create_crs_to_crs(ctx, from_crs, to_crs, NULL);
    PJ *pj = raw ? proj_normalize_for_visualization(ctx, raw) : NULL;
    if (!pj) {
        wb_error_set(WB_ERRCLASS_GEO, "cannot transform from %s to %s: %s", from_crs, to_crs,
                     proj_context_errno_string(ctx, proj_context_errno(ctx)));
        error = WB_EINVALID;
        goto done;
    }
    size_t n = proj_trans_generic(pj, PJ_FWD, &g->pts[0].x, sizeof(wb_point), g->npts,
                                  &g->pts[0].y, sizeof(wb_point), g->npts, NULL, 0, 0, NULL, 0, 0);
    if (n != g->npts) {
        wb_error_set(WB_ERRCLASS_GEO, "transformed %zu of %zu points", n, g->npts);
        error = WB_ERROR;
        goto done;
    }
    for (size_t i = 0; i < g->npts; i++) {
        if (!isfinite(g->pts[i].x) || !isfinite(g->pts[i].y)) {
            wb_error_set(WB_ERRCLASS_GEO, "point %zu does not transform from %s to %s", i, from_crs,
                         to_crs);
            error = WB_ERROR;
            goto done;
        }
    }
    wb_geom_update_bbox(g);
done:
    proj_destroy(pj);
    proj_destroy(raw);
    proj_context_destroy(ctx);
    return error;
}
