/**
 * @file
 * @brief End to end on real data (SKIPs without ../shared/data): the LBM 2.0 wijk scores and
 * the 2016 wijk map into one database through the command line, then a map of the 2016
 * scores as GeoJSON. The expected features are derived here from the two input files alone:
 * the wijken with a non-empty RLBRMTR for JAAR 2016 in the CSV, and the wijken whose
 * TopoJSON geometry keeps a polygon. The latter is decoded here with jansson (delta-encoded
 * quantised arcs; a ring is the concatenation of its arcs, a negative index ~i reversed) and
 * judged by the rule docs/geo.md gives for the importer: after dropping repeated consecutive
 * points and closing it, a ring needs 4 points and a non-zero area (computed exactly on the
 * integer grid), and a polygon whose exterior ring fails is dropped.
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

typedef struct {
    long long x, y;
} ipt;

typedef struct {
    ipt *p;
    size_t n;
} arc;

/* Append arc @p i (negative: ~i reversed) to @p out, skipping its first point unless first. */
static void add_arc(ipt *out, size_t *n, size_t cap, const arc *arcs, size_t narcs, long long i, int first)
{
    int rev = i < 0;
    size_t k = (size_t)(rev ? ~i : i);
    ASSERT(k < narcs);
    const arc *a = &arcs[k];
    for (size_t j = first ? 0 : 1; j < a->n; j++) {
        ASSERT(*n < cap);
        out[(*n)++] = a->p[rev ? a->n - 1 - j : j];
    }
}

/* The importer's ring rule on the integer grid: 1 when the ring keeps (see the file comment). */
static int ring_keeps(json_t *ring, const arc *arcs, size_t narcs)
{
    static ipt pts[200000];
    size_t n = 0, k;
    json_t *ix;
    json_array_foreach(ring, k, ix) add_arc(pts, &n, sizeof pts / sizeof pts[0], arcs, narcs,
                                            json_integer_value(ix), k == 0);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || pts[m - 1].x != pts[i].x || pts[m - 1].y != pts[i].y)
            pts[m++] = pts[i];
    if (m && (pts[0].x != pts[m - 1].x || pts[0].y != pts[m - 1].y))
        pts[m++] = pts[0];
    if (m < 4)
        return 0;
    long long a = 0;
    for (size_t i = 1; i + 1 < m; i++)
        a += (pts[i].x - pts[0].x) * (pts[i + 1].y - pts[0].y) - (pts[i + 1].x - pts[0].x) * (pts[i].y - pts[0].y);
    return a != 0;
}

/* 1 when a Polygon (array of rings) keeps its exterior ring. */
static int polygon_keeps(json_t *poly, const arc *arcs, size_t narcs)
{
    return json_array_size(poly) > 0 && ring_keeps(json_array_get(poly, 0), arcs, narcs);
}

