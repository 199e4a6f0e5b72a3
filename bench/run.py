"""The benchmark: vendor-sandbox beside a bare Flask app, Prism and moto, in one run, with targets."""

# Usage (see README, "Benchmark"):  python bench/run.py [--duration 10] [--json out.json]
#   python bench/run.py --only-searches [--store redis://HOST:PORT/DB]: the searches alone, on either store
# Needs Linux with 2+ cores, taskset and wrk; npx for Prism and a moto venv for moto (each
# comparison is skipped, and its target reported as SKIP, when its tool is missing).

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BENCH_DIR, HOST, Server, load, percentiles, pin_client, request, sandbox_command, timed,
)

ROOT = BENCH_DIR.parent
PRISM = "@stoplight/prism-cli@5.14.2"
MOTO_SERVER = "/tmp/bench-moto/bin/moto_server"
HIPP_AUTH = {"Authorization": "Bearer your-api-key"}
HIPP_USER = "/hipp/api/v1/users/usr_1234567890_abc123def"
WELKIN_USERS = "/welkin/acme-health/live/users"
NABLA_USERS = "/nabla/v1/copilot-api/server/users"
ZUS_USERS = "/zus/auth/users"
NABLA_KEY = "sk_test_example_health_0f8a2c4e6b1d3f5a"  # Example Health's Server Key (fixtures/nabla)
ZUS_TOKEN = {"grant_type": "client_credentials", "client_id": "AcmeBackendM2MClient0000000000a1",
             "client_secret": "acme-backend-secret-00000000000000000000000000000000000000000000",
             "audience": "https://api.sandbox.zusapi.com"}
VOLUMES = (1_000, 10_000, 100_000)
MIB = 1024 * 1024


def stopwatch(call):
    start = time.perf_counter()
    status, answer = call()
    assert status == 200, answer
    return (time.perf_counter() - start) * 1000


def hello_command():
    return [sys.executable, str(Path(__file__).resolve()), "--serve-hello", "{port}"]


def serve_hello(port):
    """The ceiling: a bare Flask app on the same waitress set-up as `vendor-sandbox serve`."""
    from hello_app import create_app

    from vendor_sandbox.server import run

    run(create_app(), HOST, port)


def welkin_token(port):
    status, body = request(port, "POST", "/welkin/auth/token",
                           {"secret": "your-api-client-secret", "apiClient": "your-api-client-key"})
    assert status == 200, body
    return {"Authorization": f"Bearer {body['token']}"}


# ---------------------------------------------------------------- throughput at 10 connections

def throughput(duration, moto_server, skip):
    rows = {}
    with Server("hello", hello_command(), "/hello") as hello:
        hello.ready()
        rows["hello"] = load(hello.port, "/hello", duration, "get.lua")
        rows["hello"].update(label="bare Flask `GET /hello` (same waitress)", rss=hello.rss_mib())
    with Server("sandbox", sandbox_command(), "/_sandbox/health") as sandbox:
        sandbox.ready()
        port = sandbox.port
        welkin = welkin_token(port)["Authorization"]
        scenarios = (
            ("hipp_create", "Hipp `POST /v1/users` (auth, zod validation, store)", "/hipp/api/v1/users",
             "hipp_create.lua", {}),
            ("hipp_get", "Hipp `GET /v1/users/{id}`", HIPP_USER, "get.lua", {"BENCH_AUTH": "Bearer your-api-key"}),
            ("welkin_list", "Welkin list page (`size=20`)", WELKIN_USERS + "?page=0&size=20", "get.lua",
             {"BENCH_AUTH": welkin}),
            ("nabla_create", "Nabla `POST /users` with metadata", NABLA_USERS, "nabla_create.lua",
             {"BENCH_AUTH": NABLA_KEY}),
        )
        for name, label, path, script, env in scenarios:
            rows[name] = load(port, path, duration, script, env)
            rows[name]["label"] = label
        rows["hipp_create"]["rss"] = sandbox.rss_mib()
    if "prism" not in skip and shutil.which("npx"):
        command = ["npx", "-y", PRISM, "mock", "-h", HOST, "-p", "{port}", str(ROOT / "openapi" / "hipp.json")]
        with Server("prism", command, "/v1/users", probe_headers=HIPP_AUTH) as prism:
            rows["prism_ready"] = prism.ready()
            rows["prism"] = load(prism.port, "/v1/users", duration, "hipp_create.lua")
            rows["prism"].update(label=f"Prism {PRISM.rsplit('@', 1)[1]} mock of `openapi/hipp.json`, "
                                       "`POST /v1/users`", rss=prism.rss_mib())
    if "moto" not in skip and Path(moto_server).exists():
        with Server("moto", [moto_server, "-H", HOST, "-p", "{port}"], "/moto-api/data.json") as moto:
            rows["moto_ready"] = moto.ready()
            rows["moto"] = load(moto.port, "/", duration, "moto_create.lua")
            rows["moto"].update(label="moto_server IAM `CreateUser`", rss=moto.rss_mib())
    return rows


