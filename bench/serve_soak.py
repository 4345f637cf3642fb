#!/usr/bin/env python3
"""bench/serve_soak.py — `onemap serve` under a mixed load for a while: is its memory flat?

Starts `onemap serve PLAN` on a free loopback port and keeps CLIENTS connections busy for
MINUTES with what a bureau's planners send at once: tiles of every polygon and line layer at
zooms 6-14 anywhere in the plan's extent (a tenth of them as of an earlier day), one-site
checks (the plan's own sample sites as GeoJSON, and a 国土 TXT), site search, a layer's
changes, /api/info and a GeoJSON export. Every answer's status is counted; anything but
200/204/304 is a failure. The server's RSS (/proc/PID/status VmRSS) is sampled every 10 s.

Flat means: after each minute of load the clients pause, the requests in flight finish, and
30 s later (past jemalloc's decay) the RSS at rest is read; after the warm-up (the tile cache
filling, an earlier day's layers read) the mean RSS at rest of the last third of the minutes is within 5 % of the
first third's (single readings scatter: the allocator keeps a varying part of what a burst
freed). The RSS under load (working memory of the requests running) is printed beside. The tile cache is bounded (256 MB by
default), so a browse that keeps asking new tiles lets RSS climb to that bound and stop there.

usage: bench/serve_soak.py [--onemap build/cli/onemap] [--plan PLAN] [--minutes 10]
                           [--warmup 2] [--clients 8] [--out bench/results/soak.json]
"""
import argparse
import http.client
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time

REST_S = 30  # jemalloc returns freed pages over ~10 s (dirty, then muzzy decay): wait well past it
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tile_of(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def sample_sites(plan_dir):
    """The plan's sites as one-feature GeoJSON bodies (EPSG:4326), via GDAL's ogr2ogr."""
    src = os.path.join(plan_dir, "sites.gpkg")
    if not os.path.exists(src):
        return []
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "sites.geojson")
        subprocess.run(["ogr2ogr", "-t_srs", "EPSG:4326", "-lco", "RFC7946=YES", out, src],
                       check=True, capture_output=True)
        fc = json.load(open(out, encoding="utf-8"))
    bodies = []
    for f in fc["features"][:200]:
        one = {"type": "FeatureCollection", "features": [f]}
        bodies.append(json.dumps(one, ensure_ascii=False).encode())
    return bodies


