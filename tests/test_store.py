"""The store: atomic collections, namespaces built on first use, reset."""

import threading

from vendor_sandbox.store import Collection


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
