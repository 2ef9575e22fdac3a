/**
 * @file
 * @brief The GeoJSON writer and the topology-preserving simplification. Expected values come
 * from the fixtures' coordinates (tests/data/geo/README.md) and from constructions whose
 * answer is known (a grid of squares with wavy borders simplifies to its corners).
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

static wb_store *store_with_basic(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    o.year = 2021;
    WB_PASS(wb_geo_import(st, wbt_fixture("geo/basic.topojson"), &o, NULL));
    return st;
}

static json_t *parse(const wb_str *s)
{
    json_error_t e;
    json_t *root = json_loadb(s->ptr, s->len, 0, &e);
    ASSERT_MSG(root, "output is not JSON: %s at %d:%d", e.text, e.line, e.column);
    return root;
}

static json_t *feature(json_t *root, const char *code)
{
    json_t *fs = json_object_get(root, "features");
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *f = json_array_get(fs, i);
        if (!strcmp(json_string_value(json_object_get(f, "id")), code))
            return f;
    }
    wbt_fail(__FILE__, __LINE__, "no feature %s", code);
}

/* Twice the signed area of a GeoJSON ring (positive = counter-clockwise). */
static double ring_area2(json_t *ring)
{
    double a = 0;
    for (size_t i = 0; i + 1 < json_array_size(ring); i++) {
        json_t *p = json_array_get(ring, i), *q = json_array_get(ring, i + 1);
        a += json_number_value(json_array_get(p, 0)) * json_number_value(json_array_get(q, 1)) -
             json_number_value(json_array_get(q, 0)) * json_number_value(json_array_get(p, 1));
    }
    return a;
}

TEST(io_geojson_write, rd_output_with_values_and_rfc7946_winding)
{
    wb_store *st = store_with_basic();
    wb_indicator ind = {0, "a_inw", "inwoners", "inhabitants", "aantal", 0, NULL, "test", NULL};
    int64_t iid, a1, a2;
    WB_PASS(wb_store_indicator_put(st, &iid, &ind));
    WB_PASS(wb_store_area_find(st, &a1, "BU09990001", 2021));
    WB_PASS(wb_store_area_find(st, &a2, "BU09990002", 2021));
    WB_PASS(wb_store_obs_put(st, iid, a1, 2021, 12.5));
    WB_PASS(wb_store_obs_put(st, iid, a2, 2021, NAN)); /* stored missing */
    WB_PASS(wb_store_obs_put(st, iid, a2, 2020, 7));    /* another data year */
    wb_str out = WB_STR_INIT;
    wb_geojson_opts o = WB_GEOJSON_OPTS_INIT;
    o.crs = "EPSG:28992";
    wb_geojson_stats s;
    WB_PASS(wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, "a_inw", 0, &o, &s));
    ASSERT_EQ_I(s.features, 6); /* the areas with a geometry */
    ASSERT_EQ_I(s.with_value, 1);
    ASSERT_EQ_I(s.null_value, 5);
    ASSERT_EQ_I(s.points_in, s.points_out); /* nothing merged at 2 decimals of a metre */
    json_t *root = parse(&out);
    ASSERT_EQ_S(json_string_value(json_object_get(root, "type")), "FeatureCollection");
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(json_object_get(root, "crs"),
                                                                   "properties"), "name")),
                "urn:ogc:def:crs:EPSG::28992");
    json_t *bbox = json_object_get(root, "bbox"); /* x 0..91, y 0..10 units of 10 m */
    ASSERT_CLOSE(json_number_value(json_array_get(bbox, 0)), 100000, 0);
    ASSERT_CLOSE(json_number_value(json_array_get(bbox, 2)), 100910, 0);
    ASSERT_CLOSE(json_number_value(json_array_get(bbox, 3)), 400100, 0);
    json_t *a = feature(root, "BU09990001"), *props = json_object_get(a, "properties");
    ASSERT_EQ_S(json_string_value(json_object_get(props, "code")), "BU09990001");
    ASSERT_EQ_S(json_string_value(json_object_get(props, "name")), "Aa");
    ASSERT_CLOSE(json_number_value(json_object_get(props, "value")), 12.5, 0);
    json_t *geom = json_object_get(a, "geometry");
    ASSERT_EQ_S(json_string_value(json_object_get(geom, "type")), "Polygon");
    json_t *rings = json_object_get(geom, "coordinates");
    ASSERT_EQ_I(json_array_size(rings), 2);
    ASSERT_CLOSE(ring_area2(json_array_get(rings, 0)) / 2, 10000, 1e-6);  /* exterior: CCW */
    ASSERT_CLOSE(ring_area2(json_array_get(rings, 1)) / 2, -900, 1e-6);   /* hole: CW */
    ASSERT(json_is_null(json_object_get(json_object_get(feature(root, "BU09990002"), "properties"), "value")));
    json_t *c = json_object_get(feature(root, "BU09990003"), "geometry");
    ASSERT_EQ_S(json_string_value(json_object_get(c, "type")), "MultiPolygon");
    ASSERT_EQ_I(json_array_size(json_object_get(c, "coordinates")), 2);
    json_decref(root);
    wb_str_dispose(&out);
    /* the other data year */
    WB_PASS(wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, "a_inw", 2020, &o, &s));
    ASSERT_EQ_I(s.with_value, 1);
    root = parse(&out);
    ASSERT_CLOSE(json_number_value(json_object_get(json_object_get(feature(root, "BU09990002"), "properties"), "value")), 7, 0);
    json_decref(root);
    wb_str_dispose(&out);
    WB_FAILS(WB_ENOTFOUND, wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, "nope", 0, &o, &s));
    WB_FAILS(WB_ENOTFOUND, wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_WIJK, 2021, NULL, 0, &o, &s));
    wb_str_dispose(&out);
    wb_store_free(st);
}

