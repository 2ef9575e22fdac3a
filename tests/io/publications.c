/**
 * @file
 * @brief The publications as their publishers lay them out, through the library API: the
 * kwb-YYYY tables as XLSX, XLS and CSV, StatLine OData JSON, the CBS Wijk- en Buurtkaart
 * GeoPackage, registered crime (47018NED) as typed CSV and OData JSON, and the Leefbaarometer
 * 3.0 open-data layouts. The fixtures are in tests/data/publications (made by its make.sh with
 * ogr2ogr and Perl's Spreadsheet::WriteExcel, not by wijkbeeld); the expected values below are
 * the cells make.sh writes, and every derived number is worked out in the test.
 */
#include <math.h>
#include <stdlib.h>

#include "test.h"

#define PUB "publications/"

static wb_store *fresh(void)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    return st;
}

/* One stored value; NaN when missing; fails the test when there is none at all. */
static double value(wb_store *st, const char *key, const char *code, int byear, int year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.boundary_year = byear;
    q.year = year;
    q.with_missing = 1;
    wb_value *v = NULL;
    size_t n = 0;
    WB_PASS(wb_store_values(st, &v, &n, NULL, &q));
    ASSERT_MSG(n == 1, "%s of %s (%d on %d): %zu values, expected 1", key, code, year, byear, n);
    double out = v[0].value;
    wb_free(v);
    return out;
}

/* 1 when the store has any value (missing or not) of @p key for @p code. */
static int has_value(wb_store *st, const char *key, const char *code, int byear, int year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.boundary_year = byear;
    q.year = year;
    q.with_missing = 1;
    wb_value *v = NULL;
    size_t n = 0;
    int r = wb_store_values(st, &v, &n, NULL, &q);
    wb_free(v);
    wb_error_clear();
    return r == 0 && n > 0;
}

/* The kerncijfers of GM0999 Proefstad in 2023 as make.sh writes them (kwb-2023.xlsx, the
 * OData JSON and the Wijk- en Buurtkaart); NAN where the file has a missing mark. */
static const struct {
    const char *code, *name;
    wb_level level;
    double a_inw, a_man, a_vrouw, g_woz, p_koopw;
} kwb2023[] = {
    {"GM0999", "Proefstad", WB_LEVEL_GEMEENTE, 12000, 5950, 6050, 310, 55.5},
    {"WK099901", "Wijk 01 Centrum", WB_LEVEL_WIJK, 7000, 3480, 3520, 280, 40.2},
    {"BU09990101", "Oude Kern", WB_LEVEL_BUURT, 3000, 1490, 1510, 250, 35},
    {"BU09990102", "Havenkwartier", WB_LEVEL_BUURT, 4000, 1990, 2010, 300, 44.1},
    {"WK099902", "Wijk 02 Noord", WB_LEVEL_WIJK, 5000, 2470, 2530, NAN, 76.1},
    {"BU09990201", "Noorderpark", WB_LEVEL_BUURT, 5000, 2470, 2530, NAN, NAN},
};
#define NKWB (sizeof kwb2023 / sizeof kwb2023[0])

static void check_kwb2023(wb_store *st, int with_vrouw)
{
    for (size_t i = 0; i < NKWB; i++) {
        const char *c = kwb2023[i].code;
        ASSERT_CLOSE(value(st, "a_inw", c, 2023, 2023), kwb2023[i].a_inw, 0);
        ASSERT_CLOSE(value(st, "a_man", c, 2023, 2023), kwb2023[i].a_man, 0);
        if (with_vrouw)
            ASSERT_CLOSE(value(st, "a_vrouw", c, 2023, 2023), kwb2023[i].a_vrouw, 0);
        ASSERT_CLOSE(value(st, "g_woz", c, 2023, 2023), kwb2023[i].g_woz, 0);
        ASSERT_CLOSE(value(st, "p_koopw", c, 2023, 2023), kwb2023[i].p_koopw, 0);
    }
}

