"""A request on the shared store guesses its namespace's state (redisstore/unit.py): what its
worker read last, checked by COMMIT. Two apps on one Redis stand for two workers; whatever the one
changes, a guessing request of the other answers as if it had read it first."""

import pytest
import redis.connection

from vendor_sandbox import create_app
from vendor_sandbox.redisstore import unit

HIPP = {"Authorization": "Bearer your-api-key"}
SEEDED = "/hipp/api/v1/users/usr_1234567890_abc123def"
DATABASE = 9
FROZEN = "2025-01-15T10:30:00Z"


@pytest.fixture
def url(redis_server):
    redis_server.client(DATABASE).flushdb()
    return redis_server.url(DATABASE)


@pytest.fixture
def worker(url):
    return create_app({"STORE_URL": url, "FROZEN_CLOCK": FROZEN}).test_client()


@pytest.fixture
def other(url):
    return create_app({"STORE_URL": url, "FROZEN_CLOCK": FROZEN}).test_client()


@pytest.fixture
def trips(monkeypatch):
    """Commands (or scripts, or pipelines) sent to Redis so far, by any client of this process."""
    sent = [0]
    send = redis.connection.Connection.send_packed_command

    def counted(self, command, check_health=True):
        sent[0] += 1
        return send(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)
    return lambda: sent[0]


@pytest.fixture
def replays(monkeypatch):
    """Each request's answer to "run it again?", in order."""
    answers, take = [], unit.take_replay

    def recorded():
        answers.append(take())
        return answers[-1]

    monkeypatch.setattr(unit, "take_replay", recorded)
    return answers


@pytest.fixture
def commits(monkeypatch):
    """The op names of each COMMIT sent, in order."""
    sent, flush = [], unit.Unit.flush

    def counted(self, last=None):
        ops, i, names = self.ops + ([last[0], len(last[1]), len(last[2]), *last[1], *last[2]] if last else []), 0, []
        while i < len(ops):
            names.append(ops[i])
            i += 3 + ops[i + 1] + ops[i + 2]
        sent.append(names)
        return flush(self, last)

    monkeypatch.setattr(unit.Unit, "flush", counted)
    return sent


def entries(client, namespace=None, **query):
    headers = {"X-Sandbox-Namespace": namespace} if namespace else {}
    return client.get("/_sandbox/requests", query_string={"path": "/hipp/*", **query}, headers=headers).get_json()["requests"]


def test_a_get_is_one_round_trip_once_its_worker_has_read_the_state(worker, trips, replays, commits):
    # the first reads the state (and caches the hidden sets it reads at their versions); the
    # second is the first COMMIT, which a fresh Redis may have to be given the script of
    for _ in range(2):
        assert worker.get(SEEDED, headers=HIPP).status_code == 200
    before = trips()
    for _ in range(5):
        read = worker.get(SEEDED, headers=HIPP)
        assert read.status_code == 200 and read.get_json()["publicId"] == "usr_1234567890_abc123def"
    assert trips() - before == 5
    assert commits[-5:] == [["state", "record"]] * 5  # the guess is checked before the entry is written
    assert replays[-5:] == [False] * 5
    assert len(entries(worker, method="GET")) == 7
    assert replays[0] is False


def test_a_rule_another_worker_added_fires_on_a_request_that_guessed_none(worker, other, replays):
    assert worker.get(SEEDED, headers=HIPP).status_code == 200
    rule = other.post("/_sandbox/faults", json={"vendor": "hipp", "status": 503, "times": 1}).get_json()
    failed = worker.get(SEEDED, headers=HIPP)
    assert (failed.status_code, failed.get_json()) == (503, {"error": "Service Unavailable"})
    assert replays[-2:] == [unit.GUESSED, False]  # nothing written the first time; the rule read the second
    [listed] = worker.get("/_sandbox/faults").get_json()["faults"]
    assert (listed["id"], listed["fired"], listed["remaining"]) == (rule["id"], 1, 0)
    assert [e["status"] for e in entries(worker, method="GET")] == [200, 503]  # one entry for it
    assert worker.get(SEEDED, headers=HIPP).status_code == 200  # the rule is used up


def test_a_clock_another_worker_moved_is_the_clock_a_guessing_request_runs_on(worker, other, replays):
    ns = {"X-Sandbox-Namespace": "moved"}
    assert worker.get(SEEDED, headers={**HIPP, **ns}).status_code == 200
    assert other.post("/_sandbox/clock", json={"set": "2031-05-06T07:08:09Z"}, headers=ns).status_code == 200
    assert worker.get(SEEDED, headers={**HIPP, **ns}).status_code == 200
    assert replays[-1:] == [False] and unit.GUESSED in replays
    assert [e["timestamp"] for e in entries(worker, "moved", method="GET")] == [
        "2025-01-15T10:30:00.000Z", "2031-05-06T07:08:09.000Z"]


def test_a_credential_another_worker_bound_places_a_guessing_request_in_its_namespace(worker, other, replays):
    assert worker.get(SEEDED, headers=HIPP).status_code == 200
    minted = other.post("/_sandbox/credentials", json={"vendor": "hipp"},
                        headers={"X-Sandbox-Namespace": "bound"}).get_json()["apiKey"]
    read = worker.get(SEEDED, headers={"Authorization": f"Bearer {minted}"})
    assert read.status_code == 200, read.get_json()  # the old copy of the bindings knew no such key
    assert unit.GUESSED in replays
    assert [e["status"] for e in entries(worker, "bound", method="GET")] == [200]
    assert [e["status"] for e in entries(worker, method="GET")] == [200]


def test_a_namespace_another_worker_dropped_is_registered_again_by_a_guessing_request(worker, other, replays):
    ns = {"X-Sandbox-Namespace": "dropped"}
    assert worker.get(SEEDED, headers={**HIPP, **ns}).status_code == 200
    assert other.delete("/_sandbox/namespace", headers=ns).status_code == 204
    store = other.application.extensions["vendor_sandbox.store"]
    assert "dropped" not in store.namespaces()
    assert worker.get(SEEDED, headers={**HIPP, **ns}).status_code == 200
    assert unit.GUESSED in replays
    assert "dropped" in store.namespaces()
    assert [e["status"] for e in entries(other, "dropped", method="GET")] == [200]  # the new life's only


def test_a_guess_no_commit_checked_is_answered_again_with_the_state_read(worker, monkeypatch, replays):
    from vendor_sandbox.redisstore.journal import RedisJournal

    assert worker.get(SEEDED, headers=HIPP).status_code == 200
    monkeypatch.setattr(RedisJournal, "record", lambda self, *args, **kwargs: unit.end())  # no COMMIT at all
    assert worker.get(SEEDED, headers=HIPP).status_code == 200
    assert replays[-2:] == [unit.GUESSED, False]
