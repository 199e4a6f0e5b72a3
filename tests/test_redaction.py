"""Secrets never reach the journal or the dashboard: one list of names (redact.SECRET_NAMES), applied
to headers, query strings and JSON, form and unparsed bodies, in requests and responses."""

import base64

from vendor_sandbox import create_app

from .vendors.nabla.conftest import assertion, token_body

NS = "X-Sandbox-Namespace"
R = "[redacted]"
WELKIN = {"apiClient": "your-api-client-key", "secret": "your-api-client-secret"}
ZUS_ID, ZUS_SECRET = "AcmeBackendM2MClient0000000000a1", "acme-backend-secret-" + "0" * 44


def entries(client):
    return client.get("/_sandbox/requests").get_json()["requests"]


def test_welkin_secret_and_the_token_it_buys_are_redacted(client):
    reply = client.post("/welkin/auth/token", json=WELKIN)
    assert reply.status_code == 200
    (entry,) = entries(client)
    assert entry["body"] == {"apiClient": "your-api-client-key", "secret": R}
    assert entry["responseBody"]["token"] == R
    assert reply.get_json()["token"] not in str(entry)


def test_a_zus_form_token_request_is_journaled_with_client_secret_and_access_token_redacted(client):
    reply = client.post("/zus/oauth/token", data={"grant_type": "client_credentials", "client_id": ZUS_ID,
                                                  "client_secret": ZUS_SECRET})
    assert reply.status_code == 200
    (entry,) = entries(client)
    assert entry["body"] == {"grant_type": ["client_credentials"], "client_id": [ZUS_ID],
                             "client_secret": [R]}
    assert entry["responseBody"]["access_token"] == R
    assert ZUS_SECRET not in str(entry) and reply.get_json()["access_token"] not in str(entry)


def test_zus_basic_credentials_are_redacted_in_the_authorization_header(client):
    basic = base64.b64encode(f"{ZUS_ID}:{ZUS_SECRET}".encode()).decode()
    client.post("/zus/oauth/token", data={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {basic}"})
    (entry,) = entries(client)
    assert entry["headers"]["Authorization"] == R
    assert basic not in str(entry)


def test_nabla_client_assertion_and_access_token_are_redacted(client):
    credential = client.get("/_sandbox/credentials").get_json()["nabla"][0]
    signed = assertion(credential)
    reply = client.post("/nabla/v1/core/server/oauth/token", json=token_body(signed))
    assert reply.status_code == 200, reply.get_json()
    (entry,) = entries(client)
    assert entry["body"]["client_assertion"] == R
    assert entry["responseBody"]["access_token"] == R
    assert signed not in str(entry) and reply.get_json()["access_token"] not in str(entry)


def test_secret_headers_and_query_values_are_redacted_in_the_journal_and_the_dashboard(client):
    client.get("/hipp/api/v1/users?access_token=qs-secret&refresh_token=r1&pageSize=5",
               headers={"Authorization": "Bearer your-api-key", "X-Api-Key": "k-secret",
                        "X-Sandbox-Admin-Token": "admin-secret"})
    (entry,) = entries(client)
    assert entry["query"] == {"access_token": [R], "refresh_token": [R], "pageSize": ["5"]}
    names = ("Authorization", "X-Api-Key", "X-Sandbox-Admin-Token")
    assert {name: entry["headers"][name] for name in names} == dict.fromkeys(names, R)
    page = client.get("/_sandbox/").get_data(as_text=True)
    assert "/hipp/api/v1/users?access_token=[redacted]&amp;refresh_token=[redacted]&amp;pageSize=5" in page
    for secret in ("qs-secret", "r1", "k-secret", "admin-secret"):
        assert secret not in str(entry)
    assert "qs-secret" not in page


def test_passwords_are_redacted_at_any_depth_and_in_a_body_cut_at_the_journal_limit():
    app = create_app({"TESTING": True, "JOURNAL_BODY_LIMIT": 60})
    client = app.test_client()
    client.post("/nabla/v1/core/server/users", json={"metadata": {"password": "p-secret"}})
    cut_short = '{"user": {"password": "p2-secret", "padding": "' + "x" * 100
    client.post("/nabla/v1/core/server/users", data=cut_short, content_type="application/json")
    first, cut = entries(client)
    assert first["body"] == {"metadata": {"password": R}}
    assert cut["body"].startswith('{"user": {"password": "[redacted]", "padding": "xxx')
    assert "p2-secret" not in cut["body"]
