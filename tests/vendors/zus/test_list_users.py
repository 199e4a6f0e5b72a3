"""GET /auth/users: the caller's Builder only, filters, include of roles, JSON:API pagination."""

import pytest

from .conftest import ADA, CARLA, CARLA_PRACTITIONER, ROLES, error, user_body

ADA_RESOURCE = {
    "type": "auth/users",
    "id": ADA,
    "attributes": {"email": "ada.admin@acme.example", "name": "Ada Admin", "userType": "builder",
                   "createdAt": 1704880800, "updatedAt": 1704880800},
    "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Builder Admin"]}},
                      "fhir/practitioner": {"data": None}},
}


def test_lists_the_builders_users_oldest_first(zus):
    body = zus.list_users().get_json()
    assert [u["attributes"]["name"] for u in body["data"]] == ["Ada Admin", "Carla Care", "Perry Permissionless"]
    assert body["data"][0] == ADA_RESOURCE
    assert "included" not in body
    assert body["links"] == {"self": "http://localhost/zus/auth/users?page%5Bcount%5D=100&page%5Boffset%5D=0",
                             "prev": None, "next": None}


def test_another_builder_sees_only_its_own(zus_as):
    assert [u["attributes"]["name"] for u in zus_as("Riley Admin").list_users().get_json()["data"]] == ["Riley Admin"]


def test_data_integration_clients_may_read_users(zus_as):
    assert zus_as("Acme Data Integration").list_users().status_code == 200


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"filter[email]": "CARLA.care@acme.example"}, ["Carla Care"]),
        ({"filter[name]": "admin"}, ["Ada Admin"]),
        ({"filter[role]": ROLES["Permissionless"]}, ["Perry Permissionless"]),
        ({"filter[practitioner]": CARLA_PRACTITIONER}, ["Carla Care"]),
        ({"filter[name]": "a", "filter[role]": ROLES["Care Team User"]}, ["Carla Care"]),
        ({"filter[email]": "nobody@example.com"}, []),
    ],
)
def test_filters(zus, query, names):
    assert [u["attributes"]["name"] for u in zus.list_users(**query).get_json()["data"]] == names


@pytest.mark.parametrize("include", ["auth/roles", "role"])
def test_include_adds_the_roles_once_each(zus, include):
    body = zus.list_users(include=include).get_json()
    assert [r["attributes"]["name"] for r in body["included"]] == ["Builder Admin", "Care Team User", "Permissionless"]
    assert body["included"][0]["type"] == "auth/roles"


def test_pagination_links_keep_filters_and_reach_every_user(zus):
    for i in range(5):
        zus.create_user(user_body(email=f"p{i}@example.com", name=f"Page {i}"))
    first = zus.list_users(**{"filter[name]": "page", "page[count]": 2}).get_json()
    assert [u["attributes"]["name"] for u in first["data"]] == ["Page 0", "Page 1"]
    assert first["links"] == {
        "self": "http://localhost/zus/auth/users?filter%5Bname%5D=page&page%5Bcount%5D=2&page%5Boffset%5D=0",
        "prev": None,
        "next": "http://localhost/zus/auth/users?filter%5Bname%5D=page&page%5Bcount%5D=2&page%5Boffset%5D=2",
    }
    names, link = [], first["links"]["self"]
    while link:
        body = zus.client.get(link, headers=zus.headers).get_json()
        names += [u["attributes"]["name"] for u in body["data"]]
        link = body["links"]["next"]
    assert names == [f"Page {i}" for i in range(5)]


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ({"include": "fhir/practitioner"}, 400, {"errors": [error(
            400, "include path fhir/practitioner is not supported; use auth/roles", parameter="include")]}),
        ({"filter[foo]": "x"}, 400, {"errors": [error(400, "unsupported query parameter filter[foo]",
                                                     parameter="filter[foo]")]}),
        ({"page[number]": "0"}, 400, {"errors": [error(400, "page[number]: Must be greater than or equal to 1.",
                                                       parameter="page[number]")]}),
    ],
)
def test_bad_queries(zus, query, status, body):
    response = zus.list_users(**query)
    assert (response.status_code, response.get_json()) == (status, body)


def test_care_team_users_are_not_listed_by_id_either(zus_as):
    response = zus_as("Carla Care").get_user(CARLA)
    assert response.status_code == 403