TEST(io_publications, kwb_xlsx_as_published)
{
    wb_store *st = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "kwb-2023.xlsx"), NULL));
    /* 6 rows x 6 indicators (a_inw a_man a_vrouw g_wozbag p_koopw a_bedv); missing: g_wozbag
     * '.' twice, p_koopw of BU09990201 an empty cell; a_bedv is the one new indicator */
    ASSERT_EQ_I(s.rows, 6);
    ASSERT_EQ_I(s.areas, 6);
    ASSERT_EQ_I(s.indicators, 6);
    ASSERT_EQ_I(s.new_indicators, 1);
    ASSERT_EQ_I(s.values, 36);
    ASSERT_EQ_I(s.missing, 3);
    ASSERT_EQ_I(s.min_year, 2023); /* from the file name, and the codebook's MapYear agrees */
    check_kwb2023(st, 1);
    ASSERT_CLOSE(value(st, "a_bedv", "GM0999", 2023, 2023), 640, 0);
    /* names from regio, levels checked against recs */
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "WK099901", 2023));
    ASSERT_EQ_S(a->name, "Wijk 01 Centrum");
    ASSERT_EQ_I(a->level, WB_LEVEL_WIJK);
    ASSERT_EQ_S(a->parent, "GM0999");
    wb_areas_free(a, 1);
    wb_store_free(st);
}

TEST(io_publications, kwb_xls_of_2013_with_an_empty_row)
{
    wb_store *st = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "kwb-2013.xls"), NULL));
    /* 5 rows (the empty sheet row 5 is skipped) x 5 indicators; g_woz '.' of WK099902 */
    ASSERT_EQ_I(s.rows, 5);
    ASSERT_EQ_I(s.values, 25);
    ASSERT_EQ_I(s.missing, 1);
    ASSERT_EQ_I(s.new_indicators, 0);
    /* the year is 2013 from the name: the 2023 DataProperties.json beside it is not used */
    ASSERT_EQ_I(s.min_year, 2013);
    ASSERT_EQ_I(s.max_year, 2013);
    ASSERT(strstr(s.note, "kwb2023_DataProperties.json not used: its MapYear 2023 is not the "
                          "year 2013 of the file name") != NULL);
    ASSERT_CLOSE(value(st, "a_inw", "GM0999", 2013, 2013), 11500, 0);
    ASSERT_CLOSE(value(st, "a_vrouw", "BU09990102", 2013, 2013), 1960, 0);
    ASSERT_CLOSE(value(st, "g_woz", "BU09990101", 2013, 2013), 241, 0);
    ASSERT(isnan(value(st, "g_woz", "WK099902", 2013, 2013)));
    ASSERT_CLOSE(value(st, "p_koopw", "WK099902", 2013, 2013), 75.25, 0);
    ASSERT_CLOSE(value(st, "p_koopw", "BU09990101", 2013, 2013), 34.2, 0);
    wb_store_free(st);
}

TEST(io_publications, kwb_csv_with_nan_and_padded_headers)
{
    wb_store *st = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "kwb-2021.csv"), NULL));
    /* 3 rows x 5 indicators ("a_man " is a_man; g_wozbag is g_woz); "       NaN" is missing */
    ASSERT_EQ_I(s.values, 15);
    ASSERT_EQ_I(s.missing, 1);
    ASSERT_EQ_I(s.new_indicators, 0);
    ASSERT_CLOSE(value(st, "a_man", "WK099901", 2021, 2021), 3430, 0);
    ASSERT_CLOSE(value(st, "g_woz", "GM0999", 2021, 2021), 300, 0);
    ASSERT(isnan(value(st, "g_woz", "BU09990101", 2021, 2021)));
    wb_store_free(st);
}

