/**
 * @file
 * @brief `import geo` on the real polygon files in ../shared/data, checked against numbers
 * derived independently: tests/data/geo/reference_counts.csv (a separate Python decoder,
 * tests/reference/geo_counts.py), tests/data/geo/reference_sf.csv (R sf through GDAL,
 * tests/reference/geo_sf.R) and ../shared/data/SOURCES.md (feature counts, the 19 null wijken
 * of 2016, the decoded RD total area of 34,988 km2, Amsterdam's 93 of 97 buurten in 2014).
 */
#include <stdlib.h>

#include "test.h"

/* A value from the import summary (CSV "item,value" lines). */
static const char *summary_text(const char *out, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, key, kl) && p[kl] == ',')
            return p + kl + 1;
    wbt_fail(__FILE__, __LINE__, "no '%s' in the summary:\n%s", key, out);
}

static long sv(const char *out, const char *key)
{
    return strtol(summary_text(out, key), NULL, 10);
}

static double svd(const char *out, const char *key)
{
    return strtod(summary_text(out, key), NULL);
}

typedef struct {
    long features, null, collapsed, imported, degenerate_rings, empty_polygons, polygons, rings,
        gm0363_features, gm0363_imported;
    double area_km2_rd; /* NAN when not given */
    char object[64];
} ref_counts;

/* The row of reference_counts.csv for a file (path relative to shared/data). */
static ref_counts reference(const char *rel)
{
    char *text = wbt_slurp(wbt_fixture("geo/reference_counts.csv"), NULL);
    ASSERT(text);
    ref_counts r;
    memset(&r, 0, sizeof r);
    r.area_km2_rd = NAN;
    int found = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[16];
        int nf = 0;
        for (char *p = line; nf < 16;) {
            f[nf++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = 0;
            p = c + 1;
        }
        if (nf < 14 || strcmp(f[0], rel))
            continue;
        snprintf(r.object, sizeof r.object, "%s", f[2]);
        r.features = atol(f[3]);
        r.null = atol(f[4]);
        r.collapsed = atol(f[5]);
        r.imported = atol(f[6]);
        r.degenerate_rings = atol(f[7]);
        r.empty_polygons = atol(f[8]);
        r.polygons = atol(f[9]);
        r.rings = atol(f[10]);
        r.gm0363_features = atol(f[11]);
        r.gm0363_imported = atol(f[12]);
        if (*f[13])
            r.area_km2_rd = atof(f[13]);
        found = 1;
    }
    free(text);
    ASSERT_MSG(found, "%s not in reference_counts.csv", rel);
    return r;
}

/* Total RD area from R sf (reference_sf.csv), NAN when the file is not listed. */
static double reference_sf_area(const char *rel)
{
    char *text = wbt_slurp(wbt_fixture("geo/reference_sf.csv"), NULL);
    ASSERT(text);
    double a = NAN;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        size_t rl = strlen(rel);
        if (!strncmp(line, rel, rl) && line[rl] == ',') {
            const char *last = strrchr(line, ',');
            a = atof(last + 1);
        }
    }
    free(text);
    return a;
}

static size_t area_count(const char *db, const char *args)
{
    wbt_run_result r = wbt_run(NULL, "--db %s areas %s --format csv", db, args);
    ASSERT_EQ_I(r.status, 0);
    size_t n = wbt_count_lines(r.out);
    ASSERT(n >= 1 && !strncmp(r.out, "code,year,level,name,parent\n", 28));
    wbt_run_free(&r);
    return n - 1;
}

