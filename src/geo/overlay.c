/** @file @brief Overlay of two polygon layers: intersection areas by trapezoid integration
 *  (see wijkbeeld/overlay.h for the method), with a grid index over bounding boxes and GEOS
 *  MakeValid (through GDAL/OGR) for geometries that cover a point more than once. */
#include <cpl_error.h>
#include <math.h>
#include <ogr_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/overlay.h"

/* An edge with x0 < x1 and the sign of its half-strip: the winding number of a polygon at
 * (x, y) is the sum of s over the edges above the point on the vertical line through it. */
typedef struct {
    double x0, y0, x1, y1;
    double s;
} oedge;

/* The edges of one geometry, sorted by x0, with the widest edge's x-extent (for the sweep)
 * and the bounding box. */
typedef struct {
    size_t off, n; /* into the layer's edge array */
    double maxw;
    double bbox[4];
    int empty;
    int zero_ring; /* a ring of zero signed area that is not a line: lobes that cancel */
} oshape;

typedef struct {
    oedge *e;
    size_t n, cap;
    oshape *s;
} olayer;

static int cmp_edge(const void *pa, const void *pb)
{
    const oedge *a = pa, *b = pb;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

/* Twice the signed area of a ring, relative to its first point (precision in RD metres). */
static double ring_area2(const wb_point *p, size_t n)
{
    double a = 0;
    for (size_t i = 0; i + 1 < n; i++)
        a += (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) - (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
    return a;
}

/* Append the edges of @p g to the layer as shape @p k. Exterior rings count +1 inside, holes
 * -1, whatever the ring orientation in the data. */
static int shape_build(olayer *L, size_t k, const wb_geom *g)
{
    oshape *sh = &L->s[k];
    memset(sh, 0, sizeof *sh);
    sh->off = L->n;
    sh->empty = g->npolys == 0;
    memcpy(sh->bbox, g->bbox, sizeof sh->bbox);
    for (size_t p = 0; p < g->npolys; p++) {
        for (size_t r = g->poly_off[p]; r < g->poly_off[p + 1]; r++) {
            const wb_point *pt = g->pts + g->ring_off[r];
            size_t n = WB_RING_NPTS(g, r);
            double a2 = ring_area2(pt, n);
            if (a2 == 0) {
                /* a bow-tie with equal lobes: its orientation is undefined here; GEOS
                 * decides what it covers */
                for (size_t i = 2; i + 1 < n && !sh->zero_ring; i++)
                    sh->zero_ring = (pt[i].x - pt[0].x) * (pt[1].y - pt[0].y) != (pt[i].y - pt[0].y) * (pt[1].x - pt[0].x);
                continue;
            }
            int exterior = r == g->poly_off[p];
            double factor = (a2 > 0) == exterior ? 1.0 : -1.0; /* as if CCW exterior, CW holes */
            if (wb__grow((void **)&L->e, &L->cap, L->n + n, sizeof *L->e) < 0)
                return WB_ENOMEM;
            for (size_t i = 0; i + 1 < n; i++) {
                wb_point a = pt[i], b = pt[i + 1];
                if (a.x == b.x)
                    continue; /* a vertical edge bounds no half-strip */
                oedge *e = &L->e[L->n++];
                /* a CCW ring runs right to left along its top: those edges add +1 below them */
                if (b.x < a.x) {
                    e->x0 = b.x, e->y0 = b.y, e->x1 = a.x, e->y1 = a.y, e->s = factor;
                } else {
                    e->x0 = a.x, e->y0 = a.y, e->x1 = b.x, e->y1 = b.y, e->s = -factor;
                }
                if (e->x1 - e->x0 > sh->maxw)
                    sh->maxw = e->x1 - e->x0;
            }
        }
    }
    sh->n = L->n - sh->off;
    if (sh->n > 1)
        qsort(L->e + sh->off, sh->n, sizeof *L->e, cmp_edge);
    return 0;
}

/* ∫_l^r (min(y_e(x), y_f(x)) - y0) dx for two non-vertical segments over [l, r] within both
 * x-ranges. The lines cross at most once in (l, r): split there. */
static double strip_min(const oedge *e, const oedge *f, double l, double r, double y0)
{
    double se = (e->y1 - e->y0) / (e->x1 - e->x0), sf = (f->y1 - f->y0) / (f->x1 - f->x0);
    double el = (l == e->x0 ? e->y0 : e->y0 + se * (l - e->x0)) - y0;
    double er = (r == e->x1 ? e->y1 : e->y0 + se * (r - e->x0)) - y0;
    double fl = (l == f->x0 ? f->y0 : f->y0 + sf * (l - f->x0)) - y0;
    double fr = (r == f->x1 ? f->y1 : f->y0 + sf * (r - f->x0)) - y0;
    double dl = el - fl, dr = er - fr, w = r - l;
    if (dl <= 0 && dr <= 0)
        return (el + er) * w / 2;
    if (dl >= 0 && dr >= 0)
        return (fl + fr) * w / 2;
    double t = dl / (dl - dr); /* where the lines cross, as a fraction of [l, r] */
    double xm = w * t, ym = el + (er - el) * t;
    if (dl < 0) /* e below on the left, f below on the right */
        return (el + ym) * xm / 2 + (ym + fr) * (w - xm) / 2;
    return (fl + ym) * xm / 2 + (ym + er) * (w - xm) / 2;
}

/* First index in sorted edges[0..n) whose x0 is >= x. */
static size_t lower_x0(const oedge *e, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid].x0 < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ∫∫ w_A w_B over the window [lo, hi] in x, from the baseline y0 up. */
static double pair_integral(const oedge *E, size_t n, double maxwe, const oedge *F, size_t m,
                            double maxwf, double lo, double hi, double y0)
{
    double sum = 0;
    size_t j0 = lower_x0(F, m, lo - maxwf);
    for (size_t i = lower_x0(E, n, lo - maxwe); i < n && E[i].x0 < hi; i++) {
        const oedge *e = &E[i];
        if (e->x1 <= lo)
            continue;
        double elo = e->x0 > lo ? e->x0 : lo, ehi = e->x1 < hi ? e->x1 : hi;
        /* edges of F ending before elo: none of their successors in x0 order can start
         * earlier than F[j0].x0, and elo never decreases */
        while (j0 < m && F[j0].x0 + maxwf < elo)
            j0++;
        for (size_t j = j0; j < m && F[j].x0 < ehi; j++) {
            const oedge *f = &F[j];
            double l = f->x0 > elo ? f->x0 : elo, r = f->x1 < ehi ? f->x1 : ehi;
            if (l < r)
                sum += e->s * f->s * strip_min(e, f, l, r, y0);
        }
    }
    return sum;
}

/* ∫ w (the signed area) and ∫ w² of one shape, both by the same sums. */
static void shape_moments(const olayer *L, size_t k, double *w1, double *w2)
{
    const oshape *sh = &L->s[k];
    const oedge *E = sh->n ? L->e + sh->off : NULL; /* no edges at all (a bowtie): e may be NULL */
    double y0 = sh->bbox[1], a = 0;
    for (size_t i = 0; i < sh->n; i++)
        a += E[i].s * ((E[i].y0 - y0) + (E[i].y1 - y0)) * (E[i].x1 - E[i].x0) / 2;
    *w1 = a;
    *w2 = sh->n ? pair_integral(E, sh->n, sh->maxw, E, sh->n, sh->maxw, sh->bbox[0], sh->bbox[2], y0) : 0;
}

static int needs_repair(double w1, double w2)
{
    /* w² > w exactly where some point is covered twice or negatively; the sums carry
     * rounding of about 1e-13 of the area */
    return w2 - w1 > 1e-9 * fabs(w1) + WB_OVERLAY_MIN_AREA;
}

/* ---------------------------------------------------------------- GEOS repair */

static int add_polygons(OGRGeometryH mp, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon)
        return OGR_G_IsEmpty(g) || OGR_G_AddGeometry(mp, g) == OGRERR_NONE ? 0 : WB_ERROR;
    if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (add_polygons(mp, OGR_G_GetGeometryRef(g, i)) < 0)
                return WB_ERROR;
    }
    return 0; /* points and lines left by collapsed parts have no area */
}

