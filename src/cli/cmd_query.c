/** @file @brief Read-only commands: areas, indicators, show, export values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* ---------------------------------------------------------------- areas */

static const wb_optdef areas_opts[] = {
    {"level", 1, "gemeente, wijk, buurt, land or other"},
    {"year", 1, "boundary year"},
    {"in", 1, "only areas within this area code (e.g. GM0363)"},
    {"with-geometry", 0, "only areas that have a geometry"},
    {"format", 1, "table, csv, json or markdown (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static int cmd_areas(wb_ctx *ctx, wb_args *a)
{
    wb_area_query q = WB_AREA_QUERY_INIT;
    long year;
    wb_format fmt;
    if (wb_arg_level(a, "level", 0, &q.level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_format(a, &fmt) < 0)
        return 2;
    q.year = (int)year;
    q.within = wb_arg(a, "in");
    q.with_geometry = wb_arg_has(a, "with-geometry");
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_area *areas = NULL;
    size_t n = 0;
    if (wb_store_areas(st, &areas, &n, &q) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    static const char *const cols[] = {"code", "year", "level", "name", "parent"};
    static const int num[] = {0, 1, 0, 0, 0};
    wb_table *t = wb_table_new(stdout, fmt, 5, cols, num);
    for (size_t i = 0; i < n; i++) {
        wb_table_cell(t, areas[i].code);
        wb_table_int(t, areas[i].year);
        wb_table_cell(t, wb_level_name(areas[i].level));
        wb_table_cell(t, areas[i].name);
        wb_table_cell(t, areas[i].parent[0] ? areas[i].parent : NULL);
    }
    wb_table_end(t);
    /* --in without --year over several boundary years: codes mean one area only within a year */
    if (q.within && !q.year && n && areas[0].year != areas[n - 1].year && !ctx->quiet)
        fprintf(stderr, "wijkbeeld: note: these areas have boundaries of %d to %d; a code is one area "
                        "only within one boundary year (WK036300 was a stadsdeel in 2014, a small wijk in "
                        "2016): give --year\n", areas[0].year, areas[n - 1].year);
    wb_areas_free(areas, n);
    wb_store_free(st);
    return 0;
}

static const wb_cmd areas_cmd = {"areas", "list areas (columns code,year,level,name,parent)",
                                 "[--level L] [--year Y] [--in CODE]", areas_opts, cmd_areas, 0, 0};
WB_COMMAND(areas_cmd)

/* ---------------------------------------------------------------- indicators */

static const wb_optdef ind_opts[] = {
    {"builtin", 0, "the built-in catalogue (no database needed) instead of the database's"},
    {"dimensions", 0, "the dimension vocabulary (key, label_nl, label_en) instead of the indicators"},
    {"format", 1, "table, csv, json or markdown"},
    {NULL, 0, NULL}};

static const char *dir_name(int d)
{
    return d > 0 ? "higher is better" : d < 0 ? "higher is worse" : "neutral";
}

static const char *const ind_cols[] = {"key", "label_nl", "label_en", "unit", "direction",
                                       "dimension", "source", "aliases"};

static void ind_row(wb_table *t, const char *key, const char *label_nl, const char *label_en,
                    const char *unit, int direction, const char *dimension, const char *source,
                    const char *aliases)
{
    wb_table_cell(t, key);
    wb_table_cell(t, label_nl);
    wb_table_cell(t, label_en);
    wb_table_cell(t, unit);
    wb_table_cell(t, dir_name(direction));
    wb_table_cell(t, dimension);
    wb_table_cell(t, source);
    wb_table_cell(t, aliases);
}

static int cmd_indicators(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    size_t n = 0;
    if (wb_arg_has(a, "dimensions")) {
        static const char *const cols[] = {"key", "label_nl", "label_en"};
        const wb_catalog_dimension *d = wb_catalog_dimensions(&n);
        wb_table *t = wb_table_new(stdout, fmt, 3, cols, NULL);
        for (size_t i = 0; i < n; i++) {
            wb_table_cell(t, d[i].key);
            wb_table_cell(t, d[i].label_nl);
            wb_table_cell(t, d[i].label_en);
        }
        wb_table_end(t);
        return 0;
    }
    if (wb_arg_has(a, "builtin")) {
        /* the catalogue as the importers and the demo write it, in its own order; aliases
         * comma-separated as the database lists them */
        const wb_catalog_entry *c = wb_catalog(&n);
        wb_table *t = wb_table_new(stdout, fmt, 8, ind_cols, NULL);
        for (size_t i = 0; i < n; i++) {
            char *aliases = c[i].aliases ? wb_strdup(c[i].aliases) : NULL;
            for (char *p = aliases; p && *p; p++)
                if (*p == '|')
                    *p = ',';
            ind_row(t, c[i].key, c[i].label_nl, c[i].label_en, c[i].unit, c[i].direction, c[i].dimension,
                    c[i].source, aliases);
            wb_free(aliases);
        }
        wb_table_end(t);
        return 0;
    }
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_indicator *inds = NULL;
    if (wb_store_indicators(st, &inds, &n) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    wb_table *t = wb_table_new(stdout, fmt, 8, ind_cols, NULL);
    for (size_t i = 0; i < n; i++)
        ind_row(t, inds[i].key, inds[i].label_nl, inds[i].label_en, inds[i].unit, inds[i].direction,
                inds[i].dimension, inds[i].source, inds[i].aliases);
    wb_table_end(t);
    wb_indicators_free(inds, n);
    wb_store_free(st);
    return 0;
}

static const wb_cmd indicators_cmd = {"indicators", "list the indicator catalogue of the database (or --builtin)",
                                      "[--builtin] [--dimensions]", ind_opts, cmd_indicators, 0, 0};
WB_COMMAND(indicators_cmd)

/* ---------------------------------------------------------------- show */

static const wb_optdef show_opts[] = {
    {"year", 1, "boundary year of the area (default: the latest)"},
    {"data-year", 1, "only values of this data year"},
    {"indicator", 1, "only this indicator (key or alias)"},
    {"format", 1, "table, csv, json or markdown"},
    {NULL, 0, NULL}};

/* The value of one indicator for (area code, boundary year) in a data year; NaN if none. */
static double value_of(wb_store *st, const char *key, const char *code, int byear, int year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = code;
    q.boundary_year = byear;
    q.year = year;
    wb_value *v = NULL;
    size_t n = 0;
    double out = NAN;
    if (wb_store_values(st, &v, &n, NULL, &q) == 0 && n > 0)
        out = v[0].value;
    wb_free(v);
    return out;
}

/* The boundary years in which @p code exists other than @p except, as "2014, 2016" in @p buf
 * (a code is only the same area within one boundary year: WK036300 was a stadsdeel in 2014
 * and a small wijk in 2016). @return how many. */
static size_t other_years(wb_store *st, const char *code, wb_level level, int except, char *buf, size_t n)
{
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = level;
    q.within = code;
    wb_area *a = NULL;
    size_t na = 0, k = 0, used = 0;
    buf[0] = 0;
    if (wb_store_areas(st, &a, &na, &q) < 0) {
        wb_error_clear();
        return 0;
    }
    for (size_t i = 0; i < na; i++)
        if (!strcmp(a[i].code, code) && a[i].year != except && used + 8 < n) {
            used += (size_t)snprintf(buf + used, n - used, "%s%d", k ? ", " : "", a[i].year);
            k++;
        }
    wb_areas_free(a, na);
    return k;
}

static int cmd_show(wb_ctx *ctx, wb_args *a)
{
    long year, data_year;
    wb_format fmt;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_int(a, "data-year", 0, 1800, 2200, &data_year) < 0 ||
        wb_arg_format(a, &fmt) < 0)
        return 2;
    char code[WB_CODE_MAX];
    wb_level level;
    if (wb_code_normalize(code, &level, a->pos[0], strlen(a->pos[0]), WB_LEVEL__MAX) < 0)
        return wb_cli_usage("%s", wb_error_last()->message);
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_area *area = NULL, *parent = NULL;
    wb_indicator *inds = NULL;
    size_t ninds = 0;
    char *labels = NULL, years[256];
    char key[64] = "";
    const char *only = wb_arg(a, "indicator");
    if (wb_store_area_get(st, &area, code, (int)year) < 0) {
        /* say in which boundary years the code does exist */
        if (year && other_years(st, code, level, 0, years, sizeof years)) {
            fprintf(stderr, "wijkbeeld: no area %s with boundaries of %ld; it exists with boundaries %s "
                            "(--year)\n", code, year, years);
            rc = 1;
        } else {
            rc = wb_cli_fail();
        }
        goto done;
    }
    if ((only && wb_store_indicator_resolve(st, NULL, key, only) < 0) || wb_store_indicators(st, &inds, &ninds) < 0 ||
        wb_store_area_labels(st, &labels, area->id) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    int parent_missing = 0;
    if (area->parent[0] && wb_store_area_get(st, &parent, area->parent, area->year) < 0) {
        wb_error_clear();
        parent = NULL;
        parent_missing = 1;
    }
    if (fmt == WB_FMT_TABLE) {
        printf("%s %s (%s, boundaries %d)\n", area->code, area->name ? area->name : "",
               wb_level_name(area->level), area->year);
        if (parent)
            printf("in %s %s\n", parent->code, parent->name ? parent->name : "");
        else if (parent_missing)
            printf("in %s (not in the database with boundaries %d: no parent values)\n", area->parent, area->year);
        if (labels && *labels)
            printf("labels: %s\n", labels);
        if (other_years(st, area->code, area->level, area->year, years, sizeof years))
            printf("the code %s also exists with boundaries %s (possibly another area: show %s --year Y)\n",
                   area->code, years, area->code);
        printf("\n");
    }
    static const char *const cols[] = {"indicator", "year", "value", "parent_value", "unit", "label"};
    static const int num[] = {0, 1, 1, 1, 0, 0};
    wb_table *t = wb_table_new(stdout, fmt, 6, cols, num);
    size_t rows = 0;
    for (size_t i = 0; i < ninds; i++) {
        if (key[0] && strcmp(inds[i].key, key))
            continue;
        wb_value_query q = WB_VALUE_QUERY_INIT;
        q.indicator = inds[i].key;
        q.code = area->code;
        q.boundary_year = area->year;
        q.year = (int)data_year;
        q.with_missing = 1;
        wb_value *v = NULL;
        size_t n = 0;
        if (wb_store_values(st, &v, &n, NULL, &q) < 0) {
            wb_table_end(t);
            rc = wb_cli_fail();
            goto done;
        }
        for (size_t k = 0; k < n; k++) {
            wb_table_cell(t, inds[i].key);
            wb_table_int(t, v[k].year);
            wb_table_num(t, v[k].value);
            wb_table_num(t, parent ? value_of(st, inds[i].key, parent->code, parent->year, v[k].year) : NAN);
            wb_table_cell(t, inds[i].unit);
            wb_table_cell(t, inds[i].label_nl);
            rows++;
        }
        wb_free(v);
    }
    wb_table_end(t);
    if (!rows && !ctx->quiet)
        fprintf(stderr, "wijkbeeld: no values for %s with boundaries %d%s%s\n", area->code, area->year,
                data_year ? " in that data year" : "", key[0] ? " of that indicator" : "");
done:
    free(labels);
    wb_areas_free(area, area ? 1 : 0);
    wb_areas_free(parent, parent ? 1 : 0);
    wb_indicators_free(inds, ninds);
    wb_store_free(st);
    return rc;
}

static const wb_cmd show_cmd = {"show", "every value of an area beside its parent's",
                                "CODE [--year Y] [--data-year Y] [--indicator KEY]", show_opts, cmd_show, 1, 1};
WB_COMMAND(show_cmd)

/* ---------------------------------------------------------------- export values */

static const wb_optdef ev_opts[] = {
    {"indicator", 1, "indicator key or alias (required)"},
    {"year", 1, "data year"},
    {"boundary-year", 1, "year of the area boundaries"},
    {"level", 1, "gemeente, wijk or buurt"},
    {"in", 1, "only areas within this area code"},
    {"with-missing", 0, "also list areas whose value is missing (empty value)"},
    {"format", 1, "csv (default), json or table"},
    {NULL, 0, NULL}};

static int cmd_export_values(wb_ctx *ctx, wb_args *a)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    long year, byear;
    wb_format fmt = WB_FMT_CSV;
    if (!wb_arg_has(a, "indicator"))
        return wb_cli_usage("export values: --indicator KEY is required");
    if (wb_arg_level(a, "level", 0, &q.level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 ||
        (wb_arg_has(a, "format") && wb_arg_format(a, &fmt) < 0))
        return 2;
    q.indicator = wb_arg(a, "indicator");
    q.year = (int)year;
    q.boundary_year = (int)byear;
    q.within = wb_arg(a, "in");
    q.with_missing = wb_arg_has(a, "with-missing");
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_value *v = NULL;
    size_t n = 0, missing = 0;
    if (wb_store_values(st, &v, &n, &missing, &q) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    static const char *const cols[] = {"code", "year", "value"};
    static const int num[] = {0, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, 3, cols, num);
    for (size_t i = 0; i < n; i++) {
        wb_table_cell(t, v[i].code);
        wb_table_int(t, v[i].year);
        wb_table_num(t, v[i].value);
    }
    wb_table_end(t);
    if (missing && !ctx->quiet)
        fprintf(stderr, "wijkbeeld: %zu areas with a missing value left out (--with-missing lists them)\n",
                missing);
    wb_free(v);
    wb_store_free(st);
    return 0;
}

static const wb_cmd export_values_cmd = {
    "export values", "values of one indicator (columns code,year,value)",
    "--indicator KEY [--year Y] [--level L]", ev_opts, cmd_export_values, 0, 0};
WB_COMMAND(export_values_cmd)
