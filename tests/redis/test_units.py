"""A vendor request's writes on the shared store are one step (redisstore/unit.py): sent with its
journal entry, or not at all; its claims are leases until then; it reads its own writes."""

import json
import random
import time

import pytest
import redis

from vendor_sandbox import create_app
from vendor_sandbox.collection import Collection
from vendor_sandbox.redisstore import unit
from vendor_sandbox.redisstore.collection import RedisCollection, Scripts
from vendor_sandbox.redisstore.connection import StoreUnavailable, connect
from vendor_sandbox.redisstore.scripts import COMMIT
from vendor_sandbox.redisstore.wire import wire_for
from vendor_sandbox.store import SECOND_RUN

from ..vendors.zus.conftest import JSONAPI, user_body
from .conftest import op_starts
from .test_collection import assert_same_views, random_step, seeded_base

HIPP = {"Authorization": "Bearer your-api-key"}
DATABASE = 7


@pytest.fixture
def client(redis_server):
    client = connect(redis_server.url(DATABASE))
    client.flushdb()
    return client


def collection(client, base=None):
    return RedisCollection(client, Scripts(client), "t:{ns}:c:v:users:", "t:{ns}:reg:v", base or seeded_base())


def begin(client):
    unit.begin(wire_for(client).register_script(COMMIT))
    return unit.current()


def wait_on_redis_clock(client, ms):
    """Until `ms` have passed on Redis's clock (TIME), the one leases are counted on."""
    def now_ms():
        seconds, micros = client.time()
        return seconds * 1000 + micros // 1000

    deadline = now_ms() + ms
    while now_ms() <= deadline:
        time.sleep(0.005)


def outside(read):
    """`read()` as another request would: without this thread's unit."""
    queued = unit.current()
    unit.end()
    try:
        return read()
    finally:
        unit._local.unit = queued


@pytest.fixture(autouse=True)
def no_unit_left():
    yield
    unit.end()


def test_a_request_reads_its_own_writes_and_sends_them_at_once(client, redis_server):
    """Random operations inside units (sent at random points) answer as the in-memory
    Collection does, step by step; until a unit is sent, another client sees none of it."""
    base = seeded_base()
    memory, shared = Collection(base), collection(client, base)
    other = collection(connect(redis_server.url(DATABASE)), base)
    rng = random.Random(7)
    keys = [f"b{i}" for i in range(30)] + [f"k{i}" for i in range(20)]
    queued = begin(client)
    before, sent_ops = other.dump(), queued.ops
    for step in range(400):
        op = rng.choice(["put", "put", "delete", "claim", "release", "get", "get", "send"])
        if op != "send":
            random_step(rng, step, op, keys, memory, shared)
        else:
            # another thread's view: nothing queued is there (claims are, as leases)
            assert {k: v for k, v in outside(other.dump).items() if k != "claims"} == {
                k: v for k, v in before.items() if k != "claims"}, step
            queued.flush()
            before = outside(other.dump)
            assert before == memory.dump()
        if queued.ops is not sent_ops:  # sent, by this step or before a read that needed it
            before, sent_ops = outside(other.dump), queued.ops
    queued.flush()
    unit.end()
    assert_same_views(memory, shared)


def test_a_request_that_never_ends_writes_nothing_and_its_claim_runs_out(client, monkeypatch):
    monkeypatch.setattr(unit, "CLAIM_LEASE_MS", 300)
    shared = collection(client)
    begin(client)
    assert shared.claim("email", "new@example.com", "k1")
    shared.put("k1", {"email": "new@example.com"}, index={"tenant": "acme"})
    shared.delete("b4")
    shared.release("email", "b3@example.com")
    unit.end()  # the worker died before COMMIT
    assert shared.get("k1") is None
    assert shared.get("b4") == {"n": 4, "tenant": "acme"}
    assert shared.owner("email", "b3@example.com") == "b3"
    assert shared.owner("email", "new@example.com") == "k1"  # leased: another request may not take it yet
    assert not shared.claim("email", "new@example.com", "k2")
    wait_on_redis_clock(client, 350)
    assert shared.owner("email", "new@example.com") is None
    assert "new@example.com" not in shared.dump()["claims"].get("email", {})
    assert shared.claim("email", "new@example.com", "k2")
    assert shared.owner("email", "new@example.com") == "k2"


