"""POST /oauth/token: Auth0's client-credentials grant, JSON or form, Zus's JWT claims."""

import base64
from datetime import timedelta

import jwt
import pytest

from .conftest import ACME, ACME_BACKEND, AUDIENCE, NOW, ROLES, ZusCaller, token

GRANT = {"grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"],
         "client_secret": ACME_BACKEND["clientSecret"], "audience": AUDIENCE}
# the Builder Admin role's permissions (fixtures/zus/roles.json), which Acme Backend holds
ADMIN_PERMISSIONS = ["auth/users:read", "auth/users:write", "auth/roles:read", "auth/app-clients:read",
                     "auth/app-clients:write", "fhir:read", "fhir:write"]


def test_json_body_gets_an_auth0_style_token(client):
    response = token(client, **GRANT)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert list(body) == ["access_token", "scope", "expires_in", "token_type"]  # Auth0's order
    assert (body["scope"], body["expires_in"], body["token_type"]) == (" ".join(ADMIN_PERMISSIONS), 3600, "Bearer")


def test_the_token_is_an_auth0_machine_to_machine_token_with_zus_claims(client):
    claims = jwt.decode(token(client, **GRANT).get_json()["access_token"], options={"verify_signature": False})
    assert claims == {
        "iss": "https://zus-sandbox.us.auth0.com/",
        "sub": f"{ACME_BACKEND['clientId']}@clients",
        "aud": AUDIENCE,  # one string in an M2M token: Auth0 adds no userinfo audience
        "iat": NOW,
        "exp": NOW + 3600,
        "azp": ACME_BACKEND["clientId"],
        "gty": "client-credentials",
        "scope": " ".join(ADMIN_PERMISSIONS),
        "permissions": ADMIN_PERMISSIONS,
        "https://zusapi.com/builder_id": ACME,
        "https://zusapi.com/builder_name": "Acme Health",
        "https://zusapi.com/app_client_id": ACME_BACKEND["id"],
        "https://zusapi.com/user_type": "builder",
        "https://zusapi.com/is_super_org": False,
    }


def test_form_body_and_http_basic_work_too(client):
    form = client.post("/zus/oauth/token", data=GRANT)
    assert form.status_code == 200
    basic = base64.b64encode(f"{GRANT['client_id']}:{GRANT['client_secret']}".encode()).decode()
    response = client.post("/zus/oauth/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200


def test_audience_may_be_left_out(client):
    assert token(client, **{k: v for k, v in GRANT.items() if k != "audience"}).status_code == 200


def test_the_token_works_and_expires_after_an_hour(app, client):
    access = token(client, **GRANT).get_json()["access_token"]
    caller = ZusCaller(client, access)
    assert caller.roles().status_code == 200
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(seconds=3600))
    response = caller.roles()
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["detail"] == "token expired"


@pytest.mark.parametrize(
    ("changes", "status", "body"),
    [
        ({"grant_type": None}, 400, {"error": "invalid_request", "error_description":
                                     "Missing required parameter: grant_type"}),
        ({"grant_type": "secret_handshake"}, 400, {"error": "unsupported_grant_type", "error_description":
                                                   "Unsupported grant type: secret_handshake"}),
        ({"grant_type": "password", "client_secret": "wrong"}, 401, {"error": "access_denied",
                                                                     "error_description": "Unauthorized"}),
        ({"client_id": None}, 400, {"error": "invalid_request", "error_description":
                                    "Missing required parameter: client_id"}),
        ({"client_id": "nobody"}, 401, {"error": "access_denied", "error_description": "Unauthorized"}),
        ({"client_secret": "wrong"}, 401, {"error": "access_denied", "error_description": "Unauthorized"}),
        ({"client_secret": None}, 401, {"error": "access_denied", "error_description": "Unauthorized"}),
        ({"audience": "https://api.zusapi.com"}, 403, {"error": "access_denied", "error_description":
                                                        "Service not found: https://api.zusapi.com"}),
        ({"client_id": 5}, 400, {"error": "invalid_request", "error_description": "client_id: Not a valid string."}),
    ],
)
def test_bad_requests(client, changes, status, body):
    sent = {k: v for k, v in {**GRANT, **changes}.items() if v is not None}
    response = token(client, **sent)
    assert (response.status_code, response.get_json()) == (status, body)


