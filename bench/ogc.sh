#!/usr/bin/env bash
# OGC API Features (/ogc, docs/ogc.md): wrk on the items route and whole-command times of
# GDAL's OAPIF client (what QGIS uses through GDAL) reading a whole collection, side by side
# with the file route a user has without it (export GeoJSON, then ogr2ogr it to a GeoPackage).
# Data: the national wijken of 2016 with the Leefbaarometer 2.0 scores from ../shared/data,
# else the demo municipality (wijk-2022, 8 wijken).
# Environment: BIN (release wijkbeeld), SHARED. Options: OGC_BENCH_SECONDS (10), OGC_BENCH_CONNECTIONS (8).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/wijkbeeld}
SHARED=${SHARED:-../shared/data}
secs=${OGC_BENCH_SECONDS:-10}
conns=${OGC_BENCH_CONNECTIONS:-8}
for t in wrk ogr2ogr curl; do
  command -v $t >/dev/null || { echo "ogc: $t not installed (scripts/install-deps.sh --bench): skipped"; exit 0; }
done
out=bench/out/ogc
rm -rf "$out"
mkdir -p "$out"
db="$out/ogc.db"
if [ -f "$SHARED/geo_nlmaps_edwindj/wijk_2016_rd.topojson" ]; then
  "$BIN" --quiet --db "$db" import geo "$SHARED/geo_nlmaps_edwindj/wijk_2016_rd.topojson" --year 2016 --level wijk \
    --crs EPSG:28992 >/dev/null
  for f in lbm2_wijk2016_dimensions_2012_2014_2016.csv lbm2_wijk2016_classes_2002_2016.csv \
           lbm2_wijk2016_development_2012_2016.csv; do
    "$BIN" --quiet --db "$db" import lbm "$SHARED/leefbaarometer2_minorproject/$f" --boundary-year 2016 >/dev/null
  done
  level=wijk; year=2016; box=4.85,52.33,4.95,52.40 # central Amsterdam
  data="national wijken 2016 with the Leefbaarometer 2.0 scores"
else
  "$BIN" --quiet --db "$db" demo >/dev/null
  level=wijk; year=2022; box=3.85,52.35,3.90,52.38
  data="the demo municipality (no ../shared/data)"
fi
coll=$level-$year

"$BIN" --quiet --db "$db" serve --port 0 > "$out/serve.out" 2> "$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q http "$out/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$out/serve.out" || true)
[ -n "$url" ] || { echo "ogc: the server did not start: $(cat "$out/serve.err")"; exit 1; }

secs_of() { # the wall time of a command in seconds (3 decimals)
  local t0=$EPOCHREALTIME
  "$@" > /dev/null 2>&1
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}
first=$(secs_of curl -sf "$url/ogc/collections")
n=$(curl -sf "$url/ogc/collections/$coll/items?limit=1" | grep -o '"numberMatched":[0-9]*' | cut -d: -f2)
nprops=$(curl -sf "$url/ogc/collections/$coll/schema" | grep -o '"type":"number"' | wc -l)
echo "data: $data: $coll, $n features, $nprops indicators (value and year each)"
echo "first /ogc/collections after start (prepares every collection): $first s"

run() { # id, label, wrk args...
  local id=$1 name=$2; shift 2
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" > "$out/$id.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/{print $2}' "$out/$id.txt")
  p50=$(awk '$1=="50%"{print $2}' "$out/$id.txt")
  p99=$(awk '$1=="99%"{print $2}' "$out/$id.txt")
  printf "%-44s %9s req/s   p50 %8s   p99 %8s\n" "$name" "$rps" "$p50" "$p99"
  if grep -q "Non-2xx" "$out/$id.txt"; then echo "  warning: $(grep Non-2xx "$out/$id.txt")"; fi
  echo "$rps" > "$out/$id.rps"
}
echo "wrk: 2 threads, $conns connections, ${secs} s each; server: 2 threads; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
run items "items limit=100" "$url/ogc/collections/$coll/items?limit=100"
run items-gz "items limit=100, gzip" -H "Accept-Encoding: gzip" "$url/ogc/collections/$coll/items?limit=100"
run items-bbox "items bbox (limit=100)" "$url/ogc/collections/$coll/items?limit=100&bbox=$box"
run values "reference: /api/values (cached map values)" "$url/api/values?indicator=lbm&level=$level&year=$year"
bytes=$(curl -sf "$url/ogc/collections/$coll/items?limit=100" | wc -c)
echo "items limit=100: $bytes bytes a page"

# whole commands: GDAL reading the whole collection through the API, against export + ogr2ogr
t_default=$(secs_of ogr2ogr -f GPKG "$out/default.gpkg" "OAPIF:$url/ogc" "$coll")
t_1000=$(secs_of ogr2ogr -f GPKG -oo PAGE_SIZE=1000 "$out/p1000.gpkg" "OAPIF:$url/ogc" "$coll")
file_route() {
  "$BIN" --db "$db" export geojson --level $level --year $year --indicator lbm -o "$out/export.geojson" &&
    ogr2ogr -f GPKG "$out/file.gpkg" "$out/export.geojson"
}
t_file=$(secs_of file_route)
for f in default p1000; do
  got=$(ogrinfo -ro -so "$out/$f.gpkg" "$coll" | awk -F': ' '/Feature Count/{print $2}')
  [ "$got" = "$n" ] || echo "  warning: $f.gpkg has $got features, expected $n"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf "%-58s %7s s   %5s x\n" "ogr2ogr OAPIF -> GPKG, GDAL's default page size (10)" "$t_default" "$(ratio "$t_default" "$t_file")"
printf "%-58s %7s s   %5s x\n" "ogr2ogr OAPIF -> GPKG, -oo PAGE_SIZE=1000" "$t_1000" "$(ratio "$t_1000" "$t_file")"
printf "%-58s %7s s   %5s x\n" "reference: export geojson (one indicator) + ogr2ogr -> GPKG" "$t_file" "1.00"
echo "(the API gives every indicator with its year; the file route one indicator)"
peak=$(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)
echo "server peak memory (VmHWM): $peak"
kill -TERM $pid
wait $pid || true
trap - EXIT