TEST(io_publications, odata_json_is_the_same_importer)
{
    wb_store *st = fresh(), *sx = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "kwb2023_TypedDataSet.json"), NULL));
    /* 6 records x 6 topics; null three times; the year is the DataProperties' MapYear; the
     * unknown topic is labelled from the codebook */
    ASSERT_EQ_I(s.values, 36);
    ASSERT_EQ_I(s.missing, 3);
    ASSERT_EQ_I(s.min_year, 2023);
    ASSERT_EQ_I(s.new_indicators, 1);
    check_kwb2023(st, 1);
    ASSERT_CLOSE(value(st, "bedrijfsvestigingen_totaal", "BU09990102", 2023, 2023), 150, 0);
    wb_indicator *inds = NULL;
    size_t n = 0;
    WB_PASS(wb_store_indicators(st, &inds, &n));
    int labelled = 0;
    for (size_t i = 0; i < n; i++)
        labelled |= !strcmp(inds[i].key, "bedrijfsvestigingen_totaal") &&
                    !strcmp(inds[i].label_nl, "Bedrijfsvestigingen totaal") &&
                    !strcmp(inds[i].unit, "aantal");
    wb_indicators_free(inds, n);
    ASSERT(labelled);
    /* the spreadsheet holds the same figures: the same stored values */
    WB_PASS(wb_import_kwb(sx, &s, wbt_fixture(PUB "kwb-2023.xlsx"), NULL));
    static const char *const keys[] = {"a_inw", "a_man", "a_vrouw", "g_woz", "p_koopw"};
    for (size_t k = 0; k < 5; k++)
        for (size_t i = 0; i < NKWB; i++)
            ASSERT_CLOSE(value(st, keys[k], kwb2023[i].code, 2023, 2023),
                         value(sx, keys[k], kwb2023[i].code, 2023, 2023), 0);
    wb_store_free(st);
    wb_store_free(sx);
}

TEST(io_publications, odata_json_of_the_real_kwb2024_equals_its_csv)
{
    /* The KWB 2024 extract of ../shared/data was converted from CBS's typed JSON to CSV; the
     * test turns it back into OData JSON (its own writer, below), imports both and compares
     * every stored value. */
    const char *csv = wbt_shared("kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv");
    const char *cb = wbt_shared("kwb_cbs/kwb2024_85984NED_DataProperties.json");
    char *text = wbt_slurp(csv, NULL);
    ASSERT(text);
    wb_str js = WB_STR_INIT;
    wb_str_puts(&js, "{\"odata.metadata\":\"https://opendata.cbs.nl/ODataApi/OData/85984NED/"
                     "$metadata#Cbs.OData.WebAPI.TypedDataSet\",\"value\":[\n");
    char *save = NULL, *hdr[16], *f[16];
    char *line = strtok_r(text, "\n", &save);
    int nh = wbt_split(line, hdr, 16);
    size_t rows = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        ASSERT_EQ_I(wbt_split(line, f, 16), nh);
        wb_str_puts(&js, rows ? ",\n{" : "{");
        for (int k = 0; k < nh; k++) {
            /* the typed data set pads codes to 10 characters and writes null for empty */
            if (k == 0)
                wb_str_printf(&js, "\"WijkenEnBuurten\":\"%-10s\"", f[k]);
            else if (!strcmp(hdr[k], "level"))
                wb_str_printf(&js, ",\"SoortRegio_2\":\"%-10s\"", !strcmp(f[k], "GM") ? "Gemeente" : "Wijk");
            else
                wb_str_printf(&js, ",\"%s\":%s", hdr[k], *f[k] ? f[k] : "null");
        }
        wb_str_puts(&js, "}");
        rows++;
    }
    wb_str_puts(&js, "\n]}\n");
    wbt_write(wbt_tmp("kwb2024_TypedDataSet.json"), wb_str_cstr(&js));
    wb_str_dispose(&js);
    free(text);
    ASSERT_EQ_I(rows, 3735);

    wb_store *a = fresh(), *b = fresh();
    wb_import_stats sa, sb;
    WB_PASS(wb_import_kwb(a, &sa, csv, NULL));
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.codebook = cb;
    WB_PASS(wb_import_kwb(b, &sb, wbt_tmp("kwb2024_TypedDataSet.json"), &o));
    ASSERT_EQ_I(sb.rows, sa.rows);
    ASSERT_EQ_I(sb.values, sa.values);
    ASSERT_EQ_I(sb.missing, sa.missing);
    ASSERT_EQ_I(sb.min_year, 2024);
    static const char *const keys[] = {"a_inw", "a_man", "a_vrouw", "bev_dich", "a_woning",
                                       "a_opp_ha", "a_lan_ha", "a_wat_ha"};
    for (size_t k = 0; k < 8; k++) {
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = keys[k];
        q.with_missing = 1;
        wb_value *va = NULL, *vb = NULL;
        size_t na = 0, nb = 0;
        WB_PASS(wb_store_values(a, &va, &na, NULL, &q));
        WB_PASS(wb_store_values(b, &vb, &nb, NULL, &q));
        ASSERT_EQ_I(na, 3735);
        ASSERT_EQ_I(nb, na);
        for (size_t i = 0; i < na; i++) {
            ASSERT_EQ_S(vb[i].code, va[i].code);
            ASSERT_CLOSE(vb[i].value, va[i].value, 0);
        }
        wb_free(va);
        wb_free(vb);
    }
    wb_store_free(a);
    wb_store_free(b);
}

