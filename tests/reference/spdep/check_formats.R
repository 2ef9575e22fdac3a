# Check that spdep reads the GAL and GWT files wijkbeeld writes, and that they hold the
# neighbour lists spdep computes itself. Run from the repository root:
#   Rscript tests/reference/spdep/check_formats.R \
#       tests/data/spdep/nc_queen_wijkbeeld.gal tests/data/spdep/nc_knn4_wijkbeeld.gwt
# Those two files are the output of `weights --format gal` (queen) and
# `weights --type knn --k 4 --format gwt` on a store holding the NC polygons of
# tests/data/spdep/nc.gpkg with their FIPS codes (level other, year 2000); the test
# spatial_cli::gal_gwt_files_readable_by_spdep_and_pysal keeps the output identical to them.
suppressMessages({ library(sf); library(spdep) })
args <- commandArgs(trailingOnly = TRUE)
nc <- st_read("tests/data/spdep/nc.gpkg", quiet = TRUE)
codes <- as.character(nc$code)
gal <- read.gal(args[1], region.id = codes)
q <- poly2nb(nc)
stopifnot(isTRUE(all.equal(unclass(gal), unclass(q), check.attributes = FALSE)))
cat("GAL: read.gal gives spdep's queen list (", sum(card(gal)), "links )\n")
gwt <- suppressWarnings(read.gwt2nb(args[2], region.id = codes))
cc <- st_coordinates(st_centroid(st_geometry(nc)))
k4 <- knn2nb(knearneigh(cc, k = 4))
stopifnot(isTRUE(all.equal(lapply(gwt, sort), unclass(k4), check.attributes = FALSE)))
w <- attr(gwt, "GeoDa")$dist
stopifnot(all(abs(unlist(w) - 0.25) < 1e-15))
cat("GWT: read.gwt2nb gives spdep's knn(4) list with weights 1/4 (", sum(card(gwt)), "links )\n")
