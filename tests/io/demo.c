/**
 * @file
 * @brief Tests of the demo municipality generator (src/io/demo.c): the PRNG against
 * published vectors, determinism, the tiling of the polygons, the consistency of the values,
 * the planted patterns, and how it treats an existing demo and other data.
 */
#include <stdint.h>
#include <stdlib.h>

#include "io/demo_internal.h"
#include "store/store_internal.h"
#include "test.h"

/* ---------------------------------------------------------------- helpers */

static wb_store *built(uint64_t seed)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_demo_opts o = WB_DEMO_OPTS_INIT;
    o.seed = seed;
    WB_PASS(wb_demo_build(st, &o));
    return st;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ULL;
    return h;
}

/* A digest of every row an SQL query returns (all columns, with their types). */
static uint64_t digest(wb_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, sql));
    uint64_t h = 1469598103934665603ULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            int t = sqlite3_column_type(s, c);
            h = fnv(h, &t, sizeof t);
            if (t == SQLITE_FLOAT) {
                double v = sqlite3_column_double(s, c);
                h = fnv(h, &v, sizeof v);
            } else if (t != SQLITE_NULL) {
                const void *b = sqlite3_column_blob(s, c);
                h = fnv(h, b, (size_t)sqlite3_column_bytes(s, c));
            }
        }
    }
    ASSERT_EQ_I(rc, SQLITE_DONE);
    sqlite3_finalize(s);
    return h;
}

#define SQL_VALUES                                                                           \
    "SELECT a.code, a.year, a.level, a.name, a.parent, i.key, o.year, o.value FROM observation o " \
    "JOIN area a ON a.id = o.area_id JOIN indicator i ON i.id = o.indicator_id ORDER BY 1, 2, 6, 7"
#define SQL_GEOMS                                                                            \
    "SELECT a.code, a.year, g.wkb, g.minx, g.miny, g.maxx, g.maxy FROM geometry g JOIN area a ON " \
    "a.id = g.area_id ORDER BY 1, 2"
#define SQL_LABELS                                                                           \
    "SELECT l.name, a.code FROM label_member m JOIN label_set l ON l.id = m.set_id JOIN area a ON " \
    "a.id = m.area_id ORDER BY 1, 2"

/* Values of one indicator for (code, year) from an array of wb_value; NaN if absent. */
static double find_value(const wb_value *v, size_t n, const char *code, int year)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].year == year && !strcmp(v[i].code, code))
            return v[i].value;
    return NAN;
}

static wb_value *values(wb_store *st, const char *key, wb_level level, size_t *n)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.level = level;
    q.within = level == WB_LEVEL_LAND ? NULL : WB_DEMO_GEMEENTE;
    q.with_missing = 1;
    wb_value *v = NULL;
    WB_PASS(wb_store_values(st, &v, n, NULL, &q));
    return v;
}

/* The class by the thresholds documented in demo.h / docs/demo.md (written out again here,
 * so the test does not just call the code under test). */
static int expected_class(double lbm)
{
    static const double t[8] = {-0.72, -0.59, -0.46, -0.2571, -0.1575, 0.03795, 0.150, 0.238};
    int k = 1;
    for (int i = 0; i < 8; i++)
        if (lbm >= t[i])
            k = i + 2;
    return k;
}

/* ---- geometry: directed segments of all rings of a layer ---- */

typedef struct {
    double x0, y0, x1, y1;
    int owner;
} seg;

