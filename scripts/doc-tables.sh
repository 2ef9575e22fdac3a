#!/usr/bin/env bash
# Regenerate (or check) the tables in a Markdown document from the commands that make them.
#
#   scripts/doc-tables.sh [--check] DOC.md [DB]
#
# A table is generated when the line before it is a marker
#
#   <!-- wijkbeeld: ARGUMENTS -->
#
# The table (the lines starting with '|' right after the marker) is replaced by the output of
# `wijkbeeld [--db DB] ARGUMENTS` (ARGUMENTS are split on spaces; no quoting). So the numbers
# in the document are exactly what the program prints: never edit them by hand.
# --check changes nothing and exits 1 when a table differs from the program's output.
#
# Environment: BIN (default build/release/wijkbeeld).
# The test suite checks docs/indicators.md the same way (tests/cli/docs.c).
set -euo pipefail

BIN=${BIN:-build/release/wijkbeeld}
check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
doc=${1:?usage: scripts/doc-tables.sh [--check] DOC.md [DB]}
db=${2:-}
[ -x "$BIN" ] || { echo "doc-tables: no program at $BIN (run make)" >&2; exit 2; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
marker='^<!-- wijkbeeld: (.*) -->$'
skipping=0
while IFS= read -r line || [ -n "$line" ]; do
  if [ "$skipping" = 1 ]; then
    [[ "$line" == \|* ]] && continue
    skipping=0
  fi
  printf '%s\n' "$line" >>"$out"
  if [[ "$line" =~ $marker ]]; then
    read -r -a args <<<"${BASH_REMATCH[1]}"
    if [ -n "$db" ]; then
      "$BIN" --quiet --db "$db" "${args[@]}" >>"$out"
    else
      "$BIN" --quiet "${args[@]}" >>"$out"
    fi
    skipping=1
  fi
done <"$doc"

if [ "$check" = 1 ]; then
  if ! diff -u "$doc" "$out"; then
    echo "doc-tables: $doc differs from the program's output (run scripts/doc-tables.sh $doc${db:+ $db})" >&2
    exit 1
  fi
  echo "doc-tables: $doc matches the program's output"
else
  cp "$out" "$doc"
  echo "doc-tables: $doc regenerated"
fi
