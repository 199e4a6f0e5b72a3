"""POST /auth/app-clients, GET (list and one), POST .../rotate-secret; the new credentials work."""

import re

import pytest

from .conftest import ACME_BACKEND, AUDIENCE, NOW, RIVERSIDE_ADMIN_ROLE, ROLES, ZusCaller, error, token

# the App Clients page's create body
CREATE = {"data": {"type": "auth/app-clients",
                   "attributes": {"type": "machine_to_machine", "name": "My Backend", "userType": "builder"},
                   "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Builder Admin"]}}}}}


def create(zus, body=CREATE):
    return zus.post("/auth/app-clients", body)


def test_create_shows_the_secret_once(zus):
    response = create(zus)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert response.headers["Location"] == f"http://localhost/zus/auth/app-clients/{data['id']}"
    attributes = data["attributes"]
    assert re.fullmatch(r"[A-Za-z0-9]{32}", attributes["clientId"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{64}", attributes["clientSecret"])
    assert data == {"type": "auth/app-clients", "id": data["id"], "attributes": {
        "type": "machine_to_machine", "name": "My Backend", "userType": "builder", "clientId": attributes["clientId"],
        "clientSecret": attributes["clientSecret"], "createdAt": NOW, "updatedAt": NOW},
        "relationships": CREATE["data"]["relationships"]}
    shown = zus.get(f"/auth/app-clients/{data['id']}").get_json()["data"]
    assert "clientSecret" not in shown["attributes"]
    assert shown["attributes"]["clientId"] == attributes["clientId"]


def test_the_new_client_gets_tokens_that_act_with_its_role(client, zus):
    attributes = create(zus).get_json()["data"]["attributes"]
    response = token(client, grant_type="client_credentials", client_id=attributes["clientId"],
                     client_secret=attributes["clientSecret"], audience=AUDIENCE)
    assert response.status_code == 200
    assert ZusCaller(client, response.get_json()["access_token"]).list_users().status_code == 200


@pytest.mark.parametrize("kind", ["native", "regular_web_application", "single_page_application",
                                  "machine_to_machine"])
def test_every_documented_type(zus, kind):
    body = {"data": {**CREATE["data"], "attributes": {**CREATE["data"]["attributes"], "type": kind}}}
    assert create(zus, body).get_json()["data"]["attributes"]["type"] == kind


@pytest.mark.parametrize(
    ("changes", "status", "errors"),
    [
        ({"type": "spa"}, 400, [error(400, "type must be one of: native, regular_web_application, "
                                      "single_page_application, machine_to_machine", "/data/attributes/type")]),
        ({"name": None}, 400, [error(400, "name may not be null", "/data/attributes/name")]),
        ({"role": RIVERSIDE_ADMIN_ROLE}, 404, [error(404, f"auth/roles {RIVERSIDE_ADMIN_ROLE} not found in this builder")]),
        ({"resource": "auth/users"}, 409, [error(409, "type auth/users does not match the endpoint (auth/app-clients)")]),
    ],
)
def test_invalid_creates(zus, changes, status, errors):
    data = {**CREATE["data"], "attributes": dict(CREATE["data"]["attributes"])}
    if "type" in changes:
        data["attributes"]["type"] = changes["type"]
    if "name" in changes:
        data["attributes"]["name"] = changes["name"]
    if "role" in changes:
        data["relationships"] = {"auth/roles": {"data": {"type": "auth/roles", "id": changes["role"]}}}
    if "resource" in changes:
        data["type"] = changes["resource"]
    before = zus.get("/auth/app-clients").get_json()["data"]
    response = create(zus, {"data": data})
    assert (response.status_code, response.get_json()) == (status, {"errors": errors})
    assert zus.get("/auth/app-clients").get_json()["data"] == before


def test_list_is_per_builder_without_secrets(zus, zus_as):
    body = zus.get("/auth/app-clients").get_json()
    assert [c["attributes"]["name"] for c in body["data"]] == ["Acme Backend", "Acme Data Integration",
                                                                 "Acme Care Portal"]
    assert all("clientSecret" not in c["attributes"] for c in body["data"])
    assert [c["attributes"]["name"] for c in zus.get("/auth/app-clients", **{"filter[type]": "single_page_application"})
            .get_json()["data"]] == ["Acme Care Portal"]
    assert [c["attributes"]["name"] for c in zus_as("Riley Admin").get("/auth/app-clients").get_json()["data"]] == [
        "Riverside Backend"]


def test_another_builders_client_is_404(zus_as):
    response = zus_as("Riley Admin").get(f"/auth/app-clients/{ACME_BACKEND['id']}")
    assert (response.status_code, response.get_json()) == (404, {"errors": [
        error(404, f"auth/app-clients {ACME_BACKEND['id']} not found")]})


def test_rotate_secret_issues_a_new_secret_and_retires_the_old(client, zus):
    response = zus.post(f"/auth/app-clients/{ACME_BACKEND['id']}/rotate-secret")
    assert response.status_code == 200
    secret = response.get_json()["data"]["attributes"]["clientSecret"]
    assert secret != ACME_BACKEND["clientSecret"]
    grant = {"grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"]}
    assert token(client, **grant, client_secret=ACME_BACKEND["clientSecret"]).status_code == 401
    assert token(client, **grant, client_secret=secret).status_code == 200


def test_rotating_needs_the_write_permission(zus_as):
    response = zus_as("Acme Data Integration").post(f"/auth/app-clients/{ACME_BACKEND['id']}/rotate-secret")
    assert (response.status_code, response.get_json()) == (403, {"errors": [error(
        403, "role Builder Data Integration does not have permission auth/app-clients:write")]})


def test_rotating_an_unknown_client_is_404(zus):
    response = zus.post("/auth/app-clients/nope/rotate-secret")
    assert (response.status_code, response.get_json()) == (404, {"errors": [error(404, "auth/app-clients nope not found")]})
