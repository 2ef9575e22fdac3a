/** @file @brief The tabular importers through the library API, on small hand-written files
 *  (every expected number below is counted from the file text in the test itself). */
#include <stdlib.h>

#include "io/import_internal.h"
#include "store/store_internal.h"
#include "test.h"

static wb_store *fresh(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    return st;
}

static const char *file(const char *name, const char *text)
{
    const char *p = wbt_tmp(name);
    wbt_write(p, text);
    return p;
}

/* One value (NaN when missing or absent). */
static double value(wb_store *st, const char *key, const char *code, int byear, int year, int *found)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.boundary_year = byear;
    q.year = year;
    q.with_missing = 1;
    wb_value *v = NULL;
    size_t n = 0;
    double out = NAN;
    if (found)
        *found = 0;
    if (wb_store_values(st, &v, &n, NULL, &q) == 0 && n == 1) {
        out = v[0].value;
        if (found)
            *found = 1;
    }
    wb_free(v);
    return out;
}

static long long count(wb_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    WB_PASS(wb_store__prepare(st, &s, sql));
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

TEST(io_import, wide_csv_maps_aliases_and_creates_new_indicators)
{
    wb_store *st = fresh();
    const char *p = file("w.csv", "gwb_code;regio;jaar;aant_inw;Nieuwe maat (%);gm_naam\n"
                                  "GM0363;Amsterdam;2019;862965;12,5;Amsterdam\n"
                                  "WK036300  ;Burgwallen-Oude Zijde;2019;.;x;Amsterdam\n");
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.decimal_comma = 1;
    wb_import_stats s;
    WB_PASS(wb_import_csv(st, &s, p, &o));
    ASSERT_EQ_I(s.rows, 2);
    ASSERT_EQ_I(s.areas, 2);
    ASSERT_EQ_I(s.new_areas, 2);
    ASSERT_EQ_I(s.indicators, 2);
    ASSERT_EQ_I(s.new_indicators, 1);
    ASSERT_EQ_I(s.values, 4);
    ASSERT_EQ_I(s.missing, 2);
    ASSERT_EQ_I(s.ignored_cols, 1); /* gm_naam */
    ASSERT_CLOSE(value(st, "a_inw", "GM0363", 2019, 2019, NULL), 862965, 0);
    ASSERT_CLOSE(value(st, "nieuwe_maat", "GM0363", 2019, 2019, NULL), 12.5, 0);
    int found;
    ASSERT(isnan(value(st, "a_inw", "WK036300", 2019, 2019, &found)));
    ASSERT(found); /* stored as missing, not left out and not 0 */
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation WHERE value = 0"), 0);
    /* the new indicator: header as label, unit from the parentheses, header as alias */
    int64_t id;
    char key[64];
    WB_PASS(wb_store_indicator_resolve(st, &id, key, "Nieuwe maat (%)"));
    ASSERT_EQ_S(key, "nieuwe_maat");
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM indicator WHERE key = 'nieuwe_maat' AND unit = '%' "
                          "AND label_nl = 'Nieuwe maat (%)'"),
                1);
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "WK036300", 2019));
    ASSERT_EQ_S(a->name, "Burgwallen-Oude Zijde");
    ASSERT_EQ_S(a->parent, "GM0363");
    wb_areas_free(a, 1);
    /* importing again replaces, creates nothing new */
    WB_PASS(wb_import_csv(st, &s, p, &o));
    ASSERT_EQ_I(s.new_areas, 0);
    ASSERT_EQ_I(s.new_indicators, 0);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation"), 4);
    wb_store_free(st);
}

TEST(io_import, boundary_year_defaults_to_the_data_year_and_can_be_set)
{
    wb_store *st = fresh();
    const char *p = file("b.csv", "code,year,v\nWK036300,2014,1\nWK036300,2016,2\n");
    WB_PASS(wb_import_csv(st, NULL, p, NULL));
    /* one area per year: never joined across years on the code alone */
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM area WHERE code = 'WK036300'"), 2);
    ASSERT_CLOSE(value(st, "v", "WK036300", 2014, 2014, NULL), 1, 0);
    wb_store_free(st);
    st = fresh();
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.boundary_year = 2016;
    wb_import_stats s;
    WB_PASS(wb_import_csv(st, &s, p, &o));
    ASSERT_EQ_I(s.boundary_year, 2016);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM area WHERE code = 'WK036300' AND year = 2016"), 1);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM area"), 1); /* parents are not created, only named */
    wb_store_free(st);
}

