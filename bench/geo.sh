#!/usr/bin/env bash
# import geo: wall time (median of 3 runs) and peak memory per real polygon file, and
# export geojson of the 2015 buurten (whole country) with and without simplification.
# Environment: BIN (the wijkbeeld binary, release build), SHARED (../shared/data).
set -uo pipefail
BIN=${BIN:-build/release/wijkbeeld}
SHARED=${SHARED:-../shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=(
  "geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz 2015"
  "geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json 2014"
  "geo_nlmaps_edwindj/wijk_2016_rd.topojson 2016"
  "geo_nlmaps_edwindj/wijk_2016_wgs84.topojson 2016"
)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-52s %9s %8s %10s %10s\n' file features imported "median s" "peak MiB"
for entry in "${files[@]}"; do
  set -- $entry
  f="$SHARED/$1"
  if [ ! -f "$f" ]; then echo "skipped: $1 (no ../shared/data)"; continue; fi
  times=(); mem=0
  for i in 1 2 3; do
    rm -f "$tmp"/b.db*
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$BIN" --quiet --db "$tmp/b.db" import geo "$f" --year "$2" --format csv >"$tmp/out" || exit 1
    read -r s kb <"$tmp/time"; times+=("$s"); [ "$kb" -gt "$mem" ] && mem=$kb
  done
  feats=$(grep '^features,' "$tmp/out" | cut -d, -f2); imp=$(grep '^imported,' "$tmp/out" | cut -d, -f2)
  printf '%-52s %9s %8s %10s %10.1f\n' "$1" "$feats" "$imp" "$(printf '%s\n' "${times[@]}" | median)" "$(awk -v m="$mem" 'BEGIN{print m/1024}')"
done
f="$SHARED/geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz"
if [ -f "$f" ]; then
  rm -f "$tmp"/b.db*
  "$BIN" --quiet --db "$tmp/b.db" import geo "$f" --year 2015 >/dev/null
  for tol in 0 50; do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$BIN" --db "$tmp/b.db" export geojson --level buurt --year 2015 --simplify $tol -o "$tmp/e.geojson" >"$tmp/out"
    read -r s kb <"$tmp/time"
    echo "export geojson buurt 2015 --simplify $tol: $s s, peak $((kb / 1024)) MiB, $(stat -c %s "$tmp/e.geojson") bytes; $(cat "$tmp/out")"
  done
fi
