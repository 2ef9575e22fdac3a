/**
 * @file
 * @brief Topology-preserving simplification of many polygons at once.
 *
 * Vertices are identified by their exact coordinates. A vertex is a junction when its
 * occurrences do not all have the same two neighbours (three or more areas meet there, a
 * shared border ends there, or a ring touches itself). Rings are cut at junctions into chains;
 * a chain shared by two rings has the same vertices (one reversed), so it is simplified once in
 * a canonical direction and both rings get the same result. Douglas-Peucker keeps the chain
 * ends. To keep every ring a polygon, chains of rings with at most two junctions keep one (or,
 * for a closed chain, two) interior vertices; this is decided per chain, so both sides agree.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/geo.h"

#define NONE UINT32_MAX

typedef struct {
    size_t g, r;   /* geometry and ring index */
    size_t off, m; /* occurrences [off, off + m): the ring without its closing point */
} ring_ref;

typedef struct {
    uint32_t a, b; /* unordered neighbour pair of the first occurrence (a <= b) */
    unsigned char junction;
} vinfo;

typedef struct {
    uint32_t k[4];
} chain_key;

typedef struct {
    wb_point *verts;
    vinfo *vi;
    size_t nverts;
    uint32_t *occ;     /* vertex id per occurrence */
    unsigned char *keep;
    ring_ref *rings;
    size_t nrings;
    chain_key *keys;   /* set of chains that must keep interior vertices */
    size_t keys_cap, keys_n;
} simp;

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t pt_hash(wb_point p)
{
    double x = p.x + 0.0, y = p.y + 0.0; /* -0.0 -> 0.0 */
    uint64_t a, b;
    memcpy(&a, &x, 8);
    memcpy(&b, &y, 8);
    return mix(a ^ mix(b + 0x9e3779b97f4a7c15ULL));
}

static uint64_t key_hash(const chain_key *k)
{
    uint64_t h = 0;
    for (int i = 0; i < 4; i++)
        h = mix(h ^ ((uint64_t)k->k[i] + 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1)));
    return h;
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 16;
    while (c < n)
        c *= 2;
    return c;
}

/* Assign vertex ids to every occurrence. */
static int build_vertices(simp *s, wb_geom *geoms, size_t n, size_t nocc)
{
    size_t cap = pow2_at_least(nocc * 2 + 1), mask = cap - 1;
    uint32_t *table = wb_malloc(cap * sizeof *table);
    s->verts = wb_malloc((nocc ? nocc : 1) * sizeof *s->verts);
    s->occ = wb_malloc((nocc ? nocc : 1) * sizeof *s->occ);
    if (!table || !s->verts || !s->occ) {
        wb_free(table);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < cap; i++)
        table[i] = NONE;
    size_t o = 0;
    for (size_t gi = 0; gi < n; gi++) {
        wb_geom *g = &geoms[gi];
        for (size_t r = 0; r < g->nrings; r++) {
            size_t np = WB_RING_NPTS(g, r);
            for (size_t i = 0; i + 1 < np; i++) {
                wb_point p = g->pts[g->ring_off[r] + i];
                size_t h = pt_hash(p) & mask;
                while (table[h] != NONE) {
                    wb_point q = s->verts[table[h]];
                    if (q.x == p.x && q.y == p.y)
                        break;
                    h = (h + 1) & mask;
                }
                if (table[h] == NONE) {
                    table[h] = (uint32_t)s->nverts;
                    s->verts[s->nverts++] = p;
                }
                s->occ[o++] = table[h];
            }
        }
    }
    wb_free(table);
    return 0;
}

static void find_junctions(simp *s)
{
    for (size_t v = 0; v < s->nverts; v++) {
        s->vi[v].a = s->vi[v].b = NONE;
        s->vi[v].junction = 0;
    }
    for (size_t k = 0; k < s->nrings; k++) {
        ring_ref *rr = &s->rings[k];
        for (size_t i = 0; i < rr->m; i++) {
            uint32_t v = s->occ[rr->off + i];
            uint32_t p = s->occ[rr->off + (i + rr->m - 1) % rr->m];
            uint32_t q = s->occ[rr->off + (i + 1) % rr->m];
            uint32_t a = p < q ? p : q, b = p < q ? q : p;
            vinfo *vi = &s->vi[v];
            if (vi->a == NONE && vi->b == NONE) {
                vi->a = a;
                vi->b = b;
            } else if (vi->a != a || vi->b != b) {
                vi->junction = 1;
            }
        }
    }
}

