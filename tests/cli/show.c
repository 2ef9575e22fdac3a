/**
 * @file
 * @brief `show` and `areas` on a demo buurt and on a real 2016 wijk (import lbm + import geo).
 * Expected values come from the inputs themselves: the store API for the demo, the LBM 2.0
 * CSV files and the 2016 wijk TopoJSON (read here with jansson and plain splitting) for the
 * real wijk.
 */
#include <jansson.h>
#include <stdlib.h>

#include "test.h"

#define LBM2 "leefbaarometer2_minorproject/"

/* The value of one indicator of one area in a data year, straight from the store. */
static double stored(wb_store *st, const char *key, const char *code, int year, int *found)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.year = year;
    q.with_missing = 1;
    wb_value *v = NULL;
    size_t n = 0;
    WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
    double out = n ? v[0].value : NAN;
    *found = n > 0;
    wb_free(v);
    return out;
}

/* Every value of a demo buurt beside its wijk's: each row of `show --format csv` is checked
 * against the store, and the rows are all of the buurt's values (missing ones included). */
TEST(cli_show, every_value_of_a_demo_buurt_beside_its_wijk)
{
    wbt_run_result r = wbt_run(NULL, "--db d.db demo");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db d.db show BU99990000 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(!strncmp(r.out, "indicator,year,value,parent_value,unit,label\n", 45));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("d.db"), 0));
    size_t rows = 0, with_parent = 0;
    char *save = NULL;
    for (char *ln = strtok_r(strchr(r.out, '\n') + 1, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        char *f[4], *q = ln; /* indicator,year,value,parent_value: the first four have no quotes */
        for (int k = 0; k < 4; k++) {
            f[k] = q;
            q += strcspn(q, ",");
            if (*q)
                *q++ = 0;
        }
        int year = atoi(f[1]), found;
        double v = stored(st, f[0], "BU99990000", year, &found);
        ASSERT_MSG(found, "%s %d shown but not stored", f[0], year);
        ASSERT_MSG(isnan(v) ? !*f[2] : strtod(f[2], NULL) == v, "%s %d: shown '%s', stored %.17g", f[0], year,
                   f[2], v);
        double pv = stored(st, f[0], "WK999900", year, &found);
        ASSERT_MSG(isnan(pv) ? !*f[3] : strtod(f[3], NULL) == pv, "%s %d: parent shown '%s', stored %.17g", f[0],
                   year, f[3], pv);
        with_parent += !isnan(pv);
        rows++;
    }
    /* all of the buurt's values: per indicator of the catalogue, every stored data year */
    wb_indicator *inds = NULL;
    size_t ninds = 0, all = 0;
    WB_PASS(wb_store_indicators(st, &inds, &ninds));
    for (size_t i = 0; i < ninds; i++) {
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = inds[i].key;
        q.code = "BU99990000";
        q.with_missing = 1;
        wb_value *v = NULL;
        size_t n = 0;
        WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
        all += n;
        wb_free(v);
    }
    wb_indicators_free(inds, ninds);
    ASSERT_EQ_I(rows, all);
    ASSERT(rows > 500 && with_parent == rows); /* 30 indicators x up to 21 years; the wijk has them all */
    wbt_run_free(&r);

    /* the table for people: the buurt, its wijk, 6 significant digits; --data-year filters */
    r = wbt_run(NULL, "--db d.db show BU99990000 --data-year 2022 --indicator g_woz --format table");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wb_area *b = NULL, *w = NULL;
    WB_PASS(wb_store_area_get(st, &b, "BU99990000", 0));
    WB_PASS(wb_store_area_get(st, &w, "WK999900", 0));
    char want[256];
    snprintf(want, sizeof want, "BU99990000 %s (buurt, boundaries 2022)\nin WK999900 %s\n", b->name, w->name);
    ASSERT_MSG(!strncmp(r.out, want, strlen(want)), "'%s' does not start with '%s'", r.out, want);
    ASSERT(strstr(r.out, "(1 rows)") != NULL);
    wb_areas_free(b, 1);
    wb_areas_free(w, 1);
    wbt_run_free(&r);

    /* areas --in a demo wijk: the wijk and its buurten, all of 2022 */
    r = wbt_run(NULL, "--db d.db areas --in WK999900 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wb_area_query aq = WB_AREA_QUERY_INIT;
    aq.level = WB_LEVEL_BUURT;
    wb_area *bu = NULL;
    size_t nbu = 0, in_wijk = 0;
    WB_PASS(wb_store_areas(st, &bu, &nbu, &aq));
    for (size_t i = 0; i < nbu; i++)
        if (!strcmp(bu[i].parent, "WK999900")) {
            char line[128];
            snprintf(line, sizeof line, "\n%s,2022,buurt,", bu[i].code);
            ASSERT_MSG(strstr(r.out, line) != NULL, "%s missing from areas --in WK999900", bu[i].code);
            in_wijk++;
        }
    wb_areas_free(bu, nbu);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 1 + in_wijk); /* header, the wijk, its buurten */
    ASSERT(strstr(r.out, "\nWK999900,2022,wijk,") != NULL);
    ASSERT_EQ_S(r.err, ""); /* one boundary year: no note */
    wbt_run_free(&r);
    wb_store_free(st);
}