TEST(io_geojson_write, default_is_wgs84_with_six_decimals_and_shared_vertices)
{
    wb_store *st = store_with_basic();
    wb_str out = WB_STR_INIT;
    WB_PASS(wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, NULL, 0, NULL, NULL));
    ASSERT(!strstr(out.ptr, "\"crs\"")); /* RFC 7946: WGS84, no crs member */
    ASSERT(!strstr(out.ptr, "\"value\""));
    /* no number with more than 6 decimals */
    for (const char *p = strchr(out.ptr, '.'); p; p = strchr(p + 1, '.')) {
        size_t d = 0;
        while (p[1 + d] >= '0' && p[1 + d] <= '9')
            d++;
        ASSERT(d <= 6);
    }
    json_t *root = parse(&out);
    json_t *fs = json_object_get(root, "features");
    ASSERT_EQ_I(json_array_size(fs), 6);
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *g = json_object_get(json_array_get(fs, i), "geometry");
        json_t *co = json_object_get(g, "coordinates");
        json_t *polys = !strcmp(json_string_value(json_object_get(g, "type")), "Polygon") ? NULL : co;
        size_t np = polys ? json_array_size(polys) : 1;
        for (size_t k = 0; k < np; k++) {
            json_t *rings = polys ? json_array_get(polys, k) : co;
            ASSERT(ring_area2(json_array_get(rings, 0)) > 0); /* exterior CCW */
            for (size_t r = 1; r < json_array_size(rings); r++)
                ASSERT(ring_area2(json_array_get(rings, r)) < 0); /* holes CW */
            json_t *p0 = json_array_get(json_array_get(rings, 0), 0);
            double lon = json_number_value(json_array_get(p0, 0)), lat = json_number_value(json_array_get(p0, 1));
            /* RD (100000, 400000) is in the south-west of the Netherlands, near 4.6 E 51.6 N */
            ASSERT(lon > 4 && lon < 5 && lat > 51 && lat < 52);
        }
    }
    /* A and B share (10,0) and (10,10): the same text in both features */
    json_t *a = json_object_get(json_object_get(feature(root, "BU09990001"), "geometry"), "coordinates");
    json_t *b = json_object_get(json_object_get(feature(root, "BU09990002"), "geometry"), "coordinates");
    size_t shared = 0;
    json_t *ra = json_array_get(a, 0), *rb = json_array_get(b, 0);
    for (size_t i = 0; i + 1 < json_array_size(ra); i++)
        for (size_t j = 0; j + 1 < json_array_size(rb); j++)
            shared += json_equal(json_array_get(ra, i), json_array_get(rb, j));
    ASSERT_EQ_I(shared, 2);
    json_decref(root);
    wb_str_dispose(&out);
    wb_store_free(st);
}

