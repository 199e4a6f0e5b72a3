"""PATCH /auth/users/{id}: JSON:API partial update; type and id must match the endpoint."""

from datetime import timedelta

import pytest

from .conftest import (
    CARLA,
    DANA_PRACTITIONER,
    NOW,
    RILEY,
    RIVERSIDE_ADMIN_ROLE,
    ROLES,
    SAM_PRACTITIONER,
    error,
)


def patch(user_id=CARLA, attributes=None, relationships=None, **data):
    body = {"type": "auth/users", "id": user_id, **data}
    if attributes is not None:
        body["attributes"] = attributes
    if relationships is not None:
        body["relationships"] = relationships
    return {"data": body}


def test_only_the_members_sent_change(app, zus):
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(seconds=60))
    response = zus.update_user(CARLA, patch(attributes={"name": "Carla C. Care"}))
    assert response.status_code == 200
    assert response.get_json() == {"data": {
        "type": "auth/users",
        "id": CARLA,
        "attributes": {"email": "carla.care@acme.example", "name": "Carla C. Care", "userType": "builder",
                       "createdAt": 1704884400, "updatedAt": NOW + 60},
        "relationships": zus.get_user(CARLA).get_json()["data"]["relationships"],
    }}
    assert zus.get_user(CARLA).get_json() == response.get_json()


def test_role_and_practitioner_change_and_null_unlinks(zus):
    body = zus.update_user(CARLA, patch(relationships={
        "auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Permissionless"]}},
        "fhir/practitioner": {"data": None}})).get_json()
    assert body["data"]["relationships"] == {
        "auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Permissionless"]}},
        "fhir/practitioner": {"data": None}}
    relinked = zus.update_user(CARLA, patch(relationships={
        "practitioner": {"data": {"type": "fhir/practitioner", "id": DANA_PRACTITIONER}}})).get_json()
    assert relinked["data"]["relationships"]["fhir/practitioner"]["data"]["id"] == DANA_PRACTITIONER


def test_an_email_change_frees_the_old_address(zus):
    assert zus.update_user(CARLA, patch(attributes={"email": "carla@acme.example"})).status_code == 200
    assert zus.list_users(**{"filter[email]": "carla@acme.example"}).get_json()["data"][0]["id"] == CARLA
    from .conftest import user_body

    assert zus.create_user(user_body(email="carla.care@acme.example")).status_code == 201


def test_an_empty_patch_changes_nothing(zus):
    before = zus.get_user(CARLA).get_json()
    assert zus.update_user(CARLA, patch()).get_json() == before


@pytest.mark.parametrize(
    ("user_id", "body", "status", "errors"),
    [
        (CARLA, {}, 400, [error(400, "data is required", "/data")]),
        (CARLA, {"data": {"type": "auth/users"}}, 400, [error(400, "id is required", "/data/id")]),
        (CARLA, patch(user_id=RILEY), 409, [error(409, f"id {RILEY} does not match the endpoint ({CARLA})")]),
        (CARLA, patch(type="auth/roles"), 409, [error(409, "type auth/roles does not match the endpoint (auth/users)")]),
        (RILEY, patch(user_id=RILEY), 404, [error(404, f"auth/users {RILEY} not found")]),
        (CARLA, patch(attributes={"email": "ada.admin@acme.example"}), 409,
         [error(409, "a user with email ada.admin@acme.example already exists")]),
        (CARLA, patch(attributes={"name": ""}), 400, [error(400, "name must not be empty", "/data/attributes/name")]),
        (CARLA, patch(relationships={"auth/roles": {"data": None}}), 400,
         [error(400, "exactly one role is required", "/data/relationships/auth~1roles")]),
        (CARLA, patch(relationships={"auth/roles": {"data": {"type": "auth/roles", "id": RIVERSIDE_ADMIN_ROLE}}}), 404,
         [error(404, f"auth/roles {RIVERSIDE_ADMIN_ROLE} not found in this builder")]),
        (CARLA, patch(relationships={"fhir/practitioner": {"data": {"type": "fhir/practitioner",
                                                                    "id": SAM_PRACTITIONER}}}), 404,
         [error(404, f"fhir/practitioner {SAM_PRACTITIONER} not found in this builder")]),
    ],
)
def test_invalid_patches_change_nothing(zus, user_id, body, status, errors):
    before = zus.get_user(CARLA).get_json()
    response = zus.update_user(user_id, body)
    assert (response.status_code, response.get_json()) == (status, {"errors": errors})
    assert zus.get_user(CARLA).get_json() == before


def test_only_builder_admins_may_patch(zus_as):
    response = zus_as("Acme Data Integration").update_user(CARLA, patch())
    assert (response.status_code, response.get_json()) == (403, {"errors": [error(
        403, "role Builder Data Integration does not have permission auth/users:write")]})
