# Inputs of bench/spacetime.sh, written to the directory given as the first argument
# (temporary, never committed):
#   voronoi12k.gpkg  12,000 Voronoi cells of uniform random points (seed 2) in a 100 km
#                    square, field `code` = a CBS buurt code BUggggwwbb (30 gemeenten of 10
#                    wijken of 40 buurten), field x and y = the variables of the bivariate step
#   values.csv       code, jaar, lbm, lbm_klasse for the 20 years 2001-2020: a smooth spatial
#                    field that drifts over the years plus noise; lbm_klasse cuts lbm into the
#                    nine classes at fixed thresholds
suppressMessages(library(sf))
dir <- commandArgs(trailingOnly = TRUE)[1]
set.seed(2)
n <- 12000
side <- 100000
pts <- st_multipoint(cbind(runif(n) * side, runif(n) * side))
box <- st_polygon(list(rbind(c(0, 0), c(side, 0), c(side, side), c(0, side), c(0, 0))))
v <- st_collection_extract(st_voronoi(pts, st_sfc(box)), "POLYGON")
v <- st_intersection(st_sfc(v), st_sfc(box))
v <- st_cast(v[st_geometry_type(v) %in% c("POLYGON", "MULTIPOLYGON")], "MULTIPOLYGON")
i <- seq_along(v) - 1
code <- sprintf("BU%04d%02d%02d", 1 + i %/% 400, (i %/% 40) %% 10, i %% 40)
cc <- st_coordinates(st_centroid(v))
f <- sin(cc[, 1] / 8000) + cos(cc[, 2] / 11000)
x <- f + ((i %% 7) / 7)
y <- cos(cc[, 1] / 5000) - sin(cc[, 2] / 9000) + ((i %% 5) / 5)
g <- st_sf(code = code, x = x, y = y, geometry = v)
out <- file.path(dir, "voronoi12k.gpkg")
if (file.exists(out)) file.remove(out)
st_write(g, out, quiet = TRUE)
years <- 2001:2020
rows <- lapply(seq_along(years), function(t) {
  drift <- 0.4 * sin(cc[, 1] / 20000 + t / 4) * (t / 20)
  lbm <- 0.1 * (f + drift) + rnorm(length(f), sd = 0.02)
  data.frame(code = code, jaar = years[t], lbm = round(lbm, 6))
})
d <- do.call(rbind, rows)
thr <- quantile(d$lbm, c(0.01, 0.03, 0.08, 0.15, 0.35, 0.6, 0.8, 0.93))
d$lbm_klasse <- findInterval(d$lbm, thr) + 1
write.csv(d, file.path(dir, "values.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("spacetime_inputs: %d polygons, %d values\n", length(v), nrow(d)))