static int cmp_seg(const void *a, const void *b)
{
    const seg *p = a, *q = b;
    const double ka[4] = {p->x0, p->y0, p->x1, p->y1}, kb[4] = {q->x0, q->y0, q->x1, q->y1};
    for (int i = 0; i < 4; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

static seg *segments(const wb_layer *L, size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < L->n; i++)
        cap += L->geoms[i].npts;
    seg *s = malloc(cap * sizeof *s);
    ASSERT(s != NULL);
    *n = 0;
    for (size_t i = 0; i < L->n; i++) {
        const wb_geom *g = &L->geoms[i];
        for (size_t r = 0; r < g->nrings; r++)
            for (size_t k = g->ring_off[r]; k + 1 < g->ring_off[r + 1]; k++) {
                seg x = {g->pts[k].x, g->pts[k].y, g->pts[k + 1].x, g->pts[k + 1].y, (int)i};
                s[(*n)++] = x;
            }
    }
    qsort(s, *n, sizeof *s, cmp_seg);
    return s;
}

static const seg *lookup(const seg *s, size_t n, double x0, double y0, double x1, double y1)
{
    seg key = {x0, y0, x1, y1, 0};
    return bsearch(&key, s, n, sizeof *s, cmp_seg);
}

static double ring_area2(const wb_point *p, size_t n)
{
    double a = 0;
    for (size_t i = 0; i + 1 < n; i++)
        a += (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) - (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
    return a;
}

static double orient(wb_point a, wb_point b, wb_point c)
{
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/* 1 when segments ab and cd cross in their interiors. Coordinates are multiples of 12.5 m
 * below 1e6, so these products are exact in double precision. */
static int crosses(wb_point a, wb_point b, wb_point c, wb_point d)
{
    double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0));
}

/* The buurt index of each buurt's neighbours (sharing a segment), as an adjacency matrix. */
static void buurt_adjacency(const wb_layer *B, const seg *s, size_t ns, unsigned char *adj)
{
    memset(adj, 0, B->n * B->n);
    for (size_t i = 0; i < ns; i++) {
        const seg *r = lookup(s, ns, s[i].x1, s[i].y1, s[i].x0, s[i].y0);
        if (r && r->owner != s[i].owner)
            adj[(size_t)s[i].owner * B->n + (size_t)r->owner] = 1;
    }
}

/* ---------------------------------------------------------------- the PRNG */

TEST(io_demo, rng_matches_published_vectors)
{
    /* splitmix64 from state 0: the first outputs of Vigna's reference splitmix64.c
     * (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f; checked with an
     * independent Python transcription of the algorithm). */
    uint64_t x = 0;
    ASSERT(wb__splitmix64(&x) == 0xe220a8397b1dcdafULL);
    ASSERT(wb__splitmix64(&x) == 0x6e789e6aa1b965f4ULL);
    ASSERT(wb__splitmix64(&x) == 0x06c45d188009454fULL);
    /* xoshiro256** from state {1, 2, 3, 4}: the reference vector of the xoshiro256ss C++
     * port of Vigna's code (11520, 0, 1509978240, 1215971899390074240). */
    wb_demo_rng r = {{1, 2, 3, 4}};
    ASSERT(wb__rng_next(&r) == 11520ULL);
    ASSERT(wb__rng_next(&r) == 0ULL);
    ASSERT(wb__rng_next(&r) == 1509978240ULL);
    ASSERT(wb__rng_next(&r) == 1215971899390074240ULL);
    /* the Irwin-Hall normal has mean 0 and variance 1; over 100,000 draws the sample mean
     * has sd 0.0032 and the variance sd ~0.0045: tolerances are > 5 sd */
    wb__rng_seed(&r, 42);
    double s = 0, s2 = 0, u = 0;
    const int n = 100000;
    for (int i = 0; i < n; i++) {
        double z = wb_demo__rng_normal(&r);
        ASSERT(z > -6 && z < 6);
        s += z;
        s2 += z * z;
        double v = wb__rng_uniform(&r);
        ASSERT(v >= 0 && v < 1);
        u += v;
    }
    ASSERT_CLOSE(s / n, 0, 0.02);
    ASSERT_CLOSE(s2 / n - (s / n) * (s / n), 1, 0.03);
    ASSERT_CLOSE(u / n, 0.5, 0.005); /* sd 0.0009 */
}

/* ---------------------------------------------------------------- determinism */

TEST(io_demo, same_seed_gives_identical_values_and_geometry)
{
    wb_store *a = built(WB_DEMO_SEED), *b = built(WB_DEMO_SEED), *c = built(WB_DEMO_SEED + 1);
    ASSERT(digest(a, SQL_VALUES) == digest(b, SQL_VALUES));
    ASSERT(digest(a, SQL_GEOMS) == digest(b, SQL_GEOMS));
    ASSERT(digest(a, SQL_LABELS) == digest(b, SQL_LABELS));
    ASSERT(digest(a, SQL_VALUES) != digest(c, SQL_VALUES));
    ASSERT(digest(a, SQL_GEOMS) != digest(c, SQL_GEOMS));
    wb_store_free(a);
    wb_store_free(b);
    wb_store_free(c);
}

/* ---------------------------------------------------------------- tiling */

TEST(io_demo, polygons_tile_the_municipality_without_gaps_or_overlaps)
{
    wb_store *st = built(WB_DEMO_SEED);
    wb_layer B = WB_LAYER_INIT, W = WB_LAYER_INIT, G = WB_LAYER_INIT;
    WB_PASS(wb_store_layer_load(st, &B, WB_LEVEL_BUURT, 2022));
    WB_PASS(wb_store_layer_load(st, &W, WB_LEVEL_WIJK, 2022));
    WB_PASS(wb_store_layer_load(st, &G, WB_LEVEL_GEMEENTE, 2022));
    ASSERT_EQ_I(B.n, 80);
    ASSERT_EQ_I(W.n, 8);
    ASSERT_EQ_I(G.n, 1);
    ASSERT_EQ_S(G.codes[0], "GM9999");
    const wb_layer *layers[3] = {&B, &W, &G};
    /* every ring closed, >= 4 points, no repeated point, exteriors counter-clockwise and
     * holes clockwise (so a shared edge runs in opposite directions in its two polygons) */
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < layers[l]->n; i++) {
            const wb_geom *g = &layers[l]->geoms[i];
            ASSERT_EQ_I(g->npolys, 1);
            for (size_t r = 0; r < g->nrings; r++) {
                const wb_point *p = g->pts + g->ring_off[r];
                size_t n = g->ring_off[r + 1] - g->ring_off[r];
                ASSERT(n >= 4);
                ASSERT(p[0].x == p[n - 1].x && p[0].y == p[n - 1].y);
                for (size_t k = 0; k + 1 < n; k++)
                    ASSERT(p[k].x != p[k + 1].x || p[k].y != p[k + 1].y);
                ASSERT_MSG(r == 0 ? ring_area2(p, n) > 0 : ring_area2(p, n) < 0, "%s ring %zu has the wrong orientation",
                           layers[l]->codes[i], r);
            }
        }
    /* areas: buurten sum to the gemeente, and to each wijk */
    double sum = 0, wsum[8] = {0};
    for (size_t i = 0; i < B.n; i++) {
        double a = wb_geom_area(&B.geoms[i]);
        ASSERT(a > 0);
        sum += a;
        char parent[WB_CODE_MAX];
        WB_PASS(wb_code_parent(parent, B.codes[i]));
        int w = atoi(parent + 6);
        ASSERT(w >= 0 && w < 8);
        ASSERT_EQ_S(W.codes[w], parent);
        wsum[w] += a;
    }
    double gem = wb_geom_area(&G.geoms[0]);
    ASSERT_CLOSE(sum / gem, 1, 1e-9);
    for (int w = 0; w < 8; w++)
        ASSERT_CLOSE(wsum[w] / wb_geom_area(&W.geoms[w]), 1, 1e-9);
    /* a realistic size: 20 to 80 km2 */
    ASSERT(gem > 20e6 && gem < 80e6);
    /* segments: each directed buurt segment is used once; its reverse belongs to another
     * buurt, or it lies on the gemeente's boundary (same direction). */
    size_t nb = 0, nw = 0, ng = 0;
    seg *sb = segments(&B, &nb), *sw = segments(&W, &nw), *sg = segments(&G, &ng);
    size_t outer = 0;
    for (size_t i = 0; i < nb; i++) {
        if (i)
            ASSERT_MSG(cmp_seg(&sb[i - 1], &sb[i]) != 0, "a directed segment of %s is used twice",
                       B.codes[sb[i].owner]);
        const seg *r = lookup(sb, nb, sb[i].x1, sb[i].y1, sb[i].x0, sb[i].y0);
        const seg *o = lookup(sg, ng, sb[i].x0, sb[i].y0, sb[i].x1, sb[i].y1);
        ASSERT_MSG((r != NULL) != (o != NULL), "segment of %s: shared %d, outer %d", B.codes[sb[i].owner],
                   r != NULL, o != NULL);
        if (r)
            ASSERT(r->owner != sb[i].owner);
        outer += o != NULL;
    }
    ASSERT_EQ_I(outer, ng); /* every gemeente segment is the edge of exactly one buurt */
    /* each wijk segment is a buurt segment of a buurt in that wijk */
    for (size_t i = 0; i < nw; i++) {
        const seg *s = lookup(sb, nb, sw[i].x0, sw[i].y0, sw[i].x1, sw[i].y1);
        ASSERT(s != NULL);
        ASSERT_EQ_I(atoi(B.codes[s->owner] + 6) / 100, sw[i].owner);
    }
    /* no two segments cross (within a ring or between buurten) */
    for (size_t i = 0; i < B.n; i++)
        for (size_t j = i; j < B.n; j++) {
            const wb_geom *a = &B.geoms[i], *b = &B.geoms[j];
            if (a->bbox[2] < b->bbox[0] || b->bbox[2] < a->bbox[0] || a->bbox[3] < b->bbox[1] ||
                b->bbox[3] < a->bbox[1])
                continue;
            for (size_t p = 0; p + 1 < a->npts; p++)
                for (size_t q = (i == j ? p + 1 : 0); q + 1 < b->npts; q++)
                    ASSERT_MSG(!crosses(a->pts[p], a->pts[p + 1], b->pts[q], b->pts[q + 1]),
                               "%s and %s cross", B.codes[i], B.codes[j]);
        }
    /* every buurt has a neighbour sharing an edge */
    unsigned char *adj = malloc(B.n * B.n);
    ASSERT(adj != NULL);
    buurt_adjacency(&B, sb, nb, adj);
    for (size_t i = 0; i < B.n; i++) {
        int k = 0;
        for (size_t j = 0; j < B.n; j++)
            k += adj[i * B.n + j];
        ASSERT_MSG(k >= 1, "%s has no neighbour", B.codes[i]);
    }
    free(adj);
    free(sb);
    free(sw);
    free(sg);
    wb_layer_dispose(&B);
    wb_layer_dispose(&W);
    wb_layer_dispose(&G);
    wb_store_free(st);
}

