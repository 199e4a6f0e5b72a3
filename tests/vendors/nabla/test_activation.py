"""POST /users/{user_id}/deactivate and /activate: the body `{}` is required."""

import pytest

from .conftest import DEACTIVATED_ID, DOCS_USER_ID, LEGACY_USER_ID, NOT_FOUND, nabla_error


def test_deactivate_then_activate(nabla):
    response = nabla.deactivate(DOCS_USER_ID, {})
    assert response.status_code == 200
    assert response.get_json()["activated"] is False
    assert nabla.get_user(DOCS_USER_ID).get_json()["activated"] is False
    response = nabla.activate(DOCS_USER_ID, {})
    assert (response.status_code, response.get_json()["activated"]) == (200, True)


def test_both_are_idempotent(nabla):
    assert nabla.deactivate(DEACTIVATED_ID).get_json()["activated"] is False
    assert nabla.activate(DOCS_USER_ID).get_json()["activated"] is True


def test_activation_keeps_every_other_field(nabla):
    before = nabla.get_user(DEACTIVATED_ID).get_json()
    assert nabla.activate(DEACTIVATED_ID).get_json() == {**before, "activated": True}


@pytest.mark.parametrize("action", ["activate", "deactivate"])
@pytest.mark.parametrize(("raw", "message"), [
    (b"", "Unable to parse JSON at path $"),
    (b"[]", "Unable to parse JSON at path $"),
    (b"null", "Unable to parse JSON at path $"),
])
def test_the_body_is_required(nabla, action, raw, message):
    response = nabla.request("POST", f"/users/{DOCS_USER_ID}/{action}", data=raw, content_type="application/json")
    assert (response.status_code, response.get_json()) == (400, nabla_error(message))
    assert nabla.get_user(DOCS_USER_ID).get_json()["activated"] is True


@pytest.mark.parametrize("action", ["activate", "deactivate"])
def test_unknown_or_foreign_users_are_not_found(nabla, action):
    response = nabla.request("POST", f"/users/{LEGACY_USER_ID}/{action}", {})
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
