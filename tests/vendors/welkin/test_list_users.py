"""GET /{tenant}/{instance}/users: page from 0, size 20, search, filters, sort, data + metaInfo."""

import pytest

from .conftest import DOCS_USER, invalid

ACME = ["jordan.lee", "erin", "bar", "Foo", "maria.gonzalez"]


def usernames(response):
    return [u["username"] for u in response.get_json()["data"]]


def test_default_page_is_0_of_20_in_the_recorded_envelope(welkin):
    response = welkin.list_users()
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["data", "metaInfo"]
    assert body["metaInfo"] == {
        "page": 0,
        "pageSize": 20,
        "totalElements": 5,
        "numberOfElements": 5,
        "lastPage": True,
        "firstPage": True,
        "totalPages": 1,
    }
    assert usernames(response) == ACME


def test_tenants_are_isolated(welkin_as):
    from .conftest import LEGACY_CLIENT

    assert usernames(welkin_as(LEGACY_CLIENT, tenant="gh", instance="sb-demo").list_users()) == ["johndoe"]


def test_pages(welkin):
    second = welkin.list_users(page=1, size=2).get_json()
    assert [u["username"] for u in second["data"]] == ["bar", "Foo"]
    assert second["metaInfo"] == {
        "page": 1,
        "pageSize": 2,
        "totalElements": 5,
        "numberOfElements": 2,
        "lastPage": False,
        "firstPage": False,
        "totalPages": 3,
    }
    past = welkin.list_users(page=9, size=2).get_json()
    assert (
        past["data"] == []
        and past["metaInfo"]["lastPage"] is True
        and past["metaInfo"]["numberOfElements"] == 0
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"search": "LEE"}, ["jordan.lee"]),
        ({"search": "acme-health.com"}, ["jordan.lee", "erin", "maria.gonzalez"]),
        ({"search": "stanchek"}, ["erin"]),
        ({"email": "FOO@bar.com"}, ["Foo"]),
        ({"firstName": "maria"}, ["maria.gonzalez"]),
        ({"ids": f"{DOCS_USER},92cc5811-ff71-4101-915d-a419383db168"}, ["jordan.lee", "bar"]),
        ({"userState": "PROVISIONED"}, ["jordan.lee", "bar"]),
        ({"seatAssigned": "true"}, ["erin", "maria.gonzalez"]),
        ({"roleName": "physician"}, ["erin"]),
        ({"region": "east-coast"}, ["erin"]),
        ({"region": "midwest", "territories": "Ohio,Texas"}, ["maria.gonzalez"]),
        ({"region": "midwest", "territories": "Texas"}, []),
        ({"sort": "username,desc"}, ["maria.gonzalez", "jordan.lee", "Foo", "erin", "bar"]),
        ({"sort": "createdAt"}, ["erin", "Foo", "bar", "maria.gonzalez", "jordan.lee"]),
    ],
)
def test_filters_and_sort(welkin, query, expected):
    assert usernames(welkin.list_users(**query)) == expected


def test_region_filters_look_at_the_path_instance(welkin_as):
    staging = welkin_as(instance="staging")
    assert usernames(staging.list_users(region="east-coast")) == ["maria.gonzalez"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"page": "-1"}, [invalid("page", "must be greater than or equal to 0")]),
        (
            {"size": "0", "page": "x"},
            [
                invalid(
                    "page",
                    "Failed to convert value of type 'java.lang.String' to required type 'int'; "
                    'nested exception is java.lang.NumberFormatException: For input string: "x"',
                ),
                invalid("size", "must be greater than or equal to 1"),
            ],
        ),
        (
            {"userState": "GONE"},
            [
                invalid(
                    "userState",
                    "Failed to convert value of type 'java.lang.String' to "
                    "required type 'UserState'; nested exception is "
                    "java.lang.IllegalArgumentException: No enum constant UserState.GONE",
                )
            ],
        ),
        (
            {"seatAssigned": "maybe"},
            [
                invalid(
                    "seatAssigned",
                    "Failed to convert value of type 'java.lang.String' "
                    "to required type 'boolean'; nested exception is "
                    "java.lang.IllegalArgumentException: Invalid boolean value [maybe]",
                )
            ],
        ),
        ({"sort": "password,asc"}, [invalid("sort", "No property 'password' found for type 'User'")]),
        (
            {"sort": "username,up"},
            [
                invalid(
                    "sort",
                    "Invalid value 'up' for orders given; Has to be either "
                    "'desc' or 'asc' (case insensitive)",
                )
            ],
        ),
    ],
)
def test_invalid_queries(welkin, query, expected):
    response = welkin.list_users(**query)
    assert (response.status_code, response.get_json()) == (400, expected)


@pytest.mark.parametrize(("page", "size"), [(0, 2), (1, 2), (2, 2), (3, 2), (0, 20), (1, 3)])
def test_an_unfiltered_page_is_the_page_a_filter_matching_everyone_gives(welkin, page, size):
    # the unfiltered page is read off an index; "@" is in every e-mail, so it takes the filter path
    welkin.create_user(username="new.user", email="new.user@example.com")
    welkin.update_user(welkin.list_users().get_json()["data"][0]["id"], firstName="Moved")
    plain = welkin.list_users(page=page, size=size)
    assert plain.status_code == 200
    assert plain.get_json() == welkin.list_users(page=page, size=size, search="@").get_json()
