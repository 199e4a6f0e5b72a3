"""API versions: header, else query parameter, else the organization's pin; the User follows the version."""

import pytest

from .conftest import CORE, DOCS_PATH_ID, LEGACY, LEGACY_USER_ID, nabla_error

BASE = {"id": DOCS_PATH_ID.lower(), "activated": True, "external_id": "ehr-admin-001", "metadata": None,
        "created_at": "2023-05-02T08:00:00.000Z"}
ARCHIVED = {**BASE, "email": "admin@example-health.com", "roles": ["ADMINISTRATOR", "PRACTITIONER"]}
CURRENT = BASE  # an unset specialty is left out (the published enum has no null)


@pytest.mark.parametrize(("version", "user"), [
    ("2024-04-22", ARCHIVED),
    ("2024-10-01", BASE),
    ("2025-01-07", BASE),
    ("2026-03-16", BASE),
    ("2026-04-24", CURRENT),
])
def test_the_user_shape_follows_the_version(nabla_as, version, user):
    assert nabla_as(version=version).get_user(DOCS_PATH_ID).get_json() == user


def test_without_override_the_organizations_pin_applies(nabla_as):
    assert nabla_as().get_user(DOCS_PATH_ID).get_json() == CURRENT
    legacy = nabla_as(LEGACY).get_user(LEGACY_USER_ID).get_json()
    assert legacy["email"] == "dr.legacy@legacy-clinic.org" and "specialty" not in legacy


def test_the_query_parameter_overrides_the_pin(nabla):
    response = nabla.request("GET", f"/users/{DOCS_PATH_ID}", query_string={"nabla-api-version": "2024-04-22"})
    assert response.get_json() == ARCHIVED


def test_the_header_wins_over_the_query_parameter(nabla_as):
    caller = nabla_as(version="2024-10-01")
    response = caller.request("GET", f"/users/{DOCS_PATH_ID}", query_string={"nabla-api-version": "2024-04-22"})
    assert response.get_json() == BASE


def test_the_copilot_door_is_always_the_archived_version(nabla_as):
    assert nabla_as(version="2026-04-24", door="copilot").get_user(DOCS_PATH_ID).get_json() == ARCHIVED


def test_core_api_at_the_archived_version_reads_email_and_roles(nabla_as):
    body = nabla_as(version="2024-04-22").create_user({"email": "a@example.com", "roles": ["ADMINISTRATOR"]}).get_json()
    assert (body["email"], body["roles"]) == ("a@example.com", ["ADMINISTRATOR"])


def test_a_user_created_today_reads_as_a_practitioner_in_the_archived_version(nabla, copilot):
    created = nabla.create_user({"specialty": "NURSE"}).get_json()
    assert copilot.get_user(created["id"]).get_json() == {
        **{k: v for k, v in created.items() if k != "specialty"}, "email": None, "roles": ["PRACTITIONER"]}


@pytest.mark.parametrize("version", ["2023-01-01", "2024-10-02", "latest", "x-nabla-next"])
def test_unknown_versions_are_bad_requests(nabla_as, version):
    response = nabla_as(version=version).list_users()
    assert (response.status_code, response.get_json()) == (400, nabla_error(f"Unknown API version: {version}"))


def test_an_unknown_query_version_is_a_bad_request(client, get_token):
    response = client.get(f"{CORE}/users?nabla-api-version=1999-12-31", headers={"Authorization": f"Bearer {get_token()}"})
    assert (response.status_code, response.get_json()) == (400, nabla_error("Unknown API version: 1999-12-31"))
