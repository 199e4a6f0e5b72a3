"""Namespaces on Redis: listed by every worker, dropped entirely, evicted when idle."""

from datetime import timedelta

from vendor_sandbox import create_app

HIPP = {"Authorization": "Bearer your-api-key"}
NEW_USER = {"firstName": "Idle", "lastName": "User", "email": "idle@example.com", "role": "PATIENT"}


def test_drop_and_idle_eviction_remove_a_namespace_and_all_its_keys(database, redis_server):
    app = create_app({"STORE_URL": database, "FROZEN_CLOCK": "2025-01-15T10:30:00Z",
                      "NAMESPACE_IDLE_SECONDS": 60})
    other = create_app({"STORE_URL": database, "FROZEN_CLOCK": "2025-01-15T10:30:00Z",
                        "NAMESPACE_IDLE_SECONDS": 60}).test_client()  # a second worker
    client = app.test_client()
    for ns in ("old", "dropped", "kept"):
        assert client.post("/hipp/api/v1/users", json=NEW_USER, headers={**HIPP, "X-Sandbox-Namespace": ns}) \
            .status_code == 200
    db = redis_server.client(int(database.rsplit("/", 1)[1]))
    assert other.delete("/_sandbox/namespace", headers={"X-Sandbox-Namespace": "dropped"}).status_code == 204
    assert db.keys("vs:{dropped}:*") == []
    store = app.extensions["vendor_sandbox.store"]
    store.clock.advance(timedelta(seconds=30))
    client.get("/hipp/api/v1/users", headers={**HIPP, "X-Sandbox-Namespace": "kept"})
    store.clock.advance(timedelta(seconds=45))  # "old" unused for 75 s, "kept" for 45 s
    client.get("/_sandbox/requests", headers={"X-Sandbox-Namespace": "kept"})
    assert db.keys("vs:{old}:*") == []
    assert db.keys("vs:{kept}:*") != []
    names = {n.decode() for n in db.zrange("vs:namespaces", 0, -1)}
    assert names == {"kept"}
    again = client.post("/hipp/api/v1/users", json=NEW_USER, headers={**HIPP, "X-Sandbox-Namespace": "old"})
    assert again.status_code == 200  # rebuilt from the seed: the e-mail is free again
