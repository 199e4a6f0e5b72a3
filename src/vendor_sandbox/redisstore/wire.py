"""The hot path to Redis: each thread sends on a connection of its own.

redis-py's client spends about 15 µs of CPU per command around the socket work (the pool's lock
and bookkeeping, its observability hooks, event dispatch, argument filtering, the retry wrapper);
a create makes several commands, so that was a fifth of its cost. Here a thread keeps one
redis-py `Connection` (the same class, its hiredis parser, its TLS and authentication) and sends
EVALSHA and the few plain reads straight on it. Pipelines and everything off the request path
keep using the client.

A connection belongs to one thread and one process (a forked worker makes its own), so nothing
here is shared or locked. The retry rule is the client's (connection.RETRY): a lost connection is
tried again twice after a short backoff (a restarting Redis is back within the request); a
timeout is not retried, since the command may have run.
"""

import collections
import os
import threading
import time
import weakref

import hiredis
import redis
from redis.commands.core import Script
from redis.exceptions import NoScriptError

from .connection import RETRY

_WIRES = weakref.WeakKeyDictionary()
_WIRES_LOCK = threading.Lock()


def wire_for(client):
    """The one Wire of `client` (a redis.Redis)."""
    with _WIRES_LOCK:
        wire = _WIRES.get(client)
        if wire is None:
            wire = _WIRES[client] = Wire(client)
        return wire


class Wire:
    def __init__(self, client):
        self.client = client
        pool = client.connection_pool
        self._make = lambda: pool.connection_class(**pool.connection_kwargs)
        self._local = threading.local()

    def _connection(self):
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is None or local.pid != os.getpid():
            # not the pool's: a thread that ends closes its connection with it (garbage collected)
            conn, local.pid = self._make(), os.getpid()
            local.conn = conn
        return conn

    def call(self, *args, before=None):
        """One command (str, bytes and int arguments), its raw reply (no response callbacks:
        bytes, ints, lists); `before()` is called right before it is sent."""
        if before is not None:
            before()
        conn = self._connection()
        backoff = RETRY._backoff
        attempt = 0
        while True:
            try:
                # packed by hiredis itself: redis-py's serializer first copies every argument
                # in Python, which for a COMMIT of forty arguments was most of its cost
                conn.send_packed_command([hiredis.pack_command(args)], check_health=False)
                return conn.read_response()
            except redis.ConnectionError:
                conn.disconnect()
                attempt += 1
                if attempt > RETRY._retries:
                    raise
                time.sleep(backoff.compute(attempt))
            except redis.TimeoutError:
                conn.disconnect()
                raise

    def register_script(self, source, ordered=False):
        """`ordered`: called through this process's one Ordered channel (see there)."""
        return WireScript(self._ordered() if ordered else self, source)

    def _ordered(self):
        if issubclass(self.client.connection_pool.connection_class, redis.SSLConnection):
            return self  # see Ordered
        with _WIRES_LOCK:
            channel = getattr(self, "_channel", None)
            if channel is None:
                channel = self._channel = Ordered(self.client, self._make)
            return channel


class _Slot:
    """One command sent through Ordered: its reply, or its error, once `done`; `wake` is released
    to wake its sender (its reply came, or it is asked to read)."""

    __slots__ = ("done", "reply", "error", "wake")

    def __init__(self):
        self.done, self.reply, self.error = False, None, None
        self.wake = threading.Lock()
        self.wake.acquire()

    def signal(self):
        try:
            self.wake.release()
        except RuntimeError:  # woken already, not asleep yet: it will look once more
            pass

    def sleep(self):
        self.wake.acquire()


