# Independent reference for 'import crosswalk' of the VNG grenswijzigen file
# (tests/cli/crosswalk_real.c), computed from the files with base R, following
# ../shared/data/SOURCES.md: per year pair the rows of the file, the distinct wijk_van and
# wijk_naar, the 2016 wijken the file leaves out (they kept their code and addresses: linked
# 1:1), and for 2024, where the KWB 2024 wijken are the stored division, those left-out codes
# that KWB 2024 lacks (not linked) and the to-side (the whole 2024 division). Also the shares
# of Amstelveen's WK036200 (one wijk in 2016) in each year: n / sum(n).
# The 2016 division: the 2,981 codes of the Leefbaarometer 2.0 class file, which SOURCES.md
# found to be exactly the codes of the 2016 wijk layer (GDAL would skip its 19 null polygons).
# Usage: Rscript grenswijzigen.R SHARED_DATA_DIR OUTDIR
args <- commandArgs(trailingOnly = TRUE)
root <- args[1]
out <- args[2]
x <- read.csv(file.path(root, "crosswalk_grenswijzigen/grenswijziging_wijk_2016_naar_2017_2024.csv"))
w16 <- unique(trimws(read.csv(file.path(root, "leefbaarometer2_minorproject/lbm2_wijk2016_classes_2002_2016.csv"))$WK_CODE))
kwb <- trimws(read.csv(file.path(root, "kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv"))$gwb_code)
kwb <- kwb[substr(kwb, 1, 2) == "WK"]
rows <- NULL
for (y in sort(unique(x$naar_jaar))) {
  s <- x[x$naar_jaar == y, ]
  van <- unique(s$wijk_van)
  naar <- unique(s$wijk_naar)
  left_out <- setdiff(w16, van)
  if (y == 2024) {
    implied <- intersect(left_out, kwb)
    missing <- setdiff(left_out, kwb)
    to_areas <- length(union(kwb, naar))
  } else {
    implied <- left_out
    missing <- character(0)
    to_areas <- length(union(naar, implied))
  }
  rows <- rbind(rows, data.frame(from_year = 2016, to_year = y, listed = nrow(s),
                                 implied = length(implied), implied_missing = length(missing),
                                 from_areas = length(w16), to_areas = to_areas))
}
write.csv(rows, file.path(out, "grenswijzigen_counts.csv"), row.names = FALSE, quote = FALSE)
am <- x[x$wijk_van == "WK036200", ]
am$share_from <- ave(am$n_adressen, am$naar_jaar, FUN = function(n) n / sum(n))
am <- am[order(am$naar_jaar, am$wijk_naar), ]
write.csv(data.frame(to_year = am$naar_jaar, to_code = am$wijk_naar, n = am$n_adressen,
                     share_from = sprintf("%.17g", am$share_from)),
          file.path(out, "grenswijzigen_amstelveen.csv"), row.names = FALSE, quote = FALSE)
