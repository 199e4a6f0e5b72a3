"""PATCH /{tenant}/{instance}/users/{userId}: partial merge, updatedAt moves, PROVISIONED rules."""

from datetime import timedelta

import pytest

from .conftest import ATTRIBUTES_ONLY, DOCS_USER, NOT_PROVISIONED_MSG, USER_NOT_FOUND, error, invalid

ERIN = "5d6addf9-e07c-499e-bc80-5995c84b67c1"  # ACTIVE


def test_partial_merge_of_a_provisioned_user_moves_updated_at(app, welkin):
    before = welkin.get_user(DOCS_USER).get_json()
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(minutes=1))
    response = welkin.update_user(DOCS_USER, firstName="Jordyn", timezone="America/Denver")
    assert response.status_code == 200
    expected = {
        **before,
        "firstName": "Jordyn",
        "timezone": "America/Denver",
        "updatedAt": "2025-01-15T10:31:00.000Z",
        # recorded on a user someone edited; here the API client that did, by its clientName (as
        # the recorded 403 names a client)
        "updatedByName": "your-api-client-key",
    }
    assert "updatedByName" not in before
    assert response.get_json() == expected
    assert welkin.get_user(DOCS_USER).get_json() == expected


def test_null_unsets_an_optional_field(welkin):
    user = welkin.update_user(DOCS_USER, credentials=None).get_json()
    assert "credentials" not in user and user["lastName"] == "Lee"


def test_role_replaces_the_primary_role_of_the_instance(welkin):
    roles = welkin.update_user(DOCS_USER, role="nurse").get_json()["roles"]
    assert [(r["permissionName"], r["instanceName"], r["primaryRole"]) for r in roles] == [
        ("nurse", "live", True)
    ]


def test_username_change_frees_the_old_one(welkin):
    assert welkin.update_user(DOCS_USER, username="jlee").status_code == 200
    created = welkin.create_user(
        firstName="J", lastName="L", email="new@acme-health.com", username="jordan.lee"
    )
    assert created.status_code == 201


def test_active_users_keep_all_but_their_attributes(welkin):
    response = welkin.update_user(ERIN, timezone="Europe/Paris", credentials="MD", firstName="Erin")
    assert response.status_code == 200
    assert (response.get_json()["timezone"], response.get_json()["credentials"]) == ("Europe/Paris", "MD")


@pytest.mark.parametrize(
    ("user_id", "body", "status", "expected"),
    [
        (
            ERIN,
            {"firstName": "E", "email": "e@acme-health.com", "timezone": "UTC"},
            400,
            [invalid("email", NOT_PROVISIONED_MSG), invalid("firstName", NOT_PROVISIONED_MSG)],
        ),
        (ERIN, {"role": "nurse"}, 400, [invalid("role", NOT_PROVISIONED_MSG)]),
        (
            DOCS_USER,
            {"email": "erin.stanchek@acme-health.com"},
            400,
            [
                error(
                    "USER_ALREADY_EXISTS",
                    "USER",
                    "User already exists",
                    {"email": "erin.stanchek@acme-health.com"},
                )
            ],
        ),
        (
            DOCS_USER,
            {"username": None, "phone": "12"},
            400,
            [invalid("username", "must not be blank"), invalid("phone", 'must match "^\\+[1-9]\\d{1,14}$"')],
        ),
        (DOCS_USER, {"role": "surgeon"}, 400, [invalid("role", "Security role doesn't exist: surgeon")]),
        ("00000000-0000-4000-8000-000000000000", {"firstName": "X"}, 404, USER_NOT_FOUND),
    ],
)
def test_invalid_updates_change_nothing(welkin, user_id, body, status, expected):
    before = welkin.list_users().get_json()
    response = welkin.update_user(user_id, body)
    assert (response.status_code, response.get_json()) == (status, expected)
    assert welkin.list_users().get_json() == before


def test_user_attributes_access_only_edits_users_past_provisioned(welkin_as):
    caller = welkin_as(ATTRIBUTES_ONLY)
    assert caller.update_user(ERIN, locale="fr").status_code == 200
    response = caller.update_user(DOCS_USER, locale="fr")
    assert response.status_code == 403
    assert response.get_json()[0]["errorCode"] == "ACCESS_FOR_API_CLIENT_RESTRICTED"