/* Import one real file and check it against the references. */
static void check_real_file(const char *rel, int year, const char *level, const char *extra)
{
    const char *path = wbt_shared(rel);
    ref_counts ref = reference(rel);
    wbt_run_result r = wbt_run(NULL, "--db t.db import geo '%s' --year %d --format csv %s", path,
                               year, extra ? extra : "");
    ASSERT_MSG(r.status == 0, "import failed: %s", r.err);
    ASSERT(!strncmp(summary_text(r.out, "object"), ref.object, strlen(ref.object)));
    ASSERT_EQ_I(sv(r.out, "features"), ref.features);
    ASSERT_EQ_I(sv(r.out, "null_geometries"), ref.null);
    ASSERT_EQ_I(sv(r.out, "collapsed"), ref.collapsed);
    ASSERT_EQ_I(sv(r.out, "imported"), ref.imported);
    ASSERT_EQ_I(sv(r.out, "without_geometry"), ref.null + ref.collapsed);
    ASSERT_EQ_I(sv(r.out, "degenerate_rings"), ref.degenerate_rings);
    ASSERT_EQ_I(sv(r.out, "empty_polygons"), ref.empty_polygons);
    ASSERT_EQ_I(sv(r.out, "polygons"), ref.polygons);
    ASSERT_EQ_I(sv(r.out, "rings"), ref.rings);
    ASSERT_EQ_I(sv(r.out, "duplicate_codes"), 0);
    ASSERT_EQ_I(sv(r.out, "areas_new"), ref.features);
    /* total area: the Python decoder for the RD file (no reprojection), R sf (GDAL + PROJ)
     * for the others; 0.001 km2 is the rounding of the references. No reference exists for
     * the geo_cbs_topojson_2014 files, which GDAL cannot read: there, a loose check that the
     * whole country (about 41,500 km2 with coastal water, ~35,000 km2 in these generalised
     * layers) came out. */
    double want = !isnan(ref.area_km2_rd) ? ref.area_km2_rd : reference_sf_area(rel);
    if (!isnan(want))
        ASSERT_CLOSE(svd(r.out, "area_km2"), want, 0.002);
    else
        ASSERT_CLOSE(svd(r.out, "area_km2"), 35000, 200);
    wbt_run_free(&r);
    /* every feature is an area of that year; those with a polygon have a geometry */
    char args[128];
    snprintf(args, sizeof args, "--level %s --year %d", level, year);
    ASSERT_EQ_I(area_count("t.db", args), ref.features);
    snprintf(args, sizeof args, "--level %s --year %d --with-geometry", level, year);
    ASSERT_EQ_I(area_count("t.db", args), ref.imported);
    snprintf(args, sizeof args, "--level %s --year %d --in GM0363", level, year);
    ASSERT_EQ_I(area_count("t.db", args), ref.gm0363_features);
    snprintf(args, sizeof args, "--level %s --year %d --in GM0363 --with-geometry", level, year);
    ASSERT_EQ_I(area_count("t.db", args), ref.gm0363_imported);
}

TEST(cli_geo, buurt_2014_cbs_topojson_with_type_last)
{
    /* SOURCES.md: 11,691 buurt polygons of 12,005; Amsterdam 93 of its 97 buurten. The
     * quantisation collapsed 1,281 of them to zero area (reference_counts.csv). */
    check_real_file("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json", 2014, "buurt", NULL);
    ASSERT_EQ_I(reference("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json").features, 11691);
    ASSERT_EQ_I(reference("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json").gm0363_features, 93);
    /* the acceptance check: `areas --level buurt --year 2014` lists every buurt that has a
     * geometry (and the collapsed ones too, as areas without geometry) */
    wbt_run_result r = wbt_run(NULL, "--db t.db areas --level buurt --year 2014 --with-geometry --format csv");
    ASSERT(strstr(r.out, "\nBU03630001,2014,buurt,"));
    wbt_run_free(&r);
}

TEST(cli_geo, wijk_2014_cbs_topojson)
{
    check_real_file("geo_cbs_topojson_2014/Wijk_2014_layer_q1e3.json", 2014, "wijk", NULL);
    ASSERT_EQ_I(reference("geo_cbs_topojson_2014/Wijk_2014_layer_q1e3.json").features, 2738);
}

TEST(cli_geo, gemeente_2015_cbs_topojson)
{
    check_real_file("geo_cbs_topojson_2014/Gemeente_2015_layer_q1e3.json", 2015, "gemeente", NULL);
    ASSERT_EQ_I(reference("geo_cbs_topojson_2014/Gemeente_2015_layer_q1e3.json").features, 393);
}