TEST(io_import, year_from_option_column_or_statline_period_with_filters)
{
    wb_store *st = fresh();
    const char *p = file("p.csv", "\"Perioden\";\"Regiocode\";\"v\"\n\"2018JJ00\";\"GM0363\";1\n"
                                  "\"2019JJ00\";\"GM0363\";2\n\"2019JJ00\";\"WK036300\";3\n");
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.year = 2019;
    o.level = WB_LEVEL_GEMEENTE;
    wb_import_stats s;
    WB_PASS(wb_import_csv(st, &s, p, &o));
    ASSERT_EQ_I(s.rows, 3);
    ASSERT_EQ_I(s.skipped, 2); /* 2018 by --year, the wijk by --level */
    ASSERT_EQ_I(s.values, 1);
    ASSERT_CLOSE(value(st, "v", "GM0363", 2019, 2019, NULL), 2, 0);
    /* without a year column --year gives the year; without both it is an error */
    const char *q = file("q.csv", "code,v\n363,5\n");
    o = (wb_import_opts)WB_IMPORT_OPTS_INIT;
    WB_FAILS(WB_EINVALID, wb_import_csv(st, NULL, q, &o));
    ASSERT(strstr(wb_error_last()->message, "q.csv:1: expected a year column") != NULL);
    o.year = 2020;
    o.level = WB_LEVEL_GEMEENTE; /* a bare number is a gemeente code */
    WB_PASS(wb_import_csv(st, NULL, q, &o));
    ASSERT_CLOSE(value(st, "v", "GM0363", 2020, 2020, NULL), 5, 0);
    wb_store_free(st);
}

TEST(io_import, long_format_and_its_duplicates)
{
    wb_store *st = fresh();
    const char *p = file("l.csv", "code,indicator,value,year\nGM0363,a_inw,100,2019\n"
                                  "GM0363,aant_inw,110,2020\nGM0363,eigen,-,2019\n");
    wb_import_stats s;
    WB_PASS(wb_import_csv(st, &s, p, NULL));
    ASSERT_EQ_I(s.values, 3);
    ASSERT_EQ_I(s.missing, 1);
    ASSERT_EQ_I(s.indicators, 2);
    ASSERT_CLOSE(value(st, "a_inw", "GM0363", 2020, 2020, NULL), 110, 0);
    const char *d = file("d.csv", "code,indicator,value,year\nGM0363,a_inw,100,2019\n"
                                  "GM0362,a_inw,1,2019\nGM0363,aant_inw,110,2019\n");
    WB_FAILS(WB_ECONFLICT, wb_import_csv(st, &s, d, NULL));
    ASSERT(strstr(wb_error_last()->message, "d.csv:4: expected one row per area and year, got a "
                                            "second row for GM0363 in 2019, indicator 'aant_inw' "
                                            "(the first is on line 2)") != NULL);
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.long_format = 1;
    const char *w = file("w.csv", "code,year,a_inw\nGM0363,2019,1\n");
    WB_FAILS(WB_EINVALID, wb_import_csv(st, &s, w, &o));
    ASSERT(strstr(wb_error_last()->message, "--long") != NULL);
    wb_store_free(st);
}

TEST(io_import, a_failed_import_writes_nothing)
{
    wb_store *st = fresh();
    const char *ok = file("ok.csv", "code,year,v\nGM0363,2019,1\n");
    WB_PASS(wb_import_csv(st, NULL, ok, NULL));
    long long areas = count(st, "SELECT count(*) FROM area"),
              inds = count(st, "SELECT count(*) FROM indicator"),
              obs = count(st, "SELECT count(*) FROM observation"),
              logs = count(st, "SELECT count(*) FROM import_log");
    /* new areas, a new indicator and values come before the bad last line */
    const char *bad = file("bad.csv", "code,year,v,w\nGM0362,2019,1,2\nGM0361,2019,2,3\n"
                                      "GM0360,2019,3,drie\n");
    WB_FAILS(WB_EPARSE, wb_import_csv(st, NULL, bad, NULL));
    ASSERT(strstr(wb_error_last()->message, "bad.csv:4:15: column 'w': expected a number") != NULL);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM area"), areas);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM indicator"), inds);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation"), obs);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM import_log"), logs);
    /* and the store still works: the area cache forgot the rolled-back ids */
    WB_PASS(wb_import_csv(st, NULL, ok, NULL));
    const char *ok2 = file("ok2.csv", "code,year,v\nGM0362,2019,7\n");
    WB_PASS(wb_import_csv(st, NULL, ok2, NULL));
    ASSERT_CLOSE(value(st, "v", "GM0362", 2019, 2019, NULL), 7, 0);
    wb_store_free(st);
}

