/** @file @brief Polygon commands: import geo, export geojson (thin wrappers over geoio.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"

/* ---------------------------------------------------------------- import geo */

static const wb_optdef import_opts[] = {
    {"year", 1, "boundary year of the areas (required)"},
    {"level", 1, "gemeente, wijk, buurt or other (default: from each code's prefix)"},
    {"code-field", 1, "property with the area code (default: statcode, BU_CODE, ..., the id)"},
    {"name-field", 1, "property with the name (default: statnaam, BU_NAAM, name, ...)"},
    {"crs", 1, "CRS of the coordinates, e.g. EPSG:28992 (default: the file's, else lon/lat)"},
    {"object", 1, "TopoJSON object or layer to read (default: the first with polygons)"},
    {"format", 1, "summary as table, csv or json"},
    {"max-inflated", 1, "a gzipped file may inflate to this many MiB at most (default 256)"},
    {NULL, 0, NULL}};

static void row_s(wb_table *t, const char *k, const char *v)
{
    wb_table_cell(t, k);
    wb_table_cell(t, v && *v ? v : NULL);
}

static void row_n(wb_table *t, const char *k, size_t v)
{
    wb_table_cell(t, k);
    wb_table_cellf(t, "%zu", v);
}

static int cmd_import_geo(wb_ctx *ctx, wb_args *a)
{
    long year;
    wb_format fmt;
    wb_geo_opts o = WB_GEO_OPTS_INIT;
    if (!wb_arg_has(a, "year"))
        return wb_cli_usage("import geo: --year Y (the boundary year) is required");
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_level(a, "level", 0, &o.level) < 0 ||
        wb_arg_format(a, &fmt) < 0)
        return 2;
    long maxinf;
    if (wb_arg_int(a, "max-inflated", 256, 1, 1 << 20, &maxinf) < 0)
        return 2;
    o.max_inflated_mb = (unsigned)maxinf;
    o.year = (int)year;
    o.code_field = wb_arg(a, "code-field");
    o.name_field = wb_arg(a, "name-field");
    o.crs = wb_arg(a, "crs");
    o.object = wb_arg(a, "object");
    o.progress = wb_cli_progress;
    o.progress_payload = ctx;
    const char *path = a->pos[0];
    if (access(path, R_OK) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", path, strerror(errno));
        return wb_cli_fail();
    }
    if (o.crs && wb_crs_check(o.crs, NULL, NULL, 0) < 0)
        return wb_cli_usage("--crs: %s", wb_error_last()->message);
    wb_store *st = wb_cli_open(ctx, 1);
    if (!st)
        return 1;
    wb_geo_summary s;
    int error = wb_geo_import(st, path, &o, &s);
    wb_store_free(st);
    if (error < 0)
        return wb_cli_fail();
    static const char *const cols[] = {"item", "value"};
    wb_table *t = wb_table_new(stdout, fmt, 2, cols, NULL);
    row_s(t, "file", path);
    row_s(t, "format", s.format);
    row_s(t, "object", s.object);
    row_s(t, "crs", s.crs);
    row_s(t, "crs_source", s.crs_source);
    row_s(t, "code_field", s.code_field);
    row_s(t, "name_field", s.name_field);
    row_n(t, "year", (size_t)o.year);
    row_n(t, "features", s.features);
    row_n(t, "null_geometries", s.null_geometries);
    row_n(t, "collapsed", s.collapsed);
    row_n(t, "duplicate_codes", s.duplicate_codes);
    row_n(t, "areas", s.areas);
    row_n(t, "imported", s.imported);
    row_n(t, "without_geometry", s.without_geometry);
    row_n(t, "degenerate_rings", s.clean.degenerate_rings);
    row_n(t, "empty_polygons", s.clean.empty_polygons);
    row_n(t, "orphan_holes", s.clean.orphan_holes);
    row_n(t, "repeated_points", s.clean.repeated_points);
    row_n(t, "rings_closed", s.clean.rings_closed);
    row_n(t, "repaired_polygons", s.clean.repaired_polygons);
    row_n(t, "polygons", s.polygons);
    row_n(t, "rings", s.rings);
    row_n(t, "points", s.points);
    row_n(t, "areas_new", s.areas_new);
    row_n(t, "areas_updated", s.areas_updated);
    wb_table_cell(t, "area_km2");
    wb_table_cellf(t, "%.3f", s.area_km2);
    wb_table_end(t);
    return 0;
}

