#!/usr/bin/env bash
# make demo: a fresh demo database, the real national data where ../shared/data exists, an
# overview of the demo municipality, and the dashboard once wijkbeeld has one.
#
# Environment (set by the Makefile): BIN (the program), DB (default wijkbeeld.db), PORT
# (default 8080), SHARED (default ../shared/data).
#
# Safety: nothing is ever deleted. An existing $DB (with its -wal/-shm files) is moved aside
# to $DB.<date-time>.bak before the new database is made; the message says where it went.
# Real-data imports are optional: a command this wijkbeeld does not have yet, or a missing
# file, is skipped with a message, and a failing import is reported and the demo goes on.
set -uo pipefail

BIN=${BIN:-build/release/wijkbeeld}
DB=${DB:-wijkbeeld.db}
PORT=${PORT:-8080}
SHARED=${SHARED:-../shared/data}

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

if [ ! -x "$BIN" ]; then
  echo "demo: no program at $BIN (build it with 'make')" >&2
  exit 1
fi

# 'has import lbm': the program has that exact command ('help CMD' names it on its first line).
has() {
  local first
  first=$("$BIN" help "$@" 2>/dev/null | head -n 1) || return 1
  [[ "$first" == *"] $* "* ]]
}

# 1. a fresh database
if [ -e "$DB" ] || [ -e "$DB-wal" ] || [ -e "$DB-shm" ]; then
  stamp=$(date +%Y%m%d-%H%M%S)
  backup="$DB.$stamp.bak"
  n=1
  while [ -e "$backup" ]; do backup="$DB.$stamp-$n.bak"; n=$((n + 1)); done
  for ext in "" -wal -shm; do
    if [ -e "$DB$ext" ]; then mv -- "$DB$ext" "$backup$ext" || exit 1; fi
  done
  say "moved the existing $DB aside to $backup (nothing was deleted; remove it when you no longer need it)"
fi

# 2. the fictional demo municipality
say "building the demo municipality Wierhaven (GM9999, fictional) into $DB"
"$BIN" --db "$DB" demo || { echo "demo: building the demo municipality failed" >&2; exit 1; }

# 3. the real national data, where the shared data directory exists
loaded=0 skipped=0 failed=0
load() { # load "import lbm" FILE [options...]
  local cmd=$1 file=$2
  shift 2
  local -a words
  read -r -a words <<<"$cmd"
  if ! has "${words[@]}"; then
    note "skipped $(basename "$file"): this wijkbeeld has no '$cmd' command yet"
    skipped=$((skipped + 1))
    return 0
  fi
  if [ ! -r "$file" ]; then
    note "skipped $file: not found"
    skipped=$((skipped + 1))
    return 0
  fi
  say "$cmd $(basename "$file") $*"
  if "$BIN" --db "$DB" "${words[@]}" "$file" "$@"; then
    loaded=$((loaded + 1))
  else
    note "that import failed (see the message above); the demo goes on without it"
    failed=$((failed + 1))
  fi
}

if [ -d "$SHARED" ]; then
  say "loading the real national data from $SHARED"
  lbm=$SHARED/leefbaarometer2_minorproject
  nl=$SHARED/geo_nlmaps_edwindj
  cbs=$SHARED/geo_cbs_topojson_2014
  # boundaries: 2016 gemeenten and wijken (the Leefbaarometer 2.0 back-series uses 2016
  # wijken), 2014 wijken and buurten
  load "import geo" "$nl/gemeente_2016_wgs84.topojson" --year 2016 --level gemeente
  load "import geo" "$nl/wijk_2016_rd.topojson" --year 2016 --level wijk --crs EPSG:28992
  load "import geo" "$cbs/Wijk_2014_layer_q1e3.json" --year 2014 --level wijk
  load "import geo" "$cbs/Buurt_2014_layer_q1e3.json" --year 2014 --level buurt
  # Leefbaarometer 2.0: wijk dimensions 2012/2014/2016, wijk classes 2002-2016, gemeenten
  load "import lbm" "$lbm/lbm2_wijk2016_dimensions_2012_2014_2016.csv" --boundary-year 2016
  load "import lbm" "$lbm/lbm2_wijk2016_classes_2002_2016.csv" --boundary-year 2016
  load "import lbm" "$lbm/lbm2_gemeente2016_dimensions_2012_2014_2016.csv" --boundary-year 2016
  # CBS Kerncijfers 2024 (gemeenten and wijken, a few basic indicators)
  load "import kwb" "$SHARED/kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv"
  # the 40 aandachtswijken of 2007, matched to the 2016 wijken (its own set name, so it does
  # not mix with the demo's set 'aandachtswijken')
  load "import labels" "$SHARED/policy_areas/aandachtswijken_40_bcfv_2007.csv" --set aandachtswijken2007 --year 2016
  say "real data: $loaded loaded, $skipped skipped, $failed failed"
else
  say "no shared data at $SHARED: the demo municipality only"
fi

# 4. the demo register (partners, initiatives, accounts) and what issue 7 finds in it: the
# planted gap (a declining buurt that no initiative addresses) and the planted overlap
if has demo register; then
  echo
  say "the demo register: partners, initiatives with changing coalitions, accounts"
  "$BIN" --db "$DB" demo register GM9999 || note "the demo register failed (see above); the demo goes on without it"
fi
if has gaps && has overlaps; then
  echo
  say "gaps: buurten of Wierhaven that need attention, their weak dimensions and the effort there"
  "$BIN" --db "$DB" gaps --model lbm --in GM9999 --format table || true
  echo
  say "overlaps: initiatives of different partners on one theme in one area (candidates to combine)"
  "$BIN" --db "$DB" overlaps --format table || true
fi

# 5. the main job: the dashboard once it exists, until then an overview
echo
"$BIN" --db "$DB" overview || exit 1
echo
if has serve; then
  say "starting the dashboard: open http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
  exec "$BIN" --db "$DB" serve --port "$PORT"
fi
say "done. The database is $DB; try for example:"
note "$BIN --db $DB show BU99990000"
note "$BIN --db $DB export values --indicator lbm --level buurt --year 2022"