TEST(io_publications, wijk_en_buurtkaart_polygons_and_kerncijfers)
{
    wb_store *st = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "wijkenbuurten_2023_v1.gpkg"), NULL));
    /* 1 gemeente + 2 wijken + 3 buurten (the water buurt and the gemeente's water part left
     * out) x 4 kerncijfers; missing: -99999999 twice in WK099902 (a_man, g_wozbag), and in
     * BU09990201 -99999999 (g_wozbag) and -99997 (p_koopw) */
    ASSERT_EQ_I(s.rows, 6);
    ASSERT_EQ_I(s.values, 24);
    ASSERT_EQ_I(s.missing, 4);
    ASSERT_EQ_I(s.missing_codes, 4);
    ASSERT_EQ_I(s.min_year, 2023);
    ASSERT(strstr(s.note, "polygons: 1 gemeenten, 2 wijken, 3 buurten; 2 water features") != NULL);
    for (size_t i = 0; i < NKWB; i++) {
        const char *c = kwb2023[i].code;
        ASSERT_CLOSE(value(st, "a_inw", c, 2023, 2023), kwb2023[i].a_inw, 0);
        ASSERT_CLOSE(value(st, "a_man", c, 2023, 2023),
                     strcmp(c, "WK099902") ? kwb2023[i].a_man : NAN, 0);
        ASSERT_CLOSE(value(st, "g_woz", c, 2023, 2023), kwb2023[i].g_woz, 0);
        ASSERT_CLOSE(value(st, "p_koopw", c, 2023, 2023), kwb2023[i].p_koopw, 0);
    }
    ASSERT(!has_value(st, "a_inw", "BU09990299", 2023, 2023)); /* water: left out */
    /* the polygons: squares of whole km (make.sh), so the areas are exact */
    static const struct {
        wb_level level;
        const char *code;
        double m2;
    } want[] = {{WB_LEVEL_GEMEENTE, "GM0999", 4e6}, /* the land part only */
                {WB_LEVEL_WIJK, "WK099901", 2e6},   {WB_LEVEL_WIJK, "WK099902", 2e6},
                {WB_LEVEL_BUURT, "BU09990101", 1e6}, {WB_LEVEL_BUURT, "BU09990102", 1e6},
                {WB_LEVEL_BUURT, "BU09990201", 2e6}};
    for (wb_level lv = WB_LEVEL_GEMEENTE; lv <= WB_LEVEL_BUURT; lv++) {
        wb_layer layer = WB_LAYER_INIT;
        WB_PASS(wb_store_layer_load(st, &layer, lv, 2023));
        size_t expect = 0;
        for (size_t k = 0; k < 6; k++)
            if (want[k].level == lv) {
                expect++;
                int found = 0;
                for (size_t i = 0; i < layer.n; i++)
                    if (!strcmp(layer.codes[i], want[k].code)) {
                        found = 1;
                        ASSERT_CLOSE(wb_geom_area(&layer.geoms[i]), want[k].m2, 1e-6);
                    }
                ASSERT_MSG(found, "no polygon for %s", want[k].code);
            }
        ASSERT_EQ_I(layer.n, expect);
        wb_layer_dispose(&layer);
    }
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "BU09990102", 2023));
    ASSERT_EQ_S(a->name, "Havenkwartier");
    ASSERT_EQ_S(a->parent, "WK099901");
    wb_areas_free(a, 1);
    wb_store_free(st);
}