# ---------------------------------------------------------------- the sandbox's own costs

def startup(rounds):
    """Process start to the first 200 on /_sandbox/health, and the idle memory then."""
    times, cpu, rss = [], [], []
    for _ in range(rounds):
        with Server("startup", sandbox_command(), "/_sandbox/health") as sandbox:
            times.append(sandbox.ready())
            cpu.append(sandbox.cpu_s())
            time.sleep(0.3)
            rss.append(sandbox.rss_mib())
    return {"ready": statistics.median(times), "ready_all": times, "ready_cpu": statistics.median(cpu),
            "idle_rss": statistics.median(rss)}


def control_costs(count=200):
    """Reset, a new namespace's first request, and the RSS once every vendor has answered."""
    with Server("control", sandbox_command(), "/_sandbox/health") as sandbox:
        sandbox.ready()
        port = sandbox.port
        request(port, "GET", "/_sandbox/credentials")  # builds every vendor's template
        warm_rss = sandbox.rss_mib()
        health = timed(port, "GET", "/_sandbox/health", count)
        ns = {"X-Sandbox-Namespace": "bench-reset"}
        resets, first, again = [], [], []
        conn = http.client.HTTPConnection(HOST, port, timeout=30)  # one keep-alive connection throughout
        for i in range(count):
            body = {"firstName": "R", "lastName": "S", "email": f"r{i}@example.com", "role": "CLINICIAN"}
            assert request(port, "POST", "/hipp/api/v1/users", body, {**HIPP_AUTH, **ns}, connection=conn)[0] == 200
            resets.append(stopwatch(lambda: request(port, "POST", "/_sandbox/reset", headers=ns, connection=conn)))
        for i in range(20):
            headers = {**HIPP_AUTH, "X-Sandbox-Namespace": f"bench-new-{i}"}
            for samples in (first, again):
                samples.append(stopwatch(lambda: request(port, "GET", "/hipp/api/v1/users?pageSize=20", headers=headers,
                                                         connection=conn)))
        conn.close()
    return {"warm_rss": warm_rss, "health": percentiles(health), "reset": percentiles(resets),
            "ns_first": percentiles(first), "ns_again": percentiles(again)}


PLUGIN_TEST = """
def test_first(sandbox):
    assert sandbox.credentials()["hipp"]
"""


def plugin_start(rounds=3):
    """Setup time of the first test that uses the plugin's `sandbox` fixture (server start included)."""
    setups = []
    with tempfile.TemporaryDirectory(prefix="vendor-sandbox-bench-") as folder:
        Path(folder, "test_plugin_start.py").write_text(PLUGIN_TEST)
        for _ in range(rounds):
            out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                  "--durations=0", "--durations-min=0", "test_plugin_start.py"],
                                 cwd=folder, capture_output=True, text=True, timeout=120).stdout
            line = next(x for x in out.splitlines() if "setup" in x and "test_first" in x)
            setups.append(float(line.split("s", 1)[0]))
    return {"setup": statistics.median(setups), "all": setups}


# ---------------------------------------------------------------- volume: 1k, 10k, 100k users

