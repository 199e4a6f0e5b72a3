"""API versions: header, else query parameter, else the organization's pin; the User follows the version."""

import pytest

from .conftest import CORE, DOCS_PATH_ID, ENDPOINT_NOT_FOUND, LEGACY, LEGACY_USER_ID, nabla_error

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


@pytest.mark.parametrize("version", ["latest", "x-nabla-next", "2026-13-01", "2025-02-30", "20260612",
                                     "2026-6-12", "v1", ""])
def test_malformed_versions_are_bad_requests(nabla_as, version):
    caller = nabla_as()
    response = caller.request("GET", "/users", headers={"X-Nabla-Api-Version": version})
    # an empty header is no override: the pin applies
    if version == "":
        assert response.status_code == 200
        return
    assert (response.status_code, response.get_json()) == (400, nabla_error(f"Unknown API version: {version}"))


def test_a_malformed_query_version_is_a_bad_request(client, get_token):
    response = client.get(f"{CORE}/users?nabla-api-version=next", headers={"Authorization": f"Bearer {get_token()}"})
    assert (response.status_code, response.get_json()) == (400, nabla_error("Unknown API version: next"))


@pytest.mark.parametrize("version", ["2026-06-12", "2026-07-01", "2031-01-01"])
def test_a_version_newer_than_ours_behaves_as_our_newest(nabla_as, version):
    """Nabla's sample app and EHR plugins already send versions published after our table."""
    newest = nabla_as(version="2026-04-24")
    caller = nabla_as(version=version)
    assert caller.get_user(DOCS_PATH_ID).get_json() == newest.get_user(DOCS_PATH_ID).get_json() == CURRENT
    created = caller.create_user({"specialty": "NURSE"})
    assert (created.status_code, created.get_json()["specialty"]) == (200, "NURSE")


@pytest.mark.parametrize(("version", "user"), [
    ("2024-10-02", BASE),  # between 2024-10-01 and 2024-11-08: the former
    ("2024-09-30", ARCHIVED),  # the day before the 2024-10-01 break: still 2024-04-22
    ("2026-04-23", BASE),  # the day before specialty
])
def test_a_date_between_versions_is_the_newest_version_on_or_before_it(nabla_as, version, user):
    assert nabla_as(version=version).get_user(DOCS_PATH_ID).get_json() == user


@pytest.mark.parametrize("version", ["2023-06-25", "2023-01-01", "1999-12-31"])
def test_a_version_before_the_first_has_no_endpoints(nabla_as, version):
    """Nabla answers 404 for a version past its sunset date; before its first version there is none."""
    caller = nabla_as(version=version)
    for response in (caller.list_users(), caller.create_user({}), caller.get_user(DOCS_PATH_ID)):
        assert (response.status_code, response.get_json()) == (404, ENDPOINT_NOT_FOUND)


def test_endpoints_follow_the_changelog_in_the_oldest_versions(nabla_as):
    """2023-06-26: create and authenticate only; 2024-02-27 added reading, listing and
    (de)activation; 2024-04-22 added PATCH and find_by_external_id (Nabla's changelog)."""
    first, second = nabla_as(version="2023-06-26"), nabla_as(version="2024-02-27")
    created = first.create_user({"email": "first@example.com", "roles": ["PRACTITIONER"], "external_id": "x"})
    assert created.status_code == 200
    assert created.get_json() == {"id": created.get_json()["id"], "email": "first@example.com",
                                  "roles": ["PRACTITIONER"]}
    user_id = created.get_json()["id"]
    assert first.authenticate_user(user_id, {}).status_code == 200
    for response in (first.get_user(user_id), first.list_users(), second.find_user("ehr-provider-123"),
                     second.update_user(user_id, {"external_id": "y"})):
        assert (response.status_code, response.get_json()) == (404, ENDPOINT_NOT_FOUND)
    assert second.get_user(user_id).get_json() == {"id": user_id, "activated": True,
                                                  "email": "first@example.com", "roles": ["PRACTITIONER"]}
    # the external id was not read by 2023-06-26
    assert nabla_as(version="2024-04-22").get_user(user_id).get_json()["external_id"] is None