def test_a_committed_claim_is_for_good(client, monkeypatch):
    monkeypatch.setattr(unit, "CLAIM_LEASE_MS", 50)
    shared = collection(client)
    queued = begin(client)
    assert shared.claim("email", "kept@example.com", "k1")
    shared.put("k1", {"email": "kept@example.com"})
    queued.flush()
    unit.end()
    assert client.zcard("t:{ns}:c:v:users:tentative") == 0
    wait_on_redis_clock(client, 1000)
    assert shared.owner("email", "kept@example.com") == "k1"
    assert not shared.claim("email", "kept@example.com", "k2")


def test_a_lease_lost_meanwhile_writes_nothing_of_the_request(client, monkeypatch):
    monkeypatch.setattr(unit, "CLAIM_LEASE_MS", 30)
    shared = collection(client)
    slow = begin(client)
    assert shared.claim("email", "race@example.com", "k1")
    shared.put("k1", {"email": "race@example.com"})
    unit.end()
    wait_on_redis_clock(client, 60)
    assert shared.claim("email", "race@example.com", "k2")  # the lease ran out: another request won
    unit._local.unit = slow
    with pytest.raises(unit.LostClaim) as lost:
        slow.flush()
    assert isinstance(lost.value, StoreUnavailable) and lost.value.code == 503
    unit.end()
    assert shared.get("k1") is None
    assert shared.owner("email", "race@example.com") == "k2"


@pytest.fixture
def app(redis_server):
    redis_server.client(DATABASE + 1).flushdb()
    return create_app({"STORE_URL": redis_server.url(DATABASE + 1), "FROZEN_CLOCK": "2025-01-15T10:30:00Z"})


def hipp_user(email):
    return {"firstName": "Jane", "lastName": "Smith", "email": email, "role": "CLINICIAN"}


def test_a_create_is_one_commit_with_its_journal_entry(app, redis_server, monkeypatch):
    sent = []
    flush = unit.Unit.flush

    def counted(self, last=None):
        sent.append((list(self.ops), last))
        return flush(self, last)

    monkeypatch.setattr(unit.Unit, "flush", counted)
    created = app.test_client().post("/hipp/api/v1/users", json=hipp_user("one@example.com"), headers=HIPP)
    assert created.status_code == 200
    assert len(sent) == 1
    ops, last = sent[0]
    assert last[0] == "record"
    # assumed, and checked there: the new id is not taken (absent), the id number's epoch is the
    # counter's (same), the e-mail is free (claim); then the user and latestCreatedAt
    assert [ops[i] for i in op_starts(ops)] == ["absent", "same", "claim", "put", "put"]
    public_id = created.get_json()["user"]["publicId"]
    other = create_app({"STORE_URL": redis_server.url(DATABASE + 1), "FROZEN_CLOCK": "2025-01-15T10:30:00Z"})
    read = other.test_client().get(f"/hipp/api/v1/users/{public_id}", headers=HIPP)
    assert read.status_code == 200 and read.get_json()["publicId"] == public_id


def test_a_worker_dying_before_commit_leaves_no_user_and_no_claim(app, monkeypatch):
    def dies(self, last=None):
        raise SystemExit("killed")

    client = app.test_client()
    with monkeypatch.context() as patch:
        patch.setattr(unit.Unit, "flush", dies)
        with pytest.raises(SystemExit):
            client.post("/hipp/api/v1/users", json=hipp_user("gone-at-once@example.com"), headers=HIPP)
    listed = client.get("/hipp/api/v1/users?search=gone-at-once@example.com", headers=HIPP).get_json()
    assert listed["data"] == [] and listed["pagination"]["totalCount"] == 0
    # the claim was assumed, never written: the e-mail is free at once
    assert client.post("/hipp/api/v1/users", json=hipp_user("gone-at-once@example.com"), headers=HIPP).status_code == 200


