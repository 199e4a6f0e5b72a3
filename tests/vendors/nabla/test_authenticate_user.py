"""POST /jwt/authenticate/{user_id}: a user's access and refresh tokens."""

import jwt
import pytest

from .conftest import (
    CORE,
    DEACTIVATED_ID,
    DOCS_USER_ID,
    LEGACY_USER_ID,
    NOT_FOUND,
    NOW,
    UNAUTHORIZED,
    nabla_error,
)


@pytest.mark.parametrize("body", [None, {}])
def test_tokens_for_an_active_user(nabla, body):
    response = nabla.authenticate_user(DOCS_USER_ID, body)
    assert response.status_code == 200
    tokens = response.get_json()
    assert list(tokens) == ["access_token", "refresh_token"]
    access = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    refresh = jwt.decode(tokens["refresh_token"], options={"verify_signature": False})
    assert access["sub"] == refresh["sub"] == DOCS_USER_ID.lower()
    # the User API's jwt/refresh: access tokens last 5 minutes, refresh tokens 30 days
    assert (access["exp"] - NOW, refresh["exp"] - NOW) == (300, 30 * 24 * 3600)


def test_a_deactivated_user_is_forbidden(nabla):
    response = nabla.authenticate_user(DEACTIVATED_ID, {})
    assert (response.status_code, response.get_json()) == (
        403, nabla_error("The user is deactivated.", 403, "HTTP_FORBIDDEN"))


def test_deactivating_takes_the_access_away(nabla):
    nabla.deactivate(DOCS_USER_ID)
    assert nabla.authenticate_user(DOCS_USER_ID, {}).status_code == 403
    nabla.activate(DOCS_USER_ID)
    assert nabla.authenticate_user(DOCS_USER_ID, {}).status_code == 200


def test_another_organizations_user_is_not_found(nabla):
    response = nabla.authenticate_user(LEGACY_USER_ID, {})
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


def test_a_user_token_does_not_open_the_server_api(client, nabla):
    user_token = nabla.authenticate_user(DOCS_USER_ID, {}).get_json()["access_token"]
    response = client.get(f"{CORE}/users", headers={"Authorization": f"Bearer {user_token}"})
    assert (response.status_code, response.get_json()) == (401, UNAUTHORIZED)


def test_through_the_copilot_door(copilot):
    assert copilot.authenticate_user(DOCS_USER_ID, {}).status_code == 200
