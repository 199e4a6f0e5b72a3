"""GET /auth/roles: the Builder's four managed roles, as JSON:API, with filter[name] and pages."""

import pytest

from .conftest import JSONAPI, RIVERSIDE_ADMIN_ROLE, ROLES, error

BUILDER_ADMIN = {
    "type": "auth/roles",
    "id": ROLES["Builder Admin"],
    "attributes": {
        "name": "Builder Admin",
        "description": "",
        "isManaged": True,
        "permissions": ["auth/users:read", "auth/users:write", "auth/roles:read", "auth/app-clients:read",
                        "auth/app-clients:write", "fhir:read", "fhir:write"],
        "createdAt": 1638828368,
        "updatedAt": 1655996421,
    },
}


def test_lists_the_managed_roles_of_the_callers_builder(zus):
    response = zus.roles()
    assert response.status_code == 200
    assert response.mimetype == JSONAPI
    body = response.get_json()
    assert [r["attributes"]["name"] for r in body["data"]] == list(ROLES)
    assert [r["id"] for r in body["data"]] == list(ROLES.values())
    assert all(r["attributes"]["isManaged"] is True for r in body["data"])
    assert body["data"][0] == BUILDER_ADMIN
    assert body["links"] == {"self": "http://localhost/zus/auth/roles?page%5Bcount%5D=100&page%5Boffset%5D=0",
                             "prev": None, "next": None}


def test_another_builder_sees_its_own_role_ids(zus_as):
    data = zus_as("Riley Admin").roles(**{"filter[name]": "Builder Admin"}).get_json()["data"]
    assert [r["id"] for r in data] == [RIVERSIDE_ADMIN_ROLE]


@pytest.mark.parametrize("name", ["Builder Admin", "builder admin", "Care Team User", "Permissionless",
                                  "Builder Data Integration"])
def test_filter_by_name(zus, name):
    data = zus.roles(**{"filter[name]": name}).get_json()["data"]
    assert [r["attributes"]["name"].casefold() for r in data] == [name.casefold()]


def test_filter_by_an_unknown_name_is_empty(zus):
    assert zus.roles(**{"filter[name]": "Patient"}).get_json()["data"] == []


def test_pages_with_links(zus):
    body = zus.roles(**{"page[count]": 2, "page[offset]": 1}).get_json()
    assert [r["attributes"]["name"] for r in body["data"]] == ["Care Team User", "Permissionless"]
    assert body["links"] == {
        "self": "http://localhost/zus/auth/roles?page%5Bcount%5D=2&page%5Boffset%5D=1",
        "prev": "http://localhost/zus/auth/roles?page%5Bcount%5D=2&page%5Boffset%5D=0",
        "next": "http://localhost/zus/auth/roles?page%5Bcount%5D=2&page%5Boffset%5D=3",
    }
    assert [r["attributes"]["name"] for r in zus.roles(**{"page[size]": 3, "page[number]": 2})
            .get_json()["data"]] == ["Builder Data Integration"]


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ({"filter[nam]": "x"}, 400, {"errors": [error(400, "unsupported query parameter filter[nam]",
                                                     parameter="filter[nam]")]}),
        ({"sort": "name"}, 400, {"errors": [error(400, "unsupported query parameter sort", parameter="sort")]}),
        ({"page[count]": "0"}, 400, {"errors": [error(400, "page[count]: Must be greater than or equal to 1 and "
                                                      "less than or equal to 1000.", parameter="page[count]")]}),
        ({"page[offset]": "x"}, 400, {"errors": [error(400, "page[offset]: Not a valid integer.",
                                                       parameter="page[offset]")]}),
    ],
)
def test_bad_queries(zus, query, status, body):
    response = zus.roles(**query)
    assert (response.status_code, response.get_json()) == (status, body)
