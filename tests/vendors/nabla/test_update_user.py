"""PATCH /users/{user_id}: partial update; metadata replaced whole. No PUT, no DELETE."""

import pytest

from .conftest import DOCS_USER_ID, LEGACY_USER_ID, NOT_FOUND, NOT_UNIQUE, nabla_error

DOCS_USER = {"id": DOCS_USER_ID.lower(), "activated": True, "external_id": "ehr-provider-123",
             "metadata": {"team": "cardio"}, "created_at": "2022-03-10T19:16:23.456Z", "specialty": "GENERAL_PRACTICE"}


def test_absent_fields_are_kept(nabla):
    response = nabla.update_user(DOCS_USER_ID, {"specialty": "CARDIOLOGY"})
    assert (response.status_code, response.get_json()) == (200, {**DOCS_USER, "specialty": "CARDIOLOGY"})


def test_metadata_is_replaced_as_a_whole(nabla):
    response = nabla.update_user(DOCS_USER_ID, {"metadata": {"site": "east"}})
    assert response.get_json()["metadata"] == {"site": "east"}
    assert nabla.get_user(DOCS_USER_ID).get_json()["metadata"] == {"site": "east"}


def test_empty_body_changes_nothing(nabla):
    assert nabla.update_user(DOCS_USER_ID, {}).get_json() == DOCS_USER


def test_null_clears_and_frees_the_external_id(nabla):
    response = nabla.update_user(DOCS_USER_ID, {"external_id": None, "metadata": None})
    assert response.get_json() == {**DOCS_USER, "external_id": None, "metadata": None}
    assert nabla.find_user("ehr-provider-123").status_code == 400
    assert nabla.create_user({"external_id": "ehr-provider-123"}).status_code == 200


def test_changing_external_id_moves_the_lookup(nabla):
    nabla.update_user(DOCS_USER_ID, {"external_id": "ehr-renamed"})
    assert nabla.find_user("ehr-renamed").get_json()["id"] == DOCS_USER["id"]
    assert nabla.find_user("ehr-provider-123").status_code == 400


def test_keeping_the_same_external_id_is_not_a_conflict(nabla):
    assert nabla.update_user(DOCS_USER_ID, {"external_id": "ehr-provider-123"}).status_code == 200


def test_another_users_external_id_is_a_409_and_nothing_changes(nabla):
    response = nabla.update_user(DOCS_USER_ID, {"external_id": "ehr-admin-001", "metadata": {"x": "y"}})
    assert (response.status_code, response.get_json()) == (409, NOT_UNIQUE)
    assert nabla.get_user(DOCS_USER_ID).get_json() == DOCS_USER


def test_the_archived_version_patches_only_external_id_and_metadata(copilot):
    response = copilot.update_user(DOCS_USER_ID, {"email": "x@example.com", "roles": ["ADMINISTRATOR"],
                                                  "metadata": {"a": "b"}})
    assert response.get_json()["email"] is None and response.get_json()["roles"] == ["PRACTITIONER"]
    assert response.get_json()["metadata"] == {"a": "b"}


@pytest.mark.parametrize(("payload", "message"), [
    ({"external_id": "x" * 257}, "Invalid value at path $.external_id: at most 256 characters are allowed"),
    ({"metadata": {"k" * 41: "v"}}, "Invalid value at path $.metadata: key names are limited to 40 characters"),
    ({"specialty": "ASTROLOGY"}, "Unable to parse JSON at path $.specialty"),
    (["external_id"], "Unable to parse JSON at path $"),
])
def test_invalid_bodies_change_nothing(nabla, payload, message):
    response = nabla.update_user(DOCS_USER_ID, payload)
    assert (response.status_code, response.get_json()) == (400, nabla_error(message))
    assert nabla.get_user(DOCS_USER_ID).get_json() == DOCS_USER


def test_another_organizations_user_is_not_found(nabla):
    response = nabla.update_user(LEGACY_USER_ID, {"metadata": {}})
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_no_put_and_no_delete(nabla, method):
    response = nabla.request(method, f"/users/{DOCS_USER_ID}", {})
    assert response.status_code == 405
    assert response.get_json() == nabla_error("The method is not allowed for the requested endpoint.", 405,
                                              "METHOD_NOT_ALLOWED")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH"}


def test_a_null_specialty_clears_it_and_leaves_it_out(nabla):
    response = nabla.update_user(DOCS_USER_ID, {"specialty": None})
    assert response.get_json() == {k: v for k, v in DOCS_USER.items() if k != "specialty"}
