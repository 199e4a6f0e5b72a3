"""What the reliability tests share: one way to speak HTTP (test client or a live waitress server
over keep-alive connections), a login per vendor door, fixture ids, and each vendor's error shape."""

import http.client
import json
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.server import ThreadedServer

from ..conftest import FROZEN_AT
from ..vendors.nabla.conftest import assertion, token_body

NS = "X-Sandbox-Namespace"
HIPP_KEY = "your-api-key"
WELKIN_CLIENT = {"apiClient": "your-api-client-key", "secret": "your-api-client-secret"}
NABLA_TOKEN_PATH = "/nabla/v1/core/server/oauth/token"
# a fixture id for every path parameter, so that a request gets past routing and authentication
PATH_VALUES = {
    "publicId": "usr_1704880800000_k3v9x2m1a",
    "user_id": "98fce1ef-dbca-41ef-8bc7-4d1621ac07c6",
    "external_id": "ehr-provider-123",
    "tenant": "acme-health",
    "instance": "live",
    "userId": "4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35",
    "user": "4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35",
    "client": "your-api-client-key",
    "client_id": "c6d7e8f9-a0b1-4c2d-8e3f-4a5b6c7d8e91",
    "practitioner_id": "a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c21",
    "role_id": "0f6a1c52-3b7d-4e19-a8c2-5d4f6e7a8b01",  # Zus: Acme Health's Builder Admin role
    "version_id": "1",  # Zus FHIR vread
}
ZUS_USER_ID = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a51"  # Zus's user_id is Ada, not a Nabla UUID


@dataclass
class Reply:
    status: int
    headers: dict
    data: bytes

    @property
    def json(self):
        return json.loads(self.data) if self.data else None

    @property
    def text(self):
        return self.data.decode("utf-8", "replace")


class ClientHttp:
    """The Flask test client behind the same interface as LiveHttp."""

    base = "http://localhost"

    def __init__(self, app):
        self.app = app
        self._client = app.test_client()

    def request(self, method, path, body=None, raw=None, headers=None):
        headers = dict(headers or {})
        if body is not None:
            raw = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        response = self._client.open(path, method=method, data=raw, headers=headers)
        return Reply(response.status_code, dict(response.headers), response.get_data())


class LiveHttp:
    """Keep-alive connections to a live server, one per calling thread."""

    def __init__(self, url):
        self.base = url
        self._netloc = urlsplit(url).netloc
        self._local = threading.local()

    def request(self, method, path, body=None, raw=None, headers=None):
        headers = dict(headers or {})
        if body is not None:
            raw = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request(method, path, body=raw, headers=headers)
                response = connection.getresponse()
                return Reply(response.status, dict(response.getheaders()), response.read())
            except (ConnectionError, http.client.HTTPException):
                # the server may close an idle keep-alive connection: reconnect once
                self._local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(self._netloc, timeout=30)
        return connection


def login(http, namespace="default"):
    """Headers for each vendor door, acting as each vendor's fixture administrator in `namespace`."""
    ns = {NS: namespace}
    creds = http.request("GET", "/_sandbox/credentials", headers=ns).json
    nabla = next(c for c in creds["nabla"] if c["name"].startswith("Example Health"))
    token = http.request("POST", NABLA_TOKEN_PATH, headers=ns, body=token_body(
        assertion(nabla, aud=http.base + NABLA_TOKEN_PATH, iat=None, exp=_now(http) + 300))).json
    welkin = http.request("POST", "/welkin/auth/token", body=WELKIN_CLIENT, headers=ns).json
    zus = next(c for c in creds["zus"] if c["name"] == "Ada Admin")
    return {
        "hipp": {**ns, "Authorization": f"Bearer {HIPP_KEY}"},
        "nabla": {**ns, "Authorization": f"Bearer {token['access_token']}"},
        "nabla-copilot": {**ns, "Authorization": f"Bearer {nabla['serverKey']}"},
        "welkin": {**ns, "Authorization": f"Bearer {welkin['token']}"},
        "zus": {**ns, "Authorization": f"Bearer {zus['token']}"},
    }


def _now(http):
    """The sandbox clock in epoch seconds (frozen in these tests, but read, not assumed)."""
    return int(http.request("GET", "/_sandbox/clock").json["epoch"])


def door(path):
    """The login() key whose credential a vendor path needs."""
    if path.startswith("/nabla/v1/copilot-api/"):
        return "nabla-copilot"
    return path.split("/")[1]


def state(http, namespace):
    return http.request("GET", "/_sandbox/state", headers={NS: namespace}).json


def vendor_shaped(path, reply):
    """True when `reply` is an error in the shape of the vendor whose prefix `path` is under."""
    if path.startswith("/welkin/") and reply.status == 404 and not reply.data:
        return True  # Welkin's recorded empty 404 for an unrouted path
    try:
        body = reply.json
    except ValueError:
        return False
    if path.startswith("/hipp/"):
        return isinstance(body, dict) and isinstance(body.get("error"), str) and set(body) <= {"error", "details"}
    if path.startswith("/nabla/"):
        return isinstance(body, dict) and set(body) == {"message", "code", "name", "trace_id", "traceId", "debuggingHints"}
    if path.startswith("/welkin/"):
        return isinstance(body, list) and bool(body) and all(
            {"errorCode", "componentType", "message", "details"} <= set(e) for e in body)
    path = path.partition("?")[0]
    if path.startswith("/zus/fhir/"):
        return isinstance(body, dict) and body.get("resourceType") == "OperationOutcome"
    if path == "/zus/oauth/token":
        return isinstance(body, dict) and set(body) == {"error", "error_description"}
    if path.startswith("/zus/"):
        return isinstance(body, dict) and isinstance(body.get("errors"), list) and all(
            {"status", "title", "detail"} <= set(e) for e in body["errors"])
    raise ValueError(f"not a vendor path: {path}")


def vendor_routes(app):
    """(method, path) of every vendor endpoint, path parameters filled with fixture ids."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/hipp/", "/nabla/", "/welkin/", "/zus/")):
            continue
        values = dict(PATH_VALUES, user_id=ZUS_USER_ID) if rule.rule.startswith("/zus/") else PATH_VALUES
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", values[name]).replace(f"<path:{name}>", values[name])
        routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


@pytest.fixture(scope="module")
def rel_app():
    return create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN_AT, "SEED": 0})


@pytest.fixture
def rel_http(rel_app):
    return ClientHttp(rel_app)


@pytest.fixture(scope="module")
def live_server():
    """A real waitress server in this process, on a free loopback port."""
    app = create_app({"FROZEN_CLOCK": FROZEN_AT, "SEED": 0, "JOURNAL_SIZE": 50_000})
    with ThreadedServer(app, threads=8) as server:
        server.app = app
        yield server


@pytest.fixture(scope="module")
def live_http(live_server):
    return LiveHttp(live_server.url)
