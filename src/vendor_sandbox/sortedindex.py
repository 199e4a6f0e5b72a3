"""A page in sort order without sorting: one index bucket's keys kept sorted by the caller's key.

Nabla lists users by (created_at, id) with a cursor; sorting every user of the organization for
each page cost O(n log n) per request. A SortedIndex holds one layer's records of one bucket as
two parallel lists (sort keys, record keys), kept sorted with bisect by `put` and `delete`;
`Collection.ordered` walks the base's and the layer's from the cursor, merged.

The sort key must be distinct per record (Nabla's includes the id): ties would come back in
another order than a stable sort gives them.
"""

from bisect import bisect_left, bisect_right


class SortedIndex:
    def __init__(self, sort_key, records=()):
        self.sort_key = sort_key
        pairs = sorted(((sort_key(record), key) for key, record in records), key=lambda pair: pair[0])
        self._sort = [pair[0] for pair in pairs]
        self._keys = [pair[1] for pair in pairs]

    def add(self, key, record):
        value = self.sort_key(record)
        at = bisect_right(self._sort, value)
        self._sort.insert(at, value)
        self._keys.insert(at, key)

    def remove(self, key, record):
        value = self.sort_key(record)
        at = bisect_left(self._sort, value)
        while at < len(self._keys) and self._keys[at] != key:
            at += 1
        if at < len(self._keys):
            del self._sort[at], self._keys[at]

    def walk(self, after=None, reverse=False):
        """(sort key, key) pairs beyond `after` (after it in the walk's direction), in that direction."""
        sort, keys = self._sort, self._keys
        if reverse:
            at = len(sort) if after is None else bisect_left(sort, after)
            return ((sort[i], keys[i]) for i in range(at - 1, -1, -1))
        at = 0 if after is None else bisect_right(sort, after)
        return ((sort[i], keys[i]) for i in range(at, len(sort)))

