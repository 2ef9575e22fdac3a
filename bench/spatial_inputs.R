# Generates the polygon files of bench/spatial.sh into the directory given as the first
# argument (temporary, never committed), so that wijkbeeld and spdep read identical
# polygons:
#   voronoi15k.gpkg  15,000 Voronoi cells of uniform random points (seed 1) in a
#                    100 km x 100 km square, clipped to it
#   grid300.gpkg     a 300 x 300 grid of 100 m square cells (90,000)
# (bench/spatial.sh writes the 2014 buurten itself, with wijkbeeld's import and export.)
suppressMessages(library(sf))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
out <- function(x, name) {
  f <- file.path(dir, name)
  if (file.exists(f)) file.remove(f)
  st_write(x, f, quiet = TRUE)
  cat(sprintf("spatial_inputs: %s: %d polygons\n", name, length(st_geometry(x))))
}
if (!file.exists(file.path(dir, "voronoi15k.gpkg"))) {
  set.seed(1)
  n <- 15000
  side <- 100000
  pts <- st_multipoint(cbind(runif(n) * side, runif(n) * side))
  box <- st_polygon(list(rbind(c(0, 0), c(side, 0), c(side, side), c(0, side), c(0, 0))))
  v <- st_collection_extract(st_voronoi(pts, st_sfc(box)), "POLYGON")
  v <- st_intersection(st_sfc(v), st_sfc(box))
  v <- st_cast(v[st_geometry_type(v) %in% c("POLYGON", "MULTIPOLYGON")], "MULTIPOLYGON")
  out(st_sf(id = seq_along(v), geometry = v), "voronoi15k.gpkg")
}
if (!file.exists(file.path(dir, "grid300.gpkg"))) {
  box <- st_sfc(st_polygon(list(rbind(c(0, 0), c(30000, 0), c(30000, 30000), c(0, 30000), c(0, 0)))))
  g <- st_make_grid(box, cellsize = 100, n = c(300, 300))
  out(st_sf(id = seq_along(g), geometry = g), "grid300.gpkg")
}