TEST(io_import, column_problems_are_named)
{
    wb_store *st = fresh();
    wb_import_stats s;
    const char *two = file("two.csv", "code,year,a_inw,AantalInwoners_5\nGM0363,2019,1,1\n");
    WB_FAILS(WB_EINVALID, wb_import_csv(st, &s, two, NULL));
    ASSERT(strstr(wb_error_last()->message, "both hold indicator a_inw") != NULL);
    const char *nokey = file("nokey.csv", "x,y\n1,2\n");
    WB_FAILS(WB_EINVALID, wb_import_csv(st, &s, nokey, NULL));
    ASSERT(strstr(wb_error_last()->message, "nokey.csv:1: expected an area code column") != NULL);
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.key_column = "x";
    o.year = 2019;
    o.skip_columns = "y";
    WB_FAILS(WB_EINVALID, wb_import_csv(st, &s, nokey, &o));
    ASSERT(strstr(wb_error_last()->message, "expected at least one indicator column") != NULL);
    o.key_column = "nope";
    WB_FAILS(WB_EINVALID, wb_import_csv(st, &s, nokey, &o));
    ASSERT(strstr(wb_error_last()->message, "expected a column 'nope' (--key)") != NULL);
    const char *cw = file("cw.csv", "van_jaar,naar_jaar,wijk_van,wijk_naar,n_adressen\n"
                                    "2016,2017,WK000900,WK000900,2441\n");
    WB_FAILS(WB_EINVALID, wb_import_csv(st, &s, cw, NULL));
    ASSERT(strstr(wb_error_last()->message, "boundary crosswalk") != NULL);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM indicator"), 0); /* rolled back, even the seed */
    wb_store_free(st);
}

static size_t progress_calls, progress_last;
static void on_progress(void *payload, const char *what, size_t done, size_t total)
{
    (void)payload;
    ASSERT(strstr(what, "big.csv") != NULL);
    ASSERT(done <= total);
    progress_calls++;
    progress_last = done;
}

TEST(io_import, progress_is_reported_for_long_files)
{
    const char *p = wbt_tmp("big.csv");
    FILE *f = fopen(p, "w");
    ASSERT(f != NULL);
    fputs("code,year,v\n", f);
    for (int i = 0; i < 10000; i++)
        fprintf(f, "BU%08d,2020,%d\n", i, i);
    fclose(f);
    wb_store *st = fresh();
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.progress = on_progress;
    wb_import_stats s;
    WB_PASS(wb_import_csv(st, &s, p, &o));
    ASSERT_EQ_I(s.areas, 10000);
    ASSERT_EQ_I(progress_calls, 3); /* after 4096 and 8192 rows, and at the end */
    size_t len = 0;
    free(wbt_slurp(p, &len));
    ASSERT_EQ_I(progress_last, len);
    wb_store_free(st);
}

/* A StatLine codebook next to the file gives labels; a percentage under a count's key goes to
 * the percentage twin. */
