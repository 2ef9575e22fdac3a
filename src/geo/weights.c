/**
 * @file
 * @brief Spatial weights: queen/rook contiguity, k nearest neighbours, distance band, in
 * CSR form; styles, subsets, self-inclusion and summaries. Definitions follow spdep 1.2
 * (poly2nb, knearneigh/knn2nb, dnearneigh, nb2listw, subset.nb, include.self); see
 * docs/spatial.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/weights_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/spatial.h"

/* ---------------------------------------------------------------- names */

static const char *const type_names[WB_WEIGHTS__MAX] = {"queen", "rook", "knn", "distance"};

const char *wb_weights_type_name(wb_weights_type type)
{
    return (unsigned)type < WB_WEIGHTS__MAX ? type_names[type] : NULL;
}

int wb_weights_type_parse(wb_weights_type *out, const char *name)
{
    for (int t = 0; t < WB_WEIGHTS__MAX; t++) {
        if (name && !strcasecmp(name, type_names[t])) {
            *out = (wb_weights_type)t;
            return 0;
        }
    }
    wb_error_set(WB_ERRCLASS_ARG, "unknown weights type '%s' (expected queen, rook, knn or distance)",
                 name ? name : "");
    return WB_EINVALID;
}

int wb_weights_style_parse(wb_weights_style *out, const char *name)
{
    if (name && !strcasecmp(name, "W")) {
        *out = WB_STYLE_W;
        return 0;
    }
    if (name && !strcasecmp(name, "B")) {
        *out = WB_STYLE_B;
        return 0;
    }
    wb_error_set(WB_ERRCLASS_ARG,
                 "unknown weights style '%s' (expected W for row-standardised or B for binary)",
                 name ? name : "");
    return WB_EINVALID;
}

void wb_weights_dispose(wb_weights *w)
{
    if (!w)
        return;
    wb_free(w->row);
    wb_free(w->col);
    wb_free(w->w);
    wb_weights empty = WB_WEIGHTS_INIT;
    *w = empty;
}

/* ---------------------------------------------------------------- radix sort */

/* LSD radix sort of 64-bit keys whose values are below 2^bits, 11 bits per pass. @p tmp
 * has room for n keys. The sorted keys end up in @p a. */
