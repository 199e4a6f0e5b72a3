"""403 Access denied: who may create whom, and who may read users (docs/fidelity.md's role table)."""

import pytest

from .expected import (
    ACCESS_DENIED,
    ASSIGNABLE_ROLES,
    DOC_USER,
    EXAMPLE_ORG,
    EXAMPLE_ORG_COUNT,
    EXAMPLE_ORG_USERS,
    RIVERSIDE_ORG,
    RIVERSIDE_USERS,
    created,
    empty_string,
    page_of,
    validation_error,
)

ANY = frozenset(ASSIGNABLE_ROLES)
NONE = frozenset()

# Every fixture key: (the role of its user, its organization, the roles it may create).
KEYS = {
    "your-api-key": ("ADMIN", EXAMPLE_ORG, ANY),
    "hipp_test_admin": ("ADMIN", EXAMPLE_ORG, ANY),
    "hipp_test_billing_manager": ("BILLING_MANAGER", EXAMPLE_ORG, NONE),
    "hipp_test_scheduling_manager": ("SCHEDULING_MANAGER", EXAMPLE_ORG,
                                     frozenset({"TECHNICIAN", "PATIENT", "CAREGIVER"})),
    "hipp_test_clinician": ("CLINICIAN", EXAMPLE_ORG, frozenset({"PATIENT", "CAREGIVER"})),
    "hipp_test_technician": ("TECHNICIAN", EXAMPLE_ORG, NONE),
    "hipp_test_patient": ("PATIENT", EXAMPLE_ORG, NONE),
    "hipp_test_caregiver": ("CAREGIVER", EXAMPLE_ORG, NONE),
    "hipp_test_hipp_admin": ("HIPP_ADMIN", EXAMPLE_ORG, ANY),
    "hipp_test_hipp_billing_manager": ("HIPP_BILLING_MANAGER", EXAMPLE_ORG, NONE),
    "hipp_test_clinical_admin": ("CLINICAL_ADMIN", EXAMPLE_ORG,
                                 frozenset({"CLINICIAN", "TECHNICIAN", "PATIENT", "CAREGIVER"})),
    "hipp_test_payroll_admin": ("PAYROLL_ADMIN", EXAMPLE_ORG, NONE),
    "hipp_test_clinical_superadmin": ("CLINICAL_SUPERADMIN", EXAMPLE_ORG, ANY),
    "hipp_test_riverside_admin": ("ADMIN", RIVERSIDE_ORG, ANY),
}
NOT_READERS = {"hipp_test_patient", "hipp_test_caregiver"}
READERS = [key for key in KEYS if key not in NOT_READERS]

CREATE_MATRIX = [
    (key, role, 200 if role in may_create else 403)
    for key, (_, _, may_create) in KEYS.items()
    for role in ASSIGNABLE_ROLES
]


@pytest.mark.parametrize(("api_key", "role", "status"), CREATE_MATRIX)
def test_create_by_role(hipp_as, api_key, role, status):
    organization = KEYS[api_key][1]
    response = hipp_as(api_key).create_user(firstName="Ann", lastName="Lee", role=role)
    assert response.status_code == status
    expected = created("Ann", "Lee", role=role, organization=organization) if status == 200 else ACCESS_DENIED
    assert response.get_json() == expected


@pytest.mark.parametrize(
    ("api_key", "status"),
    [(key, 200 if "TECHNICIAN" in may_create else 403) for key, (_, _, may_create) in KEYS.items()],
)
def test_default_role_technician_is_permission_checked(hipp_as, api_key, status):
    response = hipp_as(api_key).create_user(firstName="Ann", lastName="Lee")
    assert response.status_code == status
    expected = created("Ann", "Lee", organization=KEYS[api_key][1]) if status == 200 else ACCESS_DENIED
    assert response.get_json() == expected


@pytest.mark.parametrize("api_key", sorted(NOT_READERS))
def test_patients_and_caregivers_may_not_list(hipp_as, api_key):
    response = hipp_as(api_key).list_users()
    assert response.status_code == 403
    assert response.get_json() == ACCESS_DENIED


@pytest.mark.parametrize("api_key", sorted(NOT_READERS))
@pytest.mark.parametrize("public_id", [DOC_USER["publicId"], "usr_1704902400000_p2a3u4l5k", "usr_0_unknown"])
def test_patients_and_caregivers_may_not_get_by_id(hipp_as, api_key, public_id):
    # even themselves (Paul Kim is the patient key's own user) and even an unknown id
    response = hipp_as(api_key).get_user(public_id)
    assert response.status_code == 403
    assert response.get_json() == ACCESS_DENIED


@pytest.mark.parametrize("api_key", READERS)
def test_every_other_role_may_list(hipp_as, api_key):
    response = hipp_as(api_key).list_users()
    assert response.status_code == 200
    if KEYS[api_key][1] == RIVERSIDE_ORG:
        assert response.get_json() == page_of(RIVERSIDE_USERS, totalCount=3, totalPages=1)
    else:
        assert response.get_json() == page_of(EXAMPLE_ORG_USERS, totalCount=EXAMPLE_ORG_COUNT, totalPages=1)


@pytest.mark.parametrize("api_key", [key for key in READERS if KEYS[key][1] == EXAMPLE_ORG])
def test_every_other_role_may_get_by_id(hipp_as, api_key):
    response = hipp_as(api_key).get_user(DOC_USER["publicId"])
    assert response.status_code == 200
    assert response.get_json() == DOC_USER


# ---- check order: 400 before 403 -----------------------------------------------------------------

@pytest.mark.parametrize(
    "api_key", ["hipp_test_technician", "hipp_test_billing_manager", "hipp_test_patient"])
def test_invalid_body_is_400_even_for_a_key_that_may_create_nobody(hipp_as, api_key):
    response = hipp_as(api_key).create_user(firstName="Ann", lastName="")
    assert response.status_code == 400
    assert response.get_json() == validation_error(empty_string("lastName"))


@pytest.mark.parametrize("api_key", sorted(NOT_READERS))
def test_malformed_id_is_400_before_403(hipp_as, api_key):
    response = hipp_as(api_key).get_user("not-a-user-id")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "Validation error",
        "details": [{"validation": "regex", "code": "invalid_string",
                     "message": "Invalid publicId format", "path": ["publicId"]}],
    }
