/**
 * @file
 * @brief A TopoJSON decoder (https://github.com/topojson/topojson-specification).
 *
 * Our own, because GDAL does not recognise the CBS files whose "type": "Topology" member
 * comes last, and because decoding each arc once gives neighbours bit-identical shared
 * vertices (exact contiguity later):
 * - arcs are decoded once: with a "transform", positions are quantised and delta-encoded
 *   (cumulative sums of the deltas, times scale, plus translate); without one they are
 *   absolute coordinates;
 * - all arc points are reprojected to RD New in one pass, so a shared vertex is transformed
 *   once and both neighbours copy the same doubles;
 * - rings are concatenations of arcs (index ~i = arc i reversed), the first point of each
 *   following arc dropped as it repeats the last one (as topojson-client does);
 * - rings are cleaned on the exact positions (quantised integers where there is a transform):
 *   repeated consecutive points removed, open rings closed, rings with fewer than 4 points or
 *   zero area dropped, and polygons whose exterior ring is dropped go with their holes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "io/geo_internal.h"
#include "wijkbeeld/errors.h"

typedef struct {
    size_t narcs;
    size_t *off;  /* narcs + 1 offsets into the points */
    wb_point *q;  /* exact positions: quantised integers, or the file's coordinates */
    wb_point *xy; /* final coordinates (RD New) */
    size_t npts;
} arcs_t;

typedef struct {
    wb_geom g;
    size_t cap_pts, cap_rings, cap_polys;
    size_t *idx; /* ring being assembled: indices into the arc points */
    size_t nidx, cap_idx;
} builder;

typedef struct {
    const char *fname;
    const char *object;
    const arcs_t *arcs;
    wb_geom_clean_stats *clean;
    size_t feature;  /* 0-based, for messages */
    size_t narcs;    /* arcs in the file, for checking indices */
    char what[96];   /* " (BU00030001)" or "" */
    const wb_geo__scan *scan; /* where geometries start, or NULL */
} ctx_t;

static int fail(const ctx_t *c, int code, const char *msg)
{
    char where[600];
    wb_error_set(WB_ERRCLASS_GEO, "%s: object '%s', geometry %zu%s: %s",
                 wb_geo__where(where, sizeof where, c->fname, c->scan, c->object, c->feature), c->object,
                 c->feature + 1, c->what, msg);
    return code;
}

/* ---------------------------------------------------------------- arcs */

static int read_pair(json_t *a, double out[2])
{
    if (!json_is_array(a) || json_array_size(a) < 2 || !json_is_number(json_array_get(a, 0)) ||
        !json_is_number(json_array_get(a, 1)))
        return -1;
    out[0] = json_number_value(json_array_get(a, 0));
    out[1] = json_number_value(json_array_get(a, 1));
    return isfinite(out[0]) && isfinite(out[1]) ? 0 : -1;
}

