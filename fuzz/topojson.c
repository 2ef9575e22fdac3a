/**
 * @file
 * @brief Fuzz target: the TopoJSON decoder (src/io/topojson.c) through the polygon importer's
 * in-memory entry point wb_geo_read_buffer (src/io/geo.c: codes, duplicate merging, CRS).
 *
 * Input: byte 0 chooses the options (bits 0-1: CRS option none, EPSG:28992, EPSG:4326;
 * bits 2-4: level; bit 5: code field "id"; bit 6: object "a"); the rest is the document.
 * Documents that do not mention "Topology" are skipped (the geojson target covers those), so
 * that this target stays fast and away from GDAL.
 * Invariants (wbf_geo_run in common.c):
 *  - an error is WB_EPARSE, WB_EINVALID or WB_ENOTFOUND with a message naming the file, and
 *    leaves no features;
 *  - every code normalises to itself, with the level asked for (or the code's own), and
 *    appears once (duplicates are merged);
 *  - every geometry is a valid wb_geom (closed rings of at least 4 points, an exterior per
 *    polygon, finite RD New coordinates inside the bounding box) that survives WKB;
 *  - a feature without polygons is flagged null or collapsed, one with polygons is not;
 *  - the summary adds up: features = areas + duplicates, areas = imported + without
 *    geometry, and the polygon, ring and point totals match the features.
 */
#include <string.h>

#include "fuzz.h"
#include "wijkbeeld.h"

WBF_TARGET(topojson)
{
    if (size < 1 || !memmem(data + 1, size - 1, "\"Topology\"", 10))
        return 0;
    return wbf_geo_run(data, size, "input.topojson");
}