TEST(cli_geo, wijk_2016_rd_by_crs_member_and_by_option)
{
    const char *rel = "geo_nlmaps_edwindj/wijk_2016_rd.topojson";
    check_real_file(rel, 2016, "wijk", NULL);
    /* SOURCES.md: 2,981 wijken, 19 null; decoded RD total area about 34,988 km2 */
    ASSERT_EQ_I(reference(rel).features, 2981);
    ASSERT_EQ_I(reference(rel).null, 19);
    ASSERT_CLOSE(reference(rel).area_km2_rd, 34988, 1);
    wbt_run_result r = wbt_run(NULL, "--db u.db import geo '%s' --year 2016 --crs EPSG:28992 --format csv",
                               wbt_shared(rel));
    ASSERT_EQ_I(r.status, 0);
    /* CSV: text that a spreadsheet would run as a formula gets an apostrophe */
    ASSERT(!strncmp(summary_text(r.out, "crs_source"), "'--crs option\n", 14));
    ASSERT_EQ_I(sv(r.out, "imported"), reference(rel).imported);
    ASSERT_CLOSE(svd(r.out, "area_km2"), reference(rel).area_km2_rd, 0.002);
    wbt_run_free(&r);
}

TEST(cli_geo, wijk_2016_wgs84)
{
    check_real_file("geo_nlmaps_edwindj/wijk_2016_wgs84.topojson", 2016, "wijk", NULL);
}

TEST(cli_geo, gemeente_2016_wgs84)
{
    check_real_file("geo_nlmaps_edwindj/gemeente_2016_wgs84.topojson", 2016, "gemeente", NULL);
    ASSERT_EQ_I(reference("geo_nlmaps_edwindj/gemeente_2016_wgs84.topojson").features, 390);
}

TEST(cli_geo, buurt_2015_gzipped)
{
    /* SOURCES.md: 12,237 buurten, 665 null */
    check_real_file("geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz", 2015, "buurt", NULL);
    ASSERT_EQ_I(reference("geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz").features, 12237);
    ASSERT_EQ_I(reference("geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz").null, 665);
}

TEST(cli_geo, label_points_are_refused)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db import geo '%s' --year 2014",
                               wbt_shared("geo_cbs_topojson_2014/Buurt_2014_labels_q1e3.json"));
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "Buurt_2014_labels_q1e3.json:1: object 'labels', geometry 1 (BU19870203): a Point"));
    wbt_run_free(&r);
}

/* ---------------------------------------------------------------- library-level checks */

static const char *const null_wijken_2016[] = {
    /* ../shared/data/SOURCES.md, geo_nlmaps_edwindj caveats */
    "WK015809", "WK016301", "WK016306", "WK016307", "WK016308", "WK024316", "WK032130",
    "WK032150", "WK059926", "WK066409", "WK071525", "WK071531", "WK071549", "WK071579",
    "WK084403", "WK098605", "WK174208", "WK178310", "WK189504"};

static void check_nulls(const char *rel)
{
    wb_geo_features f;
    WB_PASS(wb_geo_read(&f, NULL, wbt_shared(rel), NULL));
    size_t n = 0;
    for (size_t i = 0; i < f.n; i++) {
        if (!(f.flags[i] & WB_GEO_NULL))
            continue;
        int listed = 0;
        for (size_t k = 0; k < sizeof null_wijken_2016 / sizeof *null_wijken_2016; k++)
            listed |= !strcmp(f.codes[i], null_wijken_2016[k]);
        ASSERT_MSG(listed, "%s is null in %s but not in SOURCES.md's list", f.codes[i], rel);
        n++;
    }
    ASSERT_EQ_I(n, 19);
    wb_geo_features_dispose(&f);
}

