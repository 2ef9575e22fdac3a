#!/usr/bin/env bash
# The register's writes and session checks (bench/register.c), this tree against a base
# revision (default main) in one run: the same program is linked against both libraries and
# the two run in turn, RUNS times (default 3). Prints microseconds per operation (the median
# of the runs) and the ratio this/base (below 1: faster). Release builds.
# Environment: BUILD (default build/release), BASE (a git revision, default main), RUNS,
# REGISTER_N (operations per kind, default 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build/release}"
BASE="${BASE:-main}"
RUNS="${RUNS:-3}"
N="${REGISTER_N:-2000}"
mkdir -p bench/out
[ -x "$BUILD/bench/register" ] || make -s -j2 "$BUILD/bench/register" >/dev/null
# the base revision's library, built from its sources with this benchmark program
base=bench/out/register-base
rev=$(git rev-parse "$BASE")
if [ ! -x "$base/build/release/bench/register" ] || [ "$(cat "$base/REV" 2>/dev/null)" != "$rev" ]; then
  rm -rf "$base"
  mkdir -p "$base/bench"
  git archive "$rev" Makefile include src | tar -x -C "$base"
  cp bench/register.c "$base/bench/"
  make -s -C "$base" -j2 MODE=release build/release/bench/register >/dev/null
  echo "$rev" > "$base/REV"
fi
echo "bench register: $(nproc) cores, $N operations per kind, base $BASE (${rev:0:10}), $RUNS runs each"
out=bench/out/register
: > "$out.base"
: > "$out.this"
for ((i = 1; i <= RUNS; i++)); do
  "$base/build/release/bench/register" bench/out/register.db "$N" >> "$out.base"
  "$BUILD/bench/register" bench/out/register.db "$N" >> "$out.this"
done
rm -f bench/out/register.db bench/out/register.db-wal bench/out/register.db-shm
awk '
  function median(name, which,   k, n, v, i, j, t) {
    n = cnt[which, name]
    for (k = 1; k <= n; k++) v[k] = val[which, name, k]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  FNR == 1 { which = FILENAME ~ /base$/ ? "base" : "this" }
  $1 == "RESULT" {
    if (!((which, $2) in cnt) && which == "base") order[++no] = $2
    val[which, $2, ++cnt[which, $2]] = $3
  }
  END {
    printf "%-18s %12s %12s %8s\n", "operation", "base us/op", "this us/op", "ratio"
    for (k = 1; k <= no; k++) {
      b = median(order[k], "base"); t = median(order[k], "this")
      printf "%-18s %12.2f %12.2f %8.2f\n", order[k], b, t, t / b
    }
  }' "$out.base" "$out.this"
