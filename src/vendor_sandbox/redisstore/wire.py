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
import itertools
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
            if channel is None or channel.pid != os.getpid():
                channel = self._channel = Ordered(self.client, self._make)
            return channel


class _Slot:
    __slots__ = ("done", "reply", "error")

    def __init__(self):
        self.done, self.reply, self.error = False, None, None


class Ordered:
    """One connection that every thread of this process sends its COMMITs on, in the order they
    took their tickets, so that Redis runs them in that order. A request that guesses builds on
    what the requests before it sent (unit.Hot): a COMMIT takes its ticket and sets what the next
    ones build on in one step, then waits for its turn to send; sent on connections of their own
    (or in whichever order threads got a lock), a later COMMIT could run first, find its guess not
    yet true and run twice, and so would every one built on it. Replies come back in the order
    sent; whichever waiting thread holds the read lock reads them and hands each to its sender.

    Not over TLS: one SSL connection must not be read and written by two threads at once, so
    there each thread keeps its own connection (Wire), and guesses race more under load."""

    TURN_WAIT = 0.5  # seconds a COMMIT waits for the ones before it to be sent (one lost: it goes)

    def __init__(self, client, make):
        self.client, self._make, self.pid = client, make, os.getpid()
        self._conn = None
        self._tickets = itertools.count()
        self._next = 0  # the ticket whose turn it is to send
        self._turn = threading.Condition(threading.Lock())  # guards _conn, _waiting and _next
        self._read_lock = threading.Lock()  # one reader at a time
        self._waiting = collections.deque()  # the slots of the commands sent, oldest first

    def call(self, *args, before=None):
        """As Wire.call (a lost connection is tried again, a timeout is not); `before()` is called
        as the ticket is taken, so that whatever it does (unit.Unit.flush: what the next requests
        build on) is in the order of the sends."""
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
        ticket = next(self._tickets)
        if before is not None:
            before()
        packed = [hiredis.pack_command(args)]
        slot = _Slot()
        with self._turn:
            try:
                if self._next < ticket:
                    deadline = time.monotonic() + self.TURN_WAIT
                    while self._next < ticket and self._turn.wait(max(0.0, deadline - time.monotonic())):
                        pass
                conn = self._send(packed, slot)
            finally:
                self._next = max(self._next, ticket + 1)
                self._turn.notify_all()
        while not slot.done:
            with self._read_lock:
                if slot.done:
                    break
                try:
                    reply, error = conn.read_response(), None
                except redis.ResponseError as refused:  # that command's error reply: the rest go on
                    reply, error = None, refused
                except (redis.ConnectionError, redis.TimeoutError) as lost:
                    # every command sent on it fails (call tries a lost connection again)
                    with self._turn:
                        self._lost(conn, lost)
                    continue
                with self._turn:
                    if conn is self._conn and self._waiting:
                        head = self._waiting.popleft()
                        head.reply, head.error, head.done = reply, error, True
        if slot.error is not None:
            raise slot.error
        return slot.reply

    def _send(self, packed, slot):
        """(The turn's lock held.) Send on the connection (made when there is none)."""
        if self._conn is None:
            self._conn = self._make()
        conn = self._conn
        try:
            conn.send_packed_command(packed, check_health=False)
        except (redis.ConnectionError, redis.TimeoutError):
            self._lost(conn, None)
            raise
        self._waiting.append(slot)
        return conn

    def _lost(self, conn, error):
        """(The turn's lock held.) The connection is lost: every command sent on it fails with
        `error`; the next call makes a new one."""
        if conn is not self._conn:
            return
        self._conn = None
        waiting, self._waiting = self._waiting, collections.deque()
        conn.disconnect()
        for slot in waiting:
            slot.error, slot.done = error or redis.ConnectionError("Connection lost"), True


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