TEST(io_demo, lies_in_the_north_sea_in_rd_new)
{
    /* RD New x 48-57 km, y 484-492 km: about 45 km west of IJmuiden, so it overlaps no real
     * municipality; transforming the centre to WGS84 gives a point at sea west of 4.4 E */
    wb_store *st = built(WB_DEMO_SEED);
    wb_layer G = WB_LAYER_INIT;
    WB_PASS(wb_store_layer_load(st, &G, WB_LEVEL_GEMEENTE, 2022));
    const double *bb = G.geoms[0].bbox;
    ASSERT(bb[0] >= 48000 && bb[2] <= 57000 && bb[1] >= 484000 && bb[3] <= 491500);
    wb_point c = wb_geom_centroid(&G.geoms[0]);
    wb_geom p = WB_GEOM_INIT;
    p.pts = &c;
    p.npts = 1;
    WB_PASS(wb_geom_transform(&p, "EPSG:28992", "EPSG:4326"));
    ASSERT(c.x > 3.5 && c.x < 4.2); /* longitude: the coast at this latitude is at ~4.55 E */
    ASSERT(c.y > 52.2 && c.y < 52.5);
    wb_layer_dispose(&G);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- values */

TEST(io_demo, values_are_internally_consistent)
{
    wb_store *st = built(WB_DEMO_SEED);
    static const char *const shares[] = {"p_hh_li", "p_huurw", "p_koopw", "p_wcorpw", "p_stadsv", "p_opl_laag",
                                         "p_opl_mid", "p_opl_hoog", "p_soz_wb"};
    static const char *const counts[] = {"a_inw", "a_hh", "a_woning", "a_soz_wb", "a_w_all", "a_nw_all"};
    size_t nmiss = 0, ntotal = 0;
    for (wb_level lv = WB_LEVEL_LAND; lv <= WB_LEVEL_BUURT; lv++) {
        for (size_t k = 0; k < sizeof shares / sizeof shares[0]; k++) {
            size_t n;
            wb_value *v = values(st, shares[k], lv, &n);
            ASSERT(n > 0);
            for (size_t i = 0; i < n; i++)
                if (!isnan(v[i].value))
                    ASSERT_MSG(v[i].value >= 0 && v[i].value <= 100, "%s %s %d = %g", shares[k], v[i].code,
                               v[i].year, v[i].value);
            wb_free(v);
        }
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            size_t n;
            wb_value *v = values(st, counts[k], lv, &n);
            for (size_t i = 0; i < n; i++) {
                ASSERT_MSG(!isnan(v[i].value), "count %s missing for %s", counts[k], v[i].code);
                ASSERT(v[i].value >= 0 && v[i].value == floor(v[i].value));
            }
            wb_free(v);
        }
        size_t n, n2, n3, n4, n5, n6, n7;
        wb_value *inw = values(st, "a_inw", lv, &n), *soz = values(st, "a_soz_wb", lv, &n2);
        wb_value *psoz = values(st, "p_soz_wb", lv, &n3), *huur = values(st, "p_huurw", lv, &n4);
        wb_value *koop = values(st, "p_koopw", lv, &n5), *corp = values(st, "p_wcorpw", lv, &n6);
        wb_value *hh = values(st, "a_hh", lv, &n7);
        ASSERT(n == n2 && n == n3 && n == n4 && n == n5 && n == n6 && n == n7);
        for (size_t i = 0; i < n; i++) {
            ASSERT(!strcmp(inw[i].code, psoz[i].code) && inw[i].year == psoz[i].year);
            ASSERT_CLOSE(psoz[i].value, 100.0 * soz[i].value / inw[i].value, 1e-12 * psoz[i].value);
            ASSERT(hh[i].value <= inw[i].value && soz[i].value <= inw[i].value);
            ASSERT(isnan(huur[i].value) == isnan(koop[i].value) && isnan(huur[i].value) == isnan(corp[i].value));
            if (!isnan(huur[i].value)) {
                ASSERT_CLOSE(huur[i].value + koop[i].value, 100, 1e-9);
                ASSERT(corp[i].value <= huur[i].value);
            }
        }
        wb_free(inw);
        wb_free(soz);
        wb_free(psoz);
        wb_free(huur);
        wb_free(koop);
        wb_free(corp);
        wb_free(hh);
        /* Leefbaarometer: total = sum of the five dimensions, class from the thresholds */
        static const char *const dims[] = {"lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv"};
        wb_value *lbm = values(st, "lbm", lv, &n), *kl = values(st, "lbm_klasse", lv, &n2), *d[5];
        ASSERT_EQ_I(n, n2);
        for (int k = 0; k < 5; k++) {
            d[k] = values(st, dims[k], lv, &n3);
            ASSERT_EQ_I(n3, n);
        }
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            int miss = 0;
            for (int k = 0; k < 5; k++) {
                s += d[k][i].value;
                miss += isnan(d[k][i].value);
            }
            ntotal++;
            ASSERT(miss == 0 || miss == 5);
            ASSERT_EQ_I(isnan(lbm[i].value), miss == 5);
            ASSERT_EQ_I(isnan(kl[i].value), miss == 5);
            if (miss) {
                nmiss++;
                continue;
            }
            ASSERT_CLOSE(lbm[i].value, s, 1e-12);
            ASSERT(lbm[i].value > -0.7 && lbm[i].value < 0.6);
            ASSERT_EQ_I(kl[i].value, expected_class(lbm[i].value));
        }
        wb_free(lbm);
        wb_free(kl);
        for (int k = 0; k < 5; k++)
            wb_free(d[k]);
        /* education shares add up to 100 */
        wb_value *lo = values(st, "p_opl_laag", lv, &n), *mi = values(st, "p_opl_mid", lv, &n2),
                 *hi = values(st, "p_opl_hoog", lv, &n3);
        ASSERT(n == n2 && n == n3 && n > 0);
        for (size_t i = 0; i < n; i++) {
            ASSERT(lo[i].year >= 2012); /* not published earlier: no rows at all */
            if (!isnan(lo[i].value))
                ASSERT_CLOSE(lo[i].value + mi[i].value + hi[i].value, 100, 1e-9);
        }
        wb_free(lo);
        wb_free(mi);
        wb_free(hi);
    }
    /* some buurt-years are missing, as in real data, but few (the business park + ~0.3%) */
    ASSERT(nmiss > 0 && nmiss * 20 < ntotal);
    wb_store_free(st);
}

