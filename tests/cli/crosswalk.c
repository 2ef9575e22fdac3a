/**
 * @file
 * @brief The crosswalk commands on small fixtures: `crosswalk derive` against R's sf
 * (st_intersection, st_interpolate_aw: tests/reference/crosswalk/aw.R, output committed in
 * tests/data/crosswalk/), the dasymetric weights worked out by hand, `import crosswalk` of both
 * layouts, `crosswalk list`, `show` and `remove`, and bad input: each a single line on stderr
 * naming the file and line, exit status != 0, the database unchanged byte for byte.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "test.h"

/* ---------------------------------------------------------------- helpers */

static void run_ok(const char *fmt, const char *arg)
{
    wbt_run_result r = wbt_run(NULL, fmt, arg);
    ASSERT_MSG(r.status == 0, "'%s' failed: %s", fmt, r.err);
    wbt_run_free(&r);
}

/* A field of a CSV line (no quotes in these outputs). */
static int fields(char *line, char **f, int max)
{
    return wbt_split(line, f, max);
}

/* the value at (row key1,key2) in CSV text with columns key1,key2,... : column @p col */
static double csv_lookup(const char *text, const char *k1, const char *k2, int col)
{
    char *copy = strdup(text), *save = NULL;
    double v = NAN;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[16];
        int n = fields(line, f, 16);
        if (n > col && !strcmp(f[0], k1) && (!k2 || !strcmp(f[1], k2))) {
            v = strtod(f[col], NULL);
            break;
        }
    }
    free(copy);
    return v;
}

/* The two fixture layers of tests/data/crosswalk (buurten of 2000 and 2001) and the counts. */
static void aw_db(void)
{
    run_ok("--db t.db --quiet import geo '%s' --year 2000 --level buurt --format csv",
           wbt_fixture("crosswalk/aw_source_rd.geojson"));
    run_ok("--db t.db --quiet import geo '%s' --year 2001 --level buurt --format csv",
           wbt_fixture("crosswalk/aw_target_rd.geojson"));
    run_ok("--db t.db --quiet import csv '%s' --boundary-year 2000", wbt_fixture("crosswalk/aw_source_values.csv"));
}

/* ---------------------------------------------------------------- derive against sf */

