/**
 * @file
 * @brief Crosswalks on the real data in ../shared/data (skipped without it), checked against
 * independent references: the wijk crosswalk 2014 -> 2016 derived from the CBS polygons
 * against R's sf (GEOS st_intersection and the classification rules written in R:
 * tests/reference/crosswalk/wijk_sf.R, output in tests/data/crosswalk/wijk_2014_2016_sf_*.csv),
 * and the import of the VNG grenswijzigen file against base R on the same files
 * (tests/reference/crosswalk/grenswijzigen.R) and the row counts per year that
 * ../shared/data/SOURCES.md states.
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

static void run_ok(const char *cmd, const char *arg)
{
    wbt_run_result r = wbt_run(NULL, cmd, arg);
    ASSERT_MSG(r.status == 0, "'%s' failed: %s", cmd, r.err);
    wbt_run_free(&r);
}

/* The field @p col of the line of CSV @p text whose first fields are k1 (and k2). */
static char *csv_row(const char *text, const char *k1, const char *k2, char **f, int max, int *n)
{
    char *copy = strdup(text), *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        *n = wbt_split(line, f, max);
        if (*n >= 2 && !strcmp(f[0], k1) && (!k2 || !strcmp(f[1], k2)))
            return copy;
    }
    free(copy);
    *n = 0;
    return NULL;
}

