#!/usr/bin/env bash
# Installs the Debian packages wijkbeeld needs, only those that are missing.
# Usage: scripts/install-deps.sh [--reference] [--browser] [--bench] [--fuzz] [--fixtures] [--deploy]
#   --reference  also R with spdep, sf and segmented (benchmarks, test fixtures) and PySAL
#                (libpysal: checks that it reads the GAL/GWT files of `weights`)
#   --browser    also Debian's chromium and the npm test packages (browser tests)
#   --bench      also wrk (HTTP benchmark of the dashboard API, bench/web.sh)
#   --fuzz       also clang 14 and its libFuzzer runtime (make fuzz, docs/fuzzing.md)
#   --fixtures   also Perl's Spreadsheet::WriteExcel, to regenerate the .xls fixture of
#                tests/data/publications/make.sh (the fixtures are committed: make check
#                does not need it)
#   --deploy     also nginx and openssl (the TLS front of docs/deploy.md; its test runs nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
browser=0
pkgs=(build-essential pkg-config sqlite3 libsqlite3-dev libgdal-dev gdal-bin libproj-dev
      proj-data libjansson-dev libmicrohttpd-dev libsodium-dev zlib1g-dev time)
for a in "$@"; do
  case "$a" in
    --reference) pkgs+=(r-base-core r-cran-spdep r-cran-sf r-cran-spdata r-cran-segmented
                        python3-libpysal) ;;
    --browser) pkgs+=(chromium); browser=1
               command -v npm >/dev/null || pkgs+=(nodejs npm) ;;
    --bench) pkgs+=(wrk) ;;
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    --fixtures) pkgs+=(libspreadsheet-writeexcel-perl) ;;
    --deploy) pkgs+=(nginx-light openssl) ;;
    *) echo "install-deps: unknown option '$a'" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The browser tests' npm packages (playwright-core only; it drives Debian's chromium and
# downloads no browser). package-lock.json pins the versions.
if [ "$browser" = 1 ]; then
  stamp=node_modules/.wijkbeeld-lock.sha256
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -d node_modules/playwright-core ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "install-deps: npm packages present"
  else
    echo "install-deps: npm ci (playwright-core)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
fi
