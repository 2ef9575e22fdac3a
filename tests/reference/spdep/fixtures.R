# Reference fixtures for wijkbeeld's spatial weights and statistics, computed with R's spdep.
#
# Run from the repository root (needs r-cran-spdep, r-cran-sf, r-cran-spdata):
#     Rscript tests/reference/spdep/fixtures.R
# Writes tests/data/spdep/*. CI has no R: the outputs are committed, and the C tests in
# tests/spatial/ compare wijkbeeld with them. Numbers are written with 17 significant digits.
#
# Datasets: NC SIDS (system.file("shape/nc.shp", package = "sf"), 100 counties) and Columbus
# (system.file("shapes/columbus.shp", package = "spData"), 49 neighbourhoods). Their CRS is
# dropped so that every computation is planar, as wijkbeeld's (RD New metres) are: poly2nb
# then uses its bounding-box candidate search, knearneigh/dnearneigh use hypot().
# The geometry is written to <name>.gpkg (exact doubles, file order kept) for the C side.
#
# Conventions checked (spdep 1.2 defaults unless said):
#   poly2nb(snap = sqrt(.Machine$double.eps)), queen and rook, and snap = 0.05
#   knearneigh(k = 4) + knn2nb on the centroids written to <name>_coords.csv
#   dnearneigh(0, d) bounds GE/LE, and dnearneigh(d1, d2, bounds = c("GT", "LE"))
#   moran.test(randomisation = TRUE/FALSE, alternative = "two.sided", adjust.n = TRUE/FALSE)
#   localmoran(conditional = TRUE, mlvar = TRUE, adjust.x = FALSE), zero.policy = TRUE
#   localG on nb (Gi) and on include.self(nb) (Gi*), styles B and W
# Permutation references (equal in distribution, not in draws):
#   global: moran.mc(nsim = 99999); M = #(simulated I >= observed), p = (M + 1) / (nsim + 1)
#   local: conditional permutation WITHOUT replacement written here with base R's sample(),
#          nsim = 19999, folded p = (min(M, nsim - M) + 1) / (nsim + 1), M = #(Ii_sim >= Ii);
#          and spdep's own localmoran_perm(nsim = 9999), which draws WITH replacement in 1.2.
suppressMessages({
  library(sf)
  library(spdep)
})
set.seed(20240601)
out <- "tests/data/spdep"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

num <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))
wcsv <- function(df, file) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- num(df[[k]])
  write.csv(df, file.path(out, file), row.names = FALSE, quote = FALSE, na = "")
}

nb_pairs <- function(nb) {
  i <- rep(seq_along(nb), card(nb))
  j <- unlist(lapply(nb, function(v) v[v > 0]))
  data.frame(i = as.integer(i), j = as.integer(j))
}

datasets <- list()
nc <- st_read(system.file("shape/nc.shp", package = "sf"), quiet = TRUE)
st_crs(nc) <- NA
nc$code <- as.character(nc$FIPS)
nc$sidr74 <- nc$SID74 / nc$BIR74 * 1000
nc$nwbr74 <- nc$NWBIR74 / nc$BIR74
datasets$nc <- list(sf = nc, vars = c("sidr74", "nwbr74"))

col <- st_read(system.file("shapes/columbus.shp", package = "spData"), quiet = TRUE)
st_crs(col) <- NA
col$code <- as.character(col$POLYID)
datasets$columbus <- list(sf = col, vars = c("CRIME", "HOVAL"))

