"""The Redis store's searches answer from the template's indexes and the namespace's own records,
and answer exactly what the in-memory store answers: Collection against RedisCollection over the
same writes, then each vendor's search over HTTP on both stores after the same requests."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendor_sandbox.collection import Collection, Scanning
from vendor_sandbox.redisstore.collection import RedisCollection, Scripts
from vendor_sandbox.redisstore.connection import StoreUnavailable, connect

from ..live import free_port
from ..test_search_index import (
    FIELDS, apply, apply_ordered, buckets, by_created, cut_queries, first_is_text, keys, ordered_write, write,
)

_prefixes = itertools.count()


@pytest.fixture(scope="module")
def redis_client(redis_server):
    client = connect(redis_server.url(7))
    client.flushdb()
    return client


def over(base, client, name="users"):
    """A namespace's layer over `base` in each store: (Collection, RedisCollection), on fresh keys."""
    n = next(_prefixes)
    shared = RedisCollection(client, Scripts(client), f"t:{{ns{n}}}:c:v:{name}:", f"t:{{ns{n}}}:reg:v", base,
                             name=name)
    return Collection(base), shared


def same_searches(memory, shared, queries):
    for needles, bucket in queries:
        index, value = ("tenant", bucket) if bucket else (None, None)
        wanted = memory.search(index, value, fields=FIELDS, contains=needles)
        assert wanted == Scanning.search(memory, index, value, fields=FIELDS, contains=needles)
        assert shared.search(index, value, fields=FIELDS, contains=needles) == wanted, (needles, bucket)
        narrowed = memory.search(index, value, first_is_text, fields=FIELDS, contains=needles)
        assert shared.search(index, value, first_is_text, fields=FIELDS, contains=needles) == narrowed


def same_pages(memory, shared, data):
    for _ in range(4):
        bucket = data.draw(buckets)
        index, value = ("tenant", bucket) if bucket else (None, None)
        on = data.draw(st.sampled_from([None, True, False]))
        after = data.draw(st.one_of(st.none(), st.tuples(st.sampled_from(["2023", "2024", "2025", "2027"]), keys)))
        options = {"after": after, "reverse": data.draw(st.booleans()),
                   "limit": data.draw(st.one_of(st.none(), st.integers(0, 5)))}

        def where(record):
            return on is None or record["on"] == on

        wanted = memory.ordered(index, value, by_created, where, **options)
        assert wanted == Scanning.ordered(memory, index, value, by_created, where, **options)
        assert shared.ordered(index, value, by_created, where, **options) == wanted, (bucket, on, options)


def snapshot_of(data, collections):
    """A snapshot that replaces the base: the records of `collections` (some of them)."""
    records = [pair for c in collections for pair in c.dump()["records"]]
    kept = data.draw(st.lists(st.sampled_from(records), unique_by=lambda pair: pair[0])) if records else []
    return {"records": kept, "indexes": {key: {"tenant": data.draw(st.sampled_from(["t1", "t2"]))}
                                         for key, _ in kept if data.draw(st.booleans())}}


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def replay(apply_writes, same, base_writes, layer_writes, later_writes, data, client):
    """The same writes on both stores (a base, a namespace's writes over it, more, a snapshot that
    replaces the base, more again), `same(memory, shared)` after each step."""
    base = Collection()
    apply_writes(base, base_writes)
    memory, shared = over(base, client)
    same(memory, shared)
    for writes in (layer_writes, later_writes):  # replaces and deletes base records too: one pool of keys
        apply_writes(memory, writes)
        apply_writes(shared, writes)
        same(memory, shared)
    snapshot = snapshot_of(data, [memory])
    memory.load(snapshot)
    shared.load(snapshot)
    same(memory, shared)
    apply_writes(memory, later_writes)
    apply_writes(shared, later_writes)
    same(memory, shared)


@SETTINGS
@given(base_writes=st.lists(write, max_size=25), layer_writes=st.lists(write, max_size=15),
       later_writes=st.lists(write, max_size=15), data=st.data())
def test_search_equals_the_in_memory_search_over_a_base_and_a_layer(redis_client, base_writes, layer_writes,
                                                                     later_writes, data):
    def same(memory, shared):
        same_searches(memory, shared, cut_queries(data, shared._base, memory))  # the hidden template too

    replay(apply, same, base_writes, layer_writes, later_writes, data, redis_client)


@SETTINGS
@given(base_writes=st.lists(ordered_write, max_size=25), layer_writes=st.lists(ordered_write, max_size=15),
       later_writes=st.lists(ordered_write, max_size=15), data=st.data())
def test_ordered_equals_the_in_memory_pages_over_a_base_and_a_layer(redis_client, base_writes, layer_writes,
                                                                     later_writes, data):
    replay(apply_ordered, lambda memory, shared: same_pages(memory, shared, data), base_writes, layer_writes,
           later_writes, data, redis_client)


def smiths():
    base = Collection()
    for i, (first, tenant) in enumerate([("Smith", "t1"), ("Smithers", "t1"), ("Jones", "t1"), ("Smithson", "t2")]):
        base.put(f"b{i}", {"first": first, "id": f"b{i}", "created": f"202{i}", "on": i % 2 == 0},
                 index={"tenant": tenant})
    return base