static int decode_arcs(arcs_t *A, json_t *arcs, json_t *transform, const char *fname)
{
    double scale[2] = {1, 1}, translate[2] = {0, 0};
    int quantised = transform != NULL && !json_is_null(transform);
    if (quantised) {
        if (!json_is_object(transform) || read_pair(json_object_get(transform, "scale"), scale) < 0 ||
            read_pair(json_object_get(transform, "translate"), translate) < 0 || scale[0] == 0 ||
            scale[1] == 0) {
            wb_error_set(WB_ERRCLASS_GEO,
                         "%s: 'transform' must have 'scale' [sx, sy] (non-zero) and 'translate' [tx, ty]",
                         fname);
            return WB_EPARSE;
        }
    }
    if (arcs && !json_is_null(arcs) && !json_is_array(arcs)) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: 'arcs' must be an array of arcs", fname);
        return WB_EPARSE;
    }
    size_t narcs = arcs ? json_array_size(arcs) : 0, total = 0;
    for (size_t i = 0; i < narcs; i++) {
        json_t *a = json_array_get(arcs, i);
        if (!json_is_array(a)) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: arc %zu: expected an array of positions", fname, i);
            return WB_EPARSE;
        }
        total += json_array_size(a);
    }
    A->narcs = narcs;
    A->npts = total;
    A->off = wb_malloc((narcs + 1) * sizeof *A->off);
    A->q = wb_malloc((total ? total : 1) * sizeof *A->q);
    A->xy = wb_malloc((total ? total : 1) * sizeof *A->xy);
    if (!A->off || !A->q || !A->xy)
        return WB_ENOMEM;
    size_t k = 0;
    A->off[0] = 0;
    for (size_t i = 0; i < narcs; i++) {
        json_t *a = json_array_get(arcs, i);
        double x = 0, y = 0;
        for (size_t j = 0; j < json_array_size(a); j++) {
            double p[2];
            if (read_pair(json_array_get(a, j), p) < 0) {
                wb_error_set(WB_ERRCLASS_GEO, "%s: arc %zu, position %zu: expected [x, y] numbers",
                             fname, i, j);
                return WB_EPARSE;
            }
            if (quantised) {
                x += p[0];
                y += p[1];
            } else {
                x = p[0];
                y = p[1];
            }
            A->q[k].x = x;
            A->q[k].y = y;
            A->xy[k].x = quantised ? x * scale[0] + translate[0] : x;
            A->xy[k].y = quantised ? y * scale[1] + translate[1] : y;
            if (!isfinite(A->xy[k].x) || !isfinite(A->xy[k].y)) { /* sums of deltas overflow */
                wb_error_set(WB_ERRCLASS_GEO,
                             "%s: arc %zu, position %zu: expected coordinates within the range "
                             "of a double, got an overflow",
                             fname, i, j);
                return WB_EPARSE;
            }
            k++;
        }
        A->off[i + 1] = k;
    }
    return 0;
}

/* ---------------------------------------------------------------- rings */

static int same(wb_point a, wb_point b)
{
    return a.x == b.x && a.y == b.y;
}

/* Twice the signed area of a closed ring given by indices into q. */
static double area2(const wb_point *q, const size_t *idx, size_t n)
{
    double a = 0, ox = q[idx[0]].x, oy = q[idx[0]].y;
    for (size_t i = 1; i + 1 < n; i++) {
        wb_point p = q[idx[i]], r = q[idx[i + 1]];
        a += (p.x - ox) * (r.y - oy) - (r.x - ox) * (p.y - oy);
    }
    return a;
}

/* Assemble one ring into b->idx and clean it. @return 1 valid, 0 degenerate, < 0 error. */
static int assemble_ring(builder *b, json_t *ring, ctx_t *c)
{
    const arcs_t *A = c->arcs;
    if (!json_is_array(ring))
        return fail(c, WB_EPARSE, "a ring must be an array of arc indices");
    b->nidx = 0;
    size_t i;
    json_t *v;
    json_array_foreach(ring, i, v)
    {
        if (!json_is_integer(v))
            return fail(c, WB_EPARSE, "arc indices must be integers");
        json_int_t ai = json_integer_value(v);
        json_int_t k = ai >= 0 ? ai : ~ai;
        if ((unsigned long long)k >= A->narcs) {
            char msg[128];
            snprintf(msg, sizeof msg, "arc index %lld out of range (the file has %zu arcs)",
                     (long long)ai, A->narcs);
            return fail(c, WB_EPARSE, msg);
        }
        size_t s = A->off[k], e = A->off[k + 1];
        if (e == s)
            continue;
        if (b->nidx)
            b->nidx--; /* the first point of this arc repeats the last one */
        int error = wb__grow((void **)&b->idx, &b->cap_idx, b->nidx + (e - s) + 1, sizeof *b->idx);
        if (error < 0)
            return error;
        if (ai >= 0)
            for (size_t p = s; p < e; p++)
                b->idx[b->nidx++] = p;
        else
            for (size_t p = e; p-- > s;)
                b->idx[b->nidx++] = p;
    }
    /* remove repeated consecutive points, close */
    size_t w = 0;
    for (size_t r = 0; r < b->nidx; r++) {
        if (w && same(A->q[b->idx[w - 1]], A->q[b->idx[r]])) {
            c->clean->repeated_points++;
            continue;
        }
        b->idx[w++] = b->idx[r];
    }
    if (w && !same(A->q[b->idx[0]], A->q[b->idx[w - 1]])) {
        b->idx[w++] = b->idx[0]; /* room: wb__grow() reserved one extra */
        c->clean->rings_closed++;
    }
    b->nidx = w;
    return w >= 4 && area2(A->q, b->idx, w) != 0;
}

