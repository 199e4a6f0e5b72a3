"""The User API's POST /v1/core/user/jwt/refresh: the pair jwt/authenticate returns is refreshable,
unauthenticated, with `{"refresh_token"}` in the body and a new `{access_token, refresh_token}` back."""

import base64
import json
import time
import urllib.request
from datetime import timedelta

import jwt
import pytest

from ...live import LiveServer, console_script
from .conftest import (
    CORE,
    DEACTIVATED_ID,
    DOCS_USER_ID,
    EXAMPLE,
    NOW,
    assertion,
    nabla_error,
    token_body,
)

REFRESH = "/nabla/v1/core/user/jwt/refresh"
INVALID = nabla_error("Missing or invalid refresh token.", 401, "UNAUTHORIZED")


def refresh(client, token, **kwargs):
    return client.post(REFRESH, json={"refresh_token": token}, **kwargs)


@pytest.fixture
def pair(nabla):
    return nabla.authenticate_user(DOCS_USER_ID, {}).get_json()


def test_the_authenticate_pair_is_refreshable_and_so_is_the_new_one(app, client, pair):
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(minutes=4))
    response = refresh(client, pair["refresh_token"])
    assert response.status_code == 200
    fresh = response.get_json()
    assert list(fresh) == ["access_token", "refresh_token"] and fresh != pair
    access = jwt.decode(fresh["access_token"], options={"verify_signature": False})
    refreshed = jwt.decode(fresh["refresh_token"], options={"verify_signature": False})
    assert access["sub"] == refreshed["sub"] == DOCS_USER_ID.lower()
    # 5-minute access tokens, 30-day refresh tokens, from the moment of the refresh
    assert (access["exp"], refreshed["exp"]) == (NOW + 240 + 300, NOW + 240 + 30 * 24 * 3600)
    assert refresh(client, fresh["refresh_token"]).status_code == 200
    # no rotation: the first refresh token lasts its 30 days (logout, which revokes it, is not emulated)
    assert refresh(client, pair["refresh_token"]).status_code == 200


def test_it_needs_no_authentication_and_ignores_an_authorization_header(client, pair):
    assert refresh(client, pair["refresh_token"], headers={"Authorization": "Bearer nonsense"}).status_code == 200


@pytest.mark.parametrize("token", ["garbage", "", "a.b.c"])
def test_a_token_that_is_not_ours_is_401(client, token):
    response = refresh(client, token)
    assert (response.status_code, response.get_json()) == (401, INVALID)


def test_an_access_token_is_not_a_refresh_token(client, pair):
    response = refresh(client, pair["access_token"])
    assert (response.status_code, response.get_json()) == (401, INVALID)


def test_an_expired_refresh_token_is_jwt_expired(app, client, pair):
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(days=30))
    response = refresh(client, pair["refresh_token"])
    assert (response.status_code, response.get_json()) == (401, nabla_error(
        "Invalid JWT token: The Token has expired on Fri Feb 14 10:30:00 GMT 2025.", 50025, "JWT_EXPIRED"))


def test_a_deactivated_user_cannot_refresh(nabla, client, pair):
    nabla.deactivate(DOCS_USER_ID)
    response = refresh(client, pair["refresh_token"])
    assert (response.status_code, response.get_json()) == (
        403, nabla_error("The user is deactivated.", 403, "HTTP_FORBIDDEN"))
    nabla.activate(DOCS_USER_ID)
    assert refresh(client, pair["refresh_token"]).status_code == 200
    assert nabla.authenticate_user(DEACTIVATED_ID, {}).status_code == 403


def test_a_token_of_another_namespace_is_401(client, pair):
    response = refresh(client, pair["refresh_token"], headers={"X-Sandbox-Namespace": "elsewhere"})
    assert (response.status_code, response.get_json()) == (401, INVALID)


@pytest.mark.parametrize(("body", "path"), [
    (None, "$"), ([], "$"), ({}, "$.refresh_token"), ({"refresh_token": 7}, "$.refresh_token"),
])
def test_the_body_must_carry_the_refresh_token_string(client, body, path):
    response = client.post(REFRESH, data=b"" if body is None else json.dumps(body), content_type="application/json")
    assert (response.status_code, response.get_json()) == (400, nabla_error(f"Unable to parse JSON at path {path}"))


@pytest.fixture(scope="module")
def live():
    server = LiveServer([*console_script(), "serve", "--threads", "4"]).wait_ready()
    yield server
    server.stop()


def _post(url, body, headers):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def _exp(token):
    """What Nabla's sample front-end reads of a token: `exp`, from the base64url payload."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]


def test_the_sample_front_ends_refresh_over_http(live):
    """Nabla's sample web app keeps its session by POSTing {refresh_token} to {region}.api.nabla.com
    /v1/core/user/jwt/refresh with only Content-Type and X-Nabla-Api-Version, then stores both tokens."""
    credential = next(c for c in live.request("GET", "/_sandbox/credentials")[2]["nabla"]
                      if c["name"].startswith(EXAMPLE))
    token_url = f"{live.url}{CORE}/oauth/token"
    _, server = _post(token_url, token_body(_live_assertion(credential, token_url)), {})
    bearer = {"Authorization": f"Bearer {server['access_token']}"}
    _, pair = _post(f"{live.url}{CORE}/jwt/authenticate/{DOCS_USER_ID}", {}, bearer)
    status, fresh = _post(f"{live.url}{REFRESH}", {"refresh_token": pair["refresh_token"]},
                          {"X-Nabla-Api-Version": "2026-04-24"})
    assert status == 200 and set(fresh) == {"access_token", "refresh_token"}
    assert _exp(fresh["access_token"]) - time.time() >= 5  # the sample's test for "expired or expiring soon"
    assert _exp(fresh["refresh_token"]) - _exp(fresh["access_token"]) == 30 * 24 * 3600 - 300


def _live_assertion(credential, token_url):
    now = int(time.time())
    return assertion(credential, aud=token_url, iat=now, exp=now + 60)
