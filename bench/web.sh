#!/usr/bin/env bash
# HTTP benchmark of the dashboard API with wrk on loopback: the profile endpoint and the
# map-values endpoint. Data: the national Leefbaarometer 2.0 wijk and gemeente scores from
# ../shared/data when 'wijkbeeld import lbm' exists, else a synthetic national-size store
# (bench/web_db.c). Prints requests/s, p50 and p99 latency and the server's peak memory.
# Environment: BIN (release wijkbeeld), BUILD (build dir with bench/ programs), SHARED.
# Options (environment): WEB_BENCH_SECONDS (10), WEB_BENCH_CONNECTIONS (16), WEB_BENCH_THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/wijkbeeld}
BUILD=${BUILD:-build/release}
SHARED=${SHARED:-../shared/data}
secs=${WEB_BENCH_SECONDS:-10}
conns=${WEB_BENCH_CONNECTIONS:-16}
threads=${WEB_BENCH_THREADS:-2}
if ! command -v wrk >/dev/null; then
  echo "web: wrk not installed (scripts/install-deps.sh --bench): skipped"
  exit 0
fi
out=bench/out/web
mkdir -p "$out"
db="$out/web.db"
rm -f "$db" "$db-wal" "$db-shm"
lbm="$SHARED/leefbaarometer2_minorproject"
if "$BIN" help 2>/dev/null | grep "^  import lbm " >/dev/null && [ -f "$lbm/lbm2_wijk2016_dimensions_2012_2014_2016.csv" ]; then
  data="Leefbaarometer 2.0 (wijken and gemeenten 2016, 2012-2016)"
  for f in lbm2_gemeente2016_dimensions_2012_2014_2016.csv lbm2_wijk2016_dimensions_2012_2014_2016.csv \
           lbm2_wijk2016_classes_2002_2016.csv; do
    "$BIN" --quiet --db "$db" import lbm "$lbm/$f" >/dev/null
  done
  level=wijk; year=2016
else
  [ -x "$BUILD/bench/web_db" ] || { echo "web: $BUILD/bench/web_db missing (make bench)"; exit 1; }
  data="synthetic national-size store (bench/web_db.c: 390 gemeenten, 3,120 wijken, 12,480 buurten, 12 indicators x 5 years)"
  "$BUILD/bench/web_db" "$db" >/dev/null
  level=wijk; year=2016
fi
"$BIN" --db "$db" areas --level "$level" --year "$year" --format csv | tail -n +2 | cut -d, -f1 > "$out/codes.txt"
ncodes=$(wc -l < "$out/codes.txt")
echo "data: $data; $ncodes $level codes"

# not --quiet: the access log gives the time spent inside the server per request
"$BIN" --db "$db" serve --port 0 --threads "$threads" --max-connections-per-ip $((conns + 16)) > "$out/serve.out" 2> "$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q http "$out/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$out/serve.out")
[ -n "$url" ] || { echo "web: the server did not start: $(cat "$out/serve.err")"; exit 1; }

# every request a different area: a Lua script cycles through the codes
cat > "$out/profile.lua" <<'LUA'
local codes = {}
for line in io.lines(os.getenv("WB_CODES")) do codes[#codes + 1] = line end
local i = 0
request = function()
  i = i % #codes + 1
  return wrk.format("GET", "/api/areas/" .. codes[i] .. "?year=" .. os.getenv("WB_YEAR"))
end
LUA
ind=$(curl -s "$url/api/indicators" | grep -o '"key":"lbm"' | head -1 | cut -d'"' -f4)
ind=${ind:-lbm}
curl -sf "$url/api/areas/$(head -1 "$out/codes.txt")?year=$year" > /dev/null   # warm the level means
run() { # id, label, wrk args...
  local id=$1 name=$2; shift 2
  local c=${conns}
  wrk -t2 -c"$c" -d"${secs}s" --latency "$@" > "$out/$id.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/{print $2}' "$out/$id.txt")
  p50=$(awk '$1=="50%"{print $2}' "$out/$id.txt")
  p99=$(awk '$1=="99%"{print $2}' "$out/$id.txt")
  printf "%-36s %10s req/s   p50 %8s   p99 %8s\n" "$name" "$rps" "$p50" "$p99"
  if grep -q "Non-2xx" "$out/$id.txt"; then echo "  warning: $(grep Non-2xx "$out/$id.txt")"; fi
}
echo "wrk: 2 threads, $conns connections, ${secs} s each; server: $threads threads; $(nproc) cores"
WB_CODES="$out/codes.txt" WB_YEAR=$year run profile "profile /api/areas/CODE" -s "$out/profile.lua" "$url"
WB_CODES="$out/codes.txt" WB_YEAR=$year conns=2 run profile-c2 "profile, 2 connections" -s "$out/profile.lua" "$url"
run values "values /api/values ($level, $ind)" "$url/api/values?indicator=$ind&level=$level&year=$year"
run values-gz "values, gzip" -H "Accept-Encoding: gzip" "$url/api/values?indicator=$ind&level=$level&year=$year"
# the map in Chromium is timed by bench/web_map.sh (all buurten of 2015)
# server-side time per profile request (parse to response queued), from the access log
grep -E '^GET /api/areas/[A-Z0-9]+ 200 ' "$out/serve.err" | awk '{print $4}' | sort -g > "$out/profile-ms.txt"
n=$(wc -l < "$out/profile-ms.txt")
if [ "$n" -gt 0 ]; then
  p50=$(sed -n "$(( (n + 1) / 2 ))p" "$out/profile-ms.txt")
  p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$out/profile-ms.txt")
  echo "profile inside the server: $n requests, p50 ${p50} ms, p99 ${p99} ms"
fi
peak=$(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)
echo "server peak memory (VmHWM): $peak"
kill -TERM $pid
wait $pid || true
trap - EXIT