/* One row of an LBM 2.0 file (GBD,JAAR,RLBRMTR,RLBWON,RLBBEV,RLBVRZ,RLBVEI,RLBFYS) as the six
 * values in the order of the keys below. @return 1 when found. */
static const char *const lbm_keys[] = {"lbm", "lbm_won", "lbm_soc", "lbm_vrz", "lbm_onv", "lbm_fys"};

static int lbm_row(const char *path, const char *code, const char *year, double out[6])
{
    FILE *f = fopen(path, "r");
    ASSERT(f);
    char line[1024];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *fl[8];
        if (wbt_split(line, fl, 8) != 8 || strcmp(fl[0], code) || strcmp(fl[1], year))
            continue;
        for (int i = 0; i < 6; i++)
            out[i] = fl[2 + i][0] ? strtod(fl[2 + i], NULL) : NAN;
        found = 1;
    }
    fclose(f);
    return found;
}

/* The name of a code in a TopoJSON object (properties statcode, statnaam). */
static const char *topo_name(json_t *root, const char *object, const char *code)
{
    json_t *g = json_object_get(json_object_get(json_object_get(root, "objects"), object), "geometries");
    size_t i;
    json_t *x;
    json_array_foreach(g, i, x)
    {
        json_t *p = json_object_get(x, "properties");
        if (!strcmp(json_string_value(json_object_get(p, "statcode")), code))
            return json_string_value(json_object_get(p, "statnaam"));
    }
    return NULL;
}

/* A real 2016 wijk after import lbm (wijk and gemeente scores) and import geo (wijk and
 * gemeente maps of 2016): its 18 LBM values beside Rotterdam's, as in the files; its name and
 * its gemeente's from the maps; areas --in the gemeente lists the map's wijken. */
