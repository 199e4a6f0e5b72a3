"""Namespaces of per-vendor state behind a narrow, atomic collection interface."""

import re
import threading
from collections import OrderedDict
from time import monotonic

from flask import current_app, g, request

from . import bindings, redact
from .collection import Collection
from .errors import SandboxError
from .faults import FaultRules
from .heap import bulk_allocation
from .ids import Clock, Source
from .journal import Budget, Journal
from .outbox import Outbox, VendorOutbox
from .settings import overlay

NAMESPACE_HEADER = "X-Sandbox-Namespace"
PATH_NAMESPACE = "vendor_sandbox.path_namespace"  # set by the front layer (front/routing.py)
DEFAULT_NAMESPACE = "default"
_NAMESPACE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class VendorState:
    """The named collections of one vendor in one namespace, and its outbox.

    A backend keeps every piece of mutable state in these collections (never in its own
    attributes), so that snapshots and a shared store see all of it. A namespace's state is
    layered over the vendor's seeded template: `seeded` tells the backend not to seed again.
    """

    def __init__(self, outbox=None, base=None):
        self._collections = {}
        self._lock = threading.Lock()
        self._base = base
        self.outbox = outbox

    @property
    def seeded(self):
        return self._base is not None

    def collection(self, name):
        with self._lock:
            found = self._collections.get(name)
            if found is None:
                base = self._base._collections.get(name) if self._base else None
                found = self._collections[name] = Collection(base)
            return found

    def names(self):
        return sorted(set(self._collections) | set(self._base._collections if self._base else ()))