void wb_weights__radix_u64(uint64_t *a, uint64_t *tmp, size_t n, unsigned bits)
{
    enum { D = 11, R = 1 << D };
    size_t count[R];
    uint64_t *src = a, *dst = tmp;
    for (unsigned shift = 0; shift < bits; shift += D) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & (R - 1)]++;
        size_t sum = 0;
        for (size_t d = 0; d < R; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & (R - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

static unsigned bits_for(uint64_t maxval)
{
    unsigned b = 1;
    while (b < 64 && (maxval >> b))
        b++;
    return b;
}

/* ---------------------------------------------------------------- CSR helpers */

static int alloc_csr(wb_weights *w, size_t n, size_t nlinks)
{
    w->n = n;
    w->nlinks = nlinks;
    w->row = wb_calloc(n + 1, sizeof *w->row);
    w->col = wb_malloc((nlinks ? nlinks : 1) * sizeof *w->col);
    w->w = wb_malloc((nlinks ? nlinks : 1) * sizeof *w->w);
    if (!w->row || !w->col || !w->w) {
        wb_weights_dispose(w);
        return WB_ENOMEM;
    }
    return 0;
}

void wb_weights_set_style(wb_weights *w, wb_weights_style style)
{
    w->style = style;
    for (size_t i = 0; i < w->n; i++) {
        size_t k = w->row[i + 1] - w->row[i];
        /* nb2listw: (1 / d_i) * 1 for W, 1 for B */
        double v = style == WB_STYLE_W ? (k ? 1.0 / (double)k : 0.0) : 1.0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            w->w[e] = v;
    }
}

/* Symmetric CSR from sorted, distinct undirected pairs key = i * n + j with i < j. */
static int csr_from_pairs(wb_weights *out, size_t n, const uint64_t *keys, size_t npairs)
{
    int error = alloc_csr(out, n, 2 * npairs);
    if (error < 0)
        return error;
    for (size_t e = 0; e < npairs; e++) {
        size_t i = (size_t)(keys[e] / n), j = (size_t)(keys[e] % n);
        out->row[i + 1]++;
        out->row[j + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        out->row[i + 1] += out->row[i];
    size_t *fill = wb_malloc((n ? n : 1) * sizeof *fill);
    if (!fill) {
        wb_weights_dispose(out);
        return WB_ENOMEM;
    }
    memcpy(fill, out->row, n * sizeof *fill);
    /* Keys are sorted by (i, j): for row j the lower neighbours i arrive in ascending
     * order, and for row i the higher neighbours j too; lower ones must come first, so
     * place the lower neighbours in a first pass and the higher ones in a second. */
    for (size_t e = 0; e < npairs; e++) {
        size_t i = (size_t)(keys[e] / n), j = (size_t)(keys[e] % n);
        out->col[fill[j]++] = (uint32_t)i;
    }
    for (size_t e = 0; e < npairs; e++) {
        size_t i = (size_t)(keys[e] / n), j = (size_t)(keys[e] % n);
        out->col[fill[i]++] = (uint32_t)j;
    }
    wb_free(fill);
    return 0;
}

/* ---------------------------------------------------------------- contiguity */

typedef struct {
    double x, y;
    uint32_t poly;
} vtx;

typedef struct {
    int64_t cx, cy;
    size_t idx; /* into the vertex array */
} cellv;

/* Link candidates: undirected pairs key = i * n + j (i < j), one entry per pair of
 * coinciding points. Only the count up to `need` matters (1 queen, 2 rook), so the list is
 * compacted now and then to at most `need` copies per pair. */
typedef struct {
    uint64_t *keys, *tmp;
    size_t len, cap, compact_at;
    size_t n;
    unsigned need, bits;
} pairbuf;

static int pairs_compact(pairbuf *pb)
{
    if (pb->len < 2)
        return 0;
    uint64_t *t = wb_realloc(pb->tmp, pb->cap * sizeof *t);
    if (!t)
        return WB_ENOMEM;
    pb->tmp = t;
    wb_weights__radix_u64(pb->keys, pb->tmp, pb->len, pb->bits);
    size_t o = 0;
    for (size_t i = 0; i < pb->len;) {
        size_t j = i;
        while (j < pb->len && pb->keys[j] == pb->keys[i])
            j++;
        size_t c = j - i < pb->need ? j - i : pb->need;
        for (size_t k = 0; k < c; k++)
            pb->keys[o++] = pb->keys[i];
        i = j;
    }
    pb->len = o;
    return 0;
}

static int pairs_add(pairbuf *pb, uint32_t a, uint32_t b)
{
    if (a == b)
        return 0;
    if (pb->len == pb->cap) {
        if (pb->len >= pb->compact_at) {
            int error = pairs_compact(pb);
            if (error < 0)
                return error;
            pb->compact_at = 2 * pb->len > (1u << 22) ? 2 * pb->len : (1u << 22);
        }
        if (pb->len == pb->cap) {
            size_t nc = pb->cap ? 2 * pb->cap : 4096;
            uint64_t *k = wb_realloc(pb->keys, nc * sizeof *k);
            if (!k)
                return WB_ENOMEM;
            pb->keys = k;
            pb->cap = nc;
        }
    }
    uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
    pb->keys[pb->len++] = lo * (uint64_t)pb->n + hi;
    return 0;
}

static int cmp_vtx_xy(const void *pa, const void *pb)
{
    const vtx *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->poly > b->poly) - (a->poly < b->poly);
}

static int cmp_cell(const void *pa, const void *pb)
{
    const cellv *a = pa, *b = pb;
    if (a->cx != b->cx)
        return a->cx < b->cx ? -1 : 1;
    if (a->cy != b->cy)
        return a->cy < b->cy ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* spdep's polypoly test for one point pair: |dx| <= snap, |dy| <= snap, hypot <= snap. */
static inline int close_pts(const vtx *a, const vtx *b, double snap)
{
    double xd = a->x - b->x, yd = a->y - b->y;
    return fabs(xd) <= snap && fabs(yd) <= snap && hypot(xd, yd) <= snap;
}

/* Exactly equal coordinates (snap 0): sort, then every run of equal points gives its
 * cross-polygon pairs. */
static int contig_exact(pairbuf *pb, vtx *v, size_t nv)
{
    qsort(v, nv, sizeof *v, cmp_vtx_xy);
    for (size_t a = 0; a < nv;) {
        size_t b = a + 1;
        while (b < nv && v[b].x == v[a].x && v[b].y == v[a].y)
            b++;
        for (size_t s = a; s < b; s++)
            for (size_t t = s + 1; t < b; t++)
                if (v[s].poly != v[t].poly) {
                    int error = pairs_add(pb, v[s].poly, v[t].poly);
                    if (error < 0)
                        return error;
                }
        a = b;
    }
    return 0;
}

/* Within snap > 0: a grid of cells at least snap wide, so that close points lie in the
 * same or an adjacent cell. Each cell is compared with itself and with the four cells
 * after it in (cx, cy) order: (cx, cy+1) and (cx+1, cy-1 .. cy+1). */
static int contig_grid(pairbuf *pb, const vtx *v, size_t nv, double snap)
{
    double maxabs = 0;
    for (size_t i = 0; i < nv; i++) {
        if (fabs(v[i].x) > maxabs)
            maxabs = fabs(v[i].x);
        if (fabs(v[i].y) > maxabs)
            maxabs = fabs(v[i].y);
    }
    /* cells no finer than the coordinates' resolution so cell numbers fit in 64 bits */
    double c = snap;
    if (c < maxabs * 0x1p-40)
        c = maxabs * 0x1p-40;
    cellv *cv = wb_malloc((nv ? nv : 1) * sizeof *cv);
    if (!cv)
        return WB_ENOMEM;
    for (size_t i = 0; i < nv; i++) {
        cv[i].cx = (int64_t)floor(v[i].x / c);
        cv[i].cy = (int64_t)floor(v[i].y / c);
        cv[i].idx = i;
    }
    qsort(cv, nv, sizeof *cv, cmp_cell);
    int error = 0;
    size_t q = 0; /* sweep pointer to the first cell >= (cx + 1, cy - 1) */
    for (size_t a = 0; a < nv && error == 0;) {
        size_t b = a + 1;
        while (b < nv && cv[b].cx == cv[a].cx && cv[b].cy == cv[a].cy)
            b++;
        int64_t cx = cv[a].cx, cy = cv[a].cy;
        /* same cell */
        for (size_t s = a; s < b && error == 0; s++)
            for (size_t t = s + 1; t < b && error == 0; t++) {
                const vtx *p = &v[cv[s].idx], *r = &v[cv[t].idx];
                if (p->poly != r->poly && close_pts(p, r, snap))
                    error = pairs_add(pb, p->poly, r->poly);
            }
        /* (cx, cy + 1): directly after this cell when present */
        if (b < nv && cv[b].cx == cx && cv[b].cy == cy + 1) {
            size_t e = b;
            while (e < nv && cv[e].cx == cx && cv[e].cy == cy + 1)
                e++;
            for (size_t s = a; s < b && error == 0; s++)
                for (size_t t = b; t < e && error == 0; t++) {
                    const vtx *p = &v[cv[s].idx], *r = &v[cv[t].idx];
                    if (p->poly != r->poly && close_pts(p, r, snap))
                        error = pairs_add(pb, p->poly, r->poly);
                }
        }
        /* (cx + 1, cy - 1 .. cy + 1): q only moves forward as (cx, cy) grows */
        if (q < b)
            q = b;
        while (q < nv && (cv[q].cx < cx + 1 || (cv[q].cx == cx + 1 && cv[q].cy < cy - 1)))
            q++;
        for (size_t t = q; t < nv && cv[t].cx == cx + 1 && cv[t].cy <= cy + 1 && error == 0; t++)
            for (size_t s = a; s < b && error == 0; s++) {
                const vtx *p = &v[cv[s].idx], *r = &v[cv[t].idx];
                if (p->poly != r->poly && close_pts(p, r, snap))
                    error = pairs_add(pb, p->poly, r->poly);
            }
        a = b;
    }
    wb_free(cv);
    return error;
}

static int check_opts(const wb_weights_opts *o, size_t n)
{
    if (!o || (unsigned)o->type >= WB_WEIGHTS__MAX || (unsigned)o->style >= WB_STYLE__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "invalid weights options");
        return WB_EINVALID;
    }
    if (n >= UINT32_MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "too many areas for spatial weights: %zu", n);
        return WB_EINVALID;
    }
    return 0;
}

int wb_weights_from_geoms(wb_weights *out, const wb_geom *geoms, size_t n,
                          const wb_weights_opts *opts)
{
    wb_weights empty = WB_WEIGHTS_INIT;
    *out = empty;
    int error = check_opts(opts, n);
    if (error < 0)
        return error;
    if (opts->type != WB_WEIGHTS_QUEEN && opts->type != WB_WEIGHTS_ROOK) {
        wb_error_set(WB_ERRCLASS_ARG, "contiguity weights need type queen or rook");
        return WB_EINVALID;
    }
    if (!(opts->snap >= 0) || !isfinite(opts->snap)) {
        wb_error_set(WB_ERRCLASS_ARG, "snap distance must be a finite number >= 0, got %g", opts->snap);
        return WB_EINVALID;
    }
    /* spdep: every point of the feature except the first one of st_coordinates */
    size_t nv = 0;
    for (size_t i = 0; i < n; i++)
        nv += geoms[i].npts > 1 ? geoms[i].npts - 1 : 0;
    vtx *v = wb_malloc((nv ? nv : 1) * sizeof *v);
    pairbuf pb = {NULL, NULL, 0, 0, (size_t)1 << 22, n ? n : 1,
                  opts->type == WB_WEIGHTS_QUEEN ? 1u : 2u, 0};
    pb.bits = bits_for((uint64_t)pb.n * pb.n);
    if (!v)
        return WB_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 1; p < geoms[i].npts; p++) {
            if (!isfinite(geoms[i].pts[p].x) || !isfinite(geoms[i].pts[p].y)) {
                wb_error_set(WB_ERRCLASS_GEO, "polygon %zu has a non-finite coordinate", i);
                error = WB_EINVALID;
                goto done;
            }
            v[k].x = geoms[i].pts[p].x;
            v[k].y = geoms[i].pts[p].y;
            v[k].poly = (uint32_t)i;
            k++;
        }
    }
    error = opts->snap == 0 ? contig_exact(&pb, v, nv) : contig_grid(&pb, v, nv, opts->snap);
    if (error < 0)
        goto done;
    if ((error = pairs_compact(&pb)) < 0)
        goto done;
    /* keep pairs seen at least `need` times, once */
    size_t o = 0;
    for (size_t i = 0; i < pb.len;) {
        size_t j = i;
        while (j < pb.len && pb.keys[j] == pb.keys[i])
            j++;
        if (j - i >= pb.need)
            pb.keys[o++] = pb.keys[i];
        i = j;
    }
    if ((error = csr_from_pairs(out, n, pb.keys, o)) < 0)
        goto done;
    out->type = opts->type;
    wb_weights_set_style(out, opts->style);
done:
    wb_free(v);
    wb_free(pb.keys);
    wb_free(pb.tmp);
    if (error < 0)
        wb_weights_dispose(out);
    return error;
}

