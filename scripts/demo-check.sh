#!/usr/bin/env bash
# An independent check of the demo municipality with R (sf + spdep; scripts/install-deps.sh
# --reference installs them): the buurt polygons are valid, their union is one polygon with
# the total area, nothing overlaps, and the planted low-livability cluster shows up in
# Moran's I and in the LISA clusters of lbm in the last year.
# Usage: scripts/demo-check.sh [DB]   (DB default wijkbeeld.db; needs the sqlite3 program, and
# the wijkbeeld program for the values: BIN, default build/release/wijkbeeld — the values are
# stored in chunks that only wijkbeeld reads, see docs/store.md)
set -euo pipefail
DB=${1:-wijkbeeld.db}
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/release/wijkbeeld}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
year=$(sqlite3 "$DB" "SELECT max(year) FROM area WHERE level = 'buurt' AND code GLOB 'BU9999*'")
sqlite3 -csv "$DB" "SELECT a.code, hex(g.wkb),
  EXISTS (SELECT 1 FROM label_member m JOIN label_set l ON l.id = m.set_id
    WHERE m.area_id = a.id AND l.name = 'aandachtswijken')
  FROM area a JOIN geometry g ON g.area_id = a.id
  WHERE a.level = 'buurt' AND a.code GLOB 'BU9999*' AND a.year = $year ORDER BY 1" >"$tmp/geo.csv"
# lbm in the boundary year, on that year's buurten (code,year,value)
"$BIN" --quiet --db "$DB" export values --indicator lbm --level buurt --year "$year" --boundary-year "$year" \
  --format csv >"$tmp/lbm.csv"
awk -F, 'NR == FNR { if (FNR > 1) v[$1] = $3; next } { print $1 "," $2 "," ($1 in v ? v[$1] : "") "," $3 }' \
  "$tmp/lbm.csv" "$tmp/geo.csv" >"$tmp/buurten.csv"
cd "$tmp"
Rscript - <<'RSCRIPT'
suppressMessages({library(sf); library(spdep)})
d <- read.csv("buurten.csv", header = FALSE, col.names = c("code", "wkb", "lbm", "set"))
hex2raw <- function(h) as.raw(strtoi(substring(h, seq(1, nchar(h), 2), seq(2, nchar(h), 2)), 16L))
x <- st_sf(d[, c("code", "lbm", "set")],
           geometry = st_as_sfc(structure(lapply(d$wkb, hex2raw), class = "WKB"), crs = 28992))
cat(sprintf("buurten: %d, all valid (GEOS): %s\n", nrow(x), all(st_is_valid(x))))
u <- st_union(x)
cat(sprintf("area: sum of buurten %.6f km2, union %.6f km2 in %d part(s)\n",
            sum(as.numeric(st_area(x))) / 1e6, as.numeric(st_area(u)) / 1e6,
            length(st_cast(u, "POLYGON"))))
ov <- st_intersection(x)
cat(sprintf("overlapping pieces (covered by more than one buurt, area > 1 m2): %d\n",
            sum(ov$n.overlaps > 1 & as.numeric(st_area(ov)) > 1)))
x <- x[!is.na(x$lbm), ]
lw <- nb2listw(poly2nb(x, queen = TRUE), style = "W")
m <- moran.test(x$lbm, lw)
cat(sprintf("Moran's I of lbm: %.3f (z = %.1f under randomisation)\n", m$estimate[1], m$statistic))
set.seed(1)
lm <- localmoran_perm(x$lbm, lw, nsim = 999)
cl <- ifelse(lm[, "Pr(z != E(Ii)) Sim"] < 0.05, as.character(attr(lm, "quadr")$mean), "ns")
cat("LISA clusters (p < 0.05, 999 conditional permutations, seed 1) by membership of 'aandachtswijken':\n")
print(table(cluster = cl, aandachtswijken = x$set))
RSCRIPT