static int failing_writer(void *payload, const char *data, size_t len)
{
    (void)data;
    (void)len;
    int *calls = payload;
    if (++*calls >= 1) {
        wb_error_set(WB_ERRCLASS_OS, "disk full");
        return WB_EIO;
    }
    return 0;
}

TEST(io_geojson_write, writer_errors_and_bad_options_are_returned)
{
    wb_store *st = store_with_basic();
    int calls = 0;
    WB_FAILS(WB_EIO, wb_geojson_export(failing_writer, &calls, st, WB_LEVEL_BUURT, 2021, NULL, 0, NULL, NULL));
    ASSERT_EQ_S(wb_error_last()->message, "disk full");
    wb_str out = WB_STR_INIT;
    wb_geojson_opts o = WB_GEOJSON_OPTS_INIT;
    o.precision = 13;
    WB_FAILS(WB_EINVALID, wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, NULL, 0, &o, NULL));
    o.precision = -1;
    o.crs = "EPSG:0";
    WB_FAILS(WB_EINVALID, wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, NULL, 0, &o, NULL));
    o.crs = NULL;
    o.simplify = -1;
    WB_FAILS(WB_EINVALID, wb_geojson_export(wb_write_to_str, &out, st, WB_LEVEL_BUURT, 2021, NULL, 0, &o, NULL));
    wb_str_dispose(&out);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- simplification */

/* A G x G grid of 100 m cells whose borders wave by up to 2 m, with 20 points per border.
 * Each border is generated once from its lower to its higher grid node, so neighbours share
 * bit-identical vertices, as after a TopoJSON import. */
#define G 3
#define PER 20

static void border(wb_point *out, int x0, int y0, int x1, int y1)
{
    /* from node (x0,y0) to (x1,y1), canonical direction: lower node first */
    int rev = (x1 < x0) || (x1 == x0 && y1 < y0);
    int ax = rev ? x1 : x0, ay = rev ? y1 : y0, bx = rev ? x0 : x1, by = rev ? y0 : y1;
    wb_point tmp[PER + 2];
    for (int i = 0; i <= PER + 1; i++) {
        double t = (double)i / (PER + 1);
        double w = (i == 0 || i == PER + 1) ? 0 : 2.0 * sin(t * 6.283185307179586 * 3 + ax + 7 * ay);
        tmp[i].x = 100.0 * (ax + t * (bx - ax)) + (by != ay ? w : 0);
        tmp[i].y = 100.0 * (ay + t * (by - ay)) + (bx != ax ? w : 0);
    }
    for (int i = 0; i <= PER + 1; i++)
        out[i] = tmp[rev ? PER + 1 - i : i];
}

static void grid(wb_geom *cells)
{
    for (int cy = 0; cy < G; cy++) {
        for (int cx = 0; cx < G; cx++) {
            wb_geom *g = &cells[cy * G + cx];
            size_t n = 4 * (PER + 1) + 1;
            g->pts = malloc(n * sizeof *g->pts);
            g->ring_off = malloc(2 * sizeof(size_t));
            g->poly_off = malloc(2 * sizeof(size_t));
            const int cx4[5] = {cx, cx + 1, cx + 1, cx, cx}, cy4[5] = {cy, cy, cy + 1, cy + 1, cy};
            size_t k = 0;
            for (int e = 0; e < 4; e++) {
                wb_point b[PER + 2];
                border(b, cx4[e], cy4[e], cx4[e + 1], cy4[e + 1]);
                for (int i = 0; i <= PER; i++)
                    g->pts[k++] = b[i];
            }
            g->pts[k++] = g->pts[0];
            g->npts = k;
            g->nrings = g->npolys = 1;
            g->ring_off[0] = 0;
            g->ring_off[1] = k;
            g->poly_off[0] = 0;
            g->poly_off[1] = 1;
            wb_geom_update_bbox(g);
        }
    }
}