/* ---------------------------------------------------------------- point grid */

/* A uniform grid over points for neighbour searches: cell (cx, cy) holds
 * idx[start[c] .. start[c+1]), c = cy * nx + cx. */
typedef struct {
    double minx, miny, c;
    size_t nx, ny;
    size_t *start;
    uint32_t *idx;
} pgrid;

static void pgrid_free(pgrid *g)
{
    wb_free(g->start);
    wb_free(g->idx);
}

static size_t pgrid_coord(double v, double min, double c, size_t nmax)
{
    double f = floor((v - min) / c);
    if (!(f > 0))
        return 0;
    if (f >= (double)nmax)
        return nmax - 1;
    return (size_t)f;
}

/* Cell size at least @p cmin, chosen so that there are about n / 2 cells. */
static int pgrid_build(pgrid *g, const wb_point *pts, size_t n, double cmin)
{
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].x < minx) minx = pts[i].x;
        if (pts[i].y < miny) miny = pts[i].y;
        if (pts[i].x > maxx) maxx = pts[i].x;
        if (pts[i].y > maxy) maxy = pts[i].y;
    }
    double W = maxx - minx, H = maxy - miny;
    double target = (double)n / 2 + 1;
    double c;
    if (W > 0 && H > 0)
        c = sqrt(W * H / target);
    else if (W > 0 || H > 0)
        c = (W > H ? W : H) / target;
    else
        c = 1;
    if (c < cmin)
        c = cmin;
    /* never more than ~4n cells */
    while ((W / c + 1) * (H / c + 1) > 4.0 * (double)n + 16)
        c *= 1.5;
    g->minx = minx;
    g->miny = miny;
    g->c = c;
    g->nx = (size_t)(W / c) + 1;
    g->ny = (size_t)(H / c) + 1;
    size_t ncell = g->nx * g->ny;
    g->start = wb_calloc(ncell + 1, sizeof *g->start);
    g->idx = wb_malloc((n ? n : 1) * sizeof *g->idx);
    if (!g->start || !g->idx) {
        pgrid_free(g);
        return WB_ENOMEM;
    }
    size_t *cellof = wb_malloc((n ? n : 1) * sizeof *cellof);
    if (!cellof) {
        pgrid_free(g);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        size_t cx = pgrid_coord(pts[i].x, minx, c, g->nx), cy = pgrid_coord(pts[i].y, miny, c, g->ny);
        cellof[i] = cy * g->nx + cx;
        g->start[cellof[i] + 1]++;
    }
    for (size_t k = 0; k < ncell; k++)
        g->start[k + 1] += g->start[k];
    size_t *fill = wb_malloc((ncell ? ncell : 1) * sizeof *fill);
    if (!fill) {
        wb_free(cellof);
        pgrid_free(g);
        return WB_ENOMEM;
    }
    memcpy(fill, g->start, ncell * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        g->idx[fill[cellof[i]]++] = (uint32_t)i;
    wb_free(fill);
    wb_free(cellof);
    return 0;
}