/* A chain is given by occurrence positions start..start+len-1 (cyclic within the ring). */
static uint32_t chain_vid(const simp *s, const ring_ref *rr, size_t start, size_t i)
{
    return s->occ[rr->off + (start + i) % rr->m];
}

/* Canonical key and direction of a chain of len >= 2 vertices. */
static int chain_forward(const simp *s, const ring_ref *rr, size_t start, size_t len, chain_key *key)
{
    uint32_t f = chain_vid(s, rr, start, 0), l = chain_vid(s, rr, start, len - 1);
    uint32_t f2 = len > 2 ? chain_vid(s, rr, start, 1) : f;
    uint32_t l2 = len > 2 ? chain_vid(s, rr, start, len - 2) : l;
    int fwd = f < l || (f == l && f2 <= l2);
    if (key) {
        if (fwd) {
            key->k[0] = f, key->k[1] = f2, key->k[2] = l2, key->k[3] = l;
        } else {
            key->k[0] = l, key->k[1] = l2, key->k[2] = f2, key->k[3] = f;
        }
    }
    return fwd;
}

static int keys_add(simp *s, const chain_key *k)
{
    if ((s->keys_n + 1) * 2 > s->keys_cap) {
        size_t nc = s->keys_cap ? s->keys_cap * 2 : 256;
        chain_key *nk = wb_malloc(nc * sizeof *nk);
        if (!nk)
            return WB_ENOMEM;
        for (size_t i = 0; i < nc; i++)
            nk[i].k[0] = NONE;
        for (size_t i = 0; i < s->keys_cap; i++) {
            if (s->keys[i].k[0] == NONE)
                continue;
            size_t h = key_hash(&s->keys[i]) & (nc - 1);
            while (nk[h].k[0] != NONE)
                h = (h + 1) & (nc - 1);
            nk[h] = s->keys[i];
        }
        wb_free(s->keys);
        s->keys = nk;
        s->keys_cap = nc;
    }
    size_t mask = s->keys_cap - 1, h = key_hash(k) & mask;
    while (s->keys[h].k[0] != NONE) {
        if (!memcmp(&s->keys[h], k, sizeof *k))
            return 0;
        h = (h + 1) & mask;
    }
    s->keys[h] = *k;
    s->keys_n++;
    return 0;
}

static int keys_has(const simp *s, const chain_key *k)
{
    if (!s->keys)
        return 0;
    size_t mask = s->keys_cap - 1, h = key_hash(k) & mask;
    while (s->keys[h].k[0] != NONE) {
        if (!memcmp(&s->keys[h], k, sizeof *k))
            return 1;
        h = (h + 1) & mask;
    }
    return 0;
}

/* Distance from p to segment a-b (to a when a == b). */
static double seg_dist(wb_point p, wb_point a, wb_point b)
{
    double dx = b.x - a.x, dy = b.y - a.y, px = p.x - a.x, py = p.y - a.y;
    double L = dx * dx + dy * dy, t = 0;
    if (L > 0) {
        t = (px * dx + py * dy) / L;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
    }
    double ex = px - t * dx, ey = py - t * dy;
    return sqrt(ex * ex + ey * ey);
}

/* Douglas-Peucker over q[0..k-1] with both ends kept; then keep interior points (farthest from
 * the segment between their kept neighbours) until at least min_interior are kept. */
