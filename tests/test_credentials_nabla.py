"""POST /_sandbox/credentials for Nabla: OAuth clients (a fresh key pair, the caller's own public
key, or a JWKS URL on loopback) and Server Keys bound to a namespace. Assertions are signed by a
real OAuth library (Authlib's RFC 7523 private_key_jwt) with the wall clock, keys made by joserfc."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.jwk import RSAKey

from .credentials_live import NS, fresh, journal, listed, mint, server  # noqa: F401 (fixtures)

TOKEN = "/nabla/v1/core/server/oauth/token"
USERS = "/nabla/v1/core/server/users"
COPILOT_USERS = "/nabla/v1/copilot-api/server/users"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
EXAMPLE_HEALTH = "5f0c6a52-8f3e-4d1a-9b2c-1e7d3a4b5c60"
LEGACY_CLINIC = "7a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6"


def access_token(server, client_id, private_key, **headers):
    """What an application does: sign an assertion for the token URL it is configured with (its
    exp 5 minutes ahead, as Nabla asks), and trade it for an access token."""
    key = private_key if isinstance(private_key, RSAKey) else RSAKey.import_key(private_key)
    assertion = private_key_jwt_sign(key, client_id, server.url + TOKEN, expires_in=300,
                                     header={"alg": "RS256", **headers})
    response = requests.post(server.url + TOKEN, json={"grant_type": "client_credentials",
                                                       "client_assertion_type": JWT_BEARER,
                                                       "client_assertion": assertion}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token, **headers):
    return {"Authorization": f"Bearer {token}", **headers}


def test_a_minted_client_signs_in_and_acts_in_its_namespace_only(server, fresh):
    a, b = fresh("a"), fresh("b")
    entry = mint(server, a, vendor="nabla")
    assert set(entry) == {"name", "serverKey", "clientId", "privateKey"}
    assert entry["name"] == "Minted client (Example Health)"
    assert entry["privateKey"].startswith("-----BEGIN PRIVATE KEY-----\n")
    assert entry in listed(server, a, "nabla")
    assert entry not in listed(server, b, "nabla")

    token = access_token(server, entry["clientId"], entry["privateKey"])
    created = requests.post(server.url + USERS, json={"external_id": "bound-1"}, headers=bearer(token), timeout=10)
    assert created.status_code == 200, created.text
    user = f"{USERS}/{created.json()['id']}"
    assert requests.get(server.url + user, headers=bearer(token, **{NS: b}), timeout=10).status_code == 200
    assert journal(server, a) == [("POST", TOKEN, 200), ("POST", USERS, 200), ("GET", user, 200)]
    assert journal(server, b) == []
    # the same organization's fixture client, in namespace b, does not see the user
    fixture = listed(server, b, "nabla")[0]
    other = requests.post(server.url + TOKEN, headers={NS: b}, timeout=10, json={
        "grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
        "client_assertion": private_key_jwt_sign(RSAKey.import_key(fixture["privateKey"]), fixture["clientId"],
                                                 server.url + TOKEN, expires_in=300)}).json()["access_token"]
    unseen = requests.get(server.url + user, headers=bearer(other, **{NS: b}), timeout=10)
    assert unseen.status_code == 404
    assert unseen.json()["name"] == "ENTITY_NOT_FOUND"


def test_the_server_key_reaches_the_archived_copilot_api_in_the_namespace(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="nabla", organization=LEGACY_CLINIC)
    assert entry["name"] == "Minted client (Legacy Clinic)"
    response = requests.get(server.url + COPILOT_USERS, headers=bearer(entry["serverKey"]), timeout=10)
    assert response.status_code == 200
    assert journal(server, a) == [("GET", COPILOT_USERS, 200)]


def test_an_existing_client_id_with_its_own_public_key_is_registered(server, fresh):
    a = fresh()
    key = RSAKey.generate_key(2048)
    client_id = "9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    entry = mint(server, a, vendor="nabla", clientId=client_id.upper(), publicKey=key.as_pem(private=False).decode(),
                 serverKey="sk_my_existing_server_key")
    assert entry == {"name": "Minted client (Example Health)", "serverKey": "sk_my_existing_server_key",
                     "clientId": client_id, "privateKey": None}
    token = access_token(server, client_id, key)
    assert requests.get(server.url + USERS, headers=bearer(token), timeout=10).status_code == 200
    assert requests.get(server.url + COPILOT_USERS, headers=bearer("sk_my_existing_server_key"),
                        timeout=10).status_code == 200
    assert journal(server, a) == [("POST", TOKEN, 200), ("GET", USERS, 200), ("GET", COPILOT_USERS, 200)]


class JwksServer:
    """The caller's own JWKS, served on loopback; `keys` can rotate between requests."""

    def __init__(self, keys):
        self.keys = keys
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"keys": [k.as_dict(private=False) for k in outer.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def jwks():
    served = JwksServer([RSAKey.generate_key(2048, parameters={"kid": "first"})])
    yield served
    served.close()


def test_a_jwks_url_on_loopback_is_fetched_when_an_assertion_is_checked(server, fresh, jwks):
    a = fresh()
    entry = mint(server, a, vendor="nabla", jwksUrl=jwks.url)
    assert entry["privateKey"] is None
    first = jwks.keys[0]
    token = access_token(server, entry["clientId"], first, kid="first")
    assert requests.get(server.url + USERS, headers=bearer(token), timeout=10).status_code == 200
    # rotated at the caller: the new key works at once, the old one no longer
    second = RSAKey.generate_key(2048, parameters={"kid": "second"})
    jwks.keys = [second]
    access_token(server, entry["clientId"], second, kid="second")
    stale = private_key_jwt_sign(first, entry["clientId"], server.url + TOKEN, expires_in=300,
                                 header={"alg": "RS256", "kid": "first"})
    refused = requests.post(server.url + TOKEN, json={"grant_type": "client_credentials",
                                                      "client_assertion_type": JWT_BEARER,
                                                      "client_assertion": stale}, timeout=10)
    assert refused.status_code == 401
    assert {k: v for k, v in refused.json().items() if k not in ("trace_id", "traceId")} == {
        "message": "Unable to find the client assertion's key in the OAuth client's JWKS.", "code": 401,
        "name": "invalid_client", "debuggingHints": []}
    assert [entry[2] for entry in journal(server, a)] == [200, 200, 200, 401]


@pytest.mark.parametrize("broken", ["empty", "not-a-jwk-set", "unreachable"])
def test_a_jwks_that_cannot_give_the_key_is_invalid_client(server, fresh, broken):
    key = RSAKey.generate_key(2048, parameters={"kid": "k"})
    served = JwksServer([] if broken == "empty" else [key])
    if broken == "not-a-jwk-set":
        served.keys = [type("NotAKey", (), {"as_dict": lambda self, private: "nope"})()]
    url = served.url
    if broken == "unreachable":
        served.close()
    try:
        entry = mint(server, fresh(), vendor="nabla", jwksUrl=url)
        assertion = private_key_jwt_sign(key, entry["clientId"], server.url + TOKEN, expires_in=300,
                                         header={"alg": "RS256", "kid": "k"})
        response = requests.post(server.url + TOKEN, json={"grant_type": "client_credentials",
                                                           "client_assertion_type": JWT_BEARER,
                                                           "client_assertion": assertion}, timeout=20)
    finally:
        if broken != "unreachable":
            served.close()
    assert response.status_code == 401
    assert {k: v for k, v in response.json().items() if k not in ("trace_id", "traceId")} == {
        "message": "Unable to find the client assertion's key in the OAuth client's JWKS.", "code": 401,
        "name": "invalid_client", "debuggingHints": []}


@pytest.mark.parametrize("url", ["http://example.com/jwks.json", "https://10.0.0.1/jwks", "ftp://127.0.0.1/jwks",
                                 "http:///jwks"])
def test_a_jwks_url_off_loopback_is_refused(server, fresh, url):
    a = fresh()
    status, _, body = server.request("POST", "/_sandbox/credentials", {"vendor": "nabla", "jwksUrl": url},
                                     headers={NS: a})
    assert (status, body) == (400, {"error": {"code": "invalid_credentials", "message":
                                              "jwksUrl must be an http(s) URL on loopback (localhost, 127.0.0.0/8 "
                                              "or [::1])"}})
    assert len(listed(server, a, "nabla")) == 3, "nothing written"
