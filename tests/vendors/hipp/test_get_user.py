"""GET /v1/users/{publicId}: the bare user object, the publicId format check, and 404s."""

import pytest

from .expected import (
    DOC_USER,
    HIPP_ADMIN_ID,
    NOT_FOUND,
    PUBLIC_ID_ISSUE,
    RIVERSIDE_JANE_ID,
    RIVERSIDE_USERS,
    error_id,
    listed,
    validation_error,
)


def test_doc_example_verbatim(hipp):
    response = hipp.get_user("usr_1234567890_abc123def")
    assert response.status_code == 200
    assert response.get_json() == DOC_USER


@pytest.mark.parametrize(
    ("public_id", "expected"),
    [
        ("usr_1704902400000_p2a3u4l5k", listed(
            "usr_1704902400000_p2a3u4l5k", "Paul", "Kim", "PATIENT", sex="MALE",
            caregiverId="usr_1704898800000_g4k5i6m7c", birthDate="1958-11-23",
            addressLine1="48 Orchard Lane", city="Hoboken", state="NJ", postalCode="07030")),
        ("usr_1704880800000_k3v9x2m1a", listed("usr_1704880800000_k3v9x2m1a", "Alice", "Morgan", "ADMIN",
                                               sex="FEMALE")),
        ("usr_1704909600000_h5b6i7l8g", listed("usr_1704909600000_h5b6i7l8g", "Hipp", "Billing",
                                               "HIPP_BILLING_MANAGER")),
    ],
)
def test_fixture_users_in_the_demographic_shape(hipp, public_id, expected):
    response = hipp.get_user(public_id)
    assert response.status_code == 200
    assert response.get_json() == expected


def test_riverside_key_reads_its_own_user(hipp_as):
    response = hipp_as("hipp_test_riverside_admin").get_user(RIVERSIDE_JANE_ID)
    assert response.status_code == 200
    assert response.get_json() == RIVERSIDE_USERS[1]


@pytest.mark.parametrize(
    ("public_id", "status", "body"),
    [
        ("abc", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("123", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("user_1234567890_abc123def", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("USR_1234567890_abc123def", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("org_abc123def456", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("usr_", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("usr_abc-def", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("usr_abc.def", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("usr_abc%20def", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("%20usr_1234567890_abc123def", 400, validation_error(PUBLIC_ID_ISSUE)),
        # a JavaScript regex's `$` does not match before a trailing newline
        ("usr_1234567890_abc123def%0A", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("usr_abc%0A", 400, validation_error(PUBLIC_ID_ISSUE)),
        ("usr_0000000000000_zzzzzzzzz", 404, NOT_FOUND),
        ("usr_1234567890_abc123deg", 404, NOT_FOUND),
        ("usr_x", 404, NOT_FOUND),
        ("usr_ABC_123", 404, NOT_FOUND),
    ],
    ids=error_id,
)
def test_malformed_and_unknown_ids(hipp, public_id, status, body):
    response = hipp.get_user(public_id)
    assert response.status_code == status
    assert response.get_json() == body


def test_malformed_id_body_exactly(hipp):
    assert hipp.get_user("not-a-user-id").get_json() == {
        "error": "Validation error",
        "details": [{"validation": "regex", "code": "invalid_string",
                     "message": "Invalid publicId format", "path": ["publicId"]}],
    }


@pytest.mark.parametrize(
    ("api_key", "public_id"),
    [
        ("your-api-key", RIVERSIDE_JANE_ID),
        ("hipp_test_clinician", "usr_1706745600000_o8g7r6a5n"),
        ("hipp_test_riverside_admin", DOC_USER["publicId"]),
        ("hipp_test_riverside_admin", "usr_1704880800000_k3v9x2m1a"),
    ],
)
def test_another_organizations_user_is_not_found(hipp_as, api_key, public_id):
    response = hipp_as(api_key).get_user(public_id)
    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize("api_key", ["your-api-key", "hipp_test_hipp_admin", "hipp_test_clinical_superadmin"])
def test_hipp_admin_user_is_not_found(hipp_as, api_key):
    response = hipp_as(api_key).get_user(HIPP_ADMIN_ID)
    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_user_created_in_another_organization_is_not_found(hipp, hipp_as):
    user_id = hipp_as("hipp_test_riverside_admin").create_user(firstName="Ann", lastName="Lee") \
        .get_json()["user"]["publicId"]
    response = hipp.get_user(user_id)
    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND
