#!/usr/bin/env bash
# The main job on the bundled G60 one map: check the sample project sites and write a
# compliance report plus a map image into ./out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
onemap=./build/cli/onemap
# `check` exits 1 when a site fails a rule: the expected answer for the sample, not an error.
run() { "$@" || { code=$?; [ "$code" -eq 1 ] || exit "$code"; }; }

run "$onemap" info
run "$onemap" check sample-data/g60.toml sample-data/sites.gpkg
run "$onemap" check sample-data/g60.toml sample-data/sites.gpkg --output out/g60-check.json \
  --conflicts out/g60-conflicts.gpkg
if "$onemap" --help | grep -q render; then
  run "$onemap" check sample-data/g60.toml sample-data/sites.gpkg --output out/g60-report.pdf
  run "$onemap" check sample-data/g60.toml sample-data/sites.gpkg --output out/g60-report.html
  run "$onemap" render sample-data/g60.toml --sites sample-data/sites.gpkg --output out/g60-map.png
fi
echo "Wrote into out/: $(ls out | tr '\n' ' ')"
