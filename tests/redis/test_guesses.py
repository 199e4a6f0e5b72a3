"""A request on the shared store guesses its namespace's state (redisstore/unit.py): what its
worker read last, checked by COMMIT. Two apps on one Redis stand for two workers; whatever the one
changes, a guessing request of the other answers as if it had read it first."""

import json
import time

import pytest
import redis.connection

from vendor_sandbox import create_app
from vendor_sandbox.redisstore import unit
from vendor_sandbox.redisstore.ids import _RESERVE

from .conftest import op_starts

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
def commits(monkeypatch):
    """The op names of each COMMIT sent, in order."""
    sent, flush = [], unit.Unit.flush

    def counted(self, last=None):
        ops = self.ops + ([last[0], len(last[1]), len(last[2]), *last[1], *last[2]] if last else [])
        sent.append([ops[i] for i in op_starts(ops)])
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


# -- writes: the id number and the hot records guessed too

def create(client, email, **extra):
    return client.post("/hipp/api/v1/users", headers=HIPP, json={
        "firstName": "Jane", "lastName": "Smith", "email": email, "role": "CLINICIAN", **extra})


def test_a_create_is_one_round_trip_once_its_worker_knows_the_next_number_and_the_hot_record(
        worker, trips, replays, commits):
    # the first create reads the state and changes a seeded record (a new hidden-set version:
    # the second's guess is wrong); by the fourth, latestCreatedAt is hot and its value known
    for n in range(4):
        assert create(worker, f"warm-{n}@example.com").status_code == 200
    before, made = trips(), []
    for n in range(5):
        created = create(worker, f"guessed-{n}@example.com")
        assert created.status_code == 200, created.get_json()
        made.append(created.get_json()["user"]["publicId"])
    assert trips() - before == 5
    assert replays[-5:] == [False] * 5
    # the state, the record read and the number taken are checked, then the user is written (the
    # clock is frozen: latestCreatedAt, read, stays as it is)
    assert sorted(commits[-1]) == sorted(["state", "held", "number", "absent", "claim", "put", "record"])
    listed = worker.get("/hipp/api/v1/users?search=guessed-&pageSize=10", headers=HIPP).get_json()["data"]
    assert sorted(u["publicId"] for u in listed) == sorted(made)


def test_numbers_guessed_run_as_numbers_reserved_do(url, redis_server):
    """The same requests (a failed create among them, which uses a number all the same) give the
    same ids whether one worker answers them all (guessing) or two by turns (each one's numbers
    always behind: read again)."""
    def run(clients):
        answers = []
        for n in range(10):
            client = clients[n % len(clients)]
            if n == 5:
                failed = create(client, "not-an-email")
                assert failed.status_code == 400
                continue
            answers.append(create(client, f"seq-{n}@example.com").get_json()["user"]["publicId"])
        return answers

    alone = run([create_app({"STORE_URL": url, "FROZEN_CLOCK": FROZEN}).test_client()])
    second = redis_server.url(DATABASE + 1)
    redis_server.client(DATABASE + 1).flushdb()
    by_turns = run([create_app({"STORE_URL": second, "FROZEN_CLOCK": FROZEN}).test_client() for _ in range(2)])
    assert alone == by_turns and len(set(alone)) == 9
    for database in (DATABASE, DATABASE + 1):
        assert redis_server.client(database).hget("vs:{default}:draws:hipp", "n") == b"10"


def test_creates_by_turns_of_two_workers_race_and_are_answered_again(worker, other, redis_server, replays):
    """Each worker's copy of latestCreatedAt and of the next number falls behind the other's
    creates: COMMIT finds them changed, writes nothing, and the request runs again reading them."""
    made = []
    for n in range(8):
        created = create((worker, other)[n % 2], f"turns-{n}@example.com")
        assert created.status_code == 200, created.get_json()
        made.append(created.get_json()["user"])
    assert len({u["publicId"] for u in made}) == 8
    assert unit.GUESSED in replays
    client = redis_server.client(DATABASE)
    assert client.hget("vs:{default}:draws:hipp", "n") == b"8"
    latest = client.hget("vs:{default}:c:hipp:meta:rec", "latestCreatedAt")
    assert latest is not None and json.loads(latest) == {"value": max(u["createdAt"] for u in made)}
    entries_made = entries(worker, method="POST")
    assert [e["status"] for e in entries_made] == [200] * 8  # one entry for each, raced or not


