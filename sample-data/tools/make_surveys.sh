#!/usr/bin/env bash
# Survey files as a planner receives them, cut from the sample's sites (docs/planners-day.md):
# P-012 as a 国土 TXT (GBK), P-017 as KML, P-003 as a DXF drawing, P-024 as a boundary-point
# table (CSV, X = northing). Usage: bash sample-data/tools/make_surveys.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
onemap="${1:-$here/../build}/cli/onemap"
out="$here/surveys"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OGR_CURRENT_DATE="2026-01-01T00:00:00Z"
one() { ogr2ogr -f GPKG "$work/$1.gpkg" "$here/sites.gpkg" -where "id = '$1'" -nln sites; }
mkdir -p "$out"

one P-012
"$onemap" export --sites "$work/P-012.gpkg" -o "$out/P-012.txt" --overwrite >/dev/null

one P-017
rm -f "$out/P-017.kml"
ogr2ogr -f LIBKML "$out/P-017.kml" "$work/P-017.gpkg" -t_srs EPSG:4326 -nln P-017 \
  -select id,name,industry,plot_ratio,investment_intensity

one P-003
rm -f "$out/P-003.dxf"
ogr2ogr -f DXF "$out/P-003.dxf" "$work/P-003.gpkg" -nlt LINESTRING -explodecollections \
  -sql "SELECT ST_ExteriorRing(geom) AS geom, 'SITE' AS Layer, NULL AS OGR_STYLE FROM sites
        UNION ALL SELECT ST_PointOnSurface(geom), 'SITE', 'LABEL(f:\"SimSun\",t:\"' || name || '\",s:20g)'
        FROM sites" -dialect SQLite

one P-024
python3 - "$work/P-024.gpkg" "$out/P-024.csv" <<'PY'
import subprocess, sys, json
geo = json.loads(subprocess.check_output(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", sys.argv[1]]))
f = geo["features"][0]
ring = f["geometry"]["coordinates"][0]
rows = ["界址点坐标表,,,,", "地块编号,地块名称,点号,X坐标(m),Y坐标(m)"]
for i, (e, n) in enumerate(ring[:-1]):
    rows.append(f"{f['properties']['id']},{f['properties']['name']},J{i + 1},{n:.3f},{e:.3f}")
rows.append(f"{f['properties']['id']},{f['properties']['name']},J1,{ring[0][1]:.3f},{ring[0][0]:.3f}")
rows.append("坐标系：CGCS2000 3度带 中央经线120°,,,,")
open(sys.argv[2], "w", encoding="utf-8").write("\r\n".join(rows) + "\r\n")
PY
ls -la "$out"