def test_a_single_page_application_may_not_use_client_credentials(client):
    spa = next(c for c in client.get("/_sandbox/credentials").get_json()["zus"] if c["name"] == "Acme Care Portal")
    response = token(client, **{**GRANT, "client_id": spa["clientId"], "client_secret": spa["clientSecret"]})
    assert (response.status_code, response.get_json()) == (403, {
        "error": "unauthorized_client", "error_description": "Grant type 'client_credentials' not allowed for the client."})


@pytest.mark.parametrize("grant", [
    "password", "refresh_token", "authorization_code", "http://auth0.com/oauth/grant-type/password-realm",
    "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange",
    "http://auth0.com/oauth/grant-type/mfa-otp"])
def test_an_m2m_client_has_only_the_client_credentials_grant(client, grant):
    response = token(client, **{**GRANT, "grant_type": grant, "username": "ada@acme.example", "password": "x",
                                "refresh_token": "r", "code": "c"})
    assert (response.status_code, response.get_json()) == (403, {
        "error": "unauthorized_client", "error_description": f"Grant type '{grant}' not allowed for the client."})
    assert response.mimetype == "application/json"


@pytest.mark.parametrize(("grant", "extra", "status", "body"), [
    ("refresh_token", {"refresh_token": "never-issued"}, 403,
     {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."}),
    ("authorization_code", {"code": "never-issued", "redirect_uri": "https://app.example/cb"}, 403,
     {"error": "invalid_grant", "error_description": "Invalid authorization code"}),
    ("password", {"username": "ada@acme.example", "password": "x"}, 403,
     {"error": "unauthorized_client", "error_description": "Grant type 'password' not allowed for the client."}),
])
def test_a_login_application_may_present_only_what_it_was_issued(client, grant, extra, status, body):
    spa = next(c for c in client.get("/_sandbox/credentials").get_json()["zus"] if c["name"] == "Acme Care Portal")
    response = token(client, grant_type=grant, client_id=spa["clientId"], client_secret=spa["clientSecret"], **extra)
    assert (response.status_code, response.get_json()) == (status, body)


def test_a_client_whose_role_grants_nothing_gets_no_scope(client, zus):
    created = zus.post("/auth/app-clients", {"data": {
        "type": "auth/app-clients", "attributes": {"type": "machine_to_machine", "name": "Idle", "userType": "builder"},
        "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Permissionless"]}}}}})
    attributes = created.get_json()["data"]["attributes"]
    response = token(client, **{**GRANT, "client_id": attributes["clientId"], "client_secret": attributes["clientSecret"]})
    assert list(response.get_json()) == ["access_token", "expires_in", "token_type"]
    claims = jwt.decode(response.get_json()["access_token"], options={"verify_signature": False})
    assert (claims["permissions"], "scope" in claims) == ([], False)


def test_malformed_json_is_an_oauth_error(client):
    response = client.post("/zus/oauth/token", data="{nope", content_type="application/json")
    assert (response.status_code, response.get_json()) == (400, {
        "error": "invalid_request", "error_description": "Unable to parse the request body as JSON"})


def test_more_than_200_requests_an_hour_get_429(app, client):
    for _ in range(200):
        assert token(client, **GRANT).status_code == 200
    response = token(client, **GRANT)
    assert (response.status_code, response.get_json()) == (429, {
        "error": "too_many_requests",
        "error_description": "Too many token requests for this client: at most 200 per hour"})
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(hours=1))
    assert token(client, **GRANT).status_code == 200


def test_wrong_method_is_an_oauth_shaped_405(client):
    response = client.get("/zus/oauth/token")
    assert (response.status_code, response.get_json()) == (405, {
        "error": "method_not_allowed", "error_description": "Method Not Allowed"})
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
