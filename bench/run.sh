#!/usr/bin/env bash
# Runs every benchmark script bench/*.sh (except this one) in turn; each prints its own table.
# Environment: BIN (the wijkbeeld binary), BUILD (build dir with bench/ programs), SHARED (data).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
status=0
for s in bench/*.sh; do
  [ "$(basename "$s")" = run.sh ] && continue
  [ -n "${BENCH_ONLY:-}" ] && [[ "$(basename "$s" .sh)" != ${BENCH_ONLY}* ]] && continue
  echo; echo "== $(basename "$s" .sh)"
  bash "$s" || status=1
done
exit $status
