"""The shared store beside the in-memory one: Hipp create and get-by-id, in memory; on Redis with
1 worker; on Redis with 2 workers. Throughput (wrk), CPU per request (sandbox processes and
redis-server) and Redis round trips per request (bench/redis_trips.py)."""

# Usage:  python bench/redis_store.py [--duration 10] [--servers]
# Needs Linux, taskset, wrk and redis-server; --servers (the comparison of the servers behind --workers)
# also needs `pip install gunicorn granian` in the same environment. The sandbox runs on CPU 0; wrk and redis-server on
# CPU 1 (on a 2-core machine the load generator and Redis share a core). "2 workers, 2 cores" lets
# the workers use both cores, beside wrk and Redis.

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BENCH_DIR, CLIENT_CPU, Server, load, sandbox_command  # noqa: E402
from wsgi_servers import free_port, proc_tree  # noqa: E402

HIPP_USER = "/hipp/api/v1/users/usr_1234567890_abc123def"


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def start_redis():
    port = free_port()
    folder = tempfile.mkdtemp(prefix="bench-redis-")
    # TCP on loopback, and a Unix socket beside it (a Redis on the same host: no TCP stack per trip)
    process = subprocess.Popen(["taskset", "-c", CLIENT_CPU, "redis-server", "--port", str(port), "--bind",
                                "127.0.0.1", "--unixsocket", f"{folder}/redis.sock", "--unixsocketperm", "700",
                                "--dir", folder, "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    time.sleep(0.3)
    process.unix_url = f"unix://{folder}/redis.sock?db=0"
    return process, f"redis://127.0.0.1:{port}/0"


def measure(name, options, duration, redis_pid=None, cpus=None, command=None, env=None):
    rows = {}
    command = command or sandbox_command("--tls-port", "0", *options)  # plain HTTP is measured
    if cpus:  # Server pins to CPU 0; widen the workers' affinity
        command = ["taskset", "-c", cpus, *command]
    with Server(name, command, "/_sandbox/health", env=env) as sandbox:
        sandbox.ready()
        for call, path, script, env in (
                ("hipp_create", "/hipp/api/v1/users", "hipp_create.lua", {}),
                ("hipp_get", HIPP_USER, "get.lua", {"BENCH_AUTH": "Bearer your-api-key"})):
            pids = proc_tree(sandbox.process.pid)
            before, redis_before = cpu_seconds(pids), cpu_seconds([redis_pid] if redis_pid else [])
            result = load(sandbox.port, path, duration, script, env, warmup=2)
            # the warm-up is included in the CPU figures: count its requests too (wrk reports only the run)
            sandbox_cpu = cpu_seconds(proc_tree(sandbox.process.pid)) - before
            redis_cpu = cpu_seconds([redis_pid] if redis_pid else []) - redis_before
            total = result["requests"] * (duration + 2) / duration  # warm-up at the same rate, roughly
            result.update(sandbox_cpu_us=sandbox_cpu / total * 1e6, redis_cpu_us=redis_cpu / total * 1e6)
            rows[call] = result
    return rows


def wiremock(jar, duration):
    """WireMock (npm `wiremock`'s bundled jar, Java 17) serving stubs of the same two calls: a
    canned answer, no validation, no state; its request journal off, as for a load test."""
    root = Path(tempfile.mkdtemp(prefix="bench-wiremock-"))
    (root / "mappings").mkdir()
    user = {"publicId": "usr_1736937000000_w5uft1xps", "firstName": "Jane", "lastName": "Smith",
            "email": "jane@example.com", "role": "CLINICIAN", "phoneNumber": "+1234567890", "npiNumber": None,
            "shouldSendSMS": False, "createdAt": "2025-01-15T10:30:00.000Z",
            "organization": {"name": "Example Organization", "publicId": "org_abc123def456"}}
    stubs = [
        {"request": {"method": "POST", "url": "/hipp/api/v1/users"},
         "response": {"status": 200, "jsonBody": {"message": "User created successfully", "user": user}}},
        {"request": {"method": "GET", "url": HIPP_USER}, "response": {"status": 200, "jsonBody": user}},
        {"request": {"method": "GET", "url": "/__health"}, "response": {"status": 200, "body": "ok"}},
    ]
    for n, stub in enumerate(stubs):
        (root / "mappings" / f"{n}.json").write_text(json.dumps(stub))
    command = ["java", "-jar", jar, "--port", "{port}", "--bind-address", "127.0.0.1", "--root-dir", str(root),
               "--no-request-journal", "--disable-banner"]
    rows = {}
    with Server("wiremock", command, "/__health") as server:
        server.ready()
        for call, path, script, env in (("hipp_create", "/hipp/api/v1/users", "hipp_create.lua", {}),
                                        ("hipp_get", HIPP_USER, "get.lua", {})):
            load(server.port, path, 5, script, env, warmup=5)  # the JIT's warm-up
            pids = proc_tree(server.process.pid)
            before = cpu_seconds(pids)
            result = load(server.port, path, duration, script, env, warmup=2)
            total = result["requests"] * (duration + 2) / duration
            result.update(sandbox_cpu_us=(cpu_seconds(proc_tree(server.process.pid)) - before) / total * 1e6,
                          redis_cpu_us=0.0)
            rows[call] = result
    return rows


def servers(duration):
    """`serve --workers 2` (waitress in forked workers) beside gunicorn (gthread) and granian, each
    with 2 worker processes of 8 threads, on both cores, over the same Redis."""
    bin_dir = Path(sys.executable).parent
    results = {"uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}
    redis_process, url = start_redis()
    commands = {
        "waitress (serve --workers 2)": sandbox_command("--tls-port", "0", "--store", url, "--workers", "2"),
        "gunicorn gthread": [str(bin_dir / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "8",
                             "-b", "127.0.0.1:{port}", "vendor_sandbox:create_app()"],
        "granian": [str(bin_dir / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads",
                    "8", "--host", "127.0.0.1", "--port", "{port}", "--factory", "vendor_sandbox:create_app"],
    }
    try:
        for name, command in commands.items():
            subprocess.run(["redis-cli", "-u", url, "flushdb"], capture_output=True)
            results[name] = measure(name.split()[0], [], duration,
                                    redis_process.pid, cpus="0,1", command=command, env={"SANDBOX_STORE_URL": url})
    finally:
        redis_process.terminate()
        redis_process.wait()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--json")
    parser.add_argument("--servers", action="store_true", help="compare the servers for --workers instead")
    parser.add_argument("--wiremock", metavar="JAR", help="also WireMock's stubs (npm wiremock's bundled jar)")
    parser.add_argument("--quick", action="store_true",
                        help="only the in-memory store and Redis with 1 worker (the 0.6x target), no trip count")
    args = parser.parse_args()
    if args.servers:
        results = servers(args.duration)
        print(json.dumps(results, indent=2))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        return
    results = {"uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}
    results["memory"] = measure("memory", [], args.duration)
    if args.wiremock:
        results["wiremock"] = wiremock(args.wiremock, args.duration)
    redis_process, url = start_redis()
    try:
        if args.quick:
            results["redis_1"] = measure("redis1", ["--store", url], args.duration, redis_process.pid)
            for call in ("hipp_create", "hipp_get"):
                results[f"ratio_{call}"] = results["redis_1"][call]["rps"] / results["memory"][call]["rps"]
        else:
            full(results, url, redis_process, args.duration)
    finally:
        redis_process.terminate()
        redis_process.wait()
    finish(results, args)


def full(results, url, redis_process, duration):
    """Round trips; Redis with 1 worker over TCP and a Unix socket; 2 workers on 1 and 2 cores."""
    trips = subprocess.run([sys.executable, str(BENCH_DIR / "redis_trips.py"), url.replace("/0", "/1")],
                           capture_output=True, text=True, check=True).stdout
    results["round_trips"] = json.loads(trips)
    results["redis_1"] = measure("redis1", ["--store", url], duration, redis_process.pid)
    subprocess.run(["redis-cli", "-u", url, "flushdb"], capture_output=True)
    results["redis_1_unix"] = measure("redis1u", ["--store", redis_process.unix_url], duration,
                                      redis_process.pid)
    subprocess.run(["redis-cli", "-u", url, "flushdb"], capture_output=True)
    results["redis_2"] = measure("redis2", ["--store", url, "--workers", "2"], duration,
                                 redis_process.pid)
    subprocess.run(["redis-cli", "-u", url, "flushdb"], capture_output=True)
    results["redis_2_two_cores"] = measure("redis2b", ["--store", url, "--workers", "2"], duration,
                                           redis_process.pid, cpus="0,1")


def finish(results, args):
    results["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
