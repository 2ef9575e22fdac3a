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
    fails("import csv nothere.csv", "nothere.csv: no such file or not readable: expected a CSV file");
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