/* ---------------------------------------------------------------- kNN */

typedef struct {
    double d;
    uint32_t j;
} cand;

static inline int cand_less(double d, uint32_t j, const cand *c)
{
    return d < c->d || (d == c->d && j < c->j);
}

/* Insert (d, j) into the sorted buffer of at most k candidates. */
static inline void cand_insert(cand *buf, size_t *cnt, size_t k, double d, uint32_t j)
{
    if (*cnt == k && !cand_less(d, j, &buf[k - 1]))
        return;
    size_t pos = *cnt < k ? (*cnt)++ : k - 1;
    while (pos > 0 && cand_less(d, j, &buf[pos - 1])) {
        buf[pos] = buf[pos - 1];
        pos--;
    }
    buf[pos].d = d;
    buf[pos].j = j;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int knn_build(wb_weights *out, const wb_point *pts, size_t n, size_t k)
{
    pgrid g = {0};
    int error = pgrid_build(&g, pts, n, 0);
    if (error < 0)
        return error;
    cand *buf = wb_malloc(k * sizeof *buf);
    if (!buf || (error = alloc_csr(out, n, n * k)) < 0) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t cnt = 0;
        long cx = (long)pgrid_coord(pts[i].x, g.minx, g.c, g.nx);
        long cy = (long)pgrid_coord(pts[i].y, g.miny, g.c, g.ny);
        long rmax = (long)(g.nx > g.ny ? g.nx : g.ny);
        for (long r = 0; r <= rmax; r++) {
            /* the cells at Chebyshev distance exactly r */
            for (long yy = cy - r; yy <= cy + r; yy++) {
                if (yy < 0 || yy >= (long)g.ny)
                    continue;
                long step = (yy == cy - r || yy == cy + r) ? 1 : 2 * r;
                for (long xx = cx - r; xx <= cx + r; xx += step ? step : 1) {
                    if (xx >= 0 && xx < (long)g.nx) {
                        size_t cell = (size_t)yy * g.nx + (size_t)xx;
                        for (size_t e = g.start[cell]; e < g.start[cell + 1]; e++) {
                            uint32_t j = g.idx[e];
                            if (j == i)
                                continue;
                            double d = hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y);
                            cand_insert(buf, &cnt, k, d, j);
                        }
                    }
                    if (r == 0)
                        break;
                }
            }
            /* Unvisited points are at least r * c away (less a rounding margin); a tie at
             * that distance could still win on index, hence the strict comparison. */
            if (cnt == k && buf[k - 1].d < (double)r * g.c * (1 - 1e-9))
                break;
        }
        out->row[i + 1] = out->row[i] + k;
        uint32_t *col = out->col + out->row[i];
        for (size_t t = 0; t < k; t++)
            col[t] = buf[t].j;
        qsort(col, k, sizeof *col, cmp_u32); /* knn2nb sorts the neighbour ids */
    }
