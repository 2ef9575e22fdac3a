/**
 * @file
 * @brief Reading and writing polygon files: import of TopoJSON, GeoJSON, GeoPackage and
 * Shapefile into the store, and GeoJSON (and GeoPackage) output of a level and year.
 *
 * Import rules, the same for every format:
 * - Geometries are read in the file's CRS and reprojected to RD New (EPSG:28992) metres.
 *   The source CRS is, in this order: the @c crs option; the file's own (GeoJSON / TopoJSON
 *   @c crs member, .prj, GeoPackage srs); WGS84 lon/lat when every coordinate lies within
 *   [-180, 180] x [-90, 90]. Otherwise the import fails and asks for the option.
 * - Rings are cleaned (wb_geom_clean): repeated consecutive points removed, rings closed,
 *   degenerate rings (fewer than 4 points, or zero area) dropped, polygons whose exterior is
 *   degenerate dropped. Everything dropped is counted in wb_geo_summary.
 * - Every feature with a code becomes an area of the given boundary year, also when it has
 *   no polygon (a null geometry in the file, or only degenerate polygons): the area exists
 *   in that year's division, it just has no geometry stored. Such areas are counted in
 *   @c without_geometry and never get a placeholder geometry.
 * - Several features with the same code are merged into one multipolygon (counted).
 * - Anything else that is wrong (unreadable file, invalid JSON, a bad arc index, a geometry
 *   that is not a polygon, a feature without a code) is an error naming the file and, where
 *   known, the line and column or the feature; wb_geo_import then writes nothing.
 */
#ifndef WIJKBEELD_GEOIO_H
#define WIJKBEELD_GEOIO_H

#include <stddef.h>

#include "core.h"
#include "geo.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of wb_geo_read and wb_geo_import. Initialise with WB_GEO_OPTS_INIT. */
typedef struct {
    int version;
    int year;               /**< boundary year of the areas (required by wb_geo_import) */
    wb_level level;         /**< WB_LEVEL__MAX: each area's level from its code prefix; else
                                 the level of codes without a CBS prefix, and a check that
                                 prefixed codes have this level */
    const char *code_field; /**< property holding the area code; NULL: automatic (statcode,
                                 gwb_code, BU_CODE / WK_CODE / GM_CODE, code, ..., the
                                 feature id) */
    const char *name_field; /**< property holding the name; NULL: automatic (statnaam,
                                 BU_NAAM / WK_NAAM / GM_NAAM, name, naam, ...); "" for none */
    const char *crs;        /**< source CRS, overriding the file's ("EPSG:28992"); NULL: see
                                 the file comment */
    const char *object;     /**< TopoJSON object or OGR layer; NULL: the only one, else the
                                 first that holds polygons */
    wb_progress_fn progress;
    void *progress_payload;
    unsigned max_inflated_mb; /**< a gzipped file may inflate to this many MiB at most (it
                                 is read as a stream, never inflated whole); 0: 256 */
} wb_geo_opts;

#define WB_GEO_OPTS_INIT {1, 0, WB_LEVEL__MAX, NULL, NULL, NULL, NULL, NULL, NULL, 0}

/** What an import read, dropped and stored. */
typedef struct {
    char format[32];          /**< "TopoJSON", or the OGR driver: "GeoJSON", "GPKG", "ESRI Shapefile" */
    char object[128];         /**< TopoJSON object or layer that was read */
    size_t nobjects;          /**< objects or layers in the file */
    char crs[128];            /**< source CRS used ("EPSG:28992", "OGC:CRS84", ...) */
    char crs_source[160];     /**< where it came from: "file", "--crs option", ... */
    char code_field[64];      /**< the property the codes came from ("id" for the feature id) */
    char name_field[64];      /**< the property the names came from, "" for none */
    size_t features;          /**< features in the object or layer */
    size_t null_geometries;   /**< features without a geometry in the file */
    size_t collapsed;         /**< features whose every polygon was dropped as degenerate */
    size_t duplicate_codes;   /**< features merged into an earlier one with the same code */
    size_t areas;             /**< distinct codes = features - duplicate_codes */
    size_t imported;          /**< areas with a geometry */
    size_t without_geometry;  /**< areas without a geometry (null or collapsed) */
    size_t polygons, rings, points; /**< what was kept */
    wb_geom_clean_stats clean;/**< what was dropped or repaired */
    size_t areas_new;         /**< areas that were not in the store yet (wb_geo_import only) */
    size_t areas_updated;     /**< areas that were already there (name and geometry replaced) */
    double area_km2;          /**< total area of the kept polygons, km2 (RD New) */
    double bbox[4];           /**< RD New extent of the kept polygons */
} wb_geo_summary;

