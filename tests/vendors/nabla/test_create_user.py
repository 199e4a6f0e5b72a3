"""POST /users: create a user; limits exactly as documented, external_id unique per organization."""

import pytest

from .conftest import CREATED_NOW, NOT_UNIQUE, nabla_error


def created(user_id, **fields):
    return {"id": user_id, "activated": True, "external_id": None, "metadata": None, "created_at": CREATED_NOW,
            **fields}


def test_empty_body_creates_a_user(nabla):
    # Nabla's own request example is {}; the response is 200, not 201
    response = nabla.create_user({})
    assert response.status_code == 200
    body = response.get_json()
    assert body == created(body["id"])


def test_external_id_metadata_and_specialty_are_kept(nabla):
    response = nabla.create_user({"external_id": "ehr-42", "metadata": {"team": "cardio"}, "specialty": "NURSE"})
    assert response.status_code == 200
    body = response.get_json()
    assert body == created(body["id"], external_id="ehr-42", metadata={"team": "cardio"}, specialty="NURSE")
    assert nabla.get_user(body["id"]).get_json() == body


def test_archived_copilot_create_with_email_and_roles(copilot):
    # the archived "Create a user" page: deprecated email and roles, both always in the output
    response = copilot.create_user({"email": "jane@example.com", "roles": ["ADMINISTRATOR", "PRACTITIONER"],
                                    "external_id": "jane-1", "metadata": {"site": "north"}})
    assert response.status_code == 200
    body = response.get_json()
    assert body == created(body["id"], external_id="jane-1", metadata={"site": "north"},
                           email="jane@example.com", roles=["ADMINISTRATOR", "PRACTITIONER"])


def test_archived_defaults_are_null_email_and_practitioner(copilot):
    body = copilot.create_user({}).get_json()
    assert body == created(body["id"], email=None, roles=["PRACTITIONER"])


def test_a_version_ignores_fields_it_does_not_know(nabla_as):
    # email/roles are gone from 2024-10-01 on, specialty arrives in 2026-04-24: neither read nor validated
    response = nabla_as(version="2025-01-07").create_user({"email": "not-an-email", "roles": ["BOSS"],
                                                           "specialty": "WIZARD", "colour": "blue"})
    assert response.status_code == 200
    assert response.get_json() == created(response.get_json()["id"])


def test_the_documented_boundaries_are_accepted(nabla):
    metadata = {f"{i:02d}".ljust(40, "k"): "v" * 500 for i in range(50)}
    response = nabla.create_user({"external_id": "x" * 256, "metadata": metadata})
    assert response.status_code == 200
    assert response.get_json()["metadata"] == metadata


def test_null_external_id_and_metadata_are_allowed(nabla):
    body = nabla.create_user({"external_id": None, "metadata": None, "specialty": None}).get_json()
    assert body == created(body["id"])


@pytest.mark.parametrize(("payload", "message"), [
    ({"external_id": "x" * 257}, "Invalid value at path $.external_id: at most 256 characters are allowed"),
    ({"external_id": 12}, "Unable to parse JSON at path $.external_id"),
    ({"metadata": {f"k{i}": "v" for i in range(51)}},
     "Invalid value at path $.metadata: at most 50 keys are allowed"),
    ({"metadata": {"k" * 41: "v"}}, "Invalid value at path $.metadata: key names are limited to 40 characters"),
    ({"metadata": {"note": "v" * 501}}, "Invalid value at path $.metadata.note: values are limited to 500 characters"),
    ({"metadata": {"count": 3}}, "Unable to parse JSON at path $.metadata.count"),
    ({"metadata": ["a"]}, "Unable to parse JSON at path $.metadata"),
    ({"specialty": "WIZARD"}, "Unable to parse JSON at path $.specialty"),
    ([], "Unable to parse JSON at path $"),
    ("text", "Unable to parse JSON at path $"),
])
def test_invalid_bodies(nabla, payload, message):
    response = nabla.create_user(payload)
    assert (response.status_code, response.get_json()) == (400, nabla_error(message))


@pytest.mark.parametrize(("payload", "message"), [
    ({"email": "not-an-email"}, "Invalid value at path $.email: not a valid email address"),
    ({"roles": ["DOCTOR"]}, "Unable to parse JSON at path $.roles[0]"),
    ({"roles": ["PRACTITIONER", "OWNER"]}, "Unable to parse JSON at path $.roles[1]"),
    ({"roles": "PRACTITIONER"}, "Unable to parse JSON at path $.roles"),
])
def test_invalid_archived_fields(copilot, payload, message):
    response = copilot.create_user(payload)
    assert (response.status_code, response.get_json()) == (400, nabla_error(message))


@pytest.mark.parametrize("raw", [b"", b"{", b"{\"external_id\": NaN}", b"null"])
def test_malformed_json_is_bad_request(nabla, raw):
    response = nabla.request("POST", "/users", data=raw, content_type="application/json")
    assert (response.status_code, response.get_json()) == (400, nabla_error("Unable to parse JSON at path $"))


def test_duplicate_external_id_is_a_409_and_creates_nothing(nabla):
    before = nabla.list_users(limit=100).get_json()["data"]
    response = nabla.create_user({"external_id": "ehr-provider-123", "metadata": {"a": "b"}})
    assert (response.status_code, response.get_json()) == (409, NOT_UNIQUE)
    assert nabla.list_users(limit=100).get_json()["data"] == before


def test_external_id_is_unique_per_organization_only(nabla, nabla_as):
    assert nabla.create_user({"external_id": "shared-id"}).status_code == 200
    assert nabla_as("Legacy Clinic").create_user({"external_id": "shared-id"}).status_code == 200
    assert nabla.create_user({"external_id": "shared-id"}).status_code == 409


def test_both_doors_share_the_organizations_external_ids(nabla, copilot):
    assert copilot.create_user({"external_id": "door-1"}).status_code == 200
    assert nabla.create_user({"external_id": "door-1"}).status_code == 409
    assert nabla.find_user("door-1").status_code == 200
