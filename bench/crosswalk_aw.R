# The reference side of bench/crosswalk.sh: R's sf moves a count from one polygon layer to
# another by area (st_interpolate_aw, extensive = TRUE), after making both valid as sf does
# by default (st_make_valid, GEOS "valid_structure"). Both layers are read from GeoPackages
# that wijkbeeld wrote from its store ('export gpkg', RD New), so both tools use the same
# coordinates, reprojected once by wijkbeeld's import.
# Usage: Rscript bench/crosswalk_aw.R FROM.gpkg TO.gpkg OUT.csv   (FROM has the field 'value')
suppressMessages(library(sf))
args <- commandArgs(trailingOnly = TRUE)
a <- st_make_valid(st_read(args[1], quiet = TRUE))
b <- st_make_valid(st_read(args[2], quiet = TRUE))
st_agr(a) <- "constant"
st_agr(b) <- "constant"
r <- suppressWarnings(st_interpolate_aw(a["value"], b, extensive = TRUE))
idx <- as.integer(row.names(r))
write.csv(data.frame(code = b$code[idx], value = sprintf("%.17g", r$value)), args[3],
          row.names = FALSE, quote = FALSE)
