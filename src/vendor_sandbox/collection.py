"""Collections: records by key, one-value secondary indexes and unique claims, optionally
layered copy-on-write over a read-only base."""

import heapq
import threading
from itertools import chain, filterfalse, islice

from .sortedindex import SortedIndex
from .textindex import TextIndex

MAX_INDEX_FORMS = 1024


class Scanning:
    """`search` and `ordered` as any store can answer them, from `list`: what a store without
    indexes falls back to, and the definition the in-memory indexes are tested against."""

    def search(self, index, value, where=None, *, fields=(), contains=()):
        """The records under index=value, in `list` order, that hold every string of `contains`,
        case-folded, in the case-folded value of one of `fields` (a value that is not a string
        reads as ""), and that `where(record)` accepts when it is given."""
        needles = [needle.casefold() for needle in contains if needle]

        def holds(record):
            texts = [v.casefold() if isinstance(v, str) else "" for v in map(record.get, fields)]
            return all(any(needle in text for text in texts) for needle in needles)

        return [r for r in self.list(index, value) if holds(r) and (where is None or where(r))]

    def ordered(self, index, value, sort_key, where, *, after=None, reverse=False, limit=None):
        """Up to `limit` records under index=value that `where` accepts, by `sort_key(record)`
        (distinct per record), descending with `reverse`, from beyond the sort key `after`."""
        records = sorted(Scanning.search(self, index, value, where), key=sort_key, reverse=reverse)
        if after is not None:
            records = [r for r in records if (sort_key(r) < after if reverse else sort_key(r) > after)]
        return records[:limit]


def search(collection, index, value, where=None, *, fields=(), contains=()):
    """`Scanning.search` on any store: its own (indexed) where it has one (both stores' collections:
    docs/search.md), else the scan of its `list`."""
    if isinstance(collection, Scanning):
        return collection.search(index, value, where, fields=fields, contains=contains)
    return Scanning.search(collection, index, value, where, fields=fields, contains=contains)


def ordered(collection, index, value, sort_key, where, **options):
    """`Scanning.ordered` on any store, likewise."""
    if isinstance(collection, Scanning):
        return collection.ordered(index, value, sort_key, where, **options)
    return Scanning.ordered(collection, index, value, sort_key, where, **options)