/* Pairs of geometries sharing an edge (rook) or a vertex (queen), as a bit matrix. */
static void adjacency(const wb_geom *gs, size_t n, unsigned char *rook, unsigned char *queen)
{
    memset(rook, 0, n * n);
    memset(queen, 0, n * n);
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            for (size_t i = 0; i + 1 < gs[a].npts; i++)
                for (size_t j = 0; j + 1 < gs[b].npts; j++) {
                    wb_point p = gs[a].pts[i], q = gs[b].pts[j];
                    if (p.x != q.x || p.y != q.y)
                        continue;
                    queen[a * n + b] = 1;
                    wb_point p2 = gs[a].pts[i + 1], qn = gs[b].pts[j + 1];
                    wb_point qp = j ? gs[b].pts[j - 1] : gs[b].pts[gs[b].npts - 2];
                    if ((p2.x == qn.x && p2.y == qn.y) || (p2.x == qp.x && p2.y == qp.y))
                        rook[a * n + b] = 1;
                }
}

TEST(geo_simplify, wavy_grid_becomes_its_corners_and_keeps_neighbours)
{
    wb_geom cells[G * G];
    memset(cells, 0, sizeof cells);
    grid(cells);
    unsigned char rook0[G * G * G * G], queen0[G * G * G * G], rook1[G * G * G * G], queen1[G * G * G * G];
    adjacency(cells, G * G, rook0, queen0);
    size_t nrook = 0, nqueen = 0;
    for (size_t i = 0; i < sizeof rook0; i++)
        nrook += rook0[i], nqueen += queen0[i];
    ASSERT_EQ_I(nrook, 12);  /* 3x3 grid: 2 * 3 * 2 shared sides */
    ASSERT_EQ_I(nqueen, 20); /* plus 2 * 2 * 2 diagonal corner contacts */
    WB_FAILS(WB_EINVALID, wb_geoms_simplify(cells, G * G, -1));
    WB_PASS(wb_geoms_simplify(cells, G * G, 5.0)); /* tolerance above the 2 m wave */
    for (int i = 0; i < G * G; i++) {
        /* each cell is now exactly its four corners: 5 points, area 100 m x 100 m */
        ASSERT_EQ_I(cells[i].npts, 5);
        ASSERT_CLOSE(wb_geom_area(&cells[i]), 10000, 1e-9);
        ASSERT_CLOSE(cells[i].bbox[0], 100.0 * (i % G), 1e-9);
    }
    adjacency(cells, G * G, rook1, queen1);
    ASSERT(!memcmp(rook0, rook1, sizeof rook0));
    ASSERT(!memcmp(queen0, queen1, sizeof queen0));
    for (int i = 0; i < G * G; i++)
        wb_geom_dispose(&cells[i]);
}

TEST(geo_simplify, small_tolerance_keeps_the_wave_and_shared_borders)
{
    wb_geom cells[G * G];
    memset(cells, 0, sizeof cells);
    grid(cells);
    unsigned char rook0[G * G * G * G], queen0[G * G * G * G], rook1[G * G * G * G], queen1[G * G * G * G];
    adjacency(cells, G * G, rook0, queen0);
    size_t before = 0, after = 0;
    for (int i = 0; i < G * G; i++)
        before += cells[i].npts;
    WB_PASS(wb_geoms_simplify(cells, G * G, 0.5)); /* below the wave: some points must stay */
    for (int i = 0; i < G * G; i++) {
        after += cells[i].npts;
        ASSERT(cells[i].npts > 5);
    }
    ASSERT(after < before);
    adjacency(cells, G * G, rook1, queen1);
    ASSERT(!memcmp(rook0, rook1, sizeof rook0));
    ASSERT(!memcmp(queen0, queen1, sizeof queen0));
    /* the border between cells 0 and 1 has the same vertices on both sides */
    size_t on0 = 0, on1 = 0;
    for (size_t i = 0; i + 1 < cells[0].npts; i++)
        on0 += fabs(cells[0].pts[i].x - 100) < 3;
    for (size_t i = 0; i + 1 < cells[1].npts; i++)
        on1 += fabs(cells[1].pts[i].x - 100) < 3 && cells[1].pts[i].y <= 100;
    ASSERT_EQ_I(on0, on1);
    for (int i = 0; i < G * G; i++)
        wb_geom_dispose(&cells[i]);
}

