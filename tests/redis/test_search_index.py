"""The Redis store's searches answer from the template's indexes and the namespace's own records,
and answer exactly what the in-memory store answers: Collection against RedisCollection over the
same writes, then each vendor's search over HTTP on both stores after the same requests."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendor_sandbox import create_app
from vendor_sandbox.collection import Collection, Scanning
from vendor_sandbox.redisstore.collection import RedisCollection, Scripts
from vendor_sandbox.redisstore.connection import StoreUnavailable, connect

from ..conftest import FROZEN_AT
from ..live import free_port
from ..test_search_index import (
    FIELDS, HIPP, NABLA, NABLA_USERS, UNICODE_NAMES, WELKIN_USERS, ZUS_CLIENT, apply, apply_ordered, buckets,
    by_created, cut_queries, first_is_text, hipp_pages, keys, needles_from, ordered_write, welkin_headers,
    welkin_users, write, zus_users,
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


# ---- at the HTTP boundary: each vendor's searches on the Redis store answer what the in-memory
# store answers, after the same requests (creates, updates, Welkin's deletes, a snapshot import)

NS = "X-Sandbox-Namespace"
LEGACY = {"api_client": "VBOPNRYRWJIP", "secret": "+}B{KGTG6#zG%P;tQm0C"}  # Welkin tenant gh's client
GH_ADMIN = "/welkin/gh/admin/users"
GH_USERS = "/welkin/gh/sb-demo/users"
ZUS_USERS = "/zus/auth/users"
CARLA_PRACTITIONER = "a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c21"  # the seeded Carla Care's (tests/vendors/zus)
ZUS_ROLE = {"data": {"type": "auth/roles", "id": "1a7b2d63-4c8e-4f2a-b9d3-6e5a7f8b9c02"}}  # Care Team User


class Twin:
    """One app on each store, the same seed and fake users: every answer must be the same, but for
    the ids the stores draw for new users (each draws its own), learnt from the creates' answers."""

    def __init__(self, *clients):
        self.clients, self.namespace = clients, None
        self.auth = [{} for _ in clients]
        self.ids = {}  # the Redis store's id -> the in-memory store's, for the same create

    def enter(self, namespace):
        """Use `namespace`, with each vendor's credentials signed in there on each side."""
        self.namespace = namespace
        for client, auth in zip(self.clients, self.auth):
            zus = client.post("/zus/oauth/token", json=ZUS_CLIENT, headers={NS: namespace}).get_json()
            auth.update(hipp=HIPP, nabla=NABLA, welkin=welkin_headers(client, namespace),
                        gh=welkin_headers(client, namespace, **LEGACY),
                        zus={"Authorization": f"Bearer {zus['access_token']}"})

    def each(self, vendor, ask):
        """`ask(client, headers, side)` on each side (0 in memory, 1 on Redis)."""
        return [ask(client, {**auth[vendor], NS: self.namespace}, side)
                for side, (client, auth) in enumerate(zip(self.clients, self.auth))]

    def agree(self, vendor, ask):
        """`ask(client, headers)` on each side: the same answer (the ids translated), returned."""
        memory, shared = self.each(vendor, lambda client, headers, _: ask(client, headers))
        assert self.translated(shared) == memory
        return memory

    def send(self, vendor, method, path, body=None, **query):
        """One request on each side (a path naming a new user names each store's own id)."""
        def ask(client, headers, side):
            mine = (lambda value: value) if side == 0 else self.theirs
            answer = client.open(mine(path), method=method, json=mine(body), query_string=query, headers=headers)
            return answer.status_code, answer.get_json(silent=True)

        memory, shared = self.each(vendor, ask)
        if method == "POST":
            self.learn(memory, shared)
        assert self.translated(shared) == memory
        assert memory[0] < 300, memory
        return memory[1]

    def learn(self, memory, shared):
        """The strings two creates' answers differ in are the ids each store drew (ids are long:
        a short difference is left to fail the comparison)."""
        if isinstance(memory, (list, tuple)) and isinstance(shared, (list, tuple)) and len(memory) == len(shared):
            for pair in zip(memory, shared):
                self.learn(*pair)
        elif isinstance(memory, dict) and isinstance(shared, dict) and memory.keys() == shared.keys():
            for key in memory:
                self.learn(memory[key], shared[key])
        elif isinstance(memory, str) and isinstance(shared, str) and memory != shared and len(memory) >= 20:
            self.ids[shared] = memory

    def translated(self, answer, ids=None):
        """`answer` with the Redis store's ids replaced by the in-memory store's (or as `ids` says)."""
        ids = self.ids if ids is None else ids
        if isinstance(answer, (list, tuple)):
            return type(answer)(self.translated(value, ids) for value in answer)
        if isinstance(answer, dict):
            return {key: self.translated(value, ids) for key, value in answer.items()}
        if isinstance(answer, str):
            for theirs, ours in ids.items():
                answer = answer.replace(theirs, ours)
        return answer

    def theirs(self, request):
        """The in-memory store's ids in a request replaced by the Redis store's."""
        return self.translated(request, {ours: theirs for theirs, ours in self.ids.items()})


