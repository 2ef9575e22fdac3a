#!/usr/bin/env bash
# Import benchmark: wijkbeeld's importers against `sqlite3 .import` of the same file into a
# plain table, in one run, as rows per second, their ratio and the peak memory.
#
#   - the three Leefbaarometer 2.0 wijk files of ../shared/data (import lbm)
#   - a generated CSV of 1,000,000 rows (bench/gen_import_csv.c: 50,400 buurten x 20 years,
#     4 indicator columns, ~2% missing markers), written to a temporary directory and
#     removed afterwards: `import csv FILE --boundary-year 2022` (a back-series on one year's
#     boundaries, as the Leefbaarometer publishes) and once with the default boundary year
#     (= the data year, so a million areas)
#
# wijkbeeld does more than sqlite3 .import: it parses and validates every number, code and
# year, checks for duplicate rows, maps columns to the indicator catalogue, creates the
# areas, and writes each value as its own row of the observation table (a clustered
# primary key and a secondary index), where sqlite3 stores each CSV line as one row of text.
# Every run starts from a new database; times are wall clock and CPU (user + system) from
# /usr/bin/time, memory is the maximum resident set size.
#
# Environment: BIN (wijkbeeld, default build/release/wijkbeeld), BUILD (build dir with
# bench/gen_import_csv), SHARED (the data, default ../shared/data), ROWS (default 1000000),
# REPEAT (runs per small file, best taken; default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/wijkbeeld}
SHARED=${SHARED:-../shared/data}
ROWS=${ROWS:-1000000}
REPEAT=${REPEAT:-3}
TIMEBIN=/usr/bin/time
if [ ! -x "$TIMEBIN" ] || ! command -v sqlite3 >/dev/null; then
  echo "import bench: /usr/bin/time or sqlite3 missing: installing with scripts/install-deps.sh" >&2
  bash scripts/install-deps.sh >&2
fi
[ -x "$BIN" ] || { echo "import bench: no $BIN (run make first)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/wb-bench-import.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

gen=${BUILD:-build/release}/bench/gen_import_csv
if [ ! -x "$gen" ]; then
  gen=$tmp/gen_import_csv
  ${CC:-cc} -O2 -std=c11 -o "$gen" bench/gen_import_csv.c
fi

# run LABEL COMMAND...: prints "wall cpu maxrss_kb" of the best (lowest wall) of $reps runs;
# the database files are removed before each run.
run() {
  local best="" reps=$1; shift
  for ((i = 0; i < reps; i++)); do
    rm -f "$tmp"/*.db "$tmp"/*.db-wal "$tmp"/*.db-shm
    "$TIMEBIN" -f "%e %U %S %M" -o "$tmp/time.txt" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || {
      echo "import bench: failed: $*" >&2; cat "$tmp/err.txt" >&2; exit 1; }
    local line; line=$(tail -1 "$tmp/time.txt")
    read -r wall user sys rss <<<"$line"
    local cpu; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN{exit !(a < b)}'; then
      best="$wall $cpu $rss"
    fi
  done
  echo "$best"
}

printf '%-44s %9s | %-29s | %-29s | %-13s\n' "" "" "wijkbeeld import" "sqlite3 .import" "ratio wb/sq"
printf '%-44s %9s | %7s %6s %8s %6s | %7s %6s %8s %6s | %6s %6s\n' \
  file rows wall_s cpu_s rows/s MB wall_s cpu_s rows/s MB wall cpu
bench_one() { # name file reps wijkbeeld-args...
  local name=$1 file=$2 reps=$3; shift 3
  local rows; rows=$(($(wc -l <"$file") - 1))
  read -r ww wc wr <<<"$(run "$reps" "$BIN" --quiet --db "$tmp/wb.db" "$@" "$file")"
  read -r sw sc sr <<<"$(run "$reps" sqlite3 "$tmp/sq.db" ".mode csv" ".import '$file' t")"
  awk -v n="$name" -v r="$rows" -v ww="$ww" -v wc="$wc" -v wr="$wr" -v sw="$sw" -v sc="$sc" -v sr="$sr" 'BEGIN{
    wrs = ww > 0 ? r / ww : 0; srs = sw > 0 ? r / sw : 0
    printf "%-44s %9d | %7.2f %6.2f %8.0f %6.1f | %7.2f %6.2f %8.0f %6.1f | %6.2f %6.2f\n",
      n, r, ww, wc, wrs, wr / 1024, sw, sc, srs, sr / 1024,
      (ww > 0 ? sw / ww : 0), (wc > 0 ? sc / wc : 0) }'
}

for f in lbm2_wijk2016_dimensions_2012_2014_2016 lbm2_wijk2016_development_2012_2016 \
         lbm2_wijk2016_classes_2002_2016; do
  p=$SHARED/leefbaarometer2_minorproject/$f.csv
  if [ -f "$p" ]; then
    bench_one "${f#lbm2_wijk2016_} (import lbm)" "$p" "$REPEAT" import lbm
  else
    echo "skipped $f.csv: not found under $SHARED"
  fi
done
"$gen" "$ROWS" >"$tmp/generated.csv"
bench_one "generated (import csv --boundary-year 2022)" "$tmp/generated.csv" 1 import csv --boundary-year 2022
bench_one "generated (import csv: 1,000,000 areas)" "$tmp/generated.csv" 1 import csv
echo
echo "ratio = sqlite3 time / wijkbeeld time: above 1 means wijkbeeld imports more rows per second."
echo "wijkbeeld writes one indexed observation row per value (4 per generated row, 6 per LBM"
echo "dimension row); sqlite3 .import writes one unindexed row of text per CSV line."
