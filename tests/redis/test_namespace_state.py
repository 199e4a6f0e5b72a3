"""A namespace's clock, settings and credential bindings are the same on every worker: each is
moved through one worker process and read through the other, over connections pinned to each."""

import threading
import time
from datetime import UTC, datetime

import jwt
import pytest

from ..redisserver import RedisServer
from ..reliability.conftest import LiveHttp, login
from ..reliability.test_tokens import EXPIRED, HOUR
from .conftest import FROZEN, serve
from .pinned import one_per_worker

NS = "X-Sandbox-Namespace"
MOVED = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
MOVED_ISO = "2031-05-06T07:08:09.000Z"
FROZEN_DOCUMENT = {"now": "2025-01-15T10:30:00.000Z", "epoch": 1736937000.0, "frozen": True}
HIPP_PATIENT = {"firstName": "Clock", "lastName": "Reader", "role": "PATIENT"}
ZUS_PRODUCTION = "https://api.zusapi.com"
ZUS_BACKEND = {"grant_type": "client_credentials", "client_id": "AcmeBackendM2MClient0000000000a1",
               "client_secret": "acme-backend-secret-" + "0" * 44, "audience": ZUS_PRODUCTION}
ZUS_REFUSED = {"error": "access_denied", "error_description": f"Service not found: {ZUS_PRODUCTION}"}
PROCESS_SETTINGS = {"zus_environment": "sandbox", "zus_tokens_per_hour": 200, "welkin_token_rate_limit": True,
                    "nabla_pinned_version": None, "nabla_rate_limit_per_minute": None}


@pytest.fixture
def sandbox(database):
    """(server, (worker a, worker b)): two workers on one Redis, a connection pinned to each."""
    server = serve(database, workers=2)
    pinned = one_per_worker(server)
    try:
        yield server, tuple(pinned.values())
    finally:
        for connection in pinned.values():
            connection.close()
        server.stop()


def ns(name, **headers):
    return {NS: name, **headers}


def hipp(key, namespace=None):
    return {"Authorization": f"Bearer {key}", **({NS: namespace} if namespace else {})}


def journaled(worker, namespace):
    status, body = worker.call("GET", "/_sandbox/requests?vendor=hipp", headers=ns(namespace))
    assert status == 200, body
    return [(entry["method"], entry["path"], entry["status"]) for entry in body["requests"]]


def test_a_clock_moved_through_one_worker_stamps_what_the_other_serves(sandbox):
    _, (a, b) = sandbox
    for worker in (a, b):  # both workers hold the namespace (and its clock) before the move
        assert worker.call("GET", "/_sandbox/clock", headers=ns("stamps")) == (200, FROZEN_DOCUMENT)
    assert a.call("POST", "/_sandbox/clock", {"set": "2031-05-06T07:08:09Z"}, ns("stamps")) == (200, {
        "now": MOVED_ISO, "epoch": MOVED.timestamp(), "frozen": True})
    assert b.call("GET", "/_sandbox/clock", headers=ns("stamps")) == (200, {
        "now": MOVED_ISO, "epoch": MOVED.timestamp(), "frozen": True})
    status, created = b.call("POST", "/hipp/api/v1/users", HIPP_PATIENT, hipp("your-api-key", "stamps"))
    assert status == 200, created
    assert created["user"]["createdAt"] == MOVED_ISO
    status, journal = a.call("GET", "/_sandbox/requests?vendor=hipp", headers=ns("stamps"))
    assert [entry["timestamp"] for entry in journal["requests"]] == [MOVED_ISO]
    # a forced delay skips the first round trip: the clock moved through the other worker still stamps
    assert a.call("POST", "/_sandbox/clock", {"advance": 60}, ns("stamps"))[0] == 200
    status, delayed = b.call("POST", "/hipp/api/v1/users", HIPP_PATIENT,
                             {**hipp("your-api-key", "stamps"), "X-Sandbox-Fault": "delay=1"})
    assert (status, delayed["user"]["createdAt"]) == (200, "2031-05-06T07:09:09.000Z")
    # another namespace keeps the process clock on both
    for worker in (a, b):
        assert worker.call("GET", "/_sandbox/clock", headers=ns("elsewhere")) == (200, FROZEN_DOCUMENT)


