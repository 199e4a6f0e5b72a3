"""The text index behind the vendors' searches returns exactly what the scan returns, in its order.

`Scanning.search` is the definition (every store can answer it from `list`); `Collection.search`
answers from a text index (distinct values and their trigrams). They are compared over random records, layers
(a seeded base with a namespace's writes over it, replacing and deleting base records) and
queries: case folding that changes lengths (ß -> ss, ﬁ -> fi, İ -> i̇), non-Latin scripts, and
needles of one and two characters, which have no trigram (every distinct value is asked).
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendor_sandbox import create_app, textindex
from vendor_sandbox.collection import Collection, Scanning

from .conftest import FROZEN_AT

FIELDS = ("first", "last", "email")
# letters whose case folding is not one-to-one, Greek sigmas, Cyrillic, CJK, a combining mark
ALPHABET = "abcAB.@ßSsﬁFİiIıΣσςДдK\u212a\u0301ö漢"
text = st.text(alphabet=ALPHABET, max_size=8)
value_of_field = st.one_of(st.none(), text, st.integers(0, 3))
record = st.fixed_dictionaries({name: value_of_field for name in FIELDS})
keys = st.sampled_from([f"k{i}" for i in range(12)])
buckets = st.sampled_from(["t1", "t2", None])
write = st.tuples(st.sampled_from(["put", "put", "delete"]), keys, record, buckets)
needle = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def contains(needles):
    """The vendors' own predicate: a needle in one of the fields, any case (non-strings read as "")."""
    folded = [n.casefold() for n in needles]

    def where(rec):
        return all(any(n in (v if isinstance(v, str) else "").casefold() for v in map(rec.get, FIELDS))
                   for n in folded)

    return where


def first_is_text(record):
    return isinstance(record.get("first"), str)


def apply(collection, writes):
    for op, key, rec, bucket in writes:
        if op == "put":
            collection.put(key, rec, index={"tenant": bucket} if bucket else None)
        else:
            collection.delete(key)


def agree(collection, queries):
    for needles, bucket in queries:
        index, value = ("tenant", bucket) if bucket else (None, None)
        scanned = [r for r in collection.list(index, value) if contains(needles)(r)]
        assert Scanning.search(collection, index, value, fields=FIELDS, contains=needles) == scanned
        indexed = collection.search(index, value, fields=FIELDS, contains=needles)
        assert indexed == scanned, (needles, bucket)
        narrowed = collection.search(index, value, first_is_text, fields=FIELDS, contains=needles)
        assert narrowed == [r for r in scanned if first_is_text(r)], (needles, bucket)


queries = st.lists(st.tuples(st.lists(needle, min_size=1, max_size=2), buckets), min_size=1, max_size=6)


def cut_queries(data, *collections, count=6):
    """Queries whose needles are cut from the records' values (random needles rarely occur), in
    either case, beside random ones."""
    values = [v for c in collections for _, r in c.dump()["records"] for v in r.values()
              if isinstance(v, str) and v]
    found = []
    for _ in range(count):
        needles = []
        for _ in range(data.draw(st.integers(1, 2))):
            if values and data.draw(st.booleans()):
                value = data.draw(st.sampled_from(values))
                start = data.draw(st.integers(0, len(value) - 1))
                cut = value[start:data.draw(st.integers(start + 1, len(value)))]
                needles.append(data.draw(st.sampled_from([cut, cut.upper(), cut.swapcase(), cut.casefold()])))
            else:
                needles.append(data.draw(needle))
        found.append((needles, data.draw(buckets)))
    return found


@settings(max_examples=300, deadline=None)
@given(base_writes=st.lists(write, max_size=25), layer_writes=st.lists(write, max_size=15),
       later_writes=st.lists(write, max_size=15), data=st.data())
def test_indexed_search_equals_the_scan_over_a_base_and_a_layer(base_writes, layer_writes, later_writes,
                                                                 data):
    base = Collection()
    apply(base, base_writes)
    agree(base, cut_queries(data, base))  # builds the base's index
    layer = Collection(base)
    apply(layer, layer_writes)  # replaces and deletes base records too: keys are drawn from one pool
    agree(layer, cut_queries(data, base, layer))
    apply(layer, later_writes)  # maintained by put and delete once built
    agree(layer, cut_queries(data, base, layer))
    agree(base, cut_queries(data, base))  # the layer's writes never reach the base or its index


@settings(max_examples=100, deadline=None)
@given(writes=st.lists(write, min_size=1, max_size=60), after=queries)
def test_the_index_rebuilt_when_stale_entries_outnumber_live_ones(writes, after):
    slack, textindex.REBUILD_SLACK = textindex.REBUILD_SLACK, 0  # rebuilt after a few replacements
    try:
        collection = Collection()
        collection.put("k0", {"first": "seed"})
        agree(collection, [(["see"], None)])
        apply(collection, writes)
        agree(collection, after)
        text = collection._text[FIELDS]
        assert len(text._dead) <= len(text._seq) + 1
    finally:
        textindex.REBUILD_SLACK = slack