@pytest.fixture
def twin(database):
    config = {"TESTING": True, "FROZEN_CLOCK": FROZEN_AT, "SEED": 5, "FAKE_USERS": 300}
    return Twin(create_app(config).test_client(), create_app({**config, "STORE_URL": database}).test_client())


def write_to_every_vendor(twin, tag, day):
    """New users with Unicode names, seeded users changed (and Welkin's deleted), new ones changed:
    how many users of each vendor were renamed Smithereens."""
    twin.send("hipp", "POST", "/_sandbox/clock", {"set": f"2025-01-{day}T09:00:00Z"})
    twin.enter(twin.namespace)  # tokens signed in before are expired on that clock
    for i, (first, last) in enumerate(UNICODE_NAMES):
        # a second apart, and a day after another tag's: Nabla orders by (created_at, id), and the
        # stores draw different ids
        twin.send("hipp", "POST", "/_sandbox/clock", {"advance": 1})
        email = f"{tag}.{i}@Example.org"
        twin.send("hipp", "POST", "/hipp/api/v1/users", {"firstName": first, "lastName": last, "email": email,
                                                         "role": "CLINICIAN"})
        twin.send("welkin", "POST", WELKIN_USERS, {"firstName": first, "lastName": last, "email": email,
                                                   "username": f"{tag}.{first}.{last}".casefold()})
        twin.send("zus", "POST", ZUS_USERS, {"data": {"type": "auth/users", "relationships": {"auth/roles": ZUS_ROLE},
                                                      "attributes": {"email": email, "name": f"{first} {last}",
                                                                     "userType": "builder",
                                                                     "sendPasswordResetEmail": False}}})
        twin.send("nabla", "POST", NABLA_USERS, {"external_id": f"{tag}-{i}", "metadata": {"name": first}})
        twin.send("gh", "POST", GH_ADMIN, {"username": f"{tag}{i}", "email": email, "firstName": first,
                                           "lastName": last})
    welkin = twin.send("welkin", "GET", WELKIN_USERS, size=1000)["data"]
    renamed = {"welkin": [u for u in welkin if u["userState"] == "PROVISIONED"][3:60:7] + welkin[-2:]}
    for user in renamed["welkin"]:
        twin.send("welkin", "PATCH", f"{WELKIN_USERS}/{user['id']}", {"lastName": f"Smithereens-{tag}"})
    for name in ["johndoe", f"{tag}1"]:
        assert twin.agree("gh", lambda c, h: c.delete(f"{GH_ADMIN}/{name}", headers=h).status_code) in (204, 404)
    zus = twin.send("zus", "GET", ZUS_USERS, **{"page[count]": 1000})["data"]
    renamed["zus"] = zus[2:80:9] + zus[-2:]
    for user in renamed["zus"]:
        twin.send("zus", "PATCH", f"{ZUS_USERS}/{user['id']}", {"data": {
            "type": "auth/users", "id": user["id"], "attributes": {"name": f"Ada Smithereens {tag}"}}})
    nabla = twin.send("nabla", "GET", NABLA_USERS, limit=100, order="DESC")["data"]
    renamed["nabla"] = nabla[1:90:11]
    for user in renamed["nabla"]:
        twin.send("nabla", "POST", f"{NABLA_USERS}/{user['id']}/deactivate", {})
        twin.send("nabla", "PATCH", f"{NABLA_USERS}/{user['id']}", {"metadata": {"renamed": tag}})
    return {vendor: len(users) for vendor, users in renamed.items()}


