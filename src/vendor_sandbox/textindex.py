"""Substring search without a scan: the distinct text values of some fields, and their trigrams.

A search asks for the records whose case-folded string value of one of `fields` contains each
case-folded needle. Records share most values (100k fake users draw their names from a thousand),
so the index holds each distinct folded value once, with the records holding it; a value that
contains a needle holds every three-character slice (trigram) of it, so the values listed under
all of the needle's trigrams are candidates, and `needle in value` decides each of them. A needle
too short to have a trigram (one or two characters once folded) is looked for in every distinct
value instead: still exact, never a scan of the records. What comes back is exact (no false
matches), so a caller needs to fetch only the records of the page it answers with.

Memory: a folded string per distinct value (none when folding changes nothing), 4-byte entries
(`array`s; a set costs ~10x) for its trigrams and the records holding it, a sequence number per
record. A replaced or
deleted record's sequence number goes dead and is subtracted from every answer; the index is
rebuilt once dead ones outnumber live ones.
"""

from array import array
from itertools import compress, repeat
from operator import contains

GRAM = 3
REBUILD_SLACK = 1024
EMPTY = array("I")
MANY = 0xFFFFFFFF  # in `_single`: the value is held by more than one record (see `_many`)


def trigrams(text):
    return {text[i:i + GRAM] for i in range(len(text) - GRAM + 1)}


class TextIndex:
    """The distinct folded values of `fields` in one layer's records, with the order they were put in."""

    def __init__(self, fields, records=()):
        self.fields = fields
        self._value_ids = {}  # folded value -> value id
        self._values = []  # value id -> folded value
        # value id -> the sequence number of the one record holding it, or MANY; then `_many`
        # has the array of them (most values are one record's: an array each would cost 68 bytes)
        self._single = array("I")
        self._many = {}
        self._grams = {}  # trigram -> array of value ids
        self._seq = {}  # key -> sequence number of its current version
        self._keys = []  # sequence number -> key
        self._dead = set()  # sequence numbers of replaced or deleted versions
        for key, record in records:
            self.add(key, record)

    def add(self, key, record):
        """File `record` (new, or replacing the one under `key`) as the latest put."""
        self.discard(key)
        seq = len(self._keys)
        self._keys.append(key)
        self._seq[key] = seq
        seen = set()
        for name in self.fields:
            value = record.get(name)
            if not isinstance(value, str):  # the vendors' predicates read anything else as ""
                continue
            folded = value.casefold()
            if folded == value:
                folded = value  # the record's own string (e-mails are lower case): no copy kept
            if folded in seen:
                continue
            seen.add(folded)
            vid = self._value_ids.get(folded)
            if vid is None:
                self._new_value(folded, seq)
            elif self._single[vid] != MANY:
                self._many[vid] = array("I", (self._single[vid], seq))
                self._single[vid] = MANY
            else:
                self._many[vid].append(seq)

    def _new_value(self, folded, seq):
        vid = self._value_ids[folded] = len(self._values)
        self._values.append(folded)
        self._single.append(seq)
        grams = self._grams
        for gram in trigrams(folded):
            posting = grams.get(gram)
            if posting is None:
                posting = grams[gram] = array("I")
            posting.append(vid)

    def discard(self, key):
        seq = self._seq.pop(key, None)
        if seq is not None:
            self._dead.add(seq)

    def stale(self):
        return len(self._dead) > len(self._seq) + REBUILD_SLACK

    def matching(self, needles):
        """Keys (in put order) of the live records holding every needle, folded, in one of their
        fields' folded values. `needles` are non-empty strings."""
        # every step below runs in C (map, compress, set operations), but for values many records
        # hold: the matches cost well under a microsecond each
        found = None
        single, many = self._single, self._many
        for needle in needles:
            vids = self._values_containing(needle.casefold())
            seqs = set(map(single.__getitem__, vids))
            if MANY in seqs:
                seqs.discard(MANY)
                for vid in filter(many.__contains__, vids):
                    seqs.update(many[vid])
            found = seqs if found is None else found & seqs
            if not found:
                return []
        found -= self._dead
        return list(map(self._keys.__getitem__, sorted(found)))

    def _values_containing(self, folded):
        """The ids of the distinct values that contain `folded`. The rarest of its trigrams gives
        the candidates, and each is asked: that costs less than intersecting the other trigrams'
        postings, which are longer (each of their entries costs what asking a candidate does)."""
        values = self._values
        grams = trigrams(folded)
        if not grams:  # too short for a trigram: every distinct value is asked
            return list(compress(range(len(values)), map(contains, values, repeat(folded))))
        rarest = min((self._grams.get(gram, EMPTY) for gram in grams), key=len)
        return list(compress(rarest, map(contains, map(values.__getitem__, rarest), repeat(folded))))

    def size(self):
        """(distinct values, trigram entries, records): for the benchmark's memory account."""
        return len(self._values), sum(map(len, self._grams.values())), len(self._seq)