static int geos_make_valid(wb_geom *g)
{
    unsigned char *wkb = NULL, *out = NULL;
    size_t len = 0;
    OGRGeometryH og = NULL, valid = NULL, mp = NULL;
    int error = wb_geom_to_wkb(&wkb, &len, g);
    if (error < 0)
        return error;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    if (OGR_G_CreateFromWkbEx(wkb, NULL, &og, len) != OGRERR_NONE || !og) {
        error = WB_ERROR;
        goto done;
    }
    /* the structure method (union of the shells minus the union of the holes) is what
     * sf::st_make_valid uses by default; the linework method would keep both lobes of a
     * bow-tie and drop the overlap of two overlapping parts */
    char *mv_opts[] = {(char *)"METHOD=STRUCTURE", (char *)"KEEP_COLLAPSED=NO", NULL};
    valid = OGR_G_MakeValidEx(og, mv_opts);
    mp = OGR_G_CreateGeometry(wkbMultiPolygon);
    if (!valid || !mp || add_polygons(mp, valid) < 0) {
        error = WB_ERROR;
        goto done;
    }
    if (OGR_G_IsEmpty(mp)) {
        wb_geom_dispose(g);
        goto done;
    }
    size_t n = (size_t)OGR_G_WkbSize(mp);
    if (!(out = wb_malloc(n))) {
        error = WB_ENOMEM;
        goto done;
    }
    if (OGR_G_ExportToIsoWkb(mp, wkbNDR, out) != OGRERR_NONE) {
        error = WB_ERROR;
        goto done;
    }
    wb_geom fixed = WB_GEOM_INIT;
    if ((error = wb_geom_from_wkb(&fixed, out, n)) < 0)
        goto done;
    wb_geom_dispose(g);
    *g = fixed;
done:
    if (error == WB_ERROR)
        wb_error_set(WB_ERRCLASS_GEO, "GEOS could not repair a geometry: %s",
                     *CPLGetLastErrorMsg() ? CPLGetLastErrorMsg() : "no geometry came back");
    CPLPopErrorHandler();
    OGR_G_DestroyGeometry(mp);
    OGR_G_DestroyGeometry(valid);
    OGR_G_DestroyGeometry(og);
    wb_free(out);
    wb_free(wkb);
    return error;
}

