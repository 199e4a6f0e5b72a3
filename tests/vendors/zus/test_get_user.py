"""GET /auth/users/{id}: one user of the caller's Builder; another Builder's user is a 404."""

import pytest

from .conftest import ADA, CARLA, CARLA_PRACTITIONER, RILEY, ROLES, error


def test_gets_a_user_with_its_practitioner(zus):
    response = zus.get_user(CARLA)
    assert response.status_code == 200
    assert response.get_json() == {"data": {
        "type": "auth/users",
        "id": CARLA,
        "attributes": {"email": "carla.care@acme.example", "name": "Carla Care", "userType": "builder",
                       "createdAt": 1704884400, "updatedAt": 1704884400},
        "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Care Team User"]}},
                          "fhir/practitioner": {"data": {"type": "fhir/practitioner", "id": CARLA_PRACTITIONER}}},
    }}


def test_include_the_role(zus):
    body = zus.get_user(ADA, include="auth/roles").get_json()
    assert [(r["type"], r["id"], r["attributes"]["name"]) for r in body["included"]] == [
        ("auth/roles", ROLES["Builder Admin"], "Builder Admin")]


@pytest.mark.parametrize("user_id", [RILEY, "00000000-0000-4000-8000-000000000000", "not-a-uuid"])
def test_unknown_or_other_builders_users_are_404(zus, user_id):
    response = zus.get_user(user_id)
    assert (response.status_code, response.get_json()) == (404, {"errors": [
        error(404, f"auth/users {user_id} not found")]})


def test_bad_include(zus):
    response = zus.get_user(ADA, include="practitioner")
    assert (response.status_code, response.get_json()) == (400, {"errors": [error(
        400, "include path practitioner is not supported; use auth/roles", parameter="include")]})
