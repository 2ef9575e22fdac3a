#!/usr/bin/env bash
# Issue 7 benchmark: gaps and overlaps for all ~12,000 buurten with 10,000 initiatives
# (generated: bench/effort.c). First the analyses in memory, then the command line on a store
# holding the same data (wall time and peak memory of `gaps`, `overlaps`, `effort` with
# /usr/bin/time; includes opening the store, loading the panel and the register).
# Environment: BUILD (build dir with bench/effort and wijkbeeld; default build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
if [ ! -x "$BUILD/bench/effort" ] || [ ! -x "$BUILD/wijkbeeld" ]; then
  make -s MODE=release build/release/bench/effort build/release/wijkbeeld >/dev/null
  BUILD=build/release
fi
mkdir -p bench/out
"$BUILD/bench/effort" | tee bench/out/effort.txt
db=bench/out/effort.db
rm -f "$db" "$db-wal" "$db-shm"
"$BUILD/bench/effort" --store "$db" | tee -a bench/out/effort.txt
run() { # run NAME ARGS...: best wall time of 3 runs, and the peak memory
  local name=$1 best= rss=
  shift
  for i in 1 2 3; do
    /usr/bin/time -f '%e %M' -o bench/out/time.txt "$BUILD/wijkbeeld" --db "$db" "$@" --format csv >bench/out/effort_$name.csv 2>bench/out/effort_$name.err
    read -r t m <bench/out/time.txt
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  printf '  CLI %-40s %6.2f s wall (best of 3), %5d MB peak, %6d rows\n' "$name $*" "$best" $((rss / 1024)) \
    $(($(wc -l <bench/out/effort_$name.csv) - 1)) | tee -a bench/out/effort.txt
}
run gaps gaps --model models/lbm.model --themes models/themes.map
run gaps_nolisa gaps --model models/lbm.model --themes models/themes.map --no-lisa
run overlaps overlaps
run overlaps_noneighbours overlaps --no-neighbours
run effort effort --year 2022 --model models/lbm.model
