"""The 8-thread race suite (tests/reliability/test_races.py) against two worker processes on one
Redis: exactly one winner per key, list totals equal the successes, the journal holds every request."""

import itertools

import pytest

from ..reliability.conftest import LiveHttp
from ..reliability.test_races import (  # noqa: F401 - the same fixture and tests, re-run here
    race,
    test_created_ids_are_unique,
    test_every_winner_reads_back_whole,
    test_exactly_one_create_per_key_wins_and_the_others_get_the_vendors_conflict,
    test_list_totals_equal_the_successes,
    test_no_unique_claim_is_left_without_its_record,
    test_the_journal_holds_every_request,
)
from .conftest import children, serve

_database = itertools.count(40)


@pytest.fixture(scope="module")
def live_server(redis_server):
    db = next(_database)
    redis_server.client(db).flushdb()
    server = serve(redis_server.url(db), workers=2)
    assert len(children(server.process.pid)) == 2
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live_http(live_server):
    return LiveHttp(live_server.url)