TEST(cli_crosswalk_real, wijk_2014_2016_matches_sf)
{
    /* copies: the helpers' path buffers rotate */
    char w14[4096], w16[4096];
    snprintf(w14, sizeof w14, "%s", wbt_shared("geo_cbs_topojson_2014/Wijk_2014_layer_q1e3.json"));
    snprintf(w16, sizeof w16, "%s", wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson"));
    run_ok("--db t.db --quiet import geo '%s' --year 2014 --level wijk --format csv", w14);
    run_ok("--db t.db --quiet import geo '%s' --year 2016 --level wijk --format csv", w16);
    wbt_run_result r = wbt_run(NULL, "--db t.db crosswalk derive --level wijk --from-year 2014 --to-year 2016 --store");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_MSG(strstr(r.err, "2696 of 2738 from-areas and 2917 of 2981 to-areas have polygons"), "%s", r.err);
    wbt_run_free(&r);
    char *counts = wbt_slurp(wbt_fixture("crosswalk/wijk_2014_2016_sf_counts.csv"), NULL);
    ASSERT(counts);
    static const double settings[][2] = {{0.01, 0.01}, {0.01, 0.1}, {0.1, 0.01}, {0.1, 0.1}};
    size_t compared = 0;
    for (size_t k = 0; k < 4; k++) {
        r = wbt_run(NULL, "--db t.db crosswalk show wijk_2014_2016_area --sliver %g --tolerance %g --format json",
                    settings[k][0], settings[k][1]);
        ASSERT_MSG(r.status == 0, "%s", r.err);
        json_error_t je;
        json_t *doc = json_loads(r.out, 0, &je);
        ASSERT_MSG(doc, "not JSON: %s", je.text);
        json_t *sum = json_object_get(doc, "summary");
        ASSERT_EQ_I(json_array_size(json_object_get(doc, "pairs")), 14273);
        /* every count of sf's classification, both sides */
        char *save = NULL, *copy = strdup(counts);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *f[6];
            if (wbt_split(line, f, 6) != 5 || !*f[0] || strtod(f[0], NULL) != settings[k][0] ||
                strtod(f[1], NULL) != settings[k][1])
                continue;
            long want = strtol(f[4], NULL, 10), got;
            if (!strcmp(f[2], "pairs"))
                got = (long)json_integer_value(json_object_get(sum, "slivers"));
            else
                got = (long)json_integer_value(json_object_get(json_object_get(sum, f[2]), f[3]));
            ASSERT_MSG(got == want, "sliver %s tolerance %s: %s %s: %ld, sf %ld", f[0], f[1], f[2], f[3], got, want);
            compared++;
        }
        free(copy);
        json_decref(doc);
        wbt_run_free(&r);
    }
    ASSERT_EQ_I(compared, 4 * 13);
    free(counts);
    /* Amsterdam's pairs: the same pieces with the same areas and shares; WK036300, the whole
     * stadsdeel Centrum in 2014, splits into many 2016 wijken (WK036300 itself among them) */
    r = wbt_run(NULL, "--db t.db crosswalk show wijk_2014_2016_area --format csv");
    ASSERT(r.status == 0);
    char *ams = wbt_slurp(wbt_fixture("crosswalk/wijk_2014_2016_sf_amsterdam.csv"), NULL);
    ASSERT(ams);
    char *save = NULL;
    size_t nams = 0, significant = 0;
    for (char *line = strtok_r(ams, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[6];
        if (wbt_split(line, f, 6) != 5 || !strcmp(f[0], "from_code"))
            continue;
        char *g[8];
        int n;
        char *row = csv_row(r.out, f[0], f[1], g, 8, &n);
        ASSERT_MSG(row && n == 7, "no pair %s -> %s", f[0], f[1]);
        double sf = strtod(f[3], NULL), st = strtod(f[4], NULL);
        ASSERT_CLOSE(strtod(g[3], NULL), sf, 1e-9);
        ASSERT_CLOSE(strtod(g[4], NULL), st, 1e-9);
        ASSERT_CLOSE(strtod(g[2], NULL), strtod(f[2], NULL), 1e-9 * strtod(f[2], NULL) / sf);
        free(row);
        nams++;
        if (!strcmp(f[0], "WK036300") && (sf >= 0.01 || st >= 0.01))
            significant++;
    }
    ASSERT(nams > 100);
    ASSERT_MSG(significant >= 10, "WK036300 has %zu significant pieces", significant);
    /* and ours has as many pairs from WK0363.. */
    size_t ours = 0;
    for (const char *p = strstr(r.out, "\nWK0363"); p; p = strstr(p + 1, "\nWK0363"))
        ours++;
    ASSERT_EQ_I(ours, nams);
    free(ams);
    wbt_run_free(&r);
}

TEST(cli_crosswalk_real, grenswijzigen_import_matches_reference)
{
    char g[4096], w16[4096], kwb[4096];
    snprintf(g, sizeof g, "%s", wbt_shared("crosswalk_grenswijzigen/grenswijziging_wijk_2016_naar_2017_2024.csv"));
    snprintf(w16, sizeof w16, "%s", wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson"));
    snprintf(kwb, sizeof kwb, "%s", wbt_shared("kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv"));
    run_ok("--db t.db --quiet import geo '%s' --year 2016 --level wijk --format csv", w16);
    run_ok("--db t.db --quiet import kwb '%s'", kwb);
    wbt_run_result r = wbt_run(NULL, "--db t.db import crosswalk '%s' --name vng --create-areas --format csv", g);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    /* the three 2016 wijken that kept their code but that KWB 2024 lacks are reported */
    ASSERT_MSG(strstr(r.err, "vng_2016_2024: 3 unchanged wijk areas (WK024316, ...) have no area of that code in 2024"),
               "%s", r.err);
    char *ref = wbt_slurp(wbt_fixture("crosswalk/grenswijzigen_counts.csv"), NULL);
    ASSERT(ref);
    /* rows per year as SOURCES.md states them */
    static const long sources_rows[8] = {900, 1363, 1814, 1993, 2326, 2525, 2718, 2837};
    char *save = NULL;
    size_t years = 0;
    for (char *line = strtok_r(ref, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[8];
        if (wbt_split(line, f, 8) != 7 || !strcmp(f[0], "from_year"))
            continue;
        char name[32];
        snprintf(name, sizeof name, "vng_2016_%s", f[1]);
        char *o[12];
        int n;
        char *row = csv_row(r.out, name, NULL, o, 12, &n);
        ASSERT_MSG(row && n == 10, "no crosswalk %s in:\n%s", name, r.out);
        /* listed, implied, implied_missing, from_areas, to_areas */
        ASSERT_EQ_S(o[4], f[2]);
        ASSERT_EQ_S(o[5], f[3]);
        ASSERT_EQ_S(o[6], f[4]);
        ASSERT_EQ_S(o[7], f[5]);
        ASSERT_EQ_S(o[8], f[6]);
        long y = strtol(f[1], NULL, 10);
        ASSERT(y >= 2017 && y <= 2024);
        ASSERT_EQ_I(strtol(o[4], NULL, 10), sources_rows[y - 2017]);
        free(row);
        years++;
    }
    ASSERT_EQ_I(years, 8);
    free(ref);
    wbt_run_free(&r);
    /* Amstelveen: one wijk (WK036200) in 2016, fourteen (WK036201..14) in every later year,
     * with shares n / sum(n); nothing of it is implied */
    char *am = wbt_slurp(wbt_fixture("crosswalk/grenswijzigen_amstelveen.csv"), NULL);
    ASSERT(am);
    for (int y = 2017; y <= 2024; y++) {
        r = wbt_run(NULL, "--db t.db crosswalk show vng_2016_%d --format csv", y);
        ASSERT(r.status == 0);
        size_t n14 = 0;
        save = NULL;
        char *copy = strdup(am);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *f[6];
            if (wbt_split(line, f, 6) != 4 || strtol(f[0], NULL, 10) != y)
                continue;
            char *o[8];
            int n;
            char *row = csv_row(r.out, "WK036200", f[1], o, 8, &n);
            ASSERT_MSG(row, "%d: no pair WK036200 -> %s", y, f[1]);
            ASSERT_EQ_S(o[2], f[2]);
            ASSERT_CLOSE(strtod(o[3], NULL), strtod(f[3], NULL), 1e-15);
            ASSERT_EQ_S(o[6], "0");
            free(row);
            n14++;
        }
        free(copy);
        ASSERT_EQ_I(n14, 14);
        size_t pairs = 0;
        for (const char *p = strstr(r.out, "\nWK036200,"); p; p = strstr(p + 1, "\nWK036200,"))
            pairs++;
        ASSERT_EQ_I(pairs, 14);
        wbt_run_free(&r);
    }
    free(am);
}