int wb_geom_repair(wb_geom *g, int *repaired)
{
    if (repaired)
        *repaired = 0;
    olayer L = {NULL, 0, 0, NULL};
    oshape sh;
    L.s = &sh;
    int error = shape_build(&L, 0, g);
    if (error == 0) {
        double w1, w2;
        shape_moments(&L, 0, &w1, &w2);
        if (sh.zero_ring || needs_repair(w1, w2)) {
            error = geos_make_valid(g);
            if (error == 0 && repaired)
                *repaired = 1;
        }
    }
    wb_free(L.e);
    return error;
}

/* ---------------------------------------------------------------- layers */

/* Shapes of a layer; geometries that need it are repaired into copies (*fixed). */
static int layer_prepare(olayer *L, wb_geom **fixed, const wb_geom *g, size_t n, double *areas,
                         size_t *nrepaired, char which)
{
    memset(L, 0, sizeof *L);
    *fixed = NULL;
    if (!(L->s = wb_calloc(n ? n : 1, sizeof *L->s)))
        return WB_ENOMEM;
    /* one allocation for every edge (at most one per point), not a doubling per layer */
    size_t npts = 0;
    for (size_t k = 0; k < n; k++)
        npts += g[k].npts;
    if (wb__grow((void **)&L->e, &L->cap, npts + 1, sizeof *L->e) < 0)
        return WB_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        size_t mark = L->n;
        int error = shape_build(L, k, &g[k]);
        if (error < 0)
            return error;
        double w1, w2;
        shape_moments(L, k, &w1, &w2);
        const wb_geom *use = &g[k];
        if (L->s[k].zero_ring || needs_repair(w1, w2)) {
            if (!*fixed && !(*fixed = wb_calloc(n, sizeof **fixed)))
                return WB_ENOMEM;
            wb_geom *c = &(*fixed)[k];
            if ((error = wb_geom_copy(c, &g[k])) < 0)
                return error;
            if ((error = geos_make_valid(c)) < 0) {
                wb_error_prefix("geometry %zu of the %s layer", k, which == 'a' ? "first" : "second");
                return error;
            }
            L->n = mark; /* drop the edges of the unrepaired geometry */
            if ((error = shape_build(L, k, c)) < 0)
                return error;
            use = c;
            (*nrepaired)++;
        }
        if (areas)
            areas[k] = use->npolys ? wb_geom_area(use) : 0;
    }
    return 0;
}

