"""Benchmark threaded WSGI servers (waitress, gunicorn gthread, granian) embedded from Python."""

# Usage:  python bench/wsgi_servers.py [--duration 10] [--rounds 3] [--only waitress,gunicorn,granian]
# Needs Linux (/proc, taskset) and wrk on PATH; the servers come from the current interpreter.
# Each server is started *programmatically* from a child copy of this script
# (`--serve NAME`), the same way `vendor-sandbox serve` would embed it, so the
# startup time and process layout measured here are the ones the CLI would get.

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"  # loopback only
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
SERVER_CPU, CLIENT_CPU = "0", "1"  # keep server and load generator off each other's core

# (server, threads, granian runtime threads) -- threads = gthread/waitress/granian blocking threads
CONFIGS = [
    ("waitress", 4, None), ("waitress", 8, None), ("waitress", 16, None),
    ("gunicorn", 4, None), ("gunicorn", 8, None), ("gunicorn", 16, None),
    ("granian", 4, 1), ("granian", 8, 1), ("granian", 16, 1), ("granian", 8, 2),
]

# ~300-byte JSON body, close to the real API's request size.
ECHO_BODY = json.dumps({
    "vendor_id": "vnd_0123456789abcdef", "name": "Acme Widgets International Ltd",
    "email": "billing@acme-widgets.example.com", "country": "DE", "currency": "EUR",
    "tags": ["hardware", "priority", "net30"], "limits": {"daily": 25000, "monthly": 500000},
    "address": {"line1": "Hauptstrasse 12", "city": "Berlin", "postcode": "10115"},
    "active": True, "notes": "created by benchmark",
}, separators=(",", ":"))


# --------------------------------------------------------------------------- child side

def serve(name, port, threads, runtime_threads):
    """Build the app object via the factory, then hand it to the server in-process."""
    sys.path.insert(0, BENCH_DIR)
    from hello_app import create_app

    app = create_app()
    # Wall-clock mark right before handing over to the server, so the parent can
    # split startup into "interpreter + imports + app" vs "server API to first response".
    print(f"SERVE-CALLED {time.time():.6f}", flush=True)

    if name == "waitress":
        import logging
        from waitress import create_server

        # All threads busy is expected under load; don't spam "Task queue depth" warnings.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        server = create_server(app, host=HOST, port=port, threads=threads)

        # Default SIGTERM would kill us without cleanup; SystemExit makes run() shut down its threads.
        def _stop(*_):
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, _stop)
        server.run()

    elif name == "gunicorn":
        from gunicorn.app.base import BaseApplication

        class Embedded(BaseApplication):
            def load_config(self):
                for key, value in {
                    "bind": f"{HOST}:{port}", "workers": 1, "worker_class": "gthread",
                    "threads": threads, "loglevel": "warning",
                }.items():
                    self.cfg.set(key, value)

            def load(self):
                return app  # runs in the forked worker; the object was inherited through fork()

        Embedded().run()  # blocks; the arbiter stays here and forks the worker

    elif name == "granian":
        from granian import Granian
        from granian.constants import Interfaces

        server = Granian(
            "hello_app:create_app",  # only used for logging since we pass target_loader
            address=HOST, port=port, interface=Interfaces.WSGI, workers=1,
            blocking_threads=threads, runtime_threads=runtime_threads, log_level="warning",
        )
        # The loader runs in the worker process; a closure only survives the 'fork' start method.
        server.serve(target_loader=lambda _target: app)
    else:
        raise SystemExit(f"unknown server {name}")


# --------------------------------------------------------------------------- parent side

def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=1.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def proc_tree(root):
    """PIDs of root and all its descendants, from /proc (Linux only)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # comm may contain spaces; ppid is the 2nd field after the closing paren.
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples summed RSS and process count of the server tree until stopped."""

    def __init__(self, root, interval=0.2):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_kib, self.max_procs, self.pids = 0, 0, set()
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            pids = proc_tree(self.root)
            self.pids.update(pids)
            self.peak_kib = max(self.peak_kib, sum(rss_kib(p) for p in pids))
            self.max_procs = max(self.max_procs, len(pids))
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


def to_ms(value):
    num, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(num) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(port, path, duration, lua=None):
    cmd = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", "-c10", f"-d{duration}s",
           "--timeout", "5s", "--latency"]
    if lua:
        cmd += ["-s", lua]
    cmd.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    if not (rps and p50 and p99):
        raise RuntimeError(f"could not parse wrk output:\n{out}")
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in re.findall(r"\d+", sock.group(1))) if sock else 0)
    return {"rps": float(rps.group(1)), "p50": to_ms(p50.group(1)),
            "p99": to_ms(p99.group(1)), "errors": errors}


