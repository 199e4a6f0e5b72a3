"""GET /{tenant}/{instance}/users/{userId}: one record by UUID."""

import uuid

import pytest

from .conftest import DOCS_USER, LEGACY_CLIENT, USER_NOT_FOUND


def test_recorded_record_shape_and_omitted_names(welkin):
    response = welkin.get_user("92cc5811-ff71-4101-915d-a419383db168")
    assert response.status_code == 200
    user = response.get_json()
    assert "firstName" not in user and "lastName" not in user
    assert user["statusType"] is None and user["userState"] == "PROVISIONED"
    assert (user["username"], user["email"], user["createdAt"]) == (
        "bar",
        "bar@foo.com",
        "2022-05-16T19:02:56.490Z",
    )


def test_users_are_tenant_level_so_every_instance_sees_them(welkin_as):
    assert welkin_as(instance="sandbox").get_user(DOCS_USER).get_json()["username"] == "jordan.lee"


@pytest.mark.parametrize("user_id", ["00000000-0000-4000-8000-000000000000", "jordan.lee", "me"])
def test_unknown_users_are_404(welkin, user_id):
    response = welkin.get_user(user_id)
    assert (response.status_code, response.get_json()) == (404, USER_NOT_FOUND)


def test_another_tenants_user_does_not_exist_here(welkin_as):
    gh = welkin_as(LEGACY_CLIENT, tenant="gh", instance="sb-demo")
    response = gh.get_user(DOCS_USER)
    assert (response.status_code, response.get_json()) == (404, USER_NOT_FOUND)


def test_every_user_id_is_a_uuid(welkin_as):
    """Clients parse ids (Django's UUIDField, say): a fixture id that is a docs placeholder breaks them."""
    for caller in (welkin_as(), welkin_as(LEGACY_CLIENT, tenant="gh")):
        users = caller.admin("GET", "users", query_string={"size": 1000}).get_json()["data"]
        assert users
        for user in users:
            assert str(uuid.UUID(user["id"])) == user["id"]
