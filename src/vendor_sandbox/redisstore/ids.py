"""ids.Source on Redis: every draw takes the next number of a counter in Redis, and its value is
seeded from (seed, namespace, vendor, number). Two workers never draw the same number, so never
the same id; a sequential run draws the same numbers in the same order, so the same ids.

A vendor request takes its numbers from a block this worker reserved (BLOCK numbers in one step),
so that a draw costs no round trip of its own. A reset drops the counter, so a block is only
good while the counter's epoch is the one it was reserved in: each request's first round trip
reads the epoch (logs.py), a block of another epoch is dropped, and the request's COMMIT checks
the epoch again, so no number of a dropped counter is ever used beside its new numbers. Outside a
vendor request (the control plane) a draw reserves one number, as before."""

import random
import threading
import uuid

from ..ids import LOWER_ALNUM, Source
from . import unit
from .connection import guarded
from .wire import wire_for

BLOCK = 16

# KEYS draws registry epochs; ARGV how many -> {epoch, the last number reserved}. Registered, so
# that a reset of the vendor starts its draws again (in a new epoch)
_RESERVE = """
if redis.call('HSETNX', KEYS[1], 'epoch', '0') == 1 then
  redis.call('HSET', KEYS[1], 'epoch', redis.call('INCR', KEYS[3]))
end
redis.call('SADD', KEYS[2], KEYS[1])
local last = redis.call('HINCRBY', KEYS[1], 'n', ARGV[1])
return {redis.call('HGET', KEYS[1], 'epoch'), last}
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
        self._block = (None, 1, 0)  # epoch, next number, last number: none yet
        self._lock = threading.Lock()

    def now(self):
        return self.clock.now()

    wall_now = staticmethod(Source.wall_now)

    def uuid4(self):
        if not self.built:
            return self.building.uuid4()
        return str(uuid.UUID(int=self._draw().getrandbits(128), version=4))

    def string(self, length, alphabet=LOWER_ALNUM):
        if not self.built:
            return self.building.string(length, alphabet)
        return "".join(self._draw().choices(alphabet, k=length))

    def token(self, nbytes=32):
        if not self.built:
            return self.building.token(nbytes)
        return self._draw().randbytes(nbytes).hex()

    @guarded
    def _draw(self):
        return random.Random(self._stem + str(self._number()))

    def _number(self):
        queued = unit.current()
        if queued is None or self._counter not in queued.epochs:
            return self._reserve(keys=self._keys, args=[1])[1]
        with self._lock:  # the worker's threads share the block
            epoch, number, last = self._block
            if number > last or epoch != queued.epochs[self._counter]:
                epoch, last = self._reserve(keys=self._keys, args=[BLOCK])
                number = last - BLOCK + 1
                queued.epochs[self._counter] = epoch
            self._block = (epoch, number + 1, last)
        queued.same(self._counter, "epoch", epoch)
        return number
