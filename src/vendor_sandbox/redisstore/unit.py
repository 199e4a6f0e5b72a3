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

from .connection import StoreUnavailable

CLAIM_LEASE_MS = 60_000  # far beyond any request (each Redis command times out in 2 s)
# why a request is answered again (take_replay): a guessed state was wrong / a claim or new id was
ASSUMED, GUESSED = "assumed", "guessed"
_local = threading.local()


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


def begin(commit, hot=None, route=None, assume=False, guess=False):
    """`commit`: the COMMIT script, registered once (a Wire's WireScript); `hot`: the store's
    Hot, `route` the request's (method, URL rule); `assume`: the request may be answered again
    (replay.py), so it may assume what COMMIT checks; `guess`: it may also guess its state."""
    _local.unit = Unit(commit, hot, route, assume, guess)
    _local.unchecked = False


def take_replay():
    """Once after a request that is answered again (replay.py): GUESSED when its guessed state
    was wrong (or never checked), ASSUMED when a claim or a new id was taken; else False."""
    again = getattr(_local, "replay", False)
    _local.replay = False
    return again


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
    the request's own writes still come first. Keys drawn anew each time (a new id) never are."""

    LIMIT = 8  # records per route

    def __init__(self):
        self._last = {}
        self.keys = {}

    def learn(self, route, read):
        again = read & self._last.get(route, frozenset())
        self._last[route] = read
        self.keys[route] = sorted(again)[:self.LIMIT]


class Unit:
    def __init__(self, commit, hot=None, route=None, assume=False, guess=False):
        self._commit = commit
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

    def flush(self, last=None):
        """Send what is queued (with `last`, a (name, keys, args) op, after it) in one COMMIT;
        the reply of `last`."""
        ops = self.ops
        if last is not None:
            name, keys, args = last
            ops = ops + [name, len(keys), len(args), *keys, *args]
        if not ops:
            return None
        self.ops, self.pending, self.releases, self._same = [], {}, False, set()
        won, reply = self._commit(args=ops)
        if not won:
            if reply in (b"assumed", b"guessed"):  # nothing written: answered again (replay.py)
                _local.replay = reply.decode()
                _local.unchecked = False
                raise Assumed()
            raise LostClaim()
        _local.unchecked = False  # a guessed state goes with the first COMMIT: it held
        return reply

    def assume_absent(self, records, key):
        """COMMIT checks `key` (made of a value this request drew) is not taken, or writes nothing."""
        self.ops[:0] = ["absent", 1, 1, records, key]

    def is_fresh(self, key):
        return self.assume and any(value in key for value in self.fresh)
