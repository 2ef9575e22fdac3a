/**
 * @file
 * @brief Tables in the documentation that the program generates: a table after a marker
 * `<!-- wijkbeeld: ARGUMENTS -->` must be exactly the output of `wijkbeeld ARGUMENTS`
 * (scripts/doc-tables.sh regenerates them). Also the Markdown output format and --digits.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "cli/doc_tables.h"

/* 0 when @p dir is a directory (the shared data is there). */
static int access_dir(const char *dir)
{
    struct stat sb;
    return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

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

/* scripts/demo.sh (make demo) calls the importers as `load "import X" FILE --opt ...`: every
 * command must exist and take every option given, and every file must be in ../shared/data
 * (the script would skip a missing one silently otherwise). Checked against 'help CMD'
 * rather than by running the imports, which would take long under ASan. */
TEST(cli_docs, demo_script_uses_existing_commands_options_and_files)
{
    char path[4096];
    const char *root = getenv("WB_ROOT");
    snprintf(path, sizeof path, "%s/scripts/demo.sh", root ? root : ".");
    char *text = wbt_slurp(path, NULL);
    ASSERT(text != NULL);
    const char *shared = getenv("WB_SHARED");
    size_t calls = 0, nhelp = 0;
    wbt_run_result help[8];
    char help_cmd[8][64];
    for (char *p = strstr(text, "\n  load \""); p; p = strstr(p + 1, "\n  load \"")) {
        /* the call, with its continuation lines */
        char call[2048];
        size_t n = 0;
        for (const char *q = p + 1; *q && n + 1 < sizeof call; q++) {
            if (q[0] == '\\' && q[1] == '\n') {
                q++;
                continue;
            }
            if (*q == '\n')
                break;
            call[n++] = *q;
        }
        call[n] = 0;
        char cmd[64], file[512];
        ASSERT_MSG(sscanf(call, " load \"%63[^\"]\" \"%511[^\"]\"", cmd, file) == 2, "cannot read: %s", call);
        /* 'help CMD', once per command */
        size_t k;
        for (k = 0; k < nhelp && strcmp(help_cmd[k], cmd); k++)
            ;
        if (k == nhelp) {
            ASSERT(nhelp < sizeof help / sizeof help[0]);
            snprintf(help_cmd[nhelp], sizeof help_cmd[nhelp], "%s", cmd);
            help[nhelp] = wbt_run(NULL, "help %s", cmd);
            ASSERT_MSG(help[nhelp].status == 0, "demo.sh calls '%s', which this wijkbeeld does not have", cmd);
            nhelp++;
        }
        for (char *o = strstr(call, " --"); o; o = strstr(o + 1, " --")) {
            char opt[64];
            ASSERT(sscanf(o + 1, "%63[-a-z]", opt) == 1);
            char want[80];
            snprintf(want, sizeof want, "  %s ", opt);
            ASSERT_MSG(strstr(help[k].out, want) != NULL, "demo.sh: '%s' has no option %s", cmd, opt);
        }
        /* $SHARED/x, $lbm/x (leefbaarometer2_minorproject), $nl/x (geo_nlmaps_edwindj),
         * $cbs/x (geo_cbs_topojson_2014) */
        static const char *const vars[][2] = {{"$SHARED/", ""},
                                              {"$lbm/", "leefbaarometer2_minorproject/"},
                                              {"$nl/", "geo_nlmaps_edwindj/"},
                                              {"$cbs/", "geo_cbs_topojson_2014/"}};
        int known = 0;
        for (size_t v = 0; v < 4 && !known; v++)
            if (!strncmp(file, vars[v][0], strlen(vars[v][0]))) {
                known = 1;
                if (shared && *shared) {
                    char full[4096];
                    snprintf(full, sizeof full, "%s/%s%s", shared, vars[v][1], file + strlen(vars[v][0]));
                    FILE *f = fopen(full, "rb");
                    ASSERT_MSG(f != NULL || access_dir(shared) != 0, "demo.sh loads %s, which does not exist", full);
                    if (f)
                        fclose(f);
                }
            }
        ASSERT_MSG(known, "demo.sh: unexpected file argument %s", file);
        calls++;
    }
    free(text);
    for (size_t k = 0; k < nhelp; k++)
        wbt_run_free(&help[k]);
    ASSERT_EQ_I(calls, 15);
}