def test_a_record_guessed_and_changed_meanwhile_writes_nothing(redis_server, monkeypatch):
    """At the unit: a request that read a hot record from its worker's copy, which another worker
    changed since, is refused by COMMIT (raced) and writes nothing; its worker learns what Redis
    holds, as a new generation, and its route reads instead of guessing for a while; after that,
    a guess from what was learned holds."""
    from vendor_sandbox.redisstore.collection import RedisCollection, Scripts
    from vendor_sandbox.redisstore.connection import connect
    from vendor_sandbox.redisstore.scripts import COMMIT
    from vendor_sandbox.redisstore.wire import wire_for

    client = connect(redis_server.url(DATABASE))
    client.flushdb()
    shared = RedisCollection(client, Scripts(client), "t:{ns}:c:v:meta:", "t:{ns}:reg:v")
    shared.put("latest", {"value": 2})  # what Redis holds: another worker's write
    hot, route = unit.Hot(), ("POST", "/users")
    field = ("t:{ns}:c:v:meta:rec", "latest")
    hot.values[field] = ('{"value":1}', 0)  # this worker's copy, behind
    commit = wire_for(client).register_script(COMMIT)

    def guessing():
        unit.begin(commit, hot, route, assume=True, guess=True)
        queued = unit.current()
        queued.guessed_reads = {field}
        return queued

    queued = guessing()
    assert shared.get("latest") == {"value": 1}
    shared.put("latest", {"value": 3})
    shared.put("other", {"value": 3})
    with pytest.raises(unit.Assumed):
        queued.flush()
    assert unit.take_replay() == unit.RACED
    unit.end()
    assert shared.get("latest") == {"value": 2} and shared.get("other") is None
    assert hot.values[field] == (b'{"value":2}', 1) and hot.cold(route)

    monkeypatch.setattr(unit.Hot, "COLD_SECONDS", 0)  # (as once it has passed)
    hot.cool(route)
    assert not hot.cold(route)
    queued = guessing()  # from what was learned: right
    assert shared.get("latest") == {"value": 2}
    shared.put("latest", {"value": 3})
    queued.flush()
    unit.end()
    assert shared.get("latest") == {"value": 3} and hot.values[field][0] == '{"value":3}'


def test_a_number_guessed_and_given_meanwhile_writes_nothing(url, redis_server, commits, replays):
    """A number a request guessed (its worker's next) that another worker's request was given
    meanwhile is refused by COMMIT, so that no two requests ever draw the same number, whatever
    they draw it for; the worker learns the counter from the refusal. A number beyond the counter
    moves the counter there, and those between are skipped: only the requests that took them may
    still use them."""
    worker = create_app({"STORE_URL": url, "FROZEN_CLOCK": FROZEN}).test_client()
    for n in range(5):  # the worker learns the next number, and latestCreatedAt
        assert create(worker, f"n-{n}@example.com").status_code == 200
    assert "number" in commits[-1]  # the fifth guessed its number
    client = redis_server.client(DATABASE)
    counter, gaps = "vs:{default}:draws:hipp", "vs:{default}:draws:hipp:gaps"
    assert client.hget(counter, "n") == b"5"
    client.hincrby(counter, "n", 1)  # another worker's request was given number 6
    assert create(worker, "n-5@example.com").status_code == 200  # guesses 6: refused, then reads 7
    assert replays[-2:] == [unit.RACED, False] and "number" in commits[-2] and "number" not in commits[-1]
    assert client.hget(counter, "n") == b"7"
    time.sleep(unit.Hot.COLD_SECONDS)  # the route raced: it reads, not guesses, for a while
    client.hincrby(counter, "n", -1)  # as if 7 had not been given: the worker's next, 8, is beyond
    assert create(worker, "n-6@example.com").status_code == 200
    assert replays[-1] is False and "number" in commits[-1]
    assert client.hget(counter, "n") == b"8" and client.zrange(gaps, 0, -1) == [b"7"]
    # 7, skipped, is given to no one but a COMMIT that guessed it (a request of this worker
    # still on its way); a reserve gives 9
    reserve = client.register_script(_RESERVE)
    assert reserve(keys=[counter, "vs:{default}:reg:hipp", "vs:epochs"], args=[0, ""]) == [b"1", 9]


def test_once_a_request_has_written_it_guesses_and_assumes_nothing_more(worker, commits):
    """Welkin's create reads a claim's owner before each claim it makes, which sends what it
    queued: that first COMMIT carries the guesses; the rest of the request reserves its numbers,
    leases its claims and checks its new ids at once, so that no later COMMIT can refuse what an
    earlier one wrote (a request half-written: its second run would find its own username taken)."""
    from ..test_search_index import welkin_headers

    headers = welkin_headers(worker, "default")
    body = {"firstName": "Ada", "lastName": "Lovelace", "username": "ada-once", "email": "ada-once@example.com"}
    for n in range(3):  # the worker reads the state and learns the numbers
        made = worker.post("/welkin/acme-health/live/users", json={**body, "username": f"warm-{n}",
                                                                   "email": f"warm-{n}@example.com"}, headers=headers)
        assert made.status_code == 201, made.get_json()
    commits.clear()
    made = worker.post("/welkin/acme-health/live/users", json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    first, *rest = commits
    assert sorted(first) == ["number", "state"]
    for later in rest:
        assert not {"state", "number", "held", "claim", "absent"} & set(later), later
    # the claims are leases, confirmed by the COMMIT after each (the owner read before the next
    # sends the first); the reserved numbers' epochs are checked ('same')
    assert sum(c.count("confirm") for c in rest) == 2 and "same" in rest[-1]
    listed = worker.get("/welkin/acme-health/live/users", query_string={"search": "ada-once"}, headers=headers)
    assert [u["username"] for u in listed.get_json()["data"]] == ["ada-once"]
