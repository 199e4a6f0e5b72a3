"""Searches on the Redis store without a scan: the template's indexes, less what a namespace hid,
merged with the namespace's own records (few), read in one round trip.

The template (the seeded users) is an in-process `Collection` in every worker, so its TextIndex
and SortedIndex answer for it as they do in memory; only a namespace's writes live in Redis.
"""

import heapq
import json
from itertools import filterfalse, islice

from ..collection import Scanning
from . import collection as layered  # bucket(); a partly imported module here, as collection imports this one
from . import unit
from .connection import guarded
from .scripts import ALL
from .wire import wire_for

# KEYS zset (the bucket's, or the order of all) rec versions hidden; ARGV collection-name, cached version
# -> {own keys in order, their records, the hidden set's version, its members unless that version is cached}
OWN = """
local keys = redis.call('ZRANGE', KEYS[1], 0, -1)
local records = {}
for i = 1, #keys, 1000 do
  local chunk = redis.call('HMGET', KEYS[2], unpack(keys, i, math.min(i + 999, #keys)))
  for _, r in ipairs(chunk) do records[#records + 1] = r end
end
local version = redis.call('HGET', KEYS[3], ARGV[1]) or '0'
local hidden = false
if version ~= ARGV[2] then hidden = redis.call('SMEMBERS', KEYS[4]) end
return {keys, records, version, hidden}
"""


class _Listed:
    """Records already in `list` order, for `Scanning`'s definitions to filter and sort."""

    def __init__(self, records):
        self._records = records

    def list(self, index=None, value=None):
        return self._records


class IndexedSearch(Scanning):
    """`search` and `ordered` for RedisCollection, with Collection's answers in Collection's order."""

    @guarded
    def search(self, index, value, where=None, *, fields=(), contains=()):
        needles = [needle for needle in contains if needle]
        if not needles:  # nothing for a text index to answer: the scan, as Collection does
            return Scanning.search(self, index, value, where)
        own, hidden = self._own_and_hidden(index, value)
        found = Scanning.search(_Listed(own), None, None, where, fields=fields, contains=needles)
        base = self._base
        if base is None or ALL in hidden:
            return found
        inherited = base._own_matches(tuple(fields), needles, index, value)
        if hidden:
            inherited = filterfalse(hidden.__contains__, inherited)
        records = map(base._records.__getitem__, inherited)
        return [*(records if where is None else filter(where, records)), *found]

    @guarded
    def ordered(self, index, value, sort_key, where, *, after=None, reverse=False, limit=None):
        own, hidden = self._own_and_hidden(index, value)
        mine = Scanning.ordered(_Listed(own), None, None, sort_key, where, after=after, reverse=reverse,
                                limit=limit)
        base = self._base
        if base is None or ALL in hidden:
            return mine
        records = base._records
        walk = base._own_ordering(index, value, sort_key).walk(after, reverse)
        if hidden:
            walk = (pair for pair in walk if pair[1] not in hidden)
        inherited = filter(where, (records[key] for _, key in walk))
        merged = heapq.merge(inherited, mine, key=sort_key, reverse=reverse)
        return list(islice(merged, limit))

    def _own_and_hidden(self, index, value):
        """This namespace's own records under index=value (in `list` order) and the base keys it
        hid, read together: the hidden set from this worker's cache when its version is current."""
        unit.settle()  # a request that wrote reads its own writes (unit.py)
        script = self.__dict__.get("_own_script")
        if script is None:  # registering only hashes the text: EVALSHA, loaded again after a restart
            script = self._own_script = wire_for(self._r).register_script(OWN)
        zset = self._order if index is None else self._bucket_prefix + layered.bucket(index, value)
        cached_version, cached = self._hidden_cache
        _, records, version, members = script(keys=[zset, self._rec, self._versions, self._hidden],
                                              args=[self._name, cached_version or ""])
        if members is None:
            hidden = cached
        else:
            hidden = frozenset(m.decode() for m in members)
            self._hidden_cache = (version, hidden)
        return [json.loads(r) for r in records], hidden

