"""Collections: records by key, one-value secondary indexes and unique claims, optionally
layered copy-on-write over a read-only base."""

import threading
from itertools import chain, islice

MAX_INDEX_FORMS = 1024


class Collection:
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

    def get(self, key):
        record = self._records.get(key)
        if record is None and self._base is not None and key not in self._hidden:
            return self._base._records.get(key)
        return record

    def put(self, key, record, index=None):
        """Insert or replace `record` under `key`, filed under `index` ({name: value})."""
        with self._lock:
            self._hide(key)
            self._unindex(key)
            self._records.pop(key, None)
            self._records[key] = record
            if index:
                self._indexed[key] = self._index_form(index)
                for name, value in index.items():
                    self._indexes.setdefault(name, {}).setdefault(value, {})[key] = None

    def delete(self, key):
        with self._lock:
            previous = self.get(key)
            self._hide(key)
            self._unindex(key)
            self._records.pop(key, None)
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