TEST(cli_e2e, lbm_and_2016_wijk_map_give_a_scored_geojson)
{
    char csv[4096], topo[4096];
    snprintf(csv, sizeof csv, "%s", wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv"));
    snprintf(topo, sizeof topo, "%s", wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson"));

    /* 1. the 2016 scores of the CSV: ";CODE=value;" entries (GBD,JAAR,RLBRMTR,...) */
    FILE *f = fopen(csv, "r");
    ASSERT(f);
    char line[1024];
    wb_str scores = WB_STR_INIT;
    wb_str_puts(&scores, ";");
    size_t nscored = 0;
    while (fgets(line, sizeof line, f)) {
        char *fl[8];
        if (wbt_split(line, fl, 8) != 8 || strcmp(fl[1], "2016") || !fl[2][0])
            continue;
        wb_str_printf(&scores, "%s=%s;", fl[0], fl[2]);
        nscored++;
    }
    fclose(f);

    /* 2. the wijken of the map that keep a polygon */
    json_error_t e;
    json_t *root = json_load_file(topo, 0, &e);
    ASSERT_MSG(root, "%s: %s", topo, e.text);
    json_t *jarcs = json_object_get(root, "arcs");
    ASSERT(json_object_get(root, "transform") != NULL); /* quantised: delta-encoded arcs */
    size_t narcs = json_array_size(jarcs), i;
    arc *arcs = calloc(narcs, sizeof *arcs);
    ASSERT(arcs);
    json_t *ja;
    json_array_foreach(jarcs, i, ja)
    {
        arcs[i].n = json_array_size(ja);
        arcs[i].p = malloc(arcs[i].n * sizeof *arcs[i].p);
        ASSERT(arcs[i].p);
        long long x = 0, y = 0;
        for (size_t k = 0; k < arcs[i].n; k++) {
            x += json_integer_value(json_array_get(json_array_get(ja, k), 0));
            y += json_integer_value(json_array_get(json_array_get(ja, k), 1));
            arcs[i].p[k] = (ipt){x, y};
        }
    }
    json_t *geoms = json_object_get(json_object_get(json_object_get(root, "objects"), "wijk_2016"), "geometries");
    wb_str mapped = WB_STR_INIT;
    wb_str_puts(&mapped, ";");
    size_t npoly = 0, nboth = 0;
    json_t *g;
    json_array_foreach(geoms, i, g)
    {
        const char *type = json_string_value(json_object_get(g, "type"));
        const char *code = json_string_value(json_object_get(json_object_get(g, "properties"), "statcode"));
        ASSERT(code);
        json_t *parts = json_object_get(g, "arcs");
        int keeps = 0;
        if (type && !strcmp(type, "Polygon"))
            keeps = polygon_keeps(parts, arcs, narcs);
        else if (type && !strcmp(type, "MultiPolygon")) {
            size_t k;
            json_t *poly;
            json_array_foreach(parts, k, poly) keeps |= polygon_keeps(poly, arcs, narcs);
        }
        if (!keeps)
            continue;
        wb_str_printf(&mapped, "%s;", code);
        npoly++;
        char key[32];
        snprintf(key, sizeof key, ";%s=", code);
        nboth += strstr(wb_str_cstr(&scores), key) != NULL;
    }
    for (size_t k = 0; k < narcs; k++)
        free(arcs[k].p);
    free(arcs);
    json_decref(root);
    fprintf(stderr, "    from the inputs: %zu wijken scored in 2016, %zu with a polygon, %zu with both\n", nscored,
            npoly, nboth);
    ASSERT(nboth > 2500 && nboth < nscored && nboth < npoly);

    /* 3. the command line */
    wbt_run_result r = wbt_run(NULL, "--db t.db import lbm '%s'", csv);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db import geo '%s' --year 2016", topo);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level wijk --year 2016 --indicator lbm --data-year 2016 -o map.geojson");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);

    /* 4. the map: one feature per wijk with a polygon; a value exactly where both inputs have one */
    json_t *map = json_load_file(wbt_tmp("map.geojson"), 0, &e);
    ASSERT_MSG(map, "map.geojson: %s", e.text);
    json_t *feats = json_object_get(map, "features");
    size_t nvalue = 0;
    json_t *ft;
    json_array_foreach(feats, i, ft)
    {
        json_t *p = json_object_get(ft, "properties");
        const char *code = json_string_value(json_object_get(p, "code"));
        ASSERT(code);
        char key[32];
        snprintf(key, sizeof key, ";%s;", code);
        ASSERT_MSG(strstr(wb_str_cstr(&mapped), key) != NULL, "%s is in the map but keeps no polygon", code);
        json_t *v = json_object_get(p, "value");
        snprintf(key, sizeof key, ";%s=", code);
        const char *s = strstr(wb_str_cstr(&scores), key);
        if (json_is_null(v) || !v) {
            ASSERT_MSG(s == NULL, "%s has a 2016 score but a null value", code);
            continue;
        }
        ASSERT_MSG(s != NULL, "%s has a value but no 2016 score", code);
        ASSERT_CLOSE(json_number_value(v), strtod(s + strlen(key), NULL), 0);
        nvalue++;
    }
    ASSERT_EQ_I(json_array_size(feats), npoly);
    ASSERT_EQ_I(nvalue, nboth);
    json_decref(map);
    wb_str_dispose(&scores);
    wb_str_dispose(&mapped);
}