TEST(cli_crosswalk, derive_matches_sf_intersection)
{
    aw_db();
    wbt_run_result r = wbt_run(NULL, "--db t.db crosswalk derive --level buurt --from-year 2000 --to-year 2001 --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    char *ref = wbt_slurp(wbt_fixture("crosswalk/aw_pairs_sf.csv"), NULL);
    ASSERT(ref);
    /* every sf piece is there with the same area and shares, and nothing else */
    size_t nref = 0, nmine = wbt_count_lines(r.out) - 1;
    char *save = NULL;
    for (char *line = strtok_r(ref, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[8];
        if (fields(line, f, 8) != 5 || !strcmp(f[0], "from_code"))
            continue;
        nref++;
        double w = strtod(f[2], NULL);
        ASSERT_CLOSE(csv_lookup(r.out, f[0], f[1], 2), w, 1e-9 * w);
        ASSERT_CLOSE(csv_lookup(r.out, f[0], f[1], 3), strtod(f[3], NULL), 1e-12);
        ASSERT_CLOSE(csv_lookup(r.out, f[0], f[1], 4), strtod(f[4], NULL), 1e-12);
    }
    ASSERT_EQ_I(nmine, nref);
    /* what the summary says: the bow-tie and the overlapping parts were repaired */
    ASSERT_MSG(strstr(r.err, "repaired with GEOS MakeValid (parts covered twice): 2 from, 0 to"), "%s", r.err);
    ASSERT_MSG(strstr(r.err, "6 of 6 from-areas and 5 of 5 to-areas have polygons"), "%s", r.err);
    free(ref);
    wbt_run_free(&r);
}

/* Moving the counts along the stored crosswalk (the library function the harmonisation
 * uses) gives st_interpolate_aw(extensive = TRUE)'s numbers. */
TEST(cli_crosswalk, move_matches_sf_interpolate_aw)
{
    aw_db();
    run_ok("--db t.db --quiet crosswalk derive --level buurt --from-year 2000 --to-year 2001 --store%s", "");
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, wbt_tmp("t.db"), 0));
    wb_crosswalk *xw = NULL;
    WB_PASS(wb_store_crosswalk_find(st, &xw, WB_LEVEL_BUURT, 2000, 2001));
    ASSERT_EQ_S(xw->info.name, "buurt_2000_2001_area");
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = "aw_n";
    q.boundary_year = 2000;
    wb_value *v = NULL;
    size_t nv = 0;
    WB_PASS(wb_store_values(st, &v, &nv, NULL, &q));
    ASSERT_EQ_I(nv, 6);
    double in[6], out[5], cov[5];
    for (size_t i = 0; i < xw->from.n; i++)
        in[i] = NAN;
    for (size_t k = 0; k < nv; k++)
        in[wb_crosswalk_find_id(xw, 0, v[k].area_id)] = v[k].value;
    WB_PASS(wb_crosswalk_move(xw, WB_XW_COUNT, in, out, cov));
    char *ref = wbt_slurp(wbt_fixture("crosswalk/aw_moved_sf.csv"), NULL);
    size_t matched = 0;
    for (size_t t = 0; t < xw->to.n; t++) {
        double want = csv_lookup(ref, xw->to.code[t], NULL, 1);
        if (isnan(want)) { /* sf leaves out a target no source reaches */
            ASSERT(isnan(out[t]));
            ASSERT_CLOSE(cov[t], 0, 0);
            continue;
        }
        ASSERT_CLOSE(out[t], want, 1e-9 * want);
        matched++;
    }
    ASSERT_EQ_I(matched, 4);
    free(ref);
    wb_free(v);
    wb_crosswalk_free(xw);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- dasymetric, by hand */

static const char *rect_feature(char *buf, size_t n, const char *code, double x0, double x1)
{
    snprintf(buf, n,
             "{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\"},\"geometry\":{\"type\":\"Polygon\","
             "\"coordinates\":[[[%g,400000],[%g,400000],[%g,400100],[%g,400100],[%g,400000]]]}}",
             code, 100000 + x0, 100000 + x1, 100000 + x1, 100000 + x0, 100000 + x0);
    return buf;
}

static void write_layer(const char *name, const char *const *codes, const double *x, int n)
{
    char feat[512];
    wb_str s = WB_STR_INIT;
    wb_str_puts(&s, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                    "{\"name\":\"EPSG:28992\"}},\"features\":[");
    for (int i = 0; i < n; i++)
        wb_str_printf(&s, "%s%s", i ? "," : "", rect_feature(feat, sizeof feat, codes[i], x[2 * i], x[2 * i + 1]));
    wb_str_puts(&s, "]}\n");
    wbt_write(wbt_tmp(name), wb_str_cstr(&s));
    wb_str_dispose(&s);
}

/* Wijken of 2000: WK999700 (x 0..200: buurten BU99970000 x 0..100 with 100 inhabitants and
 * BU99970001 x 100..200 with 300) and WK999701 (x 200..400: BU99970100 with 50). Wijken of
 * 2001: WK999700 (x 0..150) and WK999702 (x 150..400). Each buurt gives its inhabitants to
 * the 2001 wijken by the share of its area in each:
 *   WK999700 -> WK999700: 100 + 300 * 50/100 = 250; WK999700 -> WK999702: 150;
 *   WK999701 -> WK999702: 50.  Totals 400 and 50; 2001 totals 250 and 200. So
 *   share_from 250/400 = 0.625 and 150/400 = 0.375 (by area it would be 0.75 and 0.25);
 *   share_to of WK999700 -> WK999702 = 150/200 = 0.75. */
TEST(cli_crosswalk, dasymetric_weights_by_hand)
{
    static const char *const w00[] = {"WK999700", "WK999701"}, *const b00[] = {"BU99970000", "BU99970001", "BU99970100"},
                             *const w01[] = {"WK999700", "WK999702"};
    static const double xw00[] = {0, 200, 200, 400}, xb00[] = {0, 100, 100, 200, 200, 400}, xw01[] = {0, 150, 150, 400};
    write_layer("w00.geojson", w00, xw00, 2);
    write_layer("b00.geojson", b00, xb00, 3);
    write_layer("w01.geojson", w01, xw01, 2);
    run_ok("--db t.db --quiet import geo %s --year 2000 --format csv", "w00.geojson");
    run_ok("--db t.db --quiet import geo %s --year 2000 --format csv", "b00.geojson");
    run_ok("--db t.db --quiet import geo %s --year 2001 --format csv", "w01.geojson");
    wbt_write(wbt_tmp("inw.csv"), "code,year,a_inw\nBU99970000,2000,100\nBU99970001,2000,300\nBU99970100,2000,50\n");
    run_ok("--db t.db --quiet import csv %s", "inw.csv");
    wbt_run_result r = wbt_run(NULL, "--db t.db crosswalk derive --level wijk --from-year 2000 --to-year 2001 "
                                     "--weight a_inw --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_CLOSE(csv_lookup(r.out, "WK999700", "WK999700", 2), 250, 1e-9);
    ASSERT_CLOSE(csv_lookup(r.out, "WK999700", "WK999702", 2), 150, 1e-9);
    ASSERT_CLOSE(csv_lookup(r.out, "WK999701", "WK999702", 2), 50, 1e-9);
    ASSERT_CLOSE(csv_lookup(r.out, "WK999700", "WK999700", 3), 0.625, 1e-12);
    ASSERT_CLOSE(csv_lookup(r.out, "WK999700", "WK999702", 3), 0.375, 1e-12);
    ASSERT_CLOSE(csv_lookup(r.out, "WK999700", "WK999702", 4), 0.75, 1e-12);
    ASSERT_EQ_I(wbt_count_lines(r.out), 4);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk derive --level wijk --from-year 2000 --to-year 2001 --format csv");
    ASSERT_CLOSE(csv_lookup(r.out, "WK999700", "WK999700", 3), 0.75, 1e-12);
    wbt_run_free(&r);
    /* stored under its own name with the indicator as weight */
    run_ok("--db t.db --quiet crosswalk derive --level wijk --from-year 2000 --to-year 2001 --weight a_inw --store%s", "");
    r = wbt_run(NULL, "--db t.db crosswalk list --format csv");
    ASSERT_MSG(strstr(r.out, "wijk_2000_2001_a_inw,wijk,2000,2001,a_inw,\"derived from polygons: a_inw of the buurt 2000"),
               "%s", r.out);
    wbt_run_free(&r);
    /* a buurt crosswalk has no finer level */
    r = wbt_run(NULL, "--db t.db crosswalk derive --level buurt --from-year 2000 --to-year 2001 --weight a_inw");
    ASSERT(r.status != 0 && wbt_count_lines(r.err) == 1);
    ASSERT_MSG(strstr(r.err, "no finer level"), "%s", r.err);
    wbt_run_free(&r);
}

/* ---------------------------------------------------------------- import, list, show */

/* Wijken WK999700..02 of 2000 and WK999710..12 of 2001 (areas only). */
static void areas_db(void)
{
    wbt_write(wbt_tmp("a.csv"), "code,year,v\nWK999700,2000,1\nWK999701,2000,1\nWK999702,2000,1\n"
                                "WK999710,2001,1\nWK999711,2001,1\nWK999712,2001,1\n");
    run_ok("--db t.db --quiet import csv %s", "a.csv");
}

TEST(cli_crosswalk, import_plain_list_show_remove)
{
    areas_db();
    wbt_write(wbt_tmp("x.csv"), "from_code,from_year,to_code,to_year,share\n"
                                "WK999700,2000,WK999710,2001,1\n"
                                "WK999701,2000,WK999711,2001,0.25\n"
                                "WK999701,2000,WK999712,2001,0.75\n"
                                "WK999702,2000,WK999712,2001,1\n");
    wbt_run_result r = wbt_run(NULL, "--db t.db import crosswalk x.csv --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_S(r.out, "name,level,from_year,to_year,listed,implied,implied_missing,from_areas,to_areas,created\n"
                       "x,wijk,2000,2001,4,0,0,3,3,0\n");
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk list --format csv");
    ASSERT_MSG(strstr(r.out, "x,wijk,2000,2001,share,x.csv (plain layout),3,3,4,"), "%s", r.out);
    wbt_run_free(&r);
    /* shares: WK999712 receives 0.75 of WK999701 and all of WK999702 (to total 1.75) */
    r = wbt_run(NULL, "--db t.db crosswalk show x --format csv");
    ASSERT_MSG(strstr(r.out, "WK999701,WK999712,0.75,0.75,0.42857142857142855,0,0\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.err, "from-areas (2000): 0 unchanged, 1 recoded, 0 reshaped, 1 split, 1 merged, 0 unmatched"),
               "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk show x --reverse");
    ASSERT(r.status != 0 && wbt_count_lines(r.err) == 1);
    ASSERT_MSG(strstr(r.err, "holds shares of its 2000 areas: it cannot be used from 2001 to 2000"), "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk remove x");
    ASSERT_EQ_S(r.out, "removed crosswalk 'x'\n");
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk remove x");
    ASSERT(r.status != 0);
    ASSERT_MSG(strstr(r.err, "no crosswalk named 'x'"), "%s", r.err);
    wbt_run_free(&r);
}

/* The VNG layout: two year pairs in one file, the left-out wijk linked 1:1, the 2002 areas
 * created on request. */
TEST(cli_crosswalk, import_vng_layout)
{
    areas_db();
    wbt_write(wbt_tmp("g.csv"), "van_jaar,naar_jaar,wijk_van,wijk_naar,n_adressen\n"
                                "2000,2001,WK999700,WK999710,30\n"
                                "2000,2001,WK999700,WK999711,10\n"
                                "2000,2001,WK999701,WK999711,50\n"
                                "2000,2001,WK999702,WK999712,20\n"
                                "2000,2002,WK999700,WK999720,40\n");
    wbt_run_result r = wbt_run(NULL, "--db t.db import crosswalk g.csv --name vng --format csv");
    ASSERT(r.status != 0 && wbt_count_lines(r.err) == 1);
    ASSERT_MSG(strstr(r.err, "g.csv:6:20: wijk WK999720 of 2002: no wijk areas of 2002 are stored; import that "
                             "year's division first, or pass --create-areas"), "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db import crosswalk g.csv --name vng --create-areas --format csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    /* 2001: all three wijken listed; 2002: WK999701 and WK999702 left out, kept their codes */
    ASSERT_EQ_S(r.out, "name,level,from_year,to_year,listed,implied,implied_missing,from_areas,to_areas,created\n"
                       "vng_2000_2001,wijk,2000,2001,4,0,0,3,3,0\n"
                       "vng_2000_2002,wijk,2000,2002,1,2,0,3,3,3\n");
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk show vng_2000_2002 --format csv");
    ASSERT_MSG(strstr(r.out, "WK999701,WK999701,1,1,1,0,1\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.err, "from-areas (2000): 2 unchanged, 1 recoded"), "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk show vng_2000_2001 --reverse --format csv");
    ASSERT_MSG(strstr(r.out, "WK999711,WK999701,50,0.83333333333333337,1,0,0\n"), "%s", r.out);
    wbt_run_free(&r);
}

/* ---------------------------------------------------------------- bad input */

static void snapshot(void)
{
    struct stat sb;
    ASSERT(stat(wbt_tmp("t.db-wal"), &sb) != 0 || sb.st_size == 0);
    size_t len;
    char *copy = wbt_slurp(wbt_tmp("t.db"), &len);
    ASSERT(copy && len > 0);
    FILE *f = fopen(wbt_tmp("before.db"), "wb");
    ASSERT(f && fwrite(copy, 1, len, f) == len && fclose(f) == 0);
    free(copy);
}

static void fails(const char *cmd, const char *needle)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db %s", cmd);
    ASSERT_MSG(r.status != 0, "'%s' succeeded: %s", cmd, r.out);
    ASSERT_MSG(wbt_count_lines(r.err) == 1, "'%s': stderr is not one line:\n%s", cmd, r.err);
    ASSERT_MSG(strstr(r.err, needle) != NULL, "'%s': expected '%s' in: %s", cmd, needle, r.err);
    wbt_run_free(&r);
    ASSERT_MSG(wbt_same_bytes(wbt_tmp("t.db"), wbt_tmp("before.db")), "'%s' changed the database", cmd);
    struct stat sb;
    ASSERT_MSG(stat(wbt_tmp("t.db-wal"), &sb) != 0 || sb.st_size == 0, "'%s' left a WAL", cmd);
}

#define HEAD "from_code,from_year,to_code,to_year,addresses\n"
#define GOOD HEAD "WK999700,2000,WK999710,2001,5\nWK999701,2000,WK999711,2001,5\n"

TEST(cli_crosswalk, bad_input_one_line_nothing_stored)
{
    areas_db();
    snapshot();
    wbt_write(wbt_tmp("unknown.csv"), GOOD "WK999702,2000,WK999719,2001,5\n");
    fails("import crosswalk unknown.csv",
          "unknown.csv:4:15: unknown wijk WK999719 in 2001: the stored 2001 division has no such code");
    wbt_write(wbt_tmp("shares.csv"), "from_code,from_year,to_code,to_year,share\n"
                                     "WK999700,2000,WK999710,2001,1\nWK999701,2000,WK999711,2001,0.5\n"
                                     "WK999701,2000,WK999712,2001,0.4\n");
    fails("import crosswalk shares.csv", "shares.csv:3: the shares of WK999701 (2000) add up to 0.9, expected 1 (within 1e-6)");
    wbt_write(wbt_tmp("zero.csv"), GOOD "WK999702,2000,WK999712,2001,0\n");
    fails("import crosswalk zero.csv", "zero.csv:4: the weights of WK999702 (2000) add up to 0: its shares are undefined");
    wbt_write(wbt_tmp("twice.csv"), GOOD "WK999700,2000,wk999710 ,2001,7\n");
    fails("import crosswalk twice.csv",
          "twice.csv:4: the pair WK999700 -> WK999710 (2000 -> 2001) is listed twice (first on line 2)");
    wbt_write(wbt_tmp("neg.csv"), GOOD "WK999702,2000,WK999712,2001,-3\n");
    fails("import crosswalk neg.csv", "neg.csv:4:29: column 'addresses': expected a weight >= 0, got '-3'");
    wbt_write(wbt_tmp("levels.csv"), GOOD "WK999702,2000,BU99971200,2001,3\n");
    fails("import crosswalk levels.csv", "levels.csv:4: expected codes of one level (wijk, as on line 2), got WK999702 -> BU99971200");
    wbt_write(wbt_tmp("year.csv"), GOOD "WK999702,2000,WK999712,20x1,3\n");
    fails("import crosswalk year.csv", "year.csv:4:24: column 'to_year': expected a year (1800..2200), got '20x1'");
    wbt_write(wbt_tmp("noyear.csv"), GOOD "WK999702,2000,WK999712,2003,3\n");
    fails("import crosswalk noyear.csv", "noyear.csv:4:15: wijk WK999712 of 2003: no wijk areas of 2003 are stored");
    wbt_write(wbt_tmp("head.csv"), "from,to,n\nWK999700,WK999710,1\n");
    fails("import crosswalk head.csv", "head.csv:1: expected the columns van_jaar,naar_jaar,wijk_van,wijk_naar,n_adressen");
    wbt_write(wbt_tmp("w.csv"), "from_code,from_year,to_code,to_year,weight\nWK999700,2000,WK999710,2001,1\n");
    fails("import crosswalk w.csv", "w.csv:1: the column 'weight' needs --weight addresses|area|inhabitants|INDICATOR");
    wbt_write(wbt_tmp("vng.csv"), "van_jaar,naar_jaar,wijk_van,wijk_naar,n_adressen\n1999,2000,WK999700,WK999700,1\n");
    fails("import crosswalk vng.csv", "vng.csv:2: the VNG layout links the wijk areas of 1999 that its rows leave out 1:1");
    fails("crosswalk derive --level wijk --from-year 2000 --to-year 2001",
          "no wijk geometries for 2000 (import them with 'import geo')");
    /* a stored crosswalk 2000 -> 2001: another for the same years (either way) is refused */
    wbt_write(wbt_tmp("good.csv"), GOOD);
    run_ok("--db t.db --quiet import crosswalk %s", "good.csv");
    snapshot();
    wbt_write(wbt_tmp("back.csv"), HEAD "WK999710,2001,WK999700,2000,5\n");
    fails("import crosswalk back.csv", "back.csv: crosswalk 'good' (source: good.csv (plain layout)) already links the "
                                       "wijk areas of 2000 and 2001: one crosswalk per level and pair of years");
    fails("import crosswalk good.csv --name other", "already links the wijk areas of 2000 and 2001");
    fails("import crosswalk good.csv", "a crosswalk named 'good' is stored already");
}

/* A derived crosswalk that overlaps an imported one is refused the same way. */
TEST(cli_crosswalk, derive_store_overlapping_refused)
{
    aw_db();
    wbt_write(wbt_tmp("imp.csv"), HEAD "BU99980001,2000,BU99980001,2001,5\n");
    run_ok("--db t.db --quiet import crosswalk %s", "imp.csv");
    snapshot();
    fails("crosswalk derive --level buurt --from-year 2001 --to-year 2000 --store",
          "crosswalk 'imp' (source: imp.csv (plain layout)) already links the buurt areas of 2000 and 2001");
    /* --replace takes its place */
    wbt_run_result r = wbt_run(NULL, "--db t.db crosswalk derive --level buurt --from-year 2001 --to-year 2000 --store --replace");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db crosswalk list --format csv");
    ASSERT_MSG(strstr(r.out, "\nbuurt_2001_2000_area,buurt,2001,2000,area,derived from polygons") && !strstr(r.out, "imp,"),
               "%s", r.out);
    wbt_run_free(&r);
}