TEST(io_demo, aggregates_follow_from_the_buurten)
{
    wb_store *st = built(WB_DEMO_SEED);
    size_t nb, nw, ng, n2, n3;
    wb_value *b = values(st, "a_inw", WB_LEVEL_BUURT, &nb), *w = values(st, "a_inw", WB_LEVEL_WIJK, &nw);
    wb_value *g = values(st, "a_inw", WB_LEVEL_GEMEENTE, &ng);
    ASSERT_EQ_I(nb, 80 * 21);
    ASSERT_EQ_I(nw, 8 * 21);
    ASSERT_EQ_I(ng, 21);
    for (int y = 2002; y <= 2022; y++) {
        double tot = 0, wtot[8] = {0};
        for (size_t i = 0; i < nb; i++)
            if (b[i].year == y) {
                tot += b[i].value;
                wtot[atoi(b[i].code + 6) / 100] += b[i].value;
            }
        ASSERT_CLOSE(find_value(g, ng, "GM9999", y), tot, 0);
        for (int k = 0; k < 8; k++) {
            char code[16];
            snprintf(code, sizeof code, "WK9999%02d", k);
            ASSERT_CLOSE(find_value(w, nw, code, y), wtot[k], 0);
        }
    }
    /* a share: p_hh_li of the gemeente is the household-weighted mean of its buurten */
    wb_value *li = values(st, "p_hh_li", WB_LEVEL_BUURT, &n2), *hh = values(st, "a_hh", WB_LEVEL_BUURT, &n3);
    wb_value *gli = values(st, "p_hh_li", WB_LEVEL_GEMEENTE, &ng);
    double sw = 0, swv = 0;
    for (size_t i = 0; i < n2; i++)
        if (li[i].year == 2016 && !isnan(li[i].value)) {
            double h = find_value(hh, n3, li[i].code, 2016);
            sw += h;
            swv += h * li[i].value;
        }
    ASSERT_CLOSE(find_value(gli, ng, "GM9999", 2016), swv / sw, 0.05 + 1e-9); /* stored rounded to 0.1 */
    /* the national reference row exists */
    size_t nn;
    wb_value *nl = values(st, "lbm", WB_LEVEL_LAND, &nn);
    ASSERT_EQ_I(nn, 21);
    ASSERT_EQ_S(nl[0].code, "NL00");
    wb_free(nl);
    wb_free(b);
    wb_free(w);
    wb_free(g);
    wb_free(li);
    wb_free(hh);
    wb_free(gli);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- planted patterns */

/* OLS slope of lbm over the years [y0, y1] present (NaN with fewer than 5 points). */
static double slope(const wb_value *v, size_t n, const char *code, int y0, int y1)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int k = 0;
    for (int y = y0; y <= y1; y++) {
        double x = find_value(v, n, code, y);
        if (isnan(x))
            continue;
        sx += y;
        sy += x;
        sxx += (double)y * y;
        sxy += y * x;
        k++;
    }
    if (k < 5)
        return NAN;
    return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/* The planted patterns are checked for the default seed and one other: they come from the
 * construction, not from a lucky seed. */
static void check_planted_patterns(uint64_t seed)
{
    wb_store *st = built(seed);
    wb_layer B = WB_LAYER_INIT;
    WB_PASS(wb_store_layer_load(st, &B, WB_LEVEL_BUURT, 2022));
    size_t n;
    wb_value *lbm = values(st, "lbm", WB_LEVEL_BUURT, &n);
    wb_area *set = NULL;
    size_t nset = 0;
    WB_PASS(wb_store_label_members(st, &set, &nset, WB_DEMO_LABEL_SET));
    ASSERT(nset >= 8 && nset <= 14);
    int in_set[80] = {0};
    for (size_t i = 0; i < nset; i++)
        for (size_t j = 0; j < B.n; j++)
            if (!strcmp(set[i].code, B.codes[j]))
                in_set[j] = 1;
    /* trend groups by OLS slopes before (2002-2012) and after (2012-2022) the break, in lbm
     * units a year; the national drift is +0.002 */
    int improving = 0, stagnating = 0, declining = 0, stagnating_in_set = 0;
    for (size_t j = 0; j < B.n; j++) {
        double before = slope(lbm, n, B.codes[j], 2002, 2012), after = slope(lbm, n, B.codes[j], 2012, 2022);
        if (isnan(before) || isnan(after))
            continue;
        if (before > 0.005 && after > 0.005)
            improving++;
        else if (before > 0.005 && after > -0.003 && after < 0.0015) {
            stagnating++;
            stagnating_in_set += in_set[j];
        } else if (after < -0.004)
            declining++;
    }
    ASSERT(improving >= 1);
    ASSERT(stagnating >= 1);
    ASSERT(declining >= 1);
    ASSERT(stagnating_in_set * 2 > stagnating); /* stagnation is an attention-area pattern */
    /* Moran's I of lbm 2022 with row-standardised edge contiguity (Cliff and Ord 1981):
     * I = (n / S0) sum_ij w_ij z_i z_j / sum_i z_i^2, E[I] = -1/(n-1), and under normality
     * Var[I] = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - E[I]^2 */
    size_t ns;
    seg *sb = segments(&B, &ns);
    unsigned char *adj = malloc(B.n * B.n);
    ASSERT(adj != NULL);
    buurt_adjacency(&B, sb, ns, adj);
    double x[80];
    int ok[80], m = 0;
    double mean = 0;
    for (size_t j = 0; j < B.n; j++) {
        x[j] = find_value(lbm, n, B.codes[j], 2022);
        ok[j] = !isnan(x[j]);
        if (ok[j]) {
            mean += x[j];
            m++;
        }
    }
    mean /= m;
    double w[80][80] = {{0}}, z2 = 0, num = 0, S0 = 0, S1 = 0, S2 = 0;
    for (size_t i = 0; i < B.n; i++) {
        if (!ok[i])
            continue;
        int k = 0;
        for (size_t j = 0; j < B.n; j++)
            k += ok[j] && adj[i * B.n + j];
        for (size_t j = 0; j < B.n; j++)
            if (ok[j] && adj[i * B.n + j])
                w[i][j] = 1.0 / k;
        z2 += (x[i] - mean) * (x[i] - mean);
    }
    for (size_t i = 0; i < B.n; i++)
        for (size_t j = 0; j < B.n; j++) {
            if (w[i][j] != 0)
                num += w[i][j] * (x[i] - mean) * (x[j] - mean);
            S0 += w[i][j];
            S1 += 0.5 * (w[i][j] + w[j][i]) * (w[i][j] + w[j][i]);
        }
    for (size_t i = 0; i < B.n; i++) {
        double r = 0, c = 0;
        for (size_t j = 0; j < B.n; j++) {
            r += w[i][j];
            c += w[j][i];
        }
        if (ok[i])
            S2 += (r + c) * (r + c);
    }
    double I = (m / S0) * num / z2, EI = -1.0 / (m - 1);
    double var = ((double)m * m * S1 - m * S2 + 3 * S0 * S0) / (((double)m * m - 1) * S0 * S0) - EI * EI;
    double zI = (I - EI) / sqrt(var);
    ASSERT_MSG(I > 0.3 && zI > 4, "Moran's I = %g, z = %g", I, zI);
    /* low-low: the set's mean is far below the rest, and most members' neighbours are below
     * the mean too (a local Moran LL pattern) */
    double sin = 0, sout = 0;
    int nin = 0, nout = 0, ll = 0;
    for (size_t i = 0; i < B.n; i++) {
        if (!ok[i])
            continue;
        if (!in_set[i]) {
            sout += x[i];
            nout++;
            continue;
        }
        sin += x[i];
        nin++;
        double lag = 0;
        for (size_t j = 0; j < B.n; j++)
            if (w[i][j] != 0)
                lag += w[i][j] * (x[j] - mean);
        ll += x[i] < mean && lag < 0;
    }
    ASSERT(sin / nin < sout / nout - 0.15);
    ASSERT(ll * 10 >= nin * 8);
    /* the set is connected: every member touches another member */
    for (size_t i = 0; i < B.n; i++) {
        if (!in_set[i])
            continue;
        int t = 0;
        for (size_t j = 0; j < B.n; j++)
            t += in_set[j] && adj[i * B.n + j];
        ASSERT_MSG(t >= 1, "%s is an isolated member of the set", B.codes[i]);
    }
    free(adj);
    free(sb);
    wb_areas_free(set, nset);
    wb_free(lbm);
    wb_layer_dispose(&B);
    wb_store_free(st);
}

TEST(io_demo, planted_trends_and_low_livability_cluster_exist)
{
    check_planted_patterns(WB_DEMO_SEED);
    check_planted_patterns(3);
}

/* ---------------------------------------------------------------- existing data */

TEST(io_demo, refuses_an_existing_demo_and_replaces_it_on_request)
{
    wb_store *st = built(WB_DEMO_SEED);
    uint64_t v0 = digest(st, SQL_VALUES), g0 = digest(st, SQL_GEOMS);
    wb_demo_opts o = WB_DEMO_OPTS_INIT;
    WB_FAILS(WB_ECONFLICT, wb_demo_build(st, &o));
    ASSERT(strstr(wb_error_last()->message, "already exists") != NULL);
    ASSERT(digest(st, SQL_VALUES) == v0 && digest(st, SQL_GEOMS) == g0);
    /* replacing with another seed leaves exactly what a fresh build with that seed gives */
    o.replace = 1;
    o.seed = 7;
    WB_PASS(wb_demo_build(st, &o));
    wb_store *fresh = built(7);
    ASSERT(digest(st, SQL_VALUES) == digest(fresh, SQL_VALUES));
    ASSERT(digest(st, SQL_GEOMS) == digest(fresh, SQL_GEOMS));
    ASSERT(digest(st, SQL_LABELS) == digest(fresh, SQL_LABELS));
    /* ids looked up after the replacement are live rows */
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "BU99990000", 2022));
    int64_t id;
    WB_PASS(wb_store_area_find(st, &id, "BU99990000", 2022));
    ASSERT_EQ_I(id, a->id);
    wb_areas_free(a, 1);
    wb_store_free(fresh);
    wb_store_free(st);
}

