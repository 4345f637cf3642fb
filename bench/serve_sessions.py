#!/usr/bin/python3
"""`onemap serve` under load with accounts on (issue 36, "Under load").

    bench/serve_sessions.py [--accounts 100] [--seconds 10] [--rounds 2] [--perf FILE]

1. The check API with sessions off and on, same run, same machine: server A is `onemap serve`
   without --data (as bench/serve_load.py runs it); server B has --data DIR, and every wrk
   request carries a planner's session cookie and CSRF token, so each check goes through the
   session lookup, the CSRF check and the audit record. wrk posts the 30 sample sites in turn
   (bench/serve_load.py's bodies) at 4 and 16 connections, A and B alternately, --rounds times;
   the median round is reported. All answers must be 200; afterwards the audit trail must hold
   one "check" record per check answered (sqlite3 on DIR/bureau.sqlite, after the server has
   stopped) and `onemap audit verify --data DIR` must exit 0.
2. Sign-in: POST /api/login at the production Argon2id cost, once per account, sequentially and
   from 4 concurrent clients. The throttle allows 20 attempts per address then one per 6 s, so
   each attempt comes from its own loopback source address (127.x.y.z, all routed to lo).
3. 100 concurrent sessions: every account signed in, then one Python thread per session posts
   checks on its own keep-alive connection for --seconds; all must be 200, and every session
   must still be open afterwards.

Server CPU per check (utime + stime of all its threads over a run, /proc) is reported beside
checks/s: on a shared machine it moves far less than checks/s. So do the time the server's
threads waited for a core and how often they slept, per check (/proc/PID/task/*/schedstat,
status). --workdir /dev/shm puts the bureau on tmpfs (fsync then costs nothing).

Results: bench/results/serve-sessions.json and a short table. --perf FILE: `perf record -g`
each server during an extra 16-connection wrk run (FILE.off, FILE.on).
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench_run  # noqa: E402
import serve_load  # noqa: E402  (free_port, sample_bodies)

ROOT = bench_run.ROOT
ONEMAP = bench_run.ONEMAP
SAMPLE = ROOT / "sample-data"
WRK = "/usr/bin/wrk"
PASSWORD = "bench-Passw0rd-issue36"


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def source_address(block, n):
    """A loopback source address of its own for attempt n of block (1..)."""
    return (f"127.{block}.{n // 250}.{n % 250 + 2}", 0)


class Server:
    """`onemap serve` on a free loopback port (with --data DIR if given), until stop()."""

    def __init__(self, work, data=None, threads=2):
        self.port = serve_load.free_port()
        self.log = tempfile.TemporaryFile()
        cmd = [str(ONEMAP), "serve", str(SAMPLE / "g60.toml"), "--listen", f"127.0.0.1:{self.port}", "--threads",
               str(threads)]
        if data:
            cmd += ["--data", str(data)]
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(work) / "cache"))
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                sys.exit(f"serve_sessions: the server exited: {self.log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/info", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        sys.exit("serve_sessions: the server did not answer within 300 s")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def connection(self, source=None):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=source)

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=120)
        self.log.seek(0)
        return rc, self.log.read().decode(errors="replace")


def login(server, user, source):
    """Signs user in from source; returns (seconds, status, cookie, csrf)."""
    conn = server.connection(source)
    body = json.dumps({"user": user, "password": PASSWORD})
    t0 = time.perf_counter()
    conn.request("POST", "/api/login", body, {"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    dt = time.perf_counter() - t0
    conn.close()
    if r.status != 200:
        return dt, r.status, None, None
    cookie = r.getheader("Set-Cookie").split(";")[0]
    return dt, r.status, cookie, json.loads(data)["csrf_token"]


def make_accounts(data, names):
    t0 = time.perf_counter()
    for name in names:
        subprocess.run([str(ONEMAP), "user", "add", name, "--role", "planner", "--data", str(data),
                        "--password-stdin"], input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    return (time.perf_counter() - t0) / len(names)


def wrk_script(bodies, path, headers):
    lines = ["local bodies = {"]
    for b in bodies:
        assert "]==]" not in b
        lines.append(f"[==[{b}]==],")
    hdr = ", ".join(f"['{k}'] = '{v}'" for k, v in headers.items())
    lines += ["}",
              "local i = 0",
              f"local headers = {{{hdr}}}",
              "function setup(thread) thread:set('start', math.random(#bodies)) end",
              "function init(args) i = start or 0 end",
              "function request()",
              "  i = i % #bodies + 1",
              "  return wrk.format('POST', '/api/check', headers, bodies[i])",
              "end",
              "function done(summary, latency, requests)",
              "  io.write(string.format('LAT p50 %.3f p90 %.3f p99 %.3f max %.3f\\n', latency:percentile(50) / 1000,",
              "           latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))",
              "end"]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def cpu_seconds(pid):
    """The process's user + system CPU time so far (all its threads)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scheduling(pid):
    """Over all the process's threads: seconds waited for a CPU while runnable, and voluntary
    context switches (sleeps on a lock, a condition or I/O)."""
    wait, voluntary = 0, 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            wait += int((task / "schedstat").read_text().split()[1])
            status = (task / "status").read_text()
            voluntary += int(status.split("\nvoluntary_ctxt_switches:")[1].split()[0])
        except (OSError, IndexError):
            pass  # a thread that ended meanwhile
    return wait / 1e9, voluntary


