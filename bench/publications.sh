#!/usr/bin/env bash
# Whole-command times of the importers on the publications as published: what a user waits
# for, from starting `wijkbeeld import ...` on a new database until it exits.
#
#   - the fixtures of tests/data/publications (a few rows each: start-up dominates)
#   - a generated table of the size of a whole kwb-YYYY, as CSV and as XLSX
#   - the real files of ../shared/data: KWB 2024 (3,735 rows) as the CSV extract and, side by
#     side in the same run, the same rows as XLSX (written by ogr2ogr) and as StatLine OData
#     JSON (written by awk here), so that the cost of each reader shows as a ratio to the CSV;
#     SES-WOA (StatLine CSV), the Leefbaarometer 3.0 Amstelveen file and one LBM 2.0 file
#
# Each line: median of REPEAT runs (default 5), wall and CPU (user + system) seconds from
# /usr/bin/time, each run on a new database. The machine is shared: CPU is the steadier figure.
# Environment: BIN (default build/release/wijkbeeld), SHARED (default ../shared/data), REPEAT.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/wijkbeeld}
SHARED=${SHARED:-../shared/data}
REPEAT=${REPEAT:-5}
PUB=tests/data/publications
[ -x "$BIN" ] || { echo "publications bench: no $BIN (run make first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "publications bench: /usr/bin/time missing (scripts/install-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/wb-bench-pub.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# median of the numbers on stdin
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# run LABEL ARGS...: REPEAT imports on new databases; prints the medians (and sets $wall)
run() {
  local label=$1; shift
  : >"$tmp/w"; : >"$tmp/c"
  for ((i = 0; i < REPEAT; i++)); do
    rm -f "$tmp"/t.db*
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$BIN" --quiet --db "$tmp/t.db" "$@" >"$tmp/out" 2>"$tmp/err" ||
      { echo "publications bench: failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
    read -r e u s <"$tmp/time"
    echo "$e" >>"$tmp/w"
    awk -v u="$u" -v s="$s" 'BEGIN {print u + s}' >>"$tmp/c"
  done
  wall=$(median <"$tmp/w")
  cpu=$(median <"$tmp/c")
  printf '%-46s %8s %8s   %s\n' "$label" "$wall" "$cpu" "$(cut -c1-90 "$tmp/out" | head -1)"
}

printf '%-46s %8s %8s\n' "file (import ...)" "wall s" "cpu s"
run "kwb kwb-2023.xlsx (6 rows)" import kwb "$PUB/kwb-2023.xlsx"
run "kwb kwb-2013.xls (5 rows)" import kwb "$PUB/kwb-2013.xls"
run "kwb kwb-2021.csv (3 rows)" import kwb "$PUB/kwb-2021.csv"
run "kwb kwb2023_TypedDataSet.json (6 records)" import kwb "$PUB/kwb2023_TypedDataSet.json"
run "kwb wijkenbuurten_2023_v1.gpkg (3 layers)" import kwb "$PUB/wijkenbuurten_2023_v1.gpkg"
run "crime 47018NED_TypedDataSet.csv (156 rows)" import crime "$PUB/47018NED_TypedDataSet.csv"
run "crime 47018NED_TypedDataSet.json (156 rec.)" import crime "$PUB/47018NED_TypedDataSet.json"
run "lbm lbm3_buurt_2002_2024.csv (4 rows)" import lbm "$PUB/lbm3_buurt_2002_2024.csv"

# a table of the size of a whole kwb-YYYY (17,000 rows x 110 figures, random numbers), as CSV
# and as XLSX: the cost of reading a spreadsheet through GDAL at full size
echo
awk 'BEGIN {srand(1); printf "gwb_code_10,regio,recs"; for (j = 1; j <= 110; j++) printf ",v%03d", j
  printf "\n"; for (i = 0; i < 17000; i++) {
    printf "BU%04d%02d%02d,Buurt %d,Buurt", 100 + int(i / 600), int(i / 100) % 100, i % 100, i
    for (j = 1; j <= 110; j++) printf ",%.1f", rand() * 1000; printf "\n"}}' >"$tmp/kwb-2023.csv"
ogr2ogr -f XLSX "$tmp/kwb-2023.xlsx" "$tmp/kwb-2023.csv" -oo AUTODETECT_TYPE=YES 2>/dev/null
run "kwb 17,000 x 110 generated, CSV" import kwb "$tmp/kwb-2023.csv"
big_csv=$wall
run "kwb the same, XLSX" import kwb "$tmp/kwb-2023.xlsx"
awk -v c="$big_csv" -v x="$wall" 'BEGIN {printf "  wall time against the CSV: XLSX %.2fx\n", x / c}'

kwb=$SHARED/kwb_cbs/kwb2024_85984NED_gemeente_wijk_basic.csv
if [ ! -f "$kwb" ]; then
  echo "publications bench: $SHARED absent: real files skipped"
  exit 0
fi
echo
# the same 3,735 rows as XLSX and as OData JSON (codes padded to 10, null for empty)
cp "$kwb" "$tmp/kwb2024_basic.csv"
ogr2ogr -f XLSX "$tmp/kwb2024_basic.xlsx" "$kwb" -oo AUTODETECT_TYPE=YES -nln kwb2024 2>/dev/null
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) h[i] = $i; printf "{\"value\":[\n"; next}
  {printf "%s{\"WijkenEnBuurten\":\"%-10s\"", (NR > 2 ? ",\n" : ""), $1
   for (i = 3; i <= NF; i++) printf ",\"%s\":%s", h[i], ($i == "" ? "null" : $i)
   printf "}"}
  END {printf "\n]}\n"}' "$kwb" >"$tmp/kwb2024_TypedDataSet.json"
cb=$SHARED/kwb_cbs/kwb2024_85984NED_DataProperties.json
run "kwb KWB 2024 extract, CSV (3,735 rows)" import kwb "$tmp/kwb2024_basic.csv" --codebook "$cb"
csv_wall=$wall
run "kwb the same, XLSX" import kwb "$tmp/kwb2024_basic.xlsx" --codebook "$cb" --year 2024
xlsx_wall=$wall
run "kwb the same, OData JSON" import kwb "$tmp/kwb2024_TypedDataSet.json" --codebook "$cb"
json_wall=$wall
awk -v c="$csv_wall" -v x="$xlsx_wall" -v j="$json_wall" \
  'BEGIN {printf "  wall time against the CSV: XLSX %.2fx, OData JSON %.2fx\n", x / c, j / c}'
run "kwb SES-WOA 2019 (StatLine CSV, 579 rows)" import kwb "$SHARED/ses_woa_cbs/ses_woa_2019_amsterdam_wijk_buurt.csv"
run "lbm LBM 3.0 Amstelveen (56 rows)" import lbm "$SHARED/lbm3_amstelveen/lbm3_amstelveen_wijk2022_2014_2022.csv"
run "lbm LBM 2.0 wijk dimensions (8,886 rows)" import lbm "$SHARED/leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv"
