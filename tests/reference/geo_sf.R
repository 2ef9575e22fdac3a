# Independent reference for polygon areas after reprojection (tests/cli/geo_import.c):
# R's sf reads the TopoJSON through GDAL's own TopoJSON driver (not wijkbeeld's decoder),
# sets the CRS the files imply (RD New for the _rd file, WGS84 lon/lat otherwise) and sums
# st_area in RD New (EPSG:28992) square metres. GDAL cannot open the geo_cbs_topojson_2014
# files ("type": "Topology" comes last), so only the geo_nlmaps_edwindj files are here.
# Usage: Rscript tests/reference/geo_sf.R SHARED_DATA_DIR > tests/data/geo/reference_sf.csv
suppressMessages(library(sf))
args <- commandArgs(trailingOnly = TRUE)
root <- args[1]
files <- c("geo_nlmaps_edwindj/wijk_2016_rd.topojson",
           "geo_nlmaps_edwindj/wijk_2016_wgs84.topojson",
           "geo_nlmaps_edwindj/gemeente_2016_wgs84.topojson",
           "geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz")
cat("file,gdal_features,gdal_empty,area_km2\n")
for (f in files) {
  path <- file.path(root, f)
  if (grepl("\\.gz$", f)) path <- paste0("/vsigzip/", path)
  x <- st_read(path, quiet = TRUE)
  st_crs(x) <- if (grepl("_rd", f)) 28992 else 4326
  x <- st_transform(x, 28992)
  a <- sum(as.numeric(st_area(x))) / 1e6
  cat(sprintf("%s,%d,%d,%.3f\n", f, nrow(x), sum(st_is_empty(x)), a))
}
