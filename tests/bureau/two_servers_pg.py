#!/usr/bin/env python3
"""Two `onemap serve --db` processes on one PostgreSQL + PostGIS (issue 36): approvers on both
servers approve overlapping sites at once, which together exceed the cities' quotas. PostGIS is
the oracle afterwards: no two approved sites overlap, no quota is overspent, every approval has
exactly one register row, the audit chain verifies. Then again with one server SIGKILLed in the
middle, and with PostgreSQL restarted in the middle: clients get 503 or a lost connection, and a
retry succeeds. Run by two_servers_pg.sh (which starts the cluster); stdlib only."""
import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ONEMAP, SAMPLE, PG_PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
PSQL = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
        str(PG_PORT), "-U", "postgres", "-d", "bureau"]
RESTART = os.environ["PG_RESTART"].split("\x1f")
URL = f"postgresql://onemap@127.0.0.1:{PG_PORT}/bureau"
M2_PER_MU = 10000.0 / 15.0
QUOTA_MU = {"合肥市": 150.0, "芜湖市": 60.0, "宣城市": 60.0}  # small: the sites exceed them
THREADS = 8
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def sql(text):
    return subprocess.run(PSQL + ["-c", text], check=True, capture_output=True,
                          text=True).stdout.strip()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def request(port, method, path, body=b"", headers=None, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read(), r.getheader("set-cookie")
    finally:
        c.close()


class Server:
    def __init__(self, plan, log):
        self.port = free_port()
        self.log = open(log, "ab")
        self.proc = subprocess.Popen(
            [ONEMAP, "serve", plan, "--db", URL, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=self.log)
        for _ in range(300):
            try:
                if request(self.port, "GET", "/api/info", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"serve exited {self.proc.returncode}; see {log}")
            time.sleep(0.1)
        raise SystemExit("serve did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


def login(port, user):
    status, body, cookie = request(port, "POST", "/api/login",
                                   json.dumps({"user": user, "password": "a long password " + user}))
    assert status == 200, (status, body)
    return {"Cookie": cookie.split(";")[0], "X-CSRF-Token": json.loads(body)["csrf_token"]}


def square(x, y, size):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def submit_grid(port, sessions, prefix, origin, cols, rows, city):
    """cols × rows squares of 100 m, 80 m apart: each overlaps its neighbours. Submitted by the
    enterprises of `sessions` in turn (an account has at most 100 submissions pending)."""
    ids = queue.Queue()
    jobs = [(i, j) for j in range(rows) for i in range(cols)]
    out = []
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not jobs:
                    return
                i, j = jobs.pop()
            session = sessions[(j * cols + i) % len(sessions)]
            site = f"{prefix}-{j:02d}-{i:02d}"
            fc = {"type": "FeatureCollection",
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}},
                  "features": [{"type": "Feature", "properties": {"id": site, "name": site},
                                "geometry": square(origin[0] + 80 * i, origin[1] + 80 * j, 100)}]}
            status, body, _ = request(port, "POST", f"/api/submissions?filename={site}.geojson",
                                      json.dumps(fc).encode(), session)
            if status != 200:
                fail(f"submit {site}: {status} {body[:200]}")
                continue
            answer = json.loads(body)
            admin = answer["check"]["sites"][0].get("admin", [])
            if admin != [city]:
                fail(f"submit {site}: lies in {admin}, not {city}")
            with lock:
                out.append(answer["id"])

    ts = [threading.Thread(target=work) for _ in range(THREADS)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return sorted(out)


class Round:
    """Approvers on every server take submissions from one queue; a 503 or a lost connection is
    retried (on another server when its own is gone)."""

    def __init__(self, name, servers, sessions, ids):
        self.name, self.servers, self.sessions = name, servers, sessions
        self.todo = queue.Queue()
        for i in ids:
            self.todo.put(i)
        self.total = len(ids)
        self.done = 0
        self.approved, self.refused, self.retries = [], [], 0
        self.lock = threading.Lock()

    def approve(self, home, sid):
        order = [home] + [k for k in range(len(self.servers)) if k != home]
        deadline = time.time() + 60
        while time.time() < deadline:
            for k in order:
                if self.servers[k].proc.poll() is not None:
                    continue
                try:
                    status, body, _ = request(self.servers[k].port, "POST",
                                              f"/api/submissions/{sid}/approve",
                                              json.dumps({"reason": "round " + self.name}),
                                              self.sessions[k])
                except OSError:
                    status, body = None, b""
                if status == 200:
                    return "approved"
                if status == 409:
                    answer = json.loads(body)
                    if "already" in answer.get("error", ""):
                        return "approved"  # an attempt that failed to answer had committed
                    if not answer.get("refusals") or not all(answer["refusals"]):
                        fail(f"{self.name}: 409 without reasons for {sid}: {body[:300]}")
                    return "refused"
                if status not in (None, 503, 502):
                    fail(f"{self.name}: approve {sid}: {status} {body[:300]}")
                    return "error"
                with self.lock:
                    self.retries += 1
                time.sleep(0.3)
                break  # retry from the home server (it may be back), else the next
            else:
                time.sleep(0.3)
        fail(f"{self.name}: approve {sid}: no server answered within 60 s")
        return "error"

    def run(self, interrupt=None):
        def client(home):
            while True:
                try:
                    sid = self.todo.get_nowait()
                except queue.Empty:
                    return
                got = self.approve(home, sid)
                with self.lock:
                    (self.approved if got == "approved" else self.refused).append(sid)
                    self.done += 1

        started = time.time()
        ts = [threading.Thread(target=client, args=(k,)) for k in range(len(self.servers))
              for _ in range(THREADS)]
        [t.start() for t in ts]
        if interrupt:
            while self.done < self.total // 3:
                time.sleep(0.02)
            interrupt()
        [t.join() for t in ts]
        took = time.time() - started
        print(f"{self.name}: {self.total} submissions, {len(self.approved)} approved, "
              f"{len(self.refused)} refused, {self.retries} retries, {took:.1f} s "
              f"({self.total / took:.1f} decisions/s)", flush=True)


def oracle(name, cities):
    """PostGIS, not onemap, says whether the register keeps the rules."""
    bad_pairs = sql("SELECT count(*) FROM onemap_bureau.register a JOIN onemap_bureau.register b "
                    "ON a.fid < b.fid AND ST_Intersects(a.geom, b.geom) "
                    "WHERE ST_Area(ST_Intersection(a.geom, b.geom)) > 0.01")
    if bad_pairs != "0":
        fail(f"{name}: {bad_pairs} pairs of approved sites overlap by more than 0.01 m²")
    for city in cities:
        # The rule's figure (the quota in mu) minus the approved areas the register records;
        # and PostGIS's own planar area of the same rows, which must agree closely.
        row = sql("SELECT coalesce(sum(r.area_m2), 0), coalesce(sum(ST_Area(r.geom)), 0), "
                  "count(*) FROM onemap_bureau.register r JOIN city c ON "
                  f"ST_Within(ST_PointOnSurface(r.geom), c.geom) WHERE c.name = '{city}'")
        recorded, planar, n = (float(v) for v in row.split("|"))
        left = QUOTA_MU[city] * M2_PER_MU - recorded
        print(f"{name}: {city}: {int(n)} approved, {recorded:.1f} m² drawn, "
              f"{left:.1f} m² of quota left", flush=True)
        if left < -0.01:
            fail(f"{name}: {city}'s quota overspent by {-left:.2f} m²")
        if n and abs(planar - recorded) > 0.01 * recorded:
            fail(f"{name}: {city}: register area_m2 {recorded} vs PostGIS {planar}")
        if n == 0:
            fail(f"{name}: {city}: nothing approved")
    lonely = sql("SELECT count(*) FROM onemap_bureau.submissions s WHERE s.state = 'approved' "
                 "AND (SELECT count(*) FROM onemap_bureau.register r "
                 "WHERE r.submission = s.id) <> 1")
    stray = sql("SELECT count(*) FROM onemap_bureau.register r LEFT JOIN "
                "onemap_bureau.submissions s ON s.id = r.submission "
                "WHERE s.state IS DISTINCT FROM 'approved'")
    if lonely != "0" or stray != "0":
        fail(f"{name}: half-written approvals: {lonely} approved without exactly one register "
             f"row, {stray} register rows without an approval")
    states = sql("SELECT string_agg(DISTINCT state, ',') FROM onemap_bureau.submissions")
    if set(states.split(",")) - {"approved", "pending"}:
        fail(f"{name}: unexpected states {states}")
    verify = subprocess.run([ONEMAP, "audit", "verify", "--db", URL], capture_output=True,
                            text=True)
    if verify.returncode != 0:
        fail(f"{name}: audit verify exited {verify.returncode}: {verify.stdout}{verify.stderr}")


def check_round(name, rnd, ids):
    approved = set(int(x) for x in sql(
        "SELECT coalesce(string_agg(id::text, ','), '') FROM onemap_bureau.submissions "
        f"WHERE state = 'approved' AND id BETWEEN {min(ids)} AND {max(ids)}").split(",") if x)
    if approved != set(rnd.approved):
        fail(f"{name}: approved in the store {sorted(approved - set(rnd.approved))[:5]}… "
             f"vs answered {sorted(set(rnd.approved) - approved)[:5]}…")


def main():
    work = tempfile.mkdtemp(prefix="onemap-two-servers-")
    city = os.path.join(work, "city.gpkg")
    subprocess.run(["ogr2ogr", "-f", "GPKG", city, os.path.join(SAMPLE, "g60.gpkg"), "city"],
                   check=True)
    for name, mu in QUOTA_MU.items():
        subprocess.run(["ogrinfo", "-q", city, "-dialect", "SQLite", "-sql",
                        f"UPDATE city SET land_quota_mu = {mu} WHERE name = '{name}'"],
                       check=True, capture_output=True)
    # The oracle's copy of the cities, in PostGIS.
    subprocess.run(["ogr2ogr", "-f", "PostgreSQL",
                    f"PG:host=127.0.0.1 port={PG_PORT} dbname=bureau user=postgres", city, "city",
                    "-nln", "city", "-lco", "GEOMETRY_NAME=geom"], check=True)
    origins = {}
    for name in QUOTA_MU:
        p = sql(f"SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(ST_Buffer(geom, -3000)) "
                f"c FROM city WHERE name = '{name}') q")
        origins[name] = tuple(float(v) for v in p.split("|"))
    plan = os.path.join(work, "plan.toml")
    with open(plan, "w") as f:
        f.write(f"""name = "two servers, one register"
crs = "EPSG:4549"

[[layers]]
id = "city"
title = "city"
source = "city.gpkg"
table = "city"
role = "admin"
label = "name"
id_field = "adcode"

[[layers]]
id = "approved"
title = "approved"
source = "PG:host=127.0.0.1 port={PG_PORT} dbname=bureau user=onemap"
table = "onemap_bureau.register"
id_field = "project_id"
date_field = "approved"

[[rules]]
id = "no-approved"
title = "no overlap with approved projects"
kind = "must_not_overlap"
layer = "approved"

[[rules]]
id = "land-quota"
title = "land quota"
kind = "quota"
admin = "city"
quota_field = "land_quota_mu"
register = "approved"
""")
    for user, role, cities in (("shen", "approver", "合肥市,芜湖市,宣城市"),
                               ("qiye", "enterprise", ""), ("qiye2", "enterprise", ""),
                               ("qiye3", "enterprise", "")):
        args = [ONEMAP, "user", "add", user, "--role", role, "--password-stdin", "--db", URL]
        if cities:
            args += ["--city", cities]
        subprocess.run(args, input="a long password " + user + "\n", text=True, check=True)

    logs = os.path.join(work, "serve.log")
    servers = [Server(plan, logs), Server(plan, logs)]
    try:
        # Refused submissions stay pending: the 200 of round 1 come from two accounts.
        enterprise = [login(servers[0].port, "qiye")]
        enterprises = [login(servers[0].port, "qiye2"), login(servers[0].port, "qiye3")]
        approvers = [login(s.port, "shen") for s in servers]

        # Another server's ordinary check sees an approval made on this one (the register
        # watch): approve a lone site on server 0, then check it on server 1.
        lone = submit_grid(servers[0].port, enterprise, "LONE",
                           (origins["合肥市"][0] - 5000, origins["合肥市"][1]), 1, 1, "合肥市")
        status, body, _ = request(servers[0].port, "POST", f"/api/submissions/{lone[0]}/approve",
                                  b"{}", approvers[0])
        approved_at = time.time()
        if status == 200:
            site = json.loads(bytes.fromhex(sql(
                f"SELECT encode(site_bytes, 'hex') FROM onemap_bureau.submissions "
                f"WHERE id = {lone[0]}")).decode())
            site["features"][0]["properties"]["id"] = "AGAIN"
            seen = None
            deadline = time.time() + 10
            while time.time() < deadline:
                s2, b2, _ = request(servers[1].port, "POST", "/api/check?filename=again.geojson",
                                    json.dumps(site).encode())
                verdicts = {r["id"]: r["verdict"] for r in json.loads(b2)["sites"][0]["rules"]}
                if verdicts.get("no-approved") == "fail":
                    seen = time.time()
                    break
                time.sleep(0.2)
            if not seen:
                fail("server 1 did not see server 0's approval within 10 s")
            else:
                print(f"server 1 saw server 0's approval after {seen - approved_at:.2f} s",
                      flush=True)
        else:
            fail(f"lone approval: {status} {body[:300]}")

        # Round 1: 200 overlapping sites in Hefei, 8 approvers on each server.
        ids = submit_grid(servers[0].port, enterprises, "HF", origins["合肥市"], 20, 10, "合肥市")
        if len(ids) != 200:
            fail(f"submitted {len(ids)} of 200")
        r1 = Round("two servers", servers, approvers, ids)
        r1.run()
        check_round("two servers", r1, ids)
        oracle("two servers", ["合肥市"])

        # Round 2: one server SIGKILLed a third of the way through.
        ids = submit_grid(servers[0].port, enterprise, "WH", origins["芜湖市"], 6, 4, "芜湖市")
        r2 = Round("server killed", servers, approvers, ids)
        r2.run(lambda: os.kill(servers[1].proc.pid, signal.SIGKILL))
        servers[1].proc.wait()
        check_round("server killed", r2, ids)
        oracle("server killed", ["合肥市", "芜湖市"])
        servers[1] = Server(plan, logs)
        approvers[1] = login(servers[1].port, "shen")

        # Round 3: PostgreSQL restarted a third of the way through.
        ids = submit_grid(servers[0].port, enterprise, "XC", origins["宣城市"], 6, 4, "宣城市")
        r3 = Round("PostgreSQL restarted", servers, approvers, ids)
        r3.run(lambda: subprocess.run(RESTART, check=True, capture_output=True))
        check_round("PostgreSQL restarted", r3, ids)
        oracle("PostgreSQL restarted", ["合肥市", "芜湖市", "宣城市"])
        if r3.retries == 0:
            print("note: no client saw the restart (every request fell outside it)")
    finally:
        for s in servers:
            s.stop()
        if failures:
            print(open(logs, errors="replace").read()[-4000:])
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("ok")


main()
