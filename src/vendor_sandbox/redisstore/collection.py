"""Collection on Redis: a namespace's writes in Redis, layered over the in-process seeded base.

The base (the vendor's seeded template) is built by every worker from the same fixtures and seed,
so only what a namespace changes goes to Redis; each method is one round trip and one atomic
step there (a Lua script, or a MULTI/EXEC of reads).
"""

import json
from itertools import islice

from ..collection import Collection
from . import unit
from .connection import guarded
from .observed import VERSION_COUNTER, observed_version
from .scripts import ALL, BUMP, CLAIM, DELETE, HIDDEN, OWNER, PUT, RELEASE, VIEW
from .search import IndexedSearch
from .wire import wire_for

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_MISSING = unit.MISSING
_loads = json.loads


# json.dumps(..., separators=(",", ":")) exactly, with the encoder built once (it is on every write)
_field = json.JSONEncoder(separators=(",", ":")).encode


def bucket(name, value):
    """The field naming one index bucket: typed, so 1, True and "1" are three buckets."""
    return _field([name, value])


def claim_field(unique, value):
    return _field([unique, value])


class Scripts:
    """The registered scripts of one client (EVALSHA, loaded again after a Redis restart)."""

    def __init__(self, client):
        wire = wire_for(client)
        self.put = wire.register_script(PUT)
        self.delete = wire.register_script(DELETE)
        self.claim = wire.register_script(CLAIM)
        self.view = wire.register_script(VIEW)
        self.hidden = wire.register_script(HIDDEN)
        self.owner = wire.register_script(OWNER)
        self.release = wire.register_script(RELEASE)
        self.bump = wire.register_script(BUMP)


