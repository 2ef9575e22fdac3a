#!/usr/bin/env bash
# Import benchmark: wijkbeeld's importers against `sqlite3 .import` of the same file into a
# plain table, side by side in one run: rows per second (of the CSV), values per second,
# their ratio, CPU time and peak memory.
#
#   - the Leefbaarometer 2.0 wijk files of ../shared/data (import lbm)
#   - a generated CSV of 1,000,000 rows (bench/gen_import_csv.c: 50,400 buurten x 20 years,
#     4 indicator columns, ~2% missing markers), written to a temporary directory and
#     removed afterwards: `import csv FILE --boundary-year 2022` (a back-series on one year's
#     boundaries, as the Leefbaarometer publishes) and once with the default boundary year
#     (= the data year, so a million areas)
#
# wijkbeeld does more than sqlite3 .import: it parses and validates every number, code and
# year, checks for duplicate rows, maps columns to the indicator catalogue, creates the
# areas (with their indexes), and stores every value by (indicator, year, area) in the
# observation chunks (docs/store.md), indexed for maps, panels and profiles; sqlite3 stores
# each CSV line as one unindexed row of text. Each run starts from a new database file
# (wijkbeeld: WAL journal; sqlite3: its default rollback journal). The two programs run
# alternately, REPEAT times each; the table gives the median wall and CPU (user + system)
# time per import from /usr/bin/time and the largest maximum resident set size. On a machine shared
# with other work, the CPU time is the steadier figure.
#
# Environment: BIN (wijkbeeld, default build/release/wijkbeeld), BUILD (build dir with
# bench/gen_import_csv), SHARED (the data, default ../shared/data), ROWS (default 1000000),
# REPEAT (measurements per file and program, default 3; a measurement of a Leefbaarometer
# file times 10 imports in a row),
# BIG_AREAS=0 to skip the million-area variant.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/wijkbeeld}
SHARED=${SHARED:-../shared/data}
ROWS=${ROWS:-1000000}
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

# once LABEL N COMMAND...: N runs in a row, each on a new database, timed together (the CPU
# time of /usr/bin/time has a resolution of 10 ms); appends "wall cpu maxrss_kb" per run to
# $tmp/LABEL
once() {
  local label=$1 n=$2; shift 2
  "$TIMEBIN" -f "%e %U %S %M" -o "$tmp/time.txt" bash -c '
    n=$1 dir=$2 out=$3; shift 3
    for ((i = 0; i < n; i++)); do
      rm -f "$dir"/*.db "$dir"/*.db-wal "$dir"/*.db-shm "$dir"/*.db-journal
      "$@" > "$out" || exit 1
    done' runs "$n" "$tmp" "$tmp/out.$label.txt" "$@" 2>"$tmp/err.txt" || {
    echo "import bench: failed: $*" >&2; cat "$tmp/err.txt" >&2; exit 1; }
  tail -1 "$tmp/time.txt" | awk -v n="$n" '{printf "%.4f %.4f %s\n", $1 / n, ($2 + $3) / n, $4}' >> "$tmp/$label"
}

# median of column C (1 wall, 2 cpu) and max of column 3 of a results file
med() {
  sort -g -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
peak() { sort -g -k3 "$1" | tail -1 | awk '{print $3}'; }

printf '%-44s %8s %8s | %-42s | %-31s | %-11s\n' "" "" "" "wijkbeeld import (median)" \
  "sqlite3 .import (median)" "ratio wb/sq"
printf '%-44s %8s %8s | %6s %6s %8s %9s %6s | %6s %6s %8s %6s | %5s %5s\n' \
  file rows values wall_s cpu_s rows/s values/s MB wall_s cpu_s rows/s MB wall cpu
bench_one() { # name file reps runs-per-measurement wijkbeeld-args...
  local name=$1 file=$2 reps=$3 batch=$4; shift 4
  local rows; rows=$(($(wc -l <"$file") - 1))
  rm -f "$tmp/wb" "$tmp/sq"
  for ((i = 0; i < reps; i++)); do
    once wb "$batch" "$BIN" --quiet --db "$tmp/wb.db" "$@" "$file"
    once sq "$batch" sqlite3 "$tmp/sq.db" ".mode csv" ".import '$file' t"
  done
  # values written, from wijkbeeld's summary line ("..., 4000000 values (60086 missing), ...")
  local values; values=$(grep -o "[0-9]* values" "$tmp/out.wb.txt" | head -1 | cut -d" " -f1 || true)
  awk -v n="$name" -v r="$rows" -v nv="${values:-0}" -v ww="$(med "$tmp/wb" 1)" -v wc="$(med "$tmp/wb" 2)" \
      -v wr="$(peak "$tmp/wb")" -v sw="$(med "$tmp/sq" 1)" -v sc="$(med "$tmp/sq" 2)" -v sr="$(peak "$tmp/sq")" 'BEGIN{
    wrs = ww > 0 ? r / ww : 0; srs = sw > 0 ? r / sw : 0; wvs = ww > 0 ? nv / ww : 0
    printf "%-44s %8d %8d | %6.3f %6.3f %8.0f %9.0f %6.1f | %6.3f %6.3f %8.0f %6.1f | %5.2f %5.2f\n",
      n, r, nv, ww, wc, wrs, wvs, wr / 1024, sw, sc, srs, sr / 1024,
      (ww > 0 ? sw / ww : 0), (wc > 0 ? sc / wc : 0) }'
}

for f in lbm2_wijk2016_dimensions_2012_2014_2016 lbm2_wijk2016_development_2012_2016 \
         lbm2_wijk2016_classes_2002_2016; do
  p=$SHARED/leefbaarometer2_minorproject/$f.csv
  if [ -f "$p" ]; then
    bench_one "${f#lbm2_wijk2016_} (import lbm)" "$p" "${REPEAT:-3}" 10 import lbm
  else
    echo "skipped $f.csv: not found under $SHARED"
  fi
done
"$gen" "$ROWS" >"$tmp/generated.csv"
bench_one "generated (import csv --boundary-year 2022)" "$tmp/generated.csv" "${REPEAT:-3}" 1 \
  import csv --boundary-year 2022
if [ "${BIG_AREAS:-1}" != 0 ]; then
  bench_one "generated (import csv: 1,000,000 areas)" "$tmp/generated.csv" 1 1 import csv
fi
echo
echo "ratio = sqlite3 time / wijkbeeld time (wall; cpu): above 1 means wijkbeeld imports more rows per"
echo "second. Times include starting the program: wijkbeeld links GDAL, whose ~115 shared libraries"
echo "cost ~27 ms of CPU before main() (measure: perf stat wijkbeeld help), which dominates the small"
echo "Leefbaarometer files. The WAL journal writes the data twice (log, then checkpoint at close)."
