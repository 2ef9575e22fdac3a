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

/* ---------------------------------------------------------------- cleaning */

/** What wb_geom_clean (and the importers, which apply the same rules) removed. */
typedef struct {
    size_t repeated_points;  /**< consecutive duplicate points removed */
    size_t rings_closed;     /**< rings that were not closed and got their first point appended */
    size_t degenerate_rings; /**< rings dropped: fewer than 4 points once closed and without
                                  repeated points, or an exactly zero area */
    size_t empty_polygons;   /**< polygons dropped: no rings, or a degenerate exterior ring */
    size_t orphan_holes;     /**< valid holes dropped together with their degenerate exterior */
    size_t repaired_polygons;/**< polygons with a ring that crosses itself around a real area
                                  (a bowtie: zero signed area, yet not flat), made valid with
                                  GEOS (wb_geom_repair) instead of dropped */
} wb_geom_clean_stats;

/**
 * Make a geometry valid for wb_geom: drop consecutive repeated points, close open rings,
 * drop degenerate rings (fewer than 4 points, or zero area), and drop polygons whose exterior
 * is degenerate (with their holes). A ring whose signed area is zero although its points do
 * not lie on one line crosses itself around a real area (a bowtie): its polygon is made valid
 * with GEOS (wb_geom_repair, overlay.h), which splits it into the parts it covers, and counted as
 * repaired. Points are compared exactly. What was removed or repaired is ADDED to @p stats
 * (may be NULL). The result may have npolys == 0: no geometry left.
 * @return 0 or WB_ENOMEM.
 */
int wb_geom_clean(wb_geom *g, wb_geom_clean_stats *stats);

/** Number of points of a ring, closing point included. */
#define WB_RING_NPTS(g, r) ((g)->ring_off[(r) + 1] - (g)->ring_off[(r)])

/**
 * Orient rings: with @p exterior_ccw 1, exteriors counter-clockwise and holes clockwise
 * (RFC 7946, for x east and y north); with 0 the opposite (the ESRI Shapefile convention).
 */
void wb_geom_orient(wb_geom *g, int exterior_ccw);

/**
 * Append all polygons of @p src to @p dst (a multipolygon union without dissolving).
 * @return 0 or WB_ENOMEM (dst unchanged then).
 */
int wb_geom_append(wb_geom *dst, const wb_geom *src);

/** Deep copy. @param out OUT: dispose with wb_geom_dispose. @return 0 or WB_ENOMEM. */
int wb_geom_copy(wb_geom *out, const wb_geom *src);

/* ---------------------------------------------------------------- simplification */

/**
 * Simplify many geometries together (Douglas-Peucker with @p tolerance in coordinate units)
 * while keeping shared boundaries shared: a border between two geometries that have
 * bit-identical vertices (as after a TopoJSON import) is simplified once, so both sides keep
 * the same vertices and no gaps or overlaps appear between neighbours. Junctions (vertices
 * where three or more areas meet, or where a shared border ends) are never moved or removed,
 * so queen and rook adjacency through shared vertices and edges are preserved. Every ring keeps
 * at least 3 distinct vertices. Simplification can still make a ring cross another boundary
 * when the tolerance is large compared with the features; it is meant for display.
 * Bounding boxes are updated.
 * @return 0, WB_EINVALID for a negative or non-finite tolerance, WB_ENOMEM.
 */
int wb_geoms_simplify(wb_geom *geoms, size_t n, double tolerance);

/* ---------------------------------------------------------------- coordinate systems */

/** The CRS of stored geometries: RD New (Amersfoort / RD New), metres. */
#define WB_CRS_RD "EPSG:28992"
/** WGS84 longitude/latitude (GeoJSON, RFC 7946). Points are (lon, lat) in wijkbeeld. */
#define WB_CRS_WGS84 "EPSG:4326"

/**
 * Check a CRS given as text ("EPSG:28992", "urn:ogc:def:crs:EPSG::28992", "OGC:CRS84",
 * WKT, PROJJSON or a PROJ string).
 * @param is_geographic OUT: 1 for a geographic (degrees) CRS, 0 for a projected one (may be NULL)
 * @param canonical     OUT: "AUTHORITY:CODE" when PROJ knows one, else empty (may be NULL)
 * @param n             size of @p canonical
 * @return 0, or WB_EINVALID with a message naming the CRS.
 */
int wb_crs_check(const char *crs, int *is_geographic, char *canonical, size_t n);

/** A reusable coordinate transformation (one PROJ context and operation). Opaque. */
typedef struct wb_reproj wb_reproj;

/**
 * Prepare a transformation. Geographic CRSs use (lon, lat) order whatever the authority
 * says. Not thread-safe: use one wb_reproj per thread.
 * @param out OUT: free with wb_reproj_free
 * @return 0, WB_EINVALID for an unknown CRS or when no transformation exists.
 */
int wb_reproj_new(wb_reproj **out, const char *from_crs, const char *to_crs);

/**
 * Transform @p n points in place. Identical input points give bit-identical output.
 * @return 0, or WB_ERROR when a point does not transform (left unchanged then is not
 *         guaranteed; the message gives the first bad point).
 */
int wb_reproj_points(wb_reproj *r, wb_point *pts, size_t n);

/** Transform a geometry in place and update its bounding box. */
int wb_reproj_geom(wb_reproj *r, wb_geom *g);

/** Free. Accepts NULL. */
void wb_reproj_free(wb_reproj *r);

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
