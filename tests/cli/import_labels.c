/**
 * @file
 * @brief `import labels` with the 40 aandachtswijken of 2007 (policy_areas/), matched by name
 * within the gemeente to the 2016 wijken. The 2016 wijk names are taken from the CBS wijk map
 * in geo_nlmaps_edwindj/ (statcode, statnaam), put into the store with the store API.
 *
 * Expected matches, derived independently with Python (unicodedata NFKD accent folding,
 * lower case, CBS "Wijk NN " numbering, "Stadsdeel " and a leading article de/het/'t removed,
 * then only [a-z0-9] compared, one unique wijk per gemeente):
 *   1 Overdie WK036103, 2 De Kruiskamp WK030707, 8 Het Arnhemse Broek WK020203,
 *   9 Klarendal WK020207, 14 Stationsbuurt WK051827, 30 Overschie WK059904,
 *   31 Noord WK059905, 35 Nieuwland WK060606, 38 Overvecht WK034403, 40 Poelenburg WK047912.
 * The other 30 are districts or neighbourhoods that are no 2016 wijk of that name (e.g.
 * Amsterdam Nieuw-West, Den Haag Schilderswijk = "Wijk 29 Schildersbuurt"): they are listed
 * as not found, and a --match file can map them by hand.
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

static void store_2016_wijken(const char *db)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("geo_nlmaps_edwindj/wijk_2016_wgs84.topojson"));
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);
    ASSERT_MSG(root != NULL, "%s: %s", path, e.text);
    json_t *geoms = json_object_get(json_object_get(json_object_get(root, "objects"), "wijk_2016"),
                                    "geometries");
    ASSERT(json_is_array(geoms));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    size_t i;
    json_t *g;
    json_array_foreach(geoms, i, g)
    {
        json_t *p = json_object_get(g, "properties");
        const char *code = json_string_value(json_object_get(p, "statcode"));
        const char *name = json_string_value(json_object_get(p, "statnaam"));
        ASSERT(code && name);
        WB_PASS(wb_store_area_put(st, NULL, code, 2016, WB_LEVEL_WIJK, name, NULL));
    }
    ASSERT_EQ_I(json_array_size(geoms), 2981);
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
    json_decref(root);
}

TEST(cli_import_labels, aandachtswijken_2007_by_name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("policy_areas/aandachtswijken_40_bcfv_2007.csv"));
    store_2016_wijken(wbt_tmp("t.db"));
    wbt_run_result r = wbt_run(NULL, "--db t.db import labels '%s' --set aandachtswijken --year 2016 --format csv", path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 40); /* every row is listed, matched or not */
    ASSERT(strstr(r.err, "label set aandachtswijken: 40 rows, 10 matched, 30 not matched, 10 areas (boundaries 2016)") != NULL);
    static const char *const expect[] = {
        "2,Overdie,GM0361,name,WK036103,Overdie",
        "3,De Kruiskamp,GM0307,name,WK030707,Wijk 07 De Kruiskamp",
        "9,Het Arnhemse Broek,GM0202,name,WK020203,Arnhemse broek",
        "10,Klarendal,GM0202,name,WK020207,Klarendal",
        "15,Stationsbuurt,GM0518,name,WK051827,Wijk 27 Stationsbuurt",
        "31,Overschie,GM0599,name,WK059904,",
        "32,Noord,GM0599,name,WK059905,",
        "36,Nieuwland,GM0606,name,WK060606,",
        "39,Overvecht,GM0344,name,WK034403,Wijk 03 Overvecht",
        "41,Poelenburg,GM0479,name,WK047912,",
        "8,Nieuw-West,GM0363,not found,,",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        ASSERT_MSG(strstr(r.out, expect[i]) != NULL, "no line starting '%s' in\n%s", expect[i], r.out);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db show WK051827 --format table");
    ASSERT(strstr(r.out, "labels: aandachtswijken") != NULL);
    wbt_run_free(&r);

    /* a hand-made match file adds what names cannot find */
    const char *mf = wbt_tmp("match.csv");
    wbt_write(mf, "gm_code,name,code\nGM0518,Schilderswijk,WK051829\nGM0518,Transvaal,WK051830\n");
    r = wbt_run(NULL, "--db t.db import labels '%s' --set aw2 --year 2016 --match match.csv --format csv", path);
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "14,Schilderswijk,GM0518,match file,WK051829,") != NULL);
    ASSERT(strstr(r.err, "12 matched") != NULL);
    wbt_run_free(&r);

    /* the project's hand-made match file (data/), exact and approximate matches only: the
     * expected counts are taken from that file here (rows by quality, distinct codes) */
    char mpath[4096];
    const char *root = getenv("WB_ROOT");
    snprintf(mpath, sizeof mpath, "%s/data/aandachtswijken_2007_wijk2016.csv", root ? root : ".");
    char *mtext = wbt_slurp(mpath, NULL);
    ASSERT(mtext != NULL);
    size_t rows = 0, core = 0, other = 0;
    char codes[8192] = ";";
    char *save = NULL;
    for (char *ln = strtok_r(mtext, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(ln, "nr,", 3))
            continue;
        char *f[6], *q = ln; /* nr,gemeente,gm_code,wijk_naam,wk_codes,match: no quotes */
        for (int k = 0; k < 6; k++) {
            f[k] = q;
            q += strcspn(q, ",");
            if (*q)
                *q++ = 0;
        }
        rows++;
        if (strcmp(f[5], "exact") && strcmp(f[5], "approx")) {
            other++;
            continue;
        }
        core++;
        for (char *c = strtok(f[4], ";"); c; c = strtok(NULL, ";")) {
            char key[32];
            snprintf(key, sizeof key, ";%s;", c);
            if (!strstr(codes, key))
                snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s;", c);
        }
    }
    free(mtext);
    size_t ncodes = 0;
    for (const char *c = codes + 1; *c; c++)
        ncodes += *c == ';';
    ASSERT_EQ_I(rows, 40);
    r = wbt_run(NULL, "--db t.db import labels '%s' --set aw3 --year 2016 --match '%s' --match-quality exact,approx "
                      "--format csv", path, mpath);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    char want[256];
    snprintf(want, sizeof want, "label set aw3: 40 rows, %zu matched, 0 not matched, %zu excluded by --match-quality, "
             "%zu areas (boundaries 2016)", core, other, ncodes);
    ASSERT_MSG(strstr(r.err, want) != NULL, "stderr '%s', expected '%s'", r.err, want);
    /* Maastricht Noordoost: the hand match (wijk 04), not the wijk whose name matches (05) */
    ASSERT(strstr(r.out, ",Noordoost,GM0935,match file (approx),WK093504,") != NULL);
    ASSERT(strstr(r.out, ",Kanaleneiland,GM0344,excluded (coarse),,") != NULL);
    wbt_run_free(&r);
}

TEST(cli_import_labels, nothing_matched_is_an_error)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("policy_areas/aandachtswijken_40_bcfv_2007.csv"));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("t.db"), WB_STORE_CREATE));
    WB_PASS(wb_store_area_put(st, NULL, "WK999900", 2016, WB_LEVEL_WIJK, "Nergens", NULL));
    wb_store_free(st);
    wbt_run_result r = wbt_run(NULL, "--db t.db import labels '%s' --set x --format csv", path);
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "aandachtswijken_40_bcfv_2007.csv: expected at least one row to match an area of 2016") != NULL);
    wbt_run_free(&r);
}
