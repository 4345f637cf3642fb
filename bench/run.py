#!/usr/bin/python3
"""onemap against PostGIS, GeoPandas and qgis_process on the same generated data, in one run.

    bench/run [--scales S,M] [--runs 3] [--dirty]

Per tool and phase: wall time, CPU time and peak memory (/usr/bin/time -v), median of the
runs; per site, the four measures compared across tools; onemap's speed-up as ratios measured
in this run. Results: bench/results/results-<scales>[-dirty].json and a table on stdout.
"""
import argparse
import csv
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("ONEMAP_BUILD", ROOT / "build"))  # the build folder to measure
ONEMAP = BUILD / "cli" / "onemap"
GEN = BUILD / "sample-data" / "onemap-sample-gen"
BENCH = BUILD / "bench" / "onemap-bench"
SCALES = {"S": (10_000, 1_000), "M": (100_000, 10_000), "L": (1_000_000, 10_000)}
PGBIN = "/usr/lib/postgresql/15/bin"
QGIS = "/usr/bin/qgis_process.bin"


def timed(cmd, env=None, cwd=None):
    """Runs cmd under /usr/bin/time -v: wall s, cpu s (user+sys), peak RSS MB, exit code."""
    full = ["/usr/bin/time", "-v"] + [str(c) for c in cmd]
    p = subprocess.run(full, capture_output=True, text=True, env=env, cwd=cwd)
    t = p.stderr
    def grab(label):
        m = re.search(re.escape(label) + r":\s*(.+)", t)
        return m.group(1).strip() if m else "0"
    wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")]
    wall_s = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    return {"wall_s": wall_s, "cpu_s": float(grab("User time (seconds)")) + float(grab("System time (seconds)")),
            "rss_mb": int(grab("Maximum resident set size (kbytes)")) / 1024, "rc": p.returncode,
            "stderr": t[-2000:]}


def median_of(runs, fn):
    results = [fn() for _ in range(runs)]
    out = {k: statistics.median(r[k] for r in results) for k in ("wall_s", "cpu_s", "rss_mb")}
    out["rc"] = results[-1]["rc"]
    out["stderr"] = results[-1]["stderr"]
    return out


