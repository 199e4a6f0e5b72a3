"""One live sandbox (waitress in a thread, frozen clock, seed 0) for the contract checks, and
each vendor's valid credentials for it, obtained the way that vendor's clients obtain them."""

import json
import urllib.request
from datetime import datetime

import jwt
import pytest

from vendor_sandbox import create_app
from vendor_sandbox.server import ThreadedServer

FROZEN_AT = "2025-01-15T10:30:00Z"
NOW = int(datetime.fromisoformat(FROZEN_AT).timestamp())
NAMESPACE = "contract"  # each vendor's checks run in "contract-<vendor>": tokens live in their namespace
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class Live:
    """The running sandbox: `.url`, and `.call(...)` for the few setup requests."""

    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None, namespace=NAMESPACE):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "X-Sandbox-Namespace": namespace}
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture(scope="session")
def live():
    app = create_app({"FROZEN_CLOCK": FROZEN_AT, "SEED": 0})
    with ThreadedServer(app) as server:
        yield Live(server.url)


def namespace(vendor):
    return f"{NAMESPACE}-{vendor}"


def _credential(live, vendor, name):
    return next(c for c in live.call("GET", "/_sandbox/credentials")[vendor] if c["name"] == name)


def hipp_headers(live):
    return {"Authorization": "Bearer your-api-key"}


def zus_headers(live):
    return {"Authorization": f"Bearer {_credential(live, 'zus', 'Ada Admin')['token']}"}


def welkin_headers(live):
    """{tenant: headers}: the current docs' client for acme-health, the legacy docs' one for gh."""
    clients = {"acme-health": ("your-api-client-key", "your-api-client-secret"),
               "gh": ("VBOPNRYRWJIP", "+}B{KGTG6#zG%P;tQm0C")}
    headers = {}
    for tenant, (client, secret) in clients.items():
        token = live.call("POST", "/welkin/auth/token", {"apiClient": client, "secret": secret},
                          namespace=namespace("welkin"))["token"]
        headers[tenant] = {"Authorization": f"Bearer {token}"}
    return headers


def nabla_headers(live):
    """Core API: an access token for a client assertion signed with the fixture key (RS256, as
    Nabla's guide builds it); the archived Copilot API takes the Server Key itself."""
    credential = _credential(live, "nabla", "Example Health (pinned 2026-04-24)")
    token_url = f"{live.url}/nabla/v1/core/server/oauth/token"
    claims = {"iss": credential["clientId"], "sub": credential["clientId"], "aud": token_url,
              "iat": NOW, "exp": NOW + 300}
    assertion = jwt.encode(claims, credential["privateKey"], algorithm="RS256")
    token = live.call("POST", "/nabla/v1/core/server/oauth/token",
                      {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
                       "client_assertion": assertion}, namespace=namespace("nabla"))["access_token"]
    return {"/nabla/v1/core/": {"Authorization": f"Bearer {token}"},
            "/nabla/v1/copilot-api/": {"Authorization": f"Bearer {credential['serverKey']}"}}


AUTH = {"hipp": hipp_headers, "nabla": nabla_headers, "welkin": welkin_headers, "zus": zus_headers}


@pytest.fixture(scope="session")
def vendor_headers(live):
    """{vendor: headers}, or for Nabla {path prefix: headers}, for Welkin {tenant: headers}."""
    return {vendor: headers(live) for vendor, headers in AUTH.items()}
