"""`serve --workers N --store redis://...`: workers share every write, a killed worker loses no
acknowledged write, a restart keeps every namespace, and the in-memory store refuses N > 1."""

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

from ..live import console_script
from .conftest import children, serve

HIPP = {"Authorization": "Bearer your-api-key", "Content-Type": "application/json"}
NS = "X-Sandbox-Namespace"


def call(server, method, path, body=None, headers=None):
    """(status, parsed body) over a new connection, so that requests spread over the workers."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def hipp_user(n):
    return {"firstName": "Load", "lastName": f"User {n}", "email": f"load-{n}@example.com", "role": "PATIENT"}


def test_more_than_one_worker_needs_the_shared_store():
    done = subprocess.run([*console_script(), "serve", "--workers", "2", "--port", "0"], capture_output=True,
                          text=True, timeout=60, env={k: v for k, v in os.environ.items() if k != "SANDBOX_STORE_URL"})
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: --workers 2 needs the shared store: the in-memory store lives in one process, so each worker "
        "would answer from its own copy. Pass --store redis://HOST:PORT/DB (SANDBOX_STORE_URL), or serve with "
        "one worker and --threads")


def test_every_worker_sees_every_write(database):
    server = serve(database, workers=2)
    try:
        assert len(children(server.process.pid)) == 2
        created = [call(server, "POST", "/hipp/api/v1/users", hipp_user(n), HIPP) for n in range(20)]
        assert [status for status, _ in created] == [200] * 20
        ids = [body["user"]["publicId"] for _, body in created]
        assert len(set(ids)) == 20
        for public_id in ids * 2:  # each read lands on either worker
            assert call(server, "GET", f"/hipp/api/v1/users/{public_id}", headers=HIPP)[0] == 200
        again = call(server, "POST", "/hipp/api/v1/users", hipp_user(3), HIPP)
        assert again == (400, {"error": "Validation error", "details": [
            {"code": "custom", "message": "Email already exists", "path": ["email"]}]})
    finally:
        server.stop()


def test_a_worker_killed_under_load_loses_no_acknowledged_write(database):
    server = serve(database, workers=2)
    acknowledged, stop = {}, threading.Event()

    def load(thread):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                status, body = call(server, "POST", "/hipp/api/v1/users", hipp_user(f"{thread}-{n}"), HIPP)
            except OSError:  # the killed worker's connections: never acknowledged
                continue
            if status == 200:
                acknowledged[body["user"]["publicId"]] = body["user"]

    try:
        threads = [threading.Thread(target=load, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        victim = children(server.process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join()
        deadline = time.monotonic() + 10  # the parent starts a new worker in the killed one's place
        while time.monotonic() < deadline and (victim in children(server.process.pid)
                                               or len(children(server.process.pid)) < 2):
            time.sleep(0.1)
        assert victim not in children(server.process.pid) and len(children(server.process.pid)) == 2
        assert len(acknowledged) > 20
        for public_id, user in acknowledged.items():
            status, read = call(server, "GET", f"/hipp/api/v1/users/{public_id}", headers=HIPP)
            assert status == 200
            shared = set(user) & set(read) - {"organization"}  # a read is Hipp's demographic shape
            assert {"publicId", "firstName", "lastName", "role"} <= shared
            assert {k: read[k] for k in shared} == {k: user[k] for k in shared}
        # no half-written record: every listed user is whole, and the total is what the list holds
        status, page = call(server, "GET", "/hipp/api/v1/users?search=load-&pageSize=100&page=1", headers=HIPP)
        total, listed, number = page["pagination"]["totalCount"], [], 1
        while page["data"]:
            listed += page["data"]
            number += 1
            page = call(server, "GET", f"/hipp/api/v1/users?search=load-&pageSize=100&page={number}",
                        headers=HIPP)[1]
        assert len(listed) == total >= len(acknowledged)
        assert set(acknowledged) <= {u["publicId"] for u in listed}
        assert all(u["firstName"] == "Load" and u["lastName"].startswith("User ") for u in listed)
    finally:
        stop.set()
        server.stop()


def test_restarting_every_worker_keeps_every_namespace(database):
    server = serve(database, workers=2)
    try:
        made = {}
        for ns in ("team-a", "team-b", "team-c"):
            status, body = call(server, "POST", "/hipp/api/v1/users", hipp_user(ns), {**HIPP, NS: ns})
            assert status == 200
            made[ns] = body["user"]["publicId"]
        call(server, "POST", "/_sandbox/faults", {"vendor": "hipp", "path": "/api/v1/nothing", "status": 503},
             {NS: "team-a", "Content-Type": "application/json"})
        journal = call(server, "GET", "/_sandbox/requests", headers={NS: "team-b"})[1]["requests"]
        state = call(server, "GET", "/_sandbox/state", headers={NS: "team-c"})[1]
        faults = call(server, "GET", "/_sandbox/faults", headers={NS: "team-a"})[1]
    finally:
        server.stop()
    server = serve(database, workers=2)
    try:
        for ns, public_id in made.items():
            assert call(server, "GET", f"/hipp/api/v1/users/{public_id}", headers={**HIPP, NS: ns})[0] == 200
            assert call(server, "GET", f"/hipp/api/v1/users/{public_id}", headers=HIPP)[0] == 404
        assert call(server, "GET", "/_sandbox/requests", headers={NS: "team-b"})[1]["requests"][:len(journal)] == journal
        assert call(server, "GET", "/_sandbox/state", headers={NS: "team-c"})[1] == state
        assert call(server, "GET", "/_sandbox/faults", headers={NS: "team-a"})[1] == faults
    finally:
        server.stop()


def test_a_sequential_run_gives_the_same_ids_on_two_fresh_databases(redis_server):
    answers = []
    for db in (60, 61):
        redis_server.client(db).flushdb()
        server = serve(redis_server.url(db), workers=2)
        try:
            answers.append([call(server, "POST", "/hipp/api/v1/users", hipp_user(n), HIPP) for n in range(6)])
        finally:
            server.stop()
    assert answers[0] == answers[1]
    assert len({body["user"]["publicId"] for _, body in answers[0]}) == 6


def test_every_worker_sees_a_change_to_a_seeded_record_at_once(database):
    """Workers cache which seeded records a namespace changed, by version: a change made through
    one worker is what the next request reads through either."""
    server = serve(database, workers=2)
    nabla = {"Authorization": "Bearer sk_test_example_health_0f8a2c4e6b1d3f5a", "Content-Type": "application/json"}
    path = "/nabla/v1/copilot-api/server/users/98fce1ef-dbca-41ef-8bc7-4d1621ac07c6"
    try:
        for _ in range(6):  # both workers read (and cache) the seeded record first
            assert call(server, "GET", path, headers=nabla)[1]["metadata"] == {"team": "cardio"}
        for n in range(6):
            status, _ = call(server, "PATCH", path, {"metadata": {"team": f"t{n}"}}, nabla)
            assert status == 200
            assert [call(server, "GET", path, headers=nabla)[1]["metadata"] for _ in range(4)] == \
                [{"team": f"t{n}"}] * 4
        status, _ = call(server, "POST", "/_sandbox/reset", {"vendor": "nabla"}, {"Content-Type": "application/json"})
        assert status == 200
        assert [call(server, "GET", path, headers=nabla)[1]["metadata"] for _ in range(4)] == [{"team": "cardio"}] * 4
    finally:
        server.stop()


def test_a_fault_with_times_fires_exactly_that_often_across_workers(database):
    server = serve(database, workers=2)
    try:
        status, rule = call(server, "POST", "/_sandbox/faults", {"vendor": "hipp", "status": 503, "times": 5},
                            {"Content-Type": "application/json"})
        assert status == 201, rule
        statuses = [call(server, "GET", "/hipp/api/v1/users", headers=HIPP)[0] for _ in range(20)]
        assert sorted(statuses) == [200] * 15 + [503] * 5
        (listed,) = call(server, "GET", "/_sandbox/faults")[1]["faults"]
        assert (listed["fired"], listed["remaining"]) == (5, 0)
    finally:
        server.stop()
