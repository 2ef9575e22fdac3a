#!/usr/bin/env bash
# Crosswalks: derive the buurt crosswalk 2014 -> 2015 from the polygons and move one count
# along it, wijkbeeld beside R's sf::st_interpolate_aw(extensive = TRUE) on the same polygons,
# in one run, as whole processes (what a user waits for: start, read, compute, write).
# Inputs (setup, not timed): the CBS buurten of 2014 (Buurt_2014_layer_q1e3.json, 10,410
# polygons) and 2015 (buurt_2015_wgs84.topojson.gz, 11,018) imported with 'import geo' (RD
# New), a generated count per 2014 buurt (1 + (17 * i) mod 997) imported with 'import csv',
# and both layers written with 'export gpkg' for R, so both tools read the same coordinates.
# Timed: bench/crosswalk_move (derive + move + write, library calls) and Rscript
# bench/crosswalk_aw.R; also the CLI 'crosswalk derive' printing all pairs, and with --store.
# Wall seconds (median) and, for the main step, CPU seconds: on the shared machine wall times
# vary with the other jobs, CPU times much less.
# Checks that every moved value agrees within 1e-6 (relative) and fails otherwise.
# Environment: BUILD (build dir with bench/crosswalk_move), BIN, SHARED, REPS (wijkbeeld runs,
# the median counts; default 5), R_REPS (default 1), CROSSWALK_NO_R=1 (wijkbeeld only).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
PROG="$BUILD/bench/crosswalk_move"
BIN=${BIN:-$BUILD/wijkbeeld}
SHARED=${SHARED:-../shared/data}
REPS=${REPS:-5}
R_REPS=${R_REPS:-1}
b14="$SHARED/geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json"
b15="$SHARED/geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz"
if [ ! -f "$b14" ] || [ ! -f "$b15" ]; then echo "crosswalk: skipped (no ../shared/data)"; exit 0; fi
if [ ! -x "$PROG" ]; then echo "crosswalk: $PROG is missing (run 'make bench')"; exit 1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/b.db"
"$BIN" --quiet --db "$db" import geo "$b14" --year 2014 --level buurt --format csv >/dev/null || exit 1
"$BIN" --quiet --db "$db" import geo "$b15" --year 2015 --level buurt --format csv >/dev/null || exit 1
"$BIN" --db "$db" areas --level buurt --year 2014 --with-geometry --format csv |
  awk -F, 'NR == 1 {print "code,year,cw_count"; next} {print $1 ",2014," 1 + (17 * NR) % 997}' >"$tmp/count.csv"
"$BIN" --quiet --db "$db" import csv "$tmp/count.csv" --boundary-year 2014 >/dev/null || exit 1
"$BIN" --quiet --db "$db" export gpkg --level buurt --year 2014 --indicator cw_count --data-year 2014 -o "$tmp/b14.gpkg" >/dev/null || exit 1
"$BIN" --quiet --db "$db" export gpkg --level buurt --year 2015 -o "$tmp/b15.gpkg" >/dev/null || exit 1
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# wall seconds of one run of a command (its output to files in $tmp); its CPU seconds
# (user + system) are appended to $tmp/cpu.<label> (label: first argument)
timed() {
  local label=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || { cat "$tmp/stderr"; return 1; }
  awk '{print $2 + $3}' "$tmp/time" >>"$tmp/cpu.$label"
  awk '{print $1}' "$tmp/time"
}
ours=(); cli=(); cli_store=()
for i in $(seq "$REPS"); do
  ours+=("$(timed ours "$PROG" "$db" buurt 2014 2015 cw_count 2014 "$tmp/ours.csv")") || exit 1
done
detail=$(cat "$tmp/stderr")
for i in $(seq "$REPS"); do
  cli+=("$(timed cli "$BIN" --quiet --db "$db" crosswalk derive --level buurt --from-year 2014 --to-year 2015 --format csv)") || exit 1
done
npairs=$(($(wc -l <"$tmp/stdout") - 1))
for i in $(seq "$REPS"); do
  cp "$db" "$tmp/s.db"
  cli_store+=("$(timed store "$BIN" --quiet --db "$tmp/s.db" crosswalk derive --level buurt --from-year 2014 --to-year 2015 --store)") || exit 1
done
t_ours=$(printf '%s\n' "${ours[@]}" | median)
t_cli=$(printf '%s\n' "${cli[@]}" | median)
t_store=$(printf '%s\n' "${cli_store[@]}" | median)
echo "buurt 2014 (10,410 polygons) -> buurt 2015 (11,018): $npairs pairs; $detail"
printf '%-58s %10s %10s %8s\n' step "wijkbeeld s" "sf s" ratio
if [ -n "${CROSSWALK_NO_R:-}" ] || ! Rscript -e 'library(sf)' >/dev/null 2>&1; then
  printf '%-58s %10s %10s %8s\n' "derive + move a count (crosswalk_move vs st_interpolate_aw)" "$t_ours" "-" "-"
  printf '%-58s %10s\n' "crosswalk derive --format csv (all pairs to stdout)" "$t_cli"
  printf '%-58s %10s\n' "crosswalk derive --store" "$t_store"
  echo "(R with sf not available: no comparison)"
  exit 0
fi
rs=()
for i in $(seq "$R_REPS"); do
  rs+=("$(timed r Rscript bench/crosswalk_aw.R "$tmp/b14.gpkg" "$tmp/b15.gpkg" "$tmp/sf.csv")") || exit 1
done
t_r=$(printf '%s\n' "${rs[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }'; }
cpu() { median <"$tmp/cpu.$1"; }
printf '%-58s %10s %10s %8s\n' "derive + move a count (crosswalk_move vs st_interpolate_aw)" "$t_ours" "$t_r" "$(ratio "$t_ours" "$t_r")"
printf '%-58s %10s %10s %8s\n' "  the same, CPU seconds (user + system)" "$(cpu ours)" "$(cpu r)" "$(ratio "$(cpu ours)" "$(cpu r)")"
printf '%-58s %10s %10s %8s\n' "crosswalk derive --format csv (all pairs to stdout)" "$t_cli" "$t_r" "$(ratio "$t_cli" "$t_r")"
printf '%-58s %10s %10s %8s\n' "crosswalk derive --store" "$t_store" "$t_r" "$(ratio "$t_store" "$t_r")"
# agreement: every target sf reaches, by code; the others must be empty on our side
awk -F, '
  FNR == 1 { next }
  NR == FNR { r[$1] = $2; next }
  {
    n++
    if (!($1 in r)) { if ($2 != "") { bad++; if (bad < 4) print "not reached by sf but " $2 ": " $1 } ; next }
    d = $2 - r[$1]; if (d < 0) d = -d; s = r[$1] < 0 ? -r[$1] : r[$1]; rel = d / (s > 1 ? s : 1)
    if (rel > worst) { worst = rel; at = $1 }
    m++
  }
  END {
    printf "agreement: %d of %d to-areas reached by both, largest relative difference %.3g (%s)%s\n", m, n, worst, at, (worst <= 1e-6 && !bad) ? "" : "  FAILS 1e-6"
    exit !(worst <= 1e-6 && !bad)
  }' "$tmp/sf.csv" "$tmp/ours.csv"
