"""WelkinCaller: the protocol steps a Welkin client makes, with one API client's token."""

import json
import re
from pathlib import Path

import pytest

DOCS_CLIENT = {"apiClient": "your-api-client-key", "secret": "your-api-client-secret"}
READ_ONLY = {"apiClient": "MTNKDGUAGPUE", "secret": "welkin-test-readonly-secret"}
ATTRIBUTES_ONLY = {"apiClient": "QXRBZKCNWLTA", "secret": "welkin-test-attributes-secret"}
LEGACY_CLIENT = {"apiClient": "VBOPNRYRWJIP", "secret": "+}B{KGTG6#zG%P;tQm0C"}
# the docs' example user: the docs write its id as the placeholder `user-uuid`; ours is a real UUID
DOCS_USER = "4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35"
JOHN = "20eb246e-8099-4c7c-854c-5e0f9a366ddb"  # the legacy docs' johndoe
# the legacy docs' user record (create, read, PATCH and PUT all show it)
DOCS_USER_RECORD = {
    "username": "johndoe",
    "email": "j.doe@email.com",
    "phone": "+15552009845",
    "timezone": "America/Los_Angeles",
    "firstName": "John",
    "lastName": "Doe",
    "credentials": "MD",
}
NOW = "2025-01-15T10:30:00.000Z"
DOCS = (Path(__file__).parent / "welkin-users.md").read_text(encoding="utf-8")
HEADERS = {
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, PATCH, OPTIONS",
    "Access-Control-Allow-Headers": "authorization, content-type, xsrf-token, security-role",
    "Access-Control-Expose-Headers": "xsrf-token",
    "Access-Control-Max-Age": "3600",
}


def docs_example(title):
    """(method, path, JSON body) of the ```http example under the docs' heading `title`, with the
    docs' placeholder `user-uuid` replaced by the example user's real id, as a client would."""
    section = DOCS.split(f"### {title}", 1)[1]
    block = re.search(r"```http\n(.*?)```", section, re.S).group(1)
    request_line, _, rest = block.partition("\n")
    method, path = request_line.split()
    return method, path.replace("/user-uuid/", f"/{DOCS_USER}/"), json.loads(rest[rest.index("{") :])


def invalid(field, message, component="USER"):
    return {
        "errorCode": "VALIDATION_ERROR",
        "componentType": component,
        "message": message,
        "details": {"field": field},
        "date": NOW,
    }


def error(code, component, message, details=None):
    return {
        "errorCode": code,
        "componentType": component,
        "message": message,
        "details": details or {},
        "date": NOW,
    }


USER_NOT_FOUND = [error("USER_NOT_FOUND", "USER", "User doesn't exist")]


class WelkinCaller:
    def __init__(self, client, credentials=DOCS_CLIENT, tenant="acme-health", instance="live"):
        self._client = client
        self.tenant, self.instance = tenant, instance
        self.headers = {}
        if credentials:
            response = client.post("/welkin/auth/token", json=credentials)
            assert response.status_code == 200, response.get_json()
            self.headers["Authorization"] = f"Bearer {response.get_json()['token']}"

    @property
    def base(self):
        return f"/welkin/{self.tenant}/{self.instance}/users"

    def request(self, method, path, **kwargs):
        return self._client.open(path, method=method, headers=self.headers, **kwargs)

    def create_user(self, body=None, **fields):
        return self.request("POST", self.base, json=fields if body is None else body)

    def list_users(self, **query):
        return self.request("GET", self.base, query_string=query)

    def get_user(self, user_id):
        return self.request("GET", f"{self.base}/{user_id}")

    def update_user(self, user_id, body=None, **fields):
        return self.request("PATCH", f"{self.base}/{user_id}", json=fields if body is None else body)

    def put_policies(self, user_id, body):
        return self.request("PUT", f"{self.base}/{user_id}/policies", json=body)

    def get_territories(self, user_id):
        return self.request("GET", f"{self.base}/{user_id}/territories")

    def patch_territories(self, user_id, body):
        return self.request("PATCH", f"{self.base}/{user_id}/territories", json=body)

    def admin(self, method, path, **kwargs):
        return self.request(method, f"/welkin/{self.tenant}/admin/{path}", **kwargs)


@pytest.fixture
def welkin(client):
    """A WelkinCaller with the docs' API client (acme-health, every instance and Admin Access)."""
    return WelkinCaller(client)


@pytest.fixture
def welkin_as(client):
    """welkin_as(READ_ONLY, instance="live"): a WelkinCaller with another fixture client."""
    return lambda credentials=DOCS_CLIENT, **kwargs: WelkinCaller(client, credentials, **kwargs)


@pytest.fixture
def gh(welkin_as):
    """The legacy docs' caller: tenant `gh`, instance sb-demo, with the legacy API client."""
    return welkin_as(LEGACY_CLIENT, tenant="gh", instance="sb-demo")


NOT_PROVISIONED_MSG = "can only be changed while the user is PROVISIONED"
