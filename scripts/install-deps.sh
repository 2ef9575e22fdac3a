#!/usr/bin/env bash
# Installs the Debian packages wijkbeeld needs, only those that are missing.
# Usage: scripts/install-deps.sh [--reference] [--browser] [--fuzz]
#   --reference  also R with spdep, sf and segmented (benchmarks, test fixtures)
#   --browser    also Debian's chromium and the npm test packages (browser tests)
#   --fuzz       also clang 14 and its libFuzzer runtime (make fuzz, docs/fuzzing.md)
set -euo pipefail
pkgs=(build-essential pkg-config sqlite3 libsqlite3-dev libgdal-dev gdal-bin libproj-dev
      proj-data libjansson-dev libmicrohttpd-dev libsodium-dev zlib1g-dev time)
for a in "$@"; do
  case "$a" in
    --reference) pkgs+=(r-base-core r-cran-spdep r-cran-sf r-cran-spdata r-cran-segmented) ;;
    --browser) pkgs+=(chromium) ;;
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps: unknown option '$a'" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} Debian packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
