#!/usr/bin/env bash
# Developer step (needs Debian's gmt and gmt-gshhg-full): the corridor's water — the sea and
# estuaries (Hangzhou Bay, the Yangtze mouth) and the lakes and river-lakes (太湖, 巢湖,
# 千岛湖, the Yangtze) — from GSHHG 2.3.7 full resolution (LGPL-3+), into source/water.gpkg
# (EPSG:4326, one polygon per water body, `level`: 0 sea, 2 lake or river-lake). The result is
# committed; nothing at build or test time needs GMT.
#   apt-get install gmt gmt-gshhg-full && bash sample-data/tools/make_water.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# GSHHG is distributed binned for GMT; a land/water mask at 0.001° (≈ 100 m) rebuilt as
# polygons is its full-resolution shoreline to within one cell. Levels: 0 ocean, 1 land,
# 2 lake, 3 island in a lake, 4 pond on such an island (-N maps them to 0/1/2/1/2).
gmt grdlandmask -R116.3/122.2/28.4/32.6 -I0.001 -Df -N0/1/2/1/2 -A0/0/4 -G"$work/mask.nc"
gdal_translate -q -ot Byte -a_nodata none -a_srs EPSG:4326 "$work/mask.nc" "$work/mask.tif"
gdal_polygonize.py -q -8 "$work/mask.tif" -f GPKG "$work/cells.gpkg" cells level
# Cell staircases smoothed within half a cell, topology kept; only water, only bodies ≥ 0.3 km²
# and on average ≥ 300 m wide (2·area/perimeter): GMT's mask leaves one-cell strips of water
# along some of GSHHG's 1° bin edges, which are not water.
rm -f "$here/source/water.gpkg"
ogr2ogr -f GPKG "$here/source/water.gpkg" "$work/cells.gpkg" -nln water -simplify 0.0006 \
  -dialect SQLite -sql "SELECT geom, level FROM cells WHERE level <> 1 AND ST_Area(geom) > 0.00003 AND 2 * ST_Area(geom) / ST_Perimeter(geom) > 0.003"
cp /usr/share/doc/gmt-gshhg-full/copyright "$here/source/LICENSE-gshhg.txt"
{ echo; echo "GSHHG 2.3.7 (Wessel & Smith), https://www.soest.hawaii.edu/pwessel/gshhg/"
  echo "LGPL-3+: /usr/share/common-licenses/LGPL-3 on Debian; https://www.gnu.org/licenses/lgpl-3.0.txt"; } \
  >> "$here/source/LICENSE-gshhg.txt"
ogrinfo -so "$here/source/water.gpkg" water | grep -E "Feature Count|Extent"
