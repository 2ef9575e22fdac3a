# Reference fixtures on real Dutch geometry: the 2014 CBS buurten of ../shared/data
# (geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json), as wijkbeeld stores them.
#
# Run from the repository root, after building wijkbeeld:
#   Rscript tests/reference/spdep/buurt2014.R [WIJKBEELD_BINARY] [SHARED_DIR]
# (defaults build/release/wijkbeeld and ../shared/data). Writes tests/data/spdep/buurt2014_*
# (committed; CI has no R).
#
# R cannot read that TopoJSON with GDAL (its "type" member comes last; SOURCES.md), so the
# polygons go through wijkbeeld: `import geo` (its own TopoJSON decoder, reprojection to RD
# New, ring cleaning: 10,410 of the 11,691 buurten keep a polygon) and `export gpkg`, which
# R reads here. The C test (tests/spatial/buurt2014.c) imports the same file into a store
# and compares the weights and statistics it computes from the stored polygons with these.
#
# The variable is synthetic (there are no 2014 buurt indicators in ../shared/data): a smooth
# field of the centroids (RD metres) plus an index pattern, written to the fixture and
# loaded into the store by the test, so the whole store -> weights -> statistics path runs.
suppressMessages({
  library(sf)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
bin <- if (length(args) >= 1) args[1] else "build/release/wijkbeeld"
shared <- if (length(args) >= 2) args[2] else "../shared/data"
src <- file.path(shared, "geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json")
tmp <- tempfile()
dir.create(tmp)
db <- file.path(tmp, "b.db")
gp <- file.path(tmp, "b.gpkg")
stopifnot(system2(bin, c("--db", db, "--quiet", "import", "geo", src, "--year", "2014"),
                  stdout = FALSE) == 0)
stopifnot(system2(bin, c("--db", db, "export", "gpkg", "--level", "buurt", "--year", "2014",
                         "-o", gp), stdout = FALSE, stderr = FALSE) == 0)
b <- st_read(gp, quiet = TRUE)
st_crs(b) <- NA  # planar RD New metres, as wijkbeeld
n <- nrow(b)
cat("buurten with a polygon:", n, "\n")

out <- "tests/data/spdep"
num <- function(v, digits) ifelse(is.na(v), "", sprintf(paste0("%.", digits, "g"), v))
# 17 significant digits (exact) by default; the local statistics with 13, enough for the
# 1e-9 relative comparison and half the size
wgz <- function(df, file, digits = 17) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- num(df[[k]], digits)
  con <- gzfile(file.path(out, file), "w")
  write.csv(df, con, row.names = FALSE, quote = FALSE, na = "")
  close(con)
}
nb_pairs <- function(nb) {
  data.frame(i = as.integer(rep(seq_along(nb), card(nb))),
             j = as.integer(unlist(lapply(nb, function(v) v[v > 0]))))
}

cc <- st_coordinates(st_centroid(st_geometry(b)))
x <- sin(cc[, 1] / 20000) + cos(cc[, 2] / 30000) + ((seq_len(n) * 7919) %% 1000) / 1000
# valid: GEOS validity; 476 quantised buurten self-intersect, and for those GEOS's centroid
# (ring orientation from its isCCW) and wijkbeeld's (from the signed area) can differ
wgz(data.frame(code = b$code, x = cc[, 1], y = cc[, 2], value = x,
               valid = as.integer(st_is_valid(b))), "buurt2014_values.csv.gz")

band <- 2000
nbs <- list(queen = poly2nb(b), rook = poly2nb(b, queen = FALSE),
            knn4 = knn2nb(knearneigh(cc, k = 4)), dist2000 = dnearneigh(cc, 0, band))
for (k in names(nbs)) {
  cat(sprintf("%-9s links %6d islands %d\n", k, sum(card(nbs[[k]])), sum(card(nbs[[k]]) == 0)))
  wgz(nb_pairs(nbs[[k]]), paste0("buurt2014_nb_", k, ".csv.gz"))
}

rows <- list()
for (k in c("queen", "knn4", "dist2000")) {
  lw <- nb2listw(nbs[[k]], style = "W", zero.policy = TRUE)
  mr <- moran.test(x, lw, randomisation = TRUE, alternative = "two.sided", zero.policy = TRUE)
  mn <- moran.test(x, lw, randomisation = FALSE, alternative = "two.sided", zero.policy = TRUE)
  rows[[k]] <- data.frame(weights = k, n = n, I = unname(mr$estimate[1]),
                          E_I = unname(mr$estimate[2]), var_norm = unname(mn$estimate[3]),
                          z_norm = unname(mn$statistic), p_norm = mn$p.value,
                          var_rand = unname(mr$estimate[3]), z_rand = unname(mr$statistic),
                          p_rand = mr$p.value)
}
wgz(do.call(rbind, rows), "buurt2014_moran.csv.gz")

lw <- nb2listw(nbs$queen, style = "W", zero.policy = TRUE)
lm <- suppressWarnings(localmoran(x, lw, zero.policy = TRUE))
gs <- suppressWarnings(localG(x, nb2listw(include.self(nbs$queen), style = "B", zero.policy = TRUE),
                              zero.policy = TRUE))
wgz(data.frame(i = seq_len(n), Ii = lm[, 1], E_Ii = lm[, 2], Var_Ii = lm[, 3], Z_Ii = lm[, 4],
               Gs_z = as.numeric(gs)), "buurt2014_local.csv.gz", digits = 13)
writeLines(c(sprintf("band %.17g", band), paste("n", n)), file.path(out, "buurt2014_params.txt"))
unlink(tmp, recursive = TRUE)
cat("done\n")