/** Flags of one feature read by wb_geo_read. */
enum {
    WB_GEO_NULL = 1,     /**< the file has no geometry for it */
    WB_GEO_COLLAPSED = 2 /**< every polygon was degenerate and dropped */
};

/** Areas read from a polygon file (after merging duplicate codes), in file order. */
typedef struct {
    size_t n;
    char (*codes)[WB_CODE_MAX]; /**< normalised codes */
    wb_level *levels;
    char **names;               /**< NULL entries where the file has no name */
    wb_geom *geoms;             /**< RD New metres; npolys == 0 when there is none */
    unsigned *flags;            /**< WB_GEO_NULL, WB_GEO_COLLAPSED */
} wb_geo_features;

#define WB_GEO_FEATURES_INIT {0, NULL, NULL, NULL, NULL, NULL}

/** Free everything and reset. Accepts NULL. */
void wb_geo_features_dispose(wb_geo_features *f);

/**
 * Read a polygon file into memory, reprojected to RD New. Formats: TopoJSON (own decoder:
 * quantised and delta-encoded or plain arcs, reversed arcs, Polygon, MultiPolygon,
 * GeometryCollection and null geometries; shared arcs are decoded once, so neighbours have
 * bit-identical shared vertices), GeoJSON, GeoPackage, Shapefile and other OGR vector formats.
 * JSON files may be gzipped (.gz).
 * @param out     OUT: dispose with wb_geo_features_dispose (also after an error)
 * @param summary OUT: counts (may be NULL); the store fields stay 0
 * @return 0, WB_ENOTFOUND (no such file, object or field), WB_EPARSE (malformed file, not a
 *         polygon layer), WB_EINVALID (bad options, unknown CRS, coordinates that fit no CRS),
 *         WB_EIO, WB_ENOMEM.
 */
int wb_geo_read(wb_geo_features *out, wb_geo_summary *summary, const char *path,
                const wb_geo_opts *opts);

/**
 * As wb_geo_read, for a TopoJSON or GeoJSON document held in memory (an upload, a fuzzer's
 * input). Only JSON: GeoPackage, Shapefile and gzipped data need wb_geo_read on a file.
 * @param name  names the document in messages (default "input"); its base name is the
 *              layer name of GeoJSON, as for a file
 * @param data  @p len bytes of UTF-8 JSON (an optional byte order mark is skipped); need not
 *              be NUL-terminated; not modified, not kept after the call
 * @return as wb_geo_read (WB_EPARSE for anything that is not TopoJSON or GeoJSON).
 */
int wb_geo_read_buffer(wb_geo_features *out, wb_geo_summary *summary, const char *name,
                       const void *data, size_t len, const wb_geo_opts *opts);

/**
 * Read a polygon file and store its areas (code, year, level, name; parent from the code) and
 * geometries, in one transaction: on any error nothing is written.
 * @param summary OUT: counts (may be NULL)
 * @return as wb_geo_read, and WB_ESTORE; WB_EINVALID without opts->year.
 */
int wb_geo_import(wb_store *st, const char *path, const wb_geo_opts *opts,
                  wb_geo_summary *summary);

/* ---------------------------------------------------------------- output */

/**
 * Where output goes: called with consecutive pieces of the document; return 0, or a
 * negative wb_error_code (after wb_error_set) to stop the writer, which then returns it.
 */
typedef int (*wb_write_fn)(void *payload, const char *data, size_t len);

/** A wb_write_fn appending to a wb_str (payload: wb_str *). */
int wb_write_to_str(void *payload, const char *data, size_t len);

