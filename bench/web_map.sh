#!/usr/bin/env bash
# The map of every buurt in chromium: imports the 2015 buurt polygons of ../shared/data
# (geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz; else the 2014 CBS buurten) into a fresh
# store with one made-up value per buurt, serves it with the release build, and times the map
# page from navigation to the painted map (bench/web_map.mjs). Also prints the size of the
# buurt GeoJSON the server sends (plain and gzip).
# Environment: BIN (release wijkbeeld), SHARED (../shared/data), WB_CHROMIUM.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/wijkbeeld}
SHARED=${SHARED:-../shared/data}
if [ ! -x "${WB_CHROMIUM:-/usr/bin/chromium}" ] || [ ! -d node_modules/playwright-core ]; then
  echo "web_map: needs chromium and node_modules (scripts/install-deps.sh --browser): skipped"
  exit 0
fi
geo=$SHARED/geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz year=2015
[ -f "$geo" ] || { geo=$SHARED/geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json; year=2014; }
[ -f "$geo" ] || { echo "web_map: no buurt polygons in $SHARED: skipped"; exit 0; }
out=bench/out/web_map
mkdir -p "$out"
db=$out/buurt.db
rm -f "$db" "$db-wal" "$db-shm"
"$BIN" --quiet --db "$db" import geo "$geo" --level buurt --year "$year" >/dev/null
# one value per buurt (a hash of the code: the drawing time does not depend on the values)
"$BIN" --db "$db" areas --level buurt --year "$year" --format csv |
  awk -F, 'NR == 1 { print "code,g_woz"; next } { h = 0; for (i = 3; i <= length($1); i++) h = (h * 31 + substr($1, i, 1)) % 100003; printf "%s,%d\n", $1, 150 + h % 300 }' > "$out/values.csv"
"$BIN" --quiet --db "$db" import csv "$out/values.csv" --year "$year" --level buurt >/dev/null
nb=$(($(wc -l < "$out/values.csv") - 1))
"$BIN" --quiet --db "$db" serve --port 0 --threads 2 > "$out/serve.out" 2> "$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q http "$out/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$out/serve.out")
[ -n "$url" ] || { echo "web_map: the server did not start: $(cat "$out/serve.err")"; exit 1; }
echo "data: $nb buurten of $year from $(basename "$geo"); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
plain=$(curl -s -o /dev/null -w '%{size_download}' "$url/api/geojson?level=buurt&year=$year")
gz=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url/api/geojson?level=buurt&year=$year")
echo "GeoJSON of the buurten: $((plain / 1024)) KiB, gzip $((gz / 1024)) KiB"
node bench/web_map.mjs "$url/" buurt "$year" g_woz "${WEB_MAP_RUNS:-8}"
kill -TERM $pid
wait $pid || true
trap - EXIT
