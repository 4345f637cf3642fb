#!/usr/bin/python3
"""The check API of `onemap serve` under load, and a 10k-site batch against PostGIS.

    bench/serve_load.py [--seconds 10] [--connections 16] [--threads 2] [--server-threads 2]
                        [--batch DIR] [--runs 3] [--perf FILE]

Load: starts `onemap serve` on a free loopback port with the bundled sample plan, turns the
30 sample sites into 30 one-site GeoJSON bodies (EPSG:4326, ogr2ogr), and runs `wrk` for a
bounded time, each connection posting the sites in turn to /api/check. Prints checks/s, p50,
p99 and any non-200 answer (there should be none). --perf FILE records the server with
`perf record -g` while wrk runs.

Batch (--batch DIR, a folder made by onemap-sample-gen such as bench M: g60.toml, g60.gpkg,
sites.gpkg): a server loads DIR's plan once; the whole sites.gpkg is posted in one request
(median of --runs), its answer compared byte for byte with `onemap check --format json` on
the same file; then PostGIS answers bench/postgis_query.sql on the same data (bench/run.py's
private cluster and query, median of --runs), and the ratio is printed. Two plans are timed:
bench/plans/bench.toml.in on DIR (the four measures PostGIS computes) and DIR's own g60.toml
(every rule of the plan). Results: bench/results/serve-load.json.
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench_run  # noqa: E402  (bench/run.py: PostGIS cluster, query, timings)

ROOT = bench_run.ROOT
ONEMAP = bench_run.ONEMAP
SAMPLE = ROOT / "sample-data"
WRK = "/usr/bin/wrk"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """`onemap serve PLAN` on a free loopback port, until stop()."""

    def __init__(self, plan, threads, env=None):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([str(ONEMAP), "serve", str(plan), "--listen", f"127.0.0.1:{self.port}",
                                      "--threads", str(threads)], stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                sys.exit(f"serve_load: the server exited: {self.log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/info", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        sys.exit("serve_load: the server did not answer within 300 s")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def post(self, path, body):
        req = urllib.request.Request(self.url + path, data=body, method="POST")
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, r.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


def sample_bodies(work):
    """One GeoJSON FeatureCollection (EPSG:4326) per sample site, as the page would post."""
    whole = Path(work) / "sites.geojson"
    subprocess.run(["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", str(whole), str(SAMPLE / "sites.gpkg")],
                   check=True, capture_output=True)
    collection = json.loads(whole.read_text(encoding="utf-8"))
    bodies = []
    for feature in collection["features"]:
        one = {k: v for k, v in collection.items() if k != "features"}
        one["features"] = [feature]
        bodies.append(json.dumps(one, ensure_ascii=False))
    return bodies


def wrk_script(bodies, path):
    """A wrk Lua script posting the bodies in turn (each wrk thread from its own start)."""
    lines = ["local bodies = {"]
    for b in bodies:
        assert "]==]" not in b
        lines.append(f"[==[{b}]==],")
    lines += ["}",
              "local i = 0",
              "function setup(thread) thread:set('start', math.random(#bodies)) end",
              "function init(args) i = start or 0 end",
              "function request()",
              "  i = i % #bodies + 1",
              "  return wrk.format('POST', '/api/check', {['Content-Type'] = 'application/geo+json'}, bodies[i])",
              "end",
              "function done(summary, latency, requests)",
              "  io.write(string.format('LAT p50 %.3f p90 %.3f p99 %.3f max %.3f\\n', latency:percentile(50) / 1000,",
              "           latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))",
              "end"]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def load(args, work):
    bodies = sample_bodies(work)
    script = Path(work) / "check.lua"
    wrk_script(bodies, script)
    server = Server(SAMPLE / "g60.toml", args.server_threads,
                    env=dict(os.environ, XDG_CACHE_HOME=str(Path(work) / "cache")))
    try:
        # Every body once first: each answer 200 (and the day's map loaded before timing).
        for b in bodies:
            status, _ = server.post("/api/check", b.encode())
            assert status == 200, status
        perf = None
        if args.perf:
            perf = subprocess.Popen(["perf", "record", "-F", "250", "--call-graph", os.environ.get("PERF_CALLGRAPH", "fp"), "-o", args.perf, "-p", str(server.proc.pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = subprocess.run([WRK, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
                              "--timeout", "10s", "-s", str(script), server.url], capture_output=True, text=True)
        if perf:
            perf.send_signal(2)
            perf.wait()
    finally:
        server.stop()
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
    lat = re.search(r"LAT p50 ([\d.]+) p90 ([\d.]+) p99 ([\d.]+) max ([\d.]+)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {"checks_per_s": rps, "p50_ms": float(lat.group(1)), "p90_ms": float(lat.group(2)),
            "p99_ms": float(lat.group(3)), "max_ms": float(lat.group(4)), "non_200": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else "", "connections": args.connections,
            "wrk_threads": args.threads, "seconds": args.seconds, "loadavg_before": args.loadavg}


def batch_plan(data, work, kind):
    if kind == "g60":
        return Path(data) / "g60.toml"
    plan = Path(work) / "bench.toml"
    plan.write_text((ROOT / "bench" / "plans" / "bench.toml.in").read_text().replace("@DATA@", str(data)))
    return plan


def batch(args, work):
    data = Path(args.batch)
    sites = data / "sites.gpkg"
    body = sites.read_bytes()
    env = dict(os.environ, XDG_CACHE_HOME=str(Path(work) / "cache"))
    res = {"data": str(data), "sites_bytes": len(body), "plans": {}}
    for kind in ("bench", "g60"):
        plan = batch_plan(data, work, kind)
        cli_json = Path(work) / f"cli-{kind}.json"
        # The CLI reads a copy named as the client names its upload, so both name it alike.
        named = Path(work) / "sites.gpkg"
        named.write_bytes(body)
        cli = subprocess.run([str(ONEMAP), "check", str(plan), "sites.gpkg", "--format", "json", "--output",
                              str(cli_json)], env=env, capture_output=True, text=True, cwd=work)
        assert cli.returncode in (0, 1), cli.stderr
        server = Server(plan, args.server_threads, env=env)
        try:
            times, answer = [], b""
            for _ in range(args.runs):
                t0 = time.perf_counter()
                status, answer = server.post("/api/check?filename=sites.gpkg", body)
                times.append(time.perf_counter() - t0)
                assert status == 200, status
        finally:
            server.stop()
        expected = cli_json.read_bytes()
        res["plans"][kind] = {"plan": str(plan), "batch_s": statistics.median(times), "runs_s": times,
                              "equals_cli": answer == expected}
    pg = bench_run.PostGIS(tempfile.mkdtemp(prefix="onemap-serve-pg-"))
    try:
        db = "bm"
        subprocess.run(pg.psql + ["-d", "postgres", "-c", f"CREATE DATABASE b{db}"], check=True, capture_output=True)
        subprocess.run(pg.psql + ["-d", f"b{db}", "-c", "CREATE EXTENSION postgis"], check=True, capture_output=True)
        for src, layers in ((data / "g60.gpkg", ["farmland", "redline", "devbound", "rail"]), (sites, [])):
            subprocess.run(["ogr2ogr", "-overwrite", "-f", "PostgreSQL", pg.conn(f"b{db}"), str(src)] + layers +
                           ["-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST"], check=True, capture_output=True)
        subprocess.run(pg.psql + ["-d", f"b{db}", "-c", "VACUUM ANALYZE"], check=True, capture_output=True)
        q = bench_run.median_of(args.runs, lambda: bench_run.timed(bench_run.pg_query(pg, db.upper(), Path(work) / "pg.csv")))
        assert q["rc"] == 0, q["stderr"]
        res["postgis_query_s"] = q["wall_s"]
    finally:
        pg.stop()
    for kind, r in res["plans"].items():
        r["postgis_over_onemap"] = res["postgis_query_s"] / r["batch_s"]
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--server-threads", type=int, default=2, help="the server's I/O threads")
    ap.add_argument("--batch", help="a bench folder (g60.toml, g60.gpkg, sites.gpkg), e.g. /tmp/benchM")
    ap.add_argument("--no-load", action="store_true", help="the batch only")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--perf", help="perf record the server into this file while wrk runs")
    args = ap.parse_args()
    args.loadavg = open("/proc/loadavg").read().split()[:3]
    if not ONEMAP.exists():
        sys.exit(f"serve_load: {ONEMAP} is missing; build the onemap target")
    work = tempfile.mkdtemp(prefix="onemap-serve-load-")
    out = {"machine": {"nproc": os.cpu_count(), "loadavg_before": args.loadavg}}
    try:
        if not args.no_load:
            r = out["load"] = load(args, work)
            print(f"check API, one site a request, {r['connections']} connections, {r['seconds']} s: "
                  f"{r['checks_per_s']:.0f} checks/s, p50 {r['p50_ms']:.2f} ms, p90 {r['p90_ms']:.2f} ms, "
                  f"p99 {r['p99_ms']:.2f} ms, max {r['max_ms']:.1f} ms; non-200: {r['non_200']} "
                  f"{r['socket_errors']} (load average before: {' '.join(args.loadavg)})")
        if args.batch:
            b = out["batch"] = batch(args, work)
            for kind, r in b["plans"].items():
                print(f"batch of {Path(b['data']).name}/sites.gpkg in one request, plan {kind}: {r['batch_s']:.3f} s "
                      f"(median of {args.runs}); PostGIS query {b['postgis_query_s']:.2f} s; onemap serve "
                      f"{r['postgis_over_onemap']:.1f}× faster; answer == onemap check: {r['equals_cli']}")
    finally:
        subprocess.run(["rm", "-rf", work])
    results = ROOT / "bench" / "results" / "serve-load.json"
    results.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(f"written {results}")


if __name__ == "__main__":
    main()
