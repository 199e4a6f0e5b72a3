"""The MUSTs JSON:API 1.0 puts on a server, at the Auth Service's HTTP boundary.

Each test names the rule of https://jsonapi.org/format/1.0/ it holds us to.
"""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from .conftest import ACME_BACKEND, ADA, CARLA, JSONAPI, RIVERSIDE_ADMIN_ROLE, ROLES, error, user_body
from .test_list_roles import BUILDER_ADMIN

APP_CLIENT = {"data": {"type": "auth/app-clients",
                       "attributes": {"type": "machine_to_machine", "name": "Nightly", "userType": "builder"},
                       "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Builder Admin"]}}}}}
# every Auth Service endpoint, as (method, path, body)
ENDPOINTS = [
    ("GET", "/auth/roles", None),
    ("GET", f"/auth/roles/{ROLES['Builder Admin']}", None),
    ("GET", "/auth/users", None),
    ("POST", "/auth/users", user_body()),
    ("GET", f"/auth/users/{CARLA}", None),
    ("PATCH", f"/auth/users/{CARLA}", {"data": {"type": "auth/users", "id": CARLA, "attributes": {"name": "C"}}}),
    ("GET", "/auth/app-clients", None),
    ("POST", "/auth/app-clients", APP_CLIENT),
    ("GET", f"/auth/app-clients/{ACME_BACKEND['id']}", None),
    ("POST", f"/auth/app-clients/{ACME_BACKEND['id']}/rotate-secret", None),
]
IDS = [f"{method} {path.split('/', 3)[-1][:24]}" for method, path, _ in ENDPOINTS]


def send(zus, method, path, body=None, headers=None, query=None):
    data = json.dumps(body) if body is not None else None
    return zus.client.open(f"/zus{path}", method=method, data=data, query_string=query,
                           headers={**zus.headers, **({"Content-Type": JSONAPI} if data else {}), **(headers or {})})


# Content Negotiation: Servers MUST respond with 415 Unsupported Media Type if a request specifies
# the header Content-Type: application/vnd.api+json with any media type parameters.

@pytest.mark.parametrize("content_type", [f"{JSONAPI}; charset=utf-8", f"{JSONAPI};ext=bulk",
                                          "Application/Vnd.Api+JSON; version=1"])
def test_the_jsonapi_media_type_with_parameters_is_415(zus, content_type):
    response = send(zus, "POST", "/auth/users", user_body(), {"Content-Type": content_type})
    assert (response.status_code, response.get_json()) == (415, {"errors": [error(
        415, "Content-Type application/vnd.api+json must not have media type parameters")]})
    assert response.headers["Content-Type"] == JSONAPI
    assert zus.list_users(**{"filter[email]": "jane@example.com"}).get_json()["data"] == []


def test_the_header_alone_is_enough_for_415(zus):
    response = send(zus, "GET", "/auth/roles", headers={"Content-Type": f"{JSONAPI}; charset=utf-8"})
    assert response.status_code == 415


@pytest.mark.parametrize("content_type", [JSONAPI, "application/json", "application/json; charset=utf-8"])
def test_other_content_types_are_not_refused(zus, content_type):
    response = send(zus, "POST", "/auth/users", user_body(), {"Content-Type": content_type})
    assert response.status_code == 201


# Servers MUST respond with 406 Not Acceptable if a request's Accept header contains the JSON:API media
# type and all instances of that media type are modified with media type parameters.

@pytest.mark.parametrize("accept", [f"{JSONAPI}; ext=bulk", f"{JSONAPI};profile=x, {JSONAPI}; charset=utf-8",
                                    f"{JSONAPI}; ext=bulk, text/html;q=0.9, */*;q=0.1"])
def test_accept_with_only_parameterised_jsonapi_entries_is_406(zus, accept):
    response = send(zus, "GET", "/auth/roles", headers={"Accept": accept})
    assert (response.status_code, response.get_json()) == (406, {"errors": [error(
        406, "Accept must allow application/vnd.api+json without media type parameters")]})
    assert response.headers["Content-Type"] == JSONAPI


@pytest.mark.parametrize("accept", [JSONAPI, f"{JSONAPI}; ext=bulk, {JSONAPI}", f"{JSONAPI};q=0.5",
                                    f"{JSONAPI}; q=0.5; ext=bulk", f"{JSONAPI};", "application/json", "*/*", ""])
