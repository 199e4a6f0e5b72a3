"""ids.Source on Redis: every draw takes the next number of a counter in Redis, and its value is
seeded from (seed, namespace, vendor, number). Two workers never draw the same number, so never
the same id; a sequential run draws the same numbers in the same order, so the same ids.

A vendor request that may write (POST, PUT, PATCH, DELETE) is given the next number by its first
round trip (logs.py), so its first draw costs no trip of its own; a number it does not use is
skipped, alike in every run, so a sequential run still gives the same ids whichever worker serves
each request. A reset drops the counter and starts a new epoch of it; a request's COMMIT checks
that the epoch of every number it used is still the counter's, so an old number is never used
beside the new ones."""

import random
import uuid

from ..ids import LOWER_ALNUM, Source
from . import unit
from .connection import guarded
from .wire import wire_for

# draw(draws, registry, epochs, how many) -> {the counter's epoch (made when the counter is), the
# last number reserved}. Registered, so that a reset of the vendor starts its draws again
RESERVE_LUA = """
local function draw(draws, registry, epochs, how_many)
  if redis.call('HSETNX', draws, 'epoch', '0') == 1 then
    redis.call('HSET', draws, 'epoch', redis.call('INCR', epochs))
    redis.call('SADD', registry, draws)
  end
  local n = 0
  if how_many > 0 then n = redis.call('HINCRBY', draws, 'n', how_many) end
  return {redis.call('HGET', draws, 'epoch'), n}
end
"""
# KEYS draws registry epochs -> one number
_RESERVE = RESERVE_LUA + """
return draw(KEYS[1], KEYS[2], KEYS[3], 1)
"""
EPOCHS = "vs:epochs"  # never reset: an epoch names one life of one counter for good


class RedisSource:
    def __init__(self, seed, namespace, vendor, clock, client, counter, registry):
        self._stem = f"{seed}/{namespace}/{vendor}/"
        # what a backend's constructor draws: the in-memory sequence, alike in every worker
        self.building = Source(seed, namespace, vendor, clock)
        self.built = False
        self.clock = clock
        self._counter = counter
        self._keys = [counter, registry, EPOCHS]
        self._reserve = wire_for(client).register_script(_RESERVE)

    def now(self):
        return self.clock.now()

    wall_now = staticmethod(Source.wall_now)

    def uuid4(self):
        if not self.built:
            return self.building.uuid4()
        return _fresh(str(uuid.UUID(int=self._draw().getrandbits(128), version=4)))

    def string(self, length, alphabet=LOWER_ALNUM):
        if not self.built:
            return self.building.string(length, alphabet)
        return _fresh("".join(self._draw().choices(alphabet, k=length)))

    def token(self, nbytes=32):
        if not self.built:
            return self.building.token(nbytes)
        return _fresh(self._draw().randbytes(nbytes).hex())

    @guarded
    def _draw(self):
        return random.Random(self._stem + str(self._number()))

    def _number(self):
        queued = unit.current()
        if queued is None:
            return self._reserve(keys=self._keys)[1]
        given = queued.numbers.get(self._counter)
        if given:
            number, epoch = given.pop(), queued.epochs[self._counter]
        else:
            epoch, number = self._reserve(keys=self._keys)
        queued.same(self._counter, "epoch", epoch)
        return number


FRESH_LENGTH = 8  # shorter draws match too many keys by chance to be worth assuming anything


def _fresh(value):
    """A value this request drew: a key made of it is new, which COMMIT checks (unit.py)."""
    queued = unit.current()
    if queued is not None and queued.assume and len(value) >= FRESH_LENGTH:
        queued.fresh.add(value)
    return value
