"""Credential bindings (bindings.py) on Redis, shared by every worker:

    vs:bindings        hash "VENDOR<TAB>KEY" -> the namespace the credential is bound to
    vs:bindings:v      its version: one more on every change
    vs:{NS}:bound      set of the fields NS holds, so that its reset or drop releases exactly those

Each change is one script (exactly one namespace wins a racing registration, across workers),
which answers with the whole map and its version; each worker keeps that copy and resolves
requests from it with no round trip. Every vendor request reads the version in its first round
trip (logs.py): a worker whose copy is older reloads it then, and the request is resolved again.
"""

from ..bindings import Bindings, CredentialTaken
from .connection import guarded
from .wire import wire_for

KEY, VERSION = "vs:bindings", "vs:bindings:v"

# KEYS bindings version; ARGV mode namespace arg... -> {taken field or false, version, bindings}
_CHANGE = """
local B, V = KEYS[1], KEYS[2]
local mode, ns = ARGV[1], ARGV[2]
local held = 'vs:{' .. ns .. '}:bound'
local changed = false
local function unbind(owner, f)
  if redis.call('HGET', B, f) == owner then redis.call('HDEL', B, f); changed = true end
  redis.call('SREM', 'vs:{' .. owner .. '}:bound', f)
end
local function release(prefix)
  for _, f in ipairs(redis.call('SMEMBERS', held)) do
    if prefix == '' or string.sub(f, 1, #prefix) == prefix then unbind(ns, f) end
  end
end
local taken = false
if mode == 'reserve' then
  for i = 3, #ARGV do
    if redis.call('HEXISTS', B, ARGV[i]) == 1 then taken = ARGV[i]; break end
  end
  if not taken then
    for i = 3, #ARGV do redis.call('HSET', B, ARGV[i], ns); redis.call('SADD', held, ARGV[i]); changed = true end
  end
elseif mode == 'release' then
  release(ARGV[3])
elseif mode == 'release_keys' then
  for i = 3, #ARGV do unbind(ns, ARGV[i]) end
elseif mode == 'rebind' then
  release('')
  for i = 3, #ARGV do
    local previous = redis.call('HGET', B, ARGV[i])
    if previous and previous ~= ns then redis.call('SREM', 'vs:{' .. previous .. '}:bound', ARGV[i]) end
    redis.call('HSET', B, ARGV[i], ns); redis.call('SADD', held, ARGV[i]); changed = true
  end
end
local version = changed and redis.call('INCR', V) or tonumber(redis.call('GET', V) or '0')
return {taken, version, redis.call('HGETALL', B)}
"""

# the part of a namespace's drop (redisstore/__init__.py) that releases its bindings
DROP_LUA = """
local function release_bindings(ns)
  local held = 'vs:{' .. ns .. '}:bound'
  local changed = false
  for _, f in ipairs(redis.call('SMEMBERS', held)) do
    if redis.call('HGET', '%s', f) == ns then redis.call('HDEL', '%s', f); changed = true end
  end
  redis.call('UNLINK', held)
  if changed then redis.call('INCR', '%s') end
end
""" % (KEY, KEY, VERSION)


def _field(vendor, key):
    return f"{vendor}\t{key}"


class RedisBindings(Bindings):
    """The same interface as bindings.Bindings; `owner` and truth read this worker's copy."""

    def __init__(self, client):
        super().__init__()
        self._r = client
        self._change = wire_for(client).register_script(_CHANGE)
        self.version = None  # of the copy; None: never loaded

    def observe(self, version):
        """The version a request's first round trip read: True when the copy was older and a
        reload changed who owns what (the request's own namespace may be another)."""
        version = int(version or 0)
        if version == self.version:
            return False
        before = self._owners
        self.reload()
        return self._owners != before

    @guarded
    def reload(self):
        pipe = self._r.pipeline()  # MULTI/EXEC: the map and its version read together
        pipe.get(VERSION)
        pipe.hgetall(KEY)
        version, pairs = pipe.execute()
        self._keep(int(version or 0), [item for field, owner in pairs.items() for item in (field, owner)])

    def reserve(self, vendor, keys, namespace):
        taken = self._run("reserve", namespace, [_field(vendor, key) for key in keys])
        if taken:
            key = taken.decode().partition("\t")[2]
            raise CredentialTaken(f"{vendor} credential {key!r} is already bound to a namespace")

    def release(self, namespace, vendor=None):
        self._run("release", namespace, [f"{vendor}\t" if vendor else ""])

    def release_keys(self, vendor, keys, namespace):
        if keys:
            self._run("release_keys", namespace, [_field(vendor, key) for key in keys])

    def rebind(self, namespace, pairs):
        self._run("rebind", namespace, [_field(vendor, key) for vendor, key in pairs])

    def queue_release(self, pipe, namespace, vendor=None):
        """`release` as part of a MULTI/EXEC (a reset); `keep` its answer afterwards."""
        self._change(keys=[KEY, VERSION], args=["release", namespace, f"{vendor}\t" if vendor else ""],
                     client=pipe)

    def keep(self, answer):
        """Keep the copy a change script answered with; its `taken` back."""
        taken, version, pairs = answer
        self._keep(version, pairs)
        return taken

    @guarded
    def _run(self, mode, namespace, args):
        return self.keep(self._change(keys=[KEY, VERSION], args=[mode, namespace, *args]))

    def _keep(self, version, pairs):
        owners = {}
        for field, owner in zip(pairs[::2], pairs[1::2], strict=True):
            vendor, _, key = field.decode().partition("\t")
            owners[(vendor, key)] = owner.decode()
        self._owners, self.version = owners, version  # replaced whole: readers need no lock