def test_accept_that_allows_the_plain_media_type_is_served(zus, accept):
    response = send(zus, "GET", "/auth/roles", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSONAPI  # with no media type parameters, as the spec asks


# Creating Resources: A server MUST return 403 Forbidden in response to an unsupported request to create
# a resource with a client-generated ID.

@pytest.mark.parametrize(("path", "body", "collection"), [
    ("/auth/users", user_body(), "/auth/users"), ("/auth/app-clients", APP_CLIENT, "/auth/app-clients")])
@pytest.mark.parametrize("client_id", ["7f0e9a3c-1b2d-4c5e-8f6a-7b8c9d0e1f2a", None])
def test_a_client_generated_id_is_403_and_creates_nothing(zus, path, body, collection, client_id):
    before = zus.get(collection, **{"page[count]": 1000}).get_json()["data"]
    response = zus.post(path, {"data": {**body["data"], "id": client_id}})
    assert (response.status_code, response.get_json()) == (403, {"errors": [error(
        403, "client-generated ids are not supported: leave out data.id and the server assigns one",
        pointer="/data/id")]})
    assert zus.get(collection, **{"page[count]": 1000}).get_json()["data"] == before


# Query Parameters: a parameter named only with a-z that the server does not know how to process as one
# of the spec's MUST be a 400 (implementation-specific names carry a non a-z character).

@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=IDS)
@pytest.mark.parametrize("name", ["foo", "sort", "page", "filter", "fields"])
def test_unknown_all_lowercase_parameters_are_400(zus, method, path, body, name):
    response = send(zus, method, path, body, query={name: "x"})
    assert (response.status_code, response.get_json()) == (400, {"errors": [error(
        400, f"unsupported query parameter {name}", parameter=name)]})


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS[:3] + ENDPOINTS[4:5] + ENDPOINTS[6:7] + ENDPOINTS[8:9],
                         ids=IDS[:3] + IDS[4:5] + IDS[6:7] + IDS[8:9])
def test_implementation_specific_names_are_not_refused(zus, method, path, body):
    response = send(zus, method, path, body, query={"fooBar": "x", "foo_bar": "y", "cache-buster": "1"})
    assert response.status_code == 200


# Inclusion of Related Resources: an endpoint that does not support `include` MUST answer it with 400,
# and a path the server cannot include MUST be a 400 too.

@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS[:2], ids=IDS[:2])
def test_include_where_the_resources_have_no_relationships_is_400(zus, method, path, body):
    response = send(zus, method, path, body, query={"include": "auth/roles"})
    assert (response.status_code, response.get_json()) == (400, {"errors": [error(
        400, "unsupported query parameter include", parameter="include")]})


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    (*ENDPOINTS[3], 201), (*ENDPOINTS[5], 200), (*ENDPOINTS[7], 201), (*ENDPOINTS[9], 200)],
    ids=[IDS[i] for i in (3, 5, 7, 9)])
def test_creates_updates_and_rotations_answer_with_the_included_role(zus, method, path, body, status):
    response = send(zus, method, path, body, query={"include": "auth/roles"})
    assert response.status_code == status
    document = response.get_json()
    role_id = document["data"]["relationships"]["auth/roles"]["data"]["id"]
    assert document["included"] == [zus.get(f"/auth/roles/{role_id}").get_json()["data"]]


@pytest.mark.parametrize(("method", "path", "body"), [ENDPOINTS[i] for i in (3, 5, 7, 9)],
                         ids=[IDS[i] for i in (3, 5, 7, 9)])
def test_a_write_with_an_unsupported_include_is_400_before_it_changes_anything(zus, method, path, body):
    before = [zus.get(p, **{"page[count]": 1000}).get_json() for p in ("/auth/users", "/auth/app-clients")]
    response = send(zus, method, path, body, query={"include": "fhir/practitioner"})
    assert (response.status_code, response.get_json()) == (400, {"errors": [error(
        400, "include path fhir/practitioner is not supported; use auth/roles", parameter="include")]})
    assert [zus.get(p, **{"page[count]": 1000}).get_json() for p in ("/auth/users", "/auth/app-clients")] == before


def test_app_clients_include_their_roles_once_each(zus):
    body = zus.get("/auth/app-clients", include="auth/roles").get_json()
    assert [c["relationships"]["auth/roles"]["data"]["id"] for c in body["data"]] == [
        ROLES["Builder Admin"], ROLES["Builder Data Integration"], ROLES["Care Team User"]]
    assert [r["id"] for r in body["included"]] == [
        ROLES["Builder Admin"], ROLES["Builder Data Integration"], ROLES["Care Team User"]]
    assert body["included"][0] == BUILDER_ADMIN
    assert "included" not in zus.get("/auth/app-clients").get_json()


def test_an_app_client_includes_its_role(zus):
    body = zus.get(f"/auth/app-clients/{ACME_BACKEND['id']}", include="auth/roles").get_json()
    assert body["included"] == [BUILDER_ADMIN]
    assert body["data"]["relationships"]["auth/roles"]["data"] == {"type": "auth/roles", "id": ROLES["Builder Admin"]}


