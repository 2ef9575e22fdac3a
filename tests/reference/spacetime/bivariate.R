# Reference for wijkbeeld's bivariate Moran's I (src/stats/bivariate.c) with spdep 1.2-7's
# moran_bv and localmoran_bv on NC SIDS and Columbus, the datasets of
# tests/reference/spdep/fixtures.R (polygons from the committed tests/data/spdep/<name>.gpkg,
# values from <name>_values.csv). Run from the repository root:
#     Rscript tests/reference/spacetime/bivariate.R
# Writes tests/data/spacetime/<name>_bv.csv and <name>_bv_local.csv.
#
#   global: moran_bv(x, y, listw, nsim = 9999) (boot, sim = "permutation": the (x, y) pairs are
#           permuted together); I = t0; M = #(t >= t0); the folded p (min(M, N - M) + 1) / (N + 1)
#   local:  localmoran_bv(x, y, listw, nsim = 9999, iseed = 1): Ibvi exact; its folded p drawn
#           WITH replacement; and a conditional permutation WITHOUT replacement written here
#           (sample(), 19999 draws per area, folded p), the scheme wijkbeeld uses.
# Hand check first: Ibv_i = zx_i * sum_j w_ij zy_j and I_B = sum(Ibv) / sum(zx^2) on a 4-area
# line (below), so that the fixtures rest on the definition, not only on spdep.
suppressMessages({
  library(sf)
  library(spdep)
})
set.seed(20240602)
src <- "tests/data/spdep"
out <- "tests/data/spacetime"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
num <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))
wcsv <- function(df, file) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- num(df[[k]])
  write.csv(df, file.path(out, file), row.names = FALSE, quote = FALSE, na = "")
}

# a line of four areas 1-2-3-4, W style; x = 1..4, y = (2, 1, 4, 3): scale() gives
# zx = (x - 2.5) / sd(1:4), zy likewise; area 1's lag of zy is zy_2, area 2's (zy_1 + zy_3) / 2
line <- nb2listw(structure(list(2L, c(1L, 3L), c(2L, 4L), 3L), class = "nb"), style = "W")
x <- 1:4; y <- c(2, 1, 4, 3)
s <- sd(1:4)
zx <- (x - 2.5) / s; zy <- (y - 2.5) / s
hand <- c(zx[1] * zy[2], zx[2] * (zy[1] + zy[3]) / 2, zx[3] * (zy[2] + zy[4]) / 2, zx[4] * zy[3])
stopifnot(isTRUE(all.equal(localmoran_bv(x, y, line, nsim = 9)[, 1], hand)))
stopifnot(isTRUE(all.equal(moran_bv(x, y, line, nsim = 9)$t0, sum(hand) / sum(zx^2))))

sets <- list(nc = c("sidr74", "nwbr74"), columbus = c("CRIME", "HOVAL"))
for (name in names(sets)) {
  d <- st_read(file.path(src, paste0(name, ".gpkg")), quiet = TRUE)
  st_crs(d) <- NA
  v <- read.csv(file.path(src, paste0(name, "_values.csv")))
  x <- v[[sets[[name]][1]]]; y <- v[[sets[[name]][2]]]
  nb <- poly2nb(d)
  n <- length(x)
  g_rows <- list(); l_rows <- list()
  for (style in c("W", "B")) {
    lw <- nb2listw(nb, style = style)
    N <- 9999
    mb <- moran_bv(x, y, lw, nsim = N)
    M <- sum(mb$t >= mb$t0)
    g_rows[[style]] <- data.frame(weights = paste0("queen_", style), x = sets[[name]][1], y = sets[[name]][2],
                                  I = mb$t0, M = M, nsim = N, p_ref = (min(M, N - M) + 1) / (N + 1),
                                  sim_mean = mean(mb$t), sim_var = var(mb$t))
    lb <- localmoran_bv(x, y, lw, nsim = 9999, iseed = 1)
    zx <- as.numeric(scale(x)); zy <- as.numeric(scale(y))
    Ibv <- zx * lag.listw(lw, zy)
    stopifnot(isTRUE(all.equal(Ibv, as.numeric(lb[, 1]))))
    nsim <- 19999
    pref <- numeric(n)
    for (i in seq_len(n)) {
      k <- card(nb)[i]
      wts <- lw$weights[[i]]
      sims <- zx[i] * replicate(nsim, sum(sample(zy[-i], k) * wts))
      Mi <- sum(sims >= Ibv[i])
      pref[i] <- (min(Mi, nsim - Mi) + 1) / (nsim + 1)
    }
    l_rows[[style]] <- data.frame(weights = paste0("queen_", style), i = seq_len(n), Ibv = as.numeric(lb[, 1]),
                                  p_ref = pref, nsim_ref = nsim, p_spdep_folded = as.numeric(lb[, 7]),
                                  nsim_spdep = 9999L)
  }
  wcsv(do.call(rbind, g_rows), paste0(name, "_bv.csv"))
  wcsv(do.call(rbind, l_rows), paste0(name, "_bv_local.csv"))
  cat(name, "done\n")
}
