#!/usr/bin/env bash
# PostGIS end to end: start a private PostgreSQL 15 + PostGIS server on loopback, load the
# bundled sample into it, and check that `onemap check` on a plan whose layers are PG:
# sources gives exactly the GeoPackage answers. The server is stopped whatever happens.
#   postgis_check.sh ONEMAP_BINARY SAMPLE_DIR
set -euo pipefail
onemap="$1"
sample="$2"
source "$(dirname "$0")/../private_postgres.sh"
start_private_postgres "-c log_statement=all"
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE g60"
"${psql[@]}" -d g60 -c "CREATE EXTENSION postgis"
conn="PG:host=127.0.0.1 port=$port user=postgres dbname=g60"
ogr2ogr -f PostgreSQL "$conn" "$sample/g60.gpkg" -preserve_fid -lco LAUNDER=NO -lco SPATIAL_INDEX=GIST \
  -lco GEOMETRY_NAME=geom

# The same plan with every layer read from PostGIS.
# (The register of approved projects stays a GeoPackage of its own.)
sed -e "s|^source = \"g60.gpkg\"|source = \"$conn\"|" \
  -e "s|^source = \"register.gpkg\"|source = \"$sample/register.gpkg\"|" \
  "$sample/g60.toml" > "$work/pg.toml"
grep -q "source = \"PG:" "$work/pg.toml"

set +e
"$onemap" check "$sample/g60.toml" "$sample/sites.gpkg" --format json --output "$work/gpkg.json"
a=$?
"$onemap" check "$work/pg.toml" "$sample/sites.gpkg" --format json --output "$work/pg.json"
b=$?
set -e
[ "$a" -eq 1 ] && [ "$b" -eq 1 ] || { echo "unexpected exit codes $a $b"; exit 1; }

python3 - "$work/gpkg.json" "$work/pg.json" <<'PY'
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
assert a["summary"] == b["summary"], (a["summary"], b["summary"])
assert len(a["sites"]) == len(b["sites"]) == 30
for sa, sb in zip(a["sites"], b["sites"]):
    assert sa == sb, f"site {sa['id']} differs:\n{sa}\n{sb}"
print(f"PostGIS and GeoPackage agree on {len(a['sites'])} sites: {a['summary']}")
PY

# The check read farmland (52,020 parcels) only near the 30 sites: a box in the SQL per site
# (OGR's spatial filter: `geom && <box>`), answering as the GeoPackage's whole read did above.
log="$work/data/server.log"
near=$(grep -c 'farmland.*&&' "$log" || true)
[ "$near" -ge 30 ] || { echo "expected >= 30 bbox queries on farmland, found $near"; exit 1; }
# A row the box filter cannot meet (no geometry) makes the table untrusted: read whole.
"${psql[@]}" -d g60 -c 'INSERT INTO farmland (geom) VALUES (NULL)'
: > "$log"
set +e
"$onemap" check "$work/pg.toml" "$sample/sites.gpkg" --format json --output "$work/pg2.json" 2>"$work/pg2.err"
c=$?
set -e
[ "$c" -eq 1 ] || [ "$c" -eq 2 ] || { echo "unexpected exit code $c"; cat "$work/pg2.err"; exit 1; }
if grep -q 'farmland.*&&' "$log"; then echo "farmland with a NULL geometry was read by boxes"; exit 1; fi
grep -q 'farmland' "$log" || { echo "farmland was not read at all"; exit 1; }
echo "bbox-in-SQL reading: $near box queries; whole read once a row has no geometry (exit $c)"