TEST(io_import, kwb_codebook_labels_and_unit_check)
{
    const char *dir = wbt_tmpdir();
    char path[4096], cb[4096];
    snprintf(cb, sizeof cb, "%s/kwb2013_DataProperties.json", dir);
    wbt_write(cb, "[{\"Type\":\"GeoDetail\",\"Key\":\"WijkenEnBuurten\",\"MapYear\":2013},"
                  "{\"Type\":\"Topic\",\"Key\":\"k_0Tot15Jaar_8\",\"Title\":\"0 tot 15 jaar\",\"Unit\":\"%\"},"
                  "{\"Type\":\"Topic\",\"Key\":\"NieuwbouwWoningen_36\",\"Title\":\"Nieuwbouw woningen \",\"Unit\":\"aantal\"},"
                  "{\"Type\":\"Topic\",\"Key\":\"AantalInwoners_5\",\"Title\":\"Aantal inwoners\",\"Unit\":\"aantal\"}]");
    snprintf(path, sizeof path, "%s/kwb2013_extract.csv", dir);
    wbt_write(path, "gwb_code,level,AantalInwoners_5,k_0Tot15Jaar_8,NieuwbouwWoningen_36\n"
                    "GM0363,GM,800000,17,3000\nWK036300,WK,,.,12\n");
    wb_store *st = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, &s, path, NULL));
    ASSERT_EQ_I(s.min_year, 2013); /* the codebook's MapYear */
    ASSERT_CLOSE(value(st, "a_inw", "GM0363", 2013, 2013, NULL), 800000, 0);
    ASSERT_CLOSE(value(st, "p_00_14", "GM0363", 2013, 2013, NULL), 17, 0);
    int found;
    value(st, "a_00_14", "GM0363", 2013, 2013, &found);
    ASSERT(!found);
    ASSERT(strstr(s.note, "k_0Tot15Jaar_8 is in '%' here: imported as p_00_14") != NULL);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM indicator WHERE key = 'nieuwbouw_woningen' AND "
                          "label_nl = 'Nieuwbouw woningen' AND unit = 'aantal'"),
                1);
    /* next year's table numbers the same topic differently: it resolves to the same key */
    int64_t id;
    char key[64];
    WB_PASS(wb_catalog_resolve(st, &id, key, "NieuwbouwWoningen_40"));
    ASSERT_EQ_S(key, "nieuwbouw_woningen");
    /* the level column is checked against the code */
    snprintf(path, sizeof path, "%s/kwb-2015.csv", dir);
    wbt_write(path, "gwb_code,recs,a_inw\nGM0363,Gemeente,1\nWK036300,Buurt,2\n");
    WB_FAILS(WB_EPARSE, wb_import_kwb(st, &s, path, NULL));
    ASSERT(strstr(wb_error_last()->message, "kwb-2015.csv:3:10: column 'recs': expected the level of "
                                            "WK036300 (wijk), got 'Buurt'") != NULL);
    wb_store_free(st);
}

TEST(io_import, lbm_layouts)
{
    wb_store *st = fresh();
    const char *cls = file("cls.csv", "WK_CODE,KL12,KL16,VKL1216\nWK000300,6,#N/A,4\n");
    wb_import_stats s;
    WB_PASS(wb_import_lbm(st, &s, cls, NULL));
    ASSERT_EQ_I(s.boundary_year, 2016); /* the latest column year */
    ASSERT_CLOSE(value(st, "lbm_klasse", "WK000300", 2016, 2012, NULL), 6, 0);
    int found;
    ASSERT(isnan(value(st, "lbm_klasse", "WK000300", 2016, 2016, &found)));
    ASSERT(found);
    ASSERT_CLOSE(value(st, "lbm_vklasse_2012", "WK000300", 2016, 2016, NULL), 4, 0);
    const char *dev = file("dev.csv", "GBD,BEGIN,EINDE,DLBRMTR,DLBBEV\nWK000300,2012,2014,0.5,0.1\n"
                                      "WK000300,2012,2016,0.25,0.2\nWK000300,2014,2016,-0.25,0.3\n");
    WB_PASS(wb_import_lbm(st, &s, dev, NULL));
    ASSERT_EQ_I(s.values, 6);
    ASSERT_CLOSE(value(st, "lbm_ontw_2012", "WK000300", 2016, 2016, NULL), 0.25, 0);
    ASSERT_CLOSE(value(st, "lbm_ontw_2014", "WK000300", 2016, 2016, NULL), -0.25, 0);
    ASSERT_CLOSE(value(st, "lbm_soc_ontw_2012", "WK000300", 2016, 2014, NULL), 0.1, 0);
    const char *dup = file("dup.csv", "GBD,BEGIN,EINDE,DLBRMTR\nWK000300,2012,2016,1\nWK000300,2012,2016,2\n");
    WB_FAILS(WB_ECONFLICT, wb_import_lbm(st, &s, dup, NULL));
    ASSERT(strstr(wb_error_last()->message, "period 2012-2016") != NULL);
    const char *l3 = file("l3.csv", "1,wk_code,wk_naam,jaar,lbm,afw,won,kscore\n"
                                    "3,WK036201,Randwijck,2014,4.3,0.2,0.1,7\n");
    WB_PASS(wb_import_lbm(st, &s, l3, NULL));
    ASSERT_EQ_I(s.ignored_cols, 1); /* the row index "1" */
    ASSERT_CLOSE(value(st, "lbm", "WK036201", 2014, 2014, NULL), 0.2, 0);
    ASSERT_CLOSE(value(st, "lbm_abs", "WK036201", 2014, 2014, NULL), 4.3, 0);
    ASSERT_CLOSE(value(st, "lbm_klasse", "WK036201", 2014, 2014, NULL), 7, 0);
    const char *other = file("other.csv", "GBD,JAAR,RLBRMTR,inkomen\nWK000300,2016,0.1,30\n");
    WB_FAILS(WB_EINVALID, wb_import_lbm(st, &s, other, NULL));
    ASSERT(strstr(wb_error_last()->message, "column 4 'inkomen': expected a Leefbaarometer column") != NULL);
    wb_store_free(st);
}

