"""Each namespace has its own clock, over real HTTP: POST /_sandbox/clock moves that namespace's only;
the others follow the process clock (the wall clock, or --frozen-clock) until they are moved."""

import time
import types
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.jwk import RSAKey

from vendor_sandbox.ids import Clock, iso_millis
from vendor_sandbox.store import Store

from .live import LiveServer, console_script

FROZEN = "2025-01-15T10:30:00Z"
MOVED = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
HIPP = {"Authorization": "Bearer your-api-key"}
NABLA_TOKEN = "/nabla/v1/core/server/oauth/token"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# seconds between our reading of the wall clock and the server's, on a loaded shared machine
WALL_SLACK = 120


@pytest.fixture(scope="module")
def server(live_store):
    live = LiveServer([*console_script(), "serve", "--threads", "4"], env=live_store).wait_ready()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def frozen_server(live_store):
    live = LiveServer([*console_script(), "serve", "--threads", "4", "--frozen-clock", FROZEN],
                      env=live_store).wait_ready()
    yield live
    live.stop()


def ns(name):
    return {"X-Sandbox-Namespace": name}


def clock(server, namespace):
    status, _, body = server.request("GET", "/_sandbox/clock", headers=ns(namespace))
    assert status == 200, body
    return body


def move(server, namespace, body):
    status, _, reply = server.request("POST", "/_sandbox/clock", body, headers=ns(namespace))
    assert status == 200, reply
    return reply


def document(instant, frozen=True):
    return {"now": iso_millis(instant), "epoch": instant.timestamp(), "frozen": frozen}


def follows_the_wall_clock(body):
    return body["frozen"] is False and abs(body["epoch"] - time.time()) < WALL_SLACK


def test_a_moved_clock_moves_its_namespace_only(server):
    assert move(server, "clock-a", {"set": MOVED.isoformat()}) == document(MOVED)
    assert clock(server, "clock-a") == document(MOVED)
    assert follows_the_wall_clock(clock(server, "clock-b"))
    assert follows_the_wall_clock(clock(server, "default"))


def test_every_timestamp_of_the_namespace_reads_its_clock(server):
    move(server, "stamps-a", {"set": MOVED.isoformat()})
    user = {"firstName": "Tim", "lastName": "Stamp", "role": "PATIENT"}
    status, _, moved = server.request("POST", "/hipp/api/v1/users", user, headers={**HIPP, **ns("stamps-a")})
    assert status == 200, moved
    assert moved["user"]["createdAt"] == iso_millis(MOVED)
    status, _, journal = server.request("GET", "/_sandbox/requests?vendor=hipp", headers=ns("stamps-a"))
    assert [entry["timestamp"] for entry in journal["requests"]] == [iso_millis(MOVED)]

    status, _, other = server.request("POST", "/hipp/api/v1/users", user, headers={**HIPP, **ns("stamps-b")})
    assert status == 200, other
    created = datetime.fromisoformat(other["user"]["createdAt"].replace("Z", "+00:00"))
    assert abs(created.timestamp() - time.time()) < WALL_SLACK


def test_advance_moves_on_from_the_namespace_time_and_unfreeze_gives_the_wall_clock_back(server):
    move(server, "advance", {"set": MOVED.isoformat()})
    assert move(server, "advance", {"advance": 90.5}) == document(MOVED + timedelta(seconds=90.5))
    assert follows_the_wall_clock(move(server, "advance", {"unfreeze": True}))
    assert follows_the_wall_clock(clock(server, "advance"))


def test_an_advance_from_the_wall_clock_freezes_there(server):
    before = time.time()
    moved = move(server, "from-wall", {"advance": 3600})
    assert moved["frozen"] is True
    assert before + 3600 - WALL_SLACK < moved["epoch"] < time.time() + 3600 + WALL_SLACK
    time.sleep(0.05)
    assert clock(server, "from-wall") == moved  # frozen: it no longer ticks


def test_a_full_reset_gives_the_namespace_the_process_clock_back(server):
    move(server, "reset-me", {"set": MOVED.isoformat()})
    status, _, _ = server.request("POST", "/_sandbox/reset", {"vendor": "hipp"}, headers=ns("reset-me"))
    assert (status, clock(server, "reset-me")) == (200, document(MOVED))  # one vendor's data only
    status, _, _ = server.request("POST", "/_sandbox/reset", {}, headers=ns("reset-me"))
    assert status == 200
    assert follows_the_wall_clock(clock(server, "reset-me"))


