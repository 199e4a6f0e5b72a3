"""POST /auth/app-clients: the documented body and types; the secret is shown once and works."""

import re

import pytest

from .conftest import AUDIENCE, NOW, RIVERSIDE_ADMIN_ROLE, ROLES, ZusCaller, error, token

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
