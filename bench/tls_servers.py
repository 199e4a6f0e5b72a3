"""Which TLS server `serve --tls-port` runs: our front (TLS relayed into waitress), cheroot, gunicorn or
granian.

Usage:  python bench/tls_servers.py [--duration 10] [--only front,cheroot,gunicorn,granian,plain]
Needs Linux (taskset, /proc) and wrk on PATH; cheroot, gunicorn and granian from PyPI in this interpreter
(they are not the project's dependencies). Each server serves the real sandbox app, with a leaf from the
sandbox's own CA, pinned to CPU 0; wrk (keep-alive, 10 connections) and the handshake probe run on CPU 1.
"""

import argparse
import json
import os
import re
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"  # loopback only
SERVER_CPU, CLIENT_CPU = "0", "1"
THREADS = 8
HIPP_GET = ("/hipp/api/v1/users/usr_1234567890_abc123def", {"Authorization": "Bearer your-api-key"})
HEALTH = ("/_sandbox/health", {})
SERVERS = ["plain", "front", "cheroot", "gunicorn", "granian"]


# --------------------------------------------------------------------------- child side


def serve(name, port, data_dir):
    from vendor_sandbox import create_app
    from vendor_sandbox.front import get_front

    app = create_app({"DATA_DIR": data_dir})
    front = get_front(app)
    leaf, key = front.ca.issue(front.names)
    cert_file, key_file = os.path.join(data_dir, "leaf.pem"), os.path.join(data_dir, "leaf-key.pem")
    with open(cert_file, "wb") as f:
        f.write(leaf + front.ca.pem())
    with open(key_file, "wb") as f:
        f.write(key)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("SERVING", flush=True)
    if name in ("plain", "front"):
        from vendor_sandbox.server import make_server

        if name == "plain":
            make_server(app, HOST, port, THREADS).run()
        else:
            make_server(app, HOST, 0, THREADS, tls_port=port).run()
    elif name == "cheroot":
        from cheroot import wsgi
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server = wsgi.Server((HOST, port), app, numthreads=THREADS)
        server.ssl_adapter = BuiltinSSLAdapter(cert_file, key_file)
        server.safe_start()
    elif name == "gunicorn":
        from gunicorn.app.base import BaseApplication

        class Embedded(BaseApplication):
            def load_config(self):
                for k, v in {
                    "bind": f"{HOST}:{port}",
                    "workers": 1,
                    "worker_class": "gthread",
                    "threads": THREADS,
                    "loglevel": "warning",
                    "certfile": cert_file,
                    "keyfile": key_file,
                }.items():
                    self.cfg.set(k, v)

            def load(self):
                return app

        Embedded().run()
    elif name == "granian":
        from granian import Granian
        from granian.constants import Interfaces

        server = Granian(
            "vendor_sandbox.app:create_app",
            address=HOST,
            port=port,
            interface=Interfaces.WSGI,
            workers=1,
            blocking_threads=THREADS,
            log_level="warning",
            ssl_cert=Path(cert_file),
            ssl_key=Path(key_file),
        )
        server.serve(target_loader=lambda _target: app)


# --------------------------------------------------------------------------- parent side


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tree_rss_mib(root):
    pids, total = [root], 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == root:
                        pids.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                total += int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        except (OSError, AttributeError):
            pass
    return len(pids), total / 1024


def context(ca_file):
    ctx = ssl.create_default_context(cafile=ca_file)
    return ctx


def one_request(port, path, headers, ctx, tls=True):
    raw = socket.create_connection((HOST, port), timeout=5)
    sock = ctx.wrap_socket(raw, server_hostname="localhost") if tls else raw
    try:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{head}Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return int(data.split(b" ", 2)[1])
    finally:
        sock.close()


def wait_ready(port, ca_file, tls, timeout=60):
    """The client context once the server answers (the CA file may still be being written)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            ctx = context(ca_file) if tls else None
            if one_request(port, *HEALTH, ctx, tls) == 200:
                return ctx
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("server not ready")


def wrk(url, headers, duration):
    args = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", "-c10", f"-d{duration}s", "--latency", url]
    for k, v in headers.items():
        args[5:5] = ["-H", f"{k}: {v}"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def handshakes(port, ctx, tls, count=300):
    """Fresh connection per request (a client without keep-alive): requests per second."""
    os.sched_setaffinity(0, {int(CLIENT_CPU)})
    try:
        start = time.perf_counter()
        statuses = [one_request(port, *HEALTH, ctx, tls) for _ in range(count)]
        elapsed = time.perf_counter() - start
    finally:
        os.sched_setaffinity(0, set(range(os.cpu_count())))
    return count / elapsed, sum(s != 200 for s in statuses)


def measure(name, duration, data_dir):
    port = free_port()
    tls = name != "plain"
    child = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, sys.executable, __file__, "--serve", name, str(port), data_dir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ctx = wait_ready(port, os.path.join(data_dir, "ca.pem"), tls)
        scheme = "https" if tls else "http"
        row = {"server": name}
        for label, (path, headers) in (("health", HEALTH), ("hipp", HIPP_GET)):
            wrk(f"{scheme}://{HOST}:{port}{path}", headers, 2)  # warm-up
            row[label] = wrk(f"{scheme}://{HOST}:{port}{path}", headers, duration)
        row["new_conn_rps"], row["new_conn_errors"] = handshakes(port, ctx, tls)
        row["procs"], row["rss_mib"] = tree_rss_mib(child.pid)
        return row
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", nargs=3, metavar=("NAME", "PORT", "DATA_DIR"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", default=",".join(SERVERS))
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve[0], int(args.serve[1]), args.serve[2])
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(
        f"Python {sys.version.split()[0]}; server on CPU {SERVER_CPU}, wrk -t1 -c10 -d{args.duration}s and "
        "the "
        f"handshake probe on CPU {CLIENT_CPU}; median of {args.rounds} round(s); uptime at start: {uptime}"
    )
    rows = {}
    with tempfile.TemporaryDirectory() as data_dir:
        for _ in range(args.rounds):
            for name in args.only.split(","):
                rows.setdefault(name, []).append(measure(name, args.duration, data_dir))
    print(
        "\n| server | procs | health req/s | p50 ms | p99 ms | Hipp GET req/s | p50 ms | p99 ms | "
        "new TLS connection + GET /s | RSS MiB | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, results in rows.items():

        def med(f, results=results):
            return statistics.median(f(r) for r in results)

        errors = sum(r["health"]["non2xx"] + r["hipp"]["non2xx"] + r["new_conn_errors"] for r in results)
        sock = "; ".join(
            filter(None, (r["health"]["socket_errors"] + r["hipp"]["socket_errors"] for r in results))
        )
        print(
            f"| {name} | {results[0]['procs']} | {med(lambda r: r['health']['rps']):.0f} | "
            f"{med(lambda r: r['health']['p50']):.2f} | {med(lambda r: r['health']['p99']):.2f} | "
            f"{med(lambda r: r['hipp']['rps']):.0f} | {med(lambda r: r['hipp']['p50']):.2f} | "
            f"{med(lambda r: r['hipp']['p99']):.2f} | {med(lambda r: r['new_conn_rps']):.0f} | "
            f"{med(lambda r: r['rss_mib']):.1f} | {errors}{' ' + sock if sock else ''} |"
        )
    print("\n" + json.dumps(rows))


if __name__ == "__main__":
    sys.exit(main())
