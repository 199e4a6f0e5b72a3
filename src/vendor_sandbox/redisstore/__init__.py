"""The shared store: every namespace's writes, ids, journal, outbox and fault rules in Redis, so
that several worker processes (and replicas) serve one sandbox and a restart loses nothing.

Each worker builds the seeded templates itself (fixtures + seed are deterministic); a namespace
in Redis holds only what it changed. Key layout, all of one namespace under one hash tag:
    vs:namespaces                      zset: namespace -> sandbox-clock time of its latest use
    vs:fingerprint                     seed + fixtures of the sandboxes sharing this database
    vs:{NS}:reg:VENDOR                 set of every key VENDOR wrote in NS (a reset drops them)
    vs:{NS}:c:VENDOR:COLLECTION:...    one collection (see scripts.py)
    vs:{NS}:draws:VENDOR               the id source's draws (n, epoch)
    vs:{NS}:journal, :outbox, :faults  bounded lists (and their counters)
    vs:{NS}:clock, :settings           the namespace's clock and settings (namespaced.py)
    vs:bindings, vs:{NS}:bound         credentials bound to namespaces (bound.py)
"""

import hashlib
import json
import threading

from flask import g, has_request_context, request

from .. import bindings
from ..control.traffic import FAULT_HEADER
from ..errors import SandboxError
from ..outbox import VendorOutbox
from ..store import DEFAULT_NAMESPACE, SECOND_RUN, Namespace, Store, VendorState, current_namespace
from . import lifecycle, unit
from .bound import VERSION as BINDINGS_VERSION
from .bound import RedisBindings
from .collection import RedisCollection, Scripts
from .connection import LOG, UNAVAILABLE, StoreUnavailable, connect, guarded, redacted
from .ids import RedisSource
from .journal import RedisJournal
from .lifecycle import NAMESPACES
from .lifecycle import SCRIPT as NAMESPACES_SCRIPT
from .logs import RedisFaultRules, RedisOutbox
from .namespaced import RedisClock, RedisOverlay
from .replay import REPLAYABLE, STATE_READ, replaying
from .scripts import COMMIT
from .wire import wire_for

FINGERPRINT = "vs:fingerprint"
# of the key layout; part of the fingerprint. 2: id draws in a hash with an epoch, claim leases,
# journal entries as [entry, raw material]: a database laid out by format 1 is refused, not misread
FORMAT = 2
MAX_HANDLES = 1024  # namespace handles a worker keeps (oldest created first out)


def prefix(namespace):
    return f"vs:{{{namespace}}}:"


def registry_key(namespace, vendor):
    """The set of every key `vendor` wrote in `namespace` (a reset drops them)."""
    return f"{prefix(namespace)}reg:{vendor}"


def draws_key(namespace, vendor):
    """The hash of `vendor`'s id draws in `namespace` (ids.py): n, the last number given out, and
    epoch, the global number naming this life of the hash (a reset drops it)."""
    return f"{prefix(namespace)}draws:{vendor}"


def versions_key(namespace, vendor):
    """The hash of hidden-set versions of `vendor`'s collections in `namespace`."""
    return f"{prefix(namespace)}versions:{vendor}"


class RedisVendorState(VendorState):
    """A vendor's collections in one namespace, on Redis, over the in-process template."""

    def __init__(self, store, namespace, vendor, outbox, base):
        super().__init__(outbox, base)
        self.building = True  # until the backend's constructor has run
        self._store = store
        self._prefix = f"{prefix(namespace)}c:{vendor}:"
        self.registry = registry_key(namespace, vendor)
        self.versions = versions_key(namespace, vendor)

    def collection(self, name):
        with self._lock:
            found = self._collections.get(name)
            if found is None:
                base = self._base._collections.get(name) if self._base else None
                found = self._collections[name] = RedisCollection(
                    self._store.redis, self._store.scripts, f"{self._prefix}{name}:", self.registry, base,
                    building=lambda: self.building, name=name, versions=self.versions)
            return found