/** Options of the GeoJSON writer. Initialise with WB_GEOJSON_OPTS_INIT. */
typedef struct {
    int version;
    int precision;          /**< decimals of output coordinates; -1: 6 for degrees (about
                                 0.1 m), 2 for metres */
    double simplify;        /**< Douglas-Peucker tolerance in layer units (metres for RD),
                                 topology-preserving (wb_geoms_simplify); 0: none */
    const char *crs;        /**< output CRS; NULL: WGS84 lon/lat as RFC 7946 requires.
                                 Another CRS adds a "crs" member (GeoJSON 2008 style) */
    const char *layer_crs;  /**< CRS of the layer's coordinates; NULL: EPSG:28992 */
    int rfc7946_winding;    /**< 1 (default): exterior rings counter-clockwise, holes
                                 clockwise; 0: as stored */
    const char *value_name; /**< property name of the values; NULL: "value" */
    /** More properties of feature @p i (its index in the layer), after code, name and value:
     *  append `,"key":value` pairs, each with its leading comma, to @p out (empty on entry).
     *  NULL: none. Return 0 or a negative wb_error_code, which stops the writer. */
    int (*props)(void *payload, size_t i, wb_str *out);
    void *props_payload;
    const char *members;    /**< more members of the FeatureCollection (or of the Feature with
                                 feature_only) as JSON text without a leading comma, e.g.
                                 "\"links\":[]"; written after the features. NULL: none */
    int feature_only;       /**< 1: write the one area of a one-area layer as a GeoJSON Feature
                                 object instead of a FeatureCollection */
    int multi;              /**< 1: every geometry a MultiPolygon, so that a GIS layer read
                                 from the output has one geometry type */
} wb_geojson_opts;

#define WB_GEOJSON_OPTS_INIT {1, -1, 0.0, NULL, NULL, 1, NULL, NULL, NULL, NULL, 0, 0}

/** What the GeoJSON writer wrote. */
typedef struct {
    size_t features;      /**< features written */
    size_t with_value;    /**< features whose value is a number */
    size_t null_value;    /**< features whose value is null (missing) */
    size_t points_in;     /**< points before simplification */
    size_t points_out;    /**< points written */
    size_t rings_dropped; /**< rings that became degenerate at the output precision */
    size_t null_geometry; /**< features written with "geometry": null (nothing left) */
} wb_geojson_stats;

/**
 * Write a layer as a GeoJSON FeatureCollection: one Feature per area with "id" = code and
 * properties "code", "name" (null when unknown) and, when @p values is given, the value
 * (null when NaN). Geometry is a Polygon or MultiPolygon. Shared vertices stay bit-identical
 * (rounding is deterministic), so neighbours still share their borders in the output. The
 * layer is not modified (simplification and reprojection work on a copy). Safe to call from
 * several threads at once on different outputs (each call has its own PROJ context); about
 * 0.3 s for the 11,000 buurten of 2015 on one core (mostly PROJ: RD to WGS84 costs about
 * 2.5 us a point), so a server should cache the output.
 * @param values  NULL, or layer->n values aligned with the layer (NaN = missing)
 * @param stats   OUT: may be NULL
 * @return 0, what @p fn returned when negative, WB_EINVALID (bad option, unknown CRS),
 *         WB_ERROR (a point does not transform), WB_ENOMEM.
 */
int wb_geojson_write(wb_write_fn fn, void *payload, const wb_layer *layer, const double *values,
                     const wb_geojson_opts *opts, wb_geojson_stats *stats);

/**
 * Load a level and boundary year from the store and write it as GeoJSON (as
 * wb_geojson_write), with the values of an indicator when @p indicator is not NULL.
 * @param indicator  key or alias, or NULL for no values
 * @param data_year  data year of the values; 0: the boundary year
 * @return 0, WB_ENOTFOUND (no geometries for that level and year, unknown indicator), or as
 *         wb_geojson_write.
 */
int wb_geojson_export(wb_write_fn fn, void *payload, wb_store *st, wb_level level, int year,
                      const char *indicator, int data_year, const wb_geojson_opts *opts,
                      wb_geojson_stats *stats);

/**
 * Write a level and boundary year as a GeoPackage (opens in QGIS): one layer named
 * "<level>_<year>" (e.g. "wijk_2016") in RD New (EPSG:28992) with MultiPolygon geometries and
 * fields code, name and, with @p indicator, value (NULL when missing). Coordinates are the
 * stored doubles, unrounded. The file must not exist yet.
 * @param nfeatures OUT: features written (may be NULL)
 * @return 0, WB_ECONFLICT when @p path exists, WB_ENOTFOUND (no geometries, unknown
 *         indicator), WB_EIO (GDAL could not write; the partial file is removed).
 */
int wb_gpkg_export(const char *path, wb_store *st, wb_level level, int year, const char *indicator,
                   int data_year, size_t *nfeatures);

#ifdef __cplusplus
}
#endif
#endif