TEST(io_demo, leaves_other_data_and_catalogue_entries_alone)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_indicator ind = {0};
    ind.key = "lbm";
    ind.label_nl = "eigen label";
    int64_t iid, aid;
    WB_PASS(wb_store_indicator_put(st, &iid, &ind));
    WB_PASS(wb_store_area_put(st, &aid, "WK036300", 2016, WB_LEVEL_WIJK, "Burgwallen-Oude Zijde", NULL));
    WB_PASS(wb_store_obs_put(st, iid, aid, 2016, 0.25));
    int64_t set;
    WB_PASS(wb_store_label_set_put(st, &set, WB_DEMO_LABEL_SET, "real ones"));
    WB_PASS(wb_store_label_add(st, set, aid));
    wb_demo_opts o = WB_DEMO_OPTS_INIT;
    for (int round = 0; round < 2; round++) {
        o.replace = round;
        WB_PASS(wb_demo_build(st, &o));
        wb_indicator *inds = NULL;
        size_t n = 0;
        WB_PASS(wb_store_indicators(st, &inds, &n));
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(inds[i].key, "lbm")) {
                ASSERT_EQ_S(inds[i].label_nl, "eigen label");
                found = 1;
            } else {
                /* every other demo indicator is the built-in catalogue's entry, as it is */
                const wb_catalog_entry *e = wb_catalog_find(inds[i].key);
                ASSERT_MSG(e != NULL, "demo indicator %s is not in the built-in catalogue", inds[i].key);
                ASSERT_EQ_S(inds[i].label_nl, e->label_nl);
                ASSERT_EQ_S(inds[i].label_en, e->label_en);
                ASSERT_EQ_S(inds[i].unit, e->unit);
                ASSERT_EQ_I(inds[i].direction, e->direction);
                ASSERT(!e->dimension == !inds[i].dimension);
                if (e->dimension)
                    ASSERT_EQ_S(inds[i].dimension, e->dimension);
                ASSERT_EQ_S(inds[i].source, e->source);
            }
        ASSERT(found);
        ASSERT_EQ_I(n, 30); /* the demo's 30 indicators (docs/demo.md), lbm among them */
        wb_indicators_free(inds, n);
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = "lbm";
        q.code = "WK036300";
        wb_value *v = NULL;
        WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
        ASSERT_EQ_I(n, 1);
        ASSERT_CLOSE(v[0].value, 0.25, 0);
        wb_free(v);
        wb_area *m = NULL;
        WB_PASS(wb_store_label_members(st, &m, &n, WB_DEMO_LABEL_SET));
        ASSERT(n >= 9); /* the real member and the demo's */
        ASSERT_EQ_S(m[0].code, "WK036300");
        wb_areas_free(m, n);
    }
    wb_store_free(st);
}