static const wb_cmd import_geo_cmd = {
    "import geo",
    "import polygons (TopoJSON, GeoJSON, GeoPackage, Shapefile; .gz) as areas with geometry",
    "FILE --year Y [--level L] [--code-field NAME] [--name-field NAME] [--crs EPSG:xxxx] "
    "[--object NAME]",
    import_opts, cmd_import_geo, 1, 1};
WB_COMMAND(import_geo_cmd)

/* ---------------------------------------------------------------- export geojson */

static const wb_optdef export_opts[] = {
    {"level", 1, "gemeente, wijk or buurt (required)"},
    {"year", 1, "boundary year (required)"},
    {"indicator", 1, "add the values of this indicator as property 'value' (null when missing)"},
    {"data-year", 1, "data year of the values (default: the boundary year)"},
    {"simplify", 1, "simplify with this tolerance in metres, keeping shared borders shared"},
    {"precision", 1, "decimals of the coordinates (default 6 for degrees, 2 for metres)"},
    {"crs", 1, "output CRS (default EPSG:4326 lon/lat as RFC 7946; e.g. EPSG:28992)"},
    {"output", 1, "write to this file instead of standard output (also: -o FILE)"},
    {NULL, 0, NULL}};

static int write_file(void *payload, const char *data, size_t len)
{
    if (fwrite(data, 1, len, payload) != len) {
        wb_error_set(WB_ERRCLASS_OS, "writing: %s", strerror(errno));
        return WB_EIO;
    }
    return 0;
}

