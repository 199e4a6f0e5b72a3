"""ids.Source on Redis: every draw takes the next number of a counter in Redis, and its value is
seeded from (seed, namespace, vendor, number). Two workers never draw the same number, so never
the same id; a sequential run draws the same numbers in the same order, so the same ids."""

import random
import uuid

from ..ids import LOWER_ALNUM, Source
from .connection import guarded
from .wire import wire_for

# the draw counter, registered so that a reset of the vendor starts its draws again
_DRAW = """
redis.call('SADD', KEYS[2], KEYS[1])
return redis.call('INCR', KEYS[1])
"""


class RedisSource:
    def __init__(self, seed, namespace, vendor, clock, client, counter, registry):
        self._stem = f"{seed}/{namespace}/{vendor}/"
        # what a backend's constructor draws: the in-memory sequence, alike in every worker
        self.building = Source(seed, namespace, vendor, clock)
        self.built = False
        self.clock = clock
        self._keys = [counter, registry]
        self._draw_script = wire_for(client).register_script(_DRAW)

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
        return random.Random(self._stem + str(self._draw_script(keys=self._keys)))
