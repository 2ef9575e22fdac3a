/** @file @brief Library-internal parts of the polygon importers (src/io/geo*.c, topojson.c). */
#ifndef WB_IO_GEO_INTERNAL_H
#define WB_IO_GEO_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "wijkbeeld/geoio.h"

/** JSON nested deeper than this is refused before anything recurses into it. */
#define WB_GEO_MAX_DEPTH 64
#define WB_GEO_MAX_DEPTH_TEXT "64"
/** Inflated bytes of a gzipped file at most, unless wb_geo_opts.max_inflated_mb says otherwise. */
#define WB_GEO_MAX_INFLATED_MB 256

/** The lines on which the geometries of one TopoJSON object start. */
typedef struct {
    char *name;
    size_t *line;
    size_t n, cap;
} wb_geo__scan_object;

/** What the streaming check of a JSON document (json_scan.c) found. */
typedef struct {
    char type[32];          /**< the top-level "type" ("" when absent or not a string) */
    int has_crs;            /**< a top-level "crs" member exists */
    int compressed;         /**< the file was gzipped */
    uint64_t bytes;         /**< bytes of JSON (inflated) */
    size_t *feature_line;   /**< GeoJSON: the line each element of "features" starts on */
    size_t nfeatures, capfeatures;
    wb_geo__scan_object *objects; /**< TopoJSON: per object */
    size_t nobjects, capobjects;
} wb_geo__scan;

/**
 * Check a JSON file (gzipped or not) in one streaming pass: syntax (file:line:column),
 * nesting at most WB_GEO_MAX_DEPTH, at most @p max_inflated bytes once inflated (0: no
 * limit), the shape of every GeoJSON geometry's coordinates; remember the top-level type,
 * whether there is a "crs", and the line of each feature. Nothing of the document is kept.
 * @return 0, WB_EPARSE (bad JSON or geometry), WB_EINVALID (over the limit), WB_EIO.
 */
int wb_geo__scan_file(wb_geo__scan *out, const char *fname, const char *path, uint64_t max_inflated);
/** The same for a document in memory. */
int wb_geo__scan_buffer(wb_geo__scan *out, const char *fname, const char *data, size_t len);
void wb_geo__scan_dispose(wb_geo__scan *sc);
/** The line of feature @p index (GeoJSON: @p object NULL) or of geometry @p index of a
 *  TopoJSON object; 0 when unknown. @p sc may be NULL. */
size_t wb_geo__scan_line(const wb_geo__scan *sc, const char *object, size_t index);

/** Features as a reader found them, before codes are normalised and duplicates merged. */
typedef struct {
    size_t n, cap;
    char **code;     /**< raw code text, owned; never NULL once pushed */
    char **name;     /**< raw name, owned, or NULL */
    wb_geom *geoms;  /**< cleaned, in RD New once the reader returns */
    unsigned *flags; /**< WB_GEO_NULL, WB_GEO_COLLAPSED */
    size_t *index;   /**< feature number in the file (0-based), for messages */
    wb_geo__scan *scan; /**< owned: where features start, for messages; or NULL */
} wb_geo__raw;

/** Append a feature, taking ownership of @p code, @p name and @p g (even on failure). */
int wb_geo__raw_push(wb_geo__raw *r, char *code, char *name, wb_geom *g, unsigned flags,
                     size_t index);
void wb_geo__raw_dispose(wb_geo__raw *r);

/** Field names a reader offers, for choosing the code and name fields. */
typedef struct {
    const char **names; /**< borrowed */
    size_t n;
} wb_geo__fields;

/**
 * Choose the code and name fields (options or automatic) among @p avail and write them to
 * sum->code_field / sum->name_field. @return 0 or WB_ENOTFOUND with a message listing the
 * available fields.
 */
int wb_geo__pick_fields(wb_geo_summary *sum, const wb_geo__fields *avail, const wb_geo_opts *opts,
                        const char *fname);