class RedisCollection(IndexedSearch):
    """The same interface and semantics as collection.Collection (see its docstring)."""

    def __init__(self, client, scripts, prefix, registry, base=None, building=None, name="", versions=None):
        self._r = client
        self._name, self._versions = name, versions or prefix + "versions"
        self._hidden_cache = (None, None)  # (version, frozenset of hidden base keys)
        # while the backend's constructor runs (building() true), its writes (Nabla's signing key)
        # join this worker's copy of the base: every worker draws them alike from the seed, and a
        # reset brings them back as the in-memory store's rebuilt backend does
        self._building = building or (lambda: False)
        self._s = scripts
        self._wire = wire_for(client)
        self._base = base
        self._prefix = prefix
        self._rec, self._order, self._indexed = prefix + "rec", prefix + "order", prefix + "indexed"
        self._seq, self._hidden, self._hiddenb = prefix + "seq", prefix + "hidden", prefix + "hiddenb"
        self._claims, self._released = prefix + "claims", prefix + "released"
        self._tentative = prefix + "tentative"  # claims' leases (unit.py): field -> deadline, ms
        self._claim_keys = [self._claims, self._released, registry, self._tentative]
        self._bucket_prefix = prefix + "i:"
        self._registry = registry
        self._keys7 = [self._rec, self._order, self._indexed, self._seq, self._hidden, self._hiddenb, registry,
                       self._versions, VERSION_COUNTER]

    # -- reads

    def get(self, key):
        # not @guarded as a whole: most reads touch no socket (a seeded record, a hot record, the
        # request's own write); those that do go through _io
        queued = unit.current()
        if queued is not None and queued.pending:
            pending = queued.pending.get((self._rec, key), _NOTHING)
            if pending is not _NOTHING:  # this request's own write, not sent yet
                return None if pending is None else _loads(pending)
        base = self._base._records if self._base is not None else {}
        if key in base:
            # a base key has a record of its own only once hidden: ask which are hidden first
            hidden = self._cached_hidden()
            if hidden is not None:
                if key not in hidden and ALL not in hidden:
                    return base[key]
            elif not any(self._io("SMISMEMBER", self._hidden, key, ALL)):
                return base[key]
        if queued is None:
            return _decode(self._io("HGET", self._rec, key))
        if key not in base and queued.is_fresh(key):  # a new id's check: assumed free (unit.py)
            queued.assume_absent(self._rec, key)
            return None
        field = (self._rec, key)
        queued.read.add(field)
        if field in queued.guessed_reads:  # guessed: what this worker knows now (unit.Hot)
            value = queued.guessed_read(field)
            if value is not _MISSING:
                return _decode(value)
        elif field in queued.prefetched:  # read by the request's first trip (unit.Hot)
            return _decode(queued.prefetched[field])
        return _decode(self._io("HGET", self._rec, key))

    @guarded
    def _io(self, *args):
        return self._wire.call(*args)

    def _cached_hidden(self):
        """The hidden base keys, when this request observed their version: from this worker's
        cache if it holds that version, else read once (one round trip) and cached."""
        version = observed_version(self._versions, self._name)
        if version is None:
            return None
        cached_version, cached = self._hidden_cache
        if cached_version == version:
            return cached
        return self.hidden_set()

    @guarded
    def hidden_set(self):
        members, version = self._s.hidden(keys=[self._hidden, self._versions], args=[self._name])
        members = frozenset(m.decode() for m in members)
        self._hidden_cache = (version, members)
        return members

    def list(self, index=None, value=None, *, reverse=False):
        return self.page(index, value, reverse=reverse)

    @guarded
    def page(self, index=None, value=None, *, offset=0, limit=None, reverse=False):
        unit.settle()
        base_keys = self._base_bucket(index, value)
        zset, field = (self._order, "") if index is None else (self._bucket_prefix + bucket(index, value),
                                                               bucket(index, value))
        visible, own_n, keys, records, hidden = self._s.view(
            keys=[zset, self._rec, self._hidden, self._hiddenb],
            args=[field, len(base_keys), offset, -1 if limit is None else limit, 1 if reverse else 0])
        own = [_loads(r) for r in records]
        if not visible:
            return own
        hidden = {h.decode() for h in hidden}
        base_records = self._base._records
        if reverse:
            wanted = None if limit is None else limit - len(own)
            if wanted == 0:
                return own
            walk = (k for k in reversed(base_keys) if k not in hidden)
            return own + [base_records[k] for k in islice(walk, max(0, offset - own_n),
                                                          None if wanted is None else max(0, offset - own_n) + wanted)]
        if offset >= visible:
            return own
        walk = (k for k in base_keys if k not in hidden)
        stop = None if limit is None else offset + limit
        return [base_records[k] for k in islice(walk, offset, stop)] + own

    @guarded
    def count(self, index=None, value=None):
        unit.settle()
        base_n = len(self._base_bucket(index, value))
        pipe = self._r.pipeline()
        pipe.zcard(self._order if index is None else self._bucket_prefix + bucket(index, value))
        pipe.sismember(self._hidden, ALL)
        if index is None:
            pipe.scard(self._hidden)
        else:
            pipe.hget(self._hiddenb, bucket(index, value))
        own, all_hidden, hidden = pipe.execute()
        if not base_n or all_hidden:
            return own
        return own + base_n - int(hidden or 0)

    @guarded
    def owner(self, unique, value):
        unit.settle()
        return _text(self._s.owner(keys=[self._claims, self._released, self._tentative],
                                   args=[claim_field(unique, value), self._base_owner(unique, value) or ""]))

    # -- writes: one script each

    @guarded
    def put(self, key, record, index=None):
        if self._building():
            return self._built_base().put(key, record, index)
        fields = "\n".join(bucket(n, v) for n, v in index.items()) if index else ""
        in_base, base_fields = self._base_index(key)
        encoded = _dumps(record)
        args = [self._bucket_prefix, key, encoded, fields, in_base, base_fields, self._name]
        queued = unit.current()
        if queued is not None:
            queued.queue("put", self._keys7, args)
            queued.pending[(self._rec, key)] = encoded
            return
        self._s.put(keys=self._keys7, args=args)

    @guarded
    def delete(self, key):
        if self._building():
            return self._built_base().delete(key)
        in_base, base_fields = self._base_index(key)
        args = [self._bucket_prefix, key, in_base, base_fields, self._name]
        queued = unit.current()
        if queued is not None:
            gone = self.get(key)  # what the delete answers; COMMIT deletes whatever is there then
            queued.queue("delete", self._keys7, args)
            queued.pending[(self._rec, key)] = None
            return gone
        own, was_hidden = self._s.delete(keys=self._keys7, args=args)
        if own is not None:
            return _loads(own)
        return self._base._records[key] if in_base == "1" and not was_hidden else None

    @guarded
    def claim(self, unique, value, owner):
        if self._building():
            return self._built_base().claim(unique, value, owner)
        queued = unit.current()
        if queued is not None and queued.releases:
            unit.settle()  # a release this request queued may free what it claims now
        field, base_owner = claim_field(unique, value), self._base_owner(unique, value)
        if queued is not None and queued.assume and base_owner is None:
            # assumed won, checked by COMMIT (unit.py); this request's own claims first
            held = queued.claimed.setdefault((self._claims, field), owner)
            if held == owner:
                queued.queue("claim", self._claim_keys, [field, owner, "", 0])
            return held == owner
        lease = unit.CLAIM_LEASE_MS if queued is not None else 0
        won = self._s.claim(keys=self._claim_keys, args=[field, owner, base_owner or "", lease])
        if won and queued is not None:
            queued.confirm(self._claims, self._tentative, field, owner)
        return bool(won)

    @guarded
    def release(self, unique, value):
        if self._building():
            return self._built_base().release(unique, value)
        args = [claim_field(unique, value), "1" if self._base is not None else "0"]
        queued = unit.current()
        if queued is not None:
            queued.queue("release", self._claim_keys, args)
            queued.releases = True
            queued.claimed.pop((self._claims, args[0]), None)  # no longer this request's to hold
            return
        self._s.release(keys=self._claim_keys, args=args)

    # -- snapshots

    @guarded
    def dump(self):
        unit.settle()
        pipe = self._r.pipeline()
        pipe.zrange(self._order, 0, -1)
        pipe.hgetall(self._rec)
        pipe.hgetall(self._indexed)
        pipe.smembers(self._hidden)
        pipe.hgetall(self._claims)
        pipe.smembers(self._released)
        pipe.zrange(self._tentative, 0, -1, withscores=True)
        pipe.time()
        order, records, indexed, hidden, claims, released, leases, now = pipe.execute()
        now_ms = now[0] * 1000 + now[1] // 1000
        for field, deadline in leases:  # a lease run out: its request never committed
            if deadline < now_ms:
                claims.pop(field, None)
        base = self._base
        hidden = {h.decode() for h in hidden}
        released = {r.decode() for r in released}
        pairs, indexes = [], {}
        if base is not None and ALL not in hidden:
            for key, record in base._records.items():
                if key not in hidden:
                    pairs.append([key, record])
                    if base._indexed.get(key):
                        indexes[key] = dict(base._indexed[key])
        for raw in order:
            key = raw.decode()
            pairs.append([key, _loads(records[raw])])
            if raw in indexed:
                indexes[key] = dict(_loads(f) for f in indexed[raw].decode().split("\n"))
        holders = {}
        if base is not None and ALL not in released:
            for unique, values in base._claims.items():
                for value, holder in values.items():
                    if claim_field(unique, value) not in released:
                        holders.setdefault(unique, {})[value] = holder
        for field, holder in claims.items():
            unique, value = _loads(field)
            holders.setdefault(unique, {})[value] = holder.decode()
        # sorted, as the in-memory dump: the same state exports the same bytes whatever the order
        # Redis's hash (or a process's string hashing) gives
        claims = {unique: {value: holders[unique][value] for value in sorted(holders[unique], key=str)}
                  for unique in sorted(holders)}
        return {"records": pairs, "indexes": indexes, "claims": claims}

    def load(self, data):
        """Replace everything, base included, in one MULTI/EXEC."""
        pipe = self._r.pipeline()
        self.queue_load(pipe, data, clear=True)
        guarded(pipe.execute)()

    def queue_load(self, pipe, data, clear=False):
        """Queue on `pipe` (a MULTI) what `load(data)` writes; `clear` drops this collection first."""
        if clear:
            pipe.eval(_CLEAR_PREFIX, 1, self._registry, self._prefix)
        pipe.sadd(self._hidden, ALL)
        pipe.eval(BUMP, 2, self._versions, VERSION_COUNTER, self._name)
        pipe.sadd(self._released, ALL)
        indexes = data.get("indexes", {})
        records = data["records"]
        for start in range(0, len(records), 1000):
            chunk = records[start:start + 1000]
            pipe.hset(self._rec, mapping={key: _dumps(record) for key, record in chunk})
            pipe.zadd(self._order, {key: start + i + 1 for i, (key, _) in enumerate(chunk)})
            buckets = {}
            for i, (key, _) in enumerate(chunk):
                index = indexes.get(key)
                if index:
                    fields = [bucket(n, v) for n, v in index.items()]
                    pipe.hset(self._indexed, key, "\n".join(fields))
                    for field in fields:
                        buckets.setdefault(self._bucket_prefix + field, {})[key] = start + i + 1
            for name, members in buckets.items():
                pipe.zadd(name, members)
                pipe.sadd(self._registry, name)
        pipe.set(self._seq, len(records))
        claims = {claim_field(u, v): o for u, holders in data.get("claims", {}).items() for v, o in holders.items()}
        if claims:
            pipe.hset(self._claims, mapping=claims)
        pipe.sadd(self._registry, *self._keys7[:6], self._claims, self._released, self._versions)

    # -- the in-process base

    def _built_base(self):
        """This worker's own flat copy of the base, for the writes of a backend's constructor."""
        if not getattr(self, "_base_copied", False):
            copy = Collection()
            if self._base is not None:
                copy.load(self._base.dump())
            self._base, self._base_copied = copy, True
        return self._base

    def _base_bucket(self, index, value):
        base = self._base
        if base is None:
            return ()
        # the template's own ordered dict, never copied: it is never written once built
        return base._records if index is None else base._indexes.get(index, {}).get(value, {})

    def _base_index(self, key):
        base = self._base
        if base is None or key not in base._records:
            return "0", ""
        return "1", "\n".join(bucket(n, v) for n, v in base._indexed.get(key, {}).items())

    def _base_owner(self, unique, value):
        return None if self._base is None else self._base._claims.get(unique, {}).get(value)


_CLEAR_PREFIX = """
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if string.sub(key, 1, #ARGV[1]) == ARGV[1] then redis.call('UNLINK', key); redis.call('SREM', KEYS[1], key) end
end
return 1
"""


_NOTHING = object()


def _decode(raw):
    return None if raw is None else _loads(raw)


def _text(raw):
    return None if raw is None else raw.decode()
