"""ids.Source on Redis: every draw takes the next number of a counter in Redis, and its value is
drawn from (seed, namespace, vendor, number). Two workers never draw the same number, so never
the same id; a sequential run draws the same numbers in the same order, so the same ids.

A vendor request that may write (POST, PUT, PATCH, DELETE) is given the next number by its first
round trip (logs.py), so its first draw costs no trip of its own; a number it does not use is
skipped, alike in every run, so a sequential run still gives the same ids whichever worker serves
each request. A reset drops the counter and starts a new epoch of it; a request's COMMIT checks
that the epoch of every number it used is still the counter's, so an old number is never used
beside the new ones."""

import hashlib
import uuid

from ..ids import LOWER_ALNUM, Source
from . import unit
from .connection import guarded
from .wire import wire_for

# draw(draws, registry, epochs, how many, floor, floor's epoch) -> {the counter's epoch (made when
# the counter is), the last number reserved}; in the counter's epoch, never below `floor` (a number
# its worker may have given out already, logs.py). Registered, so that a reset of the vendor starts
# its draws again
RESERVE_LUA = """
-- the numbers from..to skipped: given to no one, each one's request may still take it (COMMIT's
-- 'number', scripts.py); at most GAPS of them, and none more than KEPT behind the last number
local function skipped(draws, registry, from, to)
  if to < from or to - from >= %(gaps)d then return end
  local gaps = draws .. ':gaps'
  for g = from, to do redis.call('ZADD', gaps, g, g) end
  redis.call('ZREMRANGEBYSCORE', gaps, '-inf', to - %(kept)d)
  redis.call('SADD', registry, gaps)
end
local function draw(draws, registry, epochs, how_many, floor, floor_epoch)
  if redis.call('HSETNX', draws, 'epoch', '0') == 1 then
    redis.call('HSET', draws, 'epoch', redis.call('INCR', epochs))
    redis.call('SADD', registry, draws)
  end
  local epoch = redis.call('HGET', draws, 'epoch')
  local n = 0
  if how_many > 0 then
    n = redis.call('HINCRBY', draws, 'n', how_many)
    if floor_epoch == epoch and tonumber(floor) > n then
      skipped(draws, registry, n, tonumber(floor) - 1)
      n = tonumber(floor)
      redis.call('HSET', draws, 'n', n)
    end
  end
  return {epoch, n}
end
""" % {"gaps": 64, "kept": 4096}
# KEYS draws registry epochs; ARGV floor floor-epoch -> one number
_RESERVE = RESERVE_LUA + """
return draw(KEYS[1], KEYS[2], KEYS[3], 1, ARGV[1], ARGV[2])
"""
EPOCHS = "vs:epochs"  # never reset: an epoch names one life of one counter for good


class RedisSource:
    def __init__(self, seed, namespace, vendor, clock, client, counter, registry, known=None):
        self._stem = f"{seed}/{namespace}/{vendor}/"
        # what a backend's constructor draws: the in-memory sequence, alike in every worker
        self.building = Source(seed, namespace, vendor, clock)
        self.built = False
        self.clock = clock
        self._counter = counter
        self._keys = [counter, registry, EPOCHS]
        self._reserve_script = wire_for(client).register_script(_RESERVE)
        # what this worker knows of the counter (logs.RedisFaultRules: floor, given), or None
        self._known, self._vendor = known, vendor

    def _reserve(self):
        """A number from the counter (one trip), never one this worker gave out already."""
        if self._known is None:
            return self._reserve_script(keys=self._keys, args=[0, ""])
        epoch, number = self._reserve_script(keys=self._keys, args=self._known.floor(self._vendor))
        self._known.given(self._vendor, epoch, number)
        return epoch, number

    def now(self):
        return self.clock.now()

    wall_now = staticmethod(Source.wall_now)

    def uuid4(self):
        if not self.built:
            return self.building.uuid4()
        return _fresh(str(uuid.UUID(int=int.from_bytes(self._draw(16)), version=4)))

    def string(self, length, alphabet=LOWER_ALNUM):
        if not self.built:
            return self.building.string(length, alphabet)
        drawn, size = self._draw(2 * length), len(alphabet)
        # two bytes a character: the bias of the remainder is below size / 65536
        return _fresh("".join([alphabet[(drawn[i] << 8 | drawn[i + 1]) % size] for i in range(0, 2 * length, 2)]))

    def token(self, nbytes=32):
        if not self.built:
            return self.building.token(nbytes)
        return _fresh(self._draw(nbytes).hex())

    @guarded
    def _draw(self, nbytes):
        """`nbytes` bytes drawn for the request's next number: SHAKE-256 of (seed, namespace, vendor,
        number), a fifth of the CPU of seeding a Random with it (on every create)."""
        return hashlib.shake_256(f"{self._stem}{self._number()}".encode()).digest(nbytes)

    def _number(self):
        queued = unit.current()
        if queued is None:
            return self._reserve()[1]
        given = queued.numbers.get(self._counter)
        guess = queued.guessing.get(self._counter)
        if given:
            number, epoch = given.pop(), queued.epochs[self._counter]
        elif guess is not None:  # the next number its worker knows of, checked by COMMIT (logs.py)
            return guess()
        else:
            epoch, number = self._reserve()
        if guess is None:  # a guessed number's COMMIT checks its epoch itself
            queued.same(self._counter, "epoch", epoch)
        return number


FRESH_LENGTH = 8  # shorter draws match too many keys by chance to be worth assuming anything


def _fresh(value):
    """A value this request drew: a key made of it is new, which COMMIT checks (unit.py)."""
    queued = unit.current()
    if queued is not None and queued.assume and len(value) >= FRESH_LENGTH:
        queued.fresh.add(value)
    return value
