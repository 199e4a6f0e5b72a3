"""Bearer tokens on every endpoint but /oauth/token: 401 for none, bad or expired; 403 for the role."""

from datetime import timedelta

import jwt
import pytest

from .conftest import FHIR, JSONAPI, ROLES, ZusCaller, credentials, error, outcome, token

ENDPOINTS = [("GET", "/zus/auth/roles"), ("POST", "/zus/auth/users"), ("POST", "/zus/fhir/Practitioner")]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    ("authorization", "detail"),
    [(None, "missing Authorization: Bearer token"), ("Bearer", "missing Authorization: Bearer token"),
     ("Basic abc", "missing Authorization: Bearer token"), ("Bearer not-a-jwt", "invalid token")],
)
def test_missing_or_bad_tokens_are_401_in_the_service_shape(client, method, path, authorization, detail):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.open(path, method=method, headers=headers, json={})
    assert response.status_code == 401
    if "/fhir/" in path:
        assert (response.mimetype, response.get_json()) == (FHIR, outcome("login", detail))
    else:
        assert (response.mimetype, response.get_json()) == (JSONAPI, {"errors": [error(401, detail)]})


def test_a_token_signed_with_another_key_is_invalid(client, zus):
    claims = jwt.decode(zus.headers["Authorization"][7:], options={"verify_signature": False})
    forged = jwt.encode(claims, "a-guessed-key-of-thirty-two-bytes!", algorithm="HS256")
    response = ZusCaller(client, forged).roles()
    assert response.get_json() == {"errors": [error(401, "invalid token")]}


def test_a_fixture_token_expires_an_hour_after_the_clock_it_was_listed_at(app, zus):
    clock = app.extensions["vendor_sandbox.store"].clock
    clock.advance(timedelta(seconds=3599))
    assert zus.roles().status_code == 200
    clock.advance(timedelta(seconds=1))
    assert zus.roles().get_json() == {"errors": [error(401, "token expired")]}


def test_listed_tokens_work_in_every_namespace(client, namespace):
    listed = credentials(client)
    assert ZusCaller(client, listed["Ada Admin"]["token"], namespace=f"{namespace}-other").roles().status_code == 200


def test_a_token_whose_principal_does_not_exist_in_the_namespace_is_invalid(client, zus, namespace):
    created = zus.post("/auth/app-clients", {"data": {"type": "auth/app-clients", "attributes": {
        "type": "machine_to_machine", "name": "Local", "userType": "builder"}, "relationships": {
        "auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Builder Admin"]}}}}}).get_json()["data"]
    access = token(client, grant_type="client_credentials", client_id=created["attributes"]["clientId"],
                   client_secret=created["attributes"]["clientSecret"]).get_json()["access_token"]
    assert ZusCaller(client, access).roles().status_code == 200
    response = ZusCaller(client, access, namespace=f"{namespace}-elsewhere").roles()
    assert (response.status_code, response.get_json()) == (401, {"errors": [error(401, "invalid token")]})


@pytest.mark.parametrize(
    ("name", "method", "path", "permission"),
    [
        ("Carla Care", "GET", "/zus/auth/users", "auth/users:read"),
        ("Carla Care", "POST", "/zus/auth/users", "auth/users:write"),
        ("Carla Care", "POST", "/zus/auth/app-clients", "auth/app-clients:write"),
        ("Acme Data Integration", "POST", "/zus/auth/users", "auth/users:write"),
        ("Perry Permissionless", "GET", "/zus/auth/roles", "auth/roles:read"),
    ],
)
def test_roles_without_the_permission_get_403(client, zus_as, name, method, path, permission):
    caller = zus_as(name)
    role = credentials(client)[name]["role"]
    # the role is checked before the body: an empty body still gets the 403
    response = client.open(path, method=method, headers=caller.headers, json={})
    assert (response.status_code, response.get_json()) == (403, {"errors": [
        error(403, f"role {role} does not have permission {permission}")]})


def test_care_team_users_read_fhir_but_may_not_write_practitioners(zus_as):
    carla = zus_as("Carla Care")
    assert carla.get("/fhir/Practitioner").status_code == 200
    response = carla.create_practitioner({"resourceType": "Practitioner"})
    assert (response.status_code, response.get_json()) == (403, outcome(
        "forbidden", "role Care Team User does not have permission fhir/Practitioner:write"))


def test_revoking_with_permissionless_takes_effect_on_the_next_request(zus, zus_as):
    carla = zus_as("Carla Care")
    assert carla.get("/fhir/Practitioner").status_code == 200
    permissionless = zus.roles(**{"filter[name]": "Permissionless"}).get_json()["data"][0]["id"]
    zus.update_user(carla_id(zus), {"data": {"type": "auth/users", "id": carla_id(zus), "relationships": {
        "auth/roles": {"data": {"type": "auth/roles", "id": permissionless}}}}})
    assert carla.get("/fhir/Practitioner").status_code == 403


def carla_id(zus):
    return zus.list_users(**{"filter[email]": "carla.care@acme.example"}).get_json()["data"][0]["id"]