static int emit_ring(builder *b, const arcs_t *A)
{
    wb_geom *g = &b->g;
    int error;
    if ((error = wb__grow((void **)&g->pts, &b->cap_pts, g->npts + b->nidx, sizeof *g->pts)) < 0 ||
        (error = wb__grow((void **)&g->ring_off, &b->cap_rings, g->nrings + 2, sizeof *g->ring_off)) < 0)
        return error;
    for (size_t i = 0; i < b->nidx; i++)
        g->pts[g->npts++] = A->xy[b->idx[i]];
    g->nrings++;
    g->ring_off[g->nrings] = g->npts;
    return 0;
}

static int add_polygon(builder *b, json_t *rings, ctx_t *c)
{
    if (!json_is_array(rings))
        return fail(c, WB_EPARSE, "a polygon must be an array of rings");
    wb_geom *g = &b->g;
    size_t first_ring = g->nrings, first_pt = g->npts;
    int exterior_ok = 0;
    for (size_t r = 0; r < json_array_size(rings); r++) {
        int ok = assemble_ring(b, json_array_get(rings, r), c);
        if (ok < 0)
            return ok;
        if (r == 0) {
            if (!ok)
                c->clean->degenerate_rings++;
            exterior_ok = ok;
        } else if (!ok) {
            c->clean->degenerate_rings++;
        } else if (!exterior_ok) {
            c->clean->orphan_holes++;
        }
        if (ok && exterior_ok) {
            int error = emit_ring(b, c->arcs);
            if (error < 0)
                return error;
        }
    }
    if (!exterior_ok) {
        c->clean->empty_polygons++;
        g->nrings = first_ring;
        g->npts = first_pt;
        return 0;
    }
    int error = wb__grow((void **)&g->poly_off, &b->cap_polys, g->npolys + 2, sizeof *g->poly_off);
    if (error < 0)
        return error;
    g->npolys++;
    g->poly_off[g->npolys] = g->nrings;
    return 0;
}

static const char *geom_type(json_t *geom)
{
    json_t *t = json_object_get(geom, "type");
    return json_is_string(t) ? json_string_value(t) : NULL;
}

/* Check that a geometry is a polygon type (or null, or a collection of them). */
/* Check the arc indices of a polygon ("arcs": [[i, ~j, ...], ...]) before anything is decoded,
 * so a malformed file is reported as such whatever else is wrong with it. */
static int check_polygon_arcs(json_t *rings, ctx_t *c, size_t narcs)
{
    if (!json_is_array(rings))
        return fail(c, WB_EPARSE, "a polygon must be an array of rings");
    for (size_t r = 0; r < json_array_size(rings); r++) {
        json_t *ring = json_array_get(rings, r);
        if (!json_is_array(ring))
            return fail(c, WB_EPARSE, "a ring must be an array of arc indices");
        for (size_t i = 0; i < json_array_size(ring); i++) {
            json_t *v = json_array_get(ring, i);
            if (!json_is_integer(v))
                return fail(c, WB_EPARSE, "arc indices must be integers");
            json_int_t ai = json_integer_value(v), k = ai >= 0 ? ai : ~ai;
            if ((unsigned long long)k >= narcs) {
                char msg[128];
                snprintf(msg, sizeof msg, "arc index %lld out of range (the file has %zu arcs)",
                         (long long)ai, narcs);
                return fail(c, WB_EPARSE, msg);
            }
        }
    }
    return 0;
}