static int douglas_peucker(const wb_point *q, size_t k, double tol, size_t min_interior,
                           unsigned char *keep, size_t *stack)
{
    memset(keep, 0, k);
    keep[0] = keep[k - 1] = 1;
    size_t sp = 0;
    stack[sp++] = 0;
    stack[sp++] = k - 1;
    while (sp) {
        size_t j = stack[--sp], i = stack[--sp];
        if (j <= i + 1)
            continue;
        double best = -1;
        size_t bi = i;
        for (size_t t = i + 1; t < j; t++) {
            double d = seg_dist(q[t], q[i], q[j]);
            if (d > best) {
                best = d;
                bi = t;
            }
        }
        if (best > tol) {
            keep[bi] = 1;
            stack[sp++] = i;
            stack[sp++] = bi;
            stack[sp++] = bi;
            stack[sp++] = j;
        }
    }
    size_t kept = 0;
    for (size_t t = 1; t + 1 < k; t++)
        kept += keep[t];
    while (kept < min_interior && kept + 2 < k) {
        double best = -1;
        size_t bi = 0, prev = 0;
        for (size_t t = 1; t < k; t++) {
            if (keep[t]) {
                for (size_t u = prev + 1; u < t; u++) {
                    double d = seg_dist(q[u], q[prev], q[t]);
                    if (d > best) {
                        best = d;
                        bi = u;
                    }
                }
                prev = t;
            }
        }
        if (!bi)
            break;
        keep[bi] = 1;
        kept++;
    }
    return 0;
}

/* Simplify one chain (occurrences start .. start+len-1 of a ring), writing s->keep. */
static void simplify_chain(simp *s, const ring_ref *rr, size_t start, size_t len, double tol,
                           size_t min_interior, wb_point *buf, unsigned char *kbuf, size_t *stack)
{
    int fwd = chain_forward(s, rr, start, len, NULL);
    for (size_t i = 0; i < len; i++)
        buf[i] = s->verts[chain_vid(s, rr, start, fwd ? i : len - 1 - i)];
    douglas_peucker(buf, len, tol, min_interior, kbuf, stack);
    for (size_t i = 0; i < len; i++) {
        size_t pos = (start + (fwd ? i : len - 1 - i)) % rr->m;
        s->keep[rr->off + pos] = kbuf[i];
    }
}

static size_t count_junctions(const simp *s, const ring_ref *rr, size_t *first)
{
    size_t nj = 0;
    *first = 0;
    for (size_t i = 0; i < rr->m; i++) {
        if (s->vi[s->occ[rr->off + i]].junction) {
            if (!nj)
                *first = i;
            nj++;
        }
    }
    return nj;
}

