# Reference for wijkbeeld's space-time statistics (src/stats/markov.c, hotspot.c, bivariate.c)
# on the real data: the Leefbaarometer 2.0 classes of 2002, 2008, 2012, 2014 and 2016 on the
# 2016 wijken (../shared/data/leefbaarometer2_minorproject/lbm2_wijk2016_classes_2002_2016.csv)
# and the 2016 wijk polygons (geo_nlmaps_edwindj/wijk_2016_rd.topojson).
#
# Run from the repository root, after building wijkbeeld:
#   Rscript tests/reference/spacetime/lbm_spacetime.R [WIJKBEELD_BINARY] [SHARED_DIR]
# Writes tests/data/spacetime/lbm_*.csv.gz (committed; CI has no R).
#
# Independent of wijkbeeld's code: the classes and dimension scores are read here from the
# CSV files; only the polygons go through wijkbeeld ('import geo', 'export gpkg'), as in
# tests/reference/spdep/lbm2016.R, and spdep builds the weights on them. Everything else is
# written here from the definitions (giddy 2.3's conventions, docs/spacetime.md), with
# different algorithms from the C code where there is a choice:
#   steady states   eigenvector of t(P) for the eigenvalue 1 on each closed class
#   passage times   Kemeny & Snell's fundamental matrix Z = (I - P + A)^-1 on the ergodic part,
#                   hitting probabilities by matrix powers for the transient states
#   homogeneity     Bickenbach & Bode (2003), as giddy's Homogeneity_Results
#   Gi*             spdep::localG on include.self(nb), style B
#   Mann-Kendall    cor.test(method = "kendall", exact = TRUE) (5 years, no ties)
#   bivariate       spdep's own local_moran_bv_calc on scale()d x and y
# Both methods are first checked on Kemeny & Snell's Land of Oz (stopifnot below).
suppressMessages({
  library(sf)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
bin <- if (length(args) >= 1) args[1] else "build/release/wijkbeeld"
shared <- if (length(args) >= 2) args[2] else "../shared/data"
out <- "tests/data/spacetime"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
num <- function(v, digits = 17) ifelse(is.na(v), "", ifelse(is.infinite(v), "Inf", sprintf(paste0("%.", digits, "g"), v)))
wgz <- function(df, file) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- num(df[[k]])
  con <- gzfile(file.path(out, file), "w")
  write.csv(df, con, row.names = FALSE, quote = FALSE, na = "")
  close(con)
}

# ---------------------------------------------------------------- Markov pieces
probs <- function(Tm) {
  rs <- rowSums(Tm)
  P <- Tm / ifelse(rs > 0, rs, 1)
  P
}
fill_empty <- function(P) {
  for (i in seq_len(nrow(P))) if (sum(P[i, ]) == 0) P[i, i] <- 1
  P
}
reach <- function(P) {                       # reach[i, j]: j reachable from i in >= 0 steps
  k <- nrow(P)
  R <- (P > 0) | diag(k) > 0
  for (s in 1:k) R <- R | (R %*% R > 0)
  R
}
closed_classes <- function(P) {
  R <- reach(P)
  comm <- R & t(R)
  seen <- rep(FALSE, nrow(P))
  res <- list()
  for (i in seq_len(nrow(P))) {
    if (seen[i]) next
    cl <- which(comm[i, ])
    seen[cl] <- TRUE
    out_of <- setdiff(which(apply(R[cl, , drop = FALSE], 2, any)), cl)
    if (length(out_of) == 0) res[[length(res) + 1]] <- cl
  }
  res
}
steady <- function(P) {                      # one row per closed class
  P <- fill_empty(P)
  k <- nrow(P)
  t(sapply(closed_classes(P), function(cl) {
    s <- rep(0, k)
    if (length(cl) == 1) { s[cl] <- 1; return(s) }
    e <- eigen(t(P[cl, cl, drop = FALSE]))
    v <- Re(e$vectors[, which.min(abs(e$values - 1))])
    s[cl] <- abs(v) / sum(abs(v))
    s
  }))
}
mfpt_ergodic <- function(P) {                # Kemeny & Snell (1976), theorem 4.4.7
  k <- nrow(P)
  s <- steady(P)[1, ]
  A <- matrix(s, k, k, byrow = TRUE)
  Z <- solve(diag(k) - P + A)
  (diag(k) - Z + matrix(1, k, k) %*% diag(diag(Z))) %*% diag(1 / s)
}
mfpt <- function(P) {
  P <- fill_empty(P)
  k <- nrow(P)
  M <- matrix(Inf, k, k)
  for (j in 1:k) {
    # probability of ever entering j: j made absorbing, P^(2^40)
    Q <- P
    Q[j, ] <- 0
    Q[j, j] <- 1
    for (r in 1:40) Q <- Q %*% Q
    h <- Q[, j]
    fin <- setdiff(which(h > 1 - 1e-9), j)
    if (length(fin)) M[fin, j] <- solve(diag(length(fin)) - P[fin, fin, drop = FALSE], rep(1, length(fin)))
    others <- setdiff(which(P[j, ] > 0), j)
    M[j, j] <- 1 + sum(P[j, others] * M[others, j])
  }
  # the ergodic part again with the fundamental matrix
  cc <- closed_classes(P)
  for (cl in cc) if (length(cl) > 1)
    stopifnot(isTRUE(all.equal(M[cl, cl], mfpt_ergodic(P[cl, cl]), tolerance = 1e-10, check.attributes = FALSE)))
  M
}
homogeneity <- function(Tl) {                # Tl: list of k x k count matrices
  Tp <- Reduce(`+`, Tl)
  n_i <- rowSums(Tp)
  p <- Tp / ifelse(n_i > 0, n_i, 1)
  Q <- 0; LR <- 0; b <- rep(0, nrow(Tp))
  for (N in Tl) {
    nim <- rowSums(N)
    b <- b + (nim > 0)
    pm <- N / ifelse(nim > 0, nim, 1)
    for (i in which(nim > 0)) for (j in seq_len(ncol(N))) {
      if (p[i, j] > 0) Q <- Q + nim[i] * (pm[i, j] - p[i, j])^2 / p[i, j]
      if (N[i, j] > 0 && p[i, j] > 0) LR <- LR + N[i, j] * log(pm[i, j] / p[i, j])
    }
  }
  a <- rowSums(Tp > 0)
  dof <- sum(ifelse(b > 0 & a > 0, (b - 1) * (a - 1), 0))
  LR <- 2 * LR
  c(Q = Q, Q_p = pchisq(Q, dof, lower.tail = FALSE), LR = LR, LR_p = pchisq(LR, dof, lower.tail = FALSE),
    dof = dof, n = sum(Tp))
}

# hand check: Kemeny & Snell's Land of Oz (rain, nice, snow), pi = (.4, .2, .4),
# M = [[2.5, 4, 10/3], [8/3, 5, 8/3], [10/3, 4, 2.5]]
oz <- matrix(c(.5, .25, .25, .5, 0, .5, .25, .25, .5), 3, byrow = TRUE)
stopifnot(isTRUE(all.equal(as.numeric(steady(oz)), c(.4, .2, .4), tolerance = 1e-12)))
stopifnot(isTRUE(all.equal(mfpt(oz), matrix(c(2.5, 4, 10/3, 8/3, 5, 8/3, 10/3, 4, 2.5), 3, byrow = TRUE),
                           tolerance = 1e-12)))
# a reducible one: state 1 transient, {2, 3} closed, state 4 never left (an empty row)
red <- matrix(c(.5, .5, 0, 0, 0, .5, .5, 0, 0, 1, 0, 0, 0, 0, 0, 0), 4, byrow = TRUE)
st <- steady(red)
stopifnot(nrow(st) == 2, isTRUE(all.equal(st[1, ], c(0, 2/3, 1/3, 0))), isTRUE(all.equal(st[2, ], c(0, 0, 0, 1))))
Mr <- mfpt(red)
stopifnot(Mr[1, 2] == 2, is.infinite(Mr[1, 1]), is.infinite(Mr[2, 4]), Mr[2, 3] == 2, Mr[3, 2] == 1)

count_transitions <- function(cls, k, periods = NULL, lagc = NULL, m = 1) {
  # cls: areas x years, states 1..k (NA missing); lagc: areas x years lag classes 1..m
  Tl <- replicate(m, matrix(0, k, k), simplify = FALSE)
  for (t in seq_len(ncol(cls) - 1)) {
    if (!is.null(periods) && !periods[t]) next
    a <- cls[, t]; b <- cls[, t + 1]
    l <- if (is.null(lagc)) rep(1, nrow(cls)) else lagc[, t]
    ok <- !is.na(a) & !is.na(b) & !is.na(l)
    for (r in which(ok)) Tl[[l[r]]][a[r], b[r]] <- Tl[[l[r]]][a[r], b[r]] + 1
  }
  Tl
}
chain_rows <- function(Tm, tag) {
  k <- nrow(Tm)
  P <- probs(Tm)
  S <- steady(P)
  M <- mfpt(P)
  list(trans = data.frame(tag, from_class = rep(1:k, each = k), to_class = rep(1:k, k),
                          count = as.vector(t(Tm)), probability = as.vector(t(P))),
       steady = data.frame(tag, recurrent_class = rep(seq_len(nrow(S)), each = k), class = rep(1:k, nrow(S)),
                           probability = as.vector(t(S))),
       mfpt = data.frame(tag, from_class = rep(1:k, each = k), to_class = rep(1:k, k), mfpt = as.vector(t(M))))
}
bind <- function(lst, what) do.call(rbind, lapply(lst, `[[`, what))

# ---------------------------------------------------------------- data
kl <- read.csv(file.path(shared, "leefbaarometer2_minorproject/lbm2_wijk2016_classes_2002_2016.csv"),
               na.strings = c("#N/A", ""), stringsAsFactors = FALSE)
years <- c(2002, 2008, 2012, 2014, 2016)
cls_all <- as.matrix(kl[, c("KL02", "KL08", "KL12", "KL14", "KL16")])
rownames(cls_all) <- trimws(kl$WK_CODE)
storage.mode(cls_all) <- "double"
cat("wijken in the classes file:", nrow(cls_all), "\n")

tmp <- tempfile()
dir.create(tmp)
db <- file.path(tmp, "w.db")
gp <- file.path(tmp, "w.gpkg")
run <- function(...) stopifnot(system2(bin, c("--db", db, "--quiet", ...), stdout = FALSE) == 0)
run("import", "geo", file.path(shared, "geo_nlmaps_edwindj/wijk_2016_rd.topojson"), "--year", "2016")
run("export", "gpkg", "--level", "wijk", "--year", "2016", "-o", gp)
w <- st_read(gp, quiet = TRUE)
st_crs(w) <- NA
nb_all <- poly2nb(w)
cat("wijken with a polygon:", nrow(w), "\n")

# ---------------------------------------------------------------- class Markov, whole and around 2012
k <- 9
res <- list(chain_rows(count_transitions(cls_all, k)[[1]], "2002-2016"))
brk <- list(before = years[-1] <= 2012, after = years[-5] >= 2012)
res_b <- list(chain_rows(count_transitions(cls_all, k, brk$before)[[1]], "2002-2012"),
              chain_rows(count_transitions(cls_all, k, brk$after)[[1]], "2012-2016"))
wgz(bind(c(res, res_b), "trans"), "lbm_markov_transitions.csv.gz")
wgz(bind(c(res, res_b), "steady"), "lbm_markov_steady.csv.gz")
wgz(bind(c(res, res_b), "mfpt"), "lbm_markov_mfpt.csv.gz")

# ---------------------------------------------------------------- spatial Markov (queen, W)
complete <- rownames(cls_all)[rowSums(is.na(cls_all)) == 0]
keep <- w$code %in% complete
nbs <- subset(nb_all, keep)
codes <- w$code[keep]
cls <- cls_all[codes, ]
lw <- nb2listw(nbs, style = "W", zero.policy = TRUE)
island <- card(nbs) == 0
cat("spatial Markov: areas", length(codes), "islands", sum(island), ":", codes[island], "\n")
lag <- sapply(1:5, function(t) lag.listw(lw, cls[, t], zero.policy = TRUE))
lag[island, ] <- NA
m <- 4
bins <- unname(quantile(lag[!is.na(lag)], probs = (1:m) / m, type = 7))
lagc <- matrix(findInterval(lag, bins[1:(m - 1)], left.open = TRUE) + 1, nrow(lag))
lagc[is.na(lag)] <- NA
sm_rows <- list(); ht_rows <- list()
for (per in list(list("2002-2016", NULL), list("2002-2012", brk$before), list("2012-2016", brk$after))) {
  Tl <- count_transitions(cls, k, per[[2]], lagc, m)
  for (l in 1:m) sm_rows[[length(sm_rows) + 1]] <- lapply(chain_rows(Tl[[l]], per[[1]]), cbind, lag_class = l)
  h <- homogeneity(Tl)
  ht_rows[[length(ht_rows) + 1]] <- data.frame(period = per[[1]], Q = h[["Q"]], Q_p = h[["Q_p"]], LR = h[["LR"]],
                                                LR_p = h[["LR_p"]], dof = h[["dof"]], transitions = h[["n"]],
                                                bin1 = bins[1], bin2 = bins[2], bin3 = bins[3], bin4 = bins[4])
}
wgz(bind(sm_rows, "trans"), "lbm_smarkov_transitions.csv.gz")
wgz(bind(sm_rows, "steady"), "lbm_smarkov_steady.csv.gz")
wgz(bind(sm_rows, "mfpt"), "lbm_smarkov_mfpt.csv.gz")
wgz(do.call(rbind, ht_rows), "lbm_smarkov_tests.csv.gz")
wgz(data.frame(code = rep(codes, 5), year = rep(years, each = length(codes)), class = as.vector(cls),
               lag = as.vector(lag), lag_class = as.vector(lagc)), "lbm_smarkov_paths.csv.gz")

# ---------------------------------------------------------------- LISA Markov (quadrants HH LH LL HL = 1..4)
quad <- sapply(1:5, function(t) {
  z <- cls[, t] - mean(cls[, t])
  l <- lag.listw(lw, z, zero.policy = TRUE)
  ifelse(z > 0, ifelse(l > 0, 1, 4), ifelse(l > 0, 2, 3))
})
quad[island, ] <- NA
lm_rows <- list(chain_rows(count_transitions(quad, 4)[[1]], "2002-2016"))
wgz(bind(lm_rows, "trans"), "lbm_lisamarkov_transitions.csv.gz")
wgz(bind(lm_rows, "steady"), "lbm_lisamarkov_steady.csv.gz")

# ---------------------------------------------------------------- emerging hot spots (Gi*, queen, B)
lwb <- nb2listw(include.self(nbs), style = "B", zero.policy = TRUE)
Z <- sapply(1:5, function(t) as.numeric(localG(cls[, t], lwb, zero.policy = TRUE)))
Z[island, ] <- NA
Pv <- apply(Z, 2, function(z) { p <- 2 * pnorm(-abs(z)); p[!is.na(p)] <- p.adjust(p[!is.na(p)], "BH"); p })
spot <- ifelse(!is.na(Pv) & Pv <= 0.05, sign(Z), 0)
category <- function(s, tau, p, alpha = 0.05) {
  n <- length(s); last <- s[n]
  hot <- sum(s == 1); cold <- sum(s == -1)
  ninety <- function(c) 10 * c >= 9 * n
  if (last != 0) {
    side <- if (last > 0) "hot" else "cold"
    same <- sum(s == last); other <- sum(s == -last)
    if (ninety(same)) {
      trend <- last * tau
      if (p < alpha && trend > 0) return(paste0("intensifying_", side))
      if (p < alpha && trend < 0) return(paste0("diminishing_", side))
      return(paste0("persistent_", side))
    }
    if (other > 0) return(paste0("oscillating_", side))
    if (same == 1) return(paste0("new_", side))
    r <- rle(s)
    if (r$lengths[length(r$lengths)] == same) return(paste0("consecutive_", side))
    return(paste0("sporadic_", side))
  }
  if (ninety(hot)) return("historical_hot")
  if (ninety(cold)) return("historical_cold")
  "none"
}
eh <- do.call(rbind, lapply(seq_along(codes), function(i) {
  if (island[i]) return(data.frame(code = codes[i], category = "island", n_hot = 0L, n_cold = 0L, tau = NA, mk_p = NA))
  ct <- cor.test(years, Z[i, ], method = "kendall", exact = TRUE)
  data.frame(code = codes[i], category = category(spot[i, ], unname(ct$estimate), ct$p.value),
             n_hot = sum(spot[i, ] == 1), n_cold = sum(spot[i, ] == -1), tau = unname(ct$estimate), mk_p = ct$p.value)
}))
eh <- cbind(eh, setNames(as.data.frame(Z), paste0("z", years)), setNames(as.data.frame(Pv), paste0("p", years)))
print(table(eh$category))
wgz(eh, "lbm_ehsa.csv.gz")

# ---------------------------------------------------------------- bivariate: housing (lbm_won) with the
# neighbours' nuisance and safety (lbm_onv), 2016
dm <- read.csv(file.path(shared, "leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv"),
               stringsAsFactors = FALSE)
dm <- dm[dm$JAAR == 2016, ]
x <- dm$RLBWON[match(w$code, trimws(dm$GBD))]
y <- dm$RLBVEI[match(w$code, trimws(dm$GBD))]
kb <- !is.na(x) & !is.na(y)
nbb <- subset(nb_all, kb)
lwbv <- nb2listw(nbb, style = "W", zero.policy = TRUE)
set.ZeroPolicyOption(TRUE)
zx <- as.numeric(scale(x[kb])); zy <- as.numeric(scale(y[kb]))
Ibv <- spdep:::local_moran_bv_calc(zx, zy, lwbv)
IB <- sum(lag.listw(lwbv, zy, zero.policy = TRUE) * zx) / sum(zx^2)
cat("bivariate: areas", sum(kb), "islands", sum(card(nbb) == 0), "I_B", IB, "\n")
wgz(data.frame(code = w$code[kb], x = x[kb], y = y[kb], Ibv = Ibv, I_B = IB), "lbm_bivariate.csv.gz")
unlink(tmp, recursive = TRUE)
writeLines(c(paste("spdep", packageVersion("spdep")), paste("sf", packageVersion("sf")), R.version.string),
           file.path(out, "VERSIONS"))
cat("done\n")