@settings(max_examples=100, deadline=None)
@given(writes=st.lists(write, max_size=25), substring=st.data())
def test_needles_cut_from_the_records_find_them(writes, substring):
    """Random needles rarely occur: these are cut from the values themselves, in either case."""
    collection = Collection()
    apply(collection, writes)
    values = [v for _, r in collection.dump()["records"] for v in r.values() if isinstance(v, str) and v]
    if not values:
        return
    value = substring.draw(st.sampled_from(values))
    start = substring.draw(st.integers(0, len(value) - 1))
    cut = value[start:substring.draw(st.integers(start + 1, len(value)))]
    for needles in ([cut], [cut.upper()], [cut.swapcase()]):
        agree(collection, [(needles, None), (needles, "t1")])


def test_a_reset_drops_the_layers_index_and_keeps_the_bases():
    base = Collection()
    base.put("a", {"first": "Smith"}, index={"tenant": "t1"})
    layer = Collection(base)
    layer.put("b", {"first": "Smithers"}, index={"tenant": "t1"})
    layer.put("a", {"first": "Jones"}, index={"tenant": "t1"})
    assert layer.search("tenant", "t1", fields=FIELDS, contains=["smith"]) == [{"first": "Smithers"}]
    assert list(layer._text) == [FIELDS] and list(base._text) == [FIELDS]
    assert base._text[FIELDS].size() == (1, 3, 1)  # "smith": smi mit ith, the base's one record only
    fresh = Collection(base)  # what a reset leaves: a new empty layer over the same base
    assert fresh.search("tenant", "t1", fields=FIELDS, contains=["smith"]) == [{"first": "Smith"}]
    assert fresh._text[FIELDS].size() == (0, 0, 0)


def test_short_needles_ask_every_distinct_value():
    collection = Collection()
    collection.put("a", {"first": "Straße"})
    collection.put("b", {"first": "Strasse"})
    collection.put("c", {"first": "Strabo"})
    for needles, found in ((["ß"], ["a", "b"]), (["SS"], ["a", "b"]), (["ẞE"], ["a", "b"]), (["b"], ["c"])):
        result = collection.search(None, None, fields=FIELDS, contains=needles)
        assert result == [collection.get(k) for k in found], needles
    assert textindex.trigrams("ss") == set() and textindex.trigrams("ẞe".casefold()) == {"sse"}


# ---- Collection.ordered: a page by a sort key, from a cursor (Nabla's list)

def by_created(record):
    return (record["created"], record["id"])


ordered_record = st.fixed_dictionaries({"created": st.sampled_from(["2024", "2025", "2026"]),
                                        "on": st.booleans()})
ordered_write = st.tuples(st.sampled_from(["put", "put", "delete"]), keys, ordered_record, buckets)


def apply_ordered(collection, writes):
    for op, key, rec, bucket in writes:
        if op == "put":
            collection.put(key, {**rec, "id": key}, index={"tenant": bucket} if bucket else None)
        else:
            collection.delete(key)


def agree_ordered(collection, data):
    for _ in range(4):
        bucket = data.draw(buckets)
        index, value = ("tenant", bucket) if bucket else (None, None)
        on = data.draw(st.sampled_from([None, True, False]))
        cursor = st.tuples(st.sampled_from(["2023", "2024", "2025", "2027"]), keys)
        after = data.draw(st.one_of(st.none(), cursor))
        reverse, limit = data.draw(st.booleans()), data.draw(st.one_of(st.none(), st.integers(0, 5)))

        def where(record):
            return on is None or record["on"] == on

        args = (index, value, by_created, where)
        options = {"after": after, "reverse": reverse, "limit": limit}
        assert collection.ordered(*args, **options) == Scanning.ordered(collection, *args, **options)


@settings(max_examples=300, deadline=None)
@given(base_writes=st.lists(ordered_write, max_size=25), layer_writes=st.lists(ordered_write, max_size=15),
       later_writes=st.lists(ordered_write, max_size=15), data=st.data())
def test_ordered_pages_equal_the_sorted_scan_over_a_base_and_a_layer(base_writes, layer_writes, later_writes,
                                                                     data):
    base = Collection()
    apply_ordered(base, base_writes)
    agree_ordered(base, data)
    layer = Collection(base)
    apply_ordered(layer, layer_writes)
    agree_ordered(layer, data)
    apply_ordered(layer, later_writes)
    agree_ordered(layer, data)
    agree_ordered(base, data)


# ---- at the HTTP boundary: every vendor's search answers what its documented rule picks out of
# the unfiltered listing, in the listing's order, over fake users, a namespace's new users (with
# Unicode names) and a fake user updated (its record replaced)