TEST(cli_geo, null_wijken_2016_are_the_documented_19)
{
    check_nulls("geo_nlmaps_edwindj/wijk_2016_rd.topojson");
    check_nulls("geo_nlmaps_edwindj/wijk_2016_wgs84.topojson");
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

TEST(cli_geo, wijk_2016_wgs84_and_rd_agree_after_reprojection)
{
    /* The two files were generalised separately (mapshaper, in each projection), so their
     * vertices differ slightly; their centroids should agree within a few tens of metres.
     * Thresholds: mean under 10 m, 95 % within 20 m, 99 % within 50 m, none beyond 500 m
     * (measured: mean 6.1 m, 22 of 2,917 beyond 20 m, 9 beyond 50 m, max 191 m). */
    wb_geo_features rd, ll;
    WB_PASS(wb_geo_read(&rd, NULL, wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson"), NULL));
    WB_PASS(wb_geo_read(&ll, NULL, wbt_shared("geo_nlmaps_edwindj/wijk_2016_wgs84.topojson"), NULL));
    ASSERT_EQ_I(rd.n, ll.n);
    double *d = malloc(rd.n * sizeof *d), sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < rd.n; i++) {
        ASSERT_EQ_S(rd.codes[i], ll.codes[i]); /* same order in both files */
        if (!rd.geoms[i].npolys || !ll.geoms[i].npolys)
            continue;
        wb_point a = wb_geom_centroid(&rd.geoms[i]), b = wb_geom_centroid(&ll.geoms[i]);
        d[n] = hypot(a.x - b.x, a.y - b.y);
        sum += d[n++];
    }
    qsort(d, n, sizeof *d, cmp_dbl);
    ASSERT(n > 2900);
    ASSERT(sum / (double)n < 10);
    ASSERT(d[n * 95 / 100] < 20);
    ASSERT(d[n * 99 / 100] < 50);
    ASSERT(d[n - 1] < 500);
    free(d);
    wb_geo_features_dispose(&rd);
    wb_geo_features_dispose(&ll);
}

/* ---------------------------------------------------------------- round trip, bad input */

static double perimeter(const wb_geom *g)
{
    double p = 0;
    for (size_t r = 0; r < g->nrings; r++)
        for (size_t i = g->ring_off[r]; i + 1 < g->ring_off[r + 1]; i++)
            p += hypot(g->pts[i + 1].x - g->pts[i].x, g->pts[i + 1].y - g->pts[i].y);
    return p;
}

TEST(cli_geo, export_geojson_then_import_round_trip)
{
    const char *rel = "geo_nlmaps_edwindj/wijk_2016_rd.topojson";
    wbt_run_result r = wbt_run(NULL, "--db t.db import geo '%s' --year 2016", wbt_shared(rel));
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export geojson --level wijk --year 2016 -o wijk.geojson");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db back.db import geo wijk.geojson --year 2016 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(summary_text(r.out, "format"), "GeoJSON\n", 8));
    ASSERT(!strncmp(summary_text(r.out, "crs"), "OGC:CRS84\n", 10));
    ASSERT_EQ_I(sv(r.out, "features"), reference(rel).imported);
    ASSERT_EQ_I(sv(r.out, "imported"), reference(rel).imported);
    ASSERT_EQ_I(sv(r.out, "degenerate_rings"), 0);
    wbt_run_free(&r);
    /* Per wijk: the same code and name; rounding to 6 decimals moves a vertex at most half a
     * unit: 0.056 m north-south and 0.034 m east-west, 0.065 m in all, so the area changes by
     * at most 0.065 m x the perimeter. Vertices correspond one to one (same count, same
     * order) and each moved at most 0.065 m plus the RD -> WGS84 -> RD round trip of PROJ
     * (well under a millimetre): we allow 0.07 m. */
    wb_store *a = NULL, *b = NULL;
    WB_PASS(wb_store_open(&a, wbt_tmp("t.db"), 0));
    WB_PASS(wb_store_open(&b, wbt_tmp("back.db"), 0));
    wb_layer la, lb;
    WB_PASS(wb_store_layer_load(a, &la, WB_LEVEL_WIJK, 2016));
    WB_PASS(wb_store_layer_load(b, &lb, WB_LEVEL_WIJK, 2016));
    ASSERT_EQ_I(la.n, lb.n);
    double worst_area = 0, worst_c = 0;
    for (size_t i = 0; i < la.n; i++) {
        ASSERT_EQ_S(la.codes[i], lb.codes[i]);
        ASSERT_EQ_S(la.names[i], lb.names[i]);
        double aa = wb_geom_area(&la.geoms[i]), ab = wb_geom_area(&lb.geoms[i]);
        worst_area = fmax(worst_area, fabs(aa - ab) / (0.065 * perimeter(&la.geoms[i])));
        ASSERT_EQ_I(la.geoms[i].npts, lb.geoms[i].npts);
        ASSERT_EQ_I(la.geoms[i].nrings, lb.geoms[i].nrings);
        for (size_t k = 0; k < la.geoms[i].npts; k++) {
            /* rings keep their start point; the writer may reverse a ring for RFC 7946 */
            wb_point p = la.geoms[i].pts[k], q = lb.geoms[i].pts[k];
            double d = hypot(p.x - q.x, p.y - q.y);
            if (d > 0.07) { /* reversed ring: compare with the mirrored position */
                size_t ring = 0;
                while (la.geoms[i].ring_off[ring + 1] <= k)
                    ring++;
                size_t s0 = la.geoms[i].ring_off[ring], s1 = la.geoms[i].ring_off[ring + 1] - 1;
                q = lb.geoms[i].pts[s0 + (s1 - k)];
                d = hypot(p.x - q.x, p.y - q.y);
            }
            worst_c = fmax(worst_c, d);
        }
    }
    ASSERT_MSG(worst_area <= 1, "area changed by %g times the bound", worst_area);
    ASSERT_MSG(worst_c < 0.07, "a vertex moved %g m", worst_c);
    wb_layer_dispose(&la);
    wb_layer_dispose(&lb);
    wb_store_free(a);
    wb_store_free(b);
}

TEST(cli_geo, bad_input_changes_nothing_and_says_where)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db import geo '%s' --year 2021",
                               wbt_fixture("geo/basic.topojson"));
    ASSERT_EQ_I(r.status, 0);
    wbt_run_free(&r);
    char before[4096], db[4096]; /* wbt_tmp's buffers rotate: keep copies */
    snprintf(before, sizeof before, "%s", wbt_tmp("before.db"));
    snprintf(db, sizeof db, "%s", wbt_tmp("t.db"));
    size_t len;
    char *bytes = wbt_slurp(db, &len);
    ASSERT(bytes);
    FILE *f = fopen(before, "wb");
    ASSERT(f && fwrite(bytes, 1, len, f) == len);
    fclose(f);
    free(bytes);
    /* a truncated copy of a real-looking file */
    char *text = wbt_slurp(wbt_fixture("geo/basic.topojson"), &len);
    text[len / 2] = 0;
    wbt_write(wbt_tmp("truncated.topojson"), text);
    free(text);
    static const struct {
        const char *file, *extra, *expect;
    } cases[] = {
        {"@geo/invalid.topojson", "", "invalid.topojson:3:49: invalid JSON"},
        {"truncated.topojson", "", "truncated.topojson:1:"},
        {"@geo/bad_arc.topojson", "", "bad_arc.topojson:1: object 'ab', geometry 2 (BU09990002): arc index 7 out of range"},
        {"missing.topojson", "", "missing.topojson: No such file or directory"},
        {"@geo/basic.topojson", "--crs EPSG:123456", "unknown CRS 'EPSG:123456'"},
        {"@geo/plain_rd.topojson", "", "plain_rd.topojson: the file names no CRS"},
        {"@geo/basic.topojson", "--level gemeente", "BU09990001 is a buurt code, but the level is gemeente"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const char *file = cases[k].file[0] == '@' ? wbt_fixture(cases[k].file + 1) : cases[k].file;
        r = wbt_run(NULL, "--db t.db import geo '%s' --year 2022 %s", file, cases[k].extra);
        ASSERT_MSG(r.status != 0, "case %zu succeeded", k);
        ASSERT_MSG(wbt_count_lines(r.err) == 1, "case %zu: stderr is not one line: %s", k, r.err);
        ASSERT_MSG(strstr(r.err, cases[k].expect), "case %zu: %s", k, r.err);
        ASSERT_MSG(wbt_same_bytes(db, before), "case %zu changed the database", k);
        wbt_run_free(&r);
    }
    /* and the comparison does see a change: a good import of another year */
    r = wbt_run(NULL, "--db t.db import geo '%s' --year 2022", wbt_fixture("geo/basic.topojson"));
    ASSERT_EQ_I(r.status, 0);
    ASSERT(!wbt_same_bytes(db, before));
    wbt_run_free(&r);
}
