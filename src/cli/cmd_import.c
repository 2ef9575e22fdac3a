/** @file @brief Import commands: import csv, import kwb, import lbm, import crime, import labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"

#define COMMON_OPTS                                                                          \
    {"year", 1, "data year (with a year column: import only that year)"},                    \
        {"boundary-year", 1, "boundary year of the areas (default: the data year)"},         \
        {"level", 1, "level of bare numeric codes; rows of other levels are skipped"},       \
        {"key", 1, "the area code column (default: found by name)"},                         \
        {"delimiter", 1, "field delimiter: , ; tab | (default: sniffed from the header)"},   \
        {"decimal-comma", 0, "numbers are written with a decimal comma (12,5)"},             \
        {"skip", 1, "comma-separated columns not to import"},                                \
        {"source", 1, "source text for new indicators"}

static const wb_optdef csv_opts[] = {COMMON_OPTS,
                                     {"long", 0, "long format: columns code, indicator, value [, year]"},
                                     {NULL, 0, NULL}};
static const wb_optdef kwb_opts[] = {COMMON_OPTS,
                                     {"codebook", 1, "StatLine DataProperties.json (default: one next to the file)"},
                                     {NULL, 0, NULL}};
static const wb_optdef crime_opts[] = {
    {"year", 1, "import only this data year (without a Perioden column: the data year)"},
    {"boundary-year", 1, "boundary year of the areas (default: the data year)"},
    {"level", 1, "import only areas of this level"},
    {"key", 1, "the area code column (default: WijkenEnBuurten, found by name)"},
    {"delimiter", 1, "field delimiter (default: sniffed)"},
    {"codebook", 1, "the SoortMisdrijf dimension JSON (Key, Title), for a file with titles "
                    "instead of codes (default: a *SoortMisdrijf*.json next to the file)"},
    {NULL, 0, NULL}};
static const wb_optdef lbm_opts[] = {
    {"year", 1, "import only this data year"},
    {"boundary-year", 1, "boundary year (default: the latest year in the file)"},
    {"level", 1, "import only rows of this level"},
    {"key", 1, "the area code column (default: found by name)"},
    {"delimiter", 1, "field delimiter (default: sniffed)"},
    {"skip", 1, "comma-separated columns not to import"},
    {NULL, 0, NULL}};

enum { IMP_CSV, IMP_KWB, IMP_LBM, IMP_CRIME };

static int parse_delimiter(const char *s, char *out)
{
    if (!s) {
        *out = 0;
        return 0;
    }
    if (!strcmp(s, "tab") || !strcmp(s, "\\t") || !strcmp(s, "\t"))
        *out = '\t';
    else if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r')
        *out = s[0];
    else {
        wb_cli_usage("--delimiter: expected one character (, ; | or tab), got '%s'", s);
        return -1;
    }
    return 0;
}

/* Remove a database this command created when it failed, so a failed first import leaves
 * nothing behind. */