def every_search_agrees(twin, tag, renamed):
    smithereens = f"smithereens-{tag}"
    hipp = twin.agree("hipp", lambda c, h: hipp_pages(c, h))
    for needle in needles_from(hipp, ("firstName", "lastName")) + [f"{tag}.1@example", "EXAMPLE.ORG"]:
        twin.agree("hipp", lambda c, h: hipp_pages(c, h, search=needle))
    for email in [f"{tag}.{i}@example.org".upper() for i in range(3)] + ["nobody@example.org"]:
        twin.agree("hipp", lambda c, h: hipp_pages(c, h, email=email))
        twin.agree("hipp", lambda c, h: hipp_pages(c, h, email=email, search="s"))
    welkin = twin.agree("welkin", lambda c, h: welkin_users(c, h))
    fields = ("firstName", "lastName", "username", "email")
    for needle in needles_from(welkin, fields) + [smithereens]:
        twin.agree("welkin", lambda c, h: welkin_users(c, h, search=needle))
    for user in welkin[::45] + welkin[-3:]:
        for field in ("firstName", "lastName", "email"):
            twin.agree("welkin", lambda c, h: welkin_users(c, h, **{field: user[field].swapcase()}))
    assert len(twin.agree("welkin", lambda c, h: welkin_users(c, h, search=smithereens))) == renamed["welkin"]
    gh = twin.agree("gh", lambda c, h: c.get(GH_USERS, query_string={"size": 100}, headers=h).get_json())
    usernames = {u["username"] for u in gh["data"]}
    assert {f"{tag}{i}" for i in (0, 2, 3, 4)} <= usernames and not {"johndoe", f"{tag}1"} & usernames
    for needle in ["ß", f"{tag}", "σμιθ", "smith"]:
        twin.agree("gh", lambda c, h: c.get(GH_USERS, query_string={"search": needle}, headers=h).get_json())
    zus = twin.agree("zus", lambda c, h: zus_users(c, h))
    for needle in needles_from(zus, ("name",)) + [f"smithereens {tag}"]:
        twin.agree("zus", lambda c, h: zus_users(c, h, **{"filter[name]": needle}))
    for user in zus[::40] + zus[-3:]:
        twin.agree("zus", lambda c, h: zus_users(c, h, **{"filter[email]": user["email"].upper()}))
        twin.agree("zus", lambda c, h: zus_users(c, h, **{"filter[email]": user["email"],
                                                          "filter[name]": user["name"][1:4].swapcase()}))
    for query in ({"filter[practitioner]": CARLA_PRACTITIONER}, {"filter[practitioner]": CARLA_PRACTITIONER[:8]},
                  {"filter[role]": ZUS_ROLE["data"]["id"]},
                  {"filter[role]": ZUS_ROLE["data"]["id"], "filter[name]": "a"}):
        twin.agree("zus", lambda c, h: zus_users(c, h, **query))
    renamed_zus = twin.agree("zus", lambda c, h: zus_users(c, h, **{"filter[name]": f"smithereens {tag}"}))
    assert len(renamed_zus) == renamed["zus"]
    for query in ({}, {"activated": "false"}, {"activated": "true", "order": "DESC"}, {"order": "DESC"}):
        pages = twin.agree("nabla", lambda c, h: nabla_walk(c, h, **query))
        if query == {"activated": "false"}:
            assert sum(u["metadata"] == {"renamed": tag} for u in pages) == renamed["nabla"]


def nabla_walk(client, headers, **query):
    """Every page by the cursor, 37 users a page."""
    users, cursor = [], None
    while True:
        paged = {**query, "limit": 37, **({"cursor": cursor} if cursor else {})}
        body = client.get(NABLA_USERS, query_string=paged, headers=headers).get_json()
        users += body["data"]
        if not body["has_more"]:
            return users
        cursor = body["next_cursor"]


def test_every_vendors_search_agrees_with_the_in_memory_store(twin):
    twin.enter("a")
    renamed = write_to_every_vendor(twin, "a", 16)
    every_search_agrees(twin, "a", renamed)
    snapshots = twin.each("hipp", lambda c, h, _: c.get("/_sandbox/state", headers=h).get_json())
    twin.enter("b")
    imported = twin.each("hipp", lambda c, h, side: c.put("/_sandbox/state", json=snapshots[side], headers=h))
    assert [answer.status_code for answer in imported] == [200, 200]
    twin.enter("b")  # the import replaced the namespace's credentials' tokens too
    every_search_agrees(twin, "a", renamed)  # the import replaced the template: the Redis store hides all of it
    every_search_agrees(twin, "b", write_to_every_vendor(twin, "b", 17))
