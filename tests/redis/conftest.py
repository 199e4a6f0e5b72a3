"""Sandboxes of several worker processes over one private Redis, each test module on its own
database (database 0 is the both-stores fixture's)."""

import itertools
from pathlib import Path

import pytest

from ..live import LiveServer, console_script

FROZEN = "2025-01-15T10:30:00Z"
_databases = itertools.count(10)


def children(pid):
    """The worker processes of a `serve --workers` parent."""
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def serve(url, workers=2, **env):
    """`vendor-sandbox serve --workers N --store URL` on a free port, ready."""
    environ = {"SANDBOX_FROZEN_CLOCK": FROZEN, "SANDBOX_JOURNAL_SIZE": "50000", **env}
    command = [*console_script(), "serve", "--workers", str(workers), "--store", url]  # the flag wins
    return LiveServer(command, env=environ).wait_ready()


@pytest.fixture
def database(redis_server):
    """The URL of an empty database of the private Redis, for this test only."""
    db = next(_databases)
    redis_server.client(db).flushdb()
    return redis_server.url(db)


def op_starts(ops):
    """Where each op of a COMMIT's flat argument list begins (name, #keys, #args, keys, args)."""
    i = 0
    while i < len(ops):
        yield i
        i += 3 + ops[i + 1] + ops[i + 2]


@pytest.fixture
def replays(monkeypatch):
    """Each request's answer to "run it again?" (redisstore/replay.py), in order."""
    from vendor_sandbox.redisstore import unit

    answers, take = [], unit.take_replay

    def recorded():
        answers.append(take())
        return answers[-1]

    monkeypatch.setattr(unit, "take_replay", recorded)
    return answers
