#!/usr/bin/env bash
# Composite scores for every area and year of a generated national-size panel
# (15,000 areas x 20 years x 50 indicators), release build: time per step and peak memory.
# Goal (issue #4, together with trends): under one second on 2 cores.
# Environment: BUILD (build dir with bench/ programs; default build/release). SCORE_ARGS to
# change the size ("AREAS YEARS INDICATORS").
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build/release}"
if [ ! -x "$BUILD/bench/score" ]; then
  make -s -j2 "$BUILD/bench/score" >/dev/null
fi
echo "bench score: $(nproc) cores"
/usr/bin/time -f "process: %e s wall, %M KB max resident" "$BUILD/bench/score" ${SCORE_ARGS:-15000 20 50}

# Loading the panel from the store, with scores and trends on it: bench/panel.sh.
