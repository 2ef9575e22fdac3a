# Check that spdep reads the GAL and GWT files wijkbeeld writes, and that they hold the
# neighbour lists spdep computes itself. Run from the repository root after writing the
# files for the NC SIDS store (see docs/spatial.md, "Checking the GAL/GWT output"):
#   Rscript tests/reference/spdep/check_formats.R queen.gal knn4.gwt
# (queen.gal from `weights --type queen --format gal`, knn4.gwt from
#  `weights --type knn --k 4 --format gwt`, both on the NC polygons of tests/data/spdep/nc.gpkg
#  stored with their FIPS codes).
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
