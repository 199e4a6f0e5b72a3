"""Our real Hipp responses validate against Hipp's own published OpenAPI document."""

from pathlib import Path

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from .conftest import BASE

# A verbatim copy of Hipp's document (shared/vendor-specs/hipp-users-create.yaml)
PUBLISHED = yaml.safe_load((Path(__file__).parent / "hipp-users-create.yaml").read_text(encoding="utf-8"))
CREATE = PUBLISHED["paths"]["/v1/users"]["post"]


def response_schema(status):
    """The published schema for `status`, with its #/components references resolvable."""
    response = CREATE["responses"][str(status)]
    if "$ref" in response:
        response = PUBLISHED["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return {**response["content"]["application/json"]["schema"], "components": PUBLISHED["components"]}


def assert_conforms(response):
    OAS30Validator(response_schema(response.status_code)).validate(response.get_json())


@pytest.mark.parametrize("example", sorted(CREATE["requestBody"]["content"]["application/json"]["examples"]))
def test_published_request_examples_succeed_and_conform(hipp, example):
    body = CREATE["requestBody"]["content"]["application/json"]["examples"][example]["value"]
    response = hipp.create_user(body)
    assert response.status_code == 200
    assert_conforms(response)


def test_created_user_has_every_required_and_nullable_field(hipp):
    response = hipp.create_user(firstName="Ann", lastName="Lee")
    schema = PUBLISHED["components"]["schemas"]["CreatedUser"]
    assert set(response.get_json()["user"]) == set(schema["properties"])
    assert_conforms(response)


@pytest.mark.parametrize(
    "body",
    [
        {"firstName": "Ann", "lastName": "Lee", "email": "not-an-email"},
        {"lastName": "Lee", "role": "FOO", "shouldSendSMS": "yes"},
        {"firstName": "", "lastName": "", "recertificationDate": "2025-01-15"},
    ],
)
def test_validation_errors_conform(hipp, body):
    response = hipp.create_user(body)
    assert response.status_code == 400
    assert_conforms(response)


@pytest.mark.parametrize(("api_key", "status"), [(None, 401), ("unknown", 401), ("hipp_test_technician", 403)])
def test_auth_and_permission_errors_conform(hipp_as, api_key, status):
    response = hipp_as(api_key).create_user(firstName="Ann", lastName="Lee")
    assert response.status_code == status
    assert_conforms(response)


def test_an_unexpected_error_conforms(client):
    # a forced 500 stands for a crash: the body is the one Hipp publishes for 500
    response = client.post(f"{BASE}/v1/users", json={"firstName": "Ann", "lastName": "Lee"},
                           headers={"Authorization": "Bearer your-api-key", "X-Sandbox-Fault": "status=500"})
    assert response.status_code == 500
    assert response.get_json() == {"error": "An unexpected error occurred"}
    assert_conforms(response)