static void remove_created(const char *db)
{
    char p[4096];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

static int run_import(wb_ctx *ctx, wb_args *a, int kind)
{
    wb_import_opts o = WB_IMPORT_OPTS_INIT;
    long year, byear;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        wb_arg_level(a, "level", 0, &o.level) < 0 || parse_delimiter(wb_arg(a, "delimiter"), &o.delimiter) < 0)
        return 2;
    o.year = (int)year;
    o.boundary_year = (int)byear;
    o.key_column = wb_arg(a, "key");
    o.decimal_comma = wb_arg_has(a, "decimal-comma");
    o.long_format = wb_arg_has(a, "long");
    o.codebook = wb_arg(a, "codebook");
    o.skip_columns = wb_arg(a, "skip");
    o.source = wb_arg(a, "source");
    o.progress = wb_cli_progress;
    o.progress_payload = ctx;
    const char *path = a->pos[0];
    /* the input must exist before the database is opened (or created) */
    if (strcmp(path, "-") && access(path, R_OK) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: no such file or not readable: expected a %s", path,
                     kind == IMP_KWB ? "CSV, XLSX, XLS, OData JSON or GeoPackage file"
                                     : "CSV, XLSX, XLS or OData JSON file");
        return wb_cli_fail();
    }
    int existed = access(ctx->db_path, F_OK) == 0;
    wb_store *st = wb_cli_open(ctx, 1);
    if (!st)
        return 1;
    wb_import_stats s;
    int r = kind == IMP_CSV     ? wb_import_csv(st, &s, path, &o)
            : kind == IMP_KWB   ? wb_import_kwb(st, &s, path, &o)
            : kind == IMP_CRIME ? wb_import_crime(st, &s, path, &o)
                                : wb_import_lbm(st, &s, path, &o);
    if (r < 0) {
        int rc = wb_cli_fail();
        wb_store_free(st);
        if (!existed)
            remove_created(ctx->db_path);
        return rc;
    }
    wb_store_free(st);
    const char *slash = strrchr(path, '/');
    printf("imported %s: %zu rows, %zu areas (%zu new), %zu indicators (%zu new), %zu values, "
           "%zu missing",
           slash ? slash + 1 : path, s.rows, s.areas, s.new_areas, s.indicators, s.new_indicators,
           s.values, s.missing);
    if (s.missing_codes)
        printf(" (%zu of them CBS missing codes)", s.missing_codes);
    printf(", %zu skipped", s.skipped);
    if (s.min_year)
        printf("; years %d-%d", s.min_year, s.max_year);
    if (s.boundary_year)
        printf("; boundaries %d", s.boundary_year);
    printf("\n");
    fflush(stdout); /* the summary before the note, also when both go to one terminal */
    if (s.note[0] && !ctx->quiet)
        fprintf(stderr, "wijkbeeld: note: %s\n", s.note);
    return 0;
}

static int cmd_import_csv(wb_ctx *ctx, wb_args *a)
{
    return run_import(ctx, a, IMP_CSV);
}

static int cmd_import_kwb(wb_ctx *ctx, wb_args *a)
{
    return run_import(ctx, a, IMP_KWB);
}

static int cmd_import_lbm(wb_ctx *ctx, wb_args *a)
{
    return run_import(ctx, a, IMP_LBM);
}

static int cmd_import_crime(wb_ctx *ctx, wb_args *a)
{
    return run_import(ctx, a, IMP_CRIME);
}

static const wb_cmd import_csv_cmd = {
    "import csv",
    "import a table keyed by CBS area code (wide: a column per indicator; or --long)",
    "FILE [--key COL] [--year Y] [--boundary-year Y] [--level L] [--decimal-comma] "
    "[--delimiter C] [--long]",
    csv_opts, cmd_import_csv, 1, 1};
WB_COMMAND(import_csv_cmd)

static const wb_cmd import_kwb_cmd = {
    "import kwb",
    "import CBS Kerncijfers Wijken en Buurten (StatLine CSV or OData JSON, kwb-YYYY .csv .xlsx "
    ".xls, or the Wijk- en Buurtkaart .gpkg with its polygons)",
    "FILE [--year Y] [--boundary-year Y] [--codebook DataProperties.json]", kwb_opts,
    cmd_import_kwb, 1, 1};
WB_COMMAND(import_kwb_cmd)

static const wb_cmd import_crime_cmd = {
    "import crime",
    "import registered crime per area (CBS/police 47018NED, typed CSV or OData JSON): counts per "
    "crime family and per 1,000 inhabitants",
    "FILE [--year Y] [--boundary-year Y] [--codebook SoortMisdrijf.json]", crime_opts,
    cmd_import_crime, 1, 1};
WB_COMMAND(import_crime_cmd)

static const wb_cmd import_lbm_cmd = {
    "import lbm", "import Leefbaarometer scores (LBM 2.0 and 3.0 files)",
    "FILE [--year Y] [--boundary-year Y]", lbm_opts, cmd_import_lbm, 1, 1};
WB_COMMAND(import_lbm_cmd)

/* ---------------------------------------------------------------- labels */

static const wb_optdef labels_opts[] = {
    {"set", 1, "name of the label set (required)"},
    {"year", 1, "boundary year of the areas to match (default: the latest in the store)"},
    {"level", 1, "match only areas of this level (default: wijk, then buurt, then gemeente)"},
    {"match", 1, "CSV mapping names to area codes: columns name, code or codes (several: ';'), "
                 "optionally gm_code and match (a quality)"},
    {"match-quality", 1, "with --match: use only match-file rows of these qualities (e.g. exact,approx)"},
    {"description", 1, "description of the set (default: the file name)"},
    {"delimiter", 1, "field delimiter (default: sniffed)"},
    {"format", 1, "table, csv or json: how every row matched"},
    {NULL, 0, NULL}};