def test_a_second_run_dying_before_commit_leaves_its_claim_leased_until_it_runs_out(app, monkeypatch):
    """A request answered a second time (replay.py) claims at once, as a lease."""
    monkeypatch.setattr(unit, "CLAIM_LEASE_MS", 300)
    second = {SECOND_RUN: True}

    def dies(self, last=None):
        raise SystemExit("killed")  # nothing after the claim reaches Redis

    client = app.test_client()
    with monkeypatch.context() as patch:
        patch.setattr(unit.Unit, "flush", dies)
        with pytest.raises(SystemExit):
            client.post("/hipp/api/v1/users", json=hipp_user("lost@example.com"), headers=HIPP,
                        environ_overrides=second)
    listed = client.get("/hipp/api/v1/users?search=lost@example.com", headers=HIPP).get_json()
    assert listed["data"] == [] and listed["pagination"]["totalCount"] == 0
    early = client.post("/hipp/api/v1/users", json=hipp_user("lost@example.com"), headers=HIPP)
    assert (early.status_code, early.get_json()) == (400, {"error": "Validation error", "details": [
        {"code": "custom", "message": "Email already exists", "path": ["email"]}]})
    time.sleep(0.4)
    again = client.post("/hipp/api/v1/users", json=hipp_user("lost@example.com"), headers=HIPP)
    assert again.status_code == 200


def test_a_redis_lost_at_commit_is_the_vendors_503_and_nothing_is_written(app, monkeypatch):
    def unreachable(self, last=None):
        raise redis.ConnectionError("Connection refused")

    client = app.test_client()
    with monkeypatch.context() as patch:
        patch.setattr(unit.Unit, "flush", unreachable)
        failed = client.post("/hipp/api/v1/users", json=hipp_user("gone@example.com"), headers=HIPP)
    assert (failed.status_code, failed.get_json()) == (503, {"error": "Service Unavailable"})
    assert failed.headers["Content-Type"] == "application/json"
    listed = client.get("/hipp/api/v1/users?search=gone@example.com", headers=HIPP).get_json()
    assert listed["pagination"]["totalCount"] == 0


