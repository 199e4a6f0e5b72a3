"""NablaCaller: the protocol steps a Nabla Server API client makes, through either door."""

import re
from functools import cache

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from vendor_sandbox import create_app

from ...conftest import FROZEN_AT

CORE = "/nabla/v1/core/server"
COPILOT = "/nabla/v1/copilot-api/server"
TOKEN_URL = f"http://localhost{CORE}/oauth/token"  # what the Flask test client's requests see
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
NOW = 1736937000  # conftest.FROZEN_AT, 2025-01-15T10:30:00Z
CREATED_NOW = "2025-01-15T10:30:00.000Z"
EXAMPLE, LEGACY, THROTTLED = "Example Health", "Legacy Clinic", "Throttled Practice"

# Nabla's own examples (docs and OpenAPI): the User example's id, the path parameter example id
DOCS_USER_ID = "98FCE1EF-DBCA-41EF-8BC7-4D1621AC07C6"
DOCS_PATH_ID = "23A9981B-9E46-4ADB-BB0B-8E406C624540"
DEACTIVATED_ID = "c3e1b7a2-5d4f-4c6e-9a8b-7f6e5d4c3b2a"
LEGACY_USER_ID = "e5a3d9c4-7f6b-4e8a-9c0d-1b2c3d4e5f60"


class Trace:
    """Equal to any Nabla-shaped trace id."""

    def __eq__(self, other):
        return isinstance(other, str) and re.fullmatch(r"projects/vendor-sandbox/traces/[0-9a-f]{32}", other)

    def __repr__(self):
        return "<trace_id>"


def nabla_error(message, code=400, name="BAD_REQUEST"):
    """The error JSON structure of Nabla's error-handling guide, plus the members a real client
    recorded from the live API (a Canvas EHR plugin, 2025): `traceId` and `debuggingHints: []`."""
    return {"message": message, "code": code, "name": name, "trace_id": Trace(), "traceId": Trace(),
            "debuggingHints": []}


NOT_FOUND = nabla_error("A user entity was not found.", 20000, "ENTITY_NOT_FOUND")
# recorded from the live API: an unknown external id is a 400 with Nabla's not-found code
EXTERNAL_ID_NOT_FOUND = nabla_error("A 'copilot_api_user' entity was not found.", 20000, "ENTITY_NOT_FOUND")
ENDPOINT_NOT_FOUND = nabla_error("The requested endpoint was not found.", 404, "NOT_FOUND")
NOT_UNIQUE = nabla_error("A user with this external_id already exists.", 40052, "ENTITY_IS_NOT_UNIQUE")
UNAUTHORIZED = nabla_error("Missing or invalid bearer token.", 401, "UNAUTHORIZED")


def assertion(credential, **claims):
    """A client assertion as Nabla's Python example builds it (PyJWT, RS256); None drops a claim."""
    client_id = credential["clientId"]
    payload = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "iat": NOW, "exp": NOW + 300, **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, private_key(credential["privateKey"]), algorithm="RS256")


@cache
def private_key(pem):
    """The loaded key (loading a PEM checks the RSA key, ~40 ms: once per key, not per assertion)."""
    return serialization.load_pem_private_key(pem.encode(), password=None)


def token_body(client_assertion):
    return {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
            "client_assertion": client_assertion}


class NablaCaller:
    def __init__(self, client, prefix, bearer, version=None, namespace=None):
        self._client = client
        self.prefix = prefix
        self.headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        if version:
            self.headers["X-Nabla-Api-Version"] = version
        if namespace:
            self.headers["X-Sandbox-Namespace"] = namespace

    def request(self, method, path, body=None, **kwargs):
        return self._client.open(f"{self.prefix}{path}", method=method, json=body,
                                 headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

    def create_user(self, body=None, **kwargs):
        return self.request("POST", "/users", {} if body is None else body, **kwargs)

    def list_users(self, **query):
        return self.request("GET", "/users", query_string=query)

    def get_user(self, user_id):
        return self.request("GET", f"/users/{user_id}")

    def find_user(self, external_id):
        return self.request("GET", f"/users/find_by_external_id/{external_id}")

    def update_user(self, user_id, body):
        return self.request("PATCH", f"/users/{user_id}", body)

    def activate(self, user_id, body=None):
        return self.request("POST", f"/users/{user_id}/activate", {} if body is None else body)

    def deactivate(self, user_id, body=None):
        return self.request("POST", f"/users/{user_id}/deactivate", {} if body is None else body)

    def authenticate_user(self, user_id, body=None):
        return self.request("POST", f"/jwt/authenticate/{user_id}", body)


@pytest.fixture(scope="session")
def shared_app():
    return create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN_AT, "SEED": 0})


@pytest.fixture
def app(shared_app):
    """One app for the Nabla suite (building one costs ~0.1 s), back to the seeded state for each test."""
    store = shared_app.extensions["vendor_sandbox.store"]
    store.clock.set(FROZEN_AT)
    for name in store.namespaces():
        store.reset(name)
    return shared_app


@pytest.fixture
def credentials(client):
    """The nabla entries of /_sandbox/credentials, by organization name."""
    entries = client.get("/_sandbox/credentials").get_json()["nabla"]
    return {entry["name"].split(" (")[0]: entry for entry in entries}


@pytest.fixture
def get_token(client, credentials):
    def get_token(org=EXAMPLE, namespace=None, **claims):
        headers = {"X-Sandbox-Namespace": namespace} if namespace else {}
        response = client.post(f"{CORE}/oauth/token", json=token_body(assertion(credentials[org], **claims)),
                               headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["access_token"]

    return get_token


@pytest.fixture
def nabla_as(client, credentials, get_token):
    """nabla_as(org, version=..., door="copilot"): a caller through either door."""

    def make(org=EXAMPLE, version=None, door="core", namespace=None):
        if door == "copilot":
            return NablaCaller(client, COPILOT, credentials[org]["serverKey"], version, namespace)
        return NablaCaller(client, CORE, get_token(org, namespace), version, namespace)

    return make


@pytest.fixture
def nabla(nabla_as):
    """The Core API as Example Health, at its pinned version (2026-04-24)."""
    return nabla_as()


@pytest.fixture
def copilot(nabla_as):
    """The archived Copilot API as Example Health, with its Server Key."""
    return nabla_as(door="copilot")