static const char *match_name(wb_match_kind k)
{
    switch (k) {
    case WB_MATCH_CODE: return "code";
    case WB_MATCH_NAME: return "name";
    case WB_MATCH_FILE: return "match file";
    case WB_MATCH_AMBIGUOUS: return "ambiguous";
    case WB_MATCH_EXCLUDED: return "excluded";
    default: return "not found";
    }
}

static int cmd_import_labels(wb_ctx *ctx, wb_args *a)
{
    wb_label_opts o = WB_LABEL_OPTS_INIT;
    long year;
    wb_format fmt;
    const char *set = wb_arg(a, "set");
    if (!set || !*set)
        return wb_cli_usage("import labels: --set NAME is required");
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_level(a, "level", 0, &o.level) < 0 ||
        parse_delimiter(wb_arg(a, "delimiter"), &o.delimiter) < 0 || wb_arg_format(a, &fmt) < 0)
        return 2;
    o.year = (int)year;
    o.match_file = wb_arg(a, "match");
    o.match_quality = wb_arg(a, "match-quality");
    if (o.match_quality && !o.match_file)
        return wb_cli_usage("import labels: --match-quality needs --match FILE");
    o.description = wb_arg(a, "description");
    const char *path = a->pos[0];
    if (strcmp(path, "-") && access(path, R_OK) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: no such file or not readable: expected a CSV file", path);
        return wb_cli_fail();
    }
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_label_result res = WB_LABEL_RESULT_INIT;
    int r = wb_import_labels(st, &res, path, set, &o);
    int rc = 0;
    if (r < 0 && r != WB_ENOTFOUND) {
        rc = wb_cli_fail();
        goto done;
    }
    if (res.n) {
        static const char *const cols[] = {"line", "input", "gemeente", "match", "code", "name"};
        static const int num[] = {1, 0, 0, 0, 0, 0};
        wb_table *t = wb_table_new(stdout, fmt, 6, cols, num);
        for (size_t i = 0; i < res.n; i++) {
            const wb_label_match *m = &res.rows[i];
            wb_table_int(t, (long long)m->line);
            wb_table_cell(t, m->input);
            wb_table_cell(t, m->gemeente[0] ? m->gemeente : NULL);
            if (m->kind == WB_MATCH_FILE && m->quality && m->nareas > 1)
                wb_table_cellf(t, "match file (%s, %zu areas)", m->quality, m->nareas);
            else if (m->kind == WB_MATCH_FILE && m->quality)
                wb_table_cellf(t, "match file (%s)", m->quality);
            else if (m->kind == WB_MATCH_FILE && m->nareas > 1)
                wb_table_cellf(t, "match file (%zu areas)", m->nareas);
            else if (m->kind == WB_MATCH_EXCLUDED)
                wb_table_cellf(t, "excluded (%s)", m->quality ? m->quality : "no quality");
            else if (m->kind == WB_MATCH_NONE && m->quality)
                wb_table_cellf(t, "not found (match file: %s)", m->quality);
            else
                wb_table_cell(t, match_name(m->kind));
            wb_table_cell(t, m->code[0] ? m->code : NULL);
            wb_table_cell(t, m->name);
        }
        wb_table_end(t);
    }
    if (r < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    FILE *sum = fmt == WB_FMT_TABLE ? stdout : stderr;
    size_t excluded = 0;
    for (size_t i = 0; i < res.n; i++)
        excluded += res.rows[i].kind == WB_MATCH_EXCLUDED;
    fprintf(sum, "label set %s: %zu rows, %zu matched, %zu not matched", set, res.n, res.matched,
            res.n - res.matched - excluded);
    if (excluded)
        fprintf(sum, ", %zu excluded by --match-quality", excluded);
    fprintf(sum, ", %zu areas (boundaries %d)\n", res.members, res.year);
done:
    wb_label_result_dispose(&res);
    wb_store_free(st);
    return rc;
}

static const wb_cmd import_labels_cmd = {
    "import labels", "make a named set of areas from a file of codes or of names with gm_code",
    "FILE --set NAME [--year Y] [--level L] [--match FILE [--match-quality LIST]]", labels_opts, cmd_import_labels, 1, 1};
WB_COMMAND(import_labels_cmd)
