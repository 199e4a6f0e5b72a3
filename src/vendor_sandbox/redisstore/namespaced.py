"""A namespace's clock and settings on Redis, so that every worker serving it reads the same.

    vs:{NS}:clock      hash s, us: the instant the clock is frozen at (absent: it follows the process clock)
    vs:{NS}:settings   hash config key -> JSON value: the namespace's own settings

Every vendor request reads both in the round trip that already fetches the fault rules (see
logs.py), and each worker keeps what it read: the request then runs on it with no more trips.
Each move or change is one atomic step in Redis, and its answer is what this worker keeps.
"""

import json
from datetime import UTC, datetime, timedelta

from ..ids import Clock, parse_instant
from ..settings import Overlay
from .connection import guarded
from .wire import wire_for

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LOW = datetime.min.replace(tzinfo=UTC) - _EPOCH
_HIGH = datetime.max.replace(tzinfo=UTC) - _EPOCH
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# KEYS clock; ARGV mode (set | advance) seconds micros base-seconds base-micros low high
# -> {seconds, micros} of the instant now frozen, or false (and no change) past datetime's range.
# Whole seconds and microseconds apart: Lua's numbers are doubles, exact to 2^53 only.
_MOVE = """
local s, us = tonumber(ARGV[2]), tonumber(ARGV[3])
if ARGV[1] == 'advance' then
  local held = redis.call('HMGET', KEYS[1], 's', 'us')
  local from_s, from_us = tonumber(ARGV[4]), tonumber(ARGV[5])
  if held[1] then from_s, from_us = tonumber(held[1]), tonumber(held[2]) end
  s, us = from_s + s, from_us + us
  if us >= 1000000 then s, us = s + 1, us - 1000000 end
end
if s < tonumber(ARGV[6]) or s > tonumber(ARGV[7]) then return false end
redis.call('HSET', KEYS[1], 's', s, 'us', us)
return {s, us}
"""


def _split(instant):
    """(whole seconds, microseconds) since the epoch, exactly."""
    delta = instant - _EPOCH
    return delta.days * 86400 + delta.seconds, delta.microseconds


def _instant(seconds, micros):
    return _EPOCH + timedelta(seconds=int(seconds), microseconds=int(micros))


class RedisClock(Clock):
    """The namespace's Clock: `now()` reads this worker's copy of vs:{NS}:clock (one attribute,
    as in memory), which `observe` refreshes at the start of every vendor request."""

    def __init__(self, client, key, base):
        super().__init__(base=base)
        self._r, self.key = client, key
        self._seen = None
        self._move = wire_for(client).register_script(_MOVE)

    def observe(self, fields):
        """What the first round trip read: [b"s", seconds, b"us", micros] or []."""
        if fields == self._seen:
            return
        pairs = dict(zip(fields[::2], fields[1::2], strict=True))
        self._frozen = _instant(pairs[b"s"], pairs[b"us"]) if b"s" in pairs else None
        self._seen = fields

    @guarded
    def refresh(self):
        self.observe(self._flat(self._r.hgetall(self.key)))

    def set(self, instant):
        self._moved("set", *_split(parse_instant(instant)))

    def advance(self, delta):
        whole = delta // timedelta(seconds=1)  # floor: the microseconds left are in [0, 1e6)
        self._moved("advance", whole, (delta - timedelta(seconds=whole)).microseconds)

    @guarded
    def unfreeze(self):
        self._r.unlink(self.key)
        self.forget()

    def forget(self):
        """The namespace was reset or dropped: back to following the process clock."""
        self._frozen, self._seen = None, []

    @guarded
    def _moved(self, mode, seconds, micros):
        base = _split(self._base.now())
        moved = self._move(keys=[self.key], args=[mode, seconds, micros, *base,
                                                  _split(_EPOCH + _LOW)[0], _split(_EPOCH + _HIGH)[0]])
        if moved is None:
            raise OverflowError("the clock would leave the years 1-9999")
        self._frozen, self._seen = _instant(*moved), None

    @staticmethod
    def _flat(pairs):
        return [item for field in sorted(pairs) for item in (field, pairs[field])]


class RedisOverlay(Overlay):
    """The namespace's settings: maps[0] is this worker's copy of vs:{NS}:settings, replaced
    whole (never changed in place) when a request observes another."""

    def __init__(self, client, key, process_settings):
        super().__init__({}, process_settings)
        self._r, self.key = client, key
        self._seen = []

    def observe(self, fields):
        """What the first round trip read: [field, JSON value, ...]."""
        if fields == self._seen:
            return
        pairs = zip(fields[::2], fields[1::2], strict=True)  # HGETALL's flat reply: field, value, ...
        self.maps[0] = {field.decode(): json.loads(value) for field, value in pairs}
        self._seen = fields

    @guarded
    def refresh(self):
        self.observe(RedisClock._flat(self._r.hgetall(self.key)))

    @guarded
    def apply(self, changes):
        """One MULTI/EXEC: the changes (None deletes) and the result, read in the same step."""
        pipe = self._r.pipeline()
        removed = [key for key, value in changes.items() if value is None]
        kept = {key: _dumps(value) for key, value in changes.items() if value is not None}
        if removed:
            pipe.hdel(self.key, *removed)
        if kept:
            pipe.hset(self.key, mapping=kept)
        pipe.hgetall(self.key)
        self.observe(RedisClock._flat(pipe.execute()[-1]))

    def forget(self):
        self.maps[0], self._seen = {}, []