def test_advances_through_both_workers_add_up(sandbox):
    _, (a, b) = sandbox
    assert a.call("POST", "/_sandbox/clock", {"advance": 60}, ns("sum"))[1]["now"] == "2025-01-15T10:31:00.000Z"
    assert b.call("POST", "/_sandbox/clock", {"advance": 0.25}, ns("sum"))[1]["now"] == "2025-01-15T10:31:00.250Z"
    assert a.call("POST", "/_sandbox/clock", {"advance": -30.5}, ns("sum"))[1]["now"] == "2025-01-15T10:30:29.750Z"
    assert a.call("GET", "/_sandbox/clock", headers=ns("sum"))[1]["now"] == "2025-01-15T10:30:29.750Z"
    assert b.call("POST", "/_sandbox/clock", {"unfreeze": True}, ns("sum")) == (200, FROZEN_DOCUMENT)
    assert a.call("GET", "/_sandbox/clock", headers=ns("sum")) == (200, FROZEN_DOCUMENT)


def test_an_advance_past_the_year_9999_is_a_400_and_moves_nothing_on_either_worker(sandbox):
    _, (a, b) = sandbox
    assert a.call("POST", "/_sandbox/clock", {"set": "9999-12-31T23:00:00Z"}, ns("edge"))[0] == 200
    assert b.call("POST", "/_sandbox/clock", {"advance": 7200}, ns("edge")) == (400, {"error": {
        "code": "invalid_clock",
        "message": "advance takes seconds (at most 3153600000 either way), set an ISO-8601 instant, unfreeze true"}})
    for worker in (a, b):
        assert worker.call("GET", "/_sandbox/clock", headers=ns("edge"))[1]["now"] == "9999-12-31T23:00:00.000Z"


@pytest.mark.parametrize("door", EXPIRED)
def test_a_token_expires_on_every_worker_when_one_worker_moves_the_clock(sandbox, door):
    server, (a, b) = sandbox
    path, status, body = EXPIRED[door]
    headers = login(LiveHttp(server.url), "expiry")[door]
    for worker in (a, b):
        assert worker.call("GET", path, headers=headers)[0] == 200
    assert a.call("POST", "/_sandbox/clock", {"advance": HOUR - 1}, ns("expiry"))[0] == 200
    assert [worker.call("GET", path, headers=headers)[0] for worker in (a, b)] == [200, 200]
    assert b.call("POST", "/_sandbox/clock", {"advance": 1}, ns("expiry"))[0] == 200
    assert [worker.call("GET", path, headers=headers) for worker in (b, a)] == [(status, body)] * 2


def test_a_settings_patch_through_one_worker_applies_on_the_other(sandbox):
    _, (a, b) = sandbox
    for worker in (a, b):
        assert worker.call("POST", "/zus/oauth/token", ZUS_BACKEND, ns("prod")) == (403, ZUS_REFUSED)
    status, patched = a.call("PATCH", "/_sandbox/settings", {"zus_environment": "production"}, ns("prod"))
    assert (status, patched["overridden"]) == (200, ["zus_environment"])
    assert b.call("GET", "/_sandbox/settings", headers=ns("prod")) == (200, {
        "namespace": "prod", "settings": {**PROCESS_SETTINGS, "zus_environment": "production"},
        "overridden": ["zus_environment"]})
    for worker in (b, a):
        status, token = worker.call("POST", "/zus/oauth/token", ZUS_BACKEND, ns("prod"))
        assert status == 200, token
    assert b.call("POST", "/zus/oauth/token", ZUS_BACKEND, ns("other")) == (403, ZUS_REFUSED)
    # null gives the process setting back, on both
    assert b.call("PATCH", "/_sandbox/settings", {"zus_environment": None}, ns("prod"))[1]["overridden"] == []
    for worker in (a, b):
        assert worker.call("POST", "/zus/oauth/token", ZUS_BACKEND, ns("prod")) == (403, ZUS_REFUSED)


