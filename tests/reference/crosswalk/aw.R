# Independent reference for moving a count along an area-weighted crosswalk
# (tests/cli/crosswalk.c, aw_matches_sf): R's sf::st_interpolate_aw(extensive = TRUE) on the
# polygons of tests/data/crosswalk/aw_{source,target}_rd.geojson (RD New metres, read through
# GDAL, no reprojection). The sources are first made valid as sf does by default
# (st_make_valid, GEOS "valid_structure"): BU99980004 is a bow-tie, BU99980005 a multipolygon
# whose two parts overlap. Also writes every piece of st_intersection with its area and the
# shares of its source and target, and each source's area.
# Usage: Rscript tests/reference/crosswalk/aw.R tests/data/crosswalk
suppressMessages(library(sf))
dir <- commandArgs(trailingOnly = TRUE)[1]
src <- st_read(file.path(dir, "aw_source_rd.geojson"), quiet = TRUE)
tgt <- st_read(file.path(dir, "aw_target_rd.geojson"), quiet = TRUE)
st_crs(src) <- 28992
st_crs(tgt) <- 28992
src <- st_make_valid(src)
st_agr(src) <- "constant"
st_agr(tgt) <- "constant"
src$area <- as.numeric(st_area(src))
tgt$area <- as.numeric(st_area(tgt))
r <- st_interpolate_aw(src["n"], tgt, extensive = TRUE)
# st_interpolate_aw returns the targets that some source reaches, in target order
idx <- as.integer(row.names(r))
out <- data.frame(code = tgt$code[idx], n = sprintf("%.17g", r$n))
write.csv(out, file.path(dir, "aw_moved_sf.csv"), row.names = FALSE, quote = FALSE)
i <- st_intersection(src[, c("code", "area")], tgt[, c("code", "area")])
i$w <- as.numeric(st_area(i))
i <- i[i$w > 1e-6, ]
p <- data.frame(from_code = i$code, to_code = i$code.1, weight = i$w,
                share_from = i$w / i$area, share_to = i$w / i$area.1)
p <- p[order(p$from_code, p$to_code), ]
for (k in c("weight", "share_from", "share_to")) p[[k]] <- sprintf("%.17g", p[[k]])
write.csv(p, file.path(dir, "aw_pairs_sf.csv"), row.names = FALSE, quote = FALSE)