def bench_one(name, threads, rt, duration, lua, logdir):
    port = free_port()
    cmd = ["taskset", "-c", SERVER_CPU, sys.executable, os.path.abspath(__file__),
           "--serve", name, "--port", str(port), "--threads", str(threads)]
    if rt:
        cmd += ["--runtime-threads", str(rt)]
    log = open(os.path.join(logdir, f"{name}-{threads}-{rt}.log"), "w+")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    row = {"server": name, "threads": threads, "rt": rt}
    try:
        # Ready = first successful response from the app, polled every 10 ms.
        deadline = t0 + 30
        while True:
            if proc.poll() is not None or time.perf_counter() > deadline:
                log.seek(0)
                raise RuntimeError(f"{name} failed to start:\n{log.read()}")
            try:
                if http_get(port, "/hello")[0] == 200:
                    break
            except OSError:
                time.sleep(0.01)
        row["startup"] = time.perf_counter() - t0
        ready_wall = time.time()
        log.seek(0)
        mark = re.search(r"SERVE-CALLED ([\d.]+)", log.read())
        row["server_start"] = ready_wall - float(mark.group(1)) if mark else None
        row["in_launcher"] = json.loads(http_get(port, "/pid")[1])["pid"] == proc.pid
        for key, path, script in (("get", "/hello", None), ("post", "/echo", lua)):
            run_wrk(port, path, 2, script)  # short warm-up, discarded
            row[key] = run_wrk(port, path, duration, script)
    finally:
        sampler.stop()
        # Graceful stop via SIGTERM, as a process manager or Ctrl-C would do.
        t1 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
            row["stop"] = time.perf_counter() - t1
        except subprocess.TimeoutExpired:
            row["stop"] = None
            proc.kill()
            proc.wait()
        time.sleep(0.2)
        leftovers = [p for p in sampler.pids if p != proc.pid and os.path.exists(f"/proc/{p}")]
        for p in leftovers:  # only PIDs we saw in our own server's tree
            os.kill(p, signal.SIGKILL)
        row["orphans"] = len(leftovers)
        log.close()
    row["procs"] = sampler.max_procs
    row["rss_mib"] = sampler.peak_kib / 1024
    return row


def aggregate(results):
    """Median of timings/throughput across rounds; worst case for resources and errors."""
    med = statistics.median
    row = dict(results[0])
    for key in ("startup", "server_start", "stop"):
        vals = [r[key] for r in results if r[key] is not None]
        row[key] = med(vals) if len(vals) == len(results) else None
    for key in ("get", "post"):
        row[key] = {m: med(r[key][m] for r in results) for m in ("rps", "p50", "p99")}
        row[key]["errors"] = sum(r[key]["errors"] for r in results)
    row["in_launcher"] = all(r["in_launcher"] for r in results)
    row["orphans"] = sum(r["orphans"] for r in results)
    row["procs"] = max(r["procs"] for r in results)
    row["rss_mib"] = max(r["rss_mib"] for r in results)
    return row


def versions():
    from importlib.metadata import version
    return ", ".join(f"{p} {version(p)}" for p in ("flask", "waitress", "gunicorn", "granian"))


def print_table(rows, duration, rounds):
    print(f"\nPython {sys.version.split()[0]}; {versions()}; server on CPU {SERVER_CPU}, "
          f"wrk -t1 -c10 -d{duration}s on CPU {CLIENT_CPU}; median of {rounds} round(s)\n")
    print("| server | config | procs | serves in launcher pid | startup s | of which server s | GET /hello req/s | p50 ms | p99 ms "
          "| POST /echo req/s | p50 ms | p99 ms | peak RSS MiB | stop s | errors |")
    print("|---" * 15 + "|")
    for r in rows:
        if "error" in r:
            print(f"| {r['server']} | {r['threads']} threads | FAILED: {r['error']} |")
            continue
        cfg = f"{r['threads']} threads" + (f", {r['rt']} runtime thr" if r["rt"] else "")
        g, p = r["get"], r["post"]
        stop = f"{r['stop']:.2f}" if r["stop"] is not None else "timeout"
        srv = f"{r['server_start']:.3f}" if r["server_start"] is not None else "?"
        print(f"| {r['server']} | {cfg} | {r['procs']} | {'yes' if r['in_launcher'] else 'no'} "
              f"| {r['startup']:.2f} | {srv} | {g['rps']:.0f} | {g['p50']:.2f} | {g['p99']:.2f} "
              f"| {p['rps']:.0f} | {p['p50']:.2f} | {p['p99']:.2f} | {r['rss_mib']:.1f} | {stop} "
              f"| {g['errors'] + p['errors'] + r['orphans']} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--serve", help=argparse.SUPPRESS)  # internal: run one server in this process
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=8, help=argparse.SUPPRESS)
    ap.add_argument("--runtime-threads", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat all configs N times, report medians")
    ap.add_argument("--only", help="comma-separated subset of servers")
    args = ap.parse_args()

    if args.serve:
        serve(args.serve, args.port, args.threads, args.runtime_threads)
        return

    only = set(args.only.split(",")) if args.only else None
    configs = [c for c in CONFIGS if not only or c[0] in only]
    runs = {c: [] for c in configs}
    with tempfile.TemporaryDirectory(prefix="wsgi-bench-") as tmp:
        lua = os.path.join(tmp, "echo.lua")
        with open(lua, "w") as f:
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    f"wrk.body = [[{ECHO_BODY}]]\n")
        # Rounds are interleaved so transient noise on a shared box hits every server alike.
        for rnd in range(args.rounds):
            for name, threads, rt in configs:
                print(f"round {rnd + 1}: {name} threads={threads} runtime_threads={rt}",
                      file=sys.stderr, flush=True)
                try:
                    runs[(name, threads, rt)].append(bench_one(name, threads, rt, args.duration, lua, tmp))
                except Exception as exc:  # keep going; one broken server shouldn't hide the others
                    print(exc, file=sys.stderr)
    rows = []
    for (name, threads, rt), results in runs.items():
        if len(results) < args.rounds:
            rows.append({"server": name, "threads": threads, "error": "see stderr"})
        else:
            rows.append(aggregate(results))
    print_table(rows, args.duration, args.rounds)


if __name__ == "__main__":
    main()