def test_the_control_plane_of_the_other_worker_reads_the_moved_clock_and_settings_too(sandbox):
    """GET /_sandbox/credentials builds each vendor's tokens from the namespace's settings (Zus's
    audience) and clock: through a worker that served no vendor request since the change, too."""
    _, (a, b) = sandbox
    for worker in (a, b):  # both hold the namespace first
        assert worker.call("GET", "/_sandbox/credentials", headers=ns("listed"))[0] == 200
    assert a.call("PATCH", "/_sandbox/settings", {"zus_environment": "production"}, ns("listed"))[0] == 200
    assert a.call("POST", "/_sandbox/clock", {"set": "2031-05-06T07:08:09Z"}, ns("listed"))[0] == 200
    status, listed = b.call("GET", "/_sandbox/credentials", headers=ns("listed"))
    assert status == 200
    token = next(c for c in listed["zus"] if c["name"] == "Ada Admin")["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert ZUS_PRODUCTION in claims["aud"] and claims["iat"] == int(MOVED.timestamp()), claims
    zus = {NS: "listed", "Authorization": f"Bearer {token}"}
    for worker in (a, b):
        assert worker.call("GET", "/zus/auth/users", headers=zus)[0] == 200


def test_a_credential_minted_through_one_worker_binds_what_the_other_serves(sandbox):
    _, (a, b) = sandbox
    assert b.call("GET", "/hipp/api/v1/users", headers=hipp("your-api-key"))[0] == 200  # b's bindings: none
    status, entry = a.call("POST", "/_sandbox/credentials", {"vendor": "hipp"}, ns("minted"))
    assert status == 201, entry
    key = entry["apiKey"]
    for worker in (b, a):  # no namespace header: the key alone puts the request in "minted"
        status, listed = worker.call("GET", "/hipp/api/v1/users", headers=hipp(key))
        assert status == 200, listed
    assert journaled(a, "minted") == [("GET", "/hipp/api/v1/users", 200)] * 2
    assert journaled(b, "default") == [("GET", "/hipp/api/v1/users", 200)]


def test_racing_registrations_of_one_key_from_both_workers_bind_it_once(sandbox):
    server, _ = sandbox
    # a fresh connection per worker and thread, so that the registrations race inside both workers
    pinned = [p for _ in range(3) for p in one_per_worker(server).values()]
    answers, start = {}, threading.Barrier(len(pinned))

    def register(n, worker):
        start.wait()
        answers[n] = worker.call("POST", "/_sandbox/credentials", {"vendor": "hipp", "apiKey": "one-shared-key"},
                                 ns(f"race-{n}"))

    threads = [threading.Thread(target=register, args=(n, w)) for n, w in enumerate(pinned)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [n for n, (status, _) in answers.items() if status == 201]
    assert len(won) == 1, answers
    assert sorted(status for status, _ in answers.values()) == [201] + [409] * (len(pinned) - 1)
    assert {body["error"]["code"] for status, body in answers.values() if status == 409} == {"credential_exists"}
    for worker in pinned:
        assert worker.call("GET", "/hipp/api/v1/users", headers=hipp("one-shared-key"))[0] == 200
        worker.close()
    assert len(journaled(pinned[0], f"race-{won[0]}")) == len(pinned)


@pytest.mark.parametrize("forget", ["reset", "drop"])
def test_a_reset_or_a_drop_through_one_worker_clears_all_three_on_the_other(sandbox, forget):
    _, (a, b) = sandbox
    key = a.call("POST", "/_sandbox/credentials", {"vendor": "hipp"}, ns("gone"))[1]["apiKey"]
    assert a.call("POST", "/_sandbox/clock", {"set": "2031-05-06T07:08:09Z"}, ns("gone"))[0] == 200
    assert a.call("PATCH", "/_sandbox/settings", {"zus_environment": "production"}, ns("gone"))[0] == 200
    for worker in (a, b):  # both workers hold all three
        assert worker.call("GET", "/hipp/api/v1/users", headers=hipp(key))[0] == 200
        assert worker.call("POST", "/zus/oauth/token", ZUS_BACKEND, ns("gone"))[0] == 200
    if forget == "reset":
        assert b.call("POST", "/_sandbox/reset", {}, ns("gone"))[0] == 200
    else:
        assert b.call("DELETE", "/_sandbox/namespace", headers=ns("gone")) == (204, None)
    for worker in (a, b):
        assert worker.call("GET", "/_sandbox/clock", headers=ns("gone")) == (200, FROZEN_DOCUMENT)
        assert worker.call("GET", "/_sandbox/settings", headers=ns("gone"))[1]["overridden"] == []
        assert worker.call("POST", "/zus/oauth/token", ZUS_BACKEND, ns("gone")) == (403, ZUS_REFUSED)
        # the key is bound no more: the request is the default namespace's, where no such key exists
        assert worker.call("GET", "/hipp/api/v1/users", headers=hipp(key)) == (401, {"error": "Invalid API key"})
    # and free to register again, from either worker
    assert a.call("POST", "/_sandbox/credentials", {"vendor": "hipp", "apiKey": key}, ns("again"))[0] == 201


def test_a_snapshot_round_trip_keeps_the_bindings_on_every_worker(sandbox):
    _, (a, b) = sandbox
    key = a.call("POST", "/_sandbox/credentials", {"vendor": "hipp"}, ns("saved"))[1]["apiKey"]
    status, snapshot = b.call("GET", "/_sandbox/state", headers=ns("saved"))
    assert status == 200
    assert b.call("POST", "/_sandbox/reset", {}, ns("saved"))[0] == 200
    assert a.call("GET", "/hipp/api/v1/users", headers=hipp(key))[0] == 401
    assert a.call("PUT", "/_sandbox/state", snapshot, ns("restored"))[0] in (200, 204)
    for worker in (b, a):
        assert worker.call("GET", "/hipp/api/v1/users", headers=hipp(key))[0] == 200
    assert journaled(b, "restored") == [("GET", "/hipp/api/v1/users", 200)] * 2
    assert journaled(b, "saved") == []


@pytest.fixture
def own_redis():
    server = RedisServer(appendonly=True).start()  # its own process: the test stops and starts it
    yield server
    server.cleanup()


UNAVAILABLE = {"error": {"code": "service_unavailable",
                         "message": "The sandbox's shared store (Redis) is unreachable; retry shortly."}}


def test_with_redis_unreachable_all_three_answer_503_and_come_back_with_it(own_redis):
    server = serve(own_redis.url(), workers=2)
    pinned = one_per_worker(server)
    a, b = pinned.values()
    try:
        key = a.call("POST", "/_sandbox/credentials", {"vendor": "hipp"}, ns("outage"))[1]["apiKey"]
        assert a.call("POST", "/_sandbox/clock", {"set": "2031-05-06T07:08:09Z"}, ns("outage"))[0] == 200
        assert a.call("PATCH", "/_sandbox/settings", {"zus_environment": "production"}, ns("outage"))[0] == 200
        for worker in (a, b):
            assert worker.call("GET", "/hipp/api/v1/users", headers=hipp(key))[0] == 200
        own_redis.stop()
        for worker in (a, b):
            started = time.monotonic()
            assert worker.call("GET", "/_sandbox/clock", headers=ns("outage")) == (503, UNAVAILABLE)
            assert worker.call("POST", "/_sandbox/clock", {"advance": 5}, ns("outage")) == (503, UNAVAILABLE)
            assert worker.call("GET", "/_sandbox/settings", headers=ns("outage")) == (503, UNAVAILABLE)
            assert worker.call("PATCH", "/_sandbox/settings", {"zus_environment": None}, ns("outage")) == \
                (503, UNAVAILABLE)
            assert worker.call("POST", "/_sandbox/credentials", {"vendor": "hipp"}, ns("outage")) == \
                (503, UNAVAILABLE)
            status, body = worker.call("GET", "/hipp/api/v1/users", headers=hipp(key))  # bound: Hipp's 503
            assert status == 503 and isinstance(body, dict) and isinstance(body["error"], str), body
            assert time.monotonic() - started < 30  # six requests, each within the store's timeouts
        own_redis.start()  # the same port, its append-only file: all three are back
        for worker in (b, a):
            assert worker.call("GET", "/_sandbox/clock", headers=ns("outage"))[1]["now"] == MOVED_ISO
            assert worker.call("GET", "/_sandbox/settings", headers=ns("outage"))[1]["overridden"] == \
                ["zus_environment"]
            assert worker.call("GET", "/hipp/api/v1/users", headers=hipp(key))[0] == 200
        assert journaled(a, "outage") == [("GET", "/hipp/api/v1/users", 200)] * 4
    finally:
        for worker in (a, b):
            worker.close()
        server.stop()
