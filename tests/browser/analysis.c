/**
 * @file
 * @brief The analysis views of the dashboard in headless Chromium: runs
 * tests/browser/analysis.test.mjs against `wijkbeeld serve` on the demo database
 * (`wijkbeeld demo`), with the national Leefbaarometer 2.0 wijk data of 2016 and a store of
 * every 2015 buurt when ../shared/data has them (those parts are left out, with a message,
 * when it does not). SKIPs like browser::map_hover_click_profile_print when chromium, node or
 * node_modules are missing. Screenshots in build/<mode>/screenshots/.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "browser/bsetup.h"
#include "test.h"

/* A file of the shared data directory as an absolute path, or NULL when absent. */
static const char *shared_file(char *buf, size_t n, const char *rel)
{
    const char *dir = getenv("WB_SHARED");
    if (!dir || !*dir)
        dir = "../shared/data";
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    char *real = realpath(p, NULL);
    if (!real)
        return NULL;
    snprintf(buf, n, "%s", real);
    free(real);
    return buf;
}

static void run_ok(const char *what, wbt_run_result r)
{
    ASSERT_MSG(r.status == 0, "%s failed (%d): %s", what, r.status, r.err);
    wbt_run_free(&r);
}

TEST(browser, analysis_views)
{
    wbt_browser_env env;
    wbt_browser_require(&env);
    const char *root = env.root, *bin = env.bin, *tmp = env.tmp, *chromium = env.chromium;

    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("demo.db"));
    run_ok("demo", wbt_run(NULL, "--quiet --db '%s' demo", db));

    /* the national Leefbaarometer 2.0 map: 2016 wijk polygons, scores 2012-2016, classes */
    char wijk[PATH_MAX], dims[PATH_MAX], classes[PATH_MAX], gem[PATH_MAX], gemgeo[PATH_MAX], buurt[PATH_MAX];
    int national = shared_file(wijk, sizeof wijk, "geo_nlmaps_edwindj/wijk_2016_rd.topojson") &&
                   shared_file(dims, sizeof dims, "leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv") &&
                   shared_file(classes, sizeof classes, "leefbaarometer2_minorproject/lbm2_wijk2016_classes_2002_2016.csv") &&
                   shared_file(gem, sizeof gem, "leefbaarometer2_minorproject/lbm2_gemeente2016_dimensions_2012_2014_2016.csv") &&
                   shared_file(gemgeo, sizeof gemgeo, "geo_nlmaps_edwindj/gemeente_2016_wgs84.topojson");
    if (national) {
        run_ok("import geo wijk 2016",
               wbt_run(NULL, "--quiet --db '%s' import geo '%s' --year 2016 --level wijk --crs EPSG:28992", db, wijk));
        run_ok("import geo gemeente 2016",
               wbt_run(NULL, "--quiet --db '%s' import geo '%s' --year 2016 --level gemeente", db, gemgeo));
        run_ok("import lbm dimensions", wbt_run(NULL, "--quiet --db '%s' import lbm '%s' --boundary-year 2016", db, dims));
        run_ok("import lbm classes", wbt_run(NULL, "--quiet --db '%s' import lbm '%s' --boundary-year 2016", db, classes));
        run_ok("import lbm gemeenten", wbt_run(NULL, "--quiet --db '%s' import lbm '%s' --boundary-year 2016", db, gem));
    } else {
        fprintf(stderr, "    national map left out: ../shared/data has no LBM 2.0 wijk data\n");
    }

    /* every buurt of 2015 with a value each (a deterministic made-up value per code: the
     * drawing time does not depend on what the values are) */
    char bdb[4096] = "";
    if (shared_file(buurt, sizeof buurt, "geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz")) {
        snprintf(bdb, sizeof bdb, "%s", wbt_tmp("buurt.db"));
        run_ok("import geo buurt 2015", wbt_run(NULL, "--quiet --db '%s' import geo '%s' --year 2015 --level buurt", bdb, buurt));
        wbt_run_result r = wbt_run(NULL, "--db '%s' areas --level buurt --year 2015 --format csv", bdb);
        ASSERT_MSG(r.status == 0, "areas: %s", r.err);
        size_t cap = strlen(r.out) + 64, len = 0;
        char *csv = malloc(cap);
        ASSERT(csv);
        len += (size_t)snprintf(csv, cap, "code,g_woz\n");
        char *save = NULL;
        strtok_r(r.out, "\n", &save); /* header */
        unsigned k = 0;
        for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save), k++) {
            char *comma = strchr(line, ',');
            if (comma)
                *comma = 0;
            len += (size_t)snprintf(csv + len, cap - len, "%s,%u\n", line, 150 + (k * 7919u) % 300);
            ASSERT(len < cap);
        }
        wbt_run_free(&r);
        const char *vals = wbt_tmp("buurt-values.csv");
        wbt_write(vals, csv);
        free(csv);
        run_ok("import csv", wbt_run(NULL, "--quiet --db '%s' import csv '%s' --year 2015 --level buurt", bdb, vals));
    } else {
        fprintf(stderr, "    buurt map timing left out: ../shared/data has no 2015 buurt polygons\n");
    }

    char shots[4096];
    snprintf(shots, sizeof shots, "%s/../screenshots", tmp);
    mkdir(shots, 0755);
    char *real = realpath(shots, NULL);
    ASSERT(real);
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && WB_BIN='%s' WB_DB='%s' WB_NATIONAL=%d WB_DB_BUURT='%s' WB_WEB='%s/web' WB_SHOTS='%s' "
             "WB_CHROMIUM='%s' timeout 240 node tests/browser/analysis.test.mjs > '%s' 2>&1",
             root, bin, db, national, bdb, root, real, chromium, wbt_tmp("browser.log"));
    int st = system(cmd);
    char *out = wbt_slurp(wbt_tmp("browser.log"), NULL);
    if (st != 0) {
        fprintf(stderr, "%s", out ? out : "(no output)\n");
    } else {
        /* the timing line of the buurt map, and where the screenshots are */
        for (char *line = out ? strtok(out, "\n") : NULL; line; line = strtok(NULL, "\n"))
            if (strstr(line, "map of"))
                fprintf(stderr, "    %s\n", line);
        fprintf(stderr, "    screenshots: %s/{start,lisa,gi,quantiles,profile-trend%s}.png\n", real,
                national ? ",national,national-lisa,amsterdam-lisa,profile-national" : "");
        if (bdb[0])
            fprintf(stderr, "    and %s/buurten-2015.png\n", real);
    }
    free(out);
    free(real);
    ASSERT_MSG(st == 0, "the browser test failed (status %d), output above", st);
}