def test_a_page_includes_the_roles_of_that_page_only(zus):
    body = zus.get("/auth/app-clients", include="auth/roles", **{"page[count]": 1, "page[offset]": 1}).get_json()
    assert [r["id"] for r in body["included"]] == [ROLES["Builder Data Integration"]]


@pytest.mark.parametrize("path", [f"/auth/app-clients/{ACME_BACKEND['id']}", "/auth/app-clients"])
@pytest.mark.parametrize("include", ["role", "auth/roles.permissions", "auth/roles,auth/users", ""])
def test_an_app_client_include_path_we_do_not_support_is_400(zus, path, include):
    response = zus.get(path, include=include)
    shown = include.split(",")[-1] if "," in include else include
    assert (response.status_code, response.get_json()) == (400, {"errors": [error(
        400, f"include path {shown} is not supported; use auth/roles", parameter="include")]})


# Fetching Resources: a server MUST answer a fetch of a single resource, and 404 one that does not exist.

def test_get_a_role(zus):
    response = zus.get(f"/auth/roles/{ROLES['Builder Admin']}")
    assert (response.status_code, response.get_json()) == (200, {"data": BUILDER_ADMIN})
    assert response.headers["Content-Type"] == JSONAPI


@pytest.mark.parametrize("role_id", [RIVERSIDE_ADMIN_ROLE, "00000000-0000-4000-8000-000000000000", "x"])
def test_an_unknown_or_other_builders_role_is_404(zus, role_id):
    response = zus.get(f"/auth/roles/{role_id}")
    assert (response.status_code, response.get_json()) == (404, {"errors": [error(404, f"auth/roles {role_id} not found")]})


def test_reading_a_role_takes_the_roles_read_permission(zus_as):
    assert zus_as("Carla Care").get(f"/auth/roles/{ROLES['Care Team User']}").status_code == 200
    response = zus_as("Perry Permissionless").get(f"/auth/roles/{ROLES['Care Team User']}")
    assert (response.status_code, response.get_json()) == (403, {"errors": [error(
        403, "role Permissionless does not have permission auth/roles:read")]})


# Links: a link is a URL; brackets in a query are reserved characters (RFC 3986) and are percent-encoded.

def test_pagination_links_are_percent_encoded_and_lead_back_to_the_same_query(zus):
    body = zus.list_users(**{"filter[email]": "ada+x@acme.example", "page[count]": 1}).get_json()
    assert body["links"]["self"] == ("http://localhost/zus/auth/users?filter%5Bemail%5D=ada%2Bx%40acme.example"
                                     "&page%5Bcount%5D=1&page%5Boffset%5D=0")
    assert parse_qsl(urlsplit(body["links"]["self"]).query) == [
        ("filter[email]", "ada+x@acme.example"), ("page[count]", "1"), ("page[offset]", "0")]


# Error Objects: the members are the spec's; status is a string; source.parameter names the parameter.

def test_error_objects_carry_the_spec_members_and_zus_details(zus):
    response = zus.list_users(**{"page[count]": "x"})
    (obj,) = response.get_json()["errors"]
    assert obj == {"status": "400", "code": 400, "title": "Bad Request", "detail": "page[count]: Not a valid integer.",
                   "details": "page[count]: Not a valid integer.", "source": {"parameter": "page[count]"}}


def test_a_user_reads_as_before_with_include(zus):
    assert zus.get_user(ADA, include="auth/roles").get_json()["included"] == [BUILDER_ADMIN]


# Updating Resources: A server MUST return 403 Forbidden in response to an unsupported request to update
# a resource. The timestamps are the server's; sending them back unchanged (as clients that PATCH the
# whole resource do) is no request to change them.

@pytest.mark.parametrize("member", ["createdAt", "updatedAt"])
def test_changing_a_timestamp_is_403_and_changes_nothing(zus, member):
    before = zus.get_user(CARLA).get_json()
    response = zus.update_user(CARLA, {"data": {"type": "auth/users", "id": CARLA,
                                                "attributes": {"name": "Renamed", member: 1}}})
    assert (response.status_code, response.get_json()) == (403, {"errors": [error(
        403, f"{member} is set by the server and cannot be changed", pointer=f"/data/attributes/{member}")]})
    assert zus.get_user(CARLA).get_json() == before


def test_the_whole_resource_sent_back_unchanged_is_accepted(zus):
    current = zus.get_user(CARLA).get_json()["data"]
    sent = {**current, "attributes": {**current["attributes"], "name": "Carla Care-Smith"}}
    response = zus.update_user(CARLA, {"data": sent})
    assert response.status_code == 200
    assert response.get_json()["data"]["attributes"]["name"] == "Carla Care-Smith"
