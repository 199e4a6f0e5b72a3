"""The text index behind the vendors' searches returns exactly what the scan returns, in its order.

`Scanning.search` is the definition (every store can answer it from `list`); `Collection.search`
answers from a text index (distinct values and their trigrams). They are compared over random records, layers
(a seeded base with a namespace's writes over it, replacing and deleting base records) and
queries: case folding that changes lengths (ß -> ss, ﬁ -> fi, İ -> i̇), non-Latin scripts, and
needles of one and two characters, which have no trigram (every distinct value is asked).
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from vendor_sandbox import textindex
from vendor_sandbox.collection import Collection, Scanning

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
def test_indexed_search_equals_the_scan_over_a_base_and_a_layer(base_writes, layer_writes, later_writes, data):
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
        after = data.draw(st.one_of(st.none(), st.tuples(st.sampled_from(["2023", "2024", "2025", "2027"]), keys)))
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
