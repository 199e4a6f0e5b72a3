"""HippCaller: the protocol steps a Hipp client makes, with one API key."""

import pytest

BASE = "/hipp/api"
DOCS_KEY = "your-api-key"  # the key in Hipp's own examples: an ADMIN of Example Organization
EXAMPLE_ORG = {"name": "Example Organization", "publicId": "org_abc123def456"}
OTHER_ORG = {"name": "Riverside Clinic", "publicId": "org_rvs7k2m9q4x1"}


class HippCaller:
    def __init__(self, client, api_key=DOCS_KEY, namespace=None, authorization=None):
        self._client = client
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        if authorization is not None:  # a raw Authorization header, e.g. "Basic ..."
            self.headers["Authorization"] = authorization
        if namespace:
            self.headers["X-Sandbox-Namespace"] = namespace

    def create_user(self, body=None, **kwargs):
        if body is None:
            body = kwargs
        return self._client.post(f"{BASE}/v1/users", json=body, headers=self.headers)

    def post_raw(self, data, content_type="application/json"):
        return self._client.post(f"{BASE}/v1/users", data=data, headers=self.headers,
                                 content_type=content_type)

    def list_users(self, **query):
        return self._client.get(f"{BASE}/v1/users", query_string=query, headers=self.headers)

    def get_user(self, public_id):
        return self._client.get(f"{BASE}/v1/users/{public_id}", headers=self.headers)

    def request(self, method, path, **kwargs):
        """Any method on any path (relative to the sandbox root, e.g. "/hipp/api/v2/nope")."""
        return self._client.open(path, method=method, headers=self.headers, **kwargs)


@pytest.fixture
def hipp(client):
    """A HippCaller holding the docs' own key (ADMIN, Example Organization)."""
    return HippCaller(client)


@pytest.fixture
def hipp_as(client):
    """hipp_as("hipp_test_clinician"): a HippCaller with another fixture key."""
    return lambda api_key, **kwargs: HippCaller(client, api_key, **kwargs)


@pytest.fixture
def hipp_auth(client):
    """hipp_auth("Basic abc"): a HippCaller sending that exact Authorization header (None: none)."""
    return lambda authorization: HippCaller(client, None, authorization=authorization)