TEST(io_import, labels_match_codes_and_names)
{
    wb_store *st = fresh();
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_area_put(st, NULL, "WK051827", 2016, WB_LEVEL_WIJK, "Wijk 27 Stationsbuurt", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK020203", 2016, WB_LEVEL_WIJK, "Arnhemse broek", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK036375", 2016, WB_LEVEL_WIJK, "Chass\xC3\xA9" "buurt", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "BU05180000", 2016, WB_LEVEL_BUURT, "Noord", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "BU05180001", 2016, WB_LEVEL_BUURT, "Noord", NULL));
    WB_PASS(wb_store_commit(st));
    const char *p = file("aw.csv", "nr,gemeente,gm_code,wijk_naam\n1,Den Haag,GM0518,Stationsbuurt\n"
                                   "2,Arnhem,GM0202,Het Arnhemse Broek\n3,Amsterdam,GM0363,chassebuurt\n"
                                   "4,Den Haag,GM0518,Noord\n5,Utrecht,GM0344,Overvecht\n");
    wb_label_result res = WB_LABEL_RESULT_INIT;
    WB_PASS(wb_import_labels(st, &res, p, "aw", NULL));
    ASSERT_EQ_I(res.year, 2016); /* the latest year in the store */
    ASSERT_EQ_I(res.n, 5);
    ASSERT_EQ_I(res.matched, 3);
    ASSERT_EQ_S(res.rows[0].code, "WK051827");
    ASSERT_EQ_I(res.rows[0].kind, WB_MATCH_NAME);
    ASSERT_EQ_S(res.rows[1].code, "WK020203");
    ASSERT_EQ_S(res.rows[2].code, "WK036375");
    ASSERT_EQ_I(res.rows[3].kind, WB_MATCH_AMBIGUOUS);
    ASSERT_EQ_S(res.rows[3].name, "BU05180000 BU05180001");
    ASSERT_EQ_I(res.rows[4].kind, WB_MATCH_NONE);
    ASSERT_EQ_I(res.rows[4].line, 6);
    wb_label_result_dispose(&res);
    wb_area *m = NULL;
    size_t n;
    WB_PASS(wb_store_label_members(st, &m, &n, "aw"));
    ASSERT_EQ_I(n, 3);
    wb_areas_free(m, n);
    /* a match file resolves the rest, several codes for one name */
    const char *mf = file("match.csv", "gm_code,name,code\nGM0518,Noord,BU05180000\n"
                                       "GM0518,Noord,BU05180001\n");
    wb_label_opts o = WB_LABEL_OPTS_INIT;
    o.match_file = mf;
    WB_PASS(wb_import_labels(st, &res, p, "aw2", &o));
    ASSERT_EQ_I(res.rows[3].kind, WB_MATCH_FILE);
    ASSERT_EQ_I(res.rows[3].nareas, 2);
    ASSERT_EQ_I(res.members, 5);
    wb_label_result_dispose(&res);
    /* by code; nothing matched is an error that writes nothing */
    const char *codes = file("codes.csv", "code\nWK051827\nWK999999\n");
    WB_PASS(wb_import_labels(st, &res, codes, "c", NULL));
    ASSERT_EQ_I(res.matched, 1);
    wb_label_result_dispose(&res);
    const char *none = file("none.csv", "code\nWK999999\n");
    WB_FAILS(WB_ENOTFOUND, wb_import_labels(st, &res, none, "none", NULL));
    ASSERT(strstr(wb_error_last()->message, "expected at least one row to match") != NULL);
    wb_label_result_dispose(&res);
    WB_FAILS(WB_ENOTFOUND, wb_store_label_members(st, &m, &n, "none"));
    wb_store_free(st);
}

