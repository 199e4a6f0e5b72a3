"""Namespaces end: deleted on request, forgotten after SANDBOX_NAMESPACE_IDLE_SECONDS of real time (on by
default), or, beyond SANDBOX_MAX_NAMESPACES, the least recently used first; never "default". Either way
they start again from the seed and leave nothing behind in the store."""

import pytest

from .conftest import NS, ClientHttp, create_app

FROZEN = "2025-01-15T10:30:00Z"
HIPP = {"Authorization": "Bearer your-api-key"}
NEW_USER = {"firstName": "Ida", "lastName": "Idle", "email": "ida@example.com", "role": "PATIENT"}


@pytest.fixture
def elapse(monkeypatch):
    """Move the store's real-time clock (time.monotonic; the Redis store's wall clock) forward by some seconds."""
    now = [1000.0]
    monkeypatch.setattr("vendor_sandbox.store.monotonic", lambda: now[0])
    monkeypatch.setattr("vendor_sandbox.redisstore.lifecycle.wall_time", lambda: now[0])

    def forward(seconds):
        now[0] += seconds
    return forward


def make(**config):
    app = create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, **config})
    return ClientHttp(app), app.extensions["vendor_sandbox.store"]


def users(http, namespace):
    reply = http.request("GET", "/hipp/api/v1/users?search=ida@", headers={**HIPP, NS: namespace})
    return reply.json["pagination"]["totalCount"]


def create(http, namespace):
    assert http.request("POST", "/hipp/api/v1/users", body=NEW_USER, headers={**HIPP, NS: namespace}).status == 200


def advance(http, seconds):
    assert http.request("POST", "/_sandbox/clock", body={"advance": seconds}).status == 200


def test_a_deleted_namespace_starts_again_from_the_seed():
    http, store = make()
    create(http, "gone")
    assert http.request("DELETE", "/_sandbox/namespace", headers={NS: "gone"}).status == 204
    assert "gone" not in store.namespaces()
    assert users(http, "gone") == 0


def test_an_idle_namespace_is_forgotten_and_a_busy_one_is_kept(elapse):
    http, store = make(NAMESPACE_IDLE_SECONDS=60)
    create(http, "idle")
    create(http, "busy")
    elapse(50)
    users(http, "busy")
    elapse(11)  # "idle" unused for 61 s, "busy" for 11 s
    users(http, "busy")
    assert "idle" not in store.namespaces()
    assert "busy" in store.namespaces()
    assert users(http, "idle") == 0
    assert users(http, "busy") == 1


def test_the_default_namespace_is_never_evicted(elapse):
    http, store = make(NAMESPACE_IDLE_SECONDS=60, MAX_NAMESPACES=2)
    create(http, "default")
    elapse(3600)
    for n in range(5):
        users(http, f"other-{n}")
    assert users(http, "default") == 1


def test_idle_eviction_is_on_by_default_after_an_hour(elapse):
    http, store = make()
    create(http, "kept")
    elapse(3599)
    users(http, "other")
    assert users(http, "kept") == 1
    elapse(3601)
    users(http, "other")
    assert "kept" not in store.namespaces()


def test_moving_the_sandbox_clock_evicts_nothing(elapse):
    """A test that moves the clock a year must not wipe the namespaces other tests are using."""
    http, store = make(NAMESPACE_IDLE_SECONDS=60)
    create(http, "kept")
    advance(http, 365 * 24 * 3600)
    users(http, "other")
    assert users(http, "kept") == 1


def test_idle_eviction_can_be_turned_off(elapse):
    http, store = make(NAMESPACE_IDLE_SECONDS=0)
    create(http, "kept")
    elapse(365 * 24 * 3600)
    users(http, "other")
    assert users(http, "kept") == 1


def test_a_thousand_namespaces_leave_nothing_once_idle(elapse):
    http, store = make(NAMESPACE_IDLE_SECONDS=60, MAX_NAMESPACES=5000)
    for n in range(1_000):
        create(http, f"many-{n}")
    assert len(store.namespaces()) >= 1_000
    elapse(61)
    users(http, "default")
    assert store.namespaces() == ["default"]


def test_beyond_the_maximum_the_least_recently_used_namespace_is_forgotten():
    http, store = make(MAX_NAMESPACES=3)
    for name in ("a", "b", "c"):
        create(http, name)
    users(http, "a")  # "b" is now the least recently used
    create(http, "d")
    assert store.namespaces() == ["a", "c", "d"]
    assert users(http, "b") == 0  # back from the seed, and "c" makes way for it
    assert store.namespaces() == ["a", "b", "d"]
