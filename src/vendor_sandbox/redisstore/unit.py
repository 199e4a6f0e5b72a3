"""A vendor request's writes, held until it ends and then sent in one atomic step with its
journal entry.

Without this a create was several scripts in a row (a record, a metadata record, the journal), so
a worker killed between two of them left half a request behind, and every one was a round trip.
Now, while a vendor request runs on the shared store, RedisCollection.put, .delete and .release
queue their scripts here (reads of the same keys see them), and the journal's RECORD runs them all
with it in one COMMIT script: other workers see all of the request's writes or none, and the
client's response leaves only after they are in Redis (the acknowledged write).

A request that can be answered again (replay.py) assumes, without a trip, that a claim it makes
is free (unless the seeded base holds the value) and that a key made of an id it just drew is not
taken: COMMIT checks both before it writes anything and, when one is false, writes nothing, and
the request runs again without assuming. There (and where nothing can run a request again) a claim
cannot wait, since the answer depends on winning it: CLAIM writes it at once as a lease, tentative
until CLAIM_LEASE_MS from now; COMMIT confirms it (and refuses the whole step if the lease was lost
meanwhile); a claim whose request never committed (its worker died) is free again once the lease
has run out.

Such a request also guesses its namespace's state rather than reading it with a first trip
(logs.py, RedisFaultRules.fire): what its worker read last (no fault rules, the same clock,
settings, bindings and hidden-set versions, the namespace registered). COMMIT compares each with
Redis before anything else; when one differs, nothing is written and the request runs again, its
state read first (and its fault rules fired) as any request's is. A request that guessed and
ended without a COMMIT (none is known) is answered again the same way, so no answer ever leaves
on an unchecked guess.

The outbox's messages (Zus's e-mails) go in the same step. Reads of a collection other than `get`
(pages, counts, owners, snapshots) and of the outbox first send what is queued, so a request always
reads its own writes; the vendors' requests do not read that way after writing, so in practice a
request is one step.
"""

import threading
import time

from .connection import StoreUnavailable

CLAIM_LEASE_MS = 60_000  # far beyond any request (each Redis command times out in 2 s)
# why a request is answered again (take_replay): a claim or new id it assumed was taken / the state
# it guessed was wrong / another request changed a record it guessed or took its guessed number
ASSUMED, GUESSED, RACED = "assumed", "guessed", "raced"
_local = threading.local()
MISSING = object()  # Unit.guessed_read: this worker knows no value of the record


class Assumed(StoreUnavailable):
    """What the request assumed (a claim free, a drawn id not taken) was false at COMMIT: nothing
    was written, and it is answered again (a 503 only where nothing can answer it again)."""


class LostClaim(StoreUnavailable):
    """A request's lease on a claim ran out and another request took it before COMMIT, or the
    namespace was reset meanwhile (the epoch of its id draws changed): nothing of the request is
    written, and its vendor answers 503 (retry)."""

    description = "The sandbox's state changed while the request ran; nothing was written, retry it."


def current():
    """The unit of the vendor request this thread is serving, or None."""
    return getattr(_local, "unit", None)


def begin(commit, hot=None, route=None, assume=False, guess=False, ordered=None):
    """`commit`: the COMMIT script, registered once (a Wire's WireScript); `hot`: the store's
    Hot, `route` the request's (method, URL rule); `assume`: the request may be answered again
    (replay.py), so it may assume what COMMIT checks; `guess`: it may also guess its state;
    `ordered`: the COMMIT script sent through wire.Ordered, for a COMMIT that builds on (or
    writes) what others of this worker guess from."""
    _local.unit = Unit(commit, hot, route, assume, guess, ordered)
    _local.unchecked = False


def take_replay():
    """Once after a request that is answered again (replay.py): GUESSED when its guessed state
    was wrong (or never checked), RACED when another request changed what it guessed (its
    worker knows better now), ASSUMED when a claim or a new id was taken; else False."""
    again = getattr(_local, "replay", False)
    _local.replay = False
    return again


def clear_replay():
    _local.replay = False


def replay_pending():
    return getattr(_local, "replay", False)


def settle():
    """Send what this request queued, before a read that Redis answers from several keys."""
    queued = current()
    if queued is not None and queued.ops:
        queued.flush()


def end():
    """Forget what the request queued (it ended without a journal entry: nothing is written)."""
    queued = current()
    if queued is not None:
        _local.unit = None
        if queued.hot is not None:
            queued.hot.learn(queued.route, queued.read)


def finish():
    """The request is over (teardown): one that guessed its state and had no COMMIT check it is
    answered again, its state read."""
    end()
    if getattr(_local, "unchecked", False):
        _local.unchecked = False
        if not getattr(_local, "replay", False):
            _local.replay = GUESSED