class RedisNamespace(Namespace):
    """A handle on one namespace in Redis; it holds nothing another worker could miss."""

    def __init__(self, name, store):
        self.name = name
        self._store = store
        self._backends = {}
        self._states = {}
        self._lock = threading.RLock()
        client, keys = store.redis, prefix(name)
        self.clock = RedisClock(client, keys + "clock", store.clock)
        self.settings = RedisOverlay(client, keys + "settings", store.settings)
        self.outbox = RedisOutbox(client, keys, self.clock, store.outbox_size)
        self.journal = RedisJournal(client, keys, name, NAMESPACES, store.journal_size, store.journal_bytes,
                                    store.journal_budget.limit if store.journal_budget else None)
        self.faults = RedisFaultRules(
            client, keys, f"{store.seed}/{name}/faults", {vendor: versions_key(name, vendor) for vendor in store.vendors},
            [self.clock.key, self.settings.key, BINDINGS_VERSION, NAMESPACES], [name], self._observed,
            {vendor: (draws_key(name, vendor), registry_key(name, vendor)) for vendor in store.vendors}, self._held)

    def _held(self):
        """What this worker holds of the namespace's clock and settings (as their hashes' fields)
        and the bindings' version, or None when one is not known (a request cannot guess it)."""
        clock, bound = self.clock._seen, self._store.bindings.version
        if clock is None or bound is None:
            return None
        return clock, self.settings._seen, bound

    def _observed(self, clock, settings, bound, known):
        """What a vendor request's first round trip read besides the rules: this worker keeps it.
        Returns the namespace the request belongs to when newer bindings say it is another one."""
        self.clock.observe(clock)
        self.settings.observe(settings)
        if not known:  # dropped or evicted through another worker: counted (and bounded) again
            self._store._use(self.name)
        if self._store.bindings.observe(bound) and has_request_context():
            g.pop("sandbox_namespace", None)  # resolve the request again, with the bindings now held
            try:
                again = current_namespace()
            except SandboxError:
                return None
            return again if again is not self else None
        return None

    @guarded
    def refresh(self):
        """Read the clock and the settings now (a control-plane request has no first round trip)."""
        pipe = self._store.redis.pipeline(transaction=False)
        pipe.hgetall(self.clock.key)
        pipe.hgetall(self.settings.key)
        clock, settings = pipe.execute()
        self.clock.observe(RedisClock._flat(clock))
        self.settings.observe(RedisClock._flat(settings))

    def reset(self, vendor=None):
        vendors = [vendor] if vendor else list(self._store.vendors)
        pipe = self._store.redis.pipeline()  # MULTI/EXEC: the whole reset at once
        self._store.namespaces_script(keys=[NAMESPACES], args=["reset", self.name, "", 0, 0, *vendors],
                                      client=pipe)
        if vendor is None:  # the journal's and the rules' numbering goes on, as in memory
            self.journal.queue_clear(pipe)
            pipe.unlink(*(prefix(self.name) + key for key in ("outbox", "faults", "faults:counts", "clock", "settings")))
        else:
            self.outbox._clear_vendor(keys=[self.outbox._key], args=[vendor], client=pipe)
        self._store.bindings.queue_release(pipe, self.name, vendor)
        self._store.bindings.keep(guarded(pipe.execute)()[-1])
        self.forget_known()
        if vendor is None:
            self.clock.forget()
            self.settings.forget()

    def forget_known(self):
        """What this worker knows of the namespace to guess from (unit.py) is out of date: its
        next requests read the state and the hot records again."""
        self.faults.forget_known()
        self._store._hot.forget(prefix(self.name))

    def replace(self, backends, states, messages):
        """Write the staged states (Namespace.fresh builds them in memory, over the template) and
        the messages in one MULTI/EXEC: other workers see the old namespace or the new one."""
        self.forget_known()
        pipe = self._store.redis.pipeline()
        self._store.namespaces_script(keys=[NAMESPACES], args=["reset", self.name, "", 0, 0, *states], client=pipe)
        for vendor, staged in states.items():
            live = self.state(vendor)
            for name in staged.names():
                loaded = staged._collections.get(name)
                if loaded is not None and loaded._base is None:  # load() replaced it, base included
                    live.collection(name).queue_load(pipe, loaded.dump())
        self.outbox.queue_replace(pipe, messages)
        guarded(pipe.execute)()
        self._store.bindings.rebind(self.name, bindings.bound_pairs(states))

    def _build(self, vendor):
        store = self._store
        state = RedisVendorState(store, self.name, vendor, VendorOutbox(self.outbox, vendor),
                                 store.template(vendor))
        source = RedisSource(store.seed, self.name, vendor, self.clock, store.redis,
                             draws_key(self.name, vendor), state.registry, self.faults)
        state.collection(bindings.COLLECTION)  # so that a snapshot always has it to restore into
        backend = store.vendors[vendor].Backend(state, source, store.seed_data(vendor), self.settings)
        state.building, source.built = False, True
        self._states[vendor] = state
        self._backends[vendor] = backend
        return backend


