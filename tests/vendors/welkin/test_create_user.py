"""POST /{tenant}/{instance}/users: the docs' example, the recorded record, validation."""

import pytest

from .conftest import HEADERS, NOW, docs_example, error, invalid

LIVE = {
    "instanceId": "3f6b2a8e-6c1d-4e0b-9a57-2d8f1c4b7e10",
    "instanceName": "live",
    "instanceDescription": "Production",
    "userEmailWithInstanceDomain": None,
    "workshopAccessEnabled": False,
    "auditDataAccessEnabled": False,
}
VALID = {"firstName": "Ann", "lastName": "Lee", "email": "ann.lee@acme-health.com", "username": "ann.lee"}


def test_docs_example_creates_the_recorded_provisioned_record(welkin):
    method, path, body = docs_example("POST Create User Record")
    response = welkin.request(method, f"/welkin{path}", json=body)
    assert response.status_code == 201
    user = response.get_json()
    user_id, access_id = user["id"], user["applicationAccess"]["id"]
    # keys and defaults as in the recorded create (vendor notes 2.3), names present because they were set
    assert user == {
        "territories": [],
        "roles": [
            {
                "createdAt": NOW,
                "updatedAt": NOW,
                "permissionName": "care-coordinator",
                "instanceName": "live",
                "type": "SECURITY_ROLE",
                "primaryRole": True,
            }
        ],
        "policies": [],
        "seats": [],
        "seatAssignAllowed": False,
        "applicationAccess": {
            "id": access_id,
            "createdAt": NOW,
            "updatedAt": NOW,
            "userId": user_id,
            "adminAccessEnabled": False,
            "auditSecurityAccessEnabled": False,
            "instanceAccesses": [LIVE],
        },
        "id": user_id,
        "username": "alex.johnson",
        "email": "alex.johnson@acme-health.com",
        "firstName": "Alex",
        "lastName": "Johnson",
        "timezone": "America/Chicago",
        "enabled": False,
        "mfaEnabled": False,
        "statusType": None,
        "createdAt": NOW,
        "updatedAt": NOW,
        "ssoAccess": False,
        "passwordAccess": True,
        "terminologyName": "english",
        "userState": "PROVISIONED",
        "customUserAttributes": {},
        "allowedToReceiveCalls": False,
        "userAttributes": {},
        "_root_user": False,
    }
    assert list(user)[:7] == [
        "territories",
        "roles",
        "policies",
        "seats",
        "seatAssignAllowed",
        "applicationAccess",
        "id",
    ]
    assert {k: response.headers[k] for k in HEADERS} == HEADERS
    assert response.headers["Content-Type"] == "application/json"
    assert welkin.get_user(user_id).get_json() == user


def test_optional_fields_are_kept_and_unset_ones_omitted(welkin):
    user = welkin.create_user(**VALID, phone="+15552009845", credentials="MD").get_json()
    assert (user["phone"], user["credentials"]) == ("+15552009845", "MD")
    assert "timezone" not in user and "locale" not in user and user["roles"] == []


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (
            {},
            400,
            [
                invalid("firstName", "must not be blank"),
                invalid("lastName", "must not be blank"),
                invalid("email", "must not be blank"),
                invalid("username", "must not be blank"),
            ],
        ),
        (
            {**VALID, "firstName": "  ", "email": "not-an-email"},
            400,
            [
                invalid("firstName", "must not be blank"),
                invalid("email", "must be a well-formed email address"),
            ],
        ),
        (
            {**VALID, "timezone": "Mars/Olympus_Mons"},
            400,
            [invalid("timezone", "must be a valid IANA time zone")],
        ),
        ({**VALID, "phone": "555-200-9845"}, 400, [invalid("phone", 'must match "^\\+[1-9]\\d{1,14}$"')]),
        (
            {**VALID, "lastName": None, "seats": "GENERAL"},
            400,
            [invalid("lastName", "must not be blank"), invalid("seats", "must be an array")],
        ),
        ({**VALID, "role": "surgeon"}, 400, [invalid("role", "Security role doesn't exist: surgeon")]),
        (
            {**VALID, "username": "Jordan.Lee"},
            400,
            [error("USER_ALREADY_EXISTS", "USER", "User already exists", {"username": "Jordan.Lee"})],
        ),
        (
            {**VALID, "email": "BAR@foo.com"},
            400,
            [error("USER_ALREADY_EXISTS", "USER", "User already exists", {"email": "BAR@foo.com"})],
        ),
    ],
)
def test_invalid_bodies(welkin, body, status, expected):
    before = welkin.list_users().get_json()["metaInfo"]["totalElements"]
    response = welkin.create_user(body)
    assert (response.status_code, response.get_json()) == (status, expected)
    assert welkin.list_users().get_json()["metaInfo"]["totalElements"] == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "Required request body is missing"),
        (b"{not json", "JSON parse error"),
        (b"[1]", "JSON parse error"),
    ],
)
def test_unreadable_bodies(welkin, raw, message):
    response = welkin.request("POST", welkin.base, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == [
        {
            "errorCode": "VALIDATION_ERROR",
            "componentType": "USER",
            "message": message,
            "details": {},
            "date": NOW,
        }
    ]


def test_a_failed_duplicate_claims_nothing(welkin):
    assert welkin.create_user({**VALID, "email": "bar@foo.com"}).status_code == 400
    assert welkin.create_user(VALID).status_code == 201


def test_usernames_are_unique_per_tenant_not_globally(welkin_as):
    from .conftest import LEGACY_CLIENT

    gh = welkin_as(LEGACY_CLIENT, tenant="gh", instance="sb-demo")
    response = gh.create_user(
        firstName="J", lastName="L", email="jordan.lee@acme-health.com", username="jordan.lee"
    )
    assert response.status_code == 201
