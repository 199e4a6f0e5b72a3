"""The store: atomic collections, namespaces built on first use, reset."""

import json
import threading

from vendor_sandbox.collection import Collection


def test_put_get_list_by_index_in_insertion_order():
    users = Collection()
    users.put("a", {"id": "a"}, index={"org": 1})
    users.put("b", {"id": "b"}, index={"org": 2})
    users.put("c", {"id": "c"}, index={"org": 1})
    assert users.get("b") == {"id": "b"}
    assert users.list("org", 1) == [{"id": "a"}, {"id": "c"}]
    assert users.list("org", 1, reverse=True) == [{"id": "c"}, {"id": "a"}]
    assert users.list() == [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    assert (users.count(), users.count("org", 1), users.count("org", 3)) == (3, 2, 0)


def test_put_moves_a_record_between_index_values_and_delete_unindexes():
    users = Collection()
    users.put("a", {"v": 1}, index={"org": 1})
    users.put("a", {"v": 2}, index={"org": 2})
    assert users.list("org", 1) == []
    assert users.list("org", 2) == [{"v": 2}]
    assert users.delete("a") == {"v": 2}
    assert users.list("org", 2) == [] and users.get("a") is None and users.delete("a") is None


def test_equal_indexes_are_dumped_as_given_and_stored_once():
    users = Collection()
    given = {"org": 1}
    users.put("a", {}, index=given)
    given["org"] = 2  # the caller's dict is not kept
    users.put("b", {}, index={"org": 1})
    users.put("c", {}, index={"org": True})
    assert json.dumps(users.dump()["indexes"]) == '{"a": {"org": 1}, "b": {"org": 1}, "c": {"org": true}}'
    assert users._indexed["a"] is users._indexed["b"]


def test_claim_is_exclusive_idempotent_for_its_owner_and_releasable():
    users = Collection()
    assert users.claim("email", "x@example.com", "a")
    assert users.claim("email", "x@example.com", "a")
    assert not users.claim("email", "x@example.com", "b")
    assert users.owner("email", "x@example.com") == "a"
    users.release("email", "x@example.com")
    assert users.claim("email", "x@example.com", "b")


def test_concurrent_claims_give_exactly_one_winner_per_value():
    users = Collection()
    wins = []
    barrier = threading.Barrier(8)

    def contend(owner):
        barrier.wait()
        for n in range(500):
            if users.claim("email", f"user{n}@example.com", owner):
                wins.append(n)

    threads = [threading.Thread(target=contend, args=(f"t{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == list(range(500))


def test_namespaces_are_built_on_first_use_and_isolated(app):
    store = app.extensions["vendor_sandbox.store"]
    assert store.namespaces() == []
    a, b = store.namespace("a").backend("hipp"), store.namespace("b").backend("hipp")
    assert a is not b
    assert store.namespace("a").backend("hipp") is a
    assert store.namespaces() == ["a", "b"]


def test_reset_rebuilds_one_vendor_or_the_whole_namespace(app):
    store = app.extensions["vendor_sandbox.store"]
    before = store.namespace("a").backend("hipp")
    store.reset("a", "hipp")
    after = store.namespace("a").backend("hipp")
    assert after is not before
    store.reset("a")
    assert store.namespace("a").backend("hipp") is not after


def layered():
    base = Collection()
    base.put("a", {"id": "a"}, index={"org": 1})
    base.put("b", {"id": "b"}, index={"org": 2})
    base.put("c", {"id": "c"}, index={"org": 1})
    base.claim("email", "a@x", "a")
    return base, Collection(base)


def test_a_layer_reads_through_to_its_base():
    base, layer = layered()
    assert layer.get("a") == {"id": "a"}
    assert layer.list("org", 1) == [{"id": "a"}, {"id": "c"}]
    assert (layer.count(), layer.count("org", 1)) == (3, 2)
    assert layer.owner("email", "a@x") == "a" and not layer.claim("email", "a@x", "z")


def test_writes_stay_in_the_layer_and_behave_like_a_plain_collection():
    base, layer = layered()
    plain = Collection()
    plain.load(base.dump())
    for target in (layer, plain):
        target.put("a", {"id": "a", "v": 2}, index={"org": 2})
        target.put("d", {"id": "d"}, index={"org": 1})
        target.delete("c")
        target.release("email", "a@x")
        assert target.claim("email", "a@x", "d")
    assert base.list() == [{"id": "a"}, {"id": "b"}, {"id": "c"}], "the base is never written"
    for target in (layer, plain):
        assert target.list() == [{"id": "b"}, {"id": "a", "v": 2}, {"id": "d"}]
        assert target.list("org", 1) == [{"id": "d"}]
        assert target.list("org", 2, reverse=True) == [{"id": "a", "v": 2}, {"id": "b"}]
        assert (target.count(), target.count("org", 1), target.count("org", 2)) == (3, 1, 2)
        assert target.get("c") is None and target.delete("c") is None
        assert target.owner("email", "a@x") == "d"
    assert layer.dump() == plain.dump()


def test_page_walks_only_as_far_as_it_needs():
    base = Collection()
    for n in range(10):
        base.put(f"k{n}", {"n": n}, index={"all": True})
    layer = Collection(base)
    layer.put("k10", {"n": 10}, index={"all": True})
    assert layer.page("all", True, offset=2, limit=3) == [{"n": 2}, {"n": 3}, {"n": 4}]
    assert layer.page("all", True, offset=0, limit=3, reverse=True) == [{"n": 10}, {"n": 9}, {"n": 8}]
    assert layer.page(offset=9, limit=5) == [{"n": 9}, {"n": 10}]


def test_load_replaces_the_base_too():
    _, layer = layered()
    layer.load({"records": [["z", {"id": "z"}]], "indexes": {}, "claims": {}})
    assert layer.list() == [{"id": "z"}] and layer.get("a") is None and layer.owner("email", "a@x") is None


def test_namespaces_share_one_seeded_template_and_copy_nothing(app):
    store = app.extensions["vendor_sandbox.store"]
    users = store.namespace("a").state("hipp").collection("users")
    assert users.count() > 10 and users._records == {}
    assert store.template("hipp") is store.template("hipp")
    assert store.namespace("b").state("hipp").collection("users")._base is users._base


def test_a_record_being_replaced_is_never_missing_to_a_reader():
    """`put` moves a record to the end of the order (pop, then write) and hides a base key before
    writing its replacement; a lock-free `get` in another thread must never see the gap."""
    import sys

    base = Collection()
    base.put("seeded", {"v": 0})
    layer = Collection(base)
    missing, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            if layer.get("seeded") is None:
                missing.append(1)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for version in range(1, 20_000):
            layer.put("seeded", {"v": version})
    finally:
        stop.set()
        reader.join()
        sys.setswitchinterval(interval)
    assert missing == []
