#!/usr/bin/env bash
# Trend benchmark: every area x indicator of a generated national-size panel (15,000 areas x
# 20 years x 50 indicators = 750,000 series; see bench/trend.c), then, when R is installed,
# the same statistics in R (base R + lm, as tests/reference/trend/make_fixtures.R computes
# them) on the first 2,000 series of one indicator, and the ratio per series.
# Environment: BUILD (build dir holding bench/trend; default build/release), THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
bin="$BUILD/bench/trend"
if [ ! -x "$bin" ]; then
  make -s MODE=release build/release/bench/trend >/dev/null
  bin=build/release/bench/trend
fi
mkdir -p bench/out
"$bin" --threads "${THREADS:-2}" --dump bench/out/trend_subset.csv | tee bench/out/trend.txt
if ! command -v Rscript >/dev/null 2>&1; then
  echo "R not installed: no R comparison (scripts/install-deps.sh --reference)"
  exit 0
fi
# C cost per series on one core: CPU seconds of the phase / series
nser=$(awk '/^trend:/{print $(NF-3)}' bench/out/trend.txt)
c1=$(sed -n 's/.*PHASE2_CPU=\([0-9.]*\).*/\1/p' bench/out/trend.txt)
Rscript - bench/out/trend_subset.csv "$nser" "$c1" <<'REOF'
args <- commandArgs(TRUE)
d <- read.csv(args[1]); nser <- as.numeric(args[2]); c_cpu <- as.numeric(args[3])
ids <- unique(d$id)
one <- function(t, y) {
  ok <- !is.na(y); t <- t[ok]; y <- y[ok]; n <- length(y)
  mk <- suppressWarnings(cor.test(t, y, method = "kendall", exact = n <= 10, continuity = TRUE))
  i <- combn(n, 2)
  sl <- (y[i[2, ]] - y[i[1, ]]) / (t[i[2, ]] - t[i[1, ]])
  sen <- median(sl); q <- quantile(sl, c(0.025, 0.975))
  h <- pmax(t - 2012, 0)
  fit <- summary(lm(y ~ t + h))
  c(mk$p.value, sen, coef(fit)[2, 1] + coef(fit)[3, 1])
}
st <- system.time(for (k in ids) { s <- d[d$id == k, ]; one(s$year, s$value) })
r_per <- st[["user.self"]] + st[["sys.self"]]
r_per <- r_per / length(ids)
c_per <- c_cpu / nser
cat(sprintf("R reference (cor.test + pairwise median + lm) on %d series: %.1f us/series CPU\n",
            length(ids), r_per * 1e6))
cat(sprintf("C (MK + Sen with interval + hinge + classes), one core:   %.2f us/series CPU\n", c_per * 1e6))
cat(sprintf("ratio R / C: %.0fx; R would need %.0f s CPU for all %d series\n",
            r_per / c_per, r_per * nser, nser))
REOF