static void layer_free(olayer *L, wb_geom *fixed, size_t n)
{
    if (fixed) {
        for (size_t k = 0; k < n; k++)
            wb_geom_dispose(&fixed[k]);
        wb_free(fixed);
    }
    wb_free(L->e);
    wb_free(L->s);
}

/* A uniform grid over the bounding boxes of the second layer: cell c lists the shapes whose
 * box touches it (cell_off / cell_items, compressed rows). */
typedef struct {
    double minx, miny, size;
    size_t nx, ny;
    size_t *off;
    uint32_t *items;
} ogrid;

static size_t cell_of(double v, double min, double size, size_t n)
{
    double c = floor((v - min) / size);
    if (!(c >= 0))
        return 0;
    return c >= (double)n ? n - 1 : (size_t)c;
}

static int grid_build(ogrid *G, const oshape *s, size_t n)
{
    memset(G, 0, sizeof *G);
    double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, wsum = 0;
    size_t used = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k].empty)
            continue;
        b[0] = fmin(b[0], s[k].bbox[0]), b[1] = fmin(b[1], s[k].bbox[1]);
        b[2] = fmax(b[2], s[k].bbox[2]), b[3] = fmax(b[3], s[k].bbox[3]);
        wsum += (s[k].bbox[2] - s[k].bbox[0]) + (s[k].bbox[3] - s[k].bbox[1]);
        used++;
    }
    if (!used) {
        G->nx = G->ny = 1;
        G->size = 1;
        G->off = wb_calloc(2, sizeof *G->off);
        G->items = wb_calloc(1, sizeof *G->items);
        return G->off && G->items ? 0 : WB_ENOMEM;
    }
    /* cells about the size of a typical box: each box touches a few cells, each cell holds
     * a few boxes; never more cells than 4 per box */
    double size = wsum / (2.0 * (double)used);
    double W = b[2] - b[0], H = b[3] - b[1];
    if (!(size > 0))
        size = fmax(fmax(W, H), 1.0);
    while ((W / size + 1) * (H / size + 1) > 4.0 * (double)used + 16)
        size *= 1.5;
    G->minx = b[0], G->miny = b[1], G->size = size;
    G->nx = (size_t)(W / size) + 1, G->ny = (size_t)(H / size) + 1;
    size_t ncell = G->nx * G->ny, total = 0;
    if (!(G->off = wb_calloc(ncell + 1, sizeof *G->off)))
        return WB_ENOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n; k++) {
            if (s[k].empty)
                continue;
            size_t x0 = cell_of(s[k].bbox[0], G->minx, size, G->nx), x1 = cell_of(s[k].bbox[2], G->minx, size, G->nx);
            size_t y0 = cell_of(s[k].bbox[1], G->miny, size, G->ny), y1 = cell_of(s[k].bbox[3], G->miny, size, G->ny);
            for (size_t y = y0; y <= y1; y++)
                for (size_t x = x0; x <= x1; x++) {
                    size_t c = y * G->nx + x;
                    if (pass == 0)
                        G->off[c + 1]++;
                    else
                        G->items[G->off[c]++] = (uint32_t)k;
                }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncell; c++)
                G->off[c + 1] += G->off[c];
            total = G->off[ncell];
            if (!(G->items = wb_malloc((total ? total : 1) * sizeof *G->items)))
                return WB_ENOMEM;
        } else {
            /* the fill advanced each start to the next cell's start: shift back */
            memmove(G->off + 1, G->off, ncell * sizeof *G->off);
            G->off[0] = 0;
        }
    }
    return 0;
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

/* ---------------------------------------------------------------- the pairs, in threads */

