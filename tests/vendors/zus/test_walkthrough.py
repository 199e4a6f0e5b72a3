"""Every request of Zus's "Creating Users" walkthrough, verbatim, against the default fixtures."""

import json
import re
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import JSONAPI, NOW

# A verbatim copy of Zus's page (shared/vendor-docs/zus-creating-users.txt)
DOC = (Path(__file__).parent / "zus-creating-users.txt").read_text(encoding="utf-8")
VARIABLES = {"FamilyName": "Smith", "GivenName": "Jane", "Email": "jane.smith@example.com", "Username": "Jane Smith"}


def json_after(marker):
    """The JSON document that starts at the first "{" after `marker` in the page."""
    start = DOC.index("{", DOC.index(marker) + len(marker) - 1)
    depth, in_string, escaped = 0, False, False
    for end, char in enumerate(DOC[start:], start):
        if in_string:
            escaped, in_string = (not escaped and char == "\\"), in_string and (escaped or char != '"')
        elif char == '"':
            in_string = True
        elif char in "{}":
            depth += 1 if char == "{" else -1
            if depth == 0:
                return DOC[start:end + 1]
    raise AssertionError(f"no JSON after {marker!r}")


def filled(template, **more):
    values = {**VARIABLES, **more}
    return json.loads(re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template))


PRACTITIONER = json_after("POST https://api.sandbox.zusapi.com/fhir/Practitioner")
ROLES_RESPONSE = json.loads(json_after("Response (abbreviated)"))
CREATE_USER = json_after("POST https://api.sandbox.zusapi.com/auth/users")
ROLE_LOOKUP = re.search(r"GET https://api\.sandbox\.zusapi\.com(/auth/roles\?\S+?\}\})", DOC).group(1)


def test_step1_create_the_practitioner(zus):
    response = zus.create_practitioner(filled(PRACTITIONER))
    assert response.status_code == 201
    assert response.get_json()["name"] == [{"family": "Smith", "given": ["Jane"]}]


@pytest.mark.parametrize("role_name", ["Builder Admin", "Care Team User"])
def test_step2_role_lookup_answers_as_documented(zus, role_name):
    # Postman URL-encodes the variable's value
    response = zus.client.get("/zus" + ROLE_LOOKUP.replace("{{RoleName}}", quote(role_name)), headers=zus.headers)
    assert response.status_code == 200
    assert response.mimetype == JSONAPI
    (role,) = response.get_json()["data"]
    (documented,) = ROLES_RESPONSE["data"]
    assert role["type"] == documented["type"]
    uuid.UUID(role["id"])
    assert list(role["attributes"]) == list(documented["attributes"])
    assert role["attributes"]["name"] == role_name
    assert {k: role["attributes"][k] for k in ("description", "isManaged")} == {"description": "", "isManaged": True}
    if role_name == "Care Team User":
        assert role["attributes"]["createdAt"] == documented["attributes"]["createdAt"]
        assert role["attributes"]["updatedAt"] == documented["attributes"]["updatedAt"]


def role_id(zus, name):
    return zus.roles(**{"filter[name]": name}).get_json()["data"][0]["id"]


def test_step3_create_the_user_linked_to_the_practitioner(zus):
    practitioner_id = zus.create_practitioner(filled(PRACTITIONER)).get_json()["id"]
    role = role_id(zus, "Care Team User")
    response = zus.create_user(filled(CREATE_USER, RoleID=role, OptionalPractitionerID=practitioner_id))
    assert response.status_code == 201
    body = response.get_json()
    user_id = body["data"]["id"]
    assert response.headers["Location"] == f"http://localhost/zus/auth/users/{user_id}"
    assert body == {"data": {
        "type": "auth/users",
        "id": user_id,
        "attributes": {"email": "jane.smith@example.com", "name": "Jane Smith", "userType": "builder",
                       "createdAt": NOW, "updatedAt": NOW},
        "relationships": {
            "auth/roles": {"data": {"type": "auth/roles", "id": role}},
            "fhir/practitioner": {"data": {"type": "fhir/practitioner", "id": practitioner_id}},
        },
    }}
    assert zus.get_user(user_id).get_json() == body


def test_step3_without_the_practitioner_omits_the_block(zus):
    body = filled(CREATE_USER, RoleID=role_id(zus, "Builder Admin"), OptionalPractitionerID="unused")
    del body["data"]["relationships"]["fhir/practitioner"]
    response = zus.create_user(body)
    assert response.status_code == 201
    assert response.get_json()["data"]["relationships"]["fhir/practitioner"] == {"data": None}


def test_after_creation_the_sandbox_sends_welcome_and_password_reset(zus):
    body = filled(CREATE_USER, RoleID=role_id(zus, "Care Team User"), OptionalPractitionerID="x")
    del body["data"]["relationships"]["fhir/practitioner"]
    zus.create_user(body)
    messages = zus.client.get("/_sandbox/outbox?vendor=zus").get_json()["messages"]
    assert [(m["to"], m["kind"]) for m in messages] == [
        ("jane.smith@example.com", "welcome"), ("jane.smith@example.com", "password-reset")]