static int check_type(json_t *geom, ctx_t *c, int depth)
{
    if (!json_is_object(geom))
        return fail(c, WB_EPARSE, "expected a geometry object");
    json_t *t = json_object_get(geom, "type");
    if (!t || json_is_null(t))
        return 0;
    const char *type = geom_type(geom);
    if (!type)
        return fail(c, WB_EPARSE, "'type' must be a string or null");
    json_t *arcs = json_object_get(geom, "arcs");
    if (!strcmp(type, "Polygon"))
        return check_polygon_arcs(arcs, c, c->narcs);
    if (!strcmp(type, "MultiPolygon")) {
        if (!json_is_array(arcs))
            return fail(c, WB_EPARSE, "a MultiPolygon needs 'arcs': an array of polygons");
        for (size_t p = 0; p < json_array_size(arcs); p++) {
            int error = check_polygon_arcs(json_array_get(arcs, p), c, c->narcs);
            if (error < 0)
                return error;
        }
        return 0;
    }
    if (!strcmp(type, "GeometryCollection") && depth < 8) {
        json_t *gs = json_object_get(geom, "geometries");
        if (!json_is_array(gs))
            return fail(c, WB_EPARSE, "a GeometryCollection needs 'geometries'");
        for (size_t i = 0; i < json_array_size(gs); i++) {
            int error = check_type(json_array_get(gs, i), c, depth + 1);
            if (error < 0)
                return error;
        }
        return 0;
    }
    char msg[160];
    snprintf(msg, sizeof msg,
             "a %.40s, expected Polygon, MultiPolygon or null (wijkbeeld imports polygon layers)",
             type);
    return fail(c, WB_EPARSE, msg);
}

static int add_geometry(builder *b, json_t *geom, ctx_t *c, int depth, int *has_type)
{
    const char *type = geom_type(geom);
    if (!type)
        return 0; /* null geometry */
    *has_type = 1;
    json_t *arcs = json_object_get(geom, "arcs");
    if (!strcmp(type, "Polygon"))
        return add_polygon(b, arcs, c);
    if (!strcmp(type, "MultiPolygon")) {
        if (!json_is_array(arcs))
            return fail(c, WB_EPARSE, "a MultiPolygon needs 'arcs': an array of polygons");
        for (size_t p = 0; p < json_array_size(arcs); p++) {
            int error = add_polygon(b, json_array_get(arcs, p), c);
            if (error < 0)
                return error;
        }
        return 0;
    }
    /* GeometryCollection (check_type refused everything else) */
    json_t *gs = json_object_get(geom, "geometries");
    for (size_t i = 0; i < json_array_size(gs); i++) {
        int error = add_geometry(b, json_array_get(gs, i), c, depth + 1, has_type);
        if (error < 0)
            return error;
    }
    return 0;
}

/* ---------------------------------------------------------------- objects */

static int object_has_polygons(json_t *obj)
{
    const char *t = geom_type(obj);
    if (!t)
        return 0;
    if (!strcmp(t, "Polygon") || !strcmp(t, "MultiPolygon"))
        return 1;
    if (!strcmp(t, "GeometryCollection")) {
        json_t *gs = json_object_get(obj, "geometries");
        for (size_t i = 0; i < json_array_size(gs); i++)
            if (object_has_polygons(json_array_get(gs, i)))
                return 1;
    }
    return 0;
}

static void list_keys(json_t *obj, char *buf, size_t n)
{
    const char *key;
    json_t *v;
    size_t len = 0;
    buf[0] = 0;
    json_object_foreach(obj, key, v)
    {
        (void)v;
        int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", key);
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
}

/* Properties of a geometry, the key given exactly; "id" falls back to the geometry's id. */
static json_t *field_value(json_t *geom, const char *field)
{
    if (!field || !*field)
        return NULL;
    json_t *props = json_object_get(geom, "properties");
    json_t *v = json_is_object(props) ? json_object_get(props, field) : NULL;
    if ((!v || json_is_null(v)) && !strcmp(field, "id"))
        v = json_object_get(geom, "id");
    return v && !json_is_null(v) ? v : NULL;
}

static int add_name(const char ***names, size_t *n, size_t *cap, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*names)[i], key))
            return 0;
    int error = wb__grow((void **)names, cap, *n + 1, sizeof **names);
    if (error < 0)
        return error;
    (*names)[(*n)++] = key;
    return 0;
}