class Load:
    def __init__(self, port, info, sites, txt, dates):
        self.port, self.sites, self.txt, self.dates = port, sites, txt, dates
        self.layers = [l["id"] for l in info["layers"]
                       if l.get("extent_wgs84") and l.get("geometry") and "Point" not in l["geometry"]]
        self.diff_layer = next((l["id"] for l in info["layers"] if len(l.get("versions") or []) > 1),
                               None)
        self.export_layer = min((l for l in info["layers"] if l.get("extent_wgs84")),
                                key=lambda l: l["count"])["id"]
        self.extent = info["extent_wgs84"]
        self.counts, self.failures = {}, []
        self.lock = threading.Lock()
        self.stop = False
        self.gate = threading.Event()  # set: clients send; clear: they finish and wait
        self.gate.set()
        self.inflight = 0

    def request(self, rnd):
        r = rnd.random()
        if r < 0.60:
            z = rnd.randint(6, 14)
            lon = rnd.uniform(self.extent[0], self.extent[2])
            lat = rnd.uniform(self.extent[1], self.extent[3])
            x, y = tile_of(lon, lat, z)
            q = f"?as_of={self.dates[0]}" if rnd.random() < 0.1 else ""
            return "tile", "GET", f"/tiles/{rnd.choice(self.layers)}/{z}/{x}/{y}.mvt{q}", None
        if r < 0.85 and self.sites:
            return "check", "POST", "/api/check", rnd.choice(self.sites)
        if r < 0.90 and self.txt:
            return "check_txt", "POST", "/api/check?filename=site.txt", self.txt
        if r < 0.93:
            return "find", "POST", "/api/find", b'{"area_mu": 300}'
        if r < 0.96 and self.diff_layer:
            return "diff", "GET", f"/api/diff?layer={self.diff_layer}&from={self.dates[0]}", None
        if r < 0.98:
            return "info", "GET", "/api/info", None
        return "export", "GET", f"/api/export?layer={self.export_layer}&format=geojson", None

    def client(self, seed):
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        while not self.stop:
            self.gate.wait()
            with self.lock:
                self.inflight += 1
            kind, method, path, body = self.request(rnd)
            headers = {"Accept-Encoding": "gzip"}
            status = None
            for attempt in (1, 2):
                try:
                    conn.request(method, path, body=body, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                    break
                except (OSError, http.client.HTTPException) as e:
                    # The server closes a keep-alive connection left idle past its timeout (as
                    # after a pause): a client sends again once on a new connection.
                    status = f"{type(e).__name__}"
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            with self.lock:
                key = (kind, status)
                self.counts[key] = self.counts.get(key, 0) + 1
                if status not in (200, 204, 304) and len(self.failures) < 20:
                    self.failures.append(f"{status} {method} {path}")
                self.inflight -= 1
        conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onemap", default=os.path.join(ROOT, "build/cli/onemap"))
    ap.add_argument("--plan", default=os.path.join(ROOT, "sample-data/g60.toml"))
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/soak.json"))
    a = ap.parse_args()

    plan_dir = os.path.dirname(os.path.abspath(a.plan))
    txt_path = os.path.join(plan_dir, "surveys/P-012.txt")
    txt = open(txt_path, "rb").read() if os.path.exists(txt_path) else None
    sites = sample_sites(plan_dir)

    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="onemap-serve-", suffix=".log", delete=False)
    server = subprocess.Popen([a.onemap, "serve", a.plan, "--listen", f"127.0.0.1:{port}"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/api/info")
                info = json.loads(conn.getresponse().read())
                conn.close()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("onemap serve exited: " + open(log.name).read())
                time.sleep(0.5)
        else:
            sys.exit("onemap serve did not answer in 300 s")
        rss_loaded = rss_kb(server.pid)
        load = Load(port, info, sites, txt, ["2022-06-01"])
        # Priming: every structure the server builds on first ask (a layer's tile index, on
        # each day; an earlier day's layers; find's free land; the overlap flags) is built
        # before the clock starts, so what the floor shows afterwards is what requests leave.
        prime = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for layer in info["layers"]:
            if not layer.get("extent_wgs84"):
                continue
            e = layer["extent_wgs84"]
            x, y = tile_of((e[0] + e[2]) / 2, (e[1] + e[3]) / 2, 10)
            for q in ("", f"?as_of={load.dates[0]}"):
                prime.request("GET", f"/tiles/{layer['id']}/10/{x}/{y}.mvt{q}")
                prime.getresponse().read()
        for kind_seed in range(40):
            kind, method, path, body = load.request(random.Random(kind_seed))
            if kind != "tile":
                prime.request(method, path, body=body)
                prime.getresponse().read()
        prime.close()
        rss_primed = rss_kb(server.pid)
        threads = [threading.Thread(target=load.client, args=(i,)) for i in range(a.clients)]
        t0 = time.time()
        for t in threads:
            t.start()
        samples, at_rest = [], []
        for minute in range(1, int(round(a.minutes)) + 1):
            while time.time() - t0 < minute * 60 - 1:
                time.sleep(10 - (time.time() - t0) % 10)
                with load.lock:
                    done = sum(load.counts.values())
                samples.append({"s": round(time.time() - t0),
                                "rss_mb": round(rss_kb(server.pid) / 1024, 1), "requests": done})
                print(f"{samples[-1]['s']:5d} s  RSS {samples[-1]['rss_mb']:8.1f} MB  {done} requests",
                      flush=True)
            # At rest: the clients finish what they sent and wait; after jemalloc's 10 s decay
            # the RSS is what the server keeps, not what running requests hold.
            load.gate.clear()
            while True:
                with load.lock:
                    if load.inflight == 0:
                        break
                time.sleep(0.05)
            time.sleep(REST_S)
            at_rest.append({"minute": minute, "rss_mb": round(rss_kb(server.pid) / 1024, 1)})
            print(f"  minute {minute:2d}: at rest {at_rest[-1]['rss_mb']:.1f} MB", flush=True)
            t0 += REST_S  # the rest does not count as load time
            load.gate.set()
        load.stop = True
        for t in threads:
            t.join()
        alive = server.poll() is None
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()

    # Heavy requests (find, diff, a check's overlay) hold working memory while they run, so a
    # sample under load lands anywhere between the resting size and a few requests' peaks. A
    # leak shows at rest: after each minute of load the clients pause and the RSS is read once
    # the requests are done and the allocator has returned what they freed.
    rested = [r["rss_mb"] for r in at_rest if r["minute"] > a.warmup]
    peaks = [s["rss_mb"] for s in samples if s["s"] >= a.warmup * 60]
    base = rested[0] if rested else float("nan")
    drift = max(abs(f - base) for f in rested) / base if rested else float("nan")
    # The allocator does not give back the same pages each time (jemalloc keeps some of what a
    # burst freed), so single readings at rest scatter; a leak is a trend: the mean of the last
    # third of the minutes against the first third's.
    third = max(1, len(rested) // 3)
    first_mean = sum(rested[:third]) / third if rested else float("nan")
    last_mean = sum(rested[-third:]) / third if rested else float("nan")
    trend = (last_mean - first_mean) / first_mean if rested else float("nan")
    by_kind = {}
    for (kind, status), n in sorted(load.counts.items(), key=str):
        by_kind.setdefault(kind, {})[str(status)] = n
    bad = sum(n for (k, s), n in load.counts.items() if s not in (200, 204, 304))
    result = {"plan": a.plan, "minutes": a.minutes, "warmup_minutes": a.warmup,
              "clients": a.clients, "rss_loaded_mb": round(rss_loaded / 1024, 1),
              "rss_primed_mb": round(rss_primed / 1024, 1),
              "rss_at_rest_mb": at_rest, "rss_at_rest_after_warmup_mb": base,
              "rss_under_load_max_mb": max(peaks, default=None), "rss_end_mb": samples[-1]["rss_mb"] if samples else None,
              "rss_max_mb": max(s["rss_mb"] for s in samples) if samples else None,
              "drift_after_warmup": round(drift, 4),
              "trend_last_vs_first_third": round(trend, 4), "requests": by_kind, "bad_answers": bad,
              "first_failures": load.failures, "server_alive_at_end": alive,
              "server_exit": server.returncode, "server_log": log.name, "samples": samples}
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, ensure_ascii=False))
    flat = abs(trend) <= 0.05
    print(f"RSS at rest {'flat' if flat else 'NOT flat'}: the last third of the minutes "
          f"{trend * 100:+.1f} % against the first third ({first_mean:.1f} → {last_mean:.1f} MB; "
          f"single minutes {min(rested, default=0):.0f}-{max(rested, default=0):.0f} MB; under load "
          f"up to {max(peaks, default=0):.0f} MB); "
          f"{bad} bad answers; server exit {server.returncode}")
    sys.exit(0 if flat and bad == 0 and alive and server.returncode == 0 else 1)


if __name__ == "__main__":
    main()
