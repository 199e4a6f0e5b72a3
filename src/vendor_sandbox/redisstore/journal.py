"""The journal of one namespace on Redis, bounded as in memory (journal.py): at most `size` entries
and `max_bytes` of them, and all journals together at most the store's `total_bytes`, the journal
holding the most giving up its oldest entries first. An entry's bytes are those Redis holds."""

import json

from ..journal import complete, select
from . import lifecycle, unit
from .connection import LOG, UNAVAILABLE, guarded
from .lifecycle import JOURNAL_BYTES, JOURNAL_LUA, JOURNALS
from .observed import forget
from .scripts import RECORD
from .wire import wire_for

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# KEYS: none beyond the namespace's (built in Lua); ARGV namespace
_CLEAR = JOURNAL_LUA + """
forget_journal(ARGV[1])
return 1
"""


class RedisJournal:
    """Newest-last entries, trimmed in the same step that appends one."""

    def __init__(self, client, prefix, namespace, namespaces_key, size, max_bytes=None, total_bytes=None):
        self._r = client
        self._keys = [prefix + "journal", prefix + "journal:ids", prefix + "journal:bytes", JOURNALS, JOURNAL_BYTES,
                      namespaces_key]
        self._key = self._keys[0]
        self._bounds = [size, max_bytes or 0, total_bytes or 0]
        self._name = namespace
        self._record = wire_for(client).register_script(RECORD)
        self._clear = wire_for(client).register_script(_CLEAR)

    def record(self, entry, raw=None, size=0):
        """The entry and its raw material (journal.complete makes the complete entry of them when
        it is read, in whichever worker reads it: the request path does not parse bodies); an
        unreachable Redis loses the entry, never the response the vendor already gave. `size` is
        the in-memory journal's estimate: here an entry counts the bytes Redis holds for it."""
        forget()  # the request is over: its observed versions are not trusted any longer
        if unit.replay_pending():  # it is answered again (replay.py): that run's entry is its entry
            unit.end()
            return
        args = [*self._bounds, _dumps([entry, raw]), self._name, lifecycle.wall_time()]
        queued = unit.current()
        if queued is not None and queued.ops:
            # the request's writes and its entry, in one step (unit.py): Redis unreachable here
            # is the vendor's 503, since the writes the response reports are not stored
            unit.end()
            guarded(queued.flush)(("record", self._keys, args))
            return
        unit.end()
        try:
            self._record(keys=self._keys, args=args)
        except UNAVAILABLE as error:
            LOG.warning("journal entry lost, redis unavailable: %s", error)

    @guarded
    def entries(self, vendor=None, method=None, path=None, status=None, since=None, until=None, limit=None):
        listed = []
        for raw in self._r.lrange(self._key, 0, -1):
            number, _, body = raw.partition(b"\t")
            entry, kept = json.loads(body)
            listed.append(({"id": int(number), **entry}, kept))
        # filtered on the entries' own fields first: only what is answered is parsed
        chosen = {id(e) for e in select([e for e, _ in listed], vendor, method, path, status, since, until, limit)}
        return [complete(e, kept) if kept is not None else e for e, kept in listed if id(e) in chosen]

    @guarded
    def clear(self):
        self._clear(args=[self._name])

    def queue_clear(self, pipe):
        self._clear(args=[self._name], client=pipe)

    @guarded
    def __len__(self):
        return self._r.llen(self._key)

    @property
    @guarded
    def bytes(self):
        return int(self._r.get(self._keys[2]) or 0)
