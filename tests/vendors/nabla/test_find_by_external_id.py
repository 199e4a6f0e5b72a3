"""GET /users/find_by_external_id/{external_id}: the organization's user with that external id."""

from .conftest import DOCS_USER_ID, EXTERNAL_ID_NOT_FOUND


def test_found(nabla):
    response = nabla.find_user("ehr-provider-123")
    assert response.status_code == 200
    assert response.get_json()["id"] == DOCS_USER_ID.lower()


def test_each_organization_finds_its_own_user(nabla_as):
    # Legacy Clinic uses the same external id for another user
    response = nabla_as("Legacy Clinic").find_user("ehr-provider-123")
    assert response.status_code == 200
    assert response.get_json() == {"id": "f6b4e0d5-8a7c-4f9b-8d1e-2c3d4e5f6a71", "activated": True,
                                   "external_id": "ehr-provider-123", "metadata": None,
                                   "created_at": "2023-02-20T12:00:00.000Z", "email": None,
                                   "roles": ["ADMINISTRATOR"]}


def test_not_found_is_the_recorded_400(nabla):
    """Nabla's docs show not-found as 404; a Canvas EHR plugin recorded the live API answering an
    unknown external id with 400 and this body (and creates the user on exactly that 400)."""
    response = nabla.find_user("nobody")
    assert (response.status_code, response.get_json()) == (400, EXTERNAL_ID_NOT_FOUND)


def test_the_sample_code_flow_find_then_create_then_authenticate(nabla):
    # Nabla's sample backend: find by external id, create on a non-200, then authenticate the user
    assert nabla.find_user("ehr-new-7").status_code != 200
    created = nabla.create_user({"external_id": "ehr-new-7"}).get_json()
    assert nabla.find_user("ehr-new-7").get_json() == created
    assert nabla.authenticate_user(created["id"], {}).status_code == 200


def test_external_ids_with_slashes_and_spaces(nabla):
    created = nabla.create_user({"external_id": "org/unit 7"}).get_json()
    assert nabla.find_user("org%2Funit%207").get_json() == created
