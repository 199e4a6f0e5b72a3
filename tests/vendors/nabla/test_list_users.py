"""GET /users: cursor pagination by creation time, `limit` 1-100, `order`, `activated`."""

import pytest

from .conftest import DEACTIVATED_ID, nabla_error

EXAMPLE_IDS = [  # Example Health's fixture users, by creation time
    "98fce1ef-dbca-41ef-8bc7-4d1621ac07c6",
    "23a9981b-9e46-4adb-bb0b-8e406c624540",
    "c3e1b7a2-5d4f-4c6e-9a8b-7f6e5d4c3b2a",
    "d4f2c8b3-6e5a-4d7f-8b9c-0a1b2c3d4e5f",
]


def ids(response):
    return [user["id"] for user in response.get_json()["data"]]


def test_first_page_in_the_documented_shape(nabla):
    response = nabla.list_users()
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["data", "has_more", "next_cursor"]
    assert body["data"][0] == {"id": EXAMPLE_IDS[0], "activated": True, "external_id": "ehr-provider-123",
                               "metadata": {"team": "cardio"}, "created_at": "2022-03-10T19:16:23.456Z",
                               "specialty": "GENERAL_PRACTICE"}
    assert ids(response) == EXAMPLE_IDS
    assert (body["has_more"], body["next_cursor"]) == (False, None)


def test_only_the_callers_organization_is_listed(nabla_as):
    assert ids(nabla_as("Legacy Clinic").list_users()) == ["e5a3d9c4-7f6b-4e8a-9c0d-1b2c3d4e5f60",
                                                           "f6b4e0d5-8a7c-4f9b-8d1e-2c3d4e5f6a71"]


@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_the_cursor_walks_every_user_once(nabla, order):
    for _ in range(3):
        nabla.create_user({})
    seen, cursor = [], None
    while True:
        query = {"limit": 2, "order": order, **({"cursor": cursor} if cursor else {})}
        body = nabla.list_users(**query).get_json()
        seen += [user["id"] for user in body["data"]]
        if not body["has_more"]:
            assert body["next_cursor"] is None
            break
        cursor = body["next_cursor"]
    expected = ids(nabla.list_users(limit=100))
    assert seen == (expected if order == "ASC" else expected[::-1])
    assert len(seen) == 7


def test_the_default_limit_is_10(nabla):
    for _ in range(8):
        nabla.create_user({})
    body = nabla.list_users().get_json()
    assert len(body["data"]) == 10 and body["has_more"] is True


@pytest.mark.parametrize(("activated", "expected"), [
    ("false", [DEACTIVATED_ID]),
    ("true", [i for i in EXAMPLE_IDS if i != DEACTIVATED_ID]),
])
def test_activated_filter(nabla, activated, expected):
    assert ids(nabla.list_users(activated=activated)) == expected


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_are_accepted(nabla, limit):
    assert nabla.list_users(limit=limit).status_code == 200


@pytest.mark.parametrize(("query", "message"), [
    ({"limit": 0}, "Invalid query parameter limit: must be between 1 and 100"),
    ({"limit": 101}, "Invalid query parameter limit: must be between 1 and 100"),
    ({"limit": "ten"}, "Invalid query parameter limit: unable to parse its value"),
    ({"order": "asc"}, "Invalid query parameter order: unable to parse its value"),
    ({"activated": "yes"}, "Invalid query parameter activated: unable to parse its value"),
    ({"cursor": "bm90LWEtY3Vyc29y"}, "Invalid query parameter cursor: unknown cursor"),
    ({"cursor": "!!"}, "Invalid query parameter cursor: unknown cursor"),
])
def test_invalid_queries(nabla, query, message):
    response = nabla.list_users(**query)
    assert (response.status_code, response.get_json()) == (400, nabla_error(message))
