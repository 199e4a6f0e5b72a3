"""Substring search without a scan: a trigram index over some text fields of a collection's records.

A record whose case-folded field contains a case-folded needle holds every three-character slice
(trigram) of the needle in that field, so the records listed under all of a needle's trigrams are
a superset of the records that contain it. `Collection.search` narrows its candidates with this
index and still asks the caller's own predicate about each of them: the index decides only what
is looked at, never what matches, and a needle too short to have a trigram (one or two characters
once case-folded) falls back to the scan.

Memory: each record costs its distinct trigrams as 4-byte entries in `array`s (a set would cost
~10x as much), plus one sequence number. Records are never removed from a posting: a replaced or
deleted record's entries go stale and are skipped, and the index is rebuilt once stale entries
outnumber live ones.
"""

from array import array

GRAM = 3
# a posting this many times longer than the candidates found so far costs more to intersect
# (one C-level membership test per entry) than checking the extra candidates would save
INTERSECT_RATIO = 8
REBUILD_SLACK = 1024


def trigrams(text):
    return {text[i:i + GRAM] for i in range(len(text) - GRAM + 1)}


def record_grams(record, fields):
    grams = set()
    for name in fields:
        value = record.get(name)
        if isinstance(value, str):  # the predicates case-fold strings; nothing else can match
            grams |= trigrams(value.casefold())
    return grams


def needle_grams(needles):
    """The trigrams every matching record holds; empty when no needle is long enough to have one."""
    grams = set()
    for needle in needles:
        if isinstance(needle, str):
            grams |= trigrams(needle.casefold())
    return grams


class TextIndex:
    """The trigrams of `fields` of one layer's records, with the order they were put in."""

    def __init__(self, fields, records=()):
        self.fields = fields
        self._postings = {}  # trigram -> array of sequence numbers
        self._seq = {}  # key -> sequence number of its current version
        self._keys = []  # sequence number -> key
        for key, record in records:
            self.add(key, record)

    def add(self, key, record):
        """File `record` (new, or replacing the one under `key`) as the latest put."""
        seq = len(self._keys)
        self._keys.append(key)
        self._seq[key] = seq
        postings = self._postings
        for gram in record_grams(record, self.fields):
            posting = postings.get(gram)
            if posting is None:
                posting = postings[gram] = array("I")
            posting.append(seq)

    def discard(self, key):
        self._seq.pop(key, None)

    def stale(self):
        return len(self._keys) > 2 * len(self._seq) + REBUILD_SLACK

    def candidates(self, grams):
        """Keys (current versions only, in put order) holding every one of `grams`."""
        postings = []
        for gram in grams:
            posting = self._postings.get(gram)
            if posting is None:
                return []
            postings.append(posting)
        postings.sort(key=len)
        found = set(postings[0])
        for posting in postings[1:]:
            if len(posting) > INTERSECT_RATIO * len(found):
                break
            found.intersection_update(posting)
        keys, current = self._keys, self._seq
        return [keys[seq] for seq in sorted(found) if current.get(keys[seq]) == seq]

    def size(self):
        """(postings entries, distinct trigrams, records): for the benchmark's memory account."""
        return sum(map(len, self._postings.values())), len(self._postings), len(self._seq)
