# Reference for the real use of the spatial statistics: the Leefbaarometer 2.0 total score
# (lbm) of 2016 over the 2016 wijken of the whole country (../shared/data:
# geo_nlmaps_edwindj/wijk_2016_rd.topojson and leefbaarometer2_minorproject/
# lbm2_wijk2016_dimensions_2012_2014_2016.csv, whose codes match).
#
# Run from the repository root, after building wijkbeeld:
#   Rscript tests/reference/spdep/lbm2016.R [WIJKBEELD_BINARY] [SHARED_DIR]
# Writes tests/data/spdep/lbm2016_*.csv.gz (committed; CI has no R).
#
# The wijken and scores go through wijkbeeld ('import geo', 'import lbm'), and 'export gpkg
# --indicator lbm' writes every wijk with a polygon and its 2016 score (NULL when missing).
# spdep builds queen weights on all of them and drops the missing ones with
# moran.test(na.action = na.omit) / subset.listw, which is what wijkbeeld does.
suppressMessages({
  library(sf)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
bin <- if (length(args) >= 1) args[1] else "build/release/wijkbeeld"
shared <- if (length(args) >= 2) args[2] else "../shared/data"
tmp <- tempfile()
dir.create(tmp)
db <- file.path(tmp, "w.db")
gp <- file.path(tmp, "w.gpkg")
run <- function(...) stopifnot(system2(bin, c("--db", db, "--quiet", ...), stdout = FALSE) == 0)
run("import", "geo", file.path(shared, "geo_nlmaps_edwindj/wijk_2016_rd.topojson"), "--year", "2016")
run("import", "lbm", file.path(shared, "leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv"))
run("export", "gpkg", "--level", "wijk", "--year", "2016", "--indicator", "lbm", "-o", gp)
w <- st_read(gp, quiet = TRUE)
st_crs(w) <- NA
cat("wijken with a polygon:", nrow(w), " with a 2016 score:", sum(!is.na(w$value)), "\n")

out <- "tests/data/spdep"
num <- function(v, digits) ifelse(is.na(v), "", sprintf(paste0("%.", digits, "g"), v))
wgz <- function(df, file, digits = 17) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- num(df[[k]], digits)
  con <- gzfile(file.path(out, file), "w")
  write.csv(df, con, row.names = FALSE, quote = FALSE, na = "")
  close(con)
}
nb <- poly2nb(w)
lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
x <- w$value
mr <- moran.test(x, lw, randomisation = TRUE, alternative = "two.sided", na.action = na.omit,
                 zero.policy = TRUE)
mn <- moran.test(x, lw, randomisation = FALSE, alternative = "two.sided", na.action = na.omit,
                 zero.policy = TRUE)
keep <- !is.na(x)
lws <- subset(lw, keep, zero.policy = TRUE)
cat("analysed", sum(keep), "islands", sum(card(lws$neighbours) == 0), "\n")
wgz(data.frame(n = sum(keep), islands = sum(card(lws$neighbours) == 0), I = unname(mr$estimate[1]),
               E_I = unname(mr$estimate[2]), var_norm = unname(mn$estimate[3]),
               z_norm = unname(mn$statistic), p_norm = mn$p.value, var_rand = unname(mr$estimate[3]),
               z_rand = unname(mr$statistic), p_rand = mr$p.value), "lbm2016_moran.csv.gz")
xs <- x[keep]
lm <- suppressWarnings(localmoran(xs, lws, zero.policy = TRUE))
nbs <- subset(nb, keep)
gs <- suppressWarnings(localG(xs, nb2listw(include.self(nbs), style = "B", zero.policy = TRUE),
                              zero.policy = TRUE))
wgz(data.frame(code = w$code[keep], value = xs, Ii = lm[, 1], E_Ii = lm[, 2], Var_Ii = lm[, 3],
               Z_Ii = lm[, 4], P_Ii = lm[, 5], Gs_z = as.numeric(gs)), "lbm2016_local.csv.gz",
    digits = 13)
unlink(tmp, recursive = TRUE)
cat("done\n")
