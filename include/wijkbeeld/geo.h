/**
 * @file
 * @brief Polygons in RD New metres (EPSG:28992) and layers of them.
 *
 * A wb_geom is a multipolygon stored flat: all points in one array, rings as offsets into
 * the points, polygons as offsets into the rings. Ring 0 of each polygon is its exterior;
 * rings are closed (first point == last point) and have at least 4 points.
 */
#ifndef WIJKBEELD_GEO_H
#define WIJKBEELD_GEO_H

#include <stddef.h>

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A point in metres (x east, y north), or degrees (lon, lat) where a function says so. */
typedef struct {
    double x;
    double y;
} wb_point;

/** A multipolygon. Initialise with WB_GEOM_INIT; free the arrays with wb_geom_dispose. */
typedef struct {
    wb_point *pts;    /**< all ring points */
    size_t npts;
    size_t *ring_off; /**< nrings + 1 offsets into pts; ring r is pts[ring_off[r] .. ring_off[r+1]) */
    size_t nrings;
    size_t *poly_off; /**< npolys + 1 offsets into the rings; ring poly_off[p] is an exterior */
    size_t npolys;
    double bbox[4];   /**< minx, miny, maxx, maxy */
} wb_geom;

#define WB_GEOM_INIT {NULL, 0, NULL, 0, NULL, 0, {0, 0, 0, 0}}

/** Free the arrays of @p g and reset it to WB_GEOM_INIT. Accepts NULL. */
void wb_geom_dispose(wb_geom *g);

/** Recompute g->bbox from the points. */
void wb_geom_update_bbox(wb_geom *g);

/** Area in square metres (exteriors minus holes, whatever the ring orientation). */
double wb_geom_area(const wb_geom *g);

/** Area-weighted centroid; for a degenerate geometry, the mean of its points. */
wb_point wb_geom_centroid(const wb_geom *g);

/**
 * Encode as little-endian ISO WKB (Polygon when npolys == 1, else MultiPolygon).
 * @param out OUT: caller frees with wb_free
 * @return 0 or WB_ENOMEM, WB_EINVALID for an empty geometry.
 */
int wb_geom_to_wkb(unsigned char **out, size_t *len, const wb_geom *g);

/**
 * Decode WKB (either byte order; Polygon or MultiPolygon, 2D; Z/M dropped).
 * @return 0, or WB_EPARSE with a message saying where the bytes went wrong.
 */
int wb_geom_from_wkb(wb_geom *out, const unsigned char *wkb, size_t len);

/**
 * Reproject every point in place between two CRSs given as PROJ strings ("EPSG:28992",
 * "EPSG:4326"). EPSG:4326 points are (lon, lat) here, whatever the authority's axis order.
 * @return 0, or WB_EINVALID for an unknown CRS, WB_ERROR when a point does not transform.
 */
int wb_geom_transform(wb_geom *g, const char *from_crs, const char *to_crs);

/** One layer of areas of one level and year, with their geometries. */
typedef struct {
    size_t n;
    char (*codes)[WB_CODE_MAX]; /**< n codes */
    char **names;               /**< n names (may be NULL entries) */
    wb_geom *geoms;             /**< n geometries */
    int year;
    wb_level level;
} wb_layer;

#define WB_LAYER_INIT {0, NULL, NULL, NULL, 0, WB_LEVEL__MAX}

/** Free everything a layer owns and reset it. Accepts NULL. */
void wb_layer_dispose(wb_layer *layer);

#ifdef __cplusplus
}
#endif
#endif
