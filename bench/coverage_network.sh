#!/usr/bin/env bash
# onemap coverage --distance network on a synthetic noded street grid (150 × 150 nodes 200 m
# apart, ≈ 30 km square, some blocks missing; 14,400 population cells of 250 m; 300 facilities
# at street nodes; tiers 300/500/1000 m), and pgRouting's pgr_drivingDistance from the same
# facility nodes with the same cutoff on a private PostgreSQL 15 (the walks alone: pgRouting has
# no cells). Prints both times. Usage: bench/coverage_network.sh ONEMAP [WORKDIR]
set -euo pipefail
onemap="$(readlink -f "$1")"
dir="${2:-$(mktemp -d)}"
mkdir -p "$dir"
here="$(cd "$(dirname "$0")" && pwd)"
python3 - "$dir" <<'PY'
import os, random, subprocess, sys
d = sys.argv[1]; rng = random.Random(60); N, S, X0, Y0 = 150, 200, 400000, 3300000
with open(f"{d}/roads.csv", "w") as f:
    f.write("id,wkt\n"); k = 0
    for i in range(N):
        for across in (True, False):
            line = []
            for j in range(N):
                p = (X0 + S * j, Y0 + S * i) if across else (X0 + S * i, Y0 + S * j)
                if line and rng.random() < 0.05:  # a missing block
                    if len(line) > 1:
                        k += 1; f.write(f'{k},"LINESTRING({",".join(f"{x} {y}" for x, y in line)})"\n')
                    line = []
                line.append(p)
            if len(line) > 1:
                k += 1; f.write(f'{k},"LINESTRING({",".join(f"{x} {y}" for x, y in line)})"\n')
with open(f"{d}/population.csv", "w") as f:
    f.write("x,y,pop\n")
    for r in range(120):
        for c in range(120):
            f.write(f"{X0 + 125 + 250 * c},{Y0 + 125 + 250 * r},{rng.randint(0, 2000)}\n")
with open(f"{d}/services.csv", "w") as f:
    f.write("x,y\n")
    for _ in range(300):
        f.write(f"{X0 + S * rng.randrange(N)},{Y0 + S * rng.randrange(N)}\n")
g = f"{d}/net.gpkg"
if os.path.exists(g): os.remove(g)
c = ["-a_srs", "EPSG:4549", "-oo", "AUTODETECT_TYPE=YES"]
subprocess.run(["ogr2ogr", "-f", "GPKG", g, f"{d}/roads.csv", "-nln", "roads", "-nlt", "LINESTRING",
                "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-oo", "KEEP_GEOM_COLUMNS=NO", *c], check=True)
for name in ("population", "services"):
    subprocess.run(["ogr2ogr", "-update", g, f"{d}/{name}.csv", "-nln", name, "-oo",
                    "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", *c], check=True)
with open(f"{d}/plan.toml", "w") as f:
    f.write('name = "network bench"\ncrs = "EPSG:4549"\n')
    for name in ("roads", "population", "services"):
        f.write(f'[[layers]]\nid = "{name}"\ntitle = "{name}"\nsource = "net.gpkg"\ntable = "{name}"\n')
PY
"$onemap" coverage "$dir/plan.toml" --distance network --format json -o "$dir/net.json" 2>"$dir/onemap.err"
cat "$dir/onemap.err"

source "$here/../tests/private_postgres.sh"
start_private_postgres ""
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE net"
"${psql[@]}" -d net -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION pgrouting"
ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$port user=postgres dbname=net" "$dir/net.gpkg" \
  roads services -lco GEOMETRY_NAME=geom
"${psql[@]}" -d net >/dev/null <<'SQL'
CREATE TABLE edges AS SELECT row_number() OVER ()::integer AS id, geom, NULL::integer AS source,
  NULL::integer AS target FROM (SELECT (ST_DumpSegments(geom)).geom AS geom FROM roads) s;
SELECT pgr_createTopology('edges', 0.0, 'geom', 'id');
SQL
t0=$(date +%s.%N)
reached=$("${psql[@]}" -d net -At <<'SQL'
SELECT count(*) FROM pgr_drivingDistance(
  'SELECT id, source, target, ST_Length(geom) AS cost FROM edges',
  (SELECT array_agg(DISTINCT v.id) FROM services s JOIN edges_vertices_pgr v ON v.the_geom = s.geom),
  1000, directed => false, equicost => true);
SQL
)
t1=$(date +%s.%N)
python3 -c "print(f'pgr_drivingDistance from the facility nodes, cutoff 1000 m: {$t1 - $t0:.2f} s ($reached nodes reached; includes psql start)')"
