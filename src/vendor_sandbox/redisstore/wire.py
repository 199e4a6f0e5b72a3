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

    def call(self, *args):
        """One command (str, bytes and int arguments), its raw reply (no response callbacks:
        bytes, ints, lists)."""
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

    def register_script(self, source):
        return WireScript(self, source)


class WireScript:
    """A Lua script called like redis-py's Script (keys=, args=, client=): on this thread's
    connection, or queued on `client` when that is a pipeline."""

    def __init__(self, wire, source):
        self._wire = wire
        self._script = Script(wire.client, source)
        self.sha = self._script.sha

    def __call__(self, keys=(), args=(), client=None):
        if client is not None:
            return self._script(keys=keys, args=args, client=client)
        try:
            return self._wire.call("EVALSHA", self.sha, len(keys), *keys, *args)
        except NoScriptError:  # a Redis restarted (or flushed its scripts) since we loaded it
            self._wire.call("SCRIPT", "LOAD", self._script.script)
            return self._wire.call("EVALSHA", self.sha, len(keys), *keys, *args)
