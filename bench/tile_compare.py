#!/usr/bin/env python3
"""Uncached vector tiles, onemap against PostGIS's ST_AsMVT on the same layer and tiles.

    bench/tile_compare.py [--plan sample-data/g60.toml] [--layer farmland] [--zooms 6 7 ... 12]
    bench/tile_compare.py --L            # the L one map (/tmp/benchL: bench/run.py's L workload)
    bench/tile_compare.py --L --reuse-postgis bench/results/tiles-farmland-L.json   # onemap only

--reuse-postgis takes PostGIS's figures for the same tiles from an earlier run's JSON (loading the
L farmland, 1M parcels, into PostGIS takes minutes; its times do not change with onemap's code).

onemap-tile-bench (build/bench) encodes the 3x3 tiles around the layer's middle feature at
each zoom (median of --runs, 25); a private PostGIS cluster on loopback (bench/run.py's) loads the
same table and runs, for each of those tiles, what pg_tileserv and martin run per request:
ST_AsMVT(ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true)),
with the same content as onemap's tiles (feature id = fid, every field as an attribute), the
rows picked through the GiST index in the layer's CRS; the median of 5 per tile, timed
inside the server (clock_timestamp), so psql's start-up is not counted. Prints a table and
writes JSON next to the other results (bench/results/tiles-<layer>.json).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, PostGIS  # noqa: E402

TIMING_SQL = """
CREATE OR REPLACE FUNCTION mvt_ms(z int, x int, y int, OUT ms float8, OUT bytes int) AS $$
DECLARE t0 timestamptz; tile bytea; runs float8[] := '{}';
BEGIN
  FOR i IN 1..5 LOOP
    t0 := clock_timestamp();
    SELECT ST_AsMVT(q, '{layer}', 4096, 'geom', 'fid') INTO tile FROM (
      SELECT {columns}, ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true) AS geom
      FROM {layer} t
      WHERE t.geom && ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), {srid})) q;
    runs := runs || (extract(epoch FROM clock_timestamp() - t0) * 1000)::float8;
  END LOOP;
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r) INTO ms FROM unnest(runs) r;
  bytes := coalesce(length(tile), 0);
END $$ LANGUAGE plpgsql;
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default=str(ROOT / "sample-data" / "g60.toml"))
    ap.add_argument("--gpkg", default=str(ROOT / "sample-data" / "g60.gpkg"))
    ap.add_argument("--layer", default="farmland")
    ap.add_argument("--srid", default="4549")
    ap.add_argument("--zooms", nargs="+", type=int, default=list(range(6, 13)))
    ap.add_argument("--runs", type=int, default=25, help="onemap runs a tile (the median is taken)")
    ap.add_argument("--L", action="store_true", help="the L one map in /tmp/benchL (plan and GeoPackage)")
    ap.add_argument("--reuse-postgis", help="PostGIS figures from an earlier run's JSON (same tiles)")
    args = ap.parse_args()
    tag = ""
    if args.L:
        args.plan, args.gpkg, tag = "/tmp/benchL/g60.toml", "/tmp/benchL/g60.gpkg", "-L"
    bench = ROOT / "build" / "bench" / "onemap-tile-bench"
    ours = {}
    # 25 runs a tile: a median that holds on a shared machine (PostGIS's 5 are each much longer).
    out = json.loads(subprocess.run([str(bench), args.plan, args.layer, str(min(args.zooms)), str(max(args.zooms)),
                                     str(args.runs)],
                                    check=True, capture_output=True, text=True).stdout)
    for t in out["tiles"]:
        if t["z"] in args.zooms:
            ours[(t["z"], t["x"], t["y"])] = t
    rows = []
    if args.reuse_postgis:
        old = {(r["z"], r["x"], r["y"]): r for r in json.load(open(args.reuse_postgis))["tiles"]}
        for key, t in sorted(ours.items()):
            if key in old:
                rows.append({"z": key[0], "x": key[1], "y": key[2], "onemap_ms": t["ms"], "onemap_bytes": t["bytes"],
                             "postgis_ms": old[key]["postgis_ms"], "postgis_bytes": old[key]["postgis_bytes"]})
        report(args, rows, tag)
        return
    with tempfile.TemporaryDirectory() as work:
        pg = PostGIS(work)
        try:
            db = "btiles"
            subprocess.run(pg.psql + ["-d", "postgres", "-c", f"CREATE DATABASE {db}"], check=True)
            subprocess.run(pg.psql + ["-d", db, "-c", "CREATE EXTENSION postgis"], check=True)
            subprocess.run(["ogr2ogr", "-overwrite", "-gt", "65536", "-f", "PostgreSQL", pg.conn(db), args.gpkg, args.layer,
                            "-nln", args.layer, "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid", "-lco", "SPATIAL_INDEX=GIST"],
                           check=True)
            subprocess.run(pg.psql + ["-d", db, "-c", f"VACUUM ANALYZE {args.layer}"], check=True)
            columns = subprocess.run(pg.psql + ["-d", db, "-At", "-c",
                                                "SELECT string_agg('t.' || quote_ident(column_name), ', ') "
                                                "FROM information_schema.columns WHERE table_name = "
                                                f"'{args.layer}' AND column_name <> 'geom'"],
                                     check=True, capture_output=True, text=True).stdout.strip()
            sql = TIMING_SQL.replace("{layer}", args.layer).replace("{srid}", args.srid)
            subprocess.run(pg.psql + ["-d", db, "-c", sql.replace("{columns}", columns)], check=True)
            for (z, x, y), t in sorted(ours.items()):
                res = subprocess.run(pg.psql + ["-d", db, "-At", "-F", " ", "-c",
                                                f"SELECT ms, bytes FROM mvt_ms({z}, {x}, {y})"],
                                     check=True, capture_output=True, text=True).stdout.split()
                rows.append({"z": z, "x": x, "y": y, "onemap_ms": t["ms"], "onemap_bytes": t["bytes"],
                             "postgis_ms": float(res[0]), "postgis_bytes": int(res[1])})
        finally:
            pg.stop()
    report(args, rows, tag)


def report(args, rows, tag):
    """The table on stdout; every tile's figures in bench/results/tiles-<layer><tag>.json."""
    summary = []
    for z in args.zooms:
        zr = [r for r in rows if r["z"] == z and r["postgis_bytes"] > 0]
        if not zr:
            continue
        summary.append({"z": z, "tiles": len(zr),
                        "onemap_ms": statistics.median(r["onemap_ms"] for r in zr),
                        "postgis_ms": statistics.median(r["postgis_ms"] for r in zr),
                        "onemap_max_bytes": max(r["onemap_bytes"] for r in zr),
                        "postgis_max_bytes": max(r["postgis_bytes"] for r in zr)})
    print(f"{'z':>3} {'tiles':>5} {'onemap ms':>10} {'PostGIS ms':>11} {'ratio':>7} {'onemap KB':>10} {'PostGIS KB':>11}")
    for s in summary:
        ratio = s["postgis_ms"] / s["onemap_ms"] if s["onemap_ms"] > 0 else float("inf")
        print(f"{s['z']:>3} {s['tiles']:>5} {s['onemap_ms']:>10.2f} {s['postgis_ms']:>11.2f} {ratio:>6.1f}x "
              f"{s['onemap_max_bytes'] / 1024:>10.0f} {s['postgis_max_bytes'] / 1024:>11.0f}")
    out = ROOT / "bench" / "results" / f"tiles-{args.layer}{tag}.json"
    out.write_text(json.dumps({"summary": summary, "tiles": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