TEST(geo_simplify, islands_and_enclaves_stay_polygons)
{
    /* an island ring without junctions, and a square enclave whose exterior is the hole of
     * its surrounding polygon (rings with no junctions, started at different points) */
    wb_geom g[2];
    memset(g, 0, sizeof g);
    const wb_point outer[] = {{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}};
    const wb_point hole[] = {{60, 40}, {60, 60}, {40, 60}, {40, 40}, {50, 40.5}, {60, 40}};
    const wb_point encl[] = {{40, 40}, {50, 40.5}, {60, 40}, {60, 60}, {40, 60}, {40, 40}};
    g[0].pts = malloc(11 * sizeof(wb_point));
    memcpy(g[0].pts, outer, sizeof outer);
    memcpy(g[0].pts + 5, hole, sizeof hole);
    g[0].npts = 11;
    g[0].ring_off = malloc(3 * sizeof(size_t));
    g[0].ring_off[0] = 0, g[0].ring_off[1] = 5, g[0].ring_off[2] = 11;
    g[0].nrings = 2;
    g[0].poly_off = malloc(2 * sizeof(size_t));
    g[0].poly_off[0] = 0, g[0].poly_off[1] = 2;
    g[0].npolys = 1;
    g[1].pts = malloc(6 * sizeof(wb_point));
    memcpy(g[1].pts, encl, sizeof encl);
    g[1].npts = 6;
    g[1].ring_off = malloc(2 * sizeof(size_t));
    g[1].ring_off[0] = 0, g[1].ring_off[1] = 6;
    g[1].nrings = 1;
    g[1].poly_off = malloc(2 * sizeof(size_t));
    g[1].poly_off[0] = 0, g[1].poly_off[1] = 1;
    g[1].npolys = 1;
    WB_PASS(wb_geoms_simplify(g, 2, 1000)); /* far larger than everything */
    /* each ring keeps at least 3 distinct vertices */
    ASSERT(WB_RING_NPTS(&g[0], 0) >= 4);
    ASSERT(WB_RING_NPTS(&g[0], 1) >= 4);
    ASSERT(WB_RING_NPTS(&g[1], 0) >= 4);
    ASSERT(wb_geom_area(&g[1]) > 0);
    /* the hole and the enclave kept the same vertices */
    ASSERT_EQ_I(WB_RING_NPTS(&g[0], 1), WB_RING_NPTS(&g[1], 0));
    for (size_t i = g[0].ring_off[1]; i + 1 < g[0].ring_off[2]; i++) {
        int found = 0;
        for (size_t j = 0; j + 1 < g[1].npts; j++)
            found |= g[0].pts[i].x == g[1].pts[j].x && g[0].pts[i].y == g[1].pts[j].y;
        ASSERT(found);
    }
    wb_geom_dispose(&g[0]);
    wb_geom_dispose(&g[1]);
}

typedef struct {
    double x0, y0, x1, y1;
    size_t area;
} contact;

static int cmp_contact(const void *pa, const void *pb)
{
    const contact *a = pa, *b = pb;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    if (a->x1 != b->x1)
        return a->x1 < b->x1 ? -1 : 1;
    if (a->y1 != b->y1)
        return a->y1 < b->y1 ? -1 : 1;
    return a->area < b->area ? -1 : a->area > b->area;
}

static int cmp_pair(const void *pa, const void *pb)
{
    const size_t *a = pa, *b = pb;
    return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] != b[1] ? (a[1] < b[1] ? -1 : 1) : 0;
}

/* Distinct pairs of areas (a < b) sharing a vertex (edges 0) or an edge (edges 1), sorted.
 * @return the number of pairs in *out (caller frees). */