done:
    wb_free(buf);
    pgrid_free(&g);
    if (error < 0)
        wb_weights_dispose(out);
    return error;
}

/* ---------------------------------------------------------------- distance band */

static int dist_build(wb_weights *out, const wb_point *pts, size_t n, double lower, double upper,
                      int lower_exclusive)
{
    pgrid g = {0};
    int error = pgrid_build(&g, pts, n, upper);
    if (error < 0)
        return error;
    long R = (long)ceil(upper / g.c);
    if (R < 1)
        R = 1;
    size_t cap = 4 * n + 16, len = 0;
    uint32_t *col = wb_malloc(cap * sizeof *col);
    size_t *row = wb_calloc(n + 1, sizeof *row);
    if (!col || !row) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        long cx = (long)pgrid_coord(pts[i].x, g.minx, g.c, g.nx);
        long cy = (long)pgrid_coord(pts[i].y, g.miny, g.c, g.ny);
        size_t begin = len;
        for (long yy = cy - R; yy <= cy + R; yy++) {
            if (yy < 0 || yy >= (long)g.ny)
                continue;
            for (long xx = cx - R; xx <= cx + R; xx++) {
                if (xx < 0 || xx >= (long)g.nx)
                    continue;
                size_t cell = (size_t)yy * g.nx + (size_t)xx;
                for (size_t e = g.start[cell]; e < g.start[cell + 1]; e++) {
                    uint32_t j = g.idx[e];
                    if (j == i)
                        continue;
                    double d = hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y);
                    /* dnearneigh: (GE ? d >= d1 : d > d1) && d <= d2 */
                    if ((lower_exclusive ? d > lower : d >= lower) && d <= upper) {
                        if (len == cap) {
                            cap *= 2;
                            uint32_t *nc = wb_realloc(col, cap * sizeof *nc);
                            if (!nc) {
                                error = WB_ENOMEM;
                                goto done;
                            }
                            col = nc;
                        }
                        col[len++] = j;
                    }
                }
            }
        }
        qsort(col + begin, len - begin, sizeof *col, cmp_u32);
        row[i + 1] = len;
    }
    out->n = n;
    out->nlinks = len;
    out->row = row;
    out->col = col;
    out->w = wb_malloc((len ? len : 1) * sizeof *out->w);
    row = NULL;
    col = NULL;
    if (!out->w)
        error = WB_ENOMEM;
