"""POST /v1/users: Hipp's own examples verbatim, defaults, the CreatedUser shape, e-mail uniqueness."""

import pytest

from .expected import (
    ACCESS_DENIED,
    EMAIL_TAKEN,
    EXAMPLE_ORG_COUNT,
    PUBLIC_ID_RE,
    RIVERSIDE_ORG,
    created,
    listed,
    page_of,
    validation_error,
)

# Request bodies exactly as Hipp publishes them.
OPENAPI_BASIC = {"firstName": "John", "lastName": "Doe", "email": "john.doe@example.com",
                 "role": "TECHNICIAN"}
OPENAPI_COMPLETE = {
    "firstName": "Jane",
    "lastName": "Smith",
    "email": "jane.smith@example.com",
    "role": "CLINICIAN",
    "phoneNumber": "+1234567890",
    "npiNumber": "1234567890",
    "shouldSendSMS": False,
    "providerPayors": ["abc123"],
}
DOC_REQUEST_BODY = {
    "firstName": "John",
    "lastName": "Doe",
    "email": "john.doe@example.com",
    "role": "TECHNICIAN",
    "phoneNumber": "+1234567890",
    "npiNumber": "1234567890",
    "shouldSendSMS": False,
    "recertificationDate": "2025-01-15T00:00:00Z",
    "providerPayors": ["abc123"],
}
CURL_BODY = b"""{
    "firstName": "Jane",
    "lastName": "Smith",
    "email": "jane.smith@example.com",
    "role": "CLINICIAN",
    "phoneNumber": "+1234567890"
  }"""