HIPP = {"Authorization": "Bearer your-api-key"}
WELKIN_USERS = "/welkin/acme-health/live/users"
NABLA_USERS = "/nabla/v1/copilot-api/server/users"
NABLA = {"Authorization": "Bearer sk_test_example_health_0f8a2c4e6b1d3f5a"}
ZUS_CLIENT = {"grant_type": "client_credentials", "client_id": "AcmeBackendM2MClient0000000000a1",
              "client_secret": "acme-backend-secret-" + "0" * 44,
              "audience": "https://api.sandbox.zusapi.com"}
UNICODE_NAMES = [("Jürgen", "Straße"), ("İpek", "Smith"), ("Σοφία", "ΣΜΙΘ"), ("ﬁona", "Oʼbrien"),
                 ("Ян", "Смит")]
FIXED_NEEDLES = ["ß", "SS", "strasse", "İ", "i̇", "σμιθ", "ς", "фиона", "смит", "FI", "fiona", "sm", "s",
                 "SMITH", "mit", "@example", "example.org", "zzzq", ".", "1"]


@pytest.fixture(params=["memory", "redis"])
def fake_client(request, monkeypatch):
    """On both stores: the Redis store's collections answer by the scan (collection.search)."""
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        server.client().flushdb()
        monkeypatch.setenv("SANDBOX_STORE_URL", server.url())
    config = {"TESTING": True, "FROZEN_CLOCK": FROZEN_AT, "SEED": 5, "FAKE_USERS": 300}
    return create_app(config).test_client()


