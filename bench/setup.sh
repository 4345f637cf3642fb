#!/usr/bin/env bash
# Installs the benchmark anchors from Debian 12 packages (idempotent): PostGIS comes with
# scripts/setup.sh; GeoPandas (shapely 1.8) and QGIS's qgis_process are added here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
need=()
for p in python3-geopandas python3-shapely python3-fiona python3-rtree qgis time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
cmake --build build -j"$(nproc)" --target onemap onemap-sample-gen onemap-bench >/dev/null
