#!/usr/bin/env bash
# A national panel out of the store (issue #4: scores and trends of 15,000 areas x 20 years x
# 50 indicators under a second; issue #5: profiles under 5 ms). Release build.
#
#   bench/panel_load: builds the store once (15 M values, bench/out/panel_load.db; removed
#     when it was written by another schema version), then per run: wb_panel_load of all 50
#     indicators, a z-score model, trends (MK + Sen + hinge at 2012 + classes), and 2,000
#     profiles (every value of one area through SQL); wall and CPU time per phase, peak memory
#   bench/profile_query: profiles, maps and level means on the same store (latency per query)
#
# Runs panel_load RUNS times (default 3). On a machine shared with other work the CPU times
# are the steadier figure. Environment: BUILD (build dir with bench/ programs; default
# build/release), RUNS, PANEL_ARGS ("AREAS YEARS INDICATORS", default "15000 20 50").
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build/release}"
for p in panel_load profile_query; do
  [ -x "$BUILD/bench/$p" ] || make -s -j2 "$BUILD/bench/$p" >/dev/null
done
mkdir -p bench/out
db=bench/out/panel_load.db
args=${PANEL_ARGS:-15000 20 50}
# a store of another schema version (or another size) is built again
if [ -f "$db" ] && ! "$BUILD/bench/profile_query" "$db" buurt 2024 1 >/dev/null 2>&1; then
  rm -f "$db" "$db-wal" "$db-shm"
fi
if [ -f bench/out/panel_load.args ] && [ "$(cat bench/out/panel_load.args)" != "$args" ]; then
  rm -f "$db" "$db-wal" "$db-shm"
fi
if [ ! -f "$db" ]; then
  # shellcheck disable=SC2086
  "$BUILD/bench/panel_load" "$db" $args
  echo "$args" > bench/out/panel_load.args
fi
echo "bench panel: $(nproc) cores, store $(du -m "$db" | cut -f1) MB"
for ((i = 1; i <= ${RUNS:-3}; i++)); do
  echo "-- run $i"
  # shellcheck disable=SC2086
  "$BUILD/bench/panel_load" "$db" $args | grep -v '^RESULT'
done
echo "-- store queries (profile_query, buurten of 2024)"
"$BUILD/bench/profile_query" "$db" buurt 2024 2000