class Collection(Scanning):
    """Every method is one atomic step over plain JSON-able values, so a shared backend (a
    Redis hash plus sets) can implement the same interface without any change in `vendors/`.

    With a `base` (the seeded template every namespace shares, never written once built),
    reads fall through to it and writes stay here: a namespace costs nothing until it writes,
    and a reset is dropping the writes. Records handed out are immutable: replace them with
    `put`, never edit them in place. A replaced record moves to the end of every order.
    """

    def __init__(self, base=None):
        self._lock = threading.RLock()
        self._base = base
        self._records = {}
        # index name -> value -> ordered set of keys (a dict keeps insertion order)
        self._indexes = {}
        self._indexed = {}
        # recent distinct `index` arguments, by content: nothing edits an _indexed entry, so the
        # 100k records filed under one tenant share one {"tenant": ...} dict, not a copy each
        self._index_forms = {}
        self._claims = {}
        # base keys replaced or deleted here, and how many of them each index bucket lost
        self._hidden = set()
        self._hidden_per_bucket = {}
        self._released = set()
        # fields -> TextIndex over this layer's own records, built on the first search that uses it
        self._text = {}
        # (index, value, sort_key) -> SortedIndex of this layer's own records in that bucket, likewise
        self._sorted = {}

    def get(self, key):
        record = self._records.get(key)
        if record is not None:
            return record
        if self._base is not None and key not in self._hidden:
            return self._base._records.get(key)
        # Not here, yet hidden from the base or in no base: deleted, unknown, or in the middle of a
        # `put` (which moves a record to the end of the order by popping it, and hides a base key
        # before writing its replacement). Lock-free reads must not see that gap: read again once
        # the writer is done.
        with self._lock:
            return self._records.get(key)

    def put(self, key, record, index=None):
        """Insert or replace `record` under `key`, filed under `index` ({name: value})."""
        with self._lock:
            self._hide(key)
            self._unsort(key)
            self._unindex(key)
            self._records.pop(key, None)
            self._records[key] = record
            self._text_put(key, record)
            if index:
                self._indexed[key] = self._index_form(index)
                for name, value in index.items():
                    self._indexes.setdefault(name, {}).setdefault(value, {})[key] = None
            for (name, value, _), ordering in self._sorted.items():
                if name is None or (index and name in index and index[name] == value):
                    ordering.add(key, record)

    def delete(self, key):
        with self._lock:
            previous = self.get(key)
            self._hide(key)
            self._unsort(key)
            self._unindex(key)
            self._records.pop(key, None)
            for fields, text in list(self._text.items()):
                text.discard(key)
                if text.stale():
                    self._text[fields] = TextIndex(fields, self._records.items())
            return previous

    def list(self, index=None, value=None, *, reverse=False):
        """Records in insertion order (newest last), all of them or those under index=value."""
        with self._lock:
            return [self.get(key) for key in self._keys(index, value, reverse)]

    def page(self, index=None, value=None, *, offset=0, limit=None, reverse=False):
        """Like `list`, from `offset` for `limit` records, walking only that far."""
        stop = None if limit is None else offset + limit
        with self._lock:
            return [self.get(key) for key in islice(self._keys(index, value, reverse), offset, stop)]

    def count(self, index=None, value=None):
        with self._lock:
            own = self._records if index is None else self._indexes.get(index, {}).get(value, ())
            if self._base is None:
                return len(own)
            if index is None:
                return len(own) + len(self._base._records) - len(self._hidden)
            inherited = len(self._base._indexes.get(index, {}).get(value, ()))
            return len(own) + inherited - self._hidden_per_bucket.get((index, value), 0)

    def search(self, index, value, where=None, *, fields=(), contains=()):
        """As `Scanning.search`, from the text indexes over `fields` of the base and of this layer
        (each built on first use): it costs what the matches cost, not what the bucket holds."""
        needles = [needle for needle in contains if needle]
        if not needles:
            return super().search(index, value, where)
        fields = tuple(fields)
        with self._lock:
            # each layer's matches are its own records: read them off its dict, not through `get`
            records = list(map(self._records.__getitem__, self._own_matches(fields, needles, index, value)))
            if self._base is not None:
                hidden = self._hidden
                inherited = self._base._own_matches(fields, needles, index, value)
                if hidden:
                    inherited = filterfalse(hidden.__contains__, inherited)
                records[:0] = map(self._base._records.__getitem__, inherited)
        return records if where is None else [record for record in records if where(record)]

    def ordered(self, index, value, sort_key, where, *, after=None, reverse=False, limit=None):
        """As `Scanning.ordered`, walking sorted indexes of the base and of this layer from `after`
        and merging them: the cost follows the page (and what `where` skips), not the bucket."""
        with self._lock:
            walks = [self._own_ordering(index, value, sort_key).walk(after, reverse)]
            if self._base is not None:
                hidden = self._hidden
                inherited = self._base._own_ordering(index, value, sort_key).walk(after, reverse)
                walks.insert(0, (pair for pair in inherited if pair[1] not in hidden))
            found = []
            for _, key in heapq.merge(*walks, key=lambda pair: pair[0], reverse=reverse):
                if limit is not None and len(found) >= limit:
                    break
                record = self.get(key)
                if where(record):
                    found.append(record)
            return found

    def claim(self, unique, value, owner):
        """Reserve `value` in the unique set `unique` for `owner`; False if another holds it."""
        with self._lock:
            if self.owner(unique, value) not in (None, owner):
                return False
            self._claims.setdefault(unique, {})[value] = owner
            return True

    def owner(self, unique, value):
        holder = self._claims.get(unique, {}).get(value)
        if holder is None and self._base is not None and (unique, value) not in self._released:
            holder = self._base._claims.get(unique, {}).get(value)
        return holder

    def release(self, unique, value):
        with self._lock:
            self._claims.get(unique, {}).pop(value, None)
            if self._base is not None:
                self._released.add((unique, value))

    def dump(self):
        """The whole collection, base included, as JSON-able data (records in order)."""
        with self._lock:
            keys = list(self._keys(None, None, False))
            indexes = {key: self._index_of(key) for key in keys}
            claims = {}
            # sorted: a set's order changes with each process's string hashing, and an export
            # imported elsewhere must export as the same bytes
            for unique in sorted(set(self._claims) | set(self._base._claims if self._base else ())):
                values = set(self._claims.get(unique, ()))
                if self._base is not None:
                    values |= set(self._base._claims.get(unique, ()))
                holders = {v: self.owner(unique, v) for v in sorted(values, key=str)}
                claims[unique] = {v: o for v, o in holders.items() if o is not None}
            return {
                "records": [[key, self.get(key)] for key in keys],
                "indexes": {key: index for key, index in indexes.items() if index},
                "claims": claims,
            }

    def load(self, data):
        """Replace everything, base included, with `dump()` output (validated by the caller)."""
        with self._lock:
            self.__init__()
            indexes = data.get("indexes", {})
            for key, record in data["records"]:
                self.put(key, record, index=indexes.get(key))
            self._claims = {unique: dict(holders) for unique, holders in data.get("claims", {}).items()}

    def _keys(self, index, value, reverse):
        own = self._records if index is None else self._indexes.get(index, {}).get(value, {})
        if self._base is None:
            return reversed(own) if reverse else iter(own)
        base = self._base._records if index is None else self._base._indexes.get(index, {}).get(value, {})
        hidden = self._hidden
        if reverse:
            return chain(reversed(own), (k for k in reversed(base) if k not in hidden))
        return chain((k for k in base if k not in hidden), own)

    def _own_matches(self, fields, needles, index, value):
        """This layer's own keys (not the base's) under index=value that hold every needle."""
        with self._lock:
            text = self._text.get(fields)
            if text is None:
                text = self._text[fields] = TextIndex(fields, self._records.items())
            keys = text.matching(needles)
            if index is None:
                return keys
            bucket = self._indexes.get(index, {}).get(value, {})
            if len(bucket) == len(self._records):
                return keys  # the bucket is every record of this layer
            return list(filter(bucket.__contains__, keys))

    def _own_ordering(self, index, value, sort_key):
        with self._lock:
            ordering = self._sorted.get((index, value, sort_key))
            if ordering is None:
                keys = self._records if index is None else self._indexes.get(index, {}).get(value, {})
                ordering = self._sorted[(index, value, sort_key)] = SortedIndex(
                    sort_key, ((key, self._records[key]) for key in keys))
            return ordering

    def _unsort(self, key):
        if not self._sorted or key not in self._records:
            return
        previous, filed = self._records[key], self._indexed.get(key, {})
        for (name, value, _), ordering in self._sorted.items():
            if name is None or (name in filed and filed[name] == value):
                ordering.remove(key, previous)

    def _text_put(self, key, record):
        for fields, text in list(self._text.items()):
            if text.stale():
                self._text[fields] = TextIndex(fields, self._records.items())
            else:
                text.add(key, record)

    def _index_of(self, key):
        if key in self._records or self._base is None:
            return self._indexed.get(key, {})
        return self._base._indexed.get(key, {})

    def _index_form(self, index):
        """A dict equal to `index`, the same object for equal indexes put lately."""
        form = tuple((name, type(value), value) for name, value in index.items())  # with types: 1 == True
        shared = self._index_forms.get(form)
        if shared is None:
            if len(self._index_forms) >= MAX_INDEX_FORMS:  # values such as time windows never repeat
                self._index_forms.clear()
            shared = self._index_forms[form] = dict(index)
        return shared

    def _hide(self, key):
        base = self._base
        if base is None or key in self._hidden or key not in base._records:
            return
        self._hidden.add(key)
        for name, value in base._indexed.get(key, {}).items():
            self._hidden_per_bucket[(name, value)] = self._hidden_per_bucket.get((name, value), 0) + 1

    def _unindex(self, key):
        for name, value in self._indexed.pop(key, {}).items():
            bucket = self._indexes[name][value]
            bucket.pop(key, None)
            if not bucket:
                del self._indexes[name][value]