/* A match file in the form of data/aandachtswijken_2007_wijk2016.csv: several codes in one
 * field, a quality column and --match-quality. A row the match file knows is never matched
 * by name: Maastricht 'Noordoost' is the hand-matched WK093504 although WK093505 is named
 * 'Buitenwijk Noordoost'; an excluded row stays out even where a name would match. */
TEST(io_import, labels_match_file_with_code_lists_and_quality)
{
    wb_store *st = fresh();
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_store_area_put(st, NULL, "WK093504", 2016, WB_LEVEL_WIJK, "Buitenwijk Oost", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK093505", 2016, WB_LEVEL_WIJK, "Noordoost", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK059905", 2016, WB_LEVEL_WIJK, "Noord", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK059910", 2016, WB_LEVEL_WIJK, "Feijenoord", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK059915", 2016, WB_LEVEL_WIJK, "Charlois", NULL));
    WB_PASS(wb_store_area_put(st, NULL, "WK034402", 2016, WB_LEVEL_WIJK, "Ondiep", NULL));
    WB_PASS(wb_store_commit(st));
    const char *p = file("aw.csv", "nr,gemeente,gm_code,wijk_naam\n1,Maastricht,GM0935,Noordoost\n"
                                   "2,Rotterdam,GM0599,Oud Zuid\n3,Rotterdam,GM0599,Noord\n"
                                   "4,Utrecht,GM0344,Ondiep\n5,Utrecht,GM0344,Nergens\n");
    const char *mf = file("m.csv", "nr,gemeente,gm_code,wijk_naam,wk_codes,match,note\n"
                                   "1,Maastricht,GM0935,Noordoost,WK093504,approx,\"not 05\"\n"
                                   "2,Rotterdam,GM0599,Oud Zuid,WK059910;WK059915,approx,two wijken\n"
                                   "4,Utrecht,GM0344,Ondiep,WK034402,coarse,\"a buurt, in a big wijk\"\n"
                                   "5,Utrecht,GM0344,Nergens,,none,no wijk\n");
    wb_label_opts o = WB_LABEL_OPTS_INIT;
    o.match_file = mf;
    wb_label_result res = WB_LABEL_RESULT_INIT;
    WB_PASS(wb_import_labels(st, &res, p, "all", &o));
    ASSERT_EQ_I(res.n, 5);
    ASSERT_EQ_I(res.rows[0].kind, WB_MATCH_FILE);
    ASSERT_EQ_S(res.rows[0].code, "WK093504");
    ASSERT_EQ_S(res.rows[0].quality, "approx");
    ASSERT_EQ_I(res.rows[1].kind, WB_MATCH_FILE);
    ASSERT_EQ_I(res.rows[1].nareas, 2);
    ASSERT_EQ_I(res.rows[2].kind, WB_MATCH_NAME); /* not in the match file: by name */
    ASSERT(res.rows[2].quality == NULL);
    ASSERT_EQ_I(res.rows[3].kind, WB_MATCH_FILE);
    ASSERT_EQ_S(res.rows[3].quality, "coarse");
    ASSERT_EQ_I(res.rows[4].kind, WB_MATCH_NONE); /* known to the match file, no area */
    ASSERT_EQ_S(res.rows[4].quality, "none");
    ASSERT_EQ_I(res.matched, 4);
    ASSERT_EQ_I(res.members, 5);
    wb_label_result_dispose(&res);
    /* only exact and approximate matches: the coarse row is excluded, not matched by name */
    o.match_quality = "exact, approx";
    WB_PASS(wb_import_labels(st, &res, p, "core", &o));
    ASSERT_EQ_I(res.rows[3].kind, WB_MATCH_EXCLUDED);
    ASSERT_EQ_S(res.rows[3].quality, "coarse");
    ASSERT_EQ_I(res.rows[3].nareas, 0);
    ASSERT_EQ_I(res.matched, 3);
    ASSERT_EQ_I(res.members, 4);
    wb_label_result_dispose(&res);
    /* errors: a bad code in a list names file, line and column; a quality filter needs a
     * quality column, and a match file */
    const char *bad = file("bad.csv", "gm_code,wijk_naam,wk_codes\nGM0599,Oud Zuid,WK059910;WK0599\n");
    o.match_file = bad;
    o.match_quality = NULL;
    WB_FAILS(WB_EPARSE, wb_import_labels(st, &res, p, "bad", &o));
    ASSERT_MSG(strstr(wb_error_last()->message, "bad.csv:2:17: column 'wk_codes'") != NULL, "%s",
               wb_error_last()->message);
    wb_label_result_dispose(&res);
    o.match_quality = "exact";
    WB_FAILS(WB_EINVALID, wb_import_labels(st, &res, p, "bad", &o));
    ASSERT(strstr(wb_error_last()->message, "expected a quality column") != NULL);
    wb_label_result_dispose(&res);
    o.match_file = NULL;
    WB_FAILS(WB_EINVALID, wb_import_labels(st, &res, p, "bad", &o));
    wb_label_result_dispose(&res);
    wb_area *m = NULL;
    size_t n;
    WB_FAILS(WB_ENOTFOUND, wb_store_label_members(st, &m, &n, "bad"));
    wb_store_free(st);
}