typedef struct {
    int calls, done_equals_total;
} progress_seen;

static void on_progress(void *payload, const char *what, size_t done, size_t total)
{
    progress_seen *p = payload;
    ASSERT(what && !strncmp(what, "demo: ", 6));
    ASSERT(done <= total);
    p->calls++;
    p->done_equals_total += total > 0 && done == total;
}

TEST(io_demo, other_year_range_reports_progress_and_replaces_cleanly)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_demo_opts o = WB_DEMO_OPTS_INIT;
    progress_seen seen = {0, 0};
    o.first_year = 2010;
    o.last_year = 2014;
    o.progress = on_progress;
    o.payload = &seen;
    WB_PASS(wb_demo_build(st, &o));
    ASSERT(seen.calls >= 4 && seen.done_equals_total >= 2); /* the map and the values finish */
    int exists = 0, year = 0;
    WB_PASS(wb_demo_exists(&exists, &year, st));
    ASSERT(exists && year == 2014);
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = "a_inw";
    q.code = "GM9999";
    wb_value *v = NULL;
    size_t n = 0;
    WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
    ASSERT_EQ_I(n, 5);
    ASSERT_EQ_I(v[0].year, 2010);
    ASSERT_EQ_I(v[4].boundary_year, 2014);
    wb_free(v);
    /* replacing it with the default range leaves no area or national value of 2014 behind */
    o = (wb_demo_opts)WB_DEMO_OPTS_INIT;
    o.replace = 1;
    WB_PASS(wb_demo_build(st, &o));
    wb_area_query aq = WB_AREA_QUERY_INIT;
    aq.year = 2014;
    wb_area *a = NULL;
    WB_PASS(wb_store_areas(st, &a, &n, &aq));
    ASSERT_EQ_I(n, 1); /* only NL00 of 2014 stays, without values */
    ASSERT_EQ_S(a[0].code, "NL00");
    wb_areas_free(a, n);
    q.code = "NL00";
    q.boundary_year = 2014;
    q.with_missing = 1;
    WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
    ASSERT_EQ_I(n, 0);
    wb_free(v);
    wb_store_free(st);
}

