"""RedisCollection against collection.Collection: the same operations, over the same seeded base,
give the same answers, step by step (records, orders, pages, counts, claims, dumps)."""

import random

import pytest

from vendor_sandbox.collection import Collection
from vendor_sandbox.redisstore.collection import RedisCollection, Scripts
from vendor_sandbox.redisstore.connection import connect

TENANTS = ["acme", "zen", 7, True]  # typed values: 7, True and "7" are distinct buckets


def seeded_base():
    base = Collection()
    for i in range(30):
        base.put(f"b{i}", {"n": i, "tenant": TENANTS[i % 4]}, index={"tenant": TENANTS[i % 4], "odd": i % 2})
    for i in range(0, 30, 3):
        base.claim("email", f"b{i}@example.com", f"b{i}")
    return base


@pytest.fixture
def pair(redis_server):
    client = connect(redis_server.url(5))
    client.flushdb()
    base = seeded_base()
    memory = Collection(base)
    shared = RedisCollection(client, Scripts(client), "t:{ns}:c:v:users:", "t:{ns}:reg:v", base)
    return memory, shared


def assert_same_views(memory, shared):
    for index, value in [(None, None)] + [("tenant", t) for t in TENANTS] + [("odd", 0), ("odd", 1), ("tenant", "7")]:
        assert shared.list(index, value) == memory.list(index, value), (index, value)
        assert shared.list(index, value, reverse=True) == memory.list(index, value, reverse=True)
        assert shared.count(index, value) == memory.count(index, value), (index, value)
        for offset, limit in [(0, 5), (3, 4), (8, 10), (12, 100), (40, 5), (0, 0), (5, None)]:
            for reverse in (False, True):
                assert shared.page(index, value, offset=offset, limit=limit, reverse=reverse) == \
                    memory.page(index, value, offset=offset, limit=limit, reverse=reverse), \
                    (index, value, offset, limit, reverse)
    assert shared.dump() == memory.dump()


def test_a_fresh_collection_reads_the_base(pair):
    memory, shared = pair
    assert shared.get("b2") == {"n": 2, "tenant": 7}
    assert shared.get("nope") is None
    assert shared.owner("email", "b3@example.com") == "b3"
    assert_same_views(memory, shared)


def random_step(rng, step, op, keys, memory, shared):
    """One operation `op` on a random key, alike on both collections; their answers compared."""
    key = rng.choice(keys)
    if op == "put":
        index = {"tenant": rng.choice(TENANTS), "odd": rng.randrange(2)} if rng.random() < 0.8 else None
        record = {"n": step, "key": key, "text": "é\n\"quoted\""}
        memory.put(key, record, index=index)
        shared.put(key, record, index=index)
    elif op == "delete":
        assert shared.delete(key) == memory.delete(key), step
    elif op == "claim":
        value, owner = f"{rng.choice(keys)}@example.com", rng.choice(keys)
        assert shared.claim("email", value, owner) == memory.claim("email", value, owner), step
    elif op == "release":
        value = f"{rng.choice(keys)}@example.com"
        memory.release("email", value)
        shared.release("email", value)
    elif op == "get":
        assert shared.get(key) == memory.get(key), step
    elif op == "owner":
        value = f"{key}@example.com"
        assert shared.owner("email", value) == memory.owner("email", value), step
    else:
        raise ValueError(op)


def test_random_operations_give_the_same_answers(pair):
    memory, shared = pair
    rng = random.Random(16)
    keys = [f"b{i}" for i in range(30)] + [f"k{i}" for i in range(20)]
    for step in range(400):
        random_step(rng, step, rng.choice(["put", "put", "put", "delete", "claim", "release", "get", "owner"]),
                    keys, memory, shared)
        if step % 50 == 0:
            assert_same_views(memory, shared)
    assert_same_views(memory, shared)


def test_load_replaces_the_base_too(pair):
    memory, shared = pair
    data = {"records": [["x1", {"a": 1}], ["b2", {"a": 2}]], "indexes": {"x1": {"tenant": "acme"}},
            "claims": {"email": {"x@example.com": "x1"}}}
    memory.load(data)
    shared.load(data)
    assert shared.get("b5") is None
    assert shared.owner("email", "b3@example.com") is None
    assert_same_views(memory, shared)
    shared.put("x2", {"a": 3}, index={"tenant": "acme"})
    memory.put("x2", {"a": 3}, index={"tenant": "acme"})
    assert_same_views(memory, shared)


def test_exactly_one_of_many_clients_wins_a_claim(redis_server):
    """Eight clients (as eight workers would be) claim one value at once: one winner."""
    import threading

    base = seeded_base()
    clients = [connect(redis_server.url(6)) for _ in range(8)]
    clients[0].flushdb()
    collections = [RedisCollection(c, Scripts(c), "t:{ns}:c:v:users:", "t:{ns}:reg:v", base) for c in clients]
    outcomes, barrier = [], threading.Barrier(8)

    def claim(i):
        barrier.wait()
        outcomes.append(collections[i].claim("email", "race@example.com", f"owner-{i}"))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 7 + [True]
    winner = collections[0].owner("email", "race@example.com")
    assert [c.owner("email", "race@example.com") for c in collections] == [winner] * 8