def volume(count, samples, store=None):
    """The volume probes at `count` fake users; with `store` (a Redis URL, its database emptied
    first: one database holds one sandbox's seed), on the Redis store."""
    options = ("--fake-users", str(count))
    if store:
        redis.Redis.from_url(store).flushdb()
        options += ("--store", store)
    with Server(f"volume-{count}", sandbox_command(*options), "/_sandbox/health") as sandbox:
        sandbox.ready()
        port = sandbox.port
        result = {"rss_ready": sandbox.rss_mib(), "first": {}, "rss_after": {}}
        nabla = {"Authorization": f"Bearer {NABLA_KEY}"}
        firsts = (("hipp", HIPP_USER, HIPP_AUTH), ("welkin", None, None), ("nabla", NABLA_USERS, nabla),
                  ("zus", "/zus/oauth/token", ZUS_TOKEN))
        for vendor, path, headers in firsts:
            start = time.perf_counter()
            if vendor == "welkin":
                welkin = welkin_token(port)
            elif vendor == "zus":
                status, token = request(port, "POST", path, headers)
                assert status == 200, token
                zus = {"Authorization": f"Bearer {token['access_token']}"}
            else:
                assert request(port, "GET", path, headers=headers, timeout=600)[0] == 200
            result["first"][vendor] = time.perf_counter() - start
            result["rss_after"][vendor] = sandbox.rss_mib()
        searches = search_probes(count, welkin, zus, nabla, samples)
        # the first search of each kind builds the template's index: its time, and the RSS it adds
        result["rss_before_search"], result["first_search"] = sandbox.rss_mib(), {}
        for name, (path, headers, _) in searches.items():
            start = time.perf_counter()
            status, answer = request(port, "GET", path, headers=headers, timeout=600)
            assert status == 200, answer
            result["first_search"][name] = time.perf_counter() - start
            result.setdefault("rss_search", {})[name] = sandbox.rss_mib()
        result["rss_after_search"] = sandbox.rss_mib()
        probes = {
            "hipp_list": ("/hipp/api/v1/users?page=1&pageSize=20", HIPP_AUTH, samples),
            "hipp_last_page": (f"/hipp/api/v1/users?page={count // 20}&pageSize=20", HIPP_AUTH, samples),
            "hipp_search": ("/hipp/api/v1/users?search=smith&pageSize=20", HIPP_AUTH, samples // 4),
            "welkin_list": (WELKIN_USERS + "?page=0&size=20", welkin, samples),
            "welkin_last_page": (WELKIN_USERS + f"?page={count // 20}&size=20", welkin, samples),
            "welkin_search": (WELKIN_USERS + "?search=smith&size=20", welkin, samples // 4),
            **searches,
            **own_writes_probes(port, samples),
        }
        for name, (path, headers, n) in probes.items():
            result[name] = percentiles(timed(port, "GET", path, n, headers))
    return result


def search_probes(count, welkin, zus, nabla, samples):
    """The searches and filters the text and sorted indexes answer, and the short ones that scan."""
    n = samples // 4
    return {
        "hipp_search_email": ("/hipp/api/v1/users?email=paul.kim%40example.net&pageSize=20", HIPP_AUTH, n),
        "hipp_search_short": ("/hipp/api/v1/users?search=sm&pageSize=20", HIPP_AUTH, n),
        "welkin_search_last_name": (WELKIN_USERS + "?lastName=Smith&size=20", welkin, n),
        "welkin_search_short": (WELKIN_USERS + "?search=sm&size=20", welkin, n),
        "zus_list": (ZUS_USERS + "?page%5Bcount%5D=20", zus, samples),
        "zus_filter_name": (ZUS_USERS + "?filter%5Bname%5D=smith&page%5Bcount%5D=20", zus, n),
        "nabla_list": (NABLA_USERS + "?limit=20", nabla, samples),
        "nabla_deactivated": (NABLA_USERS + "?activated=false&limit=20&order=DESC", nabla, n),
    }


OWN_WRITES = 200  # users a namespace creates before `hipp_search_own`: its own records, beside the template's


def own_writes_probes(port, samples):
    """Hipp's `search=smith` in a namespace that created OWN_WRITES users (a fifth of them Smiths):
    on the Redis store those are read from Redis and filtered at every search."""
    headers = {**HIPP_AUTH, "X-Sandbox-Namespace": "bench-own-writes"}
    for i in range(OWN_WRITES):
        body = {"firstName": "Own", "lastName": "Smith" if i % 5 == 0 else f"Writer{i}",
                "email": f"own.{i}@example.org", "role": "CLINICIAN"}
        status, answer = request(port, "POST", "/hipp/api/v1/users", body, headers)
        assert status == 200, answer
    return {"hipp_search_own": ("/hipp/api/v1/users?search=smith&pageSize=20", headers, samples // 4)}


# ---------------------------------------------------------------- report

def targets(r):
    tp, vol = r["throughput"], r["volume"]
    create = tp["hipp_create"]["rps"]

    def ratio(other, minimum):
        if other not in tp:
            return None, f"no {other} run"
        value = create / tp[other]["rps"]
        return value >= minimum, f"{value:.2f}x ({create:.0f} / {tp[other]['rps']:.0f} req/s)"

    low, high = vol[str(VOLUMES[0])], vol[str(VOLUMES[-1])]
    rows = [
        ("validated Hipp create >= 0.8x bare Flask", *ratio("hello", 0.8)),
        ("validated Hipp create >= 1.5x Prism's mock", *ratio("prism", 1.5)),
        ("validated Hipp create >= 5x moto", *ratio("moto", 5)),
        ("ready <= 0.3 s", r["startup"]["ready"] <= 0.3, f"{r['startup']['ready']:.3f} s"),
        ("reset <= 1 ms", r["control"]["reset"]["p50"] <= 1, f"{r['control']['reset']['p50']:.3f} ms p50"),
    ]
    for vendor in ("hipp", "welkin"):
        a, b = low[f"{vendor}_list"]["p50"], high[f"{vendor}_list"]["p50"]
        rows.append((f"{vendor} page at 100k <= 1.5x at 1k", b <= 1.5 * a, f"{b / a:.2f}x ({b:.2f} / {a:.2f} ms)"))
    rows += search_targets(vol)
    per_vendor = vendor_memory(high)
    worst = max(per_vendor, key=per_vendor.get)
    rows.append(("<= 400 MiB per vendor at 100k users", per_vendor[worst] <= 400,
                 f"max {per_vendor[worst]:.0f} MiB ({worst})"))
    return rows


def search_targets(vol):
    low, high = vol[str(VOLUMES[0])], vol[str(VOLUMES[-1])]
    rows = []
    for name in ("hipp_search", "welkin_search", *SEARCH_TARGETS, "hipp_search_own"):
        a, b = low[name]["p50"], high[name]["p50"]
        rows.append((f"{name} at 100k <= 3x at 1k", b <= 3 * a, f"{b / a:.2f}x ({b:.2f} / {a:.2f} ms)"))
    return rows


def search_report(vol):
    """The searches' latencies per volume, what their first call (building the index) took, and
    the RSS the indexes added."""
    columns = ("hipp_search", "welkin_search", *SEARCH_TARGETS, "hipp_search_own", "hipp_search_short",
               "welkin_search_short")
    out = ["Searches (`--fake-users N`): sequential requests on one keep-alive connection, p50 / p99 ms", "",
           "| users | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for count, v in vol.items():
        out.append(f"| {int(count):,} | " + " | ".join(f"{v[k]['p50']:.2f} / {v[k]['p99']:.2f}" for k in columns) + " |")
    out += ["", "First call of each search (it builds the template's index), s, and the RSS it added, MiB", "",
            "| users | " + " | ".join(next(iter(vol.values()))["first_search"]) + " | RSS before / after, MiB |",
            "|---" * (len(next(iter(vol.values()))["first_search"]) + 2) + "|"]
    for count, v in vol.items():
        previous, cells = v["rss_before_search"], []
        for name, seconds in v["first_search"].items():
            cells.append(f"{seconds:.2f} s, +{v['rss_search'][name] - previous:.0f}")
            previous = v["rss_search"][name]
        out.append(f"| {int(count):,} | " + " | ".join(cells)
                   + f" | {v['rss_before_search']:.0f} / {v['rss_after_search']:.0f} |")
    return out


SEARCH_TARGETS = ("hipp_search_email", "welkin_search_last_name", "zus_list", "zus_filter_name", "nabla_list",
                  "nabla_deactivated")


def vendor_memory(result):
    """Each vendor's share: the RSS its 100k-user template added, plus an equal share of the base."""
    previous, shares = result["rss_ready"], {}
    for vendor, rss in result["rss_after"].items():
        shares[vendor] = rss - previous + result["rss_ready"] / len(result["rss_after"])
        previous = rss
    return shares


def report(r):
    out = [f"Machine: {r['machine']}", "", "| target | result | measured |", "|---|---|---|"]
    for name, ok, text in targets(r):
        out.append(f"| {name} | {'SKIP' if ok is None else 'PASS' if ok else 'FAIL'} | {text} |")
    out += ["", f"Throughput: wrk -t1 -c10 -d{r['duration']}s (after a 2 s warm-up), server on CPU 0, wrk on CPU 1",
            "", "| call | req/s | p50 ms | p99 ms | requests | non-2xx/errors | RSS MiB after |", "|---|---|---|---|---|---|---|"]
    for row in r["throughput"].values():
        if isinstance(row, dict):
            rss = f"{row['rss']:.0f}" if "rss" in row else ""
            out.append(f"| {row['label']} | {row['rps']:.0f} | {row['p50']:.2f} | {row['p99']:.2f} "
                       f"| {row['requests']} | {row['errors']} | {rss} |")
    s, c, p = r["startup"], r["control"], r["plugin"]
    out += ["", "| sandbox cost | value |", "|---|---|",
            f"| start to first 200 on /_sandbox/health (median of {len(s['ready_all'])}) | {s['ready']:.3f} s |",
            f"| of which CPU time of the server process (median) | {s['ready_cpu']:.3f} s |",
            f"| all starts, s | {', '.join(f'{t:.3f}' for t in s['ready_all'])} |",
            f"| idle RSS after start | {s['idle_rss']:.0f} MiB |",
            f"| RSS once all four vendors have answered | {c['warm_rss']:.0f} MiB |",
            f"| GET /_sandbox/health round trip, p50 / p99 | {c['health']['p50']:.3f} / {c['health']['p99']:.3f} ms |",
            f"| POST /_sandbox/reset after a create, p50 / p99 | {c['reset']['p50']:.3f} / {c['reset']['p99']:.3f} ms |",
            f"| first request in a new namespace (Hipp list), p50 | {c['ns_first']['p50']:.3f} ms |",
            f"| the same request again, p50 | {c['ns_again']['p50']:.3f} ms |",
            f"| pytest plugin: setup of the first `sandbox` test (median of {len(p['all'])}) | {p['setup']:.3f} s |",
            ]
    for prefix in ("prism", "moto"):
        if f"{prefix}_ready" in r["throughput"]:
            out.append(f"| {prefix}: start to first 200 (for comparison) | {r['throughput'][prefix + '_ready']:.3f} s |")
    out += ["", "Volume (`--fake-users N`, per vendor): sequential requests on one keep-alive connection, "
                "p50 / p99 ms", "", "| users | " + " | ".join(VOLUME_COLUMNS) + " | first request builds seed, s "
                "(hipp/welkin/nabla/zus) | RSS MiB |", "|---" * (len(VOLUME_COLUMNS) + 3) + "|"]
    for count, v in r["volume"].items():
        cells = [f"{v[k]['p50']:.2f} / {v[k]['p99']:.2f}" for k in VOLUME_COLUMNS]
        firsts = "/".join(f"{t:.2f}" for t in v["first"].values())
        out.append(f"| {int(count):,} | " + " | ".join(cells) + f" | {firsts} | {max(v['rss_after'].values()):.0f} |")
    shares = vendor_memory(r["volume"][str(VOLUMES[-1])])
    out += ["", "Memory at 100k users per vendor (template's RSS growth + a quarter of the base): "
            + ", ".join(f"{k} {v:.0f} MiB" for k, v in shares.items()), ""]
    out += search_report(r["volume"])
    return "\n".join(out)


VOLUME_COLUMNS = ("hipp_list", "hipp_last_page", "hipp_search", "welkin_list", "welkin_last_page", "welkin_search")


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {mem / MIB:.0f} GiB, Python {sys.version.split()[0]}, "
            f"load average {load:.1f} at start")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve-hello", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run [10]")
    parser.add_argument("--samples", type=int, default=200, help="sequential requests per list probe [200]")
    parser.add_argument("--moto-server", default=MOTO_SERVER, help=f"moto_server executable [{MOTO_SERVER}]")
    parser.add_argument("--skip", default="", help="comma-separated: prism, moto")
    parser.add_argument("--json", help="also write the raw figures here")
    parser.add_argument("--only-searches", action="store_true",
                        help="run only the volumes and report the searches (a few minutes)")
    parser.add_argument("--store", help="with --only-searches: serve on this Redis database "
                                        "(redis://HOST:PORT/DB, EMPTIED before each volume) [memory]")
    args = parser.parse_args()
    if args.serve_hello:
        return serve_hello(args.serve_hello)
    pin_client()
    skip = set(filter(None, args.skip.split(",")))
    results = {"machine": machine(), "duration": args.duration, "store": args.store or "memory"}
    if args.store and not args.only_searches:
        parser.error("--store needs --only-searches")
    if args.only_searches:
        results["volume"] = {str(n): volume(n, args.samples, args.store) for n in VOLUMES}
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        rows = search_targets(results["volume"])
        print("\n".join([f"Machine: {results['machine']}", f"Store: {results['store']}", "",
                          "| target | result | measured |", "|---|---|---|",
                         *(f"| {n} | {'PASS' if ok else 'FAIL'} | {t} |" for n, ok, t in rows), "",
                         *search_report(results["volume"])]))
        return
    for name, step in (("startup", lambda: startup(5)), ("control", control_costs), ("plugin", plugin_start),
                       ("throughput", lambda: throughput(args.duration, args.moto_server, skip)),
                       ("volume", lambda: {str(n): volume(n, args.samples) for n in VOLUMES})):
        print(f"bench: {name}...", file=sys.stderr, flush=True)
        results[name] = step()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    print(report(results))


if __name__ == "__main__":
    main()
