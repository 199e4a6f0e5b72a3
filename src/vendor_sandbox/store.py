"""Namespaces of per-vendor state behind a narrow, atomic collection interface."""

import re
import threading

from flask import current_app, request

from .errors import SandboxError
from .faults import FaultRules
from .ids import Source
from .journal import Journal
from .outbox import Outbox, VendorOutbox

NAMESPACE_HEADER = "X-Sandbox-Namespace"
DEFAULT_NAMESPACE = "default"
_NAMESPACE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class Collection:
    """Records by key, one-value secondary indexes and unique claims.

    Every method is one atomic step and takes and returns plain JSON-able values, so a
    shared backend (a Redis hash plus sets) can implement the same interface later without
    any change in `vendors/`. Records handed out must be treated as immutable: replace them
    with `put`, never edit them in place.
    """

    def __init__(self):
        self._lock = threading.RLock()
        self._records = {}
        # index name -> value -> ordered set of keys (a dict keeps insertion order)
        self._indexes = {}
        self._indexed = {}
        self._claims = {}

    def get(self, key):
        return self._records.get(key)

    def put(self, key, record, index=None):
        """Insert or replace `record` under `key`, filed under `index` ({name: value})."""
        with self._lock:
            self._unindex(key)
            self._records[key] = record
            if index:
                self._indexed[key] = dict(index)
                for name, value in index.items():
                    self._indexes.setdefault(name, {}).setdefault(value, {})[key] = None

    def delete(self, key):
        with self._lock:
            self._unindex(key)
            return self._records.pop(key, None)

    def list(self, index=None, value=None, *, reverse=False):
        """Records in insertion order, all of them or those filed under index=value."""
        with self._lock:
            if index is None:
                keys = list(self._records)
            else:
                keys = list(self._indexes.get(index, {}).get(value, ()))
        if reverse:
            keys.reverse()
        records = self._records
        return [records[k] for k in keys if k in records]

    def count(self, index=None, value=None):
        if index is None:
            return len(self._records)
        return len(self._indexes.get(index, {}).get(value, ()))

    def claim(self, unique, value, owner):
        """Reserve `value` in the unique set `unique` for `owner`; False if another holds it."""
        with self._lock:
            holders = self._claims.setdefault(unique, {})
            if holders.get(value, owner) != owner:
                return False
            holders[value] = owner
            return True

    def owner(self, unique, value):
        return self._claims.get(unique, {}).get(value)

    def release(self, unique, value):
        with self._lock:
            self._claims.get(unique, {}).pop(value, None)

    def dump(self):
        """The whole collection as JSON-able data (records in insertion order)."""
        with self._lock:
            return {
                "records": [[key, record] for key, record in self._records.items()],
                "indexes": {key: dict(index) for key, index in self._indexed.items()},
                "claims": {unique: dict(holders) for unique, holders in self._claims.items()},
            }

    def load(self, data):
        """Replace everything with `dump()` output (already validated by the caller)."""
        with self._lock:
            self._records, self._indexes, self._indexed, self._claims = {}, {}, {}, {}
            indexes = data.get("indexes", {})
            for key, record in data["records"]:
                self.put(key, record, index=indexes.get(key))
            self._claims = {unique: dict(holders) for unique, holders in data.get("claims", {}).items()}

    def _unindex(self, key):
        for name, value in self._indexed.pop(key, {}).items():
            bucket = self._indexes[name][value]
            bucket.pop(key, None)
            if not bucket:
                del self._indexes[name][value]


class VendorState:
    """The named collections of one vendor in one namespace, and its outbox.

    A backend keeps every piece of mutable state in these collections (never in its own
    attributes), so that snapshots and a shared store see all of it.
    """

    def __init__(self, outbox=None):
        self._collections = {}
        self._lock = threading.Lock()
        self.outbox = outbox

    def collection(self, name):
        with self._lock:
            return self._collections.setdefault(name, Collection())

    def names(self):
        return sorted(self._collections)


