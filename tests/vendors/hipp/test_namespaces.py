"""X-Sandbox-Namespace isolates Hipp state; POST /_sandbox/reset drops a namespace's Hipp writes."""

import pytest

from .expected import EXAMPLE_ORG_COUNT, NOT_FOUND, listed


@pytest.fixture
def in_a(hipp_as):
    return hipp_as("your-api-key", namespace="a")


@pytest.fixture
def user_in_a(in_a):
    response = in_a.create_user(firstName="Ann", lastName="Lee", email="ann.lee@example.com")
    assert response.status_code == 200
    return response.get_json()["user"]["publicId"]


def reset(client, namespace, body=None):
    return client.post("/_sandbox/reset", json=body, headers={"X-Sandbox-Namespace": namespace})


def test_user_is_visible_in_its_own_namespace(in_a, user_in_a):
    assert in_a.get_user(user_in_a).get_json() == listed(user_in_a, "Ann", "Lee", "TECHNICIAN")
    assert in_a.list_users().get_json()["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT + 1


@pytest.mark.parametrize("namespace", ["b", None])
def test_user_is_invisible_in_another_namespace(hipp_as, user_in_a, namespace):
    other = hipp_as("your-api-key", namespace=namespace)
    response = other.get_user(user_in_a)
    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND
    assert user_in_a not in [u["publicId"] for u in other.list_users(pageSize=100).get_json()["data"]]
    assert other.list_users().get_json()["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT


@pytest.mark.parametrize("namespace", ["b", None])
def test_email_is_free_in_another_namespace(hipp_as, user_in_a, namespace):
    response = hipp_as("your-api-key", namespace=namespace).create_user(
        firstName="Ann", lastName="Lee", email="ann.lee@example.com")
    assert response.status_code == 200


@pytest.mark.parametrize("body", [None, {"vendor": "hipp"}])
def test_reset_drops_the_user(client, in_a, user_in_a, body):
    assert reset(client, "a", body).status_code == 200
    response = in_a.get_user(user_in_a)
    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND
    assert in_a.list_users().get_json()["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT


@pytest.mark.parametrize("body", [None, {"vendor": "hipp"}])
def test_reset_frees_the_email(client, in_a, user_in_a, body):
    reset(client, "a", body)
    response = in_a.create_user(firstName="Ann", lastName="Lee", email="ann.lee@example.com")
    assert response.status_code == 200


def test_reset_of_one_namespace_keeps_the_others(client, hipp_as, user_in_a):
    in_b = hipp_as("your-api-key", namespace="b")
    user_in_b = in_b.create_user(firstName="Bo", lastName="Chen").get_json()["user"]["publicId"]
    reset(client, "a")
    assert in_b.get_user(user_in_b).get_json() == listed(user_in_b, "Bo", "Chen", "TECHNICIAN")
