"""Soak: 200,000 mixed requests against one `vendor-sandbox serve` process, its RSS sampled (about
4 minutes at the ~900 requests/s one server process answers on a quiet 2-core machine);
SANDBOX_SOAK_REQUESTS sets another count.

Every round takes a namespace no one used before, logs in to every vendor, creates, reads, lists and
fails on purpose; half the namespaces are then deleted, the other half left to the idle eviction.
Memory must stay flat: the journal is a ring, and a namespace leaves nothing behind."""

import itertools
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from ..live import LiveServer, console_script
from ..vendors.zus.conftest import user_body
from .conftest import NS, LiveHttp, login

REQUESTS = int(os.environ.get("SANDBOX_SOAK_REQUESTS", 200_000))
CLIENTS = 4
SERVER_THREADS = 4
IDLE_SECONDS = 5
REPORT = Path(os.environ.get("SANDBOX_SOAK_REPORT", "/dev/null"))


def round_requests(logins, n):
    """One round's (method, path, body, door, expected status) in one namespace: 100 requests."""
    hipp = {"firstName": "Soak", "lastName": str(n), "email": f"soak-{n}@example.com", "role": "PATIENT"}
    welkin = {"firstName": "Soak", "lastName": str(n), "username": f"soak-{n}", "email": f"soak-{n}@example.com"}
    plan = [
        ("POST", "/hipp/api/v1/users", hipp, "hipp", 200),
        ("POST", "/hipp/api/v1/users", hipp, "hipp", 400),  # the e-mail is taken now
        ("GET", "/hipp/api/v1/users?pageSize=5", None, "hipp", 200),
        ("GET", "/hipp/api/v1/users/usr_1704880800000_k3v9x2m1a", None, "hipp", 200),
        ("GET", "/hipp/api/v1/users/usr_0_nobody", None, "hipp", 404),
        ("GET", "/hipp/api/v1/users", None, None, 401),
        ("POST", "/nabla/v1/core/server/users", {"external_id": f"soak-{n}"}, "nabla", 200),
        ("POST", "/nabla/v1/copilot-api/server/users", {"external_id": f"soak-{n}"}, "nabla-copilot", 409),
        ("GET", "/nabla/v1/core/server/users?limit=5", None, "nabla", 200),
        ("GET", f"/nabla/v1/core/server/users/find_by_external_id/soak-{n}", None, "nabla", 200),
        ("GET", "/nabla/v1/copilot-api/server/users/98fce1ef-dbca-41ef-8bc7-4d1621ac07c6", None,
         "nabla-copilot", 200),
        ("GET", "/nabla/v1/core/server/users/not-a-uuid", None, "nabla", 400),
        ("GET", "/nabla/v1/core/server/users", None, None, 401),
        ("POST", "/welkin/acme-health/live/users", welkin, "welkin", 201),
        ("POST", "/welkin/acme-health/live/users", welkin, "welkin", 400),
        ("GET", "/welkin/acme-health/live/users?size=5", None, "welkin", 200),
        ("GET", "/welkin/acme-health/live/users/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35", None, "welkin", 200),
        ("GET", "/welkin/acme-health/live/users/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35/territories", None, "welkin", 200),
        ("GET", "/welkin/gh/sb-demo/users", None, "welkin", 403),
        ("GET", "/welkin/acme-health/live/nowhere/x/y", None, "welkin", 404),
        ("POST", "/zus/auth/users", user_body(email=f"soak-{n}@example.com"), "zus", 201),
        ("POST", "/zus/auth/users", user_body(email=f"soak-{n}@example.com"), "zus", 409),
        ("GET", "/zus/auth/users?page[count]=5", None, "zus", 200),
        ("GET", "/zus/auth/roles", None, "zus", 200),
        ("GET", "/zus/fhir/Practitioner?name=a", None, "zus", 200),
        ("GET", "/zus/auth/users/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a51", None, "zus", 200),
        ("GET", "/zus/auth/users", None, None, 401),
        ("POST", "/zus/auth/users", {"data": []}, "zus", 400),
    ]
    plan += [  # and the cheap reads most of a client's traffic is
        ("GET", "/hipp/api/v1/users/usr_1704880800000_k3v9x2m1a", None, "hipp", 200),
        ("GET", "/nabla/v1/copilot-api/server/users/98fce1ef-dbca-41ef-8bc7-4d1621ac07c6", None,
         "nabla-copilot", 200),
        ("GET", "/welkin/acme-health/live/users/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35", None, "welkin", 200),
        ("GET", "/zus/auth/roles", None, "zus", 200),
        ("GET", "/hipp/api/v2/nowhere", None, "hipp", 404),
        ("GET", "/zus/auth/users", None, None, 401),
    ] * 12
    return [(method, path, body, logins[door] if door else {NS: logins["hipp"][NS]}, status)
            for method, path, body, door, status in plan]


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def soak_server():
    server = LiveServer(console_script() + ["serve"], env={
        "SANDBOX_THREADS": str(SERVER_THREADS), "SANDBOX_NAMESPACE_IDLE_SECONDS": str(IDLE_SECONDS),
        "SANDBOX_WELKIN_TOKEN_RATE_LIMIT": "false", "SANDBOX_FROZEN_CLOCK": ""}).wait_ready()
    yield server
    server.stop()


def test_soak_memory_stays_flat_and_namespaces_leave_nothing(soak_server):
    http = LiveHttp(soak_server.url)
    rounds = itertools.count()
    sent = Counter()  # "done" and each unexpected (status, expected, path)
    lock = threading.Lock()
    samples = []  # (requests done, RSS KiB)
    stop = threading.Event()
    errors = []

    def client():
        try:
            rounds_of_requests()
        except Exception as error:  # noqa: BLE001 - a client that stops must fail the test
            errors.append(repr(error))

    def rounds_of_requests():
        while True:
            with lock:
                if sent["done"] >= REQUESTS:
                    return
            n = next(rounds)
            namespace = f"soak-{n}"
            logins = login(http, namespace)
            replies = [(http.request(m, p, body=b, headers=h), s, p) for m, p, b, h, s in round_requests(logins, n)]
            if n % 2 == 0:  # the other half is left for the idle eviction
                replies.append((http.request("DELETE", "/_sandbox/namespace", headers={NS: namespace}), 204, "drop"))
            with lock:
                sent["done"] += len(replies) + 5  # the round's requests and its login
                for reply, expected, path in replies:
                    if reply.status != expected:
                        sent[reply.status, expected, path] += 1

    def sampler():
        while not stop.wait(1.0):
            samples.append((sent["done"], rss_kib(soak_server.process.pid)))

    started = time.perf_counter()
    watcher = threading.Thread(target=sampler, daemon=True)
    watcher.start()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    samples.append((sent["done"], rss_kib(soak_server.process.pid)))

    done = sent.pop("done")
    assert errors == []
    assert sent == Counter()  # every request answered as expected: no 5xx, no surprise
    warm = [rss for count, rss in samples if count >= done // 4]  # after the first quarter
    growth_mib = (max(warm) - warm[0]) / 1024
    figures = {"requests": done, "seconds": round(elapsed, 1), "per_second": round(done / elapsed),
               "namespaces": next(rounds), "rss_mib_at_quarter": round(warm[0] / 1024, 1),
               "rss_mib_max": round(max(rss for _, rss in samples) / 1024, 1),
               "rss_mib_growth_after_quarter": round(growth_mib, 1)}
    REPORT.write_text(f"{figures}\n")
    print(figures)
    assert growth_mib < 24, figures
    assert "Traceback" not in soak_server.output()