done:
    wb_free(col);
    wb_free(row);
    pgrid_free(&g);
    if (error < 0)
        wb_weights_dispose(out);
    return error;
}

int wb_weights_from_points(wb_weights *out, const wb_point *pts, size_t n,
                           const wb_weights_opts *opts)
{
    wb_weights empty = WB_WEIGHTS_INIT;
    *out = empty;
    int error = check_opts(opts, n);
    if (error < 0)
        return error;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(pts[i].x) || !isfinite(pts[i].y)) {
            wb_error_set(WB_ERRCLASS_GEO, "point %zu has a non-finite coordinate", i);
            return WB_EINVALID;
        }
    }
    if (opts->type == WB_WEIGHTS_KNN) {
        if (opts->k < 1 || (size_t)opts->k >= n) {
            wb_error_set(WB_ERRCLASS_ARG,
                         "k nearest neighbours: k must be from 1 to the number of areas - 1 (%zu), got %u",
                         n ? n - 1 : 0, opts->k);
            return WB_EINVALID;
        }
        error = knn_build(out, pts, n, opts->k);
    } else if (opts->type == WB_WEIGHTS_DISTANCE) {
        if (!(opts->upper > 0) || !isfinite(opts->upper) || !(opts->lower >= 0) ||
            opts->lower > opts->upper) {
            wb_error_set(WB_ERRCLASS_ARG,
                         "distance band: need 0 <= lower <= upper and upper > 0, got lower %g, upper %g",
                         opts->lower, opts->upper);
            return WB_EINVALID;
        }
        if (n == 0) {
            wb_error_set(WB_ERRCLASS_ARG, "distance band: no points");
            return WB_EINVALID;
        }
        error = dist_build(out, pts, n, opts->lower, opts->upper, opts->lower_exclusive);
    } else {
        wb_error_set(WB_ERRCLASS_ARG, "point weights need type knn or distance");
        return WB_EINVALID;
    }
    if (error < 0)
        return error;
    out->type = opts->type;
    wb_weights_set_style(out, opts->style);
    return 0;
}

