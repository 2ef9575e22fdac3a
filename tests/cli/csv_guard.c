/**
 * @file
 * @brief Spreadsheet formulas in CSV output: names and free text that a spreadsheet would run
 * (=, +, -, @, tab, CR at the start) get a leading apostrophe in every CSV the program writes,
 * through the one rule wb_csv_formula; plain numbers stay numbers.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"

TEST(csv_guard, the_rule)
{
    ASSERT(wb_csv_formula("=1+1"));
    ASSERT(wb_csv_formula("=HYPERLINK(\"http://x\",\"klik\")"));
    ASSERT(wb_csv_formula("+31 20 123"));
    ASSERT(wb_csv_formula("-2+3+cmd|' /C calc'!A0"));
    ASSERT(wb_csv_formula("@SUM(A1)"));
    ASSERT(wb_csv_formula("\tx"));
    ASSERT(wb_csv_formula("\rx"));
    ASSERT(!wb_csv_formula("-5"));
    ASSERT(!wb_csv_formula("-0.25"));
    ASSERT(!wb_csv_formula("+1e3"));
    ASSERT(!wb_csv_formula("Amsterdam"));
    ASSERT(!wb_csv_formula("a=b"));
    ASSERT(!wb_csv_formula(""));
    ASSERT(!wb_csv_formula(NULL));
    ASSERT(wb_csv_formula("-"));
    ASSERT(wb_csv_formula("-inf")); /* not a plain number a spreadsheet reads */
    ASSERT(wb_csv_formula("-nan"));
}

TEST(csv_guard, areas_csv_guards_names)
{
    const char *csv = wbt_tmp("names.csv");
    wbt_write(csv, "code,naam,a_inw\n"
                   "GM9998,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\",100\n"
                   "GM9997,-5,200\n"
                   "GM9996,@SUM(A1),7\n"
                   "GM9995,Wierhaven,8\n");
    wbt_run_result r = wbt_run(NULL, "--db %s import csv %s --year 2020", wbt_tmp("g.db"), csv);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db %s areas --format csv", wbt_tmp("g.db"));
    ASSERT_EQ_I(r.status, 0);
    ASSERT_MSG(strstr(r.out, "GM9998,2020,gemeente,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\",NL00\n"),
               "%s", r.out);
    ASSERT_MSG(strstr(r.out, "GM9996,2020,gemeente,'@SUM(A1),NL00\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.out, "GM9997,2020,gemeente,-5,NL00\n"), "%s", r.out);
    ASSERT_MSG(strstr(r.out, "GM9995,2020,gemeente,Wierhaven,NL00\n"), "%s", r.out);
    wbt_run_free(&r);
    /* JSON and the terminal table show the text as it is */
    r = wbt_run(NULL, "--db %s areas --format json", wbt_tmp("g.db"));
    ASSERT(strstr(r.out, "\"name\": \"@SUM(A1)\""));
    wbt_run_free(&r);
}
