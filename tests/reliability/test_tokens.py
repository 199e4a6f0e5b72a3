"""Token expiry on the sandbox clock (moved with POST /_sandbox/clock), and Zus app-client secrets
that stop working once rotated."""

import pytest

from ..vendors.nabla.conftest import nabla_error
from ..vendors.zus.conftest import ACME_BACKEND, AUDIENCE
from ..vendors.zus.conftest import error as zus_error
from .conftest import ClientHttp, create_app, login

FROZEN = "2025-01-15T10:30:00Z"
HOUR = 3600


@pytest.fixture
def http():
    return ClientHttp(create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "SEED": 0}))


def advance(http, seconds):
    reply = http.request("POST", "/_sandbox/clock", body={"advance": seconds})
    assert reply.status == 200, reply.text
    return reply.json


def test_the_clock_reads_and_moves(http):
    assert http.request("GET", "/_sandbox/clock").json == {
        "now": "2025-01-15T10:30:00.000Z", "epoch": 1736937000.0, "frozen": True}
    assert advance(http, 90.5)["now"] == "2025-01-15T10:31:30.500Z"
    moved = http.request("POST", "/_sandbox/clock", body={"set": "2030-01-01T00:00:00Z"})
    assert moved.json == {"now": "2030-01-01T00:00:00.000Z", "epoch": 1893456000.0, "frozen": True}


def test_an_unfrozen_clock_freezes_where_it_is_moved_to():
    http = ClientHttp(create_app({"TESTING": True}))
    assert http.request("GET", "/_sandbox/clock").json["frozen"] is False
    assert advance(http, 0)["frozen"] is True


@pytest.mark.parametrize("body", [
    None, [], {}, {"advance": "60"}, {"advance": True}, {"advance": 1e300}, {"set": 5}, {"set": "soon"},
    {"advance": 1, "set": FROZEN}, {"rewind": 5},
])
def test_a_bad_clock_move_is_a_400_and_moves_nothing(http, body):
    # JSON even without a body: a body-less call without it is refused before the clock sees it
    reply = http.request("POST", "/_sandbox/clock", body=body, headers={"Content-Type": "application/json"})
    assert reply.status == 400
    assert reply.json["error"]["code"] == "invalid_clock"
    assert http.request("GET", "/_sandbox/clock").json["now"] == "2025-01-15T10:30:00.000Z"


def test_moving_the_clock_needs_the_admin_token_when_one_is_set():
    http = ClientHttp(create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "ADMIN_TOKEN": "s3cret"}))
    assert http.request("POST", "/_sandbox/clock", body={"advance": 60}).status == 401
    assert http.request("GET", "/_sandbox/clock").status == 401
    reply = http.request("POST", "/_sandbox/clock", body={"advance": 60}, headers={"X-Sandbox-Admin-Token": "s3cret"})
    assert reply.json["now"] == "2025-01-15T10:31:00.000Z"


# (door, a read it may make, the vendor's answer once its token has expired)
EXPIRED = {
    "nabla": ("/nabla/v1/core/server/users", 401, nabla_error(
        "Invalid JWT token: The Token has expired on Wed Jan 15 11:30:00 GMT 2025.", 50025, "JWT_EXPIRED")),
    "welkin": ("/welkin/acme-health/live/users", 401, [{
        "errorCode": "TOKEN_EXPIRED", "componentType": "AUTH", "message": "JWT token is expired", "details": {},
        "date": "2025-01-15T11:30:00.000Z"}]),
    "zus": ("/zus/auth/users", 401, {"errors": [zus_error(401, "token expired")]}),
}


@pytest.mark.parametrize("door", EXPIRED)
def test_a_token_works_for_its_hour_and_not_a_second_more(http, door):
    path, status, body = EXPIRED[door]
    headers = login(http)[door]
    advance(http, HOUR - 1)
    assert http.request("GET", path, headers=headers).status == 200
    advance(http, 1)
    reply = http.request("GET", path, headers=headers)
    assert (reply.status, reply.json) == (status, body)


def test_hipp_api_keys_do_not_expire(http):
    headers = login(http)["hipp"]
    advance(http, 10 * 365 * 24 * HOUR)
    assert http.request("GET", "/hipp/api/v1/users", headers=headers).status == 200


def zus_token(http, secret):
    return http.request("POST", "/zus/oauth/token", body={
        "grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"], "client_secret": secret,
        "audience": AUDIENCE})


def test_a_rotated_zus_secret_stops_working_at_once_and_the_new_one_works(http):
    admin = login(http)["zus"]
    assert zus_token(http, ACME_BACKEND["clientSecret"]).status == 200
    rotated = http.request("POST", f"/zus/auth/app-clients/{ACME_BACKEND['id']}/rotate-secret", headers=admin)
    new_secret = rotated.json["data"]["attributes"]["clientSecret"]
    old = zus_token(http, ACME_BACKEND["clientSecret"])
    assert (old.status, old.json) == (401, {"error": "access_denied", "error_description": "Unauthorized"})
    fresh = zus_token(http, new_secret)
    assert fresh.status == 200
    # and the token of the new secret reads as that app client (Builder Admin of Acme)
    reply = http.request("GET", "/zus/auth/roles", headers={"Authorization": f"Bearer {fresh.json['access_token']}"})
    assert reply.status == 200


def test_a_zus_token_is_refused_once_its_principal_loses_its_role(http):
    """Assigning Permissionless revokes a user's access on the next request, before expiry."""
    logins = login(http)
    carla = next(c for c in http.request("GET", "/_sandbox/credentials").json["zus"] if c["name"] == "Carla Care")
    headers = {"Authorization": f"Bearer {carla['token']}"}
    assert http.request("GET", "/zus/auth/roles", headers=headers).status == 200
    permissionless = "2b8c3e74-5d9f-4a3b-8ae4-7f6b8a9c0d03"
    http.request("PATCH", "/zus/auth/users/f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b62", headers=logins["zus"], body={
        "data": {"type": "auth/users", "id": "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b62",
                 "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": permissionless}}}}})
    assert http.request("GET", "/zus/auth/roles", headers=headers).status == 403