class Ordered:
    """One connection that every thread of this process sends its COMMITs on, in the order they
    were queued, so that Redis runs them in that order. A request that guesses builds on what the
    requests before it sent (unit.Hot): a COMMIT sets what the next ones build on and takes its
    place in the queue in one step; sent on connections of their own (or in whichever order threads
    got a lock), a later COMMIT could run first, find its guess not yet true and run twice, and so
    would every one built on it (half of the concurrent creates did).

    No thread waits to send: whichever finds the sending lock free sends everything queued, in
    one write. Replies come back in the order sent; one waiting sender at a time reads them,
    hands each to its own sender (waking it once), takes what is already there without waiting,
    and when its own is in, asks the oldest still waiting to read on.

    Not over TLS: one SSL connection must not be read and written by two threads at once, so
    there each thread keeps its own connection (Wire), and guesses race more under load."""

    def __init__(self, client, make):
        self.client, self._make = client, make
        self._fresh()

    def _fresh(self):
        """No connection yet, nothing queued: at the start, and in a forked worker (the parent's
        connection and queues are its own)."""
        self.pid = os.getpid()
        self._conn = None
        self._queued = collections.deque()  # (packed, slot) not sent yet, oldest first
        self._waiting = collections.deque()  # the slots sent, oldest first (their replies' order)
        self._send_lock = threading.Lock()  # one sender at a time
        self._read_lock = threading.Lock()  # one reader at a time
        self._state = threading.Lock()  # guards _conn and _waiting (held briefly, no I/O)

    def call(self, *args, before=None):
        """As Wire.call (a lost connection is tried again, a timeout is not); `before()` is called
        as the command takes its place, so that whatever it does (unit.Unit.flush: what the next
        requests build on) is in the order of the sends."""
        backoff, attempt = RETRY._backoff, 0
        while True:
            try:
                return self._call(args, before)
            except redis.ConnectionError:
                attempt += 1
                if attempt > RETRY._retries:
                    raise
                time.sleep(backoff.compute(attempt))

    def _call(self, args, before):
        if self.pid != os.getpid():
            with _WIRES_LOCK:
                if self.pid != os.getpid():
                    self._fresh()
        packed = hiredis.pack_command(args)
        slot = _Slot()
        if before is not None:
            before()
        self._queued.append((packed, slot))  # its place: with `before`, under the GIL
        self._pump()
        while not slot.done:
            if self._read_lock.acquire(blocking=False):
                try:
                    self._read(slot)
                finally:
                    self._read_lock.release()
                self._pass_on()
            else:
                slot.sleep()  # its reply handed over, or asked to read
        if slot.error is not None:
            raise slot.error
        return slot.reply

    def _pump(self):
        """Send what is queued: this thread's command, unless a sender before it took it along
        (the wait for the lock is one write long)."""
        with self._send_lock:  # once held, this thread's command is sent, or queued to send now
            batch = []
            while self._queued:
                batch.append(self._queued.popleft())
            if not batch:
                return
            with self._state:
                if self._conn is None:
                    self._conn = self._make()
                conn = self._conn
                self._waiting.extend(slot for _, slot in batch)
            try:
                conn.send_packed_command([b"".join(packed for packed, _ in batch)], check_health=False)
            except (redis.ConnectionError, redis.TimeoutError) as error:
                self._lost(conn, error)

    def _read(self, slot):
        """(The read lock held.) Read replies, each to its sender, until `slot`'s is in; then the
        ones already there."""
        conn = self._conn
        while not slot.done or (self._waiting and conn is not None and conn.can_read(0)):
            if conn is None or not self._waiting:
                if not slot.done:  # nothing of ours on this connection: lost meanwhile
                    slot.error, slot.done = redis.ConnectionError("Connection lost"), True
                return
            try:
                reply, error = conn.read_response(), None
            except redis.ResponseError as refused:  # that command's error reply: the rest go on
                reply, error = None, refused
            except (redis.ConnectionError, redis.TimeoutError, OSError) as lost:
                self._lost(conn, lost if isinstance(lost, redis.RedisError) else redis.ConnectionError(str(lost)))
                return
            with self._state:
                if conn is not self._conn or not self._waiting:
                    return
                head = self._waiting.popleft()
            head.reply, head.error, head.done = reply, error, True
            if head is not slot:
                head.signal()

    def _pass_on(self):
        """The oldest sender still waiting reads next (none reads now that this one is done)."""
        with self._state:
            head = self._waiting[0] if self._waiting else None
        if head is not None:
            head.signal()

    def _lost(self, conn, error):
        """The connection is lost: every command sent on it fails with `error` (call tries a lost
        connection again); the next send makes a new one."""
        with self._state:
            if conn is not self._conn:
                return
            self._conn = None
            waiting, self._waiting = self._waiting, collections.deque()
        conn.disconnect()
        for slot in waiting:
            slot.error, slot.done = error, True
            slot.signal()


class WireScript:
    """A Lua script called like redis-py's Script (keys=, args=, client=): on this thread's
    connection, or queued on `client` when that is a pipeline."""

    def __init__(self, wire, source):
        self._wire = wire
        self._script = Script(wire.client, source)
        self.sha = self._script.sha

    def __call__(self, keys=(), args=(), client=None, before=None):
        if client is not None:
            return self._script(keys=keys, args=args, client=client)
        try:
            return self._wire.call("EVALSHA", self.sha, len(keys), *keys, *args, before=before)
        except NoScriptError:  # a Redis restarted (or flushed its scripts) since we loaded it
            self._wire.call("SCRIPT", "LOAD", self._script.script)
            return self._wire.call("EVALSHA", self.sha, len(keys), *keys, *args, before=before)
