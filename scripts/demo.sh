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
ROOT=$(cd "$(dirname "$0")/.." && pwd)

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
# seconds since $1 (an $EPOCHREALTIME), with one decimal
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

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

# 2b. the register of the demo municipality: partners, initiatives with changing coalitions,
# resident proposals, and demo accounts whose random passwords are printed here, once (a
# real deployment has no demo accounts: its first 'serve' creates an admin password)
if has demo register; then
  say "adding the demo register; the demo accounts and their passwords follow"
  "$BIN" --db "$DB" demo register GM9999 || note "the demo register failed (see above); the demo goes on without it"
fi

# 3. the real national data, where the shared data directory exists
loaded=0 skipped=0 failed=0 step=0 nsteps=0

# The one-line digest of an 'import geo' summary (item,value CSV on stdin).
geo_digest() {
  awk -F, '{ v[$1] = $2 }
    END {
      printf "%s areas of %s, %s with a polygon", v["areas"], v["year"], v["imported"]
      if (v["without_geometry"] > 0)
        printf ", %s without (%s empty in the file, %s too small for the map\x27s precision)", v["without_geometry"], v["null_geometries"], v["collapsed"]
      if (v["degenerate_rings"] > 0) printf "; %s degenerate rings dropped", v["degenerate_rings"]
      printf "; CRS %s\n", v["crs"]
    }'
}

# load "import lbm" FILE [options...]: one import, its one-line result and its time.
load() {
  local cmd=$1 file=$2 out rc t0
  shift 2
  local -a words
  read -r -a words <<<"$cmd"
  step=$((step + 1))
  if ! has "${words[@]}"; then
    note "[$step/$nsteps] skipped $(basename "$file"): this wijkbeeld has no '$cmd' command yet"
    skipped=$((skipped + 1))
    return 0
  fi
  if [ ! -r "$file" ]; then
    note "[$step/$nsteps] skipped $file: not found"
    skipped=$((skipped + 1))
    return 0
  fi
  # the command as a newcomer can retype it: paths in the project relative, no --description
  local shown="$cmd $(basename "$file")" a skip=0
  for a in "$@"; do
    if [ $skip = 1 ]; then skip=0; continue; fi
    if [ "$a" = --description ]; then skip=1; continue; fi
    shown+=" ${a#"$ROOT"/}"
  done
  say "[$step/$nsteps] $shown"
  t0=$EPOCHREALTIME
  case "$cmd" in
    "import geo") out=$("$BIN" --db "$DB" "${words[@]}" "$file" "$@" --format csv) ;;
    "import labels") out=$("$BIN" --db "$DB" "${words[@]}" "$file" "$@" --format csv 2>&1 >/dev/null) ;;
    *) out=$("$BIN" --db "$DB" "${words[@]}" "$file" "$@") ;;
  esac
  rc=$?
  if [ $rc -eq 0 ]; then
    case "$cmd" in
      "import geo") note "$(geo_digest <<<"$out") ($(since "$t0") s)" ;;
      *) note "${out#imported } ($(since "$t0") s)" ;;
    esac
    loaded=$((loaded + 1))
  else
    [ -n "$out" ] && note "$out"
    note "that import failed (see the message above); the demo goes on without it"
    failed=$((failed + 1))
  fi
}