int wb_topojson__read(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, json_t *root,
                      const wb_geo_opts *opts)
{
    arcs_t A;
    memset(&A, 0, sizeof A);
    builder b;
    memset(&b, 0, sizeof b);
    wb_geom empty = WB_GEOM_INIT;
    b.g = empty;
    const char **names = NULL;
    size_t nnames = 0, capnames = 0;
    wb_reproj *rp = NULL;
    int error = 0;
    snprintf(sum->format, sizeof sum->format, "TopoJSON");

    json_t *objects = json_object_get(root, "objects");
    if (!json_is_object(objects) || json_object_size(objects) == 0) {
        wb_error_set(WB_ERRCLASS_GEO, "%s: TopoJSON without objects ('objects' must be a non-empty object)",
                     fname);
        error = WB_EPARSE;
        goto done;
    }
    sum->nobjects = json_object_size(objects);
    const char *oname = NULL;
    json_t *obj = NULL;
    if (opts->object) {
        obj = json_object_get(objects, opts->object);
        if (!obj) {
            char list[512];
            list_keys(objects, list, sizeof list);
            wb_error_set(WB_ERRCLASS_GEO, "%s: no object '%s' (objects: %s)", fname, opts->object, list);
            error = WB_ENOTFOUND;
            goto done;
        }
        oname = opts->object;
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(objects, key, v)
        {
            if (!oname)
                oname = key, obj = v; /* the first, unless another holds polygons */
            if (object_has_polygons(v)) {
                oname = key, obj = v;
                break;
            }
        }
    }
    snprintf(sum->object, sizeof sum->object, "%s", oname);

    /* the features: a GeometryCollection's members, or the object itself */
    json_t *single[1] = {obj};
    json_t *members = NULL;
    size_t nfeat = 1;
    if (json_is_object(obj) && geom_type(obj) && !strcmp(geom_type(obj), "GeometryCollection")) {
        members = json_object_get(obj, "geometries");
        if (!json_is_array(members)) {
            wb_error_set(WB_ERRCLASS_GEO, "%s: object '%s': a GeometryCollection needs 'geometries'",
                         fname, oname);
            error = WB_EPARSE;
            goto done;
        }
        nfeat = json_array_size(members);
    }
#define FEATURE(i) (members ? json_array_get(members, (i)) : single[0])
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.fname = fname;
    c.object = oname;
    c.scan = out->scan;
    c.arcs = &A;
    c.clean = &sum->clean;

    /* 1. every feature must be a polygon, a multipolygon or null, with valid arc indices */
    json_t *arcs_member = json_object_get(root, "arcs");
    c.narcs = json_is_array(arcs_member) ? json_array_size(arcs_member) : 0;
    for (size_t i = 0; i < nfeat; i++) {
        c.feature = i;
        json_t *id = json_is_object(FEATURE(i)) ? json_object_get(FEATURE(i), "id") : NULL;
        c.what[0] = 0;
        if (json_is_string(id))
            snprintf(c.what, sizeof c.what, " (%.60s)", json_string_value(id));
        if ((error = check_type(FEATURE(i), &c, 0)) < 0)
            goto done;
    }

    /* 2. arcs, decoded once, and the CRS */
    if ((error = decode_arcs(&A, json_object_get(root, "arcs"), json_object_get(root, "transform"),
                             fname)) < 0)
        goto done;
    double bbox[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < A.npts; i++) {
        wb_point p = A.xy[i];
        if (p.x < bbox[0]) bbox[0] = p.x;
        if (p.y < bbox[1]) bbox[1] = p.y;
        if (p.x > bbox[2]) bbox[2] = p.x;
        if (p.y > bbox[3]) bbox[3] = p.y;
    }
    char crsbuf[160];
    const char *file_crs = wb_geo__crs_member(json_object_get(root, "crs"), crsbuf, sizeof crsbuf);
    if (!file_crs)
        file_crs = wb_geo__crs_member(json_object_get(obj, "crs"), crsbuf, sizeof crsbuf);
    if ((error = wb_geo__resolve_crs(sum, file_crs, opts->crs, A.npts ? bbox : NULL, fname)) < 0)
        goto done;
    if (!wb_geo__is_rd(sum->crs) && A.npts) {
        if ((error = wb_reproj_new(&rp, opts->crs ? opts->crs : file_crs ? file_crs : sum->crs,
                                   WB_CRS_RD)) < 0 ||
            (error = wb_reproj_points(rp, A.xy, A.npts)) < 0) {
            wb_error_prefix("%s", fname);
            goto done;
        }
    }

    /* 3. fields */
    for (size_t i = 0; i < nfeat; i++) {
        json_t *g = FEATURE(i), *props = json_object_get(g, "properties");
        const char *key;
        json_t *v;
        if (json_is_object(props)) {
            json_object_foreach(props, key, v)
            {
                (void)v;
                if ((error = add_name(&names, &nnames, &capnames, key)) < 0)
                    goto done;
            }
        }
        if (json_object_get(g, "id") && (error = add_name(&names, &nnames, &capnames, "id")) < 0)
            goto done;
    }
    wb_geo__fields avail = {names, nnames};
    if ((error = wb_geo__pick_fields(sum, &avail, opts, fname)) < 0)
        goto done;

    /* 4. features */
    for (size_t i = 0; i < nfeat; i++) {
        json_t *g = FEATURE(i);
        c.feature = i;
        char *code = wb_geo__json_text(field_value(g, sum->code_field));
        c.what[0] = 0;
        if (code)
            snprintf(c.what, sizeof c.what, " (%.60s)", code);
        if (!code) {
            char msg[160];
            snprintf(msg, sizeof msg, "no code in field '%s' (choose another with --code-field)",
                     sum->code_field);
            error = fail(&c, WB_EPARSE, msg);
            goto done;
        }
        char *name = wb_geo__json_text(field_value(g, sum->name_field));
        b.g.npts = b.g.nrings = b.g.npolys = 0;
        if (!b.g.ring_off && ((error = wb__grow((void **)&b.g.ring_off, &b.cap_rings, 2, sizeof(size_t))) < 0 ||
                              (error = wb__grow((void **)&b.g.poly_off, &b.cap_polys, 2, sizeof(size_t))) < 0)) {
            wb_free(code);
            wb_free(name);
            goto done;
        }
        b.g.ring_off[0] = 0;
        b.g.poly_off[0] = 0;
        int has_type = 0;
        if ((error = add_geometry(&b, g, &c, 0, &has_type)) < 0) {
            wb_free(code);
            wb_free(name);
            goto done;
        }
        wb_geom copy = WB_GEOM_INIT;
        unsigned flags = !has_type ? WB_GEO_NULL : b.g.npolys == 0 ? WB_GEO_COLLAPSED : 0;
        if (b.g.npolys) {
            wb_geom_update_bbox(&b.g);
            if ((error = wb_geom_copy(&copy, &b.g)) < 0) {
                wb_free(code);
                wb_free(name);
                goto done;
            }
        }
        if ((error = wb_geo__raw_push(out, code, name, &copy, flags, i)) < 0)
            goto done;
        if (opts->progress && (i + 1) % WB_GEO_PROGRESS_EVERY == 0)
            opts->progress(opts->progress_payload, "features", i + 1, nfeat);
    }
    if (opts->progress)
        opts->progress(opts->progress_payload, "features", nfeat, nfeat);
#undef FEATURE
done:
    wb_reproj_free(rp);
    wb_free(A.off);
    wb_free(A.q);
    wb_free(A.xy);
    wb_geom_dispose(&b.g);
    wb_free(b.idx);
    wb_free(names);
    return error;
}
