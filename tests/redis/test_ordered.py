"""wire.Ordered: the COMMITs of every thread of a process on one connection, run by Redis in the
order their tickets were taken, each reply back to its own sender."""

import os
import random
import threading

import pytest
import redis

from vendor_sandbox.redisstore.connection import connect
from vendor_sandbox.redisstore.wire import Ordered, wire_for

DATABASE = 12
# KEYS log; ARGV value: appended to the log (the order Redis ran them in), answered back
APPEND = "redis.call('RPUSH', KEYS[1], ARGV[1]) return ARGV[1]"


@pytest.fixture
def client(redis_server):
    client = connect(redis_server.url(DATABASE))
    client.flushdb()
    return client


def test_sixteen_threads_get_their_own_replies_in_the_order_of_their_tickets(client):
    script = wire_for(client).register_script(APPEND, ordered=True)
    assert isinstance(script._wire, Ordered)
    script(keys=["warm"], args=["loaded"])  # a first call loads the script (its NOSCRIPT tried again)
    taken, lock, wrong = [], threading.Lock(), []

    def sender(n):
        rng = random.Random(n)
        for i in range(150):
            value = f"{n}:{i}"

            def ticket(value=value):  # called as the ticket is taken: the order Redis must run them in
                taken.append(value)

            if rng.random() < 0.3:
                threading.Event().wait(rng.random() / 2000)  # threads drift apart
            reply = script(keys=["log"], args=[value], before=ticket)
            if reply != value.encode():
                with lock:
                    wrong.append((value, reply))

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert [v.decode() for v in client.lrange("log", 0, -1)] == taken
    assert len(taken) == 16 * 150


def test_an_error_reply_goes_to_its_sender_and_the_connection_goes_on(client):
    script = wire_for(client).register_script(APPEND, ordered=True)
    failing = wire_for(client).register_script("return redis.error_reply('ERR refused')", ordered=True)
    assert script(keys=["log"], args=["a"]) == b"a"
    with pytest.raises(redis.ResponseError, match="refused"):
        failing()
    assert script(keys=["log"], args=["b"]) == b"b"
    assert client.lrange("log", 0, -1) == [b"a", b"b"]


def test_a_connection_killed_is_made_again_by_the_next_call(client):
    script = wire_for(client).register_script(APPEND, ordered=True)
    assert script(keys=["log"], args=["before"]) == b"before"
    client.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
    assert script(keys=["log"], args=["after"]) == b"after"  # the connection lost: tried again
    assert client.lrange("log", 0, -1) == [b"before", b"after"]


def test_a_timeout_fails_the_command_and_is_not_tried_again(client, monkeypatch):
    script = wire_for(client).register_script(APPEND, ordered=True)
    assert script(keys=["log"], args=["x"]) == b"x"
    channel = script._wire

    def slow():
        raise redis.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(channel._conn, "read_response", slow)
    with pytest.raises(redis.TimeoutError):
        script(keys=["log"], args=["y"])  # it ran (or not): the sender is told, not retried
    monkeypatch.undo()
    assert channel._conn is None and script(keys=["log"], args=["z"]) == b"z"
    assert client.lrange("log", 0, -1) == [b"x", b"y", b"z"]


def test_a_forked_worker_makes_its_own_connection(client):
    """`serve --workers` forks after the app is built: a child must not read or write the
    parent's connection (their replies would cross)."""
    script = wire_for(client).register_script(APPEND, ordered=True)
    assert script(keys=["log"], args=["parent"]) == b"parent"  # the parent's connection is open
    parent_conn = script._wire._conn
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answers over the pipe, and leaves without running pytest's exit
        try:
            replies = [script(keys=["log"], args=[f"child-{i}"]) for i in range(20)]
            ok = replies == [f"child-{i}".encode() for i in range(20)] and script._wire._conn is not parent_conn
            os.write(write, b"ok" if ok else repr(replies).encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 4096)
    os.waitpid(pid, 0)
    assert answer == b"ok"
    assert script(keys=["log"], args=["parent-again"]) == b"parent-again"
    assert script._wire._conn is parent_conn
    assert client.lrange("log", 0, -1) == [b"parent", *(f"child-{i}".encode() for i in range(20)), b"parent-again"]