int wb_geoms_simplify(wb_geom *geoms, size_t n, double tolerance)
{
    if (!(tolerance >= 0) || !isfinite(tolerance)) {
        wb_error_set(WB_ERRCLASS_ARG, "simplification tolerance must be a finite number >= 0");
        return WB_EINVALID;
    }
    if (tolerance == 0 || n == 0)
        return 0;
    simp s;
    memset(&s, 0, sizeof s);
    int error = 0;
    size_t nocc = 0, nrings = 0, maxm = 0;
    for (size_t gi = 0; gi < n; gi++) {
        for (size_t r = 0; r < geoms[gi].nrings; r++) {
            size_t np = WB_RING_NPTS(&geoms[gi], r);
            if (np >= 2)
                nocc += np - 1;
            nrings++;
            if (np > maxm)
                maxm = np;
        }
    }
    if (nocc >= NONE) {
        wb_error_set(WB_ERRCLASS_GEO, "too many points to simplify at once (%zu)", nocc);
        return WB_EINVALID;
    }
    wb_point *buf = wb_malloc((maxm + 1) * sizeof *buf);
    unsigned char *kbuf = wb_malloc(maxm + 1);
    size_t *stack = wb_malloc((2 * maxm + 4) * sizeof *stack);
    s.rings = wb_malloc((nrings ? nrings : 1) * sizeof *s.rings);
    s.keep = wb_calloc(nocc ? nocc : 1, 1);
    if (!buf || !kbuf || !stack || !s.rings || !s.keep) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = build_vertices(&s, geoms, n, nocc)) < 0)
        goto done;
    s.vi = wb_malloc((s.nverts ? s.nverts : 1) * sizeof *s.vi);
    if (!s.vi) {
        error = WB_ENOMEM;
        goto done;
    }
    size_t o = 0;
    for (size_t gi = 0; gi < n; gi++) {
        for (size_t r = 0; r < geoms[gi].nrings; r++) {
            size_t np = WB_RING_NPTS(&geoms[gi], r);
            size_t m = np >= 2 ? np - 1 : 0;
            s.rings[s.nrings++] = (ring_ref){gi, r, o, m};
            o += m;
        }
    }
    find_junctions(&s);

    /* Pass 1: chains of rings with at most two junctions must keep interior vertices. */
    for (size_t k = 0; k < s.nrings; k++) {
        ring_ref *rr = &s.rings[k];
        size_t first, nj = count_junctions(&s, rr, &first);
        if (rr->m < 3 || nj == 0 || nj > 2)
            continue;
        size_t start = first;
        for (size_t c = 0; c < nj; c++) {
            size_t len = 1;
            while (!s.vi[chain_vid(&s, rr, start, len % rr->m)].junction)
                len++;
            chain_key key;
            chain_forward(&s, rr, start, len + 1, &key);
            if ((error = keys_add(&s, &key)) < 0)
                goto done;
            start = (start + len) % rr->m;
        }
    }

    /* Pass 2: simplify. */
    for (size_t k = 0; k < s.nrings; k++) {
        ring_ref *rr = &s.rings[k];
        if (rr->m < 3) {
            memset(s.keep + rr->off, 1, rr->m);
            continue;
        }
        size_t first, nj = count_junctions(&s, rr, &first);
        if (nj == 0) {
            /* A ring without junctions (an island, or an enclave and the hole around it):
             * start at its smallest vertex id, go towards the smaller neighbour, and keep at
             * least two more vertices. */
            size_t st = 0;
            for (size_t i = 1; i < rr->m; i++)
                if (s.occ[rr->off + i] < s.occ[rr->off + st])
                    st = i;
            uint32_t nx = s.occ[rr->off + (st + 1) % rr->m];
            uint32_t pv = s.occ[rr->off + (st + rr->m - 1) % rr->m];
            int fwd = nx <= pv;
            for (size_t i = 0; i <= rr->m; i++) {
                size_t pos = fwd ? (st + i) % rr->m : (st + rr->m - i) % rr->m;
                buf[i] = s.verts[s.occ[rr->off + pos]];
            }
            douglas_peucker(buf, rr->m + 1, tolerance, 2, kbuf, stack);
            for (size_t i = 0; i < rr->m; i++) {
                size_t pos = fwd ? (st + i) % rr->m : (st + rr->m - i) % rr->m;
                s.keep[rr->off + pos] = kbuf[i];
            }
            continue;
        }
        size_t start = first;
        for (size_t c = 0; c < nj; c++) {
            size_t len = 1;
            while (!s.vi[chain_vid(&s, rr, start, len % rr->m)].junction)
                len++;
            chain_key key;
            chain_forward(&s, rr, start, len + 1, &key);
            size_t min_interior = keys_has(&s, &key) ? (key.k[0] == key.k[3] ? 2 : 1) : 0;
            simplify_chain(&s, rr, start, len + 1, tolerance, min_interior, buf, kbuf, stack);
            start = (start + len) % rr->m;
        }
    }

    /* Rebuild each geometry from the kept occurrences. */
    for (size_t gi = 0, k = 0; gi < n; gi++) {
        wb_geom *g = &geoms[gi];
        size_t total = 0;
        for (size_t r = 0; r < g->nrings; r++) {
            ring_ref *rr = &s.rings[k + r];
            for (size_t i = 0; i < rr->m; i++)
                total += s.keep[rr->off + i];
            total++;
        }
        wb_point *np = wb_malloc((total ? total : 1) * sizeof *np);
        size_t *ro = wb_malloc((g->nrings + 1) * sizeof *ro);
        if (!np || !ro) {
            wb_free(np);
            wb_free(ro);
            error = WB_ENOMEM;
            goto done;
        }
        size_t w = 0;
        ro[0] = 0;
        for (size_t r = 0; r < g->nrings; r++) {
            ring_ref *rr = &s.rings[k + r];
            size_t ring_start = w;
            for (size_t i = 0; i < rr->m; i++)
                if (s.keep[rr->off + i])
                    np[w++] = s.verts[s.occ[rr->off + i]];
            if (w > ring_start)
                np[w++] = np[ring_start];
            ro[r + 1] = w;
        }
        k += g->nrings;
        wb_free(g->pts);
        wb_free(g->ring_off);
        g->pts = np;
        g->npts = w;
        g->ring_off = ro;
        wb_geom_update_bbox(g);
    }
done:
    wb_free(buf);
    wb_free(kbuf);
    wb_free(stack);
    wb_free(s.rings);
    wb_free(s.keep);
    wb_free(s.verts);
    wb_free(s.vi);
    wb_free(s.occ);
    wb_free(s.keys);
    return error;
}
