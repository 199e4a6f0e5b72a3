"""8 threads x 1,000 creates against a live waitress server, every unique key tried by every thread:
exactly one success per key, the vendor's own conflict for the rest, and nothing lost or half-written."""

import random
import threading
from collections import Counter, defaultdict

import pytest

from ..vendors.nabla.conftest import NOT_UNIQUE
from ..vendors.zus.conftest import error as zus_error
from ..vendors.zus.conftest import user_body
from .conftest import NS, login

THREADS = 8
PER_THREAD = 1_000
VENDORS = ("hipp", "nabla", "welkin", "zus")
KEYS = PER_THREAD // len(VENDORS)  # each thread tries every (vendor, key) once: 8 tries per key
NAMESPACE = "races"


def create(vendor, key, thread):
    """(method, path, body, door) of a create whose unique key is `key`."""
    if vendor == "hipp":
        return "POST", "/hipp/api/v1/users", {"firstName": "Race", "lastName": f"Thread {thread}",
                                              "email": f"race-{key}@example.com", "role": "PATIENT"}, "hipp"
    if vendor == "nabla":  # both doors reach the same organization and the same external ids
        door = "nabla" if thread % 2 else "nabla-copilot"
        prefix = "core" if thread % 2 else "copilot-api"
        return "POST", f"/nabla/v1/{prefix}/server/users", {"external_id": f"race-{key}",
                                                             "metadata": {"thread": str(thread)}}, door
    if vendor == "welkin":  # only the username collides: each thread brings its own e-mail
        return "POST", "/welkin/acme-health/live/users", {
            "firstName": "Race", "lastName": f"Thread {thread}", "username": f"race-{key}",
            "email": f"race-{key}-thread-{thread}@example.com"}, "welkin"
    return "POST", "/zus/auth/users", user_body(email=f"race-{key}@example.com", name=f"Race {thread}"), "zus"


def conflict(vendor, key):
    """The vendor's own answer to the losers, (status, body)."""
    if vendor == "hipp":
        return 400, {"error": "Validation error", "details": [
            {"code": "custom", "message": "Email already exists", "path": ["email"]}]}
    if vendor == "nabla":
        return 409, NOT_UNIQUE
    if vendor == "welkin":
        return 400, [{"errorCode": "USER_ALREADY_EXISTS", "componentType": "USER", "message": "User already exists",
                      "details": {"username": f"race-{key}"}, "date": "2025-01-15T10:30:00.000Z"}]
    return 409, {"errors": [zus_error(409, f"a user with email race-{key}@example.com already exists")]}


