/**
 * @file
 * @brief `import kwb` (and `import csv`) on the real CBS files of ../shared/data: the KWB 2024
 * extract with its StatLine codebook and the SES-WOA StatLine CSV download (semicolons,
 * quotes, BOM, padded codes and numbers, '.' for missing). Expected counts are counted from
 * the files in the tests, and agree with SOURCES.md.
 */
#include <stdlib.h>

#include "test.h"

/* Split one line of a CSV that quotes every field with ';' between them (SES-WOA) or uses
 * plain commas (KWB extract); good enough for these two files, written independently of the
 * library's reader. Fields are unquoted and trimmed in place. */
static size_t split(char *line, char delim, char **out, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *end = strchr(p, delim);
        if (end)
            *end = 0;
        char *f = p;
        size_t len = strlen(f);
        if (len && f[len - 1] == '\r')
            f[--len] = 0;
        if (len >= 2 && f[0] == '"' && f[len - 1] == '"') {
            f[len - 1] = 0;
            f++;
        }
        while (*f == ' ')
            f++;
        for (size_t k = strlen(f); k && f[k - 1] == ' '; k--)
            f[k - 1] = 0;
        out[n++] = f;
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

/* code -> value text of one column of an `export values --with-missing` run */
static char *export_csv(const char *args)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db export values --format csv --with-missing %s", args);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    free(r.err);
    return r.out;
}

static const char *lookup(const char *exp, const char *code, char *buf, size_t n)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s,", code);
    const char *p = strstr(exp, key);
    if (!p)
        return NULL;
    p = strchr(p + strlen(key), ',') + 1;
    size_t len = strcspn(p, "\n");
    snprintf(buf, n, "%.*s", (int)len, p);
    return buf;
}

TEST(cli_import_kwb, kwb2024_extract_with_codebook)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv"));
    wbt_shared("kwb_cbs/kwb2024_85984NED_DataProperties.json");
    wbt_run_result r = wbt_run(NULL, "--db t.db import kwb '%s'", path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    /* 3,735 rows x 8 values; 40 empty cells (in 37 rows); the year 2024 comes from the
     * codebook's MapYear; all eight StatLine keys map to catalogue keys */
    ASSERT_MSG(strstr(r.out, "3735 rows, 3735 areas (3735 new), 8 indicators (0 new), 29880 values, "
                             "40 missing, 0 skipped; years 2024-2024; boundaries 2024") != NULL,
               "got %s", r.out);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db areas --level gemeente --year 2024 --format csv");
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 342);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db areas --level wijk --year 2024 --format csv");
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 3393);
    ASSERT(strstr(r.out, "\nWK0363AA,2024,wijk,,GM0363\n") != NULL); /* a code with letters */
    wbt_run_free(&r);

    /* value by value against the file */
    static const char *const cols[][2] = {{"AantalInwoners_5", "a_inw"}, {"Mannen_6", "a_man"},
                                          {"Bevolkingsdichtheid_34", "bev_dich"},
                                          {"Woningvoorraad_35", "a_woning"},
                                          {"OppervlakteWater_124", "a_wat_ha"}};
    char *text = wbt_slurp(path, NULL);
    ASSERT(text != NULL);
    char *exp[5];
    for (size_t k = 0; k < 5; k++) {
        char args[64];
        snprintf(args, sizeof args, "--indicator %s --year 2024", cols[k][1]);
        exp[k] = export_csv(args);
        ASSERT_EQ_I(wbt_count_lines(exp[k]), 1 + 3735);
    }
    char *save = NULL, *hdr[16], *f[16];
    char *line = strtok_r(text, "\n", &save);
    size_t nh = split(line, ',', hdr, 16), idx[5];
    for (size_t k = 0; k < 5; k++) {
        idx[k] = 99;
        for (size_t h = 0; h < nh; h++)
            if (!strcmp(hdr[h], cols[k][0]))
                idx[k] = h;
        ASSERT(idx[k] < nh);
    }
    size_t rows = 0, empty = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        ASSERT_EQ_I(split(line, ',', f, 16), nh);
        rows++;
        for (size_t k = 0; k < 5; k++) {
            char buf[64];
            const char *got = lookup(exp[k], f[0], buf, sizeof buf);
            ASSERT_MSG(got, "%s missing in the export of %s", f[0], cols[k][1]);
            if (!*f[idx[k]]) {
                empty++;
                ASSERT_MSG(!*got, "%s %s: empty in the file, '%s' exported", f[0], cols[k][1], got);
            } else {
                ASSERT_CLOSE(strtod(got, NULL), strtod(f[idx[k]], NULL), 0);
            }
        }
    }
    ASSERT_EQ_I(rows, 3735);
    ASSERT(empty > 0);
    for (size_t k = 0; k < 5; k++)
        free(exp[k]);
    free(text);
}