class Namespace:
    """One isolated copy of the seeded state; each vendor's backend is built on first use."""

    def __init__(self, name, store):
        self.name = name
        self._store = store
        self._backends = {}
        self._states = {}
        self._lock = threading.RLock()
        # its own clock and settings: moving or changing them touches no other namespace
        self.clock = Clock(base=store.clock)
        self.settings = overlay(store.settings)
        self.outbox = Outbox(self.clock, store.outbox_size)
        self.journal = Journal(store.journal_size, store.journal_bytes, store.journal_budget)
        self.faults = FaultRules(f"{store.seed}/{name}/faults")

    def backend(self, vendor):
        backend = self._backends.get(vendor)
        if backend is None:
            with self._lock:
                backend = self._backends.get(vendor) or self._build(vendor)
        return backend

    def reset(self, vendor=None):
        """Back to the seeded state: one vendor (its data and messages) or everything,
        journal, fault rules, clock and settings included."""
        with self._lock:
            for name in [vendor] if vendor else list(self._store.vendors):
                self._backends.pop(name, None)
                self._states.pop(name, None)
            self.outbox.clear(vendor)
            self._store.bindings.release(self.name, vendor)
            if vendor is None:
                self.journal.clear()
                self.faults.clear()
                self.clock.unfreeze()
                self.settings.maps[0].clear()

    def fresh(self, vendor):
        """(backend, state) at the seeded state, not yet in use by this namespace."""
        store = self._store
        source = Source(store.seed, self.name, vendor, self.clock)
        state = VendorState(VendorOutbox(self.outbox, vendor), base=store.template(vendor))
        state.collection(bindings.COLLECTION)  # so that a snapshot always has it to restore into
        return store.vendors[vendor].Backend(state, source, store.seed_data(vendor), self.settings), state

    def replace(self, backends, states, messages):
        """Swap in restored backends and outbox messages in one step (see control/state.py)."""
        with self._lock:
            self._backends = dict(backends)
            self._states = dict(states)
            self.outbox.replace(messages)
            self._store.bindings.rebind(self.name, bindings.bound_pairs(states))

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

    kind = "memory"  # one process holds everything: a single worker

    def __init__(self, vendors, seeds, clock, seed=0, outbox_size=1000, journal_size=1000, settings=None,
                 idle_seconds=0, max_namespaces=None, journal_bytes=None, journal_total_bytes=None):
        self.vendors = {module.NAME: module for module in vendors}
        self.settings = dict(settings or {})
        self.journal_size = journal_size
        self.journal_bytes = journal_bytes
        self.journal_budget = Budget(journal_total_bytes) if journal_total_bytes else None
        self.clock = clock
        self.seed = seed
        self.outbox_size = outbox_size
        self._seeds = seeds
        # least recently used first: a request moves its namespace to the end
        self._namespaces = OrderedDict()
        self.max_namespaces = max_namespaces
        self._lock = threading.Lock()
        self._templates = {}
        self._template_lock = threading.Lock()
        self.idle_seconds = idle_seconds
        self._last_used = {}  # namespace -> monotonic seconds of its latest use
        self._next_sweep = 0.0
        self.bindings = bindings.Bindings()

    def vendor_for(self, path):
        """The vendor module whose URL prefix `path` is under, or None."""
        for module in self.vendors.values():
            if path == module.URL_PREFIX or path.startswith(module.URL_PREFIX + "/"):
                return module
        return None

    def seed_data(self, vendor):
        return self._seeds.get(vendor)

    def template(self, vendor):
        """The vendor's seeded state, built once and shared read-only by every namespace."""
        template = self._templates.get(vendor)
        if template is None:
            with self._template_lock:
                template = self._templates.get(vendor)
                if template is None:
                    template = VendorState()
                    # "~" is no namespace's: the template's draws never repeat a namespace's; the
                    # process clock, never a namespace's: no namespace's moves show in the template
                    source = Source(self.seed, "~template", vendor, self.clock)
                    with bulk_allocation():
                        seed = self._seeds.with_volume(vendor)
                        self.vendors[vendor].Backend(template, source, seed, self.settings)
                    self._templates[vendor] = template
        return template

    def namespace(self, name=DEFAULT_NAMESPACE, create=True):
        """The namespace `name`, made on first use; with create=False, one not yet made is a
        throwaway seeded copy, never kept: reading (a dashboard, an <img> tag) builds nothing."""
        namespaces = self._namespaces
        namespace = namespaces.get(name)
        if namespace is None:
            if not create:
                return Namespace(name, self)
            with self._lock:
                namespace = namespaces.get(name)
                if namespace is None:
                    namespace = namespaces[name] = Namespace(name, self)
                    self._evict_over_limit()
        else:
            try:
                namespaces.move_to_end(name)
            except KeyError:  # evicted by another request meanwhile: this one finishes with it
                pass
        if self.idle_seconds:
            self._touch(name)
        return namespace

    def _evict_over_limit(self):
        """With more than `max_namespaces`, forget the least recently used (never the default)."""
        namespaces = self._namespaces
        while self.max_namespaces and len(namespaces) > self.max_namespaces:
            oldest = next(iter(namespaces))  # one step: requests reorder the dict without the lock
            if oldest == DEFAULT_NAMESPACE:
                if len(namespaces) == 1:
                    return
                namespaces.move_to_end(oldest)
                continue
            self._forget(oldest)

    def _forget(self, name):
        """(under the lock) Drop a namespace and give back what its journal held."""
        namespace = self._namespaces.pop(name, None)
        self._last_used.pop(name, None)
        self.bindings.release(name)
        if namespace is not None:
            namespace.journal.clear()

    def namespaces(self):
        return sorted(self._namespaces)

    def reset(self, name, vendor=None):
        self.namespace(name).reset(vendor)

    def drop(self, name):
        """Forget a namespace entirely; it is rebuilt from the seed if used again."""
        with self._lock:
            self._forget(name)

    def wrap(self, wsgi_app, config):
        """The WSGI app this store needs around the Flask app (the shared store's replay.py)."""
        return wsgi_app

    def begin_request(self):
        """A vendor request starts on this thread (a shared store holds its writes until it ends)."""

    def end_request(self):
        """It ended (after its journal entry, or without one when it failed)."""

    def _touch(self, name):
        """Note the use of `name`; now and then (a tenth of the idle time), forget the namespaces
        idle for longer than `idle_seconds`, but never the default one. Idle time is real time,
        not the sandbox clock: a test moving the clock must not evict the namespaces of others."""
        now = monotonic()
        self._last_used[name] = now
        if now < self._next_sweep:
            return
        with self._lock:
            self._next_sweep = now + self.idle_seconds / 10
            # a copy: requests in other threads note their use without the lock
            for idle in [n for n, used in list(self._last_used.items()) if used <= now - self.idle_seconds]:
                if idle != DEFAULT_NAMESPACE:
                    self._forget(idle)