static int cmd_export_geojson(wb_ctx *ctx, wb_args *a)
{
    wb_level level;
    long year, data_year, precision;
    double simplify;
    wb_geojson_opts o = WB_GEOJSON_OPTS_INIT;
    if (!wb_arg_has(a, "year"))
        return wb_cli_usage("export geojson: --year Y is required");
    if (wb_arg_level(a, "level", 1, &level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "data-year", 0, 1800, 2200, &data_year) < 0 ||
        wb_arg_int(a, "precision", -1, 0, 12, &precision) < 0 ||
        wb_arg_double(a, "simplify", 0, &simplify) < 0)
        return 2;
    if (simplify < 0)
        return wb_cli_usage("--simplify: expected a tolerance in metres >= 0");
    const char *output = wb_arg(a, "output");
    if (a->npos == 2 && !strcmp(a->pos[0], "-o") && !output)
        output = a->pos[1];
    else if (a->npos)
        return wb_cli_usage("export geojson: unexpected argument '%s' (use -o FILE or --output FILE)",
                            a->pos[0]);
    if (wb_arg_has(a, "data-year") && !wb_arg_has(a, "indicator"))
        return wb_cli_usage("--data-year needs --indicator");
    o.precision = (int)precision;
    o.simplify = simplify;
    o.crs = wb_arg(a, "crs");
    if (o.crs && wb_crs_check(o.crs, NULL, NULL, 0) < 0)
        return wb_cli_usage("--crs: %s", wb_error_last()->message);
    const char *indicator = wb_arg(a, "indicator");
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    if (indicator && wb_store_indicator_resolve(st, NULL, NULL, indicator) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    FILE *f = stdout;
    char tmp[4096] = "";
    if (output) {
        snprintf(tmp, sizeof tmp, "%s.tmp%ld", output, (long)getpid());
        f = fopen(tmp, "wb");
        if (!f) {
            wb_store_free(st);
            wb_error_set(WB_ERRCLASS_OS, "%s: %s", output, strerror(errno));
            return wb_cli_fail();
        }
    }
    wb_geojson_stats s;
    int error = wb_geojson_export(write_file, f, st, level, (int)year, indicator, (int)data_year, &o, &s);
    wb_store_free(st);
    if (output) {
        if (fclose(f) != 0 && error == 0) {
            wb_error_set(WB_ERRCLASS_OS, "%s: %s", output, strerror(errno));
            error = WB_EIO;
        }
        if (error == 0 && rename(tmp, output) != 0) {
            wb_error_set(WB_ERRCLASS_OS, "%s: %s", output, strerror(errno));
            error = WB_EIO;
        }
        if (error < 0)
            remove(tmp);
    } else if (fflush(stdout) != 0 && error == 0) {
        wb_error_set(WB_ERRCLASS_OS, "standard output: %s", strerror(errno));
        error = WB_EIO;
    }
    if (error < 0)
        return wb_cli_fail();
    if (!ctx->quiet) {
        FILE *msg = output ? stdout : stderr;
        if (output)
            fprintf(msg, "wrote %zu features (%zu points of %zu) to %s\n", s.features, s.points_out,
                    s.points_in, output);
        if (indicator && s.with_value == 0)
            fprintf(stderr, "wijkbeeld: note: no values of %s for %ld on %ld boundaries; every value is null\n",
                    indicator, data_year ? data_year : year, year);
    }
    return 0;
}

static const wb_cmd export_geojson_cmd = {
    "export geojson", "polygons of a level and year as GeoJSON (WGS84), optionally with values",
    "--level L --year Y [--indicator KEY [--data-year Y]] [--simplify METRES] [--precision D] "
    "[-o FILE]",
    export_opts, cmd_export_geojson, 0, 2};
WB_COMMAND(export_geojson_cmd)

/* ---------------------------------------------------------------- export gpkg */

static const wb_optdef gpkg_opts[] = {
    {"level", 1, "gemeente, wijk or buurt (required)"},
    {"year", 1, "boundary year (required)"},
    {"indicator", 1, "add the values of this indicator as field 'value' (NULL when missing)"},
    {"data-year", 1, "data year of the values (default: the boundary year)"},
    {"output", 1, "the GeoPackage to write (also: -o FILE); replaced when it exists"},
    {NULL, 0, NULL}};

static int cmd_export_gpkg(wb_ctx *ctx, wb_args *a)
{
    wb_level level;
    long year, data_year;
    if (!wb_arg_has(a, "year"))
        return wb_cli_usage("export gpkg: --year Y is required");
    if (wb_arg_level(a, "level", 1, &level) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "data-year", 0, 1800, 2200, &data_year) < 0)
        return 2;
    const char *output = wb_arg(a, "output");
    if (a->npos == 2 && !strcmp(a->pos[0], "-o") && !output)
        output = a->pos[1];
    else if (a->npos)
        return wb_cli_usage("export gpkg: unexpected argument '%s' (use -o FILE)", a->pos[0]);
    if (!output)
        return wb_cli_usage("export gpkg: -o FILE is required (a GeoPackage is not written to a terminal)");
    if (wb_arg_has(a, "data-year") && !wb_arg_has(a, "indicator"))
        return wb_cli_usage("--data-year needs --indicator");
    const char *indicator = wb_arg(a, "indicator");
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    /* write next to the target, then rename: an existing file is only replaced by a whole one */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld.gpkg", output, (long)getpid());
    remove(tmp);
    size_t n = 0;
    int error = wb_gpkg_export(tmp, st, level, (int)year, indicator, (int)data_year, &n);
    wb_store_free(st);
    if (error == 0 && rename(tmp, output) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", output, strerror(errno));
        remove(tmp);
        error = WB_EIO;
    }
    if (error < 0)
        return wb_cli_fail();
    if (!ctx->quiet)
        printf("wrote %zu features to %s (layer %s_%ld, EPSG:28992)\n", n, output, wb_level_name(level), year);
    return 0;
}

static const wb_cmd export_gpkg_cmd = {
    "export gpkg", "polygons of a level and year as a GeoPackage (RD New; opens in QGIS)",
    "--level L --year Y [--indicator KEY [--data-year Y]] -o FILE", gpkg_opts, cmd_export_gpkg, 0, 2};
WB_COMMAND(export_gpkg_cmd)
