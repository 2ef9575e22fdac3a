#!/usr/bin/env bash
# Space and time together on 12,000 buurten x 20 years (bench/spacetime_inputs.R: Voronoi
# cells with CBS buurt codes, a drifting livability field and its nine classes), in one run:
#   whole process: `wijkbeeld markov --spatial` and `wijkbeeld hotspots` on a store holding
#                  the polygons and 480,000 values (start, load, weights, statistics, CSV out)
#   in-process:    bench/spacetime_bench: load, class Markov, spatial Markov, hot spots
#   local bivariate Moran with 999 permutations, wijkbeeld (in-process) beside spdep's
#                  localmoran_bv (bench/spacetime.R) on the same polygons and variables
# Goals: spatial Markov and hot spots < 0.5 s each (whole process and in-process), the
# bivariate local Moran at least 50x spdep. Wall-clock seconds, best of REPS (default 5), and
# the CPU seconds of the process: the machine is shared, so the load average is printed.
# Environment: BUILD, BIN, THREADS (default: all cores), REPS, SPATIAL_NO_R=1 (no spdep).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
PROG="$BUILD/bench/spacetime_bench"
WB=${BIN:-$BUILD/wijkbeeld}
THREADS=${THREADS:-0}
REPS=${REPS:-5}
if [ ! -x "$PROG" ] || [ ! -x "$WB" ]; then
  echo "spacetime: $PROG or $WB is missing (run 'make bench')"
  exit 1
fi
if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'suppressMessages({library(sf); library(spdep)})' >/dev/null 2>&1; then
  echo "spacetime: R with sf and spdep is needed to generate the inputs (scripts/install-deps.sh --reference)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
Rscript bench/spacetime_inputs.R "$tmp" 2>&1 | grep -v "substituting LOCAL_CS"
db="$tmp/b.db"
"$WB" --db "$db" --quiet import geo "$tmp/voronoi12k.gpkg" --year 2020 --crs EPSG:28992 >/dev/null &&
  "$WB" --db "$db" --quiet import csv "$tmp/values.csv" --boundary-year 2020 >/dev/null ||
  { echo "spacetime: building the store failed"; exit 1; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine slows both sides)"

# whole process: best wall-clock and CPU of REPS runs
whole() {
  local best=999 bestcpu=999
  for _ in $(seq "$REPS"); do
    local t
    t=$( { /usr/bin/time -f "%e %U %S" "$WB" --db "$db" --quiet "$@" --format csv >/dev/null; } 2>&1 | tail -1)
    best=$(echo "$t $best" | awk '{print ($1 < $4) ? $1 : $4}')
    bestcpu=$(echo "$t $bestcpu" | awk '{c = $2 + $3; print (c < $4) ? c : $4}')
  done
  echo "$best $bestcpu"
}
printf '\n%-34s %6s %10s %8s %8s %7s %9s\n' step n "wall s" "cpu s" "spdep s" ratio "cpu ratio"
read -r w c <<<"$(whole markov --indicator lbm_klasse --level buurt --spatial)"
printf '%-34s %6d %10.3f %8.3f %8s %7s\n' "wijkbeeld markov --spatial" 12000 "$w" "$c" - -
read -r w c <<<"$(whole hotspots --indicator lbm_klasse --level buurt)"
printf '%-34s %6d %10.3f %8.3f %8s %7s\n' "wijkbeeld hotspots" 12000 "$w" "$c" - -
"$PROG" "$db" "$tmp/voronoi12k.gpkg" "$THREADS" "$REPS" >"$tmp/c.tsv" || { echo "spacetime: bench failed"; exit 1; }
spdep=""
if [ -z "${SPATIAL_NO_R:-}" ]; then
  echo "spacetime: running spdep's localmoran_bv (a minute or two) ..." >&2
  spdep=$(Rscript bench/spacetime.R "$tmp/voronoi12k.gpkg" 2>/dev/null | cut -f3)
fi
while IFS=$'\t' read -r step n s mb cpu; do
  if [ "$step" = "local bivariate Moran 999" ] && [ -n "$spdep" ]; then
    printf '%-34s %6d %10.4f %8.3f %8.2f %6.0fx %8.0fx\n' "in-process $step" "$n" "$s" "$cpu" "$spdep" \
      "$(awk -v a="$spdep" -v b="$s" 'BEGIN{print a / b}')" "$(awk -v a="$spdep" -v b="$cpu" 'BEGIN{print a / b}')"
  else
    printf '%-34s %6d %10.4f %8.3f %8s %7s\n' "in-process $step" "$n" "$s" "$cpu" - -
  fi
done <"$tmp/c.tsv"
threads=$THREADS
[ "$threads" = 0 ] && threads=$(nproc)
echo "wijkbeeld: $threads threads for the permutations and the years of the hot spots, best of $REPS runs;"
echo "spdep $(Rscript -e 'cat(as.character(packageVersion("spdep")))' 2>/dev/null): one thread, one run (its wall time; R is"
echo "single-threaded, so \"cpu ratio\" compares spdep's seconds with wijkbeeld's CPU seconds over all threads)"
