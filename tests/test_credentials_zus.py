"""POST /_sandbox/credentials for Zus: app clients and users bound to a namespace, driven by a
real OAuth client library (Authlib) with no namespace header."""

import requests
from authlib.integrations.requests_client import OAuth2Session

from .credentials_live import NS, fresh, journal, listed, mint, server  # noqa: F401 (fixtures)

ACME = "5b0d6c1e-8a2f-4c7e-9f31-2e4a6b8c0d11"
RIVERSIDE = "9c3e7f20-1b4d-4a6e-8c5f-7d9e0a1b2c33"
AUDIENCE = "https://api.sandbox.zusapi.com"
FHIR = "application/fhir+json"
PRACTITIONER = {"resourceType": "Practitioner", "name": [{"family": "Bound", "given": ["Ada"]}]}
ENTRY_KEYS = {"name", "role", "builderId", "token", "clientId", "clientSecret"}


def session(server, entry, **kwargs):
    """An Authlib client-credentials session, as an application configures one: id, secret, URL."""
    client = OAuth2Session(entry["clientId"], entry["clientSecret"], **kwargs)
    client.fetch_token(server.url + "/zus/oauth/token", grant_type="client_credentials", audience=AUDIENCE)
    return client


def test_a_minted_app_client_gets_tokens_and_acts_in_its_namespace_only(server, fresh):
    a, b = fresh("a"), fresh("b")
    entry = mint(server, a, vendor="zus")
    assert set(entry) == ENTRY_KEYS
    assert (entry["name"], entry["role"], entry["builderId"]) == ("Minted app-client (Builder Admin)",
                                                                  "Builder Admin", ACME)
    assert len(entry["clientId"]) == 32 and len(entry["clientSecret"]) == 64
    assert [e["clientId"] for e in listed(server, a, "zus")].count(entry["clientId"]) == 1
    assert entry["clientId"] not in [e["clientId"] for e in listed(server, b, "zus")]

    client = session(server, entry)  # HTTP Basic, Authlib's default
    created = client.post(server.url + "/zus/fhir/Practitioner", json=PRACTITIONER, headers={"Content-Type": FHIR})
    assert created.status_code == 201, created.text
    practitioner = f"/zus/fhir/Practitioner/{created.json()['id']}"
    # a header naming another namespace changes nothing: the credential decides
    assert client.get(server.url + practitioner, headers={NS: b}).status_code == 200

    assert journal(server, a) == [("POST", "/zus/oauth/token", 200), ("POST", "/zus/fhir/Practitioner", 201),
                                  ("GET", practitioner, 200)]
    assert journal(server, b) == []
    seeded = listed(server, b, "zus")[0]["token"]  # Ada Admin of Acme, in namespace b
    unseen = requests.get(server.url + practitioner, headers={"Authorization": f"Bearer {seeded}", NS: b}, timeout=10)
    assert unseen.status_code == 404


def test_a_minted_client_has_the_role_and_builder_asked_for(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="zus", builderId=RIVERSIDE, role="permissionless", name="CI client")
    assert (entry["name"], entry["role"], entry["builderId"]) == ("CI client", "Permissionless", RIVERSIDE)
    client = session(server, entry)
    assert client.get(server.url + "/zus/auth/users").status_code == 403


def test_a_minted_user_token_acts_in_its_namespace(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="zus", kind="user", role="Care Team User", email="bound@example.com")
    assert set(entry) == ENTRY_KEYS
    assert (entry["name"], entry["role"], entry["clientId"], entry["clientSecret"]) == (
        "Minted user (Care Team User)", "Care Team User", None, None)
    response = requests.get(server.url + "/zus/auth/roles", headers={"Authorization": f"Bearer {entry['token']}"},
                            timeout=10)
    assert response.status_code == 200
    assert journal(server, a) == [("GET", "/zus/auth/roles", 200)]
    # listed with a token valid now, like the fixture users
    assert entry["name"] in [e["name"] for e in listed(server, a, "zus") if e["token"]]


def test_an_existing_client_id_and_secret_are_registered_as_they_are(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="zus", clientId="MyAppClientFromDotEnv0000000001",
                 clientSecret="my-app-secret-from-dotenv")
    assert (entry["clientId"], entry["clientSecret"]) == ("MyAppClientFromDotEnv0000000001",
                                                          "my-app-secret-from-dotenv")
    # the secret in the form body this time (client_secret_post)
    client = session(server, entry, token_endpoint_auth_method="client_secret_post")
    assert client.get(server.url + "/zus/auth/roles").status_code == 200
    assert journal(server, a) == [("POST", "/zus/oauth/token", 200), ("GET", "/zus/auth/roles", 200)]


def test_a_token_request_without_a_json_content_type_is_bound_too(server, fresh):
    """Zus (Auth0) reads any body that is not a form as JSON; so does the binding."""
    a = fresh()
    entry = mint(server, a, vendor="zus")
    body = {"grant_type": "client_credentials", "client_id": entry["clientId"], "client_secret": entry["clientSecret"]}
    status, _, token = server.request("POST", "/zus/oauth/token", body, headers={"Content-Type": "text/plain"})
    assert status == 200
    assert set(token) == {"access_token", "scope", "token_type", "expires_in"}
    assert journal(server, a) == [("POST", "/zus/oauth/token", 200)]
