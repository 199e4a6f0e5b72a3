"""Our real Nabla responses validate against Nabla's own published OpenAPI schemas, per version."""

import json
from pathlib import Path

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from .conftest import CORE, DOCS_USER_ID, EXAMPLE, assertion, token_body

HERE = Path(__file__).parent
# Extracts of Nabla's server.json per version (shared/vendor-specs/nabla): the user, token and jwt paths
PUBLISHED = {version: json.loads((HERE / f"server-{version}-users.json").read_text(encoding="utf-8"))
             for version in ("2024-04-22", "2026-04-24")}


def validator(version, path, method):
    document = PUBLISHED[version]
    operation = document["paths"][path][method]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return OAS30Validator({**schema, "components": document["components"]}, format_checker=oas30_format_checker)


def paths(version):
    user_path = "/users/{id}" if version == "2024-04-22" else "/users/{user_id}"
    return {"create": ("/users", "post"), "list": ("/users", "get"), "get": (user_path, "get"),
            "patch": (user_path, "patch"), "find": ("/users/find_by_external_id/{external_id}", "get"),
            "activate": (f"{user_path}/activate", "post"), "deactivate": (f"{user_path}/deactivate", "post"),
            "authenticate": ("/jwt/authenticate/{user_id}", "post")}


def exercise(caller, version_body):
    """One successful call of every user operation: {operation: response}."""
    created = caller.create_user(version_body)
    user_id = created.get_json()["id"]
    return {
        "create": created,
        "list": caller.list_users(limit=100),
        "get": caller.get_user(DOCS_USER_ID),
        "patch": caller.update_user(user_id, {"metadata": {"k": "v"}}),
        "find": caller.find_user("ehr-provider-123"),
        "deactivate": caller.deactivate(user_id),
        "activate": caller.activate(user_id),
        "authenticate": caller.authenticate_user(user_id, {}),
    }


CASES = [
    ("2024-04-22", {"door": "copilot"}, {"email": "jane@example.com", "roles": ["PRACTITIONER"], "external_id": "j"}),
    ("2024-04-22", {"version": "2024-04-22"}, {"external_id": "j", "metadata": {"a": "b"}}),
    ("2026-04-24", {}, {"external_id": "j", "specialty": "NURSE"}),
    ("2026-04-24", {"version": "2026-04-24"}, {}),
]


@pytest.mark.parametrize(("version", "caller_kwargs", "body"), CASES)
def test_every_user_operation_conforms(nabla_as, version, caller_kwargs, body):
    for operation, response in exercise(nabla_as(**caller_kwargs), body).items():
        assert response.status_code == 200, (operation, response.get_json())
        validator(version, *paths(version)[operation]).validate(response.get_json())


@pytest.mark.parametrize("version", sorted(PUBLISHED))
def test_the_token_response_conforms(client, credentials, version):
    response = client.post(f"{CORE}/oauth/token", json=token_body(assertion(credentials[EXAMPLE])))
    validator(version, "/oauth/token", "post").validate(response.get_json())


def test_the_published_token_request_example_values_are_the_ones_we_require():
    schema = PUBLISHED["2026-04-24"]["paths"]["/oauth/token"]["post"]["requestBody"]["content"]["application/json"]
    properties = schema["schema"]["properties"]
    assert token_body("x") == {"grant_type": properties["grant_type"]["example"],
                               "client_assertion_type": properties["client_assertion_type"]["example"],
                               "client_assertion": "x"}


def test_the_archived_user_carries_exactly_the_published_properties(copilot):
    schema = PUBLISHED["2024-04-22"]["components"]["schemas"]["user"]
    assert set(copilot.get_user(DOCS_USER_ID).get_json()) == set(schema["properties"])


def test_the_current_user_carries_exactly_the_published_properties(nabla):
    schema = PUBLISHED["2026-04-24"]["components"]["schemas"]["user"]
    assert set(nabla.get_user(DOCS_USER_ID).get_json()) == set(schema["properties"])


def test_the_archived_create_page_fields_are_accepted(copilot):
    # the archived "Create a user" page lists email, roles, external_id and metadata for the body
    doc = (HERE / "nabla-create-user.txt").read_text(encoding="utf-8")
    for field in ("email", "roles", "external_id", "metadata"):
        assert field in doc
    body = {"email": "doc@example.com", "roles": ["ADMINISTRATOR", "PRACTITIONER"], "external_id": "doc-1",
            "metadata": {"team": "cardio"}}
    response = copilot.create_user(body)
    assert response.status_code == 200
    assert {k: response.get_json()[k] for k in body} == body


def test_the_specialty_enum_is_the_published_one():
    from vendor_sandbox.vendors.nabla.schemas import SPECIALTIES

    assert list(SPECIALTIES) == PUBLISHED["2026-04-24"]["components"]["schemas"]["specialty_kind"]["enum"]