def test_a_zus_create_sends_its_mails_in_the_same_commit(app, monkeypatch):
    sent = []
    flush = unit.Unit.flush

    def counted(self, last=None):
        sent.append([self.ops[i] for i in op_starts(self.ops)])
        return flush(self, last)

    client = app.test_client()
    admin = next(c for c in client.get("/_sandbox/credentials").get_json()["zus"] if c["name"] == "Ada Admin")
    headers = {"Authorization": f"Bearer {admin['token']}", "Content-Type": JSONAPI, "Accept": JSONAPI}
    monkeypatch.setattr(unit.Unit, "flush", counted)
    created = client.post("/zus/auth/users", data=json_text(user_body("mailed@example.com")), headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert len(sent) == 1 and sent[0].count("send") == 2  # sandbox: welcome, then password reset
    mails = client.get("/_sandbox/outbox?to=mailed@example.com").get_json()["messages"]
    assert [m["kind"] for m in mails] == ["welcome", "password-reset"]

    def dies(self, last=None):
        raise SystemExit("killed")

    monkeypatch.setattr(unit.Unit, "flush", dies)
    with pytest.raises(SystemExit):
        client.post("/zus/auth/users", data=json_text(user_body("unsent@example.com")), headers=headers)
    monkeypatch.setattr(unit.Unit, "flush", flush)
    assert client.get("/_sandbox/outbox?to=unsent@example.com").get_json()["messages"] == []


def json_text(body):
    return json.dumps(body)


# -- what a request assumes, and its second run (redisstore/replay.py)

def test_an_email_taken_meanwhile_is_answered_by_the_second_run_with_hipps_conflict(app, redis_server, replays):
    """Two workers (two apps on one Redis): the second create of one e-mail assumes it free, COMMIT
    finds it taken, nothing is written, and the request's second run answers Hipp's 400."""
    other = create_app({"STORE_URL": redis_server.url(DATABASE + 1), "FROZEN_CLOCK": "2025-01-15T10:30:00Z"})
    first = app.test_client().post("/hipp/api/v1/users", json=hipp_user("twice@example.com"), headers=HIPP)
    assert first.status_code == 200
    again = other.test_client().post("/hipp/api/v1/users", json=hipp_user("twice@example.com"), headers=HIPP)
    assert (again.status_code, again.get_json()) == (400, {"error": "Validation error", "details": [
        {"code": "custom", "message": "Email already exists", "path": ["email"]}]})
    listed = app.test_client().get("/hipp/api/v1/users?search=twice@example.com", headers=HIPP).get_json()
    assert [u["publicId"] for u in listed["data"]] == [first.get_json()["user"]["publicId"]]
    journal = app.test_client().get("/_sandbox/requests?method=POST").get_json()["requests"]
    assert [(e["path"], e["status"]) for e in journal] == [("/hipp/api/v1/users", 200), ("/hipp/api/v1/users", 400)]
    assert replays[:2] == [False, unit.ASSUMED]


def test_a_drawn_id_already_taken_is_drawn_again_by_the_second_run(app, replays):
    """A namespace reset and given back its snapshot draws its first id number again: the new
    id is the one its snapshot holds; COMMIT finds it taken and the second run draws another."""
    client = app.test_client()
    ns = {"X-Sandbox-Namespace": "collide"}
    made = client.post("/hipp/api/v1/users", json=hipp_user("first@example.com"), headers={**HIPP, **ns})
    assert made.status_code == 200
    taken = made.get_json()["user"]["publicId"]
    snapshot = client.get("/_sandbox/state", headers=ns).get_json()
    assert client.put("/_sandbox/state", json=snapshot, headers=ns).status_code == 200  # draws start again
    created = client.post("/hipp/api/v1/users", json=hipp_user("second@example.com"), headers={**HIPP, **ns})
    assert created.status_code == 200, created.get_json()
    fresh = created.get_json()["user"]["publicId"]
    assert fresh != taken and replays[-1] == unit.ASSUMED
    for email, public_id in (("first@example.com", taken), ("second@example.com", fresh)):
        listed = client.get(f"/hipp/api/v1/users?email={email}", headers={**HIPP, **ns}).get_json()["data"]
        assert [u["publicId"] for u in listed] == [public_id]
    posts = client.get("/_sandbox/requests?method=POST&path=/hipp/*", headers=ns).get_json()["requests"]
    assert [e["status"] for e in posts] == [200, 200]  # one entry for the create that ran twice


def test_a_second_run_sleeps_no_forced_delay_again(app, monkeypatch, replays):
    import vendor_sandbox.control.traffic as traffic
    slept = []
    monkeypatch.setattr(traffic.time, "sleep", slept.append)
    client = app.test_client()
    assert client.post("/hipp/api/v1/users", json=hipp_user("slow@example.com"), headers=HIPP).status_code == 200
    other = create_app({"STORE_URL": app.config["STORE_URL"], "FROZEN_CLOCK": "2025-01-15T10:30:00Z"})
    again = other.test_client().post("/hipp/api/v1/users", json=hipp_user("slow@example.com"),
                                     headers={**HIPP, "X-Sandbox-Fault": "delay=250"})
    assert again.status_code == 400 and replays[-1] == unit.ASSUMED
    assert slept == [0.25]


def test_an_assumed_claim_released_in_the_same_request_is_free_for_another_owner(client):
    shared = collection(client)
    queued = unit.Unit(wire_for(client).register_script(COMMIT), assume=True)
    unit._local.unit = queued
    assert shared.claim("email", "moved@example.com", "k1")
    assert not shared.claim("email", "moved@example.com", "k2")  # as in memory: k1 holds it
    shared.release("email", "moved@example.com")
    assert shared.claim("email", "moved@example.com", "k2")
    queued.flush()
    unit.end()
    assert shared.owner("email", "moved@example.com") == "k2"