class Hot:
    """Per route (method, URL rule), the records its requests read one after another (a create's
    "latest created at" record): the next request's first round trip fetches them (logs.py), so
    reading them costs no trip of its own. A record is hot while consecutive requests of its route
    read it; fetched at the request's start, it is what a read at that instant would answer, and
    the request's own writes still come first. Keys drawn anew each time (a new id) never are.

    `values` holds what this worker knows of each hot record, as an entry (its JSON or None,
    the generation it belongs to): fetched by a first trip, or written by one of its requests when
    that request's COMMIT is sent (in the order sent: wire.Ordered), so that the next request builds
    on it, as Redis will have run that COMMIT before the next one. A request that guesses reads the
    entry when it reads the record; COMMIT checks the value is Redis's ('held'); the entry it
    writes replaces the one it read only if that one is still there. When a COMMIT refuses a
    guess (raced: another worker changed the record, or a request built on a COMMIT refused
    before), every one sent after it built on it is refused too: so what Redis holds (COMMIT's
    answer) is learned as a new generation, once, by the first refused request that had read the
    current one; the requests that started before it, on the old generation, write nothing into
    `values`, and the next ones build on what Redis holds. A route that raced does not guess for
    COLD_SECONDS (its request's next run reads): within one worker races are rare (its COMMITs go
    in order), so a race is most likely another worker writing the same records, and workers
    writing them by turns (each one's copy always behind) would run each request twice."""

    LIMIT = 8  # records per route
    VALUES = 4096  # records whose values a worker keeps (all are dropped past it)
    COLD_SECONDS = 0.1

    def __init__(self):
        self._last = {}
        self.keys = {}
        self.values = {}  # (records hash, key) -> (its JSON or None, the record's generation)
        self._cold = {}  # route -> until when (time.monotonic()) it reads instead of guessing

    def learn(self, route, read):
        again = read & self._last.get(route, frozenset())
        self._last[route] = read
        self.keys[route] = sorted(again)[:self.LIMIT]

    def fetched(self, values):
        """What a first trip read of hot records: kept where nothing newer is."""
        if len(self.values) > self.VALUES:
            self.values.clear()
        for field, value in values.items():
            self.values.setdefault(field, (value, 0))

    def knows(self, fields):
        values = self.values
        return all(field in values for field in fields)

    def learned(self, field, read, value):
        """A COMMIT refused a request that had read entry `read` of `field`; Redis holds `value`.
        Unless a refusal of that record was learned since that entry's generation, every entry of
        it sent after this one descends from a value Redis does not hold: a new generation of the
        record starts from Redis's."""
        current = self.values.get(field)
        if current is None or current[1] == read[1]:
            self.values[field] = (value, read[1] + 1)

    def forget(self, prefix):
        """Drop what is known of the records under `prefix` (a namespace reset or replaced)."""
        for field in [f for f in self.values if f[0].startswith(prefix)]:
            self.values.pop(field, None)

    def cold(self, route):
        until = self._cold.get(route)
        return until is not None and time.monotonic() < until

    def cool(self, route):
        """The route raced: it reads instead of guessing for COLD_SECONDS."""
        self._cold[route] = time.monotonic() + self.COLD_SECONDS


