"""The sandbox around Nabla: credentials, fake users by seed, namespaces, reset, determinism."""

import jwt

from vendor_sandbox import create_app

from .conftest import CORE, EXAMPLE, NOW, TOKEN_URL, nabla_error


def test_credentials_entry_shape(client):
    entries = client.get("/_sandbox/credentials").get_json()["nabla"]
    assert [e["name"] for e in entries] == ["Example Health (pinned 2026-04-24)", "Legacy Clinic (pinned 2024-04-22)",
                                            "Throttled Practice (pinned 2025-01-07)"]
    assert all(list(e) == ["name", "serverKey", "clientId", "privateKey"] for e in entries)
    assert all(e["privateKey"].startswith("-----BEGIN PRIVATE KEY-----") for e in entries)


def test_a_developers_own_signing_code_works_with_the_listed_private_key(client):
    # exactly Nabla's Python example, fed from /_sandbox/credentials
    entry = client.get("/_sandbox/credentials").get_json()["nabla"][0]
    client_id, private_key = entry["clientId"], entry["privateKey"]
    now = NOW
    signed = jwt.encode({"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "iat": now, "exp": now + 300},
                        private_key, algorithm="RS256", headers={"kid": "<KID_IF_JWKS>"})
    response = client.post(f"{CORE}/oauth/token", json={
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": signed})
    assert response.status_code == 200


def test_every_listed_server_key_opens_the_copilot_api(client):
    for entry in client.get("/_sandbox/credentials").get_json()["nabla"]:
        response = client.get("/nabla/v1/copilot-api/server/users",
                              headers={"Authorization": f"Bearer {entry['serverKey']}"})
        assert response.status_code == 200, entry["name"]


def test_namespaces_are_isolated_and_reset_restores_the_seed(client, nabla_as):
    a, b = nabla_as(namespace="a"), nabla_as(namespace="b")
    a.create_user({"external_id": "only-in-a"})
    assert a.find_user("only-in-a").status_code == 200
    assert b.find_user("only-in-a").get_json() == nabla_error("A 'copilot_api_user' entity was not found.",
                                                              20000, "ENTITY_NOT_FOUND")
    client.post("/_sandbox/reset", json={"vendor": "nabla"}, headers={"X-Sandbox-Namespace": "a"})
    assert a.find_user("only-in-a").status_code == 400


def test_an_access_token_is_bound_to_its_namespace(client, get_token):
    token = get_token()
    response = client.get(f"{CORE}/users", headers={"Authorization": f"Bearer {token}", "X-Sandbox-Namespace": "b"})
    assert response.status_code == 401


def test_fake_users_are_deterministic_by_seed(credentials):
    from .conftest import NablaCaller, assertion, token_body

    def listing(seed):
        client = create_app({"FAKE_USERS": 30, "SEED": seed, "FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client()
        token = client.post(f"{CORE}/oauth/token", json=token_body(assertion(credentials[EXAMPLE]))).get_json()
        caller = NablaCaller(client, CORE, token["access_token"])
        return caller.list_users(limit=100).get_json()

    first = listing(7)
    assert len(first["data"]) == 34
    assert first == listing(7)
    assert first != listing(8)


def test_same_seed_gives_byte_identical_answers(credentials):
    from .conftest import NablaCaller, assertion, token_body

    def created(seed):
        client = create_app({"SEED": seed, "FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client()
        token = client.post(f"{CORE}/oauth/token", json=token_body(assertion(credentials[EXAMPLE]))).get_json()
        return NablaCaller(client, CORE, token["access_token"]).create_user({}).get_data()

    assert created(3) == created(3)
    assert created(3) != created(4)
