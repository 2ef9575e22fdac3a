#!/usr/bin/env bash
# Spatial statistics, wijkbeeld beside spdep on the same polygons, in one run:
# queen weights, global Moran (moran.test), global Moran with 999 permutations (moran.mc),
# local Moran with 999 conditional permutations (localmoran_perm), Gi* (localG on
# include.self). Inputs, written to a temporary directory by bench/spatial_inputs.R:
#   buurt2014   the 2014 CBS buurten of ../shared/data (TopoJSON; GDAL reads it once its
#               "type" member comes first, which python3 rewrites), empty polygons dropped,
#               in RD New metres
#   voronoi15k  15,000 Voronoi polygons, grid300  a 300 x 300 grid of 100 m cells
# Prints: step, n, wijkbeeld seconds, spdep seconds, ratio, peak memory of each (MB, the
# process's VmHWM during the step, data included). Seconds are wall-clock; wijkbeeld uses
# THREADS threads (default: all cores), spdep one (its default).
# The spdep side of grid300 takes many minutes: it is measured once and cached in
# bench/out/spdep_grid300.tsv (the table says so); SPDEP_RERUN=1 measures it again,
# SPDEP_CACHE=all caches every input.
# Environment: BUILD (build dir with bench/spatial_bench), SHARED (data), THREADS, REPS,
# SPATIAL_NO_R=1 (wijkbeeld only, on a generated grid)
# (wijkbeeld runs per step, the best counts; default 5).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
PROG="$BUILD/bench/spatial_bench"
SHARED=${SHARED:-../shared/data}
THREADS=${THREADS:-0}
REPS=${REPS:-5}
if [ ! -x "$PROG" ]; then
  echo "spatial: $PROG is missing (run 'make bench')"
  exit 1
fi
out=bench/out
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

have_r=0
if [ -z "${SPATIAL_NO_R:-}" ] && command -v Rscript >/dev/null 2>&1 &&
   Rscript -e 'suppressMessages({library(sf); library(spdep)})' >/dev/null 2>&1; then
  have_r=1
fi
inputs=()
if [ $have_r = 1 ]; then
  topo="$SHARED/geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json"
  extra=()
  if [ -f "$topo" ] && command -v python3 >/dev/null 2>&1; then
    python3 - "$topo" "$tmp/buurt2014.topojson" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
o = {"type": d["type"]}
o.update({k: v for k, v in d.items() if k != "type"})
json.dump(o, open(sys.argv[2], "w"))
EOF
    extra=("$tmp/buurt2014.topojson")
  else
    echo "spatial: $topo or python3 not available: no 2014 buurten"
  fi
  Rscript bench/spatial_inputs.R "$tmp" "${extra[@]}" 2>&1 | grep -v "substituting LOCAL_CS"
  [ -f "$tmp/buurt2014.gpkg" ] && inputs+=(buurt2014)
  inputs+=(voronoi15k grid300)
  spdep_version=$(Rscript -e 'cat(as.character(packageVersion("spdep")))' 2>/dev/null)
else
  echo "spatial: R with spdep and sf not installed (or SPATIAL_NO_R set): wijkbeeld only, on a generated 300 x 300 grid"
  inputs=(grid)
fi

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine slows both sides)"
rows="$tmp/rows.tsv"
: >"$rows"
notes=()
for in in "${inputs[@]}"; do
  if [ "$in" = grid ]; then
    "$PROG" grid:300 "$THREADS" "$REPS" >"$tmp/c_$in.tsv" 2>/dev/null || { echo "spatial: wijkbeeld failed on $in"; exit 1; }
    awk -F'\t' -v OFS='\t' -v inp=grid300 '{print inp, $1, $2, $3, "", $4, ""}' "$tmp/c_$in.tsv" >>"$rows"
    continue
  fi
  file="$tmp/$in.gpkg"
  "$PROG" "$file" "$THREADS" "$REPS" >"$tmp/c_$in.tsv" 2>"$tmp/c_$in.err" || {
    echo "spatial: wijkbeeld failed on $in: $(cat "$tmp/c_$in.err")"
    exit 1
  }
  cache="$out/spdep_$in.tsv"
  use_cache=0
  if [ -z "${SPDEP_RERUN:-}" ] && [ -s "$cache" ] && head -1 "$cache" | grep -q "spdep $spdep_version" &&
     { [ "$in" = grid300 ] || [ "${SPDEP_CACHE:-}" = all ]; }; then
    use_cache=1
  fi
  if [ $use_cache = 1 ]; then
    notes+=("spdep timings of $in: cached in $cache ($(head -1 "$cache" | sed 's/^# //'); SPDEP_RERUN=1 measures again)")
  else
    echo "spatial: running spdep on $in ..."
    {
      echo "# spdep $spdep_version, measured $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1 /proc/loadavg)"
      Rscript bench/spatial.R "$file" 2>/dev/null
    } >"$tmp/r_$in.tsv"
    if [ "$(grep -vc '^#' "$tmp/r_$in.tsv")" -lt 5 ]; then
      echo "spatial: spdep failed on $in"
      exit 1
    fi
    cp "$tmp/r_$in.tsv" "$cache"
  fi
  grep -v '^#' "$cache" >"$tmp/r_$in.body"
  paste "$tmp/c_$in.tsv" "$tmp/r_$in.body" |
    awk -F'\t' -v OFS='\t' -v inp="$in" '{print inp, $1, $2, $3, $8, $4, $9}' >>"$rows"
done

printf '\n%-11s %-17s %6s %12s %10s %7s %6s %9s\n' input step n "wijkbeeld s" "spdep s" ratio "wb MB" "spdep MB"
awk -F'\t' '{
  ratio = ($5 != "" && $4 > 0) ? sprintf("%.0fx", $5 / $4) : "-";
  sp = ($5 != "") ? sprintf("%.3f", $5) : "-";
  spm = ($7 != "") ? sprintf("%.0f", $7) : "-";
  printf "%-11s %-17s %6d %12.4f %10s %7s %6.0f %9s\n", $1, $2, $3, $4, sp, ratio, $6, spm
}' "$rows"
threads=$THREADS
[ "$threads" = 0 ] && threads=$(nproc)
echo "wijkbeeld: $threads threads for the permutations, best of $REPS runs; spdep: 1 thread, one run"
echo "steps as in spdep: poly2nb + nb2listw(W); moran.test; moran.mc(999) (not one of the issue's four steps);"
echo "localmoran_perm(999); localG(nb2listw(include.self(nb), 'B'))"
for n in "${notes[@]}"; do echo "note: $n"; done