class RedisStore(Store):
    """Store with every namespace in the Redis database at `url`."""

    kind = "redis"

    def __init__(self, url, vendors, seeds, clock, **options):
        super().__init__(vendors, seeds, clock, **options)
        self.url = url
        self.redis = connect(url)
        self.scripts = Scripts(self.redis)
        self.namespaces_script = wire_for(self.redis).register_script(NAMESPACES_SCRIPT)
        self._commit = wire_for(self.redis).register_script(COMMIT)
        self._ordered_commit = wire_for(self.redis).register_script(COMMIT, ordered=True)
        self._hot = unit.Hot()
        self.bindings = RedisBindings(self.redis)
        self._fingerprint = fingerprint(seeds, self.vendors, self.seed)
        self._checked = False
        self.check_fingerprint(required=False)

    def check_fingerprint(self, required=True):
        """Claim the database for this seed and these fixtures; refuse one another sandbox holds."""
        if self._checked:
            return
        try:
            self.redis.set(FINGERPRINT, self._fingerprint, nx=True)
            held = self.redis.get(FINGERPRINT).decode()
        except Exception:
            if required:
                raise
            return  # unreachable at start: checked on first use, the sandbox starts anyway
        if held != self._fingerprint:
            raise ValueError(
                f"{redacted(self.url)} holds another sandbox's state (a different seed or fixtures); "
                "use another database (redis://host:port/N) or empty this one")
        self._checked = True

    def namespace(self, name=DEFAULT_NAMESPACE, create=True):
        """As Store.namespace, bounded alike across every worker (lifecycle.py). A worker's first use
        of a namespace registers it (one round trip); after that, each vendor request's first round
        trip notes its use, and the journal's too; an idle sweep runs a tenth of the idle time apart."""
        namespace = self._namespaces.get(name)
        if namespace is None and not create and not self._exists(name):
            return Namespace(name, self)  # a throwaway seeded copy: reading builds nothing
        if namespace is None:
            self._use(name)
            with self._lock:
                namespace = self._namespaces.setdefault(name, RedisNamespace(name, self))
                if len(self._namespaces) > MAX_HANDLES:
                    # handles hold nothing Redis lacks: forget the oldest, rebuilt when used again
                    for old in list(self._namespaces)[:len(self._namespaces) - MAX_HANDLES]:
                        self._namespaces.pop(old, None)
        elif self.idle_seconds and lifecycle.wall_time() >= self._next_sweep:
            self._sweep()
        if has_request_context():
            self._refresh_for_control_plane(namespace)
        return namespace

    def _refresh_for_control_plane(self, namespace):
        """A control-plane request has no first round trip, yet builds tokens and answers from the
        namespace's clock and settings (GET /_sandbox/credentials, /clock, /settings): it reads
        them once (one trip), before using the namespace. Bindings are not read here: they place
        vendor requests only."""
        ctx = g._get_current_object()
        refreshed = ctx.get("sandbox_refreshed")
        if refreshed is None:  # False for a vendor request: its first round trip reads them (unless
            # X-Sandbox-Fault forces a fault, which answers before that trip)
            refreshed = ctx.sandbox_refreshed = set() if self.vendor_for(request.path) is None \
                or FAULT_HEADER in request.headers else False
        if refreshed is not False and namespace.name not in refreshed:
            refreshed.add(namespace.name)
            namespace.refresh()

    def _use(self, name):
        """Register `name` as used now, dropping the least recently used beyond max_namespaces,
        when Redis answers: a handle needs no Redis, so an outage surfaces as the vendor's 503 at
        its first read, never here."""
        self._dropping("use", name, 0)

    def _sweep(self):
        now = lifecycle.wall_time()
        self._next_sweep = now + self.idle_seconds / 10
        self._dropping("sweep", now - self.idle_seconds, now)

    def _dropping(self, mode, name_or_cutoff, now):
        try:
            if not self._checked:
                self.check_fingerprint()
            now = now or lifecycle.wall_time()
            dropped = self.namespaces_script(keys=[NAMESPACES], args=[
                mode, name_or_cutoff, DEFAULT_NAMESPACE, now, self.max_namespaces or 0, *self.vendors])
            if mode == "use" and self.idle_seconds and now >= self._next_sweep:
                self._sweep()
            for gone in dropped:
                self._namespaces.pop(gone.decode(), None)
            if dropped:
                self.bindings.reload()
        except (*UNAVAILABLE, StoreUnavailable) as error:
            LOG.warning("namespace use not noted, redis unavailable: %s", error)

    @guarded
    def _exists(self, name):
        return self.redis.zscore(NAMESPACES, name) is not None

    @guarded
    def namespaces(self):
        return sorted(n.decode() for n in self.redis.zrange(NAMESPACES, 0, -1))

    @guarded
    def drop(self, name):
        self.namespaces_script(keys=[NAMESPACES], args=["drop", name, "", 0, 0, *self.vendors])
        with self._lock:
            self._namespaces.pop(name, None)
        self._hot.forget(prefix(name))
        self.bindings.reload()

    def wrap(self, wsgi_app, config):
        return replaying(wsgi_app, lambda path: self.vendor_for(path) is not None,
                         lambda: config.get("MAX_CONTENT_LENGTH"))

    def begin_request(self):
        rule, environ = request.url_rule, request.environ
        unit.begin(self._commit, self._hot, (request.method, rule.rule if rule is not None else None),
                   assume=bool(environ.get(REPLAYABLE)) and not environ.get(SECOND_RUN),
                   guess=not environ.get(STATE_READ), ordered=self._ordered_commit)

    def end_request(self):
        unit.finish()

    def describe(self):
        """What /_sandbox/health says about the store."""
        try:
            reachable = bool(self.redis.ping())
        except Exception:
            reachable = False
        return {"kind": self.kind, "url": redacted(self.url), "reachable": reachable}


def fingerprint(seeds, vendors, seed):
    """A digest of what the seeded templates are built from: equal digests, equal templates."""
    data = {"format": FORMAT, "seed": seed, "fake_users": seeds._fake_users,
            "fixtures": {name: seeds.get(name) for name in sorted(vendors)}}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