/**
 * Decide the source CRS: the option, else the file's, else lon/lat when the extent fits.
 * Checks the extent against the CRS (degrees must be within lon/lat range; a projected CRS
 * with an extent that fits in lon/lat range is refused as a likely mistake).
 * Writes sum->crs and sum->crs_source. @p bbox may be NULL when there are no coordinates.
 */
int wb_geo__resolve_crs(wb_geo_summary *sum, const char *file_crs, const char *opt_crs,
                        const double *bbox, const char *fname);

/** 1 when @p crs (canonical) is RD New, so no reprojection is needed. */
int wb_geo__is_rd(const char *crs);

/** The CRS named by a GeoJSON-2008-style "crs" member, or NULL. Borrowed from @p crs. */
const char *wb_geo__crs_member(json_t *crs, char *buf, size_t n);

/** Text of a JSON scalar (string, integer, integral real) as a new string, or NULL. */
char *wb_geo__json_text(json_t *v);

/** Decode a parsed TopoJSON document. */
int wb_topojson__read(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, json_t *root,
                      const wb_geo_opts *opts);

/** Read a vector file through GDAL/OGR. @p use_file_crs 0: ignore the layer's CRS.
 *  @p where: an OGR attribute filter of the features to read, or NULL for all. */
int wb_ogr__read(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *open_path,
                 int use_file_crs, const wb_geo_opts *opts, const char *where);

/** As wb_geo_read for a vector file read by GDAL/OGR (a GeoPackage layer: opts->object),
 *  with only the features that pass the OGR attribute filter @p where (NULL: all). */
int wb_geo__read_layer(wb_geo_features *out, wb_geo_summary *summary, const char *path,
                       const wb_geo_opts *opts, const char *where);

/** Store the areas and geometries of @p f for boundary year opts->year inside the caller's
 *  transaction (counting sum->areas_new and areas_updated). */
int wb_geo__store(wb_store *st, const wb_geo_features *f, const wb_geo_opts *opts,
                  wb_geo_summary *sum);

/**
 * Read a GeoJSON file (checked by wb_geo__scan_file) through GDAL's GeoJSON driver, which
 * streams it feature by feature; @p open_path may be "/vsigzip/..." for a gzipped file.
 * Without a "crs" member (@p has_crs 0) the file states no CRS (see wb_ogr__read_mem).
 */
int wb_ogr__read_geojson(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *open_path,
                         int has_crs, const wb_geo_opts *opts);

/** "fname:LINE" where feature @p index (of TopoJSON object @p object, NULL for GeoJSON)
 *  starts, else "fname". */
const char *wb_geo__where(char *buf, size_t n, const char *fname, const wb_geo__scan *scan,
                          const char *object, size_t index);

/**
 * Read GeoJSON held in memory through OGR (as wb_ogr__read; @p vsi is a /vsimem/ name).
 * Without a "crs" member (@p has_crs 0) the file states no CRS: OGR's WGS84 default is then
 * not taken as the file's word, so coordinates in metres get the clear "give --crs" error.
 */
int wb_ogr__read_mem(wb_geo__raw *out, wb_geo_summary *sum, const char *fname, const char *vsi,
                     const char *data, size_t len, int has_crs, const wb_geo_opts *opts);

/** Bracket GDAL calls: registers the drivers once and captures GDAL's messages (never
 *  printed; read them with CPLGetLastErrorMsg). Calls nest per thread. */
void wb_ogr__begin(void);
void wb_ogr__end(void);

/**
 * Load a layer and, with @p indicator, its values aligned with it (NaN = missing).
 * @param values OUT: NULL without indicator; caller frees with wb_free
 */
int wb_geo__load_layer_values(wb_layer *layer, double **values, wb_store *st, wb_level level,
                              int year, const char *indicator, int data_year);

/** Report progress every so many features. */
#define WB_GEO_PROGRESS_EVERY 1000

#endif
