#!/usr/bin/env Rscript
# Independent reference for src/stats/trend.c: generates a few hundred yearly series (with
# ties, gaps, short and long, planted breaks) and computes, with base R and the segmented
# package only (no code shared with the C side):
#   - Mann-Kendall S (definition: sum of sign(y_j - y_i), i < j), Kendall's tau-b (cor()),
#     the tie-corrected variance (Kendall 1975, eq. 4.3), and the two-sided p:
#       n <= 10: exact, by brute-force enumeration of all n! permutations of the observed
#                values (ties included: the permutation distribution given the tie pattern),
#                and, without ties, also cor.test(method = "kendall", exact = TRUE);
#       n > 10:  cor.test(method = "kendall", exact = FALSE, continuity = TRUE)
#                (normal approximation with continuity correction, tie-corrected variance).
#   - Theil-Sen slope: median of all pairwise slopes over the observed years (Sen 1968);
#     intercept median(y - b t) (Conover 1980); 95% interval from the ordered slopes of ranks
#     round((N - C)/2) and round((N + C)/2) + 1, C = qnorm(0.975) sqrt(Var S)
#     (Hollander & Wolfe 1999, sec. 9.4; Gilbert 1987, sec. 16.4).
#   - Hinge model y = a + b t + c pmax(t - tau, 0) at a fixed tau: lm(); slope_after = b + c
#     with its standard error from vcov(); t-tests with n - 3 df.
#   - Break search over the observed years t_k with #{t <= t_k} >= 3 and #{t >= t_k} >= 3:
#     F(tau) = t^2 of c from lm() at each candidate, sup-F (Andrews 1993), the arg max, and
#     Davies' (1987) bound from segmented::davies.test(lm(y ~ t), ~t, values = candidates)
#     (years centred at 2000 for its numerical accuracy);
#     for some series also a Monte Carlo p of sup-F with 20000 draws of N(0,1) errors
#     (projection matrices from qr(), R's own RNG): p = (1 + #{F* >= F}) / (B + 1).
# Output: tests/data/trend/series.csv (id,year,value; NA = gap) and
#         tests/data/trend/reference.csv (one row per series).
# Run from the repository root: Rscript tests/reference/trend/make_fixtures.R
suppressPackageStartupMessages(library(segmented))
set.seed(20240611)
out_dir <- "tests/data/trend"

series <- list()
add <- function(kind, years, values, tau = NA) {
  series[[length(series) + 1]] <<- list(kind = kind, years = years, values = values, tau = tau)
}
span_with_gaps <- function(n, gaps) {  # n observed years in a span of n + gaps years
  start <- sample(1995:2008, 1)
  yrs <- start:(start + n + gaps - 1)
  obs <- sort(sample(seq_along(yrs), n))
  list(years = yrs, obs = obs)
}
# A: short series without ties (exact p, checked against cor.test exact)
for (n in 3:10) for (r in 1:10) {
  s <- span_with_gaps(n, sample(0:3, 1))
  v <- rep(NA_real_, length(s$years))
  v[s$obs] <- round(rnorm(n, sd = 1) + rnorm(1, sd = 0.3) * seq_len(n), 6)
  add("short", s$years, v)
}
# B: short series with ties (exact permutation p given the tie pattern)
for (n in 4:10) for (r in 1:8) {
  repeat {
    vals <- round(rnorm(n, sd = 1.2) + rnorm(1, sd = 0.4) * seq_len(n))
    if (anyDuplicated(vals)) break
  }
  s <- span_with_gaps(n, sample(0:2, 1))
  v <- rep(NA_real_, length(s$years)); v[s$obs] <- vals
  add("short_ties", s$years, v)
}
add("short_ties", 2001:2006, c(3, 3, 3, 3, 3, 3))            # every value ties
add("short_ties", 2001:2008, c(1, 2, 2, 2, 3, 3, 4, 4))      # monotone with ties
# C: long series (normal approximation), ties from rounding, gaps
for (r in 1:100) {
  n <- sample(11:30, 1)
  s <- span_with_gaps(n, sample(0:4, 1))
  v <- rep(NA_real_, length(s$years))
  v[s$obs] <- round(rnorm(n, sd = 2) + rnorm(1, sd = 0.15) * seq_len(n), sample(c(0, 1, 3), 1))
  add("long", s$years, v)
}
# D: planted breaks (hinge and break search), years around 2012
for (r in 1:70) {
  n <- sample(8:25, 1)
  gaps <- sample(0:3, 1)
  start <- sample(1998:2006, 1)
  yrs <- start:(start + n + gaps - 1)
  if (max(yrs) < 2015) yrs <- start:2016
  obs <- sort(sample(seq_along(yrs), min(n, length(yrs))))
  tb <- sample(2009:2014, 1)
  b <- rnorm(1, sd = 0.5); cc <- rnorm(1, sd = 0.8)
  v <- rep(NA_real_, length(yrs))
  tt <- yrs[obs]
  v[obs] <- round(10 + b * (tt - 2000) + cc * pmax(tt - tb, 0) + rnorm(length(tt), sd = 0.5), 4)
  add("break", yrs, v, tau = 2012)
}

