"""Our real Hipp responses validate against Hipp's own published OpenAPI document."""

from pathlib import Path

import pytest
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from .conftest import BASE
from .expected import datetime_issue, validation_error

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


# (value, whether RFC 3339 section 5.6 makes it a date-time): offsets are part of the format
DATE_TIMES = [
    ("2025-01-15T00:00:00Z", True),
    ("2025-01-15T00:00:00+02:00", True),
    ("2025-01-15T08:30:00.123456-05:30", True),
    ("2024-02-29T23:59:59.9Z", True),
    ("2025-01-15T00:00:00-00:00", True),
    ("2025-01-15T00:00:00", False),  # no offset
    ("2025-01-15T00:00Z", False),  # no seconds
    ("2025-01-15T00:00:00+0200", False),
    ("2025-01-15T00:00:00+02", False),
    ("2025-01-15T00:00:00+24:00", False),
    ("2025-01-15 00:00:00Z", False),
    ("2025-01-15", False),
    ("2025-02-29T00:00:00Z", False),
    ("2025-01-15T24:00:00Z", False),
    ("0000-01-01T00:00:00Z", False),
]


@pytest.mark.parametrize(("value", "date_time"), DATE_TIMES)
def test_recertification_date_is_the_documents_date_time(hipp, value, date_time):
    """What Hipp's document declares (`format: date-time`), as an OpenAPI format checker reads it."""
    declared = PUBLISHED["components"]["schemas"]["CreateUserRequest"]["properties"]["recertificationDate"]
    assert OAS30Validator(declared, format_checker=oas30_format_checker).is_valid(value) is date_time
    response = hipp.create_user(firstName="Ann", lastName="Lee", recertificationDate=value)
    if date_time:
        assert response.status_code == 200
        assert_conforms(response)
    else:
        assert (response.status_code, response.get_json()) == (
            400, validation_error(datetime_issue("recertificationDate"))
        )
