"""Processes, probes and load for bench/run.py: servers on core 0, everything else on core 1."""

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from wsgi_servers import CLIENT_CPU, HOST, SERVER_CPU, free_port, proc_tree, rss_kib, to_ms

BENCH_DIR = Path(__file__).resolve().parent
LUA = BENCH_DIR / "lua"


def pin_client():
    """Keep this process (the probes) off the servers' core."""
    os.sched_setaffinity(0, {int(CLIENT_CPU)})


class Server:
    """A server process pinned to SERVER_CPU; `ready()` waits for its first 200 on `probe`."""

    def __init__(self, name, command, probe, env=None, probe_headers=None):
        self.name = name
        self.port = free_port()
        self.probe = probe
        self.probe_headers = probe_headers
        argv = [part.format(port=self.port) for part in command]
        self.log = open(f"/tmp/vendor-sandbox-bench-{name}.log", "w+")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *argv], stdout=self.log,
                                        stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                        start_new_session=True)
        self.ready_s = None

    def ready(self, timeout=120):
        """Seconds from process start to the first 200 on the probe (polled every 2 ms)."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{self.name} exited:\n{self.log.read()[-3000:]}")
            try:
                if request(self.port, "GET", self.probe, headers=self.probe_headers, timeout=2)[0] == 200:
                    self.ready_s = time.perf_counter() - self.started
                    return self.ready_s
            except OSError:
                time.sleep(0.002)
        raise TimeoutError(f"{self.name} not ready in {timeout} s")

    def cpu_s(self):
        """CPU seconds the server process has used (user + system), less noisy than wall time."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self):
        """Resident memory of the server and its children (npx runs node as a child)."""
        return sum(rss_kib(pid) for pid in proc_tree(self.process.pid)) / 1024

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: npx's node child too
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def request(port, method, path, body=None, headers=None, timeout=30, connection=None):
    """(status, parsed JSON or bytes); pass `connection` to reuse one keep-alive connection."""
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=timeout)
    data = json.dumps(body).encode() if body is not None else None
    head = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
    try:
        conn.request(method, path, body=data, headers=head)
        response = conn.getresponse()
        raw = response.read()
    finally:
        if connection is None:
            conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, raw


def timed(port, method, path, count, headers=None, body=None, expect=200):
    """Latencies in ms of `count` sequential requests on one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    samples = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            status, answer = request(port, method, path, body, headers, connection=conn)
            samples.append((time.perf_counter() - start) * 1000)
            if status != expect:
                raise RuntimeError(f"{method} {path}: {status} {answer!r:.300}")
    finally:
        conn.close()
    return samples


def percentiles(samples):
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered), "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "n": len(ordered)}


def wrk(port, path, duration, script, env=None):
    """wrk -t1 -c10 on CLIENT_CPU: req/s, p50/p99 ms, and how many answers were not 2xx/3xx."""
    cmd = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", "-c10", f"-d{duration}s", "--timeout", "5s",
           "--latency", "-s", str(LUA / script), f"http://{HOST}:{port}{path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60,
                         env={**os.environ, **(env or {})}).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    if not (rps and p50 and p99 and total):
        raise RuntimeError(f"could not parse wrk output:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in re.findall(r"\d+", sock.group(1))) if sock else 0)
    return {"rps": float(rps.group(1)), "p50": to_ms(p50.group(1)), "p99": to_ms(p99.group(1)),
            "requests": int(total.group(1)), "errors": errors}


def load(port, path, duration, script, env=None, warmup=2):
    """A short discarded warm-up run, then the measured one."""
    wrk(port, path, warmup, script, {**(env or {}), "BENCH_TAG": f"warm{time.monotonic_ns()}"})
    return wrk(port, path, duration, script, {**(env or {}), "BENCH_TAG": f"run{time.monotonic_ns()}"})


def sandbox_command(*options):
    """`vendor-sandbox serve` from the interpreter running the benchmark."""
    script = Path(sys.executable).parent / "vendor-sandbox"
    return [str(script), "serve", "--port", "{port}", *options]
