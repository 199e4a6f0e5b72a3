"""POST /_sandbox/credentials itself: bad bodies, taken credentials, and bindings across resets,
drops and snapshots, over a live server."""

import json

import pytest
import requests

from .credentials_live import NS, fresh, journal, listed, mint, server, state  # noqa: F401 (fixtures)
from .live import LiveServer, console_script

USERS = "/hipp/api/v1/users"


def post(server, namespace, body=None, raw=None):
    return server.request("POST", "/_sandbox/credentials", body, headers={NS: namespace}, raw=raw)


def invalid(message):
    return {"error": {"code": "invalid_credentials", "message": message}}


def hipp_get(server, key, **headers):
    return requests.get(server.url + USERS, headers={"Authorization": f"Bearer {key}", **headers}, timeout=10)


VENDOR_HINT = 'expected a JSON object such as {"vendor": "hipp"}; vendor is one of: hipp, nabla, welkin, zus'
BAD_BODIES = [
    (None, VENDOR_HINT),
    ([], VENDOR_HINT),
    ({}, VENDOR_HINT),
    ({"vendor": "acme"}, VENDOR_HINT),
    ({"vendor": "hipp", "colour": "red"},
     "unknown fields: colour; this vendor takes: apiKey, name, organization, role"),
    ({"vendor": "hipp", "role": "ROOT"}, None),
    ({"vendor": "hipp", "organization": "org_nope"}, None),
    ({"vendor": "hipp", "apiKey": "has space"}, "apiKey must be printable ASCII without spaces"),
    ({"vendor": "hipp", "name": 7}, "name must be a non-empty string"),
    ({"vendor": "zus", "kind": "robot"}, "kind must be one of: app-client, user"),
    ({"vendor": "zus", "role": "Overlord"}, None),
    ({"vendor": "zus", "builderId": "nope"}, None),
    ({"vendor": "zus", "clientId": "AbcClient"}, "give clientId and clientSecret together, or neither to mint fresh ones"),
    ({"vendor": "zus", "kind": "user", "clientId": "x", "clientSecret": "y"},
     "type, clientId and clientSecret are for kind app-client"),
    ({"vendor": "zus", "kind": "user", "email": "not-an-email"}, "email must be an e-mail address"),
    ({"vendor": "zus", "email": "a@example.com"}, "email is for kind user"),
    ({"vendor": "nabla", "clientId": "not-a-uuid"}, "clientId must be a UUID"),
    ({"vendor": "nabla", "publicKey": "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n"},
     "publicKey must be an RSA public key in PEM (-----BEGIN PUBLIC KEY-----)"),
    ({"vendor": "nabla", "publicKey": "x", "jwksUrl": "http://127.0.0.1/jwks"},
     "give publicKey or jwksUrl, not both (neither: a fresh key pair)"),
    ({"vendor": "nabla", "organization": "nope"}, None),
    ({"vendor": "welkin", "tenant": "nope"}, "tenant must be one of: acme-health, gh"),
    ({"vendor": "welkin", "instances": ["live", "live"]},
     "instances must be a non-empty list of distinct values among: live, sandbox, staging"),
    ({"vendor": "welkin", "instances": []},
     "instances must be a non-empty list of distinct values among: live, sandbox, staging"),
    ({"vendor": "welkin", "permissions": ["ROOT"]}, "permissions must be a non-empty list of distinct values among: "
     "USER_PROVISION, USER_ATTRIBUTES, USER_SECURITY, USER_REGIONS"),
    ({"vendor": "welkin", "secret": "s"}, "give apiClient and secret together, or neither to mint fresh ones"),
]


@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_a_bad_body_is_a_400_and_writes_nothing(server, fresh, body, message):
    a = fresh()
    before = json.dumps(state(server, a), sort_keys=True)
    status, headers, answer = post(server, a, raw=json.dumps(body).encode())
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    assert answer["error"]["code"] == "invalid_credentials"
    if message is not None:
        assert answer == invalid(message)
    assert json.dumps(state(server, a), sort_keys=True) == before


def test_a_body_that_is_not_json_is_a_400(server, fresh):
    status, _, answer = post(server, fresh(), raw=b"vendor=hipp")
    assert (status, answer) == (400, invalid(VENDOR_HINT))


@pytest.mark.parametrize("body", [
    {"vendor": "hipp", "apiKey": "hipp_test_admin"},
    {"vendor": "zus", "clientId": "AcmeBackendM2MClient0000000000a1", "clientSecret": "x"},
    {"vendor": "nabla", "clientId": "0b6e2c1a-3f4d-4e5a-9b8c-7d6e5f4a3b21"},
    {"vendor": "nabla", "serverKey": "sk_test_example_health_0f8a2c4e6b1d3f5a"},
    {"vendor": "welkin", "apiClient": "your-api-client-key", "secret": "x"},
])
def test_a_credential_that_exists_already_is_a_409(server, fresh, body):
    """A seeded credential is every namespace's: binding it would take it from all of them."""
    a = fresh()
    before = json.dumps(state(server, a), sort_keys=True)
    status, _, answer = post(server, a, body)
    assert status == 409
    assert answer["error"]["code"] == "credential_exists"
    assert json.dumps(state(server, a), sort_keys=True) == before