TEST(io_publications, wijk_en_buurtkaart_one_level_and_polygons_only)
{
    /* --level buurt reads the buurten layer only */
    wb_store *st = fresh();
    wb_import_stats s;
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.level = WB_LEVEL_BUURT;
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "wijkenbuurten_2023_v1.gpkg"), &o));
    ASSERT_EQ_I(s.rows, 3);
    ASSERT(strstr(s.note, "polygons: 3 buurten; 1 water features") != NULL);
    wb_layer layer = WB_LAYER_INIT;
    WB_FAILS(WB_ENOTFOUND, wb_store_layer_load(st, &layer, WB_LEVEL_WIJK, 2023));
    wb_error_clear();
    wb_store_free(st);
    /* the first version of a map has no kerncijfers: the polygons and names are imported */
    st = fresh();
    WB_PASS(wb_import_kwb(st, &s, wbt_fixture(PUB "wijkenbuurten_2024_v0.gpkg"), NULL));
    ASSERT_EQ_I(s.values, 0);
    ASSERT(strstr(s.note, "no kerncijfers in this version of the map; polygons: 2 buurten") != NULL);
    WB_PASS(wb_store_layer_load(st, &layer, WB_LEVEL_BUURT, 2024));
    ASSERT_EQ_I(layer.n, 2);
    for (size_t i = 0; i < layer.n; i++)
        ASSERT_CLOSE(wb_geom_area(&layer.geoms[i]), 1e6, 1e-6);
    wb_layer_dispose(&layer);
    wb_area *a = NULL;
    WB_PASS(wb_store_area_get(st, &a, "BU09990102", 2024));
    ASSERT_EQ_S(a->name, "Havenkwartier");
    wb_areas_free(a, 1);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- registered crime */

/* The crime types of each family (docs/import.md), as the test's own list. */
static const char *const family_codes[4][12] = {
    {"0.0.0", NULL},
    {"1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.5.2", "1.6.2", "2.5.1",
     "2.5.2", NULL},
    {"1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.4.5", "1.4.6", "1.4.7", NULL},
    {"1.6.1", "2.1.1", "2.2.1", "2.4.2", "2.7.3", "3.6.4", NULL}};
static const char *const family_key[4] = {"misdr_totaal", "misdr_vermogen", "misdr_geweld",
                                          "misdr_vernieling"};

static int in_family(int f, const char *code)
{
    for (int i = 0; family_codes[f][i]; i++)
        if (!strcmp(family_codes[f][i], code))
            return 1;
    return 0;
}