def run_wrk(server, script, connections, seconds):
    cpu0 = cpu_seconds(server.proc.pid)
    sched0 = scheduling(server.proc.pid)
    out = subprocess.run([WRK, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s",
                          str(script), server.url], capture_output=True, text=True)
    cpu = cpu_seconds(server.proc.pid) - cpu0
    sched1 = scheduling(server.proc.pid)
    text = out.stdout
    answered = max(1, int(re.search(r"(\d+) requests in", text).group(1)))
    lat = re.search(r"LAT p50 ([\d.]+) p90 ([\d.]+) p99 ([\d.]+) max ([\d.]+)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {"checks_per_s": float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1)),
            "requests": int(re.search(r"(\d+) requests in", text).group(1)),
            "p50_ms": float(lat.group(1)), "p90_ms": float(lat.group(2)), "p99_ms": float(lat.group(3)),
            "max_ms": float(lat.group(4)), "non_200": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else "", "loadavg": loadavg(),
            "server_cpu_s": cpu, "server_cpu_ms_per_check": cpu * 1000 / answered,
            # On a shared machine: how long the server's threads waited for a core, per check, and
            # how often they slept (a lock, a condition, I/O) per check.
            "server_runq_wait_ms_per_check": (sched1[0] - sched0[0]) * 1000 / answered,
            "server_sleeps_per_check": (sched1[1] - sched0[1]) / answered}


