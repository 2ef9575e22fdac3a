/** @file @brief Coordinate systems: checking a CRS and reusable PROJ transformations. */
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/geo.h"

struct wb_reproj {
    PJ_CONTEXT *ctx;
    PJ *pj;       /* NULL: identity */
    char from[64], to[64];
};

static int is_geographic_type(PJ_TYPE t)
{
    return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
           t == PJ_TYPE_GEOGRAPHIC_CRS;
}

static int is_crs_type(PJ_TYPE t)
{
    return is_geographic_type(t) || t == PJ_TYPE_PROJECTED_CRS || t == PJ_TYPE_COMPOUND_CRS ||
           t == PJ_TYPE_GEOCENTRIC_CRS || t == PJ_TYPE_BOUND_CRS || t == PJ_TYPE_OTHER_CRS ||
           t == PJ_TYPE_CRS;
}

/* Shorten a CRS text for messages (WKT can be long). */
static const char *shown(const char *crs, char *buf, size_t n)
{
    snprintf(buf, n, "%s", crs);
    if (strlen(crs) >= n && n > 4)
        memcpy(buf + n - 4, "...", 4);
    return buf;
}

static int crs_check_ctx(PJ_CONTEXT *ctx, const char *crs, int *is_geographic, char *canonical,
                         size_t n)
{
    char b[80];
    if (canonical && n)
        canonical[0] = 0;
    if (!crs || !*crs) {
        wb_error_set(WB_ERRCLASS_GEO, "empty CRS");
        return WB_EINVALID;
    }
    PJ *pj = proj_create(ctx, crs);
    if (!pj) {
        wb_error_set(WB_ERRCLASS_GEO, "unknown CRS '%s' (expected e.g. EPSG:28992 or EPSG:4326)",
                     shown(crs, b, sizeof b));
        return WB_EINVALID;
    }
    PJ_TYPE t = proj_get_type(pj);
    int error = 0;
    if (!is_crs_type(t)) {
        wb_error_set(WB_ERRCLASS_GEO, "'%s' is not a coordinate reference system",
                     shown(crs, b, sizeof b));
        error = WB_EINVALID;
        goto done;
    }
    if (is_geographic) {
        PJ *h = NULL;
        if (t == PJ_TYPE_COMPOUND_CRS)
            h = proj_crs_get_sub_crs(ctx, pj, 0);
        else if (t == PJ_TYPE_BOUND_CRS)
            h = proj_get_source_crs(ctx, pj);
        *is_geographic = is_geographic_type(h ? proj_get_type(h) : t);
        proj_destroy(h);
    }
    if (canonical && n) {
        const char *auth = proj_get_id_auth_name(pj, 0), *code = proj_get_id_code(pj, 0);
        if (auth && code)
            snprintf(canonical, n, "%s:%s", auth, code);
    }
done:
    proj_destroy(pj);
    return error;
}

int wb_crs_check(const char *crs, int *is_geographic, char *canonical, size_t n)
{
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx) {
        wb_error_set(WB_ERRCLASS_GEO, "cannot create a PROJ context");
        return WB_ERROR;
    }
    proj_log_level(ctx, PJ_LOG_NONE);
    int error = crs_check_ctx(ctx, crs, is_geographic, canonical, n);
    proj_context_destroy(ctx);
    return error;
}

void wb_reproj_free(wb_reproj *r)
{
    if (!r)
        return;
    proj_destroy(r->pj);
    if (r->ctx)
        proj_context_destroy(r->ctx);
    wb_free(r);
}

int wb_reproj_new(wb_reproj **out, const char *from_crs, const char *to_crs)
{
    *out = NULL;
    wb_reproj *r = wb_calloc(1, sizeof *r);
    if (!r)
        return WB_ENOMEM;
    int error = 0;
    PJ *raw = NULL;
    r->ctx = proj_context_create();
    if (!r->ctx) {
        wb_error_set(WB_ERRCLASS_GEO, "cannot create a PROJ context");
        error = WB_ERROR;
        goto done;
    }
    proj_log_level(r->ctx, PJ_LOG_NONE);
    char cf[64], ct[64];
    if ((error = crs_check_ctx(r->ctx, from_crs, NULL, cf, sizeof cf)) < 0 ||
        (error = crs_check_ctx(r->ctx, to_crs, NULL, ct, sizeof ct)) < 0)
        goto done;
    char b1[80], b2[80];
    snprintf(r->from, sizeof r->from, "%s", cf[0] ? cf : shown(from_crs, b1, sizeof b1));
    snprintf(r->to, sizeof r->to, "%s", ct[0] ? ct : shown(to_crs, b2, sizeof b2));
    if (cf[0] && !strcmp(cf, ct))
        goto done; /* identity: same authority code */
    raw = proj_create_crs_to_crs(r->ctx, from_crs, to_crs, NULL);
    r->pj = raw ? proj_normalize_for_visualization(r->ctx, raw) : NULL;
    if (!r->pj) {
        wb_error_set(WB_ERRCLASS_GEO, "no transformation from %s to %s: %s", r->from, r->to,
                     proj_context_errno_string(r->ctx, proj_context_errno(r->ctx)));
        error = WB_EINVALID;
    }
done:
    proj_destroy(raw);
    if (error < 0) {
        wb_reproj_free(r);
        return error;
    }
    *out = r;
    return 0;
}

int wb_reproj_points(wb_reproj *r, wb_point *pts, size_t n)
{
    if (!r->pj || n == 0)
        return 0;
    size_t done = proj_trans_generic(r->pj, PJ_FWD, &pts[0].x, sizeof(wb_point), n, &pts[0].y,
                                     sizeof(wb_point), n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < n; i++) {
        if (done != n || !isfinite(pts[i].x) || !isfinite(pts[i].y)) {
            wb_error_set(WB_ERRCLASS_GEO, "point %zu does not transform from %s to %s", i,
                         r->from, r->to);
            return WB_ERROR;
        }
    }
    return 0;
}

int wb_reproj_geom(wb_reproj *r, wb_geom *g)
{
    int error = wb_reproj_points(r, g->pts, g->npts);
    if (error == 0)
        wb_geom_update_bbox(g);
    return error;
}
