"""zod-style 400 bodies: every issue at once, in schema order, with zod's codes, messages and keys."""

import json

import pytest

from .expected import (
    ALL_ROLES,
    ASSIGNABLE_ROLES,
    EMAIL_ISSUE,
    SORT_ISSUE,
    body_type,
    created,
    datetime_issue,
    empty_string,
    enum_issue,
    not_an_integer,
    number_too_big,
    number_too_small,
    required,
    role_type,
    validation_error,
    wrong_type,
)

NAMES = {"firstName": "Ann", "lastName": "Lee"}


def case_id(value):
    """Readable test ids: the input as compact JSON (valid names left out), the issue codes."""
    if isinstance(value, dict) and "details" in value:
        return "+".join(issue["code"] for issue in value["details"])
    if isinstance(value, dict):
        if NAMES.items() <= value.items():
            value = {k: v for k, v in value.items() if k not in NAMES}
        return json.dumps(value, separators=(",", ":"))
    return None


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        # firstName / lastName: z.string().min(1), required
        ({"lastName": "Lee"}, 400, validation_error(required("firstName"))),
        ({"firstName": "Ann"}, 400, validation_error(required("lastName"))),
        ({}, 400, validation_error(required("firstName"), required("lastName"))),
        ({**NAMES, "firstName": ""}, 400, validation_error(empty_string("firstName"))),
        ({**NAMES, "lastName": ""}, 400, validation_error(empty_string("lastName"))),
        ({**NAMES, "firstName": 5}, 400, validation_error(wrong_type("string", "number", "firstName"))),
        ({**NAMES, "firstName": None}, 400, validation_error(wrong_type("string", "null", "firstName"))),
        ({**NAMES, "firstName": True}, 400, validation_error(wrong_type("string", "boolean", "firstName"))),
        ({**NAMES, "firstName": ["Ann"]}, 400, validation_error(wrong_type("string", "array", "firstName"))),
        ({**NAMES, "lastName": {}}, 400, validation_error(wrong_type("string", "object", "lastName"))),
        # email: z.string().email("Valid email is required")
        ({**NAMES, "email": "not-an-email"}, 400, validation_error(EMAIL_ISSUE)),
        ({**NAMES, "email": ""}, 400, validation_error(EMAIL_ISSUE)),
        ({**NAMES, "email": "ann@"}, 400, validation_error(EMAIL_ISSUE)),
        ({**NAMES, "email": "ann lee@example.com"}, 400, validation_error(EMAIL_ISSUE)),
        # zod's email regex is a JavaScript /i regex: `$` is the very end, no Unicode case folding
        ({**NAMES, "email": "ann@example.com\n"}, 400, validation_error(EMAIL_ISSUE)),
        ({**NAMES, "email": "ann\u017f@example.com"}, 400, validation_error(EMAIL_ISSUE)),
        ({**NAMES, "email": "ann@example.\u212aom"}, 400, validation_error(EMAIL_ISSUE)),
        ({**NAMES, "email": 5}, 400, validation_error(wrong_type("string", "number", "email"))),
        ({**NAMES, "email": None}, 400, validation_error(wrong_type("string", "null", "email"))),
        # role: z.enum(assignable roles)
        ({**NAMES, "role": "FOO"}, 400, validation_error(enum_issue("FOO"))),
        ({**NAMES, "role": "HIPP_ADMIN"}, 400, validation_error(enum_issue("HIPP_ADMIN"))),
        ({**NAMES, "role": "HIPP_BILLING_MANAGER"}, 400,
         validation_error(enum_issue("HIPP_BILLING_MANAGER"))),
        ({**NAMES, "role": "CLINICAL_SUPERADMIN"}, 400, validation_error(enum_issue("CLINICAL_SUPERADMIN"))),
        ({**NAMES, "role": "technician"}, 400, validation_error(enum_issue("technician"))),
        ({**NAMES, "role": ""}, 400, validation_error(enum_issue(""))),
        ({**NAMES, "role": 5}, 400, validation_error(role_type("number"))),
        ({**NAMES, "role": None}, 400, validation_error(role_type("null"))),
        ({**NAMES, "role": ["ADMIN"]}, 400, validation_error(role_type("array"))),
        # phoneNumber, npiNumber: z.string()
        ({**NAMES, "phoneNumber": 1234567890}, 400,
         validation_error(wrong_type("string", "number", "phoneNumber"))),
        ({**NAMES, "phoneNumber": None}, 400, validation_error(wrong_type("string", "null", "phoneNumber"))),
        ({**NAMES, "npiNumber": 1234567890}, 400,
         validation_error(wrong_type("string", "number", "npiNumber"))),
        ({**NAMES, "npiNumber": None}, 400, validation_error(wrong_type("string", "null", "npiNumber"))),
        # shouldSendSMS: z.boolean()
        ({**NAMES, "shouldSendSMS": "yes"}, 400,
         validation_error(wrong_type("boolean", "string", "shouldSendSMS"))),
        ({**NAMES, "shouldSendSMS": "false"}, 400,
         validation_error(wrong_type("boolean", "string", "shouldSendSMS"))),
        ({**NAMES, "shouldSendSMS": 0}, 400,
         validation_error(wrong_type("boolean", "number", "shouldSendSMS"))),
        ({**NAMES, "shouldSendSMS": None}, 400,
         validation_error(wrong_type("boolean", "null", "shouldSendSMS"))),
        # recertificationDate: RFC 3339 date-time, as the published document declares (offsets too:
        # test_published_spec.py)
        ({**NAMES, "recertificationDate": "2025-13-99"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        ({**NAMES, "recertificationDate": "2025-01-15"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        ({**NAMES, "recertificationDate": "2025-01-15T00:00+02:00"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        ({**NAMES, "recertificationDate": "2025-02-29T00:00:00Z"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        ({**NAMES, "recertificationDate": "tomorrow"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        # JavaScript: `\d` is ASCII only and `$` is the very end
        ({**NAMES, "recertificationDate": "2025-01-15T00:00:00Z\n"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        ({**NAMES, "recertificationDate": "\uff12025-01-15T00:00:00Z"}, 400,
         validation_error(datetime_issue("recertificationDate"))),
        ({**NAMES, "recertificationDate": 20250115}, 400,
         validation_error(wrong_type("string", "number", "recertificationDate"))),
        ({**NAMES, "recertificationDate": None}, 400,
         validation_error(wrong_type("string", "null", "recertificationDate"))),
        # providerPayors: z.array(z.string()), integer indexes in the path
        ({**NAMES, "providerPayors": "abc"}, 400,
         validation_error(wrong_type("array", "string", "providerPayors"))),
        ({**NAMES, "providerPayors": None}, 400,
         validation_error(wrong_type("array", "null", "providerPayors"))),
        ({**NAMES, "providerPayors": {"0": "abc"}}, 400,
         validation_error(wrong_type("array", "object", "providerPayors"))),
        ({**NAMES, "providerPayors": [1]}, 400,
         validation_error(wrong_type("string", "number", "providerPayors", 0))),
        ({**NAMES, "providerPayors": ["abc123", 2, None]}, 400, validation_error(
            wrong_type("string", "number", "providerPayors", 1),
            wrong_type("string", "null", "providerPayors", 2),
        )),
    ],
    ids=case_id,
)
def test_invalid_create_body(hipp, body, status, expected):
    response = hipp.create_user(body)
    assert response.status_code == status
    assert response.get_json() == expected


def test_every_issue_at_once_in_schema_order(hipp):
    # keys deliberately in reverse order: zod reports in the schema's order, not the body's
    body = {
        "providerPayors": [1],
        "recertificationDate": "2025-01-15",
        "shouldSendSMS": "yes",
        "npiNumber": 1234567890,
        "phoneNumber": 1234567890,
        "role": "FOO",
        "email": "bad",
        "lastName": "",
        "firstName": 5,
    }
    response = hipp.create_user(body)
    assert response.status_code == 400
    assert response.get_json() == validation_error(
        wrong_type("string", "number", "firstName"),
        empty_string("lastName"),
        EMAIL_ISSUE,
        enum_issue("FOO"),
        wrong_type("string", "number", "phoneNumber"),
        wrong_type("string", "number", "npiNumber"),
        wrong_type("boolean", "string", "shouldSendSMS"),
        datetime_issue("recertificationDate"),
        wrong_type("string", "number", "providerPayors", 0),
    )


def test_missing_names_and_bad_email_together(hipp):
    response = hipp.create_user(email="nope", role="HIPP_ADMIN")
    assert response.status_code == 400
    assert response.get_json() == validation_error(
        required("firstName"), required("lastName"), EMAIL_ISSUE, enum_issue("HIPP_ADMIN"))


def test_enum_issue_lists_the_nine_assignable_roles_in_doc_order(hipp):
    issue = hipp.create_user(**NAMES, role="FOO").get_json()["details"][0]
    assert issue["options"] == list(ASSIGNABLE_ROLES)
    assert issue["message"] == (
        "Invalid enum value. Expected 'ADMIN' | 'BILLING_MANAGER' | 'SCHEDULING_MANAGER' | 'CLINICIAN' | "
        "'TECHNICIAN' | 'PATIENT' | 'CAREGIVER' | 'CLINICAL_ADMIN' | 'PAYROLL_ADMIN', received 'FOO'"
    )


def test_non_string_role_message(hipp):
    issue = hipp.create_user(**NAMES, role=5).get_json()["details"][0]
    assert issue == {
        "code": "invalid_type",
        "expected": "'ADMIN' | 'BILLING_MANAGER' | 'SCHEDULING_MANAGER' | 'CLINICIAN' | 'TECHNICIAN' | "
                    "'PATIENT' | 'CAREGIVER' | 'CLINICAL_ADMIN' | 'PAYROLL_ADMIN'",
        "received": "number",
        "path": ["role"],
        "message": "Expected 'ADMIN' | 'BILLING_MANAGER' | 'SCHEDULING_MANAGER' | 'CLINICIAN' | "
                   "'TECHNICIAN' | 'PATIENT' | 'CAREGIVER' | 'CLINICAL_ADMIN' | 'PAYROLL_ADMIN', "
                   "received number",
    }


def test_array_index_in_path_is_an_integer(hipp):
    issue = hipp.create_user(**NAMES, providerPayors=["abc123", 7]).get_json()["details"][0]
    assert issue["path"] == ["providerPayors", 1]
    assert isinstance(issue["path"][1], int)


@pytest.mark.parametrize(
    "body",
    [
        {**NAMES, "recertificationDate": "2025-01-15T00:00:00Z"},
        {**NAMES, "recertificationDate": "2025-01-15T00:00:00.123Z"},
        {**NAMES, "recertificationDate": "2024-02-29T23:59:59Z"},
        {**NAMES, "email": "ann.lee+tag@sub.example.co.uk"},
        {**NAMES, "providerPayors": []},
        {**NAMES, "shouldSendSMS": True},
        {**NAMES, "phoneNumber": "", "npiNumber": ""},
    ],
    ids=case_id,
)
def test_valid_edge_values_are_accepted(hipp, body):
    assert hipp.create_user(body).status_code == 200


@pytest.mark.parametrize("role", ASSIGNABLE_ROLES)
def test_every_assignable_role_is_valid(hipp, role):
    response = hipp.create_user(**NAMES, role=role)
    assert response.status_code == 200
    assert response.get_json() == created("Ann", "Lee", role=role)


# ---- bodies that are not a JSON object -----------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "status", "expected"),
    [
        (b'{"firstName":', 400, validation_error(body_type("undefined"))),
        (b"not json", 400, validation_error(body_type("undefined"))),
        (b"", 400, validation_error(body_type("undefined"))),
        (b'{"firstName": NaN, "lastName": "Lee"}', 400, validation_error(body_type("undefined"))),
        (b'{"firstName": "Ann", "lastName": Infinity}', 400, validation_error(body_type("undefined"))),
        (b"[]", 400, validation_error(body_type("array"))),
        (b'[{"firstName": "Ann", "lastName": "Lee"}]', 400, validation_error(body_type("array"))),
        (b'"Ann Lee"', 400, validation_error(body_type("string"))),
        (b"42", 400, validation_error(body_type("number"))),
        (b"true", 400, validation_error(body_type("boolean"))),
        (b"null", 400, validation_error(body_type("null"))),
        # request.json() decodes the bytes as UTF-8 before JSON.parse
        ('{"firstName": "Ann", "lastName": "Lee"}'.encode("utf-16"), 400,
         validation_error(body_type("undefined"))),
        # malformed however deep it goes (never closed)
        (b"[" * 100_000, 400, validation_error(body_type("undefined"))),
        (b'{"a":' * 100_000, 400, validation_error(body_type("undefined"))),
    ],
    ids=lambda value: repr(value[:24]) if isinstance(value, bytes) else case_id(value),
)
def test_body_that_is_not_an_object(hipp, raw, status, expected):
    response = hipp.post_raw(raw)
    assert response.status_code == status
    assert response.get_json() == expected


def test_array_body_issue_exactly(hipp):
    assert hipp.post_raw(b"[]").get_json() == {
        "error": "Validation error",
        "details": [{"code": "invalid_type", "expected": "object", "received": "array", "path": [],
                     "message": "Expected object, received array"}],
    }


# ---- validation before permission ----------------------------------------------------------------

@pytest.mark.parametrize("api_key", ["hipp_test_technician", "hipp_test_patient", "hipp_test_clinician"])
def test_validation_comes_before_the_role_check(hipp_as, api_key):
    response = hipp_as(api_key).create_user(firstName="", lastName="Lee", role="ADMIN")
    assert response.status_code == 400
    assert response.get_json() == validation_error(empty_string("firstName"))


def test_validation_comes_before_the_duplicate_check(hipp):
    response = hipp.create_user(firstName="", lastName="Lee", email="alice.morgan@example.com")
    assert response.status_code == 400
    assert response.get_json() == validation_error(empty_string("firstName"))


# ---- list query ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("query", "status", "expected"),
    [
        ({"page": "0"}, 400, validation_error(number_too_small("page"))),
        ({"page": "-1"}, 400, validation_error(number_too_small("page"))),
        ({"page": ""}, 400, validation_error(number_too_small("page"))),
        ({"pageSize": "0"}, 400, validation_error(number_too_small("pageSize"))),
        ({"pageSize": "101"}, 400, validation_error(number_too_big("pageSize"))),
        ({"page": "abc"}, 400, validation_error(wrong_type("number", "nan", "page"))),
        ({"pageSize": "ten"}, 400, validation_error(wrong_type("number", "nan", "pageSize"))),
        ({"page": "1.5"}, 400, validation_error(not_an_integer("page"))),
        ({"pageSize": "2.5"}, 400, validation_error(not_an_integer("pageSize"))),
        ({"role": "FOO"}, 400, validation_error(enum_issue("FOO", options=ALL_ROLES))),
        ({"role": "admin"}, 400, validation_error(enum_issue("admin", options=ALL_ROLES))),
        ({"sort": "name_asc"}, 400, validation_error(SORT_ISSUE)),
        ({"sort": "createdAt"}, 400, validation_error(SORT_ISSUE)),
        ({"sort": "createdAt_up"}, 400, validation_error(SORT_ISSUE)),
        ({"sort": "createdAt_desc,name_asc"}, 400, validation_error(SORT_ISSUE)),
        ({"sort": "createdAt_desc\n"}, 400, validation_error(SORT_ISSUE)),
        ({"page": "-1.5"}, 400, validation_error(not_an_integer("page"), number_too_small("page"))),
        # JavaScript's Number("１") (full-width digit) is NaN
        ({"page": "\uff11"}, 400, validation_error(wrong_type("number", "nan", "page"))),
        ({"page": "0", "pageSize": "101", "role": "FOO", "sort": "name_asc"}, 400, validation_error(
            number_too_small("page"), number_too_big("pageSize"),
            enum_issue("FOO", options=ALL_ROLES), SORT_ISSUE)),
    ],
    ids=case_id,
)
def test_invalid_list_query(hipp, query, status, expected):
    response = hipp.list_users(**query)
    assert response.status_code == status
    assert response.get_json() == expected


@pytest.mark.parametrize(
    "query",
    [
        {"page": "1", "pageSize": "1"},
        {"pageSize": "100"},
        {"page": "2.0"},
        {"sort": "createdAt_asc"},
        {"sort": "updatedAt_desc"},
        {"sort": "createdAt_desc,updatedAt_asc"},
        {"role": "HIPP_ADMIN"},
        {"role": "CLINICAL_SUPERADMIN"},
        {"unknown": "ignored"},
    ],
    ids=case_id,
)
def test_valid_list_query_is_accepted(hipp, query):
    assert hipp.list_users(**query).status_code == 200


def test_list_validation_comes_before_the_role_check(hipp_as):
    response = hipp_as("hipp_test_patient").list_users(page="0")
    assert response.status_code == 400
    assert response.get_json() == validation_error(number_too_small("page"))