@pytest.fixture(scope="module")
def race(live_server, live_http):
    """Run the race once; every test below reads its outcome."""
    logins = login(live_http, NAMESPACE)
    results = defaultdict(list)  # (vendor, key) -> [(status, body)]
    errors = []

    def worker(thread):
        plan = [(VENDORS[i % len(VENDORS)], i // len(VENDORS)) for i in range(PER_THREAD)]
        random.Random(thread).shuffle(plan)  # a different, reproducible interleaving per thread
        try:
            for vendor, key in plan:
                method, path, body, door = create(vendor, key, thread)
                reply = live_http.request(method, path, body=body, headers=logins[door])
                results[vendor, key].append((reply.status, reply.json))
        except Exception as error:  # noqa: BLE001 - reported by the test, not lost in the thread
            errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return logins, results


@pytest.mark.parametrize("vendor", VENDORS)
def test_exactly_one_create_per_key_wins_and_the_others_get_the_vendors_conflict(race, vendor):
    _, results = race
    for key in range(KEYS):
        outcomes = results[vendor, key]
        assert len(outcomes) == THREADS
        statuses = Counter(status for status, _ in outcomes)
        assert statuses[200 if vendor in ("hipp", "nabla") else 201] == 1, (key, statuses)
        losers = [(status, body) for status, body in outcomes if status not in (200, 201)]
        assert losers == [conflict(vendor, key)] * (THREADS - 1)


def winners(results, vendor):
    """{key: created record} of one vendor."""
    found = {}
    for key in range(KEYS):
        (body,) = [body for status, body in results[vendor, key] if status in (200, 201)]
        found[key] = body["user"] if vendor == "hipp" else body["data"] if vendor == "zus" else body
    return found


def test_created_ids_are_unique(race):
    _, results = race
    ids = [record.get("publicId") or record["id"] for vendor in VENDORS for record in winners(results, vendor).values()]
    assert len(ids) == len(set(ids)) == KEYS * len(VENDORS)


def test_every_winner_reads_back_whole(race, live_http):
    """No half-written record: each created user reads back exactly as its create answered."""
    logins, results = race
    for key, user in winners(results, "hipp").items():
        reply = live_http.request("GET", f"/hipp/api/v1/users/{user['publicId']}", headers=logins["hipp"])
        # a read is Hipp's demographic shape: the fields both share must agree
        shared = set(user) & set(reply.json) - {"organization"}
        assert {"publicId", "firstName", "lastName", "role"} <= shared
        assert {name: reply.json[name] for name in shared} == {name: user[name] for name in shared}
    for key, user in winners(results, "nabla").items():
        read = live_http.request("GET", f"/nabla/v1/copilot-api/server/users/{user['id']}",
                                 headers=logins["nabla-copilot"]).json
        # created through either door (API version), read through the archived one
        assert {name: read[name] for name in user} == user
    for key, user in winners(results, "welkin").items():
        assert live_http.request("GET", f"/welkin/acme-health/live/users/{user['id']}",
                                 headers=logins["welkin"]).json == user
    for key, user in winners(results, "zus").items():
        assert live_http.request("GET", f"/zus/auth/users/{user['id']}", headers=logins["zus"]).json == {"data": user}


def test_list_totals_equal_the_successes(race, live_http):
    logins, _ = race
    hipp = live_http.request("GET", "/hipp/api/v1/users?search=race-&pageSize=100", headers=logins["hipp"]).json
    assert hipp["pagination"]["totalCount"] == KEYS
    welkin = live_http.request("GET", "/welkin/acme-health/live/users?search=race-&size=1000",
                               headers=logins["welkin"]).json
    assert welkin["metaInfo"]["totalElements"] == KEYS
    zus = live_http.request("GET", "/zus/auth/users?page[count]=1000", headers=logins["zus"]).json
    assert sum(u["attributes"]["email"].startswith("race-") for u in zus["data"]) == KEYS
    nabla, cursor = [], ""
    while True:
        page = live_http.request("GET", f"/nabla/v1/copilot-api/server/users?limit=100{cursor}",
                                 headers=logins["nabla-copilot"]).json
        nabla += page["data"]
        if not page["has_more"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert sum((u["external_id"] or "").startswith("race-") for u in nabla) == KEYS


def test_no_unique_claim_is_left_without_its_record(race, live_http):
    """A loser that claimed part of its keys before failing must have released them."""
    snapshot = live_http.request("GET", "/_sandbox/state", headers={NS: NAMESPACE}).json["vendors"]
    for vendor, collection in (("hipp", "users"), ("nabla", "users"), ("welkin", "users"), ("zus", "users")):
        dump = snapshot[vendor][collection]
        keys = {key for key, _ in dump["records"]}
        for unique, holders in dump["claims"].items():
            orphans = {value: owner for value, owner in holders.items() if owner not in keys}
            assert orphans == {}, (vendor, unique)
    welkin_emails = snapshot["welkin"]["users"]["claims"]["email"]
    assert sum(value.startswith("acme-health|race-") for value in welkin_emails) == KEYS


def test_the_journal_holds_every_request(race, live_http):
    entries = live_http.request("GET", "/_sandbox/requests?method=POST", headers={NS: NAMESPACE}).json["requests"]
    creates = Counter(e["vendor"] for e in entries if e["path"].endswith("/users"))
    assert creates == {vendor: KEYS * THREADS for vendor in VENDORS}