/* Strip quotes and spaces in place. */
static char *bare(char *s)
{
    while (*s == '"' || *s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '"' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

/* Sums per family from the typed CSV, read by the test: expected[area][year][family]. */
static void crime_expected(double exp[3][2][4])
{
    static const char *const areas[3] = {"GM0999", "WK099901", "BU09990101"};
    for (int a = 0; a < 3; a++)
        for (int y = 0; y < 2; y++)
            for (int f = 0; f < 4; f++)
                exp[a][y][f] = 0;
    char *text = wbt_slurp(wbt_fixture(PUB "47018NED_TypedDataSet.csv"), NULL);
    ASSERT(text);
    char *save = NULL;
    strtok_r(text, "\n", &save); /* header */
    char *line;
    size_t rows = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *f[5];
        int n = 0;
        for (char *p = line; n < 5;) {
            f[n++] = p;
            char *semi = strchr(p, ';');
            if (!semi)
                break;
            *semi = 0;
            p = semi + 1;
        }
        ASSERT_EQ_I(n, 5);
        rows++;
        char *code = bare(f[1]), *area = bare(f[2]), *period = bare(f[3]), *v = bare(f[4]);
        int ai = -1;
        for (int a = 0; a < 3; a++)
            if (!strcmp(area, areas[a]))
                ai = a;
        ASSERT(ai >= 0);
        int yi = atoi(period) - 2022;
        ASSERT(yi == 0 || yi == 1);
        for (int fam = 0; fam < 4; fam++)
            if (in_family(fam, code))
                exp[ai][yi][fam] += strcmp(v, ".") ? strtod(v, NULL) : NAN;
    }
    ASSERT_EQ_I(rows, 2 * 3 * 26);
    free(text);
}

static void check_crime(wb_store *st)
{
    static const char *const areas[3] = {"GM0999", "WK099901", "BU09990101"};
    static const double inh2023[3] = {12000, 7000, 3000}; /* a_inw of kwb-2023.xlsx */
    double exp[3][2][4];
    crime_expected(exp);
    /* the formula of make.sh, once by hand: GM0999 2022 total = sum over 25 types of
     * 3 i + 1 = 3 * 300 + 25 = 925; its property crimes (i = 0..10) 3 * 55 + 11 = 176 */
    ASSERT_CLOSE(exp[0][0][0], 925, 0);
    ASSERT_CLOSE(exp[0][0][1], 176, 0);
    ASSERT(isnan(exp[2][1][3])); /* 2.2.1 of BU09990101 in 2023 is '.' */
    for (int a = 0; a < 3; a++)
        for (int y = 0; y < 2; y++)
            for (int f = 0; f < 4; f++) {
                ASSERT_CLOSE(value(st, family_key[f], areas[a], 2022 + y, 2022 + y), exp[a][y][f], 0);
                char rk[64];
                snprintf(rk, sizeof rk, "%s_p1000", family_key[f]);
                double rate = value(st, rk, areas[a], 2022 + y, 2022 + y);
                if (y == 0) /* no population stored for 2022 */
                    ASSERT(isnan(rate));
                else
                    ASSERT_CLOSE(rate, exp[a][y][f] / inh2023[a] * 1000.0, 1e-12 * fabs(rate));
            }
}

TEST(io_publications, crime_families_and_rates_from_csv_and_json)
{
    wb_store *st = fresh(), *sj = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_kwb(st, NULL, wbt_fixture(PUB "kwb-2023.xlsx"), NULL));
    WB_PASS(wb_import_crime(st, &s, wbt_fixture(PUB "47018NED_TypedDataSet.csv"), NULL));
    /* 156 rows; 3 areas x 2 years x (4 families + 4 rates) = 48 values; missing: the 12
     * rates of 2022, and the vandalism count and rate of BU09990101 in 2023 */
    ASSERT_EQ_I(s.rows, 156);
    ASSERT_EQ_I(s.values, 48);
    ASSERT_EQ_I(s.missing, 14);
    ASSERT(strstr(s.note, "4 crime families; per 1,000 inhabitants for 3 area-years, 3 without a "
                          "population (a_inw) of that area and year; 6 rows of other crime types") != NULL);
    check_crime(st);
    /* the OData JSON of the same figures gives the same values */
    WB_PASS(wb_import_kwb(sj, NULL, wbt_fixture(PUB "kwb-2023.xlsx"), NULL));
    WB_PASS(wb_import_crime(sj, &s, wbt_fixture(PUB "47018NED_TypedDataSet.json"), NULL));
    ASSERT_EQ_I(s.values, 48);
    check_crime(sj);
    wb_store_free(st);
    wb_store_free(sj);
}

