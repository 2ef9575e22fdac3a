# spdep side of bench/spacetime.sh: local bivariate Moran with 999 permutations
# (localmoran_bv) on the polygons wijkbeeld reads, with the same variables.
# usage: Rscript bench/spacetime.R FILE.gpkg
# Prints: step, n, elapsed seconds, peak resident memory of the R process during the step (MB).
suppressMessages({ library(sf); library(spdep) })
x <- st_read(commandArgs(trailingOnly = TRUE)[1], quiet = TRUE)
st_crs(x) <- NA
n <- nrow(x)
cc <- st_coordinates(st_centroid(st_geometry(x)))
i <- seq_len(n) - 1
a <- sin(cc[, 1] / 2000) + cos(cc[, 2] / 3000) + (i %% 7) / 7
b <- cos(cc[, 1] / 5000) - sin(cc[, 2] / 9000) + (i %% 5) / 5
lw <- nb2listw(poly2nb(x), style = "W", zero.policy = TRUE)
peak_reset <- function() try(cat("5", file = "/proc/self/clear_refs"), silent = TRUE)
peak_mb <- function() {
  s <- readLines("/proc/self/status")
  as.numeric(sub("kB", "", sub("VmHWM:", "", s[grep("^VmHWM", s)]))) / 1024
}
invisible(gc())
peak_reset()
t <- system.time(r <- localmoran_bv(a, b, lw, nsim = 999, iseed = 1))[["elapsed"]]
cat(sprintf("local bivariate Moran 999\t%d\t%.6f\t%.1f\n", n, t, peak_mb()))