def test_frozen_clock_is_the_time_of_every_namespace_not_moved(frozen_server):
    frozen_at = datetime.fromisoformat(FROZEN.replace("Z", "+00:00"))
    assert clock(frozen_server, "default") == document(frozen_at)
    assert move(frozen_server, "hour-on", {"advance": 3600}) == document(frozen_at + timedelta(hours=1))
    assert clock(frozen_server, "untouched") == document(frozen_at)
    assert clock(frozen_server, "default") == document(frozen_at)
    # unfreezing a namespace gives it the process clock, which --frozen-clock holds still
    assert move(frozen_server, "hour-on", {"unfreeze": True}) == document(frozen_at)


@pytest.mark.parametrize("body", [{"unfreeze": False}, {"unfreeze": "yes"}, {"unfreeze": True, "advance": 1}])
def test_a_bad_unfreeze_is_a_400_and_moves_nothing(server, body):
    move(server, "bad-unfreeze", {"set": MOVED.isoformat()})
    status, headers, reply = server.request("POST", "/_sandbox/clock", body, headers=ns("bad-unfreeze"))
    assert (status, headers["Content-Type"]) == (400, "application/json")
    assert reply["error"]["code"] == "invalid_clock"
    assert clock(server, "bad-unfreeze") == document(MOVED)


def nabla_client(server, namespace):
    status, _, creds = server.request("GET", "/_sandbox/credentials", headers=ns(namespace))
    return next(c for c in creds["nabla"] if c["name"].startswith("Example Health"))


@pytest.mark.parametrize("step", [365 * 24 * 3600, -365 * 24 * 3600, 600])
def test_a_fresh_nabla_assertion_signed_on_the_wall_clock_works_after_the_namespace_clock_moved(server, step):
    namespace = f"nabla-moved-{step}"
    moved = move(server, namespace, {"advance": step})
    client = nabla_client(server, namespace)
    # authlib signs as a real client does: aud the token URL it is given, iat and exp on the wall clock
    # (a Nabla client keeps exp within Nabla's 5 minutes)
    signed = private_key_jwt_sign(RSAKey.import_key(client["privateKey"]), client["clientId"],
                                  server.url + NABLA_TOKEN, expires_in=300)
    assert abs(jwt.decode(signed, options={"verify_signature": False})["iat"] - time.time()) < WALL_SLACK
    status, _, token = server.request("POST", NABLA_TOKEN, {
        "grant_type": "client_credentials", "client_assertion_type": JWT_BEARER, "client_assertion": signed,
    }, headers=ns(namespace))
    assert status == 200, token
    # the token it mints lives on the namespace's clock: issued now there, and valid there
    assert jwt.decode(token["access_token"], options={"verify_signature": False})["iat"] == int(moved["epoch"])
    status, _, users = server.request("GET", "/nabla/v1/core/server/users", headers={
        **ns(namespace), "Authorization": f"Bearer {token['access_token']}"})
    assert status == 200, users


def test_an_assertion_signed_on_the_namespace_clock_works_too_and_one_right_on_neither_is_refused(server):
    namespace = "nabla-both"
    moved = move(server, namespace, {"advance": 365 * 24 * 3600})
    client = nabla_client(server, namespace)
    key = client["privateKey"]
    for exp, status in ((int(moved["epoch"]) + 300, 200), (int(moved["epoch"]) - 3600, 400),
                        (int(time.time()) - 3600, 400)):
        signed = jwt.encode({"iss": client["clientId"], "sub": client["clientId"], "aud": server.url + NABLA_TOKEN,
                             "exp": exp}, key, algorithm="RS256")
        got, _, body = server.request("POST", NABLA_TOKEN, {
            "grant_type": "client_credentials", "client_assertion_type": JWT_BEARER, "client_assertion": signed,
        }, headers=ns(namespace))
        assert got == status, body
    assert body["name"] == "invalid_grant"
    assert body["message"] == "The client assertion's exp is missing or in the past (check your clock)."


class _Seeds(dict):
    def with_volume(self, vendor):
        return self[vendor]


class _StampingBackend:
    """A vendor that writes the time it was seeded at into its state."""

    def __init__(self, state, source, seed, settings):
        if not state.seeded:
            state.collection("stamps").put("seeded", source.now())
        self.state = state


def test_the_shared_template_is_seeded_on_the_process_clock_whatever_a_namespace_did():
    vendor = types.SimpleNamespace(NAME="stamp", URL_PREFIX="/stamp", Backend=_StampingBackend)
    store = Store([vendor], _Seeds(stamp={}), Clock(FROZEN))
    early = store.namespace("early")
    early.clock.set("1999-12-31T23:59:59Z")  # moved before any namespace used the vendor
    assert early.backend("stamp").state.collection("stamps").get("seeded") == Clock(FROZEN).now()
    assert store.namespace("late").backend("stamp").state.collection("stamps").get("seeded") == Clock(FROZEN).now()