/* The from-areas are cut into chunks; threads take chunks in turn and write each chunk's
 * pieces into its own buffer, joined in chunk order afterwards: the result does not depend
 * on the number of threads. */
enum { CHUNK = 128 };

typedef struct {
    wb_overlay_piece *p;
    size_t n, cap;
    size_t candidates;
    int error;
    char msg[256];
} chunk_out;

typedef struct {
    const olayer *A, *B;
    const ogrid *G;
    size_t na, nb, nchunks;
    atomic_size_t next;
    chunk_out *outs;
} ojob;

static int run_chunk(const ojob *j, size_t chunk, uint32_t *stamp, uint32_t **cand, size_t *candcap)
{
    const olayer *A = j->A, *B = j->B;
    const ogrid *G = j->G;
    chunk_out *o = &j->outs[chunk];
    size_t end = (chunk + 1) * CHUNK < j->na ? (chunk + 1) * CHUNK : j->na;
    for (size_t i = chunk * CHUNK; i < end; i++) {
        const oshape *sa = &A->s[i];
        if (sa->empty || sa->n == 0)
            continue;
        size_t x0 = cell_of(sa->bbox[0], G->minx, G->size, G->nx), x1 = cell_of(sa->bbox[2], G->minx, G->size, G->nx);
        size_t y0 = cell_of(sa->bbox[1], G->miny, G->size, G->ny), y1 = cell_of(sa->bbox[3], G->miny, G->size, G->ny);
        size_t nc = 0;
        for (size_t y = y0; y <= y1; y++)
            for (size_t x = x0; x <= x1; x++) {
                size_t c = y * G->nx + x;
                for (size_t k = G->off[c]; k < G->off[c + 1]; k++) {
                    uint32_t jb = G->items[k];
                    if (stamp[jb] == i + 1)
                        continue;
                    stamp[jb] = (uint32_t)(i + 1);
                    const double *bb = B->s[jb].bbox;
                    if (!(sa->bbox[0] < bb[2] && bb[0] < sa->bbox[2] && sa->bbox[1] < bb[3] && bb[1] < sa->bbox[3]))
                        continue;
                    if (wb__grow((void **)cand, candcap, nc + 1, sizeof **cand) < 0)
                        return WB_ENOMEM;
                    (*cand)[nc++] = jb;
                }
            }
        if (nc > 1)
            qsort(*cand, nc, sizeof **cand, cmp_u32);
        o->candidates += nc;
        for (size_t k = 0; k < nc; k++) {
            const oshape *sb = &B->s[(*cand)[k]];
            if (sb->n == 0)
                continue;
            double lo = fmax(sa->bbox[0], sb->bbox[0]), hi = fmin(sa->bbox[2], sb->bbox[2]);
            double ybase = fmin(sa->bbox[1], sb->bbox[1]);
            double v = pair_integral(A->e + sa->off, sa->n, sa->maxw, B->e + sb->off, sb->n, sb->maxw, lo, hi, ybase);
            if (!(v > WB_OVERLAY_MIN_AREA))
                continue;
            if (wb__grow((void **)&o->p, &o->cap, o->n + 1, sizeof *o->p) < 0)
                return WB_ENOMEM;
            wb_overlay_piece *pc = &o->p[o->n++];
            pc->a = i;
            pc->b = (*cand)[k];
            pc->area_m2 = v;
        }
    }
    return 0;
}

static void *pair_worker(void *arg)
{
    ojob *j = arg;
    uint32_t *stamp = wb_calloc(j->nb ? j->nb : 1, sizeof *stamp), *cand = NULL;
    size_t candcap = 0;
    for (;;) {
        size_t c = atomic_fetch_add(&j->next, 1);
        if (c >= j->nchunks)
            break;
        chunk_out *o = &j->outs[c];
        o->error = stamp ? run_chunk(j, c, stamp, &cand, &candcap) : WB_ENOMEM;
        if (o->error < 0)
            snprintf(o->msg, sizeof o->msg, "%s", wb_error_last()->message);
    }
    wb_free(stamp);
    wb_free(cand);
    return NULL;
}

