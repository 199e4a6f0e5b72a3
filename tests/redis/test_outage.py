"""Redis unreachable or restarting: every vendor answers 503 in its own shape, quickly, and the
sandbox recovers by itself; /_sandbox/health says so. And the database is guarded: a sandbox with
another seed refuses it; a password in the URL works and is never shown."""

import pytest

from vendor_sandbox import create_app

from ..redisserver import RedisServer
from ..reliability.conftest import LiveHttp, login, vendor_shaped
from .conftest import serve

PROBES = [  # (login door, method, path): one store-backed call per vendor door
    ("hipp", "GET", "/hipp/api/v1/users"),
    ("nabla-copilot", "GET", "/nabla/v1/copilot-api/server/users"),
    ("nabla", "GET", "/nabla/v1/core/server/users"),
    ("welkin", "GET", "/welkin/acme-health/live/users"),
    ("zus", "GET", "/zus/auth/users"),
    ("zus", "GET", "/zus/fhir/Practitioner"),
]


@pytest.fixture
def own_redis():
    server = RedisServer(appendonly=True).start()  # its own process: this test stops and starts it
    yield server
    server.cleanup()


def test_an_unreachable_redis_is_each_vendors_503_and_the_sandbox_recovers(own_redis):
    server = serve(own_redis.url(), workers=2)
    try:
        http = LiveHttp(server.url)
        logins = login(http)
        created = http.request("POST", "/hipp/api/v1/users", headers=logins["hipp"], body={
            "firstName": "Kept", "lastName": "User", "email": "kept@example.com", "role": "PATIENT"})
        assert created.status == 200
        own_redis.stop()
        for door, method, path in PROBES:
            reply = LiveHttp(server.url).request(method, path, headers=logins[door])
            assert reply.status == 503, (path, reply.text)
            assert reply.headers["Content-Type"].startswith("application/"), path
            assert vendor_shaped(path, reply), (path, reply.text)
        health = LiveHttp(server.url).request("GET", "/_sandbox/health")
        assert (health.status, health.json["status"], health.json["store"]) == (503, "unavailable", {
            "kind": "redis", "url": own_redis.url(), "reachable": False})
        own_redis.start()  # the same port, its append-only file: the data is back
        for door, method, path in PROBES:
            assert LiveHttp(server.url).request(method, path, headers=logins[door]).status == 200, path
        public_id = created.json["user"]["publicId"]
        assert http.request("GET", f"/hipp/api/v1/users/{public_id}", headers=logins["hipp"]).status == 200
        assert LiveHttp(server.url).request("GET", "/_sandbox/health").json["store"]["reachable"] is True
    finally:
        server.stop()


def test_a_sandbox_with_another_seed_refuses_the_database(database):
    create_app({"STORE_URL": database, "SEED": 0})
    create_app({"STORE_URL": database, "SEED": 0})  # the same seed and fixtures share it
    with pytest.raises(ValueError) as refused:
        create_app({"STORE_URL": database, "SEED": 1})
    assert str(refused.value) == (
        f"{database} holds another sandbox's state (a different seed or fixtures); "
        "use another database (redis://host:port/N) or empty this one")


def test_a_database_laid_out_by_an_older_format_is_refused(database, monkeypatch):
    """Format 1 (a plain draw counter, journal entries without raw material) would be misread."""
    from vendor_sandbox import redisstore

    with monkeypatch.context() as older:
        older.setattr(redisstore, "FORMAT", 1)
        create_app({"STORE_URL": database, "SEED": 0})
    with pytest.raises(ValueError) as refused:
        create_app({"STORE_URL": database, "SEED": 0})
    assert str(refused.value) == (
        f"{database} holds another sandbox's state (a different seed or fixtures); "
        "use another database (redis://host:port/N) or empty this one")


def test_a_password_in_the_url_works_and_is_never_shown():
    secured = RedisServer(password="s3cret-pass").start()
    try:
        server = serve(secured.url(2), workers=1)
        try:
            http = LiveHttp(server.url)
            health = http.request("GET", "/_sandbox/health").json["store"]
            assert health == {"kind": "redis", "url": f"redis://:***@127.0.0.1:{secured.port}/2", "reachable": True}
            logins = login(http)
            assert http.request("GET", "/hipp/api/v1/users", headers=logins["hipp"]).status == 200
            assert secured.client(2).exists("vs:fingerprint") == 1
        finally:
            server.stop()
    finally:
        secured.cleanup()


@pytest.mark.parametrize("direction", ["memory-to-redis", "redis-to-memory"])
def test_a_snapshot_exported_from_one_store_imports_into_the_other(database, direction):
    memory = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client()
    shared = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "STORE_URL": database}).test_client()
    source, target = (memory, shared) if direction == "memory-to-redis" else (shared, memory)
    key = {"Authorization": "Bearer your-api-key"}
    created = source.post("/hipp/api/v1/users", json={"firstName": "Snap", "lastName": "Shot",
                                                      "email": "snap@example.com", "role": "PATIENT"}, headers=key)
    assert created.status_code == 200
    source.post("/welkin/auth/token", json={"apiClient": "your-api-client-key", "secret": "your-api-client-secret"})
    snapshot = source.get("/_sandbox/state").get_json()
    assert target.put("/_sandbox/state", json=snapshot).status_code == 200
    assert target.get("/_sandbox/state").get_json() == snapshot
    public_id = created.get_json()["user"]["publicId"]
    assert target.get(f"/hipp/api/v1/users/{public_id}", headers=key).status_code == 200
    again = target.post("/hipp/api/v1/users", json={"firstName": "Snap", "lastName": "Shot",
                                                    "email": "snap@example.com", "role": "PATIENT"}, headers=key)
    assert again.status_code == 400  # the restored e-mail claim holds