TEST(io_demo, rejects_bad_options_and_an_open_transaction)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_demo_opts o = WB_DEMO_OPTS_INIT;
    o.first_year = 2023;
    WB_FAILS(WB_EINVALID, wb_demo_build(st, &o));
    o = (wb_demo_opts)WB_DEMO_OPTS_INIT;
    o.version = 2;
    WB_FAILS(WB_EINVALID, wb_demo_build(st, &o));
    WB_PASS(wb_store_begin(st));
    WB_FAILS(WB_ESTORE, wb_demo_build(st, NULL));
    WB_PASS(wb_store_rollback(st));
    int exists = 1;
    WB_PASS(wb_demo_exists(&exists, NULL, st));
    ASSERT_EQ_I(exists, 0);
    wb_store_free(st);
}

TEST(io_demo, a_failed_build_writes_nothing_and_leaks_nothing)
{
    /* make the Nth library allocation fail, for N before, inside and after the map work and
     * while storing (geometries are encoded inside the transaction) */
    static const long ns[] = {0, 3, 40, 400, 1000, 2000};
    int failures = 0;
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        wb_store *st = NULL;
        WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
        wb_alloc_fail_after(ns[k]);
        int rc = wb_demo_build(st, NULL);
        wb_alloc_fail_after(-1);
        int exists = 1;
        WB_PASS(wb_demo_exists(&exists, NULL, st));
        if (rc < 0) {
            failures++;
            ASSERT_MSG(rc == WB_ENOMEM, "fail after %ld: %d %s", ns[k], rc, wb_error_last()->message);
            ASSERT_EQ_I(exists, 0);
            ASSERT(digest(st, SQL_VALUES) == digest(st, "SELECT 1 WHERE 0"));
        } else {
            ASSERT_EQ_I(exists, 1);
        }
        wb_store_free(st);
    }
    ASSERT(failures >= 4);
}

TEST(io_demo, class_labels)
{
    ASSERT_EQ_S(wb_demo_class_label(1), "zeer onvoldoende");
    ASSERT_EQ_S(wb_demo_class_label(9), "uitstekend");
    ASSERT(wb_demo_class_label(0) == NULL && wb_demo_class_label(10) == NULL);
    ASSERT_EQ_I(wb_demo_lbm_class(NAN), 0);
    for (double x = -1; x <= 1; x += 0.001)
        ASSERT_EQ_I(wb_demo_lbm_class(x), expected_class(x));
}