TEST(cli_import_kwb, ses_woa_statline_download)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("ses_woa_cbs/ses_woa_2019_amsterdam_wijk_buurt.csv"));
    wbt_run_result r = wbt_run(NULL, "--db t.db import kwb '%s'", path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    /* 579 rows x 6 columns; 90 rows with '.' in the five columns after the households */
    ASSERT_MSG(strstr(r.out, "579 rows, 579 areas (579 new), 6 indicators (0 new), 3474 values, "
                             "450 missing, 0 skipped; years 2019-2019; boundaries 2019") != NULL,
               "got %s", r.out);
    wbt_run_free(&r);
    /* 1 gemeente, 99 wijken, 479 buurten, with their names */
    static const struct {
        const char *level;
        size_t n;
    } lv[] = {{"gemeente", 1}, {"wijk", 99}, {"buurt", 479}};
    for (size_t i = 0; i < 3; i++) {
        r = wbt_run(NULL, "--db t.db areas --level %s --year 2019 --format csv", lv[i].level);
        ASSERT_EQ_I(wbt_count_lines(r.out), 1 + lv[i].n);
        wbt_run_free(&r);
    }
    r = wbt_run(NULL, "--db t.db areas --in WK036300 --year 2019 --format csv");
    ASSERT(strstr(r.out, "WK036300,2019,wijk,Burgwallen-Oude Zijde,GM0363\n") != NULL);
    ASSERT(strstr(r.out, "BU03630000,2019,buurt,Kop Zeedijk,WK036300\n") != NULL);
    wbt_run_free(&r);

    /* every value of every column against the file */
    static const char *const keys[] = {"a_hh", "p_opl_laag", "p_opl_mid", "p_opl_hoog", "ses_woa",
                                       "ses_woa_spreiding"};
    char *exp[6];
    for (size_t k = 0; k < 6; k++) {
        char args[64];
        snprintf(args, sizeof args, "--indicator %s --year 2019", keys[k]);
        exp[k] = export_csv(args);
    }
    char *text = wbt_slurp(path, NULL);
    char *save = NULL, *f[16];
    strtok_r(text, "\n", &save); /* header */
    char *line;
    size_t rows = 0, dots = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        ASSERT_EQ_I(split(line, ';', f, 16), 9);
        rows++;
        for (size_t k = 0; k < 6; k++) {
            char buf[64];
            const char *got = lookup(exp[k], f[2], buf, sizeof buf);
            ASSERT_MSG(got, "%s missing in the export", f[2]);
            if (!strcmp(f[3 + k], ".")) {
                dots++;
                ASSERT(!*got);
            } else {
                ASSERT_CLOSE(strtod(got, NULL), strtod(f[3 + k], NULL), 0);
            }
        }
    }
    ASSERT_EQ_I(rows, 579);
    ASSERT_EQ_I(dots, 450);
    for (size_t k = 0; k < 6; k++)
        free(exp[k]);
    free(text);
}

TEST(cli_import_kwb, generic_csv_of_a_real_file)
{
    /* the LBM gemeente file through the generic importer: RLBRMTR is an alias of lbm */
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("leefbaarometer2_minorproject/lbm2_gemeente2016_dimensions_2012_2014_2016.csv"));
    wbt_run_result r = wbt_run(NULL, "--db t.db import csv '%s' --boundary-year 2016", path);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(strstr(r.out, "1170 rows, 390 areas (390 new), 6 indicators (0 new), 7020 values") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export values --indicator RLBRMTR --year 2012 --format csv");
    ASSERT(strstr(r.out, "\nGM0003,2012,-0.0627169177006985\n") != NULL); /* line 2 of the file */
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 390);
    wbt_run_free(&r);
}

TEST(cli_import_kwb, crosswalk_is_refused_with_a_reason)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", wbt_shared("crosswalk_grenswijzigen/grenswijziging_wijk_2016_naar_2017_2024.csv"));
    wbt_run_result r = wbt_run(NULL, "--db t.db import csv '%s'", path);
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "grenswijziging_wijk_2016_naar_2017_2024.csv:1: expected area data, got a "
                         "boundary crosswalk") != NULL);
    wbt_run_free(&r);
    /* no database was left behind by the failed first import */
    ASSERT(wbt_slurp(wbt_tmp("t.db"), NULL) == NULL);
}

/* The summary lines of the publications (tests/io/publications.c checks the values). */
TEST(cli_import_kwb, publications_print_what_they_read)
{
    wbt_run_result r = wbt_run(NULL, "--db t.db import kwb '%s'",
                               wbt_fixture("publications/wijkenbuurten_2023_v1.gpkg"));
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_S(r.out, "imported wijkenbuurten_2023_v1.gpkg: 6 rows, 6 areas (6 new), 4 indicators "
                       "(0 new), 24 values, 4 missing (4 of them CBS missing codes), 0 skipped; "
                       "years 2023-2023; boundaries 2023\n");
    ASSERT_EQ_S(r.err, "wijkbeeld: note: polygons: 1 gemeenten, 2 wijken, 3 buurten; 2 water "
                       "features (WATER = JA or B) left out\n");
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db import crime '%s'",
                wbt_fixture("publications/47018NED_TypedDataSet.json"));
    ASSERT_MSG(r.status == 0, "%s", r.err);
    /* 2023 has the inhabitants of the map: rates for its 3 area-years, none for 2022 */
    ASSERT_EQ_S(r.out, "imported 47018NED_TypedDataSet.json: 156 rows, 6 areas (3 new), 8 indicators "
                       "(0 new), 48 values, 14 missing, 0 skipped; years 2022-2023\n");
    ASSERT(strstr(r.err, "per 1,000 inhabitants for 3 area-years, 3 without a population") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export values --indicator misdr_totaal_p1000 --year 2023 --format csv");
    /* GM0999: 1050 crimes (3 * 300 + 25 + 5 * 25, make.sh's formula) / 12000 inhabitants */
    ASSERT(strstr(r.out, "\nGM0999,2023,87.5\n") != NULL);
    wbt_run_free(&r);
}
