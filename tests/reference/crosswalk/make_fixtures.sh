#!/usr/bin/env bash
# Regenerate the reference outputs in tests/data/crosswalk/ (R with sf; needs ../shared/data
# and a built wijkbeeld for the wijk polygons, which R reads as wijkbeeld stored them).
#   tests/reference/crosswalk/make_fixtures.sh [SHARED_DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
SHARED=${1:-../shared/data}
BIN=${BIN:-build/release/wijkbeeld}
out=tests/data/crosswalk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
Rscript tests/reference/crosswalk/aw.R "$out"
"$BIN" --db "$tmp/w.db" --quiet import geo "$SHARED/geo_cbs_topojson_2014/Wijk_2014_layer_q1e3.json" --year 2014 --level wijk >/dev/null
"$BIN" --db "$tmp/w.db" --quiet import geo "$SHARED/geo_nlmaps_edwindj/wijk_2016_rd.topojson" --year 2016 --level wijk >/dev/null
"$BIN" --db "$tmp/w.db" --quiet export gpkg --level wijk --year 2014 -o "$tmp/wijk_2014.gpkg"
"$BIN" --db "$tmp/w.db" --quiet export gpkg --level wijk --year 2016 -o "$tmp/wijk_2016.gpkg"
Rscript tests/reference/crosswalk/wijk_sf.R "$tmp/wijk_2014.gpkg" "$tmp/wijk_2016.gpkg" "$out"
Rscript tests/reference/crosswalk/grenswijzigen.R "$SHARED" "$out"