if [ -d "$SHARED" ]; then
  say "loading the real national data from $SHARED"
  t_all=$EPOCHREALTIME
  lbm=$SHARED/leefbaarometer2_minorproject
  nl=$SHARED/geo_nlmaps_edwindj
  cbs=$SHARED/geo_cbs_topojson_2014
  nsteps=15
  # boundaries: 2016 wijken and gemeenten (the Leefbaarometer 2.0 back-series is on 2016
  # wijken), 2015 buurten, the 2014 wijken and buurten and the 2015 gemeenten of CBS
  load "import geo" "$nl/wijk_2016_rd.topojson" --year 2016 --level wijk --crs EPSG:28992
  load "import geo" "$nl/gemeente_2016_wgs84.topojson" --year 2016 --level gemeente
  load "import geo" "$nl/buurt_2015_wgs84.topojson.gz" --year 2015 --level buurt
  load "import geo" "$cbs/Wijk_2014_layer_q1e3.json" --year 2014 --level wijk
  load "import geo" "$cbs/Buurt_2014_layer_q1e3.json" --year 2014 --level buurt
  load "import geo" "$cbs/Gemeente_2015_layer_q1e3.json" --year 2015 --level gemeente
  # Leefbaarometer 2.0 on 2016 boundaries: wijk scores 2012/2014/2016, their development,
  # wijk classes 2002-2016, gemeente scores
  load "import lbm" "$lbm/lbm2_wijk2016_dimensions_2012_2014_2016.csv" --boundary-year 2016
  load "import lbm" "$lbm/lbm2_wijk2016_development_2012_2016.csv" --boundary-year 2016
  load "import lbm" "$lbm/lbm2_wijk2016_classes_2002_2016.csv" --boundary-year 2016
  load "import lbm" "$lbm/lbm2_gemeente2016_dimensions_2012_2014_2016.csv" --boundary-year 2016
  # Leefbaarometer 3.0, Amstelveen wijken 2014-2022 (on 2022 boundaries)
  load "import lbm" "$SHARED/lbm3_amstelveen/lbm3_amstelveen_wijk2022_2014_2022.csv"
  # CBS Kerncijfers 2024 (gemeenten and wijken) and SES-WOA 2019 (Amsterdam wijken and buurten)
  load "import kwb" "$SHARED/kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv"
  load "import kwb" "$SHARED/ses_woa_cbs/ses_woa_2019_amsterdam_wijk_buurt.csv"
  # the 40 aandachtswijken of 2007 on 2016 wijken, through the hand-made match file
  # (docs/aandachtswijken.md); its own set name, so it does not mix with the demo's set
  load "import labels" "$SHARED/policy_areas/aandachtswijken_40_bcfv_2007.csv" \
    --set aandachtswijken2007 --year 2016 --match "$ROOT/data/aandachtswijken_2007_wijk2016.csv" \
    --match-quality exact,approx \
    --description "the 40 aandachtswijken of 2007 on 2016 wijken (exact and approximate matches)"
  load "import labels" "$SHARED/policy_areas/aandachtswijken_40_bcfv_2007.csv" \
    --set aandachtswijken2007_ruim --year 2016 --match "$ROOT/data/aandachtswijken_2007_wijk2016.csv" \
    --description "the 40 aandachtswijken of 2007 on 2016 wijken (also the coarse matches)"
  say "real data: $loaded loaded, $skipped skipped, $failed failed in $(since "$t_all") s"
else
  say "no shared data at $SHARED: the demo municipality only"
fi

# 4. the main job: the dashboard once it exists, until then an overview
echo
"$BIN" --db "$DB" overview || exit 1
echo
if has serve; then
  say "starting the dashboard: open http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
  exec "$BIN" --db "$DB" serve --port "$PORT"
fi
say "done. The database is $DB; try for example:"
note "$BIN --db $DB show BU99990000 --data-year 2022     # a demo buurt beside its wijk"
note "$BIN --db $DB --digits 2 score --model kwb --level wijk --in GM9999 --year 2022"
if [ "$loaded" -gt 0 ]; then
  note "$BIN --db $DB show WK059910 --year 2016 --indicator lbm   # Rotterdam Feijenoord, real data"
  note "$BIN --db $DB --digits 3 compare --set aandachtswijken2007 --indicator lbm_klasse --break 2012 --periods"
  note "$BIN --db $DB export geojson --level wijk --year 2016 --indicator lbm -o lbm2016.geojson"
fi
note "$BIN help                                    # every command"
