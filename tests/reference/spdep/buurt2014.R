# Reference fixtures on real Dutch geometry: the 2014 CBS buurten of ../shared/data
# (geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json, 11,691 polygons, quantised TopoJSON).
#
# Run from the repository root:  Rscript tests/reference/spdep/buurt2014.R [SHARED_DIR]
# Writes tests/data/spdep/buurt2014_*.csv.gz (committed; CI has no R).
#
# GDAL cannot detect the file as TopoJSON because its "type" member comes last (see
# SOURCES.md); the C test and this script both read a copy whose "type" member is moved to
# the front, with GDAL's TopoJSON driver, so both sides get the same polygons in the same
# order. 545 features decode to empty geometries (quantisation collapsed them); poly2nb
# refuses empty geometries, so both sides drop them, leaving 11,146. Coordinates stay in
# degrees (planar): contiguity does not need a projection, and kNN/distance use the
# centroids written here.
suppressMessages({
  library(sf)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args)) args[1] else "../shared/data"
src <- file.path(shared, "geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json")
txt <- readChar(src, file.info(src)$size, useBytes = TRUE)
stopifnot(substr(txt, 1, 1) == "{")
pat <- '[[:space:]]*,[[:space:]]*"type"[[:space:]]*:[[:space:]]*"Topology"[[:space:]]*\\}[[:space:]]*$'
stopifnot(grepl(pat, txt))
fixed <- paste0('{"type": "Topology", ', substr(sub(pat, "}", txt), 2, nchar(txt)))
tmp <- tempfile(fileext = ".topojson")
writeChar(fixed, tmp, eos = NULL, useBytes = TRUE)
b <- st_read(tmp, quiet = TRUE)
st_crs(b) <- NA
cat("features", nrow(b), "empty", sum(st_is_empty(b)), "\n")
b <- b[!st_is_empty(b), ]
n <- nrow(b)

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
# a smooth field with local noise: spatially autocorrelated, no ties
x <- sin(cc[, 1] * 3) + cos(cc[, 2] * 4) + ((seq_len(n) * 7919) %% 1000) / 1000
wgz(data.frame(code = b$id, x = cc[, 1], y = cc[, 2], value = x), "buurt2014_values.csv.gz")

q <- poly2nb(b)
r <- poly2nb(b, queen = FALSE)
k4 <- knn2nb(knearneigh(cc, k = 4))
for (nm in c("q", "r", "k4")) {
  nb <- get(nm)
  cat(nm, "links", sum(card(nb)), "islands", sum(card(nb) == 0), "\n")
}
wgz(nb_pairs(q), "buurt2014_nb_queen.csv.gz")
wgz(nb_pairs(r), "buurt2014_nb_rook.csv.gz")
wgz(nb_pairs(k4), "buurt2014_nb_knn4.csv.gz")

lw <- nb2listw(q, style = "W", zero.policy = TRUE)
mr <- moran.test(x, lw, randomisation = TRUE, alternative = "two.sided", zero.policy = TRUE)
mn <- moran.test(x, lw, randomisation = FALSE, alternative = "two.sided", zero.policy = TRUE)
wgz(data.frame(weights = "queen_W", n = n, I = unname(mr$estimate[1]), E_I = unname(mr$estimate[2]),
               var_norm = unname(mn$estimate[3]), z_norm = unname(mn$statistic), p_norm = mn$p.value,
               var_rand = unname(mr$estimate[3]), z_rand = unname(mr$statistic), p_rand = mr$p.value),
    "buurt2014_moran.csv.gz")
lm <- suppressWarnings(localmoran(x, lw, zero.policy = TRUE))
gs <- suppressWarnings(localG(x, nb2listw(include.self(q), style = "B", zero.policy = TRUE),
                              zero.policy = TRUE, return_internals = TRUE))
wgz(data.frame(i = seq_len(n), Ii = lm[, 1], E_Ii = lm[, 2], Var_Ii = lm[, 3], Z_Ii = lm[, 4],
               Gs_z = as.numeric(gs)), "buurt2014_local.csv.gz", digits = 13)
cat("done:", n, "buurten\n")
