/**
 * @file
 * @brief Bad input to the importers: each case exits with a status != 0, prints exactly one
 * line on stderr naming the file, the line (and column) and what was expected, and leaves an
 * existing database byte for byte as it was, with no write-ahead log left behind. The bad
 * line comes after good ones, so that the import has written before it fails.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "test.h"

/* A database with one good import, closed (so the main file holds the whole state). */
static void make_db(void)
{
    wbt_write(wbt_tmp("good.csv"), "code,year,a_inw,v\nGM0363,2019,862965,1.5\nWK036300,2019,9000,.\n");
    wbt_run_result r = wbt_run(NULL, "--db t.db import csv good.csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    struct stat sb;
    ASSERT(stat(wbt_tmp("t.db-wal"), &sb) != 0 || sb.st_size == 0);
    char *copy;
    size_t len;
    copy = wbt_slurp(wbt_tmp("t.db"), &len);
    ASSERT(copy && len > 0);
    FILE *f = fopen(wbt_tmp("before.db"), "wb");
    ASSERT(f && fwrite(copy, 1, len, f) == len && fclose(f) == 0);
    free(copy);
}

/* Run a failing command and check the one-line message and the unchanged database. */
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

static void write_file(const char *name, const char *text)
{
    wbt_write(wbt_tmp(name), text);
}

#define GOOD_ROWS "code,year,a_inw,v\nGM0362,2019,90000,1\nWK036200,2019,100,2\nWK036201,2019,200,3\n"

TEST(cli_import_bad, truncated_file)
{
    make_db();
    write_file("trunc.csv", GOOD_ROWS "GM0361,2019,5,\"7");
    fails("import csv trunc.csv",
          "trunc.csv:5:17: expected a closing quote for the field opened at line 5, column 15, "
          "got the end of the file (truncated file?)");
    write_file("cut.csv", GOOD_ROWS "GM0361,20");
    fails("import csv cut.csv", "cut.csv:5: expected 4 fields as in the header (delimiter ','), got 2");
}

TEST(cli_import_bad, wrong_delimiter)
{
    make_db();
    write_file("semi.csv", GOOD_ROWS "GM0361;2019;5;6\n");
    fails("import csv semi.csv", "semi.csv:5: expected 4 fields as in the header (delimiter ','), got 1");
    write_file("comma.csv", GOOD_ROWS);
    fails("import csv comma.csv --delimiter ';'",
          "comma.csv:1: expected an area code column (code, gwb_code, GBD, WK_CODE, BU_CODE, GM_CODE, "
          "id, Regiocode ...; or give --key), got the columns 'code,year,a_inw,v' (one column: is "
          "the delimiter right?)");
}

TEST(cli_import_bad, duplicate_key)
{
    make_db();
    write_file("dup.csv", GOOD_ROWS "wk036200 ,2019,5,6\n");
    fails("import csv dup.csv",
          "dup.csv:5: expected one row per area and year, got a second row for WK036200 in 2019 "
          "(the first is on line 3)");
    /* the LBM importer too */
    write_file("dup_lbm.csv", "GBD,JAAR,RLBRMTR\nWK000300,2012,0.1\nWK000300,2014,0.2\nWK000300,2012,0.3\n");
    fails("import lbm dup_lbm.csv", "dup_lbm.csv:4: expected one row per area and year, got a second "
                                    "row for WK000300 in 2012 (the first is on line 2)");
}

TEST(cli_import_bad, non_numeric_value)
{
    make_db();
    write_file("nn.csv", GOOD_ROWS "GM0361,2019,vijf,6\n");
    fails("import csv nn.csv",
          "nn.csv:5:13: column 'a_inw': expected a number or a missing-value marker (. x - ? #N/A "
          "or empty), got 'vijf'");
    write_file("nan.csv", GOOD_ROWS "GM0361,2019,5,NaN\n");
    fails("import csv nan.csv", "nan.csv:5:15: column 'v': expected a number");
    write_file("nn_lbm.csv", "GBD,JAAR,RLBRMTR\nWK000300,2012,0.1\nWK000300,2014,0.2x\n");
    fails("import lbm nn_lbm.csv", "nn_lbm.csv:3:15: column 'RLBRMTR': expected a number");
    write_file("year.csv", GOOD_ROWS "GM0361,19,5,6\n");
    fails("import csv year.csv", "year.csv:5:8: column 'year': expected a year (like 2019 or 2019JJ00), got '19'");
}

TEST(cli_import_bad, malformed_code)
{
    make_db();
    write_file("mal.csv", GOOD_ROWS "WK03620,2019,5,6\n");
    fails("import csv mal.csv",
          "mal.csv:5:1: column 'code': malformed area code 'WK03620': expected WK followed by 6 digits");
    write_file("mal_kwb.csv", "\"Perioden\";\"Wijken en buurten\";\"Regiocode (gemeente, wijk, buurt) (code)\";"
                              "\"Particuliere huishoudens (Aantal)\"\n\"2019\";\"Amsterdam\";\"GM0363    \";\"  457400\"\n"
                              "\"2019\";\"Kop Zeedijk\";\"BU0363 000\";\"     700\"\n");
    fails("import kwb mal_kwb.csv", "mal_kwb.csv:3:22: column 'Regiocode (gemeente, wijk, buurt) (code)': "
                                    "malformed area code 'BU0363 000'");
}

TEST(cli_import_bad, missing_file)
{
    make_db();
    fails("import csv nothere.csv",
          "nothere.csv: no such file or not readable: expected a CSV, XLSX, XLS or OData JSON file");
    fails("import lbm nothere.csv", "nothere.csv: no such file");
    fails("import kwb nothere.csv", "nothere.csv: no such file");
    fails("import labels nothere.csv --set x", "nothere.csv: no such file");
}

TEST(cli_import_bad, file_that_is_not_utf8)
{
    make_db();
    /* "Amsterdam-Zuidoost" with a Windows-1252 e-acute in the name column */
    write_file("latin1.csv", "code,year,naam,v\nGM0363,2019,Amsterdam,1\nWK036390,2019,Caf\xE9 buurt,2\n");
    fails("import csv latin1.csv",
          "latin1.csv:3:18: expected UTF-8 text, got byte 0xE9 (convert the file to UTF-8 first, "
          "e.g. iconv -f WINDOWS-1252 -t UTF-8)");
    write_file("utf16.csv", "\xFF\xFE" "c\0o\0d\0e\0");
    fails("import kwb utf16.csv", "utf16.csv:1:1: expected UTF-8 text, got a UTF-16 file");
}

TEST(cli_import_bad, nothing_left_behind_after_a_failed_first_import)
{
    write_file("nn.csv", GOOD_ROWS "GM0361,2019,vijf,6\n");
    wbt_run_result r = wbt_run(NULL, "--db new.db import csv nn.csv");
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    struct stat sb;
    ASSERT(stat(wbt_tmp("new.db"), &sb) != 0);
    ASSERT(stat(wbt_tmp("new.db-wal"), &sb) != 0);
}

/* A transaction large enough that SQLite spills pages to the WAL before the error: the
 * rollback must still leave the main file unchanged and no log content behind. */
TEST(cli_import_bad, a_large_failed_import_is_rolled_back)
{
    make_db();
    FILE *f = fopen(wbt_tmp("large.csv"), "w");
    ASSERT(f != NULL);
    fputs("code,year,a,b,c\n", f);
    for (int i = 0; i < 15000; i++)
        fprintf(f, "BU%08d,2020,%d,%d.5,%d\n", i, i, i, i % 7);
    fputs("BU99999999,2020,1,2,drie\n", f);
    fclose(f);
    fails("import csv large.csv", "large.csv:15002:21: column 'c': expected a number");
}

/* ---------------------------------------------------------------- publications as published */

static void copy_fixture(const char *rel, const char *name)
{
    size_t len;
    char *data = wbt_slurp(wbt_fixture(rel), &len);
    ASSERT_MSG(data != NULL, "no fixture %s", rel);
    FILE *f = fopen(wbt_tmp(name), "wb");
    ASSERT(f && fwrite(data, 1, len, f) == len && fclose(f) == 0);
    free(data);
}

TEST(cli_import_bad, spreadsheets)
{
    make_db();
    /* a text in a number column: the sheet row and column, and the cell as Excel names it */
    copy_fixture("publications/kwb-2023-bad.xlsx", "kwb-2023-bad.xlsx");
    fails("import kwb kwb-2023-bad.xlsx",
          "kwb-2023-bad.xlsx:5:8 (cell H5): column 'a_inw': expected a number or a missing-value "
          "marker (. x - ? #N/A or empty), got 'vijf'");
    /* a zip that is no spreadsheet, and a truncated .xls */
    write_file("kwb-2023.xlsx", "PK\003\004 not really a workbook");
    fails("import kwb kwb-2023.xlsx", "kwb-2023.xlsx: expected a spreadsheet (xlsx, xls, ods) or a "
                                      "CSV file, got a binary file GDAL cannot read as a spreadsheet");
    write_file("kwb-2013.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 cut off");
    fails("import kwb kwb-2013.xls", "kwb-2013.xls: expected a spreadsheet");
}

TEST(cli_import_bad, odata_json)
{
    make_db();
    write_file("kwb2023_a.json",
               "{\"value\":[{\"ID\":0,\"WijkenEnBuurten\":\"GM0362    \",\"AantalInwoners_5\":90000},\n"
               "{\"ID\":1,\"WijkenEnBuurten\":\"WK036201  \",\"AantalInwoners_5\":{\"n\":5}}]}");
    fails("import kwb kwb2023_a.json",
          "kwb2023_a.json: record 2: field 'AantalInwoners_5': expected a number, text or null, got "
          "an object");
    write_file("kwb2023_b.json",
               "{\"value\":[{\"ID\":0,\"WijkenEnBuurten\":\"GM0362    \",\"AantalInwoners_5\":90000},\n"
               "{\"ID\":1,\"WijkenEnBuurten\":\"WK036201  \",\"AantalInwoners_5\":\"veel\"}]}");
    fails("import kwb kwb2023_b.json",
          "kwb2023_b.json: record 2: column 'AantalInwoners_5': expected a number or a missing-value "
          "marker");
    write_file("kwb2023_c.json", "{\"value\":[{\"ID\":0,\n\"WijkenEnBuurten\":\"GM0362\" \"x\":1}]}");
    fails("import kwb kwb2023_c.json", "kwb2023_c.json:2:30: expected StatLine OData JSON, ");
    write_file("kwb2023_d.json", "{\"odata.metadata\":\"x\",\"Title\":\"Kerncijfers\"}");
    fails("import kwb kwb2023_d.json",
          "kwb2023_d.json: expected StatLine OData JSON (an object with a \"value\" array of records");
    write_file("kwb2023_e.json",
               "{\"value\":[{\"WijkenEnBuurten\":\"GM0362\",\"AantalInwoners_5\":1},"
               "{\"WijkenEnBuurten\":\"GM0363\",\"AantalInwoners_5\":2,\"Extra_9\":3}]}");
    fails("import kwb kwb2023_e.json",
          "kwb2023_e.json: record 2: field 'Extra_9': expected the fields of the first record, got one more");
}

TEST(cli_import_bad, wijk_en_buurtkaart)
{
    make_db();
    copy_fixture("publications/wijkenbuurten_2023_bad.gpkg", "wijkenbuurten_2023_bad.gpkg");
    fails("import kwb wijkenbuurten_2023_bad.gpkg",
          "wijkenbuurten_2023_bad.gpkg: layer buurten, feature 2: expected one row per area and "
          "year, got a second row for BU09990101 in 2023 (the first is on layer buurten, feature 1)");
    copy_fixture("publications/wijkenbuurten_2023_v1.gpkg", "kaart.gpkg");
    fails("import kwb kaart.gpkg",
          "kaart.gpkg: no year in the file name (wijkenbuurten_YYYY_vN.gpkg): give --year");
    /* a GeoPackage of another kind (wijkbeeld's own export: layer buurt_2023, fields code,
     * name, value) is not the CBS map */
    wbt_run_result r = wbt_run(NULL, "--db other.db import geo '%s' --year 2023",
                               wbt_fixture("geo/basic_rd.geojson"));
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db other.db export gpkg --level buurt --year 2023 --output eigen_2023.gpkg");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    fails("import kwb eigen_2023.gpkg --year 2023",
          "eigen_2023.gpkg: layer 'buurt_2023': expected a code field BU_CODE or buurtcode");
    /* import csv does not take a GeoPackage for a table */
    fails("import csv eigen_2023.gpkg", "eigen_2023.gpkg: a GeoPackage (SQLite) file, expected a "
                                        "table: `import kwb` reads the CBS Wijk- en Buurtkaart");
}