def audit_checks(data):
    out = subprocess.run(["sqlite3", "-readonly", str(Path(data) / "bureau.sqlite"),
                          "SELECT count(*) FROM audit WHERE action = 'check'"], capture_output=True, text=True)
    return int(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def settled_audit_checks(data, timeout=15):
    """The audit's check count once the writer has caught up (unchanged for 1 s)."""
    last, since, deadline = None, time.time(), time.time() + timeout
    while time.time() < deadline:
        n = audit_checks(data)
        if n != last:
            last, since = n, time.time()
        elif time.time() - since >= 1.0:
            break
        time.sleep(0.2)
    return last


def check_load(args, work, data, bodies, planner):
    plain_script, session_script = Path(work) / "plain.lua", Path(work) / "session.lua"
    wrk_script(bodies, plain_script, {"Content-Type": "application/geo+json"})
    a = Server(work)
    b = Server(work, data)
    res = {"rounds": {}, "audit": {}}
    try:
        _, status, cookie, csrf = login(b, planner, source_address(9, 1))
        assert status == 200, status
        headers = {"Content-Type": "application/geo+json", "Cookie": cookie, "X-CSRF-Token": csrf}
        wrk_script(bodies, session_script, headers)
        for server, hdr in ((a, {}), (b, headers)):  # every body once: 200, and the day's map loaded
            for body in bodies:
                conn = server.connection()
                conn.request("POST", "/api/check", body.encode(), dict(hdr, **{"Content-Type": "application/geo+json"}))
                r = conn.getresponse()
                r.read()
                conn.close()
                assert r.status == 200, r.status
        answered = len(bodies)
        for c in args.connections:
            runs = {"off": [], "on": []}
            for _ in range(args.rounds):
                runs["off"].append(run_wrk(a, plain_script, c, args.seconds))
                before = settled_audit_checks(data)
                r = run_wrk(b, session_script, c, args.seconds)
                after = settled_audit_checks(data)
                r["audit_checks_added"] = after - before
                runs["on"].append(r)
                answered += r["requests"]
                print(f"  {c} connections: off {runs['off'][-1]['checks_per_s']:.0f}/s "
                      f"({runs['off'][-1]['server_cpu_ms_per_check']:.2f} CPU ms/check), on {r['checks_per_s']:.0f}/s "
                      f"({r['server_cpu_ms_per_check']:.2f} CPU ms/check, p99 {r['p99_ms']:.1f} ms) "
                      f"[waits for a core per check: off {runs['off'][-1]['server_runq_wait_ms_per_check']:.2f} ms, "
                      f"on {r['server_runq_wait_ms_per_check']:.2f} ms; sleeps per check: off "
                      f"{runs['off'][-1]['server_sleeps_per_check']:.2f}, on {r['server_sleeps_per_check']:.2f}] "
                      f"(wrk counted {r['requests']}, audit +{r['audit_checks_added']}; load {' '.join(r['loadavg'])})",
                      flush=True)
            res["rounds"][str(c)] = runs
        if args.perf:  # one extra 16-connection run per server, each recorded: FILE.off and FILE.on
            for label, server, script in (("off", a, plain_script), ("on", b, session_script)):
                perf = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-o", f"{args.perf}.{label}", "-p",
                                         str(server.proc.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
                r = run_wrk(server, script, 16, args.seconds)
                perf.send_signal(2)
                perf.wait()
                if label == "on":
                    answered += r["requests"]
                res[f"perf_run_{label}"] = r
                print(f"  perf run (16 connections, sessions {label}): {r['checks_per_s']:.0f}/s, "
                      f"{r['server_cpu_ms_per_check']:.2f} CPU ms/check -> {args.perf}.{label}", flush=True)
    finally:
        a.stop()
        rc, log = b.stop()
    total = audit_checks(data)
    verify = subprocess.run([str(ONEMAP), "audit", "verify", "--data", str(data)], capture_output=True, text=True)
    # wrk counts the answers it read before its time ran out; a request in flight at that moment
    # is answered (and recorded) but not counted: at most one per connection per run.
    in_flight = sum(c for c in args.connections) * args.rounds + (16 if args.perf else 0)
    res["audit"] = {"check_records": total, "checks_answered_counted_by_clients": answered,
                    "uncounted_in_flight_at_most": in_flight,
                    "one_record_per_check": answered <= total <= answered + in_flight,
                    "verify_rc": verify.returncode, "verify_out": (verify.stdout + verify.stderr).strip()[-400:],
                    "server_b_exit": rc}
    return res


def login_bench(server, names, block, clients):
    times, statuses, lock = [], [], threading.Lock()
    queue = list(enumerate(names))

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                n, name = queue.pop()
            dt, status, _, _ = login(server, name, source_address(block, n))
            with lock:
                times.append(dt)
                statuses.append(status)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"clients": clients, "attempts": len(times), "p50_ms": statistics.median(times) * 1000,
            "p99_ms": q[98] * 1000, "max_ms": max(times) * 1000, "logins_per_s": len(times) / wall,
            "non_200": sum(1 for s in statuses if s != 200), "loadavg": loadavg()}


def many_sessions(server, names, bodies, seconds, block):
    sessions = []
    for n, name in enumerate(names):
        _, status, cookie, csrf = login(server, name, source_address(block, n))
        assert status == 200, (name, status)
        sessions.append((cookie, csrf))
    stop_at = [0.0]
    statuses, times, lock = {}, [], threading.Lock()
    start = threading.Barrier(len(sessions) + 1)

    def client(i, cookie, csrf):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        hdr = {"Content-Type": "application/geo+json", "Cookie": cookie, "X-CSRF-Token": csrf}
        local_status, local_times, k = {}, [], i
        start.wait()
        while time.perf_counter() < stop_at[0]:
            body = bodies[k % len(bodies)].encode()
            k += 1
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/check", body, hdr)
                r = conn.getresponse()
                r.read()
                status = r.status
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            local_times.append((status, time.perf_counter() - t0))
            local_status[status] = local_status.get(status, 0) + 1
        conn.close()
        with lock:
            times.extend(local_times)
            for s, c in local_status.items():
                statuses[str(s)] = statuses.get(str(s), 0) + c

    threads = [threading.Thread(target=client, args=(i, c, t)) for i, (c, t) in enumerate(sessions)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    start.wait()
    for t in threads:
        t.join()
    # Every session still open: a read that needs a planner answers 200 with each cookie.
    still_open = 0
    for cookie, _ in sessions:
        conn = server.connection()
        conn.request("GET", "/api/audit?limit=1", headers={"Cookie": cookie})
        r = conn.getresponse()
        r.read()
        conn.close()
        still_open += r.status == 200
    answered = [dt for status, dt in times if status == 200] or [0.0, 0.0]
    q = statistics.quantiles(answered, n=100, method="inclusive")
    # A 503 here is the server's queue of requests waiting for a worker (ServerLimits::queuedRequests,
    # 64) being full: 100 connections each with a request in flight on 2 workers.
    return {"sessions": len(sessions), "seconds": seconds, "requests": len(times), "statuses": statuses,
            "checks_200_per_s": statuses.get("200", 0) / seconds, "all_answers_per_s": len(times) / seconds,
            "p50_ms_200": statistics.median(answered) * 1000, "p99_ms_200": q[98] * 1000,
            "sessions_still_open": still_open, "loadavg": loadavg()}


def median_run(runs):
    return sorted(runs, key=lambda r: r["checks_per_s"])[len(runs) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2, help="A/B rounds per connection count (median reported)")
    ap.add_argument("--connections", type=int, nargs="+", default=[4, 16])
    ap.add_argument("--perf", help="perf record each server during an extra 16-connection run into FILE.off and FILE.on")
    ap.add_argument("--workdir", help="where the bureau folder and temporary files go (default: $TMPDIR); "
                    "/dev/shm takes fsync out of the measurement")
    ap.add_argument("--skip-load", action="store_true", help="only sign-in and the concurrent sessions")
    args = ap.parse_args()
    if not ONEMAP.exists():
        sys.exit(f"serve_sessions: {ONEMAP} is missing; build the onemap target")
    out = {"machine": {"nproc": os.cpu_count(), "loadavg_before": loadavg()}}
    work = tempfile.mkdtemp(prefix="onemap-serve-sessions-", dir=args.workdir)
    out["machine"]["workdir"] = work
    try:
        data = Path(work) / "bureau"
        names = [f"planner{n:03d}" for n in range(args.accounts)]
        print(f"making {len(names) + 1} planner accounts (load {' '.join(loadavg())}) ...", flush=True)
        out["user_add_s_each"] = make_accounts(data, ["loadplanner"] + names)
        bodies = serve_load.sample_bodies(work)
        if not args.skip_load:
            print("check API, sessions off (A) and on (B):", flush=True)
            out["check_api"] = check_load(args, work, data, bodies, "loadplanner")
        server = Server(work, data)
        try:
            print("sign-in ...", flush=True)
            out["login"] = {"sequential": login_bench(server, names, 10, 1),
                            "concurrent_4": login_bench(server, names, 11, 4)}
            print(f"{len(names)} concurrent sessions ...", flush=True)
            out["sessions_100"] = many_sessions(server, names, bodies, args.seconds, 12)
        finally:
            rc, log = server.stop()
            out["sessions_server_exit"] = rc
        verify = subprocess.run([str(ONEMAP), "audit", "verify", "--data", str(data)], capture_output=True, text=True)
        out["final_verify_rc"] = verify.returncode
    finally:
        subprocess.run(["rm", "-rf", work])
    out["machine"]["loadavg_after"] = loadavg()
    report(out)
    results = ROOT / "bench" / "results" / "serve-sessions.json"
    results.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(f"written {results}")


def report(out):
    print(f"\nload average before {' '.join(out['machine']['loadavg_before'])}, "
          f"after {' '.join(out['machine']['loadavg_after'])}; {out['machine']['nproc']} cores")
    if "check_api" in out:
        out["summary"] = {}
        print("| connections | sessions | checks/s | p50 ms | p99 ms | server CPU ms/check | non-200 |")
        print("|---:|---|---:|---:|---:|---:|---:|")
        for c, runs in out["check_api"]["rounds"].items():
            off, on = median_run(runs["off"]), median_run(runs["on"])
            for label, r in (("off", off), ("on", on)):
                print(f"| {c} | {label} | {r['checks_per_s']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                      f"{r['server_cpu_ms_per_check']:.2f} | {r['non_200']} |")
            slower = 1 - on["checks_per_s"] / off["checks_per_s"]
            out["summary"][c] = {"off_checks_per_s": off["checks_per_s"], "on_checks_per_s": on["checks_per_s"],
                                 "on_slower_by": slower, "p99_on_over_off": on["p99_ms"] / off["p99_ms"]}
            # CPU per check, the median over every round: the figure the machine's noise moves least.
            cpu_off = statistics.median(r["server_cpu_ms_per_check"] for r in runs["off"])
            cpu_on = statistics.median(r["server_cpu_ms_per_check"] for r in runs["on"])
            cpu = cpu_on / cpu_off
            out["summary"][c].update({"cpu_ms_per_check_off": cpu_off, "cpu_ms_per_check_on": cpu_on})
            out["summary"][c]["cpu_per_check_on_over_off"] = cpu
            print(f"|   | on vs off | {-slower * 100:+.1f} % | | ×{on['p99_ms'] / off['p99_ms']:.2f} | "
                  f"{cpu_off:.2f} → {cpu_on:.2f} (×{cpu:.2f}, median of rounds) | |")
        a = out["check_api"]["audit"]
        print(f"audit: {a['check_records']} check records for {a['checks_answered_counted_by_clients']} checks "
              f"counted by the clients (+ at most {a['uncounted_in_flight_at_most']} in flight): "
              f"{'one per check' if a['one_record_per_check'] else 'MISMATCH'}; audit verify exit {a['verify_rc']}")
    for label, r in out["login"].items():
        print(f"login {label}: p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms, "
              f"{r['logins_per_s']:.1f}/s over {r['attempts']} accounts, non-200 {r['non_200']}")
    s = out["sessions_100"]
    print(f"{s['sessions']} sessions for {s['seconds']} s: {s['requests']} answers, {s['checks_200_per_s']:.0f} checks/s "
          f"answered 200 (p50 {s['p50_ms_200']:.1f} ms, p99 {s['p99_ms_200']:.1f} ms), statuses {s['statuses']}, "
          f"still open {s['sessions_still_open']}/{s['sessions']}; audit verify at the end exit "
          f"{out['final_verify_rc']}; user add {out['user_add_s_each']:.2f} s each")


if __name__ == "__main__":
    main()