/* The bulk path: the secondary indexes of observation are dropped during a large import and
 * created again before the commit; after a failure they are back as well. */
TEST(io_import, bulk_import_rebuilds_the_indexes)
{
    wb_imp__bulk_min_values = 1000;
    const char *p = wbt_tmp("bulk.csv");
    FILE *f = fopen(p, "w");
    ASSERT(f != NULL);
    fputs("code,year,a,b\n", f);
    for (int i = 0; i < 9000; i++)
        fprintf(f, "BU%08d,%d,%d,%d.25\n", i % 3000, 2020 + i / 3000, i, i);
    fclose(f);
    wb_store *st = fresh();
    const char *idx = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observation' AND sql IS NOT NULL";
    long long nidx = count(st, idx);
    ASSERT(nidx >= 1);
    wb_import_stats s;
    WB_PASS(wb_import_csv(st, &s, p, NULL));
    ASSERT_EQ_I(s.values, 18000);
    ASSERT_EQ_I(count(st, idx), nidx);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation INDEXED BY observation_area WHERE area_id > 0"), 18000);
    ASSERT_CLOSE(value(st, "b", "BU00002999", 2022, 2022, NULL), 8999.25, 0);
    /* foreign keys are on again after the import */
    ASSERT_EQ_I(count(st, "PRAGMA foreign_keys"), 1);
    f = fopen(p, "a");
    fputs("BU00000001,2023,1,drie\n", f);
    fclose(f);
    WB_FAILS(WB_EPARSE, wb_import_csv(st, &s, p, NULL));
    ASSERT_EQ_I(count(st, idx), nidx);
    ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation"), 18000);
    ASSERT_EQ_I(count(st, "PRAGMA foreign_keys"), 1);
    wb_store_free(st);
}

/* Every allocation of an import failing in turn: the import reports an error (no crash, no
 * leak under LeakSanitizer) and leaves the store as it was. */
TEST(io_import, allocation_failures_roll_back)
{
    const char *p = file("a.csv", "code;naam;jaar;a_inw;nieuw\nGM0363;Amsterdam;2019;1;2\n"
                                  "WK036300;Centrum;2019;.;3\nWK036300;Centrum;2020;4;5\n");
    int succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n++) {
        wb_store *st = fresh();
        wb_alloc_fail_after(n);
        int r = wb_import_csv(st, NULL, p, NULL);
        wb_alloc_fail_after(-1);
        if (r == 0) {
            succeeded = 1;
            ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation"), 6);
        } else {
            ASSERT_MSG(r == WB_ENOMEM || r == WB_ESTORE, "n=%ld: %d %s", n, r, wb_error_last()->message);
            ASSERT_EQ_I(count(st, "SELECT count(*) FROM observation"), 0);
            ASSERT_EQ_I(count(st, "SELECT count(*) FROM area"), 0);
        }
        wb_store_free(st);
    }
    ASSERT(succeeded);
}
