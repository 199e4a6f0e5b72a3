"""POST /auth/token, the legacy api_clients token, Bearer checks, tenant isolation, the rate limit."""

from datetime import timedelta

import jwt
import pytest

from vendor_sandbox import create_app

from .conftest import DOCS_CLIENT, DOCS_USER, LEGACY_CLIENT, NOW, READ_ONLY, error, invalid

CREDENTIALS_INVALID = [
    error("NOT_VALID_API_CLIENT_CREDENTIALS", "AUTH", "API client name or secret is not valid")
]
NOT_VALID_JWT = [error("NOT_VALID_JSON_WEB_TOKEN", "AUTH", "JWT token is not valid")]
TOO_MANY = [
    error(
        "TOO_MANY_REQUESTS", "AUTH", "Token requested more than 100 times in 5 minutes; blocked for 5 minutes"
    )
]


def restricted(client_id, client_name, tenant, uri):
    return [
        {
            "errorCode": "ACCESS_FOR_API_CLIENT_RESTRICTED",
            "componentType": "AUTH",
            "message": "Access to this API is restricted for the APIClient",
            "details": {
                "clientId": client_id,
                "clientName": client_name,
                "clientType": "API_CLIENT",
                "organizationName": tenant,
                "requestURI": uri,
            },
        }
    ]


DOCS_RESTRICTED = ("3ed223c9-a61f-4f09-8e32-04dd656466c4", "your-api-client-key", "acme-health")


def test_token_is_a_jwt_valid_for_one_hour(client):
    response = client.post("/welkin/auth/token", json=DOCS_CLIENT)
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["token", "expiresAt"]
    assert body["expiresAt"] == "2025-01-15T11:30:00Z"
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert claims["custom:type"] == "API_CLIENT" and claims["exp"] - claims["iat"] == 3600


def test_legacy_token_endpoint_from_the_old_docs(client):
    response = client.post(
        "/welkin/gh/admin/api_clients/VBOPNRYRWJIP", json={"secret": LEGACY_CLIENT["secret"]}
    )
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert list(response.get_json()) == ["token"]
    users = client.get("/welkin/gh/admin/users/johndoe", headers={"Authorization": f"Bearer {token}"})
    assert users.status_code == 200 and users.get_json()["email"] == "j.doe@email.com"


@pytest.mark.parametrize(
    ("path", "body", "status", "expected"),
    [
        (
            "/welkin/auth/token",
            {},
            400,
            [
                invalid("secret", "must not be blank", "AUTH"),
                invalid("apiClient", "must not be blank", "AUTH"),
            ],
        ),
        ("/welkin/auth/token", {**DOCS_CLIENT, "secret": "wrong"}, 401, CREDENTIALS_INVALID),
        ("/welkin/auth/token", {**DOCS_CLIENT, "apiClient": "NOPE"}, 401, CREDENTIALS_INVALID),
        (
            "/welkin/acme-health/admin/api_clients/VBOPNRYRWJIP",
            {"secret": LEGACY_CLIENT["secret"]},
            401,
            CREDENTIALS_INVALID,
        ),
        (
            "/welkin/gh/admin/api_clients/VBOPNRYRWJIP",
            {},
            400,
            [invalid("secret", "must not be blank", "AUTH")],
        ),
    ],
)
def test_token_errors(client, path, body, status, expected):
    response = client.post(path, json=body)
    assert (response.status_code, response.get_json()) == (status, expected)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic abc",
        "Bearer ",
        "Bearer not-a-jwt",
        # a well-formed JWT for the docs' client, signed with another key
        "Bearer eyJhbGciOiJIUzI1NiJ9."
        "eyJjb2duaXRvOnVzZXJuYW1lIjoieW91ci1hcGktY2xpZW50LWtleSIsImV4cCI6OTk5OTk5OTk5OX0.x",
    ],
)
def test_missing_or_invalid_tokens_are_401_not_valid_json_web_token(client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/welkin/acme-health/live/users", headers=headers)
    assert (response.status_code, response.get_json()) == (401, NOT_VALID_JWT)


def test_a_token_expires_after_one_hour_of_sandbox_time(app, welkin):
    assert welkin.list_users().status_code == 200
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(hours=1))
    response = welkin.list_users()
    assert response.status_code == 401
    assert response.get_json() == [
        {**error("TOKEN_EXPIRED", "AUTH", "JWT token is expired"), "date": "2025-01-15T11:30:00.000Z"}
    ]