class Namespace:
    """One isolated copy of the seeded state; each vendor's backend is built on first use."""

    def __init__(self, name, store):
        self.name = name
        self._store = store
        self._backends = {}
        self._states = {}
        self._lock = threading.RLock()
        self.outbox = Outbox(store.clock, store.outbox_size)
        self.journal = Journal(store.journal_size)
        self.faults = FaultRules(f"{store.seed}/{name}/faults")

    def backend(self, vendor):
        backend = self._backends.get(vendor)
        if backend is None:
            with self._lock:
                backend = self._backends.get(vendor) or self._build(vendor)
        return backend

    def reset(self, vendor=None):
        """Back to the seeded state: one vendor (its data and messages) or everything,
        journal and fault rules included."""
        with self._lock:
            for name in [vendor] if vendor else list(self._store.vendors):
                self._backends.pop(name, None)
                self._states.pop(name, None)
            self.outbox.clear(vendor)
            if vendor is None:
                self.journal.clear()
                self.faults.clear()

    def fresh(self, vendor):
        """(backend, state) seeded anew, not yet in use by this namespace."""
        module = self._store.vendors[vendor]
        source = Source(self._store.seed, self.name, vendor, self._store.clock)
        state = VendorState(VendorOutbox(self.outbox, vendor))
        return module.Backend(state, source, self._store.seed_data(vendor), self._store.settings), state

    def replace(self, backends, states, messages):
        """Swap in restored backends and outbox messages in one step (see control/state.py)."""
        with self._lock:
            self._backends = dict(backends)
            self._states = dict(states)
            self.outbox.replace(messages)

    def state(self, vendor):
        """The VendorState behind `vendor`'s backend, for snapshots."""
        self.backend(vendor)
        return self._states[vendor]

    def _build(self, vendor):
        backend, state = self.fresh(vendor)
        self._backends[vendor] = backend
        self._states[vendor] = state
        return backend


class Store:
    """Every namespace of one app; `reset` rebuilds from the seeded fixtures."""

    def __init__(self, vendors, seeds, clock, seed=0, outbox_size=1000, journal_size=1000, settings=None,
                 idle_seconds=0):
        self.vendors = {module.NAME: module for module in vendors}
        self.settings = dict(settings or {})
        self.journal_size = journal_size
        self.clock = clock
        self.seed = seed
        self.outbox_size = outbox_size
        self._seeds = seeds
        self._namespaces = {}
        self._lock = threading.Lock()
        self.idle_seconds = idle_seconds
        self._last_used = {}  # namespace -> sandbox-clock epoch seconds of its latest use
        self._next_sweep = 0.0

    def vendor_for(self, path):
        """The vendor module whose URL prefix `path` is under, or None."""
        for module in self.vendors.values():
            if path == module.URL_PREFIX or path.startswith(module.URL_PREFIX + "/"):
                return module
        return None

    def seed_data(self, vendor):
        return self._seeds.get(vendor)

    def namespace(self, name=DEFAULT_NAMESPACE):
        if self.idle_seconds:
            self._touch(name)
        namespace = self._namespaces.get(name)
        if namespace is None:
            with self._lock:
                namespace = self._namespaces.setdefault(name, Namespace(name, self))
        return namespace

    def namespaces(self):
        return sorted(self._namespaces)

    def reset(self, name, vendor=None):
        self.namespace(name).reset(vendor)

    def drop(self, name):
        """Forget a namespace entirely; it is rebuilt from the seed if used again."""
        with self._lock:
            self._namespaces.pop(name, None)
            self._last_used.pop(name, None)

    def _touch(self, name):
        """Note the use of `name`; now and then (a tenth of the idle time), forget the namespaces
        idle for longer than `idle_seconds`, but never the default one."""
        now = self.clock.now().timestamp()
        self._last_used[name] = now
        if now < self._next_sweep:
            return
        with self._lock:
            self._next_sweep = now + self.idle_seconds / 10
            # a copy: requests in other threads note their use without the lock
            for idle in [n for n, used in list(self._last_used.items()) if used <= now - self.idle_seconds]:
                if idle != DEFAULT_NAMESPACE:
                    self._namespaces.pop(idle, None)
                    self._last_used.pop(idle, None)


def init_app(app, store):
    app.extensions["vendor_sandbox.store"] = store


def get_store():
    return current_app.extensions["vendor_sandbox.store"]


def namespace_name(from_query=False):
    """The namespace the current request addresses (X-Sandbox-Namespace, else "default").

    Pages opened in a browser, which cannot send the header, may name it as ?namespace=.
    """
    name = request.headers.get(NAMESPACE_HEADER)
    if name is None:
        name = (request.args.get("namespace") if from_query else None) or DEFAULT_NAMESPACE
    if not _NAMESPACE_RE.fullmatch(name):
        raise SandboxError(
            400,
            "invalid_namespace",
            f"{NAMESPACE_HEADER} must be 1-64 characters of letters, digits, '.', '_' or '-'",
        )
    return name


def get_backend(vendor):
    """The backend of `vendor` in the current request's namespace."""
    return get_store().namespace(namespace_name()).backend(vendor)