def needles_from(users, fields):
    """Needles cut from the users' own values (names, e-mails) in other cases, and fixed ones."""
    cut = []
    for i, user in enumerate(users[:: max(1, len(users) // 12)]):
        value = user.get(fields[i % len(fields)]) or ""  # Hipp leaves out what is null
        if len(value) > 3:
            cut += [value[1:4].upper(), value[-5:].swapcase(), value]
    return cut + FIXED_NEEDLES


def holds(user, fields, needle):
    return any(needle.casefold() in (user.get(f) or "").casefold() for f in fields)


def hipp_pages(client, headers, **query):
    users, page = [], 1
    while True:
        answer = client.get("/hipp/api/v1/users", query_string={**query, "page": page, "pageSize": 100},
                            headers=headers)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        users += body["data"]
        if page >= body["pagination"]["totalPages"]:
            assert len(users) == body["pagination"]["totalCount"]
            return users
        page += 1


def test_hipp_search_and_email_pick_what_the_listing_holds(fake_client):
    headers = {**HIPP, "X-Sandbox-Namespace": "search-hipp"}
    for i, (first, last) in enumerate(UNICODE_NAMES):
        body = {"firstName": first, "lastName": last, "email": f"Search.{i}@Example.org", "role": "CLINICIAN"}
        assert fake_client.post("/hipp/api/v1/users", json=body, headers=headers).status_code == 200
    listing = hipp_pages(fake_client, headers)
    assert len(listing) > 300
    # the list shows no e-mail (Hipp's list shape has no contact details): the snapshot has them
    snapshot = fake_client.get("/_sandbox/state", headers=headers).get_json()["vendors"]["hipp"]["users"]
    emails = {key: record["email"] for key, record in snapshot["records"]}
    full = [{**u, "email": emails[u["publicId"]]} for u in listing]
    fields = ("firstName", "lastName", "email")
    for needle in needles_from(full, fields):
        assert hipp_pages(fake_client, headers, search=needle) == [u for u, f in zip(listing, full)
                                                                   if holds(f, fields, needle)], needle
    for user, with_email in [pair for pair in zip(listing, full) if pair[1]["email"]][::40]:
        email = with_email["email"].upper()
        assert hipp_pages(fake_client, headers, email=email) == [user]
        assert hipp_pages(fake_client, headers, email=email, search=user["lastName"][:3]) == [user]
        assert hipp_pages(fake_client, headers, email=email, search="zzzq") == []


def welkin_headers(client, namespace, api_client="your-api-client-key", secret="your-api-client-secret"):
    token = client.post("/welkin/auth/token", json={"apiClient": api_client, "secret": secret},
                        headers={"X-Sandbox-Namespace": namespace}).get_json()["token"]
    return {"Authorization": f"Bearer {token}", "X-Sandbox-Namespace": namespace}


def welkin_users(client, headers, **query):
    answer = client.get(WELKIN_USERS, query_string={**query, "size": 1000}, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["metaInfo"]["totalElements"] == len(body["data"])
    return body["data"]


def test_welkin_search_and_name_filters_pick_what_the_listing_holds(fake_client):
    headers = welkin_headers(fake_client, "search-welkin")
    for i, (first, last) in enumerate(UNICODE_NAMES):
        body = {"firstName": first, "lastName": last, "username": f"{first}.{last}".casefold(),
                "email": f"Search.{i}@Example.org"}
        assert fake_client.post(WELKIN_USERS, json=body, headers=headers).status_code == 201
    before = welkin_users(fake_client, headers)
    # a seeded user (the template's record) renamed: only a PROVISIONED user's name may change.
    # (Deletes are the legacy admin API's, which only tenant gh's client may call: the hypothesis
    # tests above delete base records.)
    renamed = next(u for u in before[:-5] if u["userState"] == "PROVISIONED")
    update = fake_client.patch(f"{WELKIN_USERS}/{renamed['id']}", json={"lastName": "Smithereens"},
                               headers=headers)
    assert update.status_code == 200, update.get_json()
    listing = welkin_users(fake_client, headers)
    # an update moves the user to the end of the list
    kept = [u["id"] for u in before if u["id"] != renamed["id"]]
    assert [u["id"] for u in listing] == kept + [renamed["id"]]
    fields = ("firstName", "lastName", "username", "email")
    for needle in needles_from(listing, fields) + ["smithereens", renamed["firstName"]]:
        wanted = [u for u in listing if holds(u, fields, needle)]
        assert welkin_users(fake_client, headers, search=needle) == wanted, needle
    for user in listing[::50]:
        for field in ("firstName", "lastName", "email"):
            wanted = [u for u in listing if (u.get(field) or "").casefold() == user[field].casefold()]
            assert welkin_users(fake_client, headers, **{field: user[field].swapcase()}) == wanted


def zus_users(client, headers, **query):
    answer = client.get("/zus/auth/users", query_string={**query, "page[count]": 1000}, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return [{"id": u["id"], **u["attributes"]} for u in answer.get_json()["data"]]


def test_zus_user_filters_pick_what_the_listing_holds(fake_client):
    namespace = {"X-Sandbox-Namespace": "search-zus"}
    token = fake_client.post("/zus/oauth/token", json=ZUS_CLIENT, headers=namespace).get_json()
    token = token["access_token"]
    headers = {"Authorization": f"Bearer {token}", **namespace}
    role = {"data": {"type": "auth/roles", "id": "1a7b2d63-4c8e-4f2a-b9d3-6e5a7f8b9c02"}}  # Care Team User
    for i, (first, last) in enumerate(UNICODE_NAMES):
        body = {"data": {"type": "auth/users", "relationships": {"auth/roles": role},
                         "attributes": {"email": f"Search.{i}@Example.org", "name": f"{first} {last}",
                                        "userType": "builder", "sendPasswordResetEmail": False}}}
        created = fake_client.post("/zus/auth/users", json=body, headers=headers)
        assert created.status_code == 201, created.get_json()
    listing = zus_users(fake_client, headers)
    assert len(listing) > 300
    for needle in needles_from(listing, ("name",)):
        assert zus_users(fake_client, headers, **{"filter[name]": needle}) == \
            [u for u in listing if holds(u, ("name",), needle)], needle
    for user in listing[::40]:
        assert zus_users(fake_client, headers, **{"filter[email]": user["email"].upper()}) == [user]
        both = {"filter[email]": user["email"], "filter[name]": user["name"][1:4].swapcase()}
        assert zus_users(fake_client, headers, **both) == [user]


def nabla_pages(client, **query):
    users, cursor = [], None
    while True:
        paged = {**query, "limit": 37, **({"cursor": cursor} if cursor else {})}
        headers = {**NABLA, "X-Sandbox-Namespace": "search-nabla"}
        answer = client.get(NABLA_USERS, query_string=paged, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        users += body["data"]
        if not body["has_more"]:
            return users
        cursor = body["next_cursor"]


def test_nabla_pages_follow_creation_order_and_the_activated_filter(fake_client):
    headers = {**NABLA, "X-Sandbox-Namespace": "search-nabla"}
    for i in range(3):
        created = fake_client.post(NABLA_USERS, json={"external_id": f"search-{i}"}, headers=headers)
        assert created.status_code == 200
    newest = fake_client.get(NABLA_USERS, query_string={"limit": 1, "order": "DESC"}, headers=headers)
    newest = newest.get_json()
    listing = nabla_pages(fake_client)
    assert len(listing) > 300 and listing[-1] == newest["data"][0]
    order = [(u["created_at"], u["id"]) for u in listing]
    assert order == sorted(order)
    for activated in ("true", "false"):
        expected = [u for u in listing if u["activated"] == (activated == "true")]
        assert nabla_pages(fake_client, activated=activated) == expected
        assert nabla_pages(fake_client, activated=activated, order="DESC") == expected[::-1]
    assert nabla_pages(fake_client, order="DESC") == listing[::-1]
