# spdep side of bench/spatial.sh: the same steps as bench/spatial_bench.c on the same
# polygon file. usage: Rscript bench/spatial.R FILE.gpkg
# Prints per step: step, n, elapsed seconds, peak resident memory of the R process during
# the step in MB (VmHWM after resetting it through /proc/self/clear_refs).
suppressMessages({ library(sf); library(spdep) })
args <- commandArgs(trailingOnly = TRUE)
x <- st_read(args[1], quiet = TRUE)
st_crs(x) <- NA            # planar, as wijkbeeld (RD metres)
n <- nrow(x)
cc <- st_coordinates(st_centroid(st_geometry(x)))
v <- sin(cc[, 1] / 2000) + cos(cc[, 2] / 3000) + ((seq_len(n) - 1) %% 7) / 7
peak_reset <- function() try(cat("5", file = "/proc/self/clear_refs"), silent = TRUE)
peak_mb <- function() {
  s <- readLines("/proc/self/status")
  as.numeric(sub("kB", "", sub("VmHWM:", "", s[grep("^VmHWM", s)]))) / 1024
}
step <- function(name, expr) {
  gc()
  peak_reset()
  t <- system.time(r <- force(expr))[["elapsed"]]
  cat(sprintf("%s\t%d\t%.6f\t%.1f\n", name, n, t, peak_mb()))
  r
}
nb <- NULL
lw <- step("queen weights", {
  nb <- poly2nb(x)
  nb2listw(nb, style = "W", zero.policy = TRUE)
})
invisible(step("global Moran", moran.test(v, lw, zero.policy = TRUE)))
invisible(step("global Moran 999", moran.mc(v, lw, nsim = 999, zero.policy = TRUE)))
invisible(step("local Moran 999", localmoran_perm(v, lw, nsim = 999, zero.policy = TRUE, iseed = 1)))
invisible(step("Gi*", localG(v, nb2listw(include.self(nb), style = "B", zero.policy = TRUE),
                              zero.policy = TRUE)))
