/**
 * @file
 * @brief Fuzz target: the GeoJSON path of the polygon importer: wb_geo_read_buffer hands the
 * document to GDAL/OGR from memory (src/io/geo.c, src/io/geo_ogr.c), converts OGR geometries
 * through WKB (wb_geom_from_wkb), cleans them and reprojects them.
 *
 * Input: byte 0 chooses the options as in topojson.c; the rest is the document. The
 * invariants are those of topojson.c (wbf_geo_run in common.c). GDAL itself is not built with
 * coverage instrumentation: the fuzzer steers by our code only.
 */
#include "fuzz.h"
#include "wijkbeeld.h"

WBF_TARGET(geojson)
{
    return wbf_geo_run(data, size, "input.geojson");
}