class PostGIS:
    """A private cluster on loopback for the run's duration."""
    def __init__(self, work):
        self.work = Path(work)
        self.data = self.work / "pgdata"
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(self.work)], check=True)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        subprocess.run(self.as_pg + [f"{PGBIN}/initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres"],
                       check=True, capture_output=True)
        subprocess.run(self.as_pg + [f"{PGBIN}/pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"), "-o",
                        f"-p {self.port} -k {self.work} -c listen_addresses=127.0.0.1 -c fsync=off "
                        "-c shared_buffers=512MB -c work_mem=64MB", "start"], check=True, capture_output=True)
        self.psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]

    def conn(self, db):
        return f"PG:host=127.0.0.1 port={self.port} user=postgres dbname={db}"

    def stop(self):
        subprocess.run(self.as_pg + [f"{PGBIN}/pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True)


def pg_query(pg, name, out):
    """The one SQL query, its CSV on stdout into `out` (the query alone is timed)."""
    cmd = " ".join(pg.psql + ["-d", f"b{name.lower()}", "-f", str(ROOT / "bench" / "postgis_query.sql")])
    return ["bash", "-c", f"{cmd} > {out}"]


def read_csv(path, key="id"):
    with open(path, newline="", encoding="utf-8") as f:
        return {r[key]: {k: float(v) if v not in ("", None) else None for k, v in r.items() if k != key}
                for r in csv.DictReader(f)}


def onemap_measures(json_path):
    out = {}
    for s in json.load(open(json_path, encoding="utf-8"))["sites"]:
        r = {x["id"]: x for x in s["rules"]}
        out[s["id"]] = {"farmland_m2": r["farmland"]["overlap_m2"], "redline_m2": r["redline"]["overlap_m2"],
                        "inside_fraction": r["devbound"]["inside_fraction"], "rail_m": r["rail"]["distance_m"]}
    return out


def qgis_measures(overlaps, nearest):
    out = {}
    with sqlite3.connect(overlaps) as db:
        for sid, fa, ra, dpc in db.execute("SELECT id, farmland_area, redline_area, devbound_pc FROM ov"):
            out[sid] = {"farmland_m2": fa or 0.0, "redline_m2": ra or 0.0, "inside_fraction": (dpc or 0.0) / 100}
    with sqlite3.connect(nearest) as db:
        for sid, d in db.execute("SELECT id, distance FROM near"):
            out[sid]["rail_m"] = d
    return out


def compare(ref, other, area_tol):
    """Max relative difference per measure and how many sites disagree beyond tolerance."""
    report = {}
    for m in ("farmland_m2", "redline_m2", "inside_fraction", "rail_m"):
        worst, bad = 0.0, 0
        for sid, a in ref.items():
            b = other.get(sid, {}).get(m)
            if b is None:
                bad += 1
                continue
            x = a[m] or 0.0
            diff = abs(x - b)
            # onemap's JSON rounds metres and m² to 0.01, fractions to 1e-6.
            tol = 0.006 if m == "rail_m" else max(area_tol * max(abs(x), abs(b)), 0.02 if m.endswith("m2") else 2e-6)
            rel = diff / max(abs(x), abs(b), 1e-9)
            if diff > tol:
                bad += 1
            if diff > tol / 2:
                worst = max(worst, rel)
        report[m] = {"max_rel_diff": worst, "disagree": bad}
    return report


def bench_scale(name, runs, dirty, work):
    farmland, nsites = SCALES[name]
    d = Path(work) / name
    d.mkdir(parents=True, exist_ok=True)
    gen = [GEN, "--farmland", farmland, "--sites", nsites, "--seed", 60, "--out", d] + (["--dirty"] if dirty else [])
    subprocess.run([str(x) for x in gen], check=True, capture_output=True)
    plan = d / "bench.toml"
    plan.write_text((ROOT / "bench" / "plans" / "bench.toml.in").read_text().replace("@DATA@", str(d)))
    gpkg_mb = (d / "g60.gpkg").stat().st_size / 2**20
    res = {"scale": name, "farmland": farmland, "sites": nsites, "gpkg_mb": gpkg_mb, "tools": {}}
    sites = d / "sites.gpkg"

    # onemap: the whole command, reading the files included. Cold: an empty prepared-layer
    # cache each run (the run builds it, writing included); warm: the cache from a run before.
    cache = Path(tempfile.mkdtemp(prefix="onemap-bench-cache-"))
    def onemap_run(threads, cache_dir, out):
        env = dict(os.environ, XDG_CACHE_HOME=str(cache_dir))
        return timed([ONEMAP, "check", plan, sites, "--format", "json", "--output", out, "--threads", threads], env=env)
    def cold(threads, out):
        fresh = Path(tempfile.mkdtemp(prefix="onemap-bench-cold-"))
        try:
            return onemap_run(threads, fresh, out)
        finally:
            subprocess.run(["rm", "-rf", str(fresh)])
    out = d / "onemap-2.json"
    res["tools"]["onemap cold (2 threads)"] = median_of(runs, lambda: cold(2, out))
    # Primes the warm cache: `info` reads every layer whole (a check near its sites reads part
    # of a layer, which is never cached).
    subprocess.run([str(ONEMAP), "info", str(plan)], env=dict(os.environ, XDG_CACHE_HOME=str(cache)),
                   capture_output=True)
    for threads in (2, 1):
        out = d / f"onemap-{threads}.json"
        res["tools"][f"onemap ({threads} thread{'s' if threads > 1 else ''})"] = median_of(
            runs, lambda: onemap_run(threads, cache, out))
    subprocess.run(["rm", "-rf", str(cache)])
    ref = onemap_measures(d / "onemap-2.json")
    bench = subprocess.run([str(BENCH), str(plan), str(sites)], capture_output=True, text=True)
    res["onemap_bench"] = json.loads(bench.stdout) if bench.returncode == 0 else {"error": bench.stderr}
    if dirty:
        res["onemap_warnings"] = len(json.load(open(d / "onemap-2.json", encoding="utf-8"))["warnings"])

    # PostGIS: load (timed apart), then the query alone.
    pg = PostGIS(tempfile.mkdtemp(prefix="onemap-bench-pg-"))
    try:
        subprocess.run(pg.psql + ["-d", "postgres", "-c", f"CREATE DATABASE b{name.lower()}"], check=True, capture_output=True)
        subprocess.run(pg.psql + ["-d", f"b{name.lower()}", "-c", "CREATE EXTENSION postgis"], check=True, capture_output=True)
        def load():
            t1 = timed(["ogr2ogr", "-overwrite", "-f", "PostgreSQL", pg.conn(f"b{name.lower()}"), d / "g60.gpkg", "farmland",
                        "redline", "devbound", "rail", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST"])
            t2 = timed(["ogr2ogr", "-overwrite", "-f", "PostgreSQL", pg.conn(f"b{name.lower()}"), sites, "-lco",
                        "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST"])
            t3 = timed(pg.psql + ["-d", f"b{name.lower()}", "-c", "VACUUM ANALYZE"])
            return {k: t1[k] + t2[k] + t3[k] if k != "rss_mb" else max(t1[k], t2[k]) for k in ("wall_s", "cpu_s", "rss_mb")} | {"rc": max(t1["rc"], t2["rc"], t3["rc"]), "stderr": t1["stderr"]}
        res["tools"]["PostGIS load"] = load()
        pg_csv = d / "postgis.csv"
        if dirty:  # what a careful PostGIS user would do: repair first (timed apart too)
            res["tools"]["PostGIS plain query (dirty)"] = timed(pg_query(pg, name, d / "pg-raw.csv"))
            timed(pg.psql + ["-d", f"b{name.lower()}", "-c", "ALTER TABLE farmland ALTER COLUMN geom TYPE geometry USING geom; ALTER TABLE sites ALTER COLUMN geom TYPE geometry USING geom; UPDATE farmland SET geom = ST_CollectionExtract(ST_MakeValid(geom), 3) WHERE NOT ST_IsValid(geom); UPDATE sites SET geom = ST_CollectionExtract(ST_MakeValid(geom), 3) WHERE NOT ST_IsValid(geom)"])
        res["tools"]["PostGIS query" + (" (after ST_MakeValid)" if dirty else "")] = median_of(runs, lambda: timed(pg_query(pg, name, pg_csv)))
        pg_m = read_csv(pg_csv) if list(res["tools"].values())[-1]["rc"] == 0 else {}
    finally:
        pg.stop()

    # GeoPandas.
    gp_csv = d / "geopandas.csv"
    res["tools"]["GeoPandas"] = median_of(runs if name != "L" else 1, lambda: timed(
        ["/usr/bin/python3", ROOT / "bench" / "geopandas_measures.py", d / "g60.gpkg", sites, gp_csv]))
    gp_m = read_csv(gp_csv) if res["tools"]["GeoPandas"]["rc"] == 0 else {}

    # qgis_process: one file per overlay layer (its output fields are named after the file).
    for layer in ("farmland", "redline", "devbound", "rail"):
        subprocess.run(["ogr2ogr", "-overwrite", "-f", "GPKG", str(d / f"{layer}.gpkg"), str(d / "g60.gpkg"), layer],
                       check=True, capture_output=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    def qgis():
        a = timed([QGIS, "run", "native:calculatevectoroverlaps", "--", f"INPUT={sites}", f"LAYERS={d / 'farmland.gpkg'}",
                   f"LAYERS={d / 'redline.gpkg'}", f"LAYERS={d / 'devbound.gpkg'}", f"OUTPUT={d / 'ov.gpkg'}"], env=env, cwd=d)
        b = timed([QGIS, "run", "native:joinbynearest", "--", f"INPUT={sites}", f"INPUT_2={d / 'rail.gpkg'}",
                   "NEIGHBORS=1", f"OUTPUT={d / 'near.gpkg'}"], env=env, cwd=d)
        return {"wall_s": a["wall_s"] + b["wall_s"], "cpu_s": a["cpu_s"] + b["cpu_s"], "rss_mb": max(a["rss_mb"], b["rss_mb"]),
                "rc": max(a["rc"], b["rc"]), "stderr": a["stderr"]}
    for f in ("ov.gpkg", "near.gpkg"):
        (d / f).unlink(missing_ok=True)
    res["tools"]["qgis_process"] = median_of(runs if name != "L" else 1, qgis)
    qg_m = qgis_measures(d / "ov.gpkg", d / "near.gpkg") if res["tools"]["qgis_process"]["rc"] == 0 else {}

    # Agreement: onemap's ellipsoidal areas within 0.3 % of planar ones; anchors among themselves 1e-6.
    res["agreement"] = {"onemap vs PostGIS": compare(ref, pg_m, 3e-3) if pg_m else "PostGIS failed",
                        "onemap vs GeoPandas": compare(ref, gp_m, 3e-3) if gp_m else "GeoPandas failed",
                        "onemap vs qgis_process": compare(ref, qg_m, 3e-3) if qg_m else "qgis_process failed",
                        "PostGIS vs GeoPandas": compare(pg_m, gp_m, 1e-6) if pg_m and gp_m else "n/a",
                        "PostGIS vs qgis_process": compare(pg_m, qg_m, 1e-6) if pg_m and qg_m else "n/a"}
    om = res["tools"]["onemap (2 threads)"]["wall_s"]
    # onemap exits 1 when a site fails a rule: a result, not an error.
    for k, v in res["tools"].items():
        v["ok"] = v["rc"] == 0 or (k.startswith("onemap") and v["rc"] == 1)
        if v["ok"]:
            v.pop("stderr", None)
    res["speedup"] = {k: v["wall_s"] / om for k, v in res["tools"].items()
                      if not k.startswith("onemap") and "load" not in k and v["ok"]}
    cold_s = res["tools"]["onemap cold (2 threads)"]["wall_s"]
    res["speedup_cold"] = {k: v["wall_s"] / cold_s for k, v in res["tools"].items()
                           if not k.startswith("onemap") and "load" not in k and v["ok"]}
    return res


def table(results):
    lines = []
    for r in results:
        lines.append(f"\nScale {r['scale']}: {r['farmland']:,} parcels, {r['sites']:,} sites, g60.gpkg {r['gpkg_mb']:.1f} MB")
        lines.append(f"  {'tool / phase':34} {'wall s':>9} {'cpu s':>9} {'peak MB':>9}  {'onemap faster (warm, cold)':>24}")
        for k, v in r["tools"].items():
            ratio = r["speedup"].get(k)
            cold_ratio = r.get("speedup_cold", {}).get(k)
            state = (f"{ratio:6.1f}× ({cold_ratio:.1f}× cold)" if cold_ratio else f"{ratio:12.1f}×") if ratio \
                else ("" if v["ok"] else "   FAILED")
            lines.append(f"  {k:34} {v['wall_s']:9.2f} {v['cpu_s']:9.2f} {v['rss_mb']:9.0f}  {state:>24}")
        b = r.get("onemap_bench", {})
        if "single_site_ms" in b:
            lines.append(f"  onemap single site (layers loaded): median {b['single_site_ms']['median']:.2f} ms, "
                         f"p95 {b['single_site_ms']['p95']:.2f} ms; load {b['load_s']:.2f} s; batch 1 thread "
                         f"{b['batch']['1_threads']['seconds']:.2f} s, 2 threads {b['batch']['2_threads']['seconds']:.2f} s")
        if "render_ms" in b:
            lines.append(f"  renderer frame (1600×1000, layers loaded): full extent {b['render_ms']['full_extent']:.0f} ms, "
                         f"1 km view {b['render_ms']['view_1km']:.1f} ms")
        if "onemap_warnings" in r:
            lines.append(f"  onemap repaired and reported {r['onemap_warnings']} invalid features (warnings in its JSON)")
        for k, v in r["agreement"].items():
            if isinstance(v, dict):
                s = ", ".join(f"{m} {x['max_rel_diff']:.1e} ({x['disagree']} off)" for m, x in v.items())
            else:
                s = v
            lines.append(f"  agreement {k}: {s}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="S,M")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dirty", action="store_true")
    a = ap.parse_args()
    for tool in (ONEMAP, GEN, BENCH, QGIS):
        if not Path(tool).exists():
            sys.exit(f"bench: {tool} is missing; run bench/setup.sh")
    work = ROOT / "bench" / "work"
    results = []
    for s in a.scales.split(","):
        print(f"bench: scale {s} …", file=sys.stderr, flush=True)
        results.append(bench_scale(s, a.runs, a.dirty, work))
    out = ROOT / "bench" / "results" / f"results-{'-'.join(a.scales.split(','))}{'-dirty' if a.dirty else ''}.json"
    out.parent.mkdir(exist_ok=True)
    machine = {"nproc": os.cpu_count(), "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                                                     if l.startswith("model name")), "?")}
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2, ensure_ascii=False))
    print(table(results))
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
