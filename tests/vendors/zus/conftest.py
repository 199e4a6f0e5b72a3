"""ZusCaller: the requests a Zus client makes, with one bearer token; fixture facts.

One app for the whole Zus suite, and a fresh namespace per test: the isolation the sandbox offers
its own users, and ~10x faster than an app per test. Tests that need other settings build their own.
"""

import itertools

import pytest
from flask.testing import FlaskClient

from vendor_sandbox import create_app

from ...conftest import FROZEN_AT
from ...live import LiveServer, console_script
from .jsonapi_rules import check_response

ACME = "5b0d6c1e-8a2f-4c7e-9f31-2e4a6b8c0d11"
RIVERSIDE = "9c3e7f20-1b4d-4a6e-8c5f-7d9e0a1b2c33"
ROLES = {  # Acme Health's managed roles
    "Builder Admin": "0f6a1c52-3b7d-4e19-a8c2-5d4f6e7a8b01",
    "Care Team User": "1a7b2d63-4c8e-4f2a-b9d3-6e5a7f8b9c02",
    "Permissionless": "2b8c3e74-5d9f-4a3b-8ae4-7f6b8a9c0d03",
    "Builder Data Integration": "3c9d4f85-6eaa-4b4c-9bf5-8a7c9b0d1e04",
}
RIVERSIDE_ADMIN_ROLE = "4dae5a96-7fbb-4c5d-8c06-9b8dac1e2f05"
ADA = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a51"
CARLA = "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b62"
RILEY = "b4c5d6e7-f8a9-4b0c-9d2e-3f4a5b6c7d84"
CARLA_PRACTITIONER = "a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c21"
DANA_PRACTITIONER = "b4d2f6a8-1c3e-4f7a-9b2d-4f6a8b0c2d32"
SAM_PRACTITIONER = "c5e3a7b9-2d4f-4a8b-8c3e-5a7b9c1d3e43"
ACME_BACKEND = {"id": "c6d7e8f9-a0b1-4c2d-8e3f-4a5b6c7d8e91", "clientId": "AcmeBackendM2MClient0000000000a1",
                "clientSecret": "acme-backend-secret-" + "0" * 44}
AUDIENCE = "https://api.sandbox.zusapi.com"
NOW = 1736937000  # the frozen test clock, 2025-01-15T10:30:00Z, in epoch seconds
JSONAPI = "application/vnd.api+json"
FHIR = "application/fhir+json"


def error(status, detail, pointer=None, parameter=None):
    """One Auth Service error object, with `detail` and Zus's own `details`."""
    titles = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
              406: "Not Acceptable", 409: "Conflict", 413: "Request Entity Too Large", 415: "Unsupported Media Type",
              500: "Internal Server Error"}
    obj = {"status": str(status), "code": status, "title": titles[status], "detail": detail, "details": detail}
    if pointer is not None:
        obj["source"] = {"pointer": pointer}
    if parameter is not None:
        obj["source"] = {"parameter": parameter}
    return obj


def outcome(code, diagnostics, expression=None):
    issue = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def user_body(email="jane@example.com", name="Jane Doe", role=ROLES["Care Team User"], practitioner=None, **extra):
    """The walkthrough's create body (Step 3)."""
    relationships = {"auth/roles": {"data": {"type": "auth/roles", "id": role}}}
    if practitioner:
        relationships["fhir/practitioner"] = {"data": {"type": "fhir/practitioner", "id": practitioner}}
    return {"data": {"type": "auth/users", "attributes": {"email": email, "name": name, "userType": "builder", **extra},
                     "relationships": relationships}}


class ZusCaller:
    def __init__(self, client, token, namespace=None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if namespace:
            self.headers["X-Sandbox-Namespace"] = namespace

    def get(self, path, **query):
        return self.client.get(f"/zus{path}", query_string=query, headers=self.headers)

    def post(self, path, body=None, **kwargs):
        return self.client.post(f"/zus{path}", json=body, headers=self.headers, **kwargs)

    def patch(self, path, body):
        return self.client.patch(f"/zus{path}", json=body, headers=self.headers)

    def roles(self, **query):
        return self.get("/auth/roles", **query)

    def create_user(self, body):
        return self.post("/auth/users", body)

    def list_users(self, **query):
        return self.get("/auth/users", **query)

    def get_user(self, user_id, **query):
        return self.get(f"/auth/users/{user_id}", **query)

    def update_user(self, user_id, body):
        return self.patch(f"/auth/users/{user_id}", body)

    def create_practitioner(self, body):
        return self.post("/fhir/Practitioner", body)


def credentials(client, namespace=None):
    headers = {"X-Sandbox-Namespace": namespace} if namespace else {}
    return {c["name"]: c for c in client.get("/_sandbox/credentials", headers=headers).get_json()["zus"]}


def token(client, **body):
    return client.post("/zus/oauth/token", json=body)


_numbers = itertools.count()


class JsonApiCheckedClient(FlaskClient):
    """Every Auth Service answer any Zus test gets is checked against JSON:API 1.0's document rules."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        path = response.request.path
        if is_auth_service(path) and response.get_data() and response.request.method != "HEAD":
            check_response(response.status_code, response.headers.get("Content-Type"), response.get_json())
        return response


def is_auth_service(path):
    """The JSON:API half of /zus: everything but FHIR and the token endpoint."""
    return path.startswith("/zus/") and not path.startswith(("/zus/fhir", "/zus/oauth/token"))


@pytest.fixture(scope="session")
def app():
    app = create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN_AT, "SEED": 0})
    app.test_client_class = JsonApiCheckedClient
    return app


@pytest.fixture
def namespace():
    return f"zus-test-{next(_numbers)}"


@pytest.fixture
def client(app, namespace):
    """A test client whose every request is in this test's own namespace."""
    client = app.test_client()
    client.environ_base["HTTP_X_SANDBOX_NAMESPACE"] = namespace
    yield client
    app.extensions["vendor_sandbox.store"].clock.set(FROZEN_AT)


@pytest.fixture
def zus_as(client):
    """zus_as("Carla Care"): a ZusCaller with that fixture credential's token."""
    listed = credentials(client)
    return lambda name, **kwargs: ZusCaller(client, listed[name]["token"], **kwargs)


@pytest.fixture
def zus(zus_as):
    """A ZusCaller holding Ada Admin's token (Builder Admin of Acme Health)."""
    return zus_as("Ada Admin")


@pytest.fixture(scope="module")
def server():
    """A live `vendor-sandbox serve`, one per module: for the client libraries that need real sockets."""
    live = LiveServer([*console_script(), "serve", "--threads", "2"]).wait_ready()
    yield live
    live.stop()


def backend_token(server, namespace):
    """An access token for Acme's backend client, in `namespace`, from the live server."""
    status, _, granted = server.request("POST", "/zus/oauth/token", {
        "grant_type": "client_credentials", "audience": AUDIENCE, "client_id": ACME_BACKEND["clientId"],
        "client_secret": ACME_BACKEND["clientSecret"]}, headers={"X-Sandbox-Namespace": namespace})
    assert status == 200, granted
    return granted["access_token"]
