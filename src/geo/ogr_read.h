/**
 * @file
 * @brief Library-internal: read the polygons of a vector file with GDAL/OGR into a layer,
 * in file order, without reprojection. Used by the spatial reference tests and the
 * benchmarks (shapefile, GeoPackage, GeoJSON written by R). The user-facing importer is
 * 'import geo'.
 */
#ifndef WB_GEO_OGR_READ_H
#define WB_GEO_OGR_READ_H

#include "wijkbeeld/geo.h"

/**
 * Read the first layer of @p path. Codes come from the field @p id_field (as text), or
 * are the 1-based feature numbers when @p id_field is NULL. Polygon and MultiPolygon only.
 * @param out     OUT: free with wb_layer_dispose
 * @param skipped OUT (may be NULL): number of null or empty geometries skipped; when NULL
 *                such a geometry is an error
 * @return 0, WB_EIO (cannot open), WB_EPARSE (no such field, a null or non-polygon
 *         geometry: the message names the feature), WB_ENOMEM.
 */
int wb_geo__read_ogr(wb_layer *out, const char *path, const char *id_field, size_t *skipped);

#endif