static size_t contacts(const wb_geom *gs, size_t n, int edges, size_t **out)
{
    size_t cap = 0, m = 0, np = 0, pcap = 1024;
    for (size_t i = 0; i < n; i++)
        cap += gs[i].npts;
    contact *c = malloc(cap * sizeof *c);
    size_t *pairs = malloc(pcap * 2 * sizeof *pairs);
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < gs[i].nrings; r++)
            for (size_t k = gs[i].ring_off[r]; k + 1 < gs[i].ring_off[r + 1]; k++) {
                wb_point p = gs[i].pts[k], q = edges ? gs[i].pts[k + 1] : p;
                int sw = q.x < p.x || (q.x == p.x && q.y < p.y);
                c[m++] = (contact){sw ? q.x : p.x, sw ? q.y : p.y, sw ? p.x : q.x, sw ? p.y : q.y, i};
            }
    qsort(c, m, sizeof *c, cmp_contact);
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && c[j].x0 == c[i].x0 && c[j].y0 == c[i].y0 && c[j].x1 == c[i].x1 && c[j].y1 == c[i].y1)
            j++;
        for (size_t a = i; a < j; a++)
            for (size_t b = a + 1; b < j; b++) {
                if (c[a].area == c[b].area)
                    continue;
                if (np == pcap)
                    pairs = realloc(pairs, (pcap *= 2) * 2 * sizeof *pairs);
                pairs[2 * np] = c[a].area;
                pairs[2 * np + 1] = c[b].area;
                np++;
            }
        i = j;
    }
    qsort(pairs, np, 2 * sizeof *pairs, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < np; i++)
        if (!u || cmp_pair(&pairs[2 * i], &pairs[2 * (u - 1)])) {
            pairs[2 * u] = pairs[2 * i];
            pairs[2 * u + 1] = pairs[2 * i + 1];
            u++;
        }
    free(c);
    *out = pairs;
    return u;
}

TEST(geo_simplify, real_wijk_2016_keeps_every_adjacency)
{
    /* Simplifying the 2016 wijken by 500 m keeps exactly the same pairs of neighbours, both
     * through shared vertices (queen) and through shared edges (rook). */
    wb_geo_features f;
    WB_PASS(wb_geo_read(&f, NULL, wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson"), NULL));
    size_t n = 0, before = 0, after = 0;
    wb_geom *gs = malloc(f.n * sizeof *gs);
    for (size_t i = 0; i < f.n; i++)
        if (f.geoms[i].npolys) {
            gs[n++] = f.geoms[i];
            before += f.geoms[i].npts;
        }
    size_t *q0, *q1, *r0, *r1;
    size_t nq0 = contacts(gs, n, 0, &q0), nr0 = contacts(gs, n, 1, &r0);
    ASSERT(nr0 > 7000); /* SOURCES.md: 5.5 neighbours per wijk on average, ~8,000 pairs */
    WB_PASS(wb_geoms_simplify(gs, n, 500));
    for (size_t i = 0; i < n; i++) {
        after += gs[i].npts;
        for (size_t r = 0; r < gs[i].nrings; r++)
            ASSERT(WB_RING_NPTS(&gs[i], r) >= 4);
    }
    size_t nq1 = contacts(gs, n, 0, &q1), nr1 = contacts(gs, n, 1, &r1);
    ASSERT_EQ_I(nq1, nq0);
    ASSERT_EQ_I(nr1, nr0);
    ASSERT(!memcmp(q0, q1, nq0 * 2 * sizeof *q0));
    ASSERT(!memcmp(r0, r1, nr0 * 2 * sizeof *r0));
    ASSERT_MSG(after < before * 95 / 100, "only %zu of %zu points removed", before - after, before);
    /* the geometries in gs were simplified in place (new arrays): hand them back */
    for (size_t i = 0, k = 0; i < f.n; i++)
        if (f.geoms[i].npolys)
            f.geoms[i] = gs[k++];
    free(gs);
    free(q0);
    free(q1);
    free(r0);
    free(r1);
    wb_geo_features_dispose(&f);
}
