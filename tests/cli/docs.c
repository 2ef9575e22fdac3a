/**
 * @file
 * @brief Tables in the documentation that the program generates: a table after a marker
 * `<!-- wijkbeeld: ARGUMENTS -->` must be exactly the output of `wijkbeeld ARGUMENTS`
 * (scripts/doc-tables.sh regenerates them). Also the Markdown output format and --digits.
 */
#include <stdlib.h>

#include "cli/doc_tables.h"

size_t wbt_doc_check(const char *doc, const char *db)
{
    char path[4096];
    const char *root = getenv("WB_ROOT");
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", doc);
    char *text = wbt_slurp(path, NULL);
    ASSERT_MSG(text != NULL, "cannot read %s", path);
    static const char marker[] = "<!-- wijkbeeld: ";
    size_t checked = 0;
    for (char *p = strstr(text, marker); p; p = strstr(p, marker)) {
        char *args = p + strlen(marker), *end = strstr(args, " -->\n");
        if (p != text && p[-1] != '\n') { /* a marker mentioned in the text, not one on its own line */
            p = args;
            continue;
        }
        ASSERT_MSG(end != NULL && !memchr(args, '\n', (size_t)(end - args)),
                   "%s: a marker without ' -->' at its line end", doc);
        *end = 0;
        /* the table: the lines starting with '|' right after the marker */
        char *table = end + 5, *q = table;
        while (*q == '|') {
            char *nl = strchr(q, '\n');
            q = nl ? nl + 1 : q + strlen(q);
        }
        char saved = *q;
        *q = 0;
        wbt_run_result r = db ? wbt_run(NULL, "--quiet --db '%s' %s", db, args) : wbt_run(NULL, "--quiet %s", args);
        ASSERT_MSG(r.status == 0, "%s: 'wijkbeeld %s' failed: %s", doc, args, r.err);
        ASSERT_MSG(!strcmp(r.out, table),
                   "%s: the table after 'wijkbeeld: %s' is not what the program prints "
                   "(regenerate it with scripts/doc-tables.sh %s%s%s); the program prints:\n%s",
                   doc, args, doc, db ? " " : "", db ? "DB" : "", r.out);
        wbt_run_free(&r);
        *q = saved;
        p = q;
        checked++;
    }
    free(text);
    return checked;
}

TEST(cli_docs, indicators_md_is_the_catalogue)
{
    ASSERT_EQ_I(wbt_doc_check("docs/indicators.md", NULL), 2);
    /* and it lists every built-in key */
    wbt_run_result r = wbt_run(NULL, "indicators --builtin --format csv");
    ASSERT_EQ_I(r.status, 0);
    size_t n;
    wb_catalog(&n);
    ASSERT_EQ_I(wbt_count_lines(r.out), n + 1);
    wbt_run_free(&r);
}

/* --format markdown escapes '|' in cells and right-aligns numeric columns; --digits rounds
 * numbers (no "-0.00"), and leaves integers alone. */
TEST(cli_docs, markdown_format_and_digits)
{
    const char *csv = wbt_tmp("v.csv");
    wbt_write(csv, "code,year,x_een\nGM0001,2020,1.23456\nGM0002,2020,-0.001\nGM0003,2020,2\n");
    wbt_run_result r = wbt_run(NULL, "--db t.db import csv v.csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db --digits 2 export values --indicator x_een --format markdown");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_S(r.out, "| code | year | value |\n|---|---:|---:|\n| GM0001 | 2020 | 1.23 |\n"
                       "| GM0002 | 2020 | 0.00 |\n| GM0003 | 2020 | 2.00 |\n");
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db export values --indicator x_een --format csv");
    ASSERT(strstr(r.out, "GM0001,2020,1.23456\n") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--digits x indicators --builtin");
    ASSERT_EQ_I(r.status, 2);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    r = wbt_run(NULL, "indicators --builtin --format markdown");
    ASSERT(strstr(r.out, "| lbm_klasse | Leefbaarometer: klasse (1 zeer onvoldoende .. 9 uitstekend) |") != NULL);
    wbt_run_free(&r);
    /* a '|' inside a cell is escaped */
    const char *names = wbt_tmp("n.csv");
    wbt_write(names, "code,year,x_twee\nGM0001,2020,1\n");
    r = wbt_run(NULL, "--db t.db import csv n.csv --source 'a|b'");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db t.db indicators --format markdown");
    ASSERT_MSG(strstr(r.out, "| a\\|b |") != NULL, "%s", r.out);
    wbt_run_free(&r);
}