def test_a_token_is_bound_to_its_namespace(client):
    token = client.post("/welkin/auth/token", json=DOCS_CLIENT).get_json()["token"]
    response = client.get(
        "/welkin/acme-health/live/users",
        headers={"Authorization": f"Bearer {token}", "X-Sandbox-Namespace": "other"},
    )
    assert (response.status_code, response.get_json()) == (401, NOT_VALID_JWT)


@pytest.mark.parametrize(
    ("method", "path", "uri"),
    [
        ("GET", "/welkin/gh/sb-demo/users", "/gh/sb-demo/users"),
        ("GET", "/welkin/no-such-tenant/live/users", "/no-such-tenant/live/users"),
        ("GET", "/welkin/gh/admin/users/johndoe", "/gh/admin/users/johndoe"),
        (
            "GET",
            "/welkin/gh/sb-demo/users/20eb246e-8099-4c7c-854c-5e0f9a366ddb/territories",
            "/gh/sb-demo/users/20eb246e-8099-4c7c-854c-5e0f9a366ddb/territories",
        ),
    ],
)
def test_another_tenant_is_403_access_restricted(welkin, method, path, uri):
    response = welkin.request(method, path)
    assert (response.status_code, response.get_json()) == (403, restricted(*DOCS_RESTRICTED, uri))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/welkin/acme-health/sandbox/users", None),
        ("POST", "/welkin/acme-health/live/users", {"firstName": "A"}),
        ("PUT", f"/welkin/acme-health/live/users/{DOCS_USER}/policies", {"policies": []}),
        ("PATCH", f"/welkin/acme-health/live/users/{DOCS_USER}/territories", {"territories": []}),
        ("PATCH", f"/welkin/acme-health/live/users/{DOCS_USER}", {"firstName": "A"}),
        ("POST", "/welkin/acme-health/admin/users", {}),
    ],
)
def test_a_client_without_the_instance_or_admin_access_is_403(welkin_as, method, path, body):
    reader = welkin_as(READ_ONLY)
    response = reader.request(method, path, json=body)
    uri = path.removeprefix("/welkin")
    expected = restricted("02d24359-54ef-4d82-92dc-fbcdc94242c0", "MTNKDGUAGPUE", "acme-health", uri)
    assert (response.status_code, response.get_json()) == (403, expected)


def test_an_unknown_instance_of_the_own_tenant_is_404(welkin):
    response = welkin.request("GET", "/welkin/acme-health/nowhere/users")
    assert (response.status_code, response.get_json()) == (
        404,
        [error("INSTANCE_NOT_FOUND", "INSTANCE", "Instance doesn't exist")],
    )


def test_more_than_100_token_requests_in_5_minutes_block_for_5_minutes(app, client):
    clock = app.extensions["vendor_sandbox.store"].clock
    for _ in range(100):
        assert client.post("/welkin/auth/token", json=DOCS_CLIENT).status_code == 200
    response = client.post("/welkin/auth/token", json=DOCS_CLIENT)
    assert (response.status_code, response.get_json()) == (429, TOO_MANY)
    assert client.post("/welkin/auth/token", json=READ_ONLY).status_code == 200  # per API client
    clock.advance(timedelta(minutes=4, seconds=59))
    assert client.post("/welkin/auth/token", json=DOCS_CLIENT).status_code == 429
    clock.advance(timedelta(seconds=1))
    assert client.post("/welkin/auth/token", json=DOCS_CLIENT).status_code == 200


def test_the_window_slides(app, client):
    clock = app.extensions["vendor_sandbox.store"].clock
    for _ in range(100):
        client.post("/welkin/auth/token", json=DOCS_CLIENT)
    clock.advance(timedelta(minutes=5))
    assert client.post("/welkin/auth/token", json=DOCS_CLIENT).status_code == 200


def test_the_rate_limit_can_be_switched_off():
    client = create_app(
        {"TESTING": True, "FROZEN_CLOCK": NOW, "WELKIN_TOKEN_RATE_LIMIT": False}
    ).test_client()
    statuses = {client.post("/welkin/auth/token", json=DOCS_CLIENT).status_code for _ in range(150)}
    assert statuses == {200}


def test_cors_preflight_needs_no_token(client):
    response = client.options("/welkin/acme-health/live/users")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
