"""GET /users/{user_id}: one user of the caller's organization."""

import pytest

from .conftest import DOCS_PATH_ID, DOCS_USER_ID, LEGACY_USER_ID, NOT_FOUND, nabla_error


def test_the_docs_user_example_by_its_uppercase_id(nabla):
    response = nabla.get_user(DOCS_USER_ID)
    assert response.status_code == 200
    assert response.get_json() == {"id": DOCS_USER_ID.lower(), "activated": True, "external_id": "ehr-provider-123",
                                   "metadata": {"team": "cardio"}, "created_at": "2022-03-10T19:16:23.456Z",
                                   "specialty": "GENERAL_PRACTICE"}


def test_the_docs_path_example_id_through_the_copilot_door(copilot):
    response = copilot.get_user(DOCS_PATH_ID)
    assert response.status_code == 200
    assert response.get_json() == {"id": DOCS_PATH_ID.lower(), "activated": True, "external_id": "ehr-admin-001",
                                   "metadata": None, "created_at": "2023-05-02T08:00:00.000Z",
                                   "email": "admin@example-health.com", "roles": ["ADMINISTRATOR", "PRACTITIONER"]}


@pytest.mark.parametrize(("user_id", "status", "body"), [
    ("00000000-0000-4000-8000-000000000000", 404, NOT_FOUND),
    (LEGACY_USER_ID, 404, NOT_FOUND),  # another organization's user does not exist for you
    ("not-a-uuid", 400, nabla_error("Invalid UUID string: not-a-uuid")),
    ("98fce1efdbca41ef8bc74d1621ac07c6", 400, nabla_error("Invalid UUID string: 98fce1efdbca41ef8bc74d1621ac07c6")),
])
def test_unknown_foreign_and_malformed_ids(nabla, user_id, status, body):
    response = nabla.get_user(user_id)
    assert (response.status_code, response.get_json()) == (status, body)