# ---- reference computations
perm_cache <- list()
perms <- function(n) {                    # all permutations of 1:n as rows
  key <- as.character(n)
  if (!is.null(perm_cache[[key]])) return(perm_cache[[key]])
  P <- matrix(1L, 1, 1)
  if (n > 1) for (k in 2:n) {
    m <- nrow(P)
    Q <- matrix(0L, m * k, k)
    for (pos in 1:k) {
      rows <- ((pos - 1) * m + 1):(pos * m)
      left <- if (pos > 1) P[, 1:(pos - 1), drop = FALSE] else NULL
      right <- if (pos <= k - 1) P[, pos:(k - 1), drop = FALSE] else NULL
      Q[rows, ] <- cbind(left, rep(k, m), right)
    }
    P <- Q
  }
  perm_cache[[key]] <<- P
  P
}
dist_cache <- list()
exact_p_enum <- function(v, s) {          # P(|S*| >= |s|) over all n! orderings of v
  n <- length(v)
  key <- paste(n, paste(sort(as.vector(table(v))), collapse = "."))
  Sall <- dist_cache[[key]]
  if (is.null(Sall)) {
    P <- perms(n)
    w <- rank(sort(v), ties.method = "min")
    V <- matrix(w[P], ncol = n)
    Sall <- integer(nrow(V))
    for (i in 1:(n - 1)) for (j in (i + 1):n) Sall <- Sall + as.integer(sign(V[, j] - V[, i]))
    dist_cache[[key]] <<- Sall
  }
  sum(abs(Sall) >= abs(s)) / factorial(n)
}
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

