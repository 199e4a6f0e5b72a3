"""The safety bounds hold on Redis too, across workers: at most SANDBOX_MAX_NAMESPACES namespaces (the
least recently used forgotten first, whichever worker used them), and journals of at most
SANDBOX_JOURNAL_BYTES each and SANDBOX_JOURNAL_TOTAL_BYTES together (counted as the bytes Redis holds)."""

from vendor_sandbox import create_app

HIPP = {"Authorization": "Bearer your-api-key"}
NS = "X-Sandbox-Namespace"
BIG = {"firstName": "Big", "lastName": "Body", "note": "x" * 8000}


def new_user(n):
    return {"firstName": "Lru", "lastName": "User", "email": f"lru-{n}@example.com", "role": "PATIENT"}


def db(redis_server, database):
    return redis_server.client(int(database.rsplit("/", 1)[1]))


def names(client):
    return sorted(n.decode() for n in client.zrange("vs:namespaces", 0, -1))


def test_beyond_the_maximum_the_least_recently_used_of_any_worker_is_forgotten(database, redis_server):
    one = create_app({"STORE_URL": database, "MAX_NAMESPACES": 3}).test_client()
    two = create_app({"STORE_URL": database, "MAX_NAMESPACES": 3}).test_client()  # a second worker
    redis = db(redis_server, database)
    for n, name in enumerate("abc"):
        assert one.post("/hipp/api/v1/users", json=new_user(n), headers={**HIPP, NS: name}).status_code == 200
    assert two.get("/hipp/api/v1/users", headers={**HIPP, NS: "b"}).status_code == 200  # b: used last
    assert two.get("/hipp/api/v1/users", headers={**HIPP, NS: "a"}).status_code == 200  # then a
    assert one.post("/hipp/api/v1/users", json=new_user(9), headers={**HIPP, NS: "d"}).status_code == 200
    assert names(redis) == ["a", "b", "d"]  # c was the least recently used, through either worker
    assert redis.keys("vs:{c}:*") == []
    # worker one still holds a handle on c: its next request counts c again (b, least recent, goes)
    listed = one.get("/hipp/api/v1/users?search=lru-", headers={**HIPP, NS: "c"}).get_json()
    assert listed["pagination"]["totalCount"] == 0  # back from the seed
    assert names(redis) == ["a", "c", "d"]


def test_the_default_namespace_is_never_forgotten(database, redis_server):
    client = create_app({"STORE_URL": database, "MAX_NAMESPACES": 2}).test_client()
    assert client.post("/hipp/api/v1/users", json=new_user(0), headers=HIPP).status_code == 200
    for n in range(5):
        assert client.get("/hipp/api/v1/users", headers={**HIPP, NS: f"other-{n}"}).status_code == 200
    assert names(db(redis_server, database)) == ["default", "other-4"]
    listed = client.get("/hipp/api/v1/users?search=lru-", headers=HIPP).get_json()
    assert listed["pagination"]["totalCount"] == 1


def journal_bytes(redis, name):
    """(what the byte counter says, what the entries Redis holds weigh)."""
    held = int(redis.get(f"vs:{{{name}}}:journal:bytes") or 0)
    return held, sum(len(raw) for raw in redis.lrange(f"vs:{{{name}}}:journal", 0, -1))


def test_a_journal_keeps_at_most_its_bytes_and_the_newest_entries(database, redis_server):
    client = create_app({"STORE_URL": database, "JOURNAL_BYTES": 64 * 1024}).test_client()
    for n in range(40):
        client.post(f"/hipp/api/v1/users?n={n}", json=BIG, headers=HIPP)
    held, weighed = journal_bytes(db(redis_server, database), "default")
    assert held == weighed <= 64 * 1024
    entries = client.get("/_sandbox/requests").get_json()["requests"]
    assert 3 <= len(entries) < 8  # each entry holds its 8 kB body (and the 8 kB error echoing it)
    assert entries[-1]["query"] == {"n": ["39"]} and entries[-1]["body"]["note"] == BIG["note"]


def test_all_journals_together_keep_at_most_the_total_and_a_drop_gives_its_bytes_back(database, redis_server):
    config = {"STORE_URL": database, "JOURNAL_BYTES": 1024 * 1024, "JOURNAL_TOTAL_BYTES": 128 * 1024}
    workers = [create_app(config).test_client(), create_app(config).test_client()]
    redis = db(redis_server, database)
    for n in range(10):
        for k in range(10):
            workers[k % 2].post("/hipp/api/v1/users", json=BIG, headers={**HIPP, NS: f"ns-{n}"})
    counted = {name: journal_bytes(redis, name) for name in names(redis)}
    assert all(held == weighed for held, weighed in counted.values()), counted
    total = int(redis.get("vs:journals:bytes"))
    assert total == sum(held for held, _ in counted.values()) <= 128 * 1024
    assert counted["ns-9"][0] > 0  # the newest namespace still has its latest requests
    for name in counted:
        assert workers[0].delete("/_sandbox/namespace", headers={NS: name}).status_code == 204
    assert int(redis.get("vs:journals:bytes")) == 0
    assert redis.zcard("vs:journals") == 0


def test_a_namespace_forgotten_beyond_the_maximum_releases_its_credentials_on_every_worker(database, redis_server):
    one = create_app({"STORE_URL": database, "MAX_NAMESPACES": 2}).test_client()
    two = create_app({"STORE_URL": database, "MAX_NAMESPACES": 2}).test_client()
    key = one.post("/_sandbox/credentials", json={"vendor": "hipp"}, headers={NS: "bound"}).get_json()["apiKey"]
    assert two.get("/hipp/api/v1/users", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    for name in ("x", "y"):  # "bound" is the least recently used: forgotten
        assert one.get("/hipp/api/v1/users", headers={**HIPP, NS: name}).status_code == 200
    assert "bound" not in names(db(redis_server, database))
    assert db(redis_server, database).hgetall("vs:bindings") == {}
    for worker in (two, one):  # the key is the default namespace's now, where no such key exists
        reply = worker.get("/hipp/api/v1/users", headers={"Authorization": f"Bearer {key}"})
        assert (reply.status_code, reply.get_json()) == (401, {"error": "Invalid API key"})
