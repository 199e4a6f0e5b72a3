"""Namespaces end: deleted on request, or forgotten after SANDBOX_NAMESPACE_IDLE_SECONDS of the
process clock (--frozen-clock, else the wall clock); either way they start again from the seed
and leave nothing behind in the store."""

from datetime import timedelta

from .conftest import NS, ClientHttp, create_app

FROZEN = "2025-01-15T10:30:00Z"
HIPP = {"Authorization": "Bearer your-api-key"}
NEW_USER = {"firstName": "Ida", "lastName": "Idle", "email": "ida@example.com", "role": "PATIENT"}


def make(idle=0):
    app = create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "NAMESPACE_IDLE_SECONDS": idle})
    return ClientHttp(app), app.extensions["vendor_sandbox.store"]


def users(http, namespace):
    reply = http.request("GET", "/hipp/api/v1/users?search=ida@", headers={**HIPP, NS: namespace})
    return reply.json["pagination"]["totalCount"]


def create(http, namespace):
    assert http.request("POST", "/hipp/api/v1/users", body=NEW_USER, headers={**HIPP, NS: namespace}).status == 200


def advance(store, seconds):
    """Time passes for the process: idleness is process time, which no namespace's clock moves."""
    store.clock.advance(timedelta(seconds=seconds))


def test_a_deleted_namespace_starts_again_from_the_seed():
    http, store = make()
    create(http, "gone")
    assert http.request("DELETE", "/_sandbox/namespace", headers={NS: "gone"}).status == 204
    assert "gone" not in store.namespaces()
    assert users(http, "gone") == 0


def test_an_idle_namespace_is_forgotten_and_a_busy_one_is_kept():
    http, store = make(idle=60)
    create(http, "idle")
    create(http, "busy")
    advance(store, 50)
    users(http, "busy")
    advance(store, 11)  # "idle" unused for 61 s, "busy" for 11 s
    users(http, "busy")
    assert "idle" not in store.namespaces()
    assert "busy" in store.namespaces()
    assert users(http, "idle") == 0
    assert users(http, "busy") == 1


def test_the_default_namespace_is_never_evicted():
    http, store = make(idle=60)
    create(http, "default")
    advance(store, 3600)
    users(http, "other")
    assert users(http, "default") == 1


def test_eviction_is_off_by_default():
    http, store = make()
    create(http, "kept")
    advance(store, 365 * 24 * 3600)
    users(http, "other")
    assert users(http, "kept") == 1


def test_a_thousand_namespaces_leave_nothing_once_idle():
    http, store = make(idle=60)
    for n in range(1_000):
        create(http, f"many-{n}")
    assert len(store.namespaces()) >= 1_000
    advance(store, 61)
    users(http, "default")
    assert store.namespaces() == ["default"]