class Unit:
    def __init__(self, commit, hot=None, route=None, assume=False, guess=False, ordered=None):
        self._commit, self._ordered = commit, ordered or commit
        self.assume = assume
        self.guess = assume and guess
        self.fresh = set()  # values this request drew (ids.py): keys made of them are new
        self.claimed = {}  # (claims hash, field) -> owner, claims assumed won
        self.hot, self.route = hot, route
        self.prefetch = hot.keys.get(route, ()) if hot is not None else ()
        self.prefetched = {}  # (records hash, key) -> its JSON or None, as the first trip read it
        self.read = set()  # the (records hash, key) this request read from Redis
        self.ops = []  # flat: name, number of keys, number of args, keys..., args...
        self.pending = {}  # (records hash, key) -> the record's JSON, or None once deleted
        self.releases = False
        self.epochs = {}  # draws hash -> the epoch this request observed (ids.py)
        self.numbers = {}  # draws hash -> the numbers its first trip reserved for it
        self.guessing = {}  # draws hash -> the next guessed number, when the request guesses them
        self.numbered = False  # it took a guessed number (its COMMIT goes in order: wire.Ordered)
        self.give_back = []  # what gives its guessed numbers back when a guess is refused
        self.counters = {}  # draws hash -> what to tell when COMMIT answers its number (epoch, n)
        self.guessed_reads = set()  # the hot records it may guess (Hot.values)
        self._entries = {}  # field -> the Hot.values entry it read of a record it guessed
        self._sent = {}  # field -> the entry its COMMIT put in Hot.values
        self._same = set()

    def queue(self, name, keys, args):
        self.ops += [name, len(keys), len(args), *keys, *args]

    def confirm(self, claims, tentative, field, owner):
        """COMMIT confirms this claim's lease, before any write, or writes nothing."""
        self.ops[:0] = ["confirm", 2, 2, claims, tentative, field, owner]

    def same(self, key, field, value):
        """COMMIT checks that `field` of hash `key` is still `value`, or writes nothing."""
        if (key, field, value) not in self._same:
            self._same.add((key, field, value))
            self.ops[:0] = ["same", 1, 2, key, field, value]

    def guessed(self, name, keys, args):
        """The request runs on a state it guessed: COMMIT checks it (op `name`) before anything else."""
        self.ops[:0] = [name, len(keys), len(args), *keys, *args]
        _local.unchecked = True

    def guessed_op(self, op):
        """`guessed` with the op already built (name, number of keys, of args, keys..., args...)."""
        self.ops[:0] = op
        _local.unchecked = True

    def guessed_read(self, field):
        """A hot record the request guesses (field: (records hash, key)), as this worker knows it
        at the moment of the read (the later, the likelier to be what COMMIT finds): its JSON or
        None, which COMMIT checks ('held'), or MISSING when the worker knows it no more (the
        record is then read from Redis, unguessed)."""
        entry = self._entries.get(field)
        if entry is None:
            entry = self.hot.values.get(field) if self.hot is not None else None
            if entry is None:
                self.guessed_reads.discard(field)
                return MISSING
            self._entries[field] = entry
            value = entry[0]
            records, key = field
            self.guessed("held", [records], [key, "0" if value is None else "1", value or ""])
        return entry[0]

    def flush(self, last=None):
        """Send what is queued (with `last`, a (name, keys, args) op, after it) in one COMMIT;
        the reply of `last`."""
        ops = self.ops
        if last is not None:
            name, keys, args = last
            ops = ops + [name, len(keys), len(args), *keys, *args]
        if not ops:
            return None
        written = self.pending
        self.ops, self.pending, self.releases, self._same, self._sent = [], {}, False, set(), {}
        hot = self.hot

        def sending():
            # what the next requests of this worker build on (Hot.values), in the order sent: a
            # record this request guessed is replaced only if the entry it read is still there
            values, read, sent = hot.values, self._entries, self._sent
            for field, value in written.items():
                current = values.get(field)
                if current is not None and (field not in read or current is read[field]):
                    values[field] = sent[field] = (value, current[1])

        shared = hot is not None and any(field in hot.values for field in written)
        commit = self._ordered if shared or self._entries or self.numbered else self._commit
        try:
            won, reply, *fresh = commit(args=ops, before=sending if shared else None)
        except BaseException:
            self._drop()  # written or not: unknown
            _local.unchecked = False  # the answer is the store's error, not one built on the guess
            raise
        if not won:
            if reply in (b"guessed", b"raced"):  # numbers given back first, then what is learned
                for give_back in reversed(self.give_back):
                    give_back()
            if reply == b"raced":
                self._learn(fresh[0])
                if hot is not None:  # likely another worker's writes: read a while, not guess
                    hot.cool(self.route)
            self._drop()
            if reply in (b"assumed", b"guessed", b"raced"):  # nothing written: answered again (replay.py)
                _local.replay = reply.decode()
                _local.unchecked = False
                raise Assumed()
            raise LostClaim()
        _local.unchecked = False  # a guessed state goes with the first COMMIT: it held
        if self.assume:
            # Written now: what a later COMMIT of this request refused could not be taken back
            # with it (Welkin's create reads a claim's owner after making one, which sends it).
            # So from here on it assumes and guesses nothing: claims are leases, new ids are
            # checked, numbers are reserved and hot records read, each at once.
            self.assume = self.guess = False
            self.guessing, self.guessed_reads = {}, set()
        return reply

    def _drop(self):
        """Entries this request's COMMIT would have written, which it did not: not known any more
        (unless another request has set them since)."""
        if self.hot is not None:
            values = self.hot.values
            for field, entry in self._sent.items():
                if values.get(field) is entry:
                    values.pop(field, None)
        self._sent = {}

    def _learn(self, fresh):
        """What a COMMIT refused as raced answered: the records and the id counters as they are
        now (Hot.learned), so that the request's next run guesses right."""
        for i in range(0, len(fresh), 4):
            kind, key, field, value = fresh[i:i + 4]
            if kind == b"held":
                held = (key.decode(), field.decode())
                if held in self._entries and self.hot is not None:
                    self.hot.learned(held, self._entries[held], value)
            else:
                tell = self.counters.get(key.decode())
                if tell is not None:
                    tell(value, int(field))

    def assume_absent(self, records, key):
        """COMMIT checks `key` (made of a value this request drew) is not taken, or writes nothing."""
        self.ops[:0] = ["absent", 1, 1, records, key]

    def is_fresh(self, key):
        return self.assume and any(value in key for value in self.fresh)
