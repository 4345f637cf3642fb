#!/usr/bin/env bash
# Installs everything onemap needs from Debian 12 packages. Idempotent: only
# missing packages are installed, so running it again is cheap.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgdal-dev libsqlite3-dev zlib1g-dev gdal-bin libgeos-dev libproj-dev proj-data proj-bin libssl-dev
  qt6-base-dev qt6-base-dev-tools libgl-dev
  catch2 libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libtbb-dev libjemalloc-dev libboost-dev
  fonts-noto-cjk fonts-wqy-zenhei xvfb xauth
  postgresql-15 postgresql-15-postgis-3 postgis
  poppler-utils sqlite3 chromium locales
  clang libclang-rt-14-dev ccache
  libprotozero-dev libsodium-dev libpq-dev wrk
  postgresql-15-pgrouting
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present"
fi

# The page's front-end packages (npm ci, pinned by viewer/web/package-lock.json) and MapLibre's
# files in the page folder; node and npm come with the machine.
bash "$(dirname "${BASH_SOURCE[0]}")/web-deps.sh"