TEST(cli_show, a_2016_wijk_after_import_lbm_and_geo)
{
    char wijk_csv[4096], gem_csv[4096], wijk_topo[4096], gem_topo[4096];
    snprintf(wijk_csv, sizeof wijk_csv, "%s", wbt_shared(LBM2 "lbm2_wijk2016_dimensions_2012_2014_2016.csv"));
    snprintf(gem_csv, sizeof gem_csv, "%s", wbt_shared(LBM2 "lbm2_gemeente2016_dimensions_2012_2014_2016.csv"));
    snprintf(wijk_topo, sizeof wijk_topo, "%s", wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson"));
    snprintf(gem_topo, sizeof gem_topo, "%s", wbt_shared("geo_nlmaps_edwindj/gemeente_2016_wgs84.topojson"));
    static const char *const cmds[] = {"import lbm '%s'", "import lbm '%s'",
                                       "import geo '%s' --year 2016 --level wijk --crs EPSG:28992",
                                       "import geo '%s' --year 2016 --level gemeente"};
    const char *files[] = {wijk_csv, gem_csv, wijk_topo, gem_topo};
    for (int i = 0; i < 4; i++) {
        char fmt[256];
        snprintf(fmt, sizeof fmt, "--db t.db %s", cmds[i]);
        wbt_run_result r = wbt_run(NULL, fmt, files[i]);
        ASSERT_MSG(r.status == 0, "%s: %s", files[i], r.err);
        wbt_run_free(&r);
    }
    /* Rotterdam Feijenoord, one of the aandachtswijken */
    wbt_run_result r = wbt_run(NULL, "--db t.db show WK059910 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 6 * 3);
    static const char *const years[] = {"2012", "2014", "2016"};
    for (int y = 0; y < 3; y++) {
        double w[6], g[6];
        ASSERT(lbm_row(wijk_csv, "WK059910", years[y], w));
        ASSERT(lbm_row(gem_csv, "GM0599", years[y], g));
        for (int i = 0; i < 6; i++) {
            char key[64];
            snprintf(key, sizeof key, "\n%s,%s,", lbm_keys[i], years[y]);
            const char *p = strstr(r.out, key);
            ASSERT_MSG(p != NULL, "no row %s %s", lbm_keys[i], years[y]);
            char *end;
            double v = strtod(p + strlen(key), &end);
            ASSERT_MSG(v == w[i], "%s %s: shown %.17g, file %.17g", lbm_keys[i], years[y], v, w[i]);
            ASSERT(*end == ',');
            double pv = strtod(end + 1, NULL);
            ASSERT_MSG(pv == g[i], "%s %s: parent %.17g, file %.17g", lbm_keys[i], years[y], pv, g[i]);
        }
    }
    wbt_run_free(&r);
    json_error_t e;
    json_t *wt = json_load_file(wijk_topo, 0, &e), *gt = json_load_file(gem_topo, 0, &e);
    ASSERT(wt && gt);
    const char *wname = topo_name(wt, "wijk_2016", "WK059910"), *gname = topo_name(gt, "gemeente_2016", "GM0599");
    ASSERT(wname && gname);
    r = wbt_run(NULL, "--db t.db show WK059910 --indicator lbm --format table");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    char want[256];
    snprintf(want, sizeof want, "WK059910 %s (wijk, boundaries 2016)\nin GM0599 %s\n\n", wname, gname);
    ASSERT_MSG(!strncmp(r.out, want, strlen(want)), "'%s' does not start with '%s'", r.out, want);
    ASSERT(strstr(r.out, "(3 rows)") != NULL);
    wbt_run_free(&r);
    /* a boundary year the code does not have: the message says which it has */
    r = wbt_run(NULL, "--db t.db show WK059910 --year 2015");
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT_MSG(strstr(r.err, "no area WK059910 with boundaries of 2015; it exists with boundaries 2016") != NULL,
               "%s", r.err);
    wbt_run_free(&r);
    /* areas --in GM0599: the gemeente and every Rotterdam wijk of the map, with its name */
    r = wbt_run(NULL, "--db t.db areas --in GM0599 --level wijk --year 2016 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    json_t *g = json_object_get(json_object_get(json_object_get(wt, "objects"), "wijk_2016"), "geometries");
    size_t i, nrot = 0;
    json_t *x;
    json_array_foreach(g, i, x)
    {
        json_t *p = json_object_get(x, "properties");
        const char *code = json_string_value(json_object_get(p, "statcode"));
        if (strncmp(code, "WK0599", 6))
            continue;
        char line[256];
        snprintf(line, sizeof line, "\n%s,2016,wijk,%s,GM0599\n", code, json_string_value(json_object_get(p, "statnaam")));
        ASSERT_MSG(strstr(r.out, line) != NULL, "no line '%s'", line + 1);
        nrot++;
    }
    ASSERT(nrot > 10);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + nrot);
    wbt_run_free(&r);
    json_decref(wt);
    json_decref(gt);
}
