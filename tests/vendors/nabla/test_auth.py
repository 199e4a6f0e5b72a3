"""Credentials per door (OAuth access token, Server Key) and the organization rate limit."""

import pytest

from .conftest import COPILOT, CORE, THROTTLED, UNAUTHORIZED, nabla_error

RATE_LIMITED = nabla_error("The organization has exceeded its API quota.", 85000, "ORGANIZATION_RATE_LIMITED")


@pytest.mark.parametrize("prefix", [CORE, COPILOT])
@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer ", "Basic abc", "Bearer nope"])
def test_missing_or_unknown_credentials_are_401(client, prefix, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get(f"{prefix}/users", headers=headers)
    assert (response.status_code, response.get_json()) == (401, UNAUTHORIZED)


def test_authentication_comes_before_body_validation(client):
    response = client.post(f"{CORE}/users", data=b"{", content_type="application/json")
    assert (response.status_code, response.get_json()) == (401, UNAUTHORIZED)


def test_a_server_key_does_not_open_the_core_api(client, credentials):
    # from 2024-10-01 on, long-lived Server Keys are no longer accepted
    headers = {"Authorization": f"Bearer {credentials['Example Health']['serverKey']}"}
    assert client.get(f"{CORE}/users", headers=headers).status_code == 401
    assert client.get(f"{COPILOT}/users", headers=headers).status_code == 200


def test_an_access_token_does_not_open_the_copilot_api(client, get_token):
    response = client.get(f"{COPILOT}/users", headers={"Authorization": f"Bearer {get_token()}"})
    assert (response.status_code, response.get_json()) == (401, UNAUTHORIZED)


def test_the_bearer_scheme_is_case_insensitive(client, get_token):
    assert client.get(f"{CORE}/users", headers={"Authorization": f"bearer {get_token()}"}).status_code == 200


def test_the_rate_limited_organization_gets_429_then_recovers(app, nabla_as):
    caller = nabla_as(THROTTLED)  # 3 requests per minute in the fixtures
    assert [caller.list_users().status_code for _ in range(3)] == [200, 200, 200]
    response = caller.list_users()
    assert (response.status_code, response.get_json()) == (429, RATE_LIMITED)
    assert response.headers["Retry-After"] == "60"
    app.extensions["vendor_sandbox.store"].clock.set("2025-01-15T10:31:00Z")
    assert caller.list_users().status_code == 200


def test_the_limit_is_per_organization(nabla_as):
    throttled = nabla_as(THROTTLED, door="copilot")
    for _ in range(4):
        throttled.list_users()
    assert throttled.list_users().status_code == 429
    assert nabla_as().list_users().status_code == 200