def test_a_credential_bound_to_another_namespace_is_a_409_until_that_one_is_dropped(server, fresh):
    a, b = fresh("a"), fresh("b")
    mint(server, a, vendor="hipp", apiKey="shared-config-key")
    status, _, answer = post(server, b, {"vendor": "hipp", "apiKey": "shared-config-key"})
    assert (status, answer) == (409, {"error": {"code": "credential_exists", "message":
                                                "hipp credential 'key:shared-config-key' is already bound to a "
                                                "namespace"}})
    assert "shared-config-key" not in [e["apiKey"] for e in listed(server, b, "hipp")]
    assert server.request("DELETE", "/_sandbox/namespace", headers={NS: a})[0] == 204
    mint(server, b, vendor="hipp", apiKey="shared-config-key")
    assert hipp_get(server, "shared-config-key").status_code == 200
    assert journal(server, b) == [("GET", USERS, 200)]


def test_a_reset_forgets_the_namespace_s_credentials(server, fresh):
    a = fresh()
    key = mint(server, a, vendor="hipp")["apiKey"]
    assert server.request("POST", "/_sandbox/reset", {"vendor": "hipp"}, headers={NS: a})[0] == 200
    assert hipp_get(server, key).status_code == 401
    assert journal(server, a) == [], "unbound: the request went to the default namespace"
    mint(server, fresh(), vendor="hipp", apiKey=key)  # free to register again


def test_minted_credentials_survive_a_snapshot_round_trip(server, fresh):
    a, c = fresh("a"), fresh("c")
    hipp = mint(server, a, vendor="hipp")["apiKey"]
    welkin = mint(server, a, vendor="welkin")
    snapshot = state(server, a)
    assert server.request("DELETE", "/_sandbox/namespace", headers={NS: a})[0] == 204
    assert hipp_get(server, hipp).status_code == 401

    assert server.request("PUT", "/_sandbox/state", snapshot, headers={NS: a})[0] == 200
    assert hipp_get(server, hipp).status_code == 200
    token = requests.post(f"{server.url}/welkin/auth/token", timeout=10,
                          json={"apiClient": welkin["apiClient"], "secret": welkin["secret"]})
    assert token.status_code == 200
    assert journal(server, a) == [("GET", USERS, 200), ("POST", "/welkin/auth/token", 200)]

    # imported elsewhere, the credentials move with the snapshot
    assert server.request("PUT", "/_sandbox/state", snapshot, headers={NS: c})[0] == 200
    assert hipp_get(server, hipp).status_code == 200
    assert journal(server, c) == [("GET", USERS, 200)]


def test_unbound_credentials_still_follow_the_header(server, fresh):
    a = fresh()
    mint(server, a, vendor="hipp")
    assert hipp_get(server, "hipp_test_admin", **{NS: a}).status_code == 200
    assert journal(server, a) == [("GET", USERS, 200)]


def test_minting_needs_the_admin_token_when_one_is_set():
    live = LiveServer([*console_script(), "serve"], env={"SANDBOX_ADMIN_TOKEN": "s3cret"}).wait_ready()
    try:
        status, _, answer = live.request("POST", "/_sandbox/credentials", {"vendor": "hipp"})
        assert (status, answer["error"]["code"]) == (401, "admin_token_required")
        status, _, entry = live.request("POST", "/_sandbox/credentials", {"vendor": "hipp"},
                                        headers={"X-Sandbox-Admin-Token": "s3cret"})
        assert status == 201
        assert hipp_get(live, entry["apiKey"]).status_code == 200
    finally:
        live.stop()


def test_racing_registrations_of_one_key_bind_it_once(server, fresh):
    from concurrent.futures import ThreadPoolExecutor

    names = [fresh(f"race{i}") for i in range(8)]
    with ThreadPoolExecutor(len(names)) as pool:
        statuses = list(pool.map(lambda ns: post(server, ns, {"vendor": "welkin", "apiClient": "RACEDCLIENT",
                                                              "secret": "s"})[0], names))
    assert sorted(statuses) == [201] + [409] * 7
    (winner,) = [ns for ns, status in zip(names, statuses, strict=True) if status == 201]
    holders = [ns for ns in names if "RACEDCLIENT" in [e["apiClient"] for e in listed(server, ns, "welkin")]]
    assert holders == [winner], "the losers wrote nothing"
    token = requests.post(f"{server.url}/welkin/auth/token", json={"apiClient": "RACEDCLIENT", "secret": "s"},
                          timeout=10)
    assert token.status_code == 200
    assert journal(server, winner) == [("POST", "/welkin/auth/token", 200)]
