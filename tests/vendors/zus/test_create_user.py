"""POST /auth/users: the walkthrough's JSON:API body, either relationship key style, exact errors."""

import pytest

from .conftest import (
    CARLA_PRACTITIONER,
    DANA_PRACTITIONER,
    JSONAPI,
    NOW,
    RIVERSIDE_ADMIN_ROLE,
    ROLES,
    SAM_PRACTITIONER,
    error,
    user_body,
)


def test_creates_a_user_and_hides_write_only_attributes(zus):
    body = user_body(practitioner=DANA_PRACTITIONER, clientId="PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw",
                     sendPasswordResetEmail=True)
    response = zus.create_user(body)
    assert response.status_code == 201
    assert response.mimetype == JSONAPI
    created = response.get_json()["data"]
    assert created["attributes"] == {"email": "jane@example.com", "name": "Jane Doe", "userType": "builder",
                                     "createdAt": NOW, "updatedAt": NOW}
    assert created["relationships"] == body["data"]["relationships"]


def test_short_relationship_keys_are_accepted_and_echoed(zus):
    body = {"data": {"type": "auth/users", "attributes": {"email": "s@example.com", "name": "S", "userType": "builder"},
                     "relationships": {"role": {"data": {"type": "auth/roles", "id": ROLES["Builder Admin"]}},
                                       "practitioner": {"data": {"type": "fhir/practitioner", "id": DANA_PRACTITIONER}}}}}
    response = zus.create_user(body)
    assert response.status_code == 201
    assert response.get_json()["data"]["relationships"] == body["data"]["relationships"]
    user_id = response.get_json()["data"]["id"]
    assert zus.get_user(user_id).get_json()["data"]["relationships"] == body["data"]["relationships"]


def test_the_vnd_api_media_type_is_accepted(zus):
    import json

    response = zus.client.post("/zus/auth/users", data=json.dumps(user_body()), headers=zus.headers,
                               content_type=JSONAPI)
    assert response.status_code == 201


def test_a_practitioner_may_be_linked_to_two_users(zus):
    assert zus.create_user(user_body(practitioner=CARLA_PRACTITIONER)).status_code == 201


def test_the_new_user_is_listed(zus):
    user_id = zus.create_user(user_body()).get_json()["data"]["id"]
    assert user_id in [u["id"] for u in zus.list_users().get_json()["data"]]


def without(path):
    body = user_body()
    *parents, last = path
    node = body
    for key in parents:
        node = node[key]
    del node[last]
    return body


def replaced(path, value):
    body = user_body()
    *parents, last = path
    node = body
    for key in parents:
        node = node[key]
    node[last] = value
    return body


ROLE = ROLES["Care Team User"]


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({}, 400, [error(400, "data is required", "/data")]),
        ([], 400, [error(400, "Invalid input type.", "/")]),
        (without(["data", "attributes", "email"]), 400, [error(400, "email is required", "/data/attributes/email")]),
        (without(["data", "attributes"]), 400, [error(400, "attributes is required", "/data/attributes")]),
        (replaced(["data", "attributes", "email"], "nope"), 400,
         [error(400, "email must be a valid email address", "/data/attributes/email")]),
        (replaced(["data", "attributes", "name"], ""), 400,
         [error(400, "name must not be empty", "/data/attributes/name")]),
        (replaced(["data", "attributes", "name"], None), 400,
         [error(400, "name may not be null", "/data/attributes/name")]),
        (replaced(["data", "attributes", "userType"], "patient"), 400,
         [error(400, "userType must be one of: builder", "/data/attributes/userType")]),
        (replaced(["data", "attributes", "sendPasswordResetEmail"], "yes"), 400,
         [error(400, "sendPasswordResetEmail: Not a valid boolean.", "/data/attributes/sendPasswordResetEmail")]),
        (replaced(["data", "relationships"], {}), 400,
         [error(400, "exactly one role is required", "/data/relationships/auth~1roles")]),
        (replaced(["data", "relationships", "auth/roles", "data"], None), 400,
         [error(400, "exactly one role is required", "/data/relationships/auth~1roles")]),
        (replaced(["data", "relationships", "auth/roles", "data"], [{"type": "auth/roles", "id": ROLE}] * 2), 400,
         [error(400, "exactly one role is allowed", "/data/relationships/auth~1roles/data")]),
        (replaced(["data", "relationships", "auth/roles", "data"], {"type": "roles", "id": ROLE}), 400,
         [error(400, "type must be auth/roles", "/data/relationships/auth~1roles/data/type")]),
        (replaced(["data", "relationships", "role"], {"data": {"type": "auth/roles", "id": ROLE}}), 400,
         [error(400, "give either auth/roles or role, not both", "/data/relationships/role")]),
        ({"data": {"type": "auth/users", "attributes": {"email": "x"}, "relationships": {}}}, 400, [
            error(400, "email must be a valid email address", "/data/attributes/email"),
            error(400, "name is required", "/data/attributes/name"),
            error(400, "userType is required", "/data/attributes/userType"),
        ]),
        (replaced(["data", "type"], "auth/app-clients"), 409,
         [error(409, "type auth/app-clients does not match the endpoint (auth/users)")]),
        (user_body(role="00000000-0000-4000-8000-000000000000"), 404,
         [error(404, "auth/roles 00000000-0000-4000-8000-000000000000 not found in this builder")]),
        (user_body(role=RIVERSIDE_ADMIN_ROLE), 404,
         [error(404, f"auth/roles {RIVERSIDE_ADMIN_ROLE} not found in this builder")]),
        (user_body(practitioner=SAM_PRACTITIONER), 404,
         [error(404, f"fhir/practitioner {SAM_PRACTITIONER} not found in this builder")]),
        (user_body(email="ADA.admin@acme.example"), 409,
         [error(409, "a user with email ADA.admin@acme.example already exists")]),
        (user_body(email="riley.admin@riverside.example"), 409,
         [error(409, "a user with email riley.admin@riverside.example already exists")]),
    ],
)
def test_invalid_bodies(zus, body, status, errors):
    before = zus.list_users().get_json()["data"]
    response = zus.create_user(body)
    assert (response.status_code, response.mimetype, response.get_json()) == (status, JSONAPI, {"errors": errors})
    assert zus.list_users().get_json()["data"] == before
    assert zus.client.get("/_sandbox/outbox").get_json() == {"messages": []}


@pytest.mark.parametrize("raw", ["{not json", "[1,", '{"data": NaN}'])
def test_malformed_json(zus, raw):
    response = zus.client.post("/zus/auth/users", data=raw, headers=zus.headers, content_type="application/json")
    assert (response.status_code, response.get_json()) == (400, {"errors": [
        error(400, "request body must be a JSON document")]})


def test_an_email_is_unique_after_a_create(zus):
    assert zus.create_user(user_body()).status_code == 201
    response = zus.create_user(user_body(email="Jane@Example.com", name="Other"))
    assert (response.status_code, response.get_json()) == (409, {"errors": [
        error(409, "a user with email Jane@Example.com already exists")]})
