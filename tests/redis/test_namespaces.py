"""Namespaces on Redis: listed by every worker, dropped entirely, evicted when idle."""

from vendor_sandbox import create_app

HIPP = {"Authorization": "Bearer your-api-key"}
NEW_USER = {"firstName": "Idle", "lastName": "User", "email": "idle@example.com", "role": "PATIENT"}


def test_drop_and_idle_eviction_remove_a_namespace_and_all_its_keys(database, redis_server, monkeypatch):
    now = [1000.0]  # real time, which idle time is counted in (the sandbox clock is frozen)
    monkeypatch.setattr("vendor_sandbox.redisstore.lifecycle.wall_time", lambda: now[0])
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
    now[0] += 30
    client.get("/hipp/api/v1/users", headers={**HIPP, "X-Sandbox-Namespace": "kept"})
    now[0] += 45  # "old" unused for 75 s, "kept" for 45 s
    client.get("/_sandbox/requests", headers={"X-Sandbox-Namespace": "kept"})
    assert db.keys("vs:{old}:*") == []
    assert db.keys("vs:{kept}:*") != []
    names = {n.decode() for n in db.zrange("vs:namespaces", 0, -1)}
    assert names == {"kept"}
    again = client.post("/hipp/api/v1/users", json=NEW_USER, headers={**HIPP, "X-Sandbox-Namespace": "old"})
    assert again.status_code == 200  # rebuilt from the seed: the e-mail is free again


def test_a_worker_keeps_a_bounded_number_of_namespace_handles(database, monkeypatch):
    import vendor_sandbox.redisstore as redisstore

    monkeypatch.setattr(redisstore, "MAX_HANDLES", 3)
    client = create_app({"STORE_URL": database}).test_client()
    made = {}
    for n in range(6):
        reply = client.post("/hipp/api/v1/users", json={**NEW_USER, "email": f"h{n}@example.com"},
                            headers={**HIPP, "X-Sandbox-Namespace": f"ns-{n}"})
        made[f"ns-{n}"] = reply.get_json()["user"]["publicId"]
    store = client.application.extensions["vendor_sandbox.store"]
    assert list(store._namespaces) == ["ns-3", "ns-4", "ns-5"]
    for ns, public_id in made.items():  # a forgotten handle is rebuilt; the data was never in it
        assert client.get(f"/hipp/api/v1/users/{public_id}", headers={**HIPP, "X-Sandbox-Namespace": ns}) \
            .status_code == 200