JS_BODY = {"firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "role": "CLINICIAN"}


def test_openapi_basic_example(hipp):
    response = hipp.create_user(OPENAPI_BASIC)
    assert response.status_code == 200
    assert response.get_json() == created("John", "Doe", "john.doe@example.com", "TECHNICIAN")


def test_openapi_complete_example(hipp):
    response = hipp.create_user(OPENAPI_COMPLETE)
    assert response.status_code == 200
    assert response.get_json() == created("Jane", "Smith", "jane.smith@example.com", "CLINICIAN",
                                          phoneNumber="+1234567890", npiNumber="1234567890")


def test_doc_request_body_example(hipp):
    response = hipp.create_user(DOC_REQUEST_BODY)
    assert response.status_code == 200
    assert response.get_json() == created("John", "Doe", "john.doe@example.com", "TECHNICIAN",
                                          phoneNumber="+1234567890", npiNumber="1234567890")


def test_curl_example(hipp):
    response = hipp.post_raw(CURL_BODY)  # -H "Content-Type: application/json" -d '{...}'
    assert response.status_code == 200
    assert response.get_json() == created("Jane", "Smith", "jane.smith@example.com", "CLINICIAN",
                                          phoneNumber="+1234567890")


def test_javascript_example(hipp):
    response = hipp.create_user(JS_BODY)
    assert response.status_code == 200
    assert response.get_json() == created("Jane", "Smith", "jane.smith@example.com", "CLINICIAN")


def test_public_id_is_date_now_and_nine_base36_characters(hipp):
    public_id = hipp.create_user(OPENAPI_BASIC).get_json()["user"]["publicId"]
    assert PUBLIC_ID_RE.match(public_id)
    assert public_id.startswith("usr_1736937000000_")


def test_two_users_get_distinct_public_ids(hipp):
    first = hipp.create_user(firstName="Ann", lastName="Lee").get_json()["user"]["publicId"]
    second = hipp.create_user(firstName="Ann", lastName="Lee").get_json()["user"]["publicId"]
    assert first != second


def test_only_required_fields_gives_defaults_and_nulls(hipp):
    response = hipp.create_user(firstName="Ann", lastName="Lee")
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee", email=None, role="TECHNICIAN", shouldSendSMS=False)


def test_should_send_sms_true_is_echoed(hipp):
    response = hipp.create_user(firstName="Ann", lastName="Lee", shouldSendSMS=True)
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee", shouldSendSMS=True)


def test_created_user_has_no_demographics_nor_request_only_fields(hipp):
    user = hipp.create_user(DOC_REQUEST_BODY).get_json()["user"]
    assert set(user) == {"publicId", "firstName", "lastName", "email", "role", "phoneNumber",
                         "npiNumber", "shouldSendSMS", "createdAt", "organization"}


def test_unknown_payor_ids_are_silently_ignored(hipp):
    response = hipp.create_user(firstName="Ann", lastName="Lee", providerPayors=["abc123", "nope", "rvs001"])
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee")


def test_unknown_body_keys_are_stripped(hipp):
    response = hipp.create_user(firstName="Ann", lastName="Lee", sex="FEMALE",
                                organization="org_rvs7k2m9q4x1")
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee")
    user_id = response.get_json()["user"]["publicId"]
    assert hipp.get_user(user_id).get_json() == listed(user_id, "Ann", "Lee", "TECHNICIAN")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_any_content_type_is_parsed_as_json(hipp, content_type):
    response = hipp.post_raw(b'{"firstName": "Ann", "lastName": "Lee"}', content_type=content_type)
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee")


def test_riverside_key_creates_in_riverside(hipp_as):
    response = hipp_as("hipp_test_riverside_admin").create_user(firstName="Ann", lastName="Lee")
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee", organization=RIVERSIDE_ORG)


# ---- e-mail: unique per organization, case-insensitive ------------------------------------------

@pytest.mark.parametrize(
    "email",
    [
        "john.doe@example.com",
        "JOHN.DOE@EXAMPLE.COM",
        "John.Doe@Example.Com",
    ],
)
def test_duplicate_email_of_a_created_user(hipp, email):
    hipp.create_user(OPENAPI_BASIC)
    response = hipp.create_user(firstName="Other", lastName="Person", email=email)
    assert response.status_code == 400
    assert response.get_json() == validation_error(EMAIL_TAKEN)


def test_uppercase_jane_after_jane_is_a_duplicate(hipp):
    assert hipp.create_user(JS_BODY).status_code == 200
    response = hipp.create_user(firstName="Jane", lastName="Smith", email="JANE.SMITH@EXAMPLE.COM")
    assert response.status_code == 400
    assert response.get_json() == validation_error(EMAIL_TAKEN)


@pytest.mark.parametrize(
    "email", ["alice.morgan@example.com", "ALICE.MORGAN@example.com", "support@hipp.health"])
def test_duplicate_email_of_a_fixture_user(hipp, email):
    response = hipp.create_user(firstName="Ann", lastName="Lee", email=email)
    assert response.status_code == 400
    assert response.get_json() == validation_error(EMAIL_TAKEN)


def test_docs_examples_in_sequence_collide_on_jane(hipp):
    assert hipp.create_user(OPENAPI_COMPLETE).status_code == 200
    response = hipp.post_raw(CURL_BODY)
    assert response.status_code == 400
    assert response.get_json() == validation_error(EMAIL_TAKEN)


def test_email_of_another_organization_is_free(hipp):
    # fixtures: jane.smith@example.com is a user of Riverside Clinic, not of Example Organization
    response = hipp.create_user(JS_BODY)
    assert response.status_code == 200
    assert response.get_json() == created("Jane", "Smith", "jane.smith@example.com", "CLINICIAN")


def test_same_email_in_the_other_organization_after_creation(hipp, hipp_as):
    assert hipp.create_user(OPENAPI_BASIC).status_code == 200
    response = hipp_as("hipp_test_riverside_admin").create_user(OPENAPI_BASIC)
    assert response.status_code == 200
    assert response.get_json() == created("John", "Doe", "john.doe@example.com", organization=RIVERSIDE_ORG)


def test_riverside_email_is_taken_in_riverside(hipp_as):
    response = hipp_as("hipp_test_riverside_admin").create_user(
        firstName="Jane", lastName="Smith", email="Jane.Smith@example.com")
    assert response.status_code == 400
    assert response.get_json() == validation_error(EMAIL_TAKEN)


def test_users_without_email_never_collide(hipp):
    assert hipp.create_user(firstName="Ann", lastName="Lee").status_code == 200
    assert hipp.create_user(firstName="Ann", lastName="Lee").status_code == 200


# ---- the created user afterwards ----------------------------------------------------------------

def test_created_user_is_readable_by_id_in_the_demographic_shape(hipp):
    user_id = hipp.create_user(DOC_REQUEST_BODY).get_json()["user"]["publicId"]
    response = hipp.get_user(user_id)
    assert response.status_code == 200
    assert response.get_json() == listed(user_id, "John", "Doe", "TECHNICIAN")


def test_created_user_is_listed_first_in_the_demographic_shape(hipp):
    user_id = hipp.create_user(OPENAPI_COMPLETE).get_json()["user"]["publicId"]
    body = hipp.list_users().get_json()
    assert body["data"][0] == listed(user_id, "Jane", "Smith", "CLINICIAN")
    assert body["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT + 1


def test_created_user_is_found_by_its_email(hipp):
    user_id = hipp.create_user(OPENAPI_BASIC).get_json()["user"]["publicId"]
    response = hipp.list_users(email="JOHN.DOE@example.com")
    assert response.status_code == 200
    assert response.get_json() == page_of([listed(user_id, "John", "Doe", "TECHNICIAN")],
                                          totalCount=1, totalPages=1)


# ---- a failed create writes nothing --------------------------------------------------------------

# (key, body, status) of requests that must fail without writing anything
FAILED_CREATES = {
    "400 validation": ("your-api-key", {"firstName": "", "lastName": "Lee", "email": "ann.lee@example.com"},
                       400),
    "400 duplicate email": ("your-api-key", {"firstName": "Ann", "lastName": "Lee",
                                             "email": "alice.morgan@example.com"}, 400),
    "403 role": ("hipp_test_clinician", {"firstName": "Ann", "lastName": "Lee", "role": "ADMIN",
                                         "email": "ann.lee@example.com"}, 403),
}


@pytest.mark.parametrize("failure", FAILED_CREATES)
def test_failed_create_leaves_the_list_unchanged(hipp, hipp_as, failure):
    api_key, body, status = FAILED_CREATES[failure]
    assert hipp_as(api_key).create_user(body).status_code == status
    assert hipp.list_users().get_json()["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT


@pytest.mark.parametrize("failure", ["400 validation", "403 role"])
def test_failed_create_does_not_reserve_the_email(hipp, hipp_as, failure):
    api_key, body, _ = FAILED_CREATES[failure]
    hipp_as(api_key).create_user(body)
    response = hipp.create_user(firstName="Ann", lastName="Lee", email="ann.lee@example.com")
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee", "ann.lee@example.com")


def test_forbidden_create_answers_403_not_duplicate(hipp_as):
    # check order: 403 (role) before the duplicate e-mail check
    response = hipp_as("hipp_test_clinician").create_user(
        firstName="Ann", lastName="Lee", role="ADMIN", email="alice.morgan@example.com")
    assert response.status_code == 403
    assert response.get_json() == ACCESS_DENIED