int wb_weights_build(wb_weights *out, const wb_layer *layer, const wb_weights_opts *opts)
{
    wb_weights empty = WB_WEIGHTS_INIT;
    *out = empty;
    if (!opts || (unsigned)opts->type >= WB_WEIGHTS__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "invalid weights options");
        return WB_EINVALID;
    }
    if (opts->type == WB_WEIGHTS_QUEEN || opts->type == WB_WEIGHTS_ROOK)
        return wb_weights_from_geoms(out, layer->geoms, layer->n, opts);
    wb_point *pts = wb_malloc((layer->n ? layer->n : 1) * sizeof *pts);
    if (!pts)
        return WB_ENOMEM;
    for (size_t i = 0; i < layer->n; i++)
        pts[i] = wb_geom_centroid(&layer->geoms[i]);
    int error = wb_weights_from_points(out, pts, layer->n, opts);
    wb_free(pts);
    return error;
}

/* ---------------------------------------------------------------- subset, self */

int wb_weights_subset(wb_weights *out, const wb_weights *w, const unsigned char *keep)
{
    wb_weights empty = WB_WEIGHTS_INIT;
    *out = empty;
    size_t m = 0;
    for (size_t i = 0; i < w->n; i++)
        m += keep[i] != 0;
    if (m == 0) {
        wb_error_set(WB_ERRCLASS_STATS, "no area left to analyse");
        return WB_EINVALID;
    }
    uint32_t *map = wb_malloc(w->n * sizeof *map);
    if (!map)
        return WB_ENOMEM;
    size_t links = 0;
    for (size_t i = 0, k = 0; i < w->n; i++) {
        map[i] = keep[i] ? (uint32_t)k++ : UINT32_MAX;
    }
    for (size_t i = 0; i < w->n; i++)
        if (keep[i])
            for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                links += keep[w->col[e]] != 0;
    int error = alloc_csr(out, m, links);
    if (error < 0) {
        wb_free(map);
        return error;
    }
    size_t r = 0, o = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (!keep[i])
            continue;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            if (keep[w->col[e]])
                out->col[o++] = map[w->col[e]]; /* map is increasing: order kept */
        out->row[++r] = o;
    }
    wb_free(map);
    out->type = w->type;
    out->self_included = w->self_included;
    wb_weights_set_style(out, w->style);
    return 0;
}

int wb_weights_include_self(wb_weights *out, const wb_weights *w)
{
    wb_weights empty = WB_WEIGHTS_INIT;
    *out = empty;
    if (w->self_included) {
        wb_error_set(WB_ERRCLASS_STATS, "weights already include self");
        return WB_EINVALID;
    }
    int error = alloc_csr(out, w->n, w->nlinks + w->n);
    if (error < 0)
        return error;
    size_t o = 0;
    for (size_t i = 0; i < w->n; i++) {
        int placed = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            if (!placed && w->col[e] > i) {
                out->col[o++] = (uint32_t)i;
                placed = 1;
            }
            out->col[o++] = w->col[e];
        }
        if (!placed)
            out->col[o++] = (uint32_t)i;
        out->row[i + 1] = o;
    }
    out->type = w->type;
    out->self_included = 1;
    wb_weights_set_style(out, w->style);
    return 0;
}

/* ---------------------------------------------------------------- summary */

int wb_weights__has_link(const wb_weights *w, size_t i, size_t j)
{
    size_t lo = w->row[i], hi = w->row[i + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->col[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->row[i + 1] && w->col[lo] == j;
}

double wb_weights__weight(const wb_weights *w, size_t i, size_t j)
{
    size_t lo = w->row[i], hi = w->row[i + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->col[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->row[i + 1] && w->col[lo] == j ? w->w[lo] : 0.0;
}

void wb_weights_summarize(wb_weights_summary *out, const wb_weights *w)
{
    memset(out, 0, sizeof *out);
    out->n = w->n;
    out->nlinks = w->nlinks;
    out->symmetric = 1;
    out->min_neighbours = w->n ? SIZE_MAX : 0;
    for (size_t i = 0; i < w->n; i++) {
        size_t k = w->row[i + 1] - w->row[i];
        if (k < out->min_neighbours)
            out->min_neighbours = k;
        if (k > out->max_neighbours)
            out->max_neighbours = k;
        if (k == 0)
            out->islands++;
        for (size_t e = w->row[i]; e < w->row[i + 1] && out->symmetric; e++)
            if (!wb_weights__has_link(w, w->col[e], i))
                out->symmetric = 0;
    }
    out->mean_neighbours = w->n ? (double)w->nlinks / (double)w->n : 0;
}