def test_hidden_base_keys_and_own_records_that_do_and_do_not_match(redis_client):
    base = smiths()
    memory, shared = over(base, redis_client)
    for collection in (memory, shared):
        collection.put("b1", {"first": "Jonas", "id": "b1", "created": "2021", "on": False}, index={"tenant": "t1"})
        collection.delete("b0")
        collection.put("n1", {"first": "Blacksmith", "id": "n1", "created": "2020", "on": True},
                       index={"tenant": "t1"})
        collection.put("n2", {"first": "Brown", "id": "n2", "created": "2025", "on": True}, index={"tenant": "t1"})
        collection.put("n3", {"first": "SMITHY", "id": "n3", "created": "2026", "on": False},
                       index={"tenant": "t2"})
    found = shared.search("tenant", "t1", fields=FIELDS, contains=["smith"])
    assert found == [{"first": "Blacksmith", "id": "n1", "created": "2020", "on": True}]
    assert found == memory.search("tenant", "t1", fields=FIELDS, contains=["smith"])
    everywhere = shared.search(None, None, fields=FIELDS, contains=["SMITH"])
    assert [r["id"] for r in everywhere] == ["b3", "n1", "n3"]
    assert everywhere == memory.search(None, None, fields=FIELDS, contains=["SMITH"])
    assert shared.search(None, None, lambda r: r["on"], fields=FIELDS, contains=["smith"]) == \
        [everywhere[1]] == memory.search(None, None, lambda r: r["on"], fields=FIELDS, contains=["smith"])


@pytest.mark.parametrize("after", [None, ("2021", "b1"), ("2022", "b2"), ("2020", "n1"), ("2030", "")])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("limit", [None, 0, 1, 2, 10])
def test_ordered_after_reverse_limit(redis_client, after, reverse, limit):
    base = smiths()
    memory, shared = over(base, redis_client)
    for collection in (memory, shared):
        collection.put("b2", {"first": "Jones", "id": "b2", "created": "2027", "on": True}, index={"tenant": "t1"})
        collection.delete("b1")
        collection.put("n1", {"first": "New", "id": "n1", "created": "2020", "on": True}, index={"tenant": "t1"})
        collection.put("n2", {"first": "Off", "id": "n2", "created": "2022", "on": False}, index={"tenant": "t1"})
    for where in (lambda r: True, lambda r: r["on"]):
        args = ("tenant", "t1", by_created, where)
        options = {"after": after, "reverse": reverse, "limit": limit}
        wanted = Scanning.ordered(memory, *args, **options)
        assert shared.ordered(*args, **options) == wanted == memory.ordered(*args, **options)
    every = [r["id"] for r in shared.ordered("tenant", "t1", by_created, lambda r: True)]
    assert every == ["b0", "n1", "n2", "b2"]  # 2020/b0 < 2020/n1 < 2022 < 2027


def test_answered_by_the_templates_index_in_one_round_trip(redis_client, redis_server, monkeypatch):
    base = smiths()
    _, shared = over(base, redis_client)
    shared.put("n1", {"first": "Blacksmith", "id": "n1", "created": "2020", "on": True}, index={"tenant": "t1"})
    shared.delete("b1")

    def scan(*args, **kwargs):
        raise AssertionError("the search listed the bucket")

    monkeypatch.setattr(RedisCollection, "page", scan)
    monkeypatch.setattr(RedisCollection, "list", scan)
    shared.search("tenant", "t1", fields=FIELDS, contains=["smith"])  # loads the script once
    shared.ordered("tenant", "t1", by_created, lambda r: True)
    stats = connect(redis_server.url(7))
    stats.config_resetstat()
    assert [r["id"] for r in shared.search("tenant", "t1", fields=FIELDS, contains=["smith"])] == ["b0", "n1"]
    assert [r["id"] for r in shared.ordered("tenant", "t1", by_created, lambda r: True, limit=2)] == ["b0", "n1"]
    commands = {name: row["calls"] for name, row in stats.info("commandstats").items()}
    # one EVALSHA each; inside it the bucket, its records and the hidden set's version, not the
    # set itself (SMEMBERS): this worker cached it at that version
    assert commands == {"cmdstat_evalsha": 2, "cmdstat_zrange": 2, "cmdstat_hmget": 2, "cmdstat_hget": 2,
                        "cmdstat_config|resetstat": 1}
    assert list(base._text) == [FIELDS]  # the template's own text index answered the search


def test_another_workers_writes_are_seen_at_once(redis_client, redis_server):
    """Two workers (two clients) on one namespace: the hidden set a worker cached is read again
    once another worker's write changed it."""
    base = smiths()
    _, first = over(base, redis_client)
    other = connect(redis_server.url(7))
    second = RedisCollection(other, Scripts(other), first._prefix, first._registry, base, name="users")
    assert [r["id"] for r in first.search(None, None, fields=FIELDS, contains=["smith"])] == ["b0", "b1", "b3"]
    second.delete("b0")
    second.put("b3", {"first": "Jones", "id": "b3", "created": "2023", "on": False}, index={"tenant": "t2"})
    second.put("n9", {"first": "Smith", "id": "n9", "created": "2029", "on": True}, index={"tenant": "t2"})
    assert [r["id"] for r in first.search(None, None, fields=FIELDS, contains=["smith"])] == ["b1", "n9"]
    assert [r["id"] for r in first.ordered("tenant", "t2", by_created, lambda r: True)] == ["b3", "n9"]


def test_an_unreachable_redis_raises_store_unavailable():
    client = connect(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    shared = RedisCollection(client, Scripts(client), "t:{down}:c:v:users:", "t:{down}:reg:v", smiths(), name="users")
    with pytest.raises(StoreUnavailable):
        shared.search(None, None, fields=FIELDS, contains=["smith"])
    with pytest.raises(StoreUnavailable):
        shared.ordered(None, None, by_created, lambda r: True)