TEST(io_publications, crime_titles_through_the_dimension_and_incomplete_families)
{
    /* titles instead of codes; "Misdrijven, alle" is known only from the dimension file */
    wbt_write(wbt_tmp("soort.json"),
              "{\"value\":[{\"Key\":\"0.0.0   \",\"Title\":\"Misdrijven, alle\"},"
              "{\"Key\":\"1.1.1   \",\"Title\":\"1.1.1 Diefstal/inbraak woning\"}]}");
    wbt_write(wbt_tmp("titels.csv"),
              "\"Soort misdrijf\";\"WijkenEnBuurten\";\"Perioden\";\"GeregistreerdeMisdrijven_1\"\n"
              "\"Misdrijven, alle\";\"GM0999    \";\"2023JJ00\";\"      1050\"\n"
              "\"Diefstal/inbraak woning\";\"GM0999    \";\"2023JJ00\";\"        12\"\n"
              "\"Horizontale fraude\";\"GM0999    \";\"2023JJ00\";\"         7\"\n");
    wb_store *st = fresh();
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    o.codebook = wbt_tmp("soort.json");
    wb_import_stats s;
    WB_PASS(wb_import_crime(st, &s, wbt_tmp("titels.csv"), &o));
    /* only the total is complete: its count and (no population) a missing rate */
    ASSERT_EQ_I(s.values, 2);
    ASSERT_CLOSE(value(st, "misdr_totaal", "GM0999", 2023, 2023), 1050, 0);
    ASSERT(!has_value(st, "misdr_vermogen", "GM0999", 2023, 2023));
    ASSERT(strstr(s.note, "not complete in the file: misdr_vermogen") != NULL);
    ASSERT(strstr(s.note, "2 rows of other crime types") == NULL); /* 1.1.1 is a family type */
    ASSERT(strstr(s.note, "1 rows of other crime types") != NULL);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- Leefbaarometer 3.0 */

TEST(io_publications, leefbaarometer3_open_data_layouts)
{
    wb_store *st = fresh();
    wb_import_stats s;
    WB_PASS(wb_import_lbm(st, &s, wbt_fixture(PUB "lbm3_buurt_2002_2024.csv"), NULL));
    /* 4 rows x (lbm -> lbm_abs and five dimensions); the last row is empty but for lbm;
     * back-cast: every year on the boundaries of 2024 */
    ASSERT_EQ_I(s.values, 24);
    ASSERT_EQ_I(s.missing, 5);
    ASSERT_EQ_I(s.boundary_year, 2024);
    ASSERT_CLOSE(value(st, "lbm_abs", "BU09990101", 2024, 2002), 3.9876, 0);
    ASSERT_CLOSE(value(st, "lbm_onv", "BU09990102", 2024, 2002), -0.0202, 0);
    ASSERT_CLOSE(value(st, "lbm_won", "BU09990101", 2024, 2024), 0.0555, 0);
    ASSERT(isnan(value(st, "lbm_fys", "BU09990102", 2024, 2024)));
    ASSERT(!has_value(st, "lbm", "BU09990101", 2024, 2024)); /* no afw in this layout */
    /* the WFS layer with classes: kscore -> lbm_klasse, kfys -> lbm_fys_klasse, afw -> lbm */
    WB_PASS(wb_import_lbm(st, &s, wbt_fixture(PUB "lbm3_wijkscore24.csv"), NULL));
    ASSERT_EQ_I(s.values, 26);
    ASSERT_EQ_I(s.indicators, 13);
    ASSERT_CLOSE(value(st, "lbm_klasse", "WK099902", 2024, 2024), 3, 0);
    ASSERT_CLOSE(value(st, "lbm_onv_klasse", "WK099902", 2024, 2024), 3, 0);
    ASSERT_CLOSE(value(st, "lbm", "WK099901", 2024, 2024), 0.0978, 0);
    /* afw = fys + onv + soc + vrz + won, as in the published files (to 1e-4) */
    for (int w = 1; w <= 2; w++) {
        char code[16];
        snprintf(code, sizeof code, "WK09990%d", w);
        double sum = value(st, "lbm_fys", code, 2024, 2024) + value(st, "lbm_onv", code, 2024, 2024) +
                     value(st, "lbm_soc", code, 2024, 2024) + value(st, "lbm_vrz", code, 2024, 2024) +
                     value(st, "lbm_won", code, 2024, 2024);
        ASSERT_CLOSE(value(st, "lbm", code, 2024, 2024), sum, 1e-4);
    }
    wb_store_free(st);
}