def describe_store(store):
    """What /_sandbox/health says about the store: its kind and whether it is reachable."""
    describe = getattr(store, "describe", None)
    return describe() if describe else {"kind": store.kind, "reachable": True}


def build_store(config, vendors, seeds, clock):
    """The store `config` selects: STORE_URL redis://... (or rediss://) shares one Redis
    database between workers; none keeps everything in this process."""
    options = dict(seed=config["SEED"], outbox_size=int(config["OUTBOX_SIZE"]),
                   journal_size=int(config["JOURNAL_SIZE"]), settings=config,
                   idle_seconds=float(config["NAMESPACE_IDLE_SECONDS"]),
                   max_namespaces=int(config["MAX_NAMESPACES"]), journal_bytes=int(config["JOURNAL_BYTES"]),
                   journal_total_bytes=int(config["JOURNAL_TOTAL_BYTES"]))
    url = config.get("STORE_URL")
    if not url or url == "memory":
        return Store(vendors, seeds, clock, **options)
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"unknown store {redact.url(url)!r}: use memory, redis://HOST:PORT/DB or rediss://...")
    from .redisstore import RedisStore  # redis-py is imported only when a shared store is asked for

    return RedisStore(url, vendors, seeds, clock, **options)


# in the environ of a request answered a second time (redisstore/replay.py): its fault rules were
# read, and did not fire, the first time
SECOND_RUN = "vendor_sandbox.second_run"


def init_app(app, store):
    app.extensions["vendor_sandbox.store"] = store
    app.wsgi_app = store.wrap(app.wsgi_app, app.config)


def get_store():
    return current_app.extensions["vendor_sandbox.store"]


def namespace_name(from_query=False):
    """The namespace the current request addresses: the one its credential is bound to (see
    bindings.py), else its /ns/{name}/ path (or the proxy URL's user name), else X-Sandbox-Namespace,
    else "default".

    Pages opened in a browser, which cannot send the header, may name it as ?namespace=.
    """
    bound = bindings.request_namespace(get_store(), request)
    if bound is not None:
        return bound
    name = request.environ.get(PATH_NAMESPACE)
    given_as = NAMESPACE_HEADER if name is None else "The namespace in /ns/{name}/"
    if name is None:
        name = request.headers.get(NAMESPACE_HEADER)
    if name is None:
        name = (request.args.get("namespace") if from_query else None) or DEFAULT_NAMESPACE
    if not _NAMESPACE_RE.fullmatch(name):
        raise SandboxError(
            400,
            "invalid_namespace",
            f"{given_as} must be 1-64 characters of letters, digits, '.', '_' or '-'",
        )
    return name


def current_namespace():
    """The Namespace the current request addresses, resolved once per request: the traffic
    hooks, the credential check and the view all ask for it, and each lookup is a header read,
    a pattern match and the idle-time bookkeeping. Raises SandboxError for a malformed name."""
    ctx = g._get_current_object()  # a context proxy costs a microsecond per use
    namespace = ctx.get("sandbox_namespace")
    if namespace is None:
        namespace = ctx.sandbox_namespace = get_store().namespace(namespace_name())
    return namespace


def current_clock():
    """The clock of the current request's namespace; the process clock when the request names no
    valid namespace (an error about that very name still carries a date)."""
    try:
        return current_namespace().clock
    except SandboxError:
        return get_store().clock


def get_backend(vendor):
    """The backend of `vendor` in the current request's namespace."""
    return current_namespace().backend(vendor)