rows <- list(); long <- list()
for (id in seq_along(series)) {
  sr <- series[[id]]
  ok <- !is.na(sr$values)
  t <- sr$years[ok]; y <- sr$values[ok]; n <- length(y)
  long[[id]] <- data.frame(id = id, year = sr$years, value = fmt(sr$values))
  S <- 0
  for (i in 1:(n - 1)) for (j in (i + 1):n) S <- S + sign(y[j] - y[i])
  tau <- suppressWarnings(cor(t, y, method = "kendall"))
  tt <- table(y); tt <- tt[tt > 1]
  var_s <- (n * (n - 1) * (2 * n + 5) - sum(tt * (tt - 1) * (2 * tt + 5))) / 18
  p_enum <- NA; p_cor <- NA
  if (n <= 10) {
    p_enum <- exact_p_enum(y, S)
    if (!anyDuplicated(y)) p_cor <- cor.test(t, y, method = "kendall", exact = TRUE)$p.value
  } else {
    p_cor <- suppressWarnings(cor.test(t, y, method = "kendall", exact = FALSE,
                                       continuity = TRUE)$p.value)
  }
  # Theil-Sen
  d <- c(); for (i in 1:(n - 1)) for (j in (i + 1):n) d <- c(d, (y[j] - y[i]) / (t[j] - t[i]))
  sen <- median(d); sen_int <- median(y - sen * t)
  N <- length(d); ds <- sort(d)
  C <- qnorm(0.975) * sqrt(var_s)
  r1 <- min(max(round((N - C) / 2), 1), N); r2 <- max(min(round((N + C) / 2) + 1, N), 1)
  sen_lo <- if (var_s > 0) ds[r1] else NA; sen_hi <- if (var_s > 0) ds[r2] else NA
  # hinge at a fixed tau
  tau_fix <- if (!is.na(sr$tau)) sr$tau else t[ceiling(n / 2)]
  h <- rep(NA, 10)
  if (n >= 5 && sum(t <= tau_fix) >= 2 && sum(t > tau_fix) >= 2) {
    hx <- pmax(t - tau_fix, 0)
    fit <- lm(y ~ t + hx)
    V <- vcov(fit); cf <- coef(fit); df <- n - 3
    se_b <- sqrt(V[2, 2]); se_a <- sqrt(V[2, 2] + V[3, 3] + 2 * V[2, 3]); se_c <- sqrt(V[3, 3])
    h <- c(cf[2], cf[2] + cf[3], se_b, se_a, se_c,
           2 * pt(-abs(cf[2] / se_b), df), 2 * pt(-abs((cf[2] + cf[3]) / se_a), df),
           2 * pt(-abs(cf[3] / se_c), df), (cf[3] / se_c)^2, sum(resid(fit)^2))
  }
  # break search
  cand <- t[seq_len(n) >= 3 & (n - seq_len(n) + 1) >= 3]
  cand <- cand[cand > min(t) & cand < max(t)]
  supf <- NA; tau_hat <- NA; davies <- NA; mc <- NA
  if (length(cand) >= 1 && n >= 4) {
    Fk <- sapply(cand, function(tk) {
      hx <- pmax(t - tk, 0); s <- summary(lm(y ~ t + hx))$coefficients
      s[3, 3]^2
    })
    supf <- max(Fk); tau_hat <- cand[which.max(Fk)]
    # years centred at 2000: segmented solves the normal equations directly, which loses
    # about 8 digits with raw years (X'X ~ 1e7); the statistic is invariant to the shift
    if (length(cand) >= 2) {
      tc <- t - 2000
      davies <- davies.test(lm(y ~ tc), ~tc, values = cand - 2000)$p.value
    }
    if (sr$kind == "break" && id %% 5 == 0) {
      B <- 20000
      X0 <- cbind(1, t); H0 <- X0 %*% solve(crossprod(X0), t(X0))
      E <- matrix(rnorm(n * B), n, B)
      rss0 <- colSums((E - H0 %*% E)^2)
      Fs <- matrix(0, length(cand), B)
      for (k in seq_along(cand)) {
        X1 <- cbind(X0, pmax(t - cand[k], 0)); q <- qr(X1)
        rss1 <- colSums(qr.resid(q, E)^2)
        Fs[k, ] <- (n - 3) * (rss0 - rss1) / rss1
      }
      mc <- (1 + sum(apply(Fs, 2, max) >= supf)) / (B + 1)
    }
  }
  rows[[id]] <- c(id = id, kind = sr$kind, n = n, first_year = min(t), last_year = max(t),
                  mk_s = S, mk_tau = fmt(tau), mk_var = fmt(var_s), mk_p_enum = fmt(p_enum),
                  mk_p_cortest = fmt(p_cor), sen_slope = fmt(sen), sen_intercept = fmt(sen_int),
                  sen_lo = fmt(sen_lo), sen_hi = fmt(sen_hi), tau_fixed = tau_fix,
                  h_slope_before = fmt(h[1]), h_slope_after = fmt(h[2]), h_se_before = fmt(h[3]),
                  h_se_after = fmt(h[4]), h_se_c = fmt(h[5]), h_p_before = fmt(h[6]),
                  h_p_after = fmt(h[7]), h_p_c = fmt(h[8]), h_f = fmt(h[9]), h_rss = fmt(h[10]),
                  ncand = length(cand), supf = fmt(supf), tau_hat = fmt(tau_hat),
                  davies_p = fmt(davies), supf_p_mc = fmt(mc))
}
ref <- do.call(rbind, rows)
write.csv(do.call(rbind, long), file.path(out_dir, "series.csv"), row.names = FALSE, quote = FALSE)
write.csv(ref, file.path(out_dir, "reference.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("%d series written to %s\n", length(series), out_dir))