static unsigned thread_count(size_t nchunks)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned t = c > 0 ? (unsigned)c : 1;
    if (t > 8)
        t = 8;
    if (t > nchunks)
        t = nchunks ? (unsigned)nchunks : 1;
    return t;
}

/* The second layer is prepared in a thread of its own while the caller prepares the first. */
typedef struct {
    olayer *L;
    wb_geom **fixed;
    const wb_geom *g;
    size_t n;
    double *areas;
    size_t *nrepaired;
    int error;
    char msg[256];
} prep_job;

static void *prep_worker(void *arg)
{
    prep_job *p = arg;
    p->error = layer_prepare(p->L, p->fixed, p->g, p->n, p->areas, p->nrepaired, 'b');
    if (p->error < 0)
        snprintf(p->msg, sizeof p->msg, "%s", wb_error_last()->message);
    return NULL;
}

int wb_overlay(wb_overlay_piece **out, size_t *npieces, double *area_a, double *area_b,
               const wb_geom *a, size_t na, const wb_geom *b, size_t nb, wb_overlay_stats *stats)
{
    *out = NULL;
    *npieces = 0;
    wb_overlay_stats st = {0, 0, 0, 0};
    olayer A, B;
    memset(&A, 0, sizeof A);
    memset(&B, 0, sizeof B);
    wb_geom *fa = NULL, *fb = NULL;
    ogrid G = {0, 0, 0, 0, 0, NULL, NULL};
    ojob job;
    memset(&job, 0, sizeof job);
    wb_overlay_piece *pieces = NULL;
    prep_job pb = {&B, &fb, b, nb, area_b, &st.repaired_b, 0, ""};
    pthread_t th[8];
    int threaded = thread_count(2) > 1 && pthread_create(&th[0], NULL, prep_worker, &pb) == 0;
    int error = layer_prepare(&A, &fa, a, na, area_a, &st.repaired_a, 'a');
    if (threaded)
        pthread_join(th[0], NULL);
    else
        prep_worker(&pb);
    if (error == 0 && pb.error < 0) {
        wb_error_set(WB_ERRCLASS_GEO, "%s", pb.msg);
        error = pb.error;
    }
    if (error == 0)
        error = grid_build(&G, B.s, nb);
    job.A = &A, job.B = &B, job.G = &G, job.na = na, job.nb = nb;
    job.nchunks = (na + CHUNK - 1) / CHUNK;
    atomic_init(&job.next, 0);
    if (error == 0 && !(job.outs = wb_calloc(job.nchunks ? job.nchunks : 1, sizeof *job.outs)))
        error = WB_ENOMEM;
    if (error == 0) {
        unsigned nt = thread_count(job.nchunks), started = 0;
        for (unsigned t = 1; t < nt; t++) {
            if (pthread_create(&th[t], NULL, pair_worker, &job) != 0)
                break; /* the others take its chunks */
            started = t;
        }
        pair_worker(&job);
        for (unsigned t = 1; t <= started; t++)
            pthread_join(th[t], NULL);
        size_t total = 0;
        for (size_t c = 0; c < job.nchunks && error == 0; c++) {
            if (job.outs[c].error < 0) {
                wb_error_set(WB_ERRCLASS_GEO, "%s", job.outs[c].msg);
                error = job.outs[c].error;
            }
            total += job.outs[c].n;
            st.candidates += job.outs[c].candidates;
        }
        if (error == 0 && total && !(pieces = wb_malloc(total * sizeof *pieces)))
            error = WB_ENOMEM;
        for (size_t c = 0; c < job.nchunks && error == 0; c++) {
            if (job.outs[c].n)
                memcpy(pieces + *npieces, job.outs[c].p, job.outs[c].n * sizeof *pieces);
            *npieces += job.outs[c].n;
        }
    }
    if (job.outs)
        for (size_t c = 0; c < job.nchunks; c++)
            wb_free(job.outs[c].p);
    wb_free(job.outs);
    st.pieces = *npieces;
    wb_free(G.off);
    wb_free(G.items);
    layer_free(&A, fa, na);
    layer_free(&B, fb, nb);
    if (error < 0) {
        wb_free(pieces);
        *npieces = 0;
        return error;
    }
    *out = pieces;
    if (stats)
        *stats = st;
    return 0;
}
