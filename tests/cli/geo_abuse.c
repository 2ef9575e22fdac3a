/**
 * @file
 * @brief Hostile and broken polygon files: gzip bombs are streamed and bounded, content
 * errors name the line, malformed geometries are errors (not silent null geometries), huge
 * numbers print with few digits, and a self-intersecting polygon with a real area is repaired
 * with GEOS and counted instead of dropped.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "test.h"

/* Run `wijkbeeld ARGS...` with stdout and stderr to files; the exit status and the peak
 * resident memory of the child in KiB (getrusage through wait4). */
static int run_measured(long *maxrss_kb, const char *const *args)
{
    const char *bin = getenv("WB_BIN");
    if (!bin)
        SKIP("WB_BIN is not set");
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        int o = open(wbt_tmp("out.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(wbt_tmp("err.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0 || chdir(wbt_tmpdir()) != 0)
            _exit(126);
        dup2(o, 1);
        dup2(e, 2);
        const char *argv[16];
        int n = 0;
        argv[n++] = bin;
        for (; args[n - 1] && n < 15; n++)
            argv[n] = args[n - 1];
        argv[n] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    ASSERT(wait4(pid, &st, 0, &ru) == pid);
    *maxrss_kb = ru.ru_maxrss;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char feature_head[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"BU09990001\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}}";

/* A gzip file of @p head, then @p pad_mb MiB of spaces, then @p tail, written in pieces. */
static void write_padded_gz(const char *path, const char *head, size_t pad_mb, const char *tail)
{
    gzFile gz = gzopen(path, "wb9");
    ASSERT(gz);
    ASSERT(gzputs(gz, head) > 0);
    static char spaces[1 << 20];
    memset(spaces, ' ', sizeof spaces);
    for (size_t i = 0; i < pad_mb; i++)
        ASSERT(gzwrite(gz, spaces, sizeof spaces) == (int)sizeof spaces);
    ASSERT(gzputs(gz, tail) > 0);
    ASSERT(gzclose(gz) == Z_OK);
}

static long baseline_rss(void)
{
    const char *small = wbt_tmp("small.geojson");
    char text[1024];
    snprintf(text, sizeof text, "%s]}\n", feature_head);
    wbt_write(small, text);
    long rss;
    const char *args[] = {"--db", "base.db", "import", "geo", "small.geojson", "--year", "2020", NULL};
    int st = run_measured(&rss, args);
    ASSERT_MSG(st == 0, "a small file did not import: %s", wbt_slurp(wbt_tmp("err.txt"), NULL));
    return rss;
}

/* 400 KB that inflates to 400 MB: refused for its inflated size, read as a stream, so the
 * importer's memory stays near that of a tiny file (before: the whole 400 MB in memory). */
TEST(cli_geo_abuse, gzip_bomb_is_refused_at_small_memory)
{
    long base = baseline_rss();
    write_padded_gz(wbt_tmp("bomb.geojson.gz"), feature_head, 400, "]}\n");
    struct stat sb;
    ASSERT(stat(wbt_tmp("bomb.geojson.gz"), &sb) == 0 && sb.st_size < 1000 * 1000);
    long rss;
    const char *args[] = {"--db", "bomb.db", "import", "geo", "bomb.geojson.gz", "--year", "2020", NULL};
    int st = run_measured(&rss, args);
    char *err = wbt_slurp(wbt_tmp("err.txt"), NULL);
    ASSERT_MSG(st == 1, "exit %d: %s", st, err);
    ASSERT_MSG(strstr(err, "bomb.geojson.gz: inflates to more than 256 MiB (the limit; raise it with --max-inflated MB)"),
               "%s", err);
    ASSERT_EQ_I(wbt_count_lines(err), 1);
    free(err);
    ASSERT_MSG(rss - base < 64 * 1024, "peak RSS %ld KiB, a tiny file %ld KiB", rss, base);
}

/* Under the limit, a gzipped GeoJSON is streamed to GDAL (/vsigzip/), never inflated whole. */
TEST(cli_geo_abuse, gzipped_geojson_is_streamed)
{
    long base = baseline_rss();
    write_padded_gz(wbt_tmp("padded.geojson.gz"), feature_head, 120, "]}\n");
    long rss;
    const char *args[] = {"--db", "pad.db", "import", "geo", "padded.geojson.gz", "--year", "2020", "--format", "csv", NULL};
    int st = run_measured(&rss, args);
    char *out = wbt_slurp(wbt_tmp("out.txt"), NULL), *err = wbt_slurp(wbt_tmp("err.txt"), NULL);
    ASSERT_MSG(st == 0, "exit %d: %s", st, err);
    ASSERT_MSG(strstr(out, "\nimported,1\n") && strstr(out, "\nobject,padded\n"), "%s", out);
    free(out);
    free(err);
    ASSERT_MSG(rss - base < 64 * 1024, "peak RSS %ld KiB for 120 MiB inflated, a tiny file %ld KiB", rss, base);
    /* the limit is an option */
    const char *args2[] = {"--db", "pad.db", "import", "geo", "padded.geojson.gz", "--year", "2020", "--max-inflated", "100", NULL};
    st = run_measured(&rss, args2);
    err = wbt_slurp(wbt_tmp("err.txt"), NULL);
    ASSERT_MSG(st == 1 && strstr(err, "inflates to more than 100 MiB"), "exit %d: %s", st, err);
    free(err);
}

/* Run an import that must fail with one line containing @p needle. */
static void import_fails(const char *name, const char *text, const char *extra, const char *needle)
{
    wbt_write(wbt_tmp(name), text);
    wbt_run_result r = wbt_run(NULL, "--db g.db import geo %s --year 2020 %s", name, extra);
    ASSERT_MSG(r.status == 1, "%s: exit %d, stdout %s", name, r.status, r.out);
    ASSERT_MSG(wbt_count_lines(r.err) == 1, "%s: not one line: %s", name, r.err);
    ASSERT_MSG(strstr(r.err, needle), "%s: expected '%s' in: %s", name, needle, r.err);
    ASSERT_MSG(strlen(r.err) < 400, "%s: a message of %zu bytes", name, strlen(r.err));
    wbt_run_free(&r);
}

#define FEATURE(code, geom) \
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"" code "\"},\"geometry\":" geom "}"
#define SQUARE "{\"type\":\"Polygon\",\"coordinates\":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}"

TEST(cli_geo_abuse, malformed_polygons_are_errors_with_their_line)
{
    import_fails("string.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n" FEATURE("BU09990001", SQUARE) ",\n"
                 FEATURE("BU09990002", "{\"type\":\"Polygon\",\"coordinates\":\"abc\"}") "\n]}\n",
                 "", "string.geojson:3:97: a Polygon whose 'coordinates' is a string: expected an array of rings");
    import_fails("deep.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n" FEATURE("BU09990001", SQUARE) ",\n"
                 FEATURE("BU09990002", "{\"type\":\"Polygon\",\"coordinates\":[[[[[[5,52]]]]]]}") "\n]}\n",
                 "", "deep.geojson:3:97: a Polygon whose 'coordinates' are nested 6 deep: expected 3 (rings of [x, y] positions)");
    import_fails("multi.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n"
                 FEATURE("BU09990002", "{\"coordinates\":[[[5,52],[6,52],[6,53],[5,52]]],\"type\":\"MultiPolygon\"}") "\n]}\n",
                 "", "multi.geojson:2:80: a MultiPolygon whose 'coordinates' are nested 3 deep: expected 4");
    import_fails("point1.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n"
                 FEATURE("BU09990002", "{\"type\":\"Polygon\",\"coordinates\":[[[5,52],[6],[6,53],[5,52]]]}") "\n]}\n",
                 "", "point1.geojson:2:106: a Polygon with a position of fewer than 2 numbers");
    /* text must be UTF-8, as jansson demands (GDAL would take these bytes as they are) */
    import_fails("latin1.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n"
                 "{\"type\":\"Feature\",\"properties\":{\"code\":\"BU09990001\",\"naam\":\"Caf\xe9\"},"
                 "\"geometry\":" SQUARE "}\n]}\n",
                 "", "latin1.geojson:2:64: invalid JSON: expected UTF-8 text, got byte 0xE9");
    /* JSON nested absurdly deep: refused before any parser recurses into it */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 64);
    ASSERT(deep);
    size_t n = (size_t)sprintf(deep, "{\"type\":\"FeatureCollection\",\"features\":\n");
    memset(deep + n, '[', depth);
    memset(deep + n + depth, ']', depth);
    strcpy(deep + n + 2 * depth, "}\n");
    import_fails("nest.geojson", deep, "", "nest.geojson:2:64: JSON nested deeper than 64 levels");
    free(deep);
}

TEST(cli_geo_abuse, content_errors_name_the_line)
{
    /* GeoJSON: a feature without a code, on line 4 */
    import_fails("nocode.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n" FEATURE("BU09990001", SQUARE) ",\n"
                 FEATURE("BU09990002", SQUARE) ",\n"
                 "{\"type\":\"Feature\",\"properties\":{\"naam\":\"x\",\"code\":null},\"geometry\":" SQUARE "}\n]}\n",
                 "", "nocode.geojson:4: layer 'nocode', feature 3: no code in field 'code'");
    /* GeoJSON: a point where a polygon belongs */
    import_fails("point.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n" FEATURE("BU09990001", SQUARE) ",\n"
                 FEATURE("BU09990002", "{\"type\":\"Point\",\"coordinates\":[5,52]}") "\n]}\n",
                 "", "point.geojson:3: layer 'point', feature 2 (BU09990002): a Point, expected Polygon");
    /* TopoJSON: an arc index out of range in the second geometry, on line 5 */
    import_fails("arcs.topojson",
                 "{\"type\":\"Topology\",\"arcs\":[[[5,52],[6,52],[6,53],[5,52]]],\n"
                 "\"objects\":{\"b\":{\"type\":\"GeometryCollection\",\"geometries\":[\n"
                 "{\"type\":\"Polygon\",\"arcs\":[[0]],\"properties\":{\"code\":\"BU09990001\"}},\n"
                 "\n"
                 "{\"type\":\"Polygon\",\"arcs\":[[7]],\"properties\":{\"code\":\"BU09990002\"}}\n"
                 "]}}}\n",
                 "", "arcs.topojson:5: object 'b', geometry 2: arc index 7 out of range");
}

TEST(cli_geo_abuse, huge_coordinates_print_few_digits)
{
    import_fails("huge.geojson",
                 "{\"type\":\"FeatureCollection\",\"features\":[\n"
                 FEATURE("BU09990001", "{\"type\":\"Polygon\",\"coordinates\":[[[1e300,0],[2e300,0],[2e300,1e300],[1e300,0]]]}")
                 "\n]}\n",
                 "", "huge.geojson: the file names no CRS and its coordinates (x 1e+300..2e+300, y 0..1e+300)");
    wbt_run_result r = wbt_run(NULL, "--db g.db import geo huge.geojson --year 2020");
    size_t digits = 0, run = 0;
    for (const char *p = r.err; *p; p++) {
        run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
        if (run > digits)
            digits = run;
    }
    ASSERT_MSG(digits <= 17, "a run of %zu digits: %s", digits, r.err);
    wbt_run_free(&r);
}

/* A bowtie (exterior crossing itself) has a zero signed area but covers two triangles; GEOS
 * (wb_geom_repair: MakeValid) splits it into them. Hand computation: the ring (0,0) (1000,1000)
 * (1000,0) (0,1000) metres crosses at (500,500); the triangles (0,0)(500,500)(0,1000) and
 * (1000,0)(1000,1000)(500,500) each have area 1000 * 500 / 2 = 250,000 m2: 0.5 km2 in all. */
TEST(cli_geo_abuse, self_intersecting_polygon_is_repaired_and_counted)
{
    wbt_write(wbt_tmp("bowtie.geojson"),
              "{\"type\":\"FeatureCollection\",\"features\":[\n"
              FEATURE("BU09990001", "{\"type\":\"Polygon\",\"coordinates\":[[[150000,450000],[151000,451000],"
                                    "[151000,450000],[150000,451000],[150000,450000]]]}")
              ",\n" FEATURE("BU09990002", "{\"type\":\"Polygon\",\"coordinates\":[[[150000,452000],[151000,452000],"
                                           "[150000,452000],[150000,452000]]]}")
              "\n]}\n");
    wbt_run_result r = wbt_run(NULL, "--db g.db import geo bowtie.geojson --year 2020 --crs EPSG:28992 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_MSG(strstr(r.out, "\nrepaired_polygons,1\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.out, "\nimported,1\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.out, "\ncollapsed,1\n"), "the zero-area spike still collapses: %s", r.out);
    ASSERT_MSG(strstr(r.out, "\npolygons,2\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.out, "\narea_km2,0.500\n"), "%s", r.out);
    wbt_run_free(&r);
}