TEST(cli_import_bad, registered_crime)
{
    make_db();
    static const char hdr[] = "\"ID\";\"SoortMisdrijf\";\"WijkenEnBuurten\";\"Perioden\";"
                              "\"GeregistreerdeMisdrijven_1\"\n";
    char text[1024];
    snprintf(text, sizeof text, "%s0;\"0.0.0   \";\"GM0362    \";\"2023JJ00\";\"      1050\"\n"
                                "1;\"0.0.0   \";\"GM0362    \";\"2023MM01\";\"       120\"\n", hdr);
    write_file("monthly.csv", text);
    fails("import crime monthly.csv",
          "monthly.csv:3:27: column 'Perioden': expected a year (like 2019 or 2019JJ00), got '2023MM01'");
    snprintf(text, sizeof text, "%s0;\"0.0.0   \";\"GM0362    \";\"2023JJ00\";\"      1050\"\n"
                                "1;\"1.1.1   \";\"GM0362    \";\"2023JJ00\";\"        12\"\n"
                                "2;\"0.0.0   \";\"gm0362 \";\"2023JJ00\";\"      1051\"\n", hdr);
    write_file("twice.csv", text);
    fails("import crime twice.csv",
          "twice.csv:4: expected one row per area, year and crime type, got a second row for GM0362 "
          "in 2023, 0.0.0 (the first is on line 2)");
    snprintf(text, sizeof text, "%s0;\"0.0.0   \";\"GM0362    \";\"2023JJ00\";\"     -1050\"\n", hdr);
    write_file("negative.csv", text);
    fails("import crime negative.csv",
          "negative.csv:2:38: column 'GeregistreerdeMisdrijven_1': expected a count of crimes (a "
          "whole number, 0 or more), got -1050");
    write_file("kwbnotcrime.csv", GOOD_ROWS);
    fails("import crime kwbnotcrime.csv",
          "kwbnotcrime.csv:1: expected the columns of 47018NED (SoortMisdrijf, WijkenEnBuurten, "
          "Perioden, GeregistreerdeMisdrijven_1), got 'code', 'year', 'a_inw', 'v'");
    snprintf(text, sizeof text, "%s0;\"1.1.1   \";\"GM0362    \";\"2023JJ00\";\"        12\"\n", hdr);
    write_file("partial.csv", text);
    fails("import crime partial.csv",
          "partial.csv: expected the crime types of at least one family (the total 0.0.0, or every "
          "type of a family: docs/import.md), got only some types of each");
}

/* A 10 MB header cell would become a 10 MB label and alias served on every page load. */
TEST(cli_import_bad, huge_header_cell)
{
    make_db();
    size_t big = 10u << 20;
    char *text = malloc(big + 128);
    ASSERT(text);
    int n = snprintf(text, 128, "code,year,");
    memset(text + n, 'k', big);
    snprintf(text + n + big, 128, "\nGM0362,2019,1\n");
    write_file("wide.csv", text);
    free(text);
    fails("import csv wide.csv", "wide.csv:1:11: column 3: a header cell of 10485760 bytes: expected a column name of at most 256 bytes");
}