for (name in names(datasets)) {
  d <- datasets[[name]]$sf
  vars <- datasets[[name]]$vars
  n <- nrow(d)
  cat(name, ": ", n, " areas\n", sep = "")

  g <- d[, c("code", vars)]
  gp <- file.path(out, paste0(name, ".gpkg"))
  if (file.exists(gp)) file.remove(gp)
  st_write(g, gp, quiet = TRUE)
  wcsv(data.frame(code = d$code, d[[vars[1]]], d[[vars[2]]]) |> setNames(c("code", vars)),
       paste0(name, "_values.csv"))

  cc <- st_coordinates(st_centroid(st_geometry(d)))
  wcsv(data.frame(code = d$code, x = cc[, 1], y = cc[, 2]), paste0(name, "_coords.csv"))

  nn1 <- unlist(nbdists(knn2nb(knearneigh(cc, 1)), cc))
  band <- unname(quantile(nn1, 0.9))     # leaves some islands
  band_lo <- unname(quantile(nn1, 0.3))
  band_hi <- max(nn1) * 1.5
  nbs <- list(
    queen = poly2nb(d),
    rook = poly2nb(d, queen = FALSE),
    queen_snap = poly2nb(d, snap = 0.05),
    rook_snap = poly2nb(d, queen = FALSE, snap = 0.05),
    knn4 = knn2nb(knearneigh(cc, k = 4)),
    dist = dnearneigh(cc, 0, band),
    dist_gt = dnearneigh(cc, band_lo, band_hi, bounds = c("GT", "LE"))
  )
  params <- data.frame(name = c("snap", "band", "band_lo", "band_hi"),
                       value = c(0.05, band, band_lo, band_hi))
  wcsv(params, paste0(name, "_params.csv"))
  for (k in names(nbs)) {
    wcsv(nb_pairs(nbs[[k]]), paste0(name, "_nb_", k, ".csv"))
    cat(sprintf("  %-10s links %4d islands %d\n", k, sum(card(nbs[[k]])), sum(card(nbs[[k]]) == 0)))
  }
  write.nb.gal(nbs$queen, file.path(out, paste0(name, "_queen.gal")), oldstyle = FALSE,
               shpfile = name, ind = "code")

  # weights used by the statistics: (nb, style)
  wsets <- list(queen_W = c("queen", "W"), queen_B = c("queen", "B"), rook_B = c("rook", "B"),
                knn4_W = c("knn4", "W"), dist_W = c("dist", "W"))
  moran_rows <- list()
  local_rows <- list()
  for (ws in names(wsets)) {
    nb <- nbs[[wsets[[ws]][1]]]
    style <- wsets[[ws]][2]
    lw <- nb2listw(nb, style = style, zero.policy = TRUE)
    lws <- nb2listw(include.self(nb), style = style, zero.policy = TRUE)
    for (v in vars) {
      x <- d[[v]]
      for (adj in c(TRUE, FALSE)) {
        mr <- moran.test(x, lw, randomisation = TRUE, alternative = "two.sided",
                         zero.policy = TRUE, adjust.n = adj)
        mn <- moran.test(x, lw, randomisation = FALSE, alternative = "two.sided",
                         zero.policy = TRUE, adjust.n = adj)
        wc <- spweights.constants(lw, zero.policy = TRUE, adjust.n = adj)
        moran_rows[[length(moran_rows) + 1]] <- data.frame(
          weights = ws, var = v, adjust_n = as.integer(adj), n = length(x), n_eff = wc$n,
          I = unname(mr$estimate[1]), E_I = unname(mr$estimate[2]),
          var_norm = unname(mn$estimate[3]), z_norm = unname(mn$statistic), p_norm = mn$p.value,
          var_rand = unname(mr$estimate[3]), z_rand = unname(mr$statistic), p_rand = mr$p.value,
          S0 = wc$S0, S1 = wc$S1, S2 = wc$S2)
      }
      lm <- suppressWarnings(localmoran(x, lw, zero.policy = TRUE))
      gi <- suppressWarnings(localG(x, lw, zero.policy = TRUE, return_internals = TRUE))
      gs <- suppressWarnings(localG(x, lws, zero.policy = TRUE, return_internals = TRUE))
      local_rows[[length(local_rows) + 1]] <- data.frame(
        weights = ws, var = v, i = seq_len(n),
        Ii = lm[, 1], E_Ii = lm[, 2], Var_Ii = lm[, 3], Z_Ii = lm[, 4], P_Ii = lm[, 5],
        Gi = attr(gi, "internals")[, 1], Gi_z = as.numeric(gi),
        Gs = attr(gs, "internals")[, 1], Gs_z = as.numeric(gs))
    }
  }
  wcsv(do.call(rbind, moran_rows), paste0(name, "_moran.csv"))
  wcsv(do.call(rbind, local_rows), paste0(name, "_local.csv"))

  # missing values: spdep subsets the weights (subset.nb) and re-standardises
  v <- vars[1]
  xna <- d[[v]]
  drop <- if (name == "nc") c(3, 17, 40, 41, 88) else c(2, 30)
  xna[drop] <- NA
  lw <- nb2listw(nbs$queen, style = "W")
  mr <- moran.test(xna, lw, randomisation = TRUE, alternative = "two.sided", na.action = na.omit,
                   zero.policy = TRUE)
  mn <- moran.test(xna, lw, randomisation = FALSE, alternative = "two.sided", na.action = na.omit,
                   zero.policy = TRUE)
  wcsv(data.frame(dropped = paste(drop, collapse = " "), var = v, I = unname(mr$estimate[1]),
                  E_I = unname(mr$estimate[2]), var_norm = unname(mn$estimate[3]),
                  var_rand = unname(mr$estimate[3]), z_rand = unname(mr$statistic),
                  p_rand = mr$p.value), paste0(name, "_moran_na.csv"))

  # permutation references
  perm_rows <- list()
  lperm_rows <- list()
  for (ws in c("queen_W", "knn4_W")) {
    nb <- nbs[[wsets[[ws]][1]]]
    lw <- nb2listw(nb, style = "W")
    x <- d[[vars[1]]]
    mc <- moran.mc(x, lw, nsim = 99999)
    sims <- mc$res[1:99999]
    obs <- mc$res[100000]
    M <- sum(sims >= obs)
    perm_rows[[length(perm_rows) + 1]] <- data.frame(
      weights = ws, var = vars[1], nsim = 99999L, I = obs, M = M, p_ref = (M + 1) / (99999 + 1),
      p_spdep = mc$p.value, sim_mean = mean(sims), sim_var = var(sims))

    z <- x - mean(x)
    s2 <- sum(z^2) / n
    Ii <- (z / s2) * lag.listw(lw, z)
    nsim <- 19999
    pref <- numeric(n)
    for (i in seq_len(n)) {
      k <- card(nb)[i]
      wts <- lw$weights[[i]]
      others <- z[-i]
      sims_i <- (z[i] / s2) * replicate(nsim, sum(sample(others, k) * wts))
      Mi <- sum(sims_i >= Ii[i])
      pref[i] <- (min(Mi, nsim - Mi) + 1) / (nsim + 1)
    }
    lp <- localmoran_perm(x, lw, nsim = 9999, iseed = 1)
    lperm_rows[[length(lperm_rows) + 1]] <- data.frame(
      weights = ws, var = vars[1], i = seq_len(n), Ii = Ii, p_ref = pref, nsim_ref = nsim,
      p_spdep_folded = lp[, 7], nsim_spdep = 9999L)
  }
  wcsv(do.call(rbind, perm_rows), paste0(name, "_moran_perm.csv"))
  wcsv(do.call(rbind, lperm_rows), paste0(name, "_local_perm.csv"))
}
writeLines(c(paste("spdep", packageVersion("spdep")), paste("sf", packageVersion("sf")),
             paste("spData", packageVersion("spData")), R.version.string),
           file.path(out, "VERSIONS"))
cat("done\n")
