"""pytest plugin: a live sandbox for the session and a fresh namespace for every test.

    def test_create_user(sandbox):
        key = sandbox.credentials()["hipp"][0]["apiKey"]
        requests.post(sandbox.base_url("hipp") + "/v1/users", headers={**sandbox.headers,
                      "Authorization": f"Bearer {key}"}, json={"firstName": "A", "lastName": "B"})
        assert sandbox.requests(vendor="hipp")[0]["status"] == 200

    def test_unchanged_client(sandbox):
        key = sandbox.new_credentials("hipp", role="ADMIN")["apiKey"]  # bound to this test's namespace
        requests.get(sandbox.base_url("hipp") + "/v1/users", headers={"Authorization": f"Bearer {key}"})

`--sandbox-url URL` uses a server that is already running (a container, say) instead.

`sandbox.base_url(vendor)` carries the test's namespace in its path (/ns/{name}/...), so a client
that only takes a base URL is isolated without any header. For code with hard-coded vendor URLs,
`with sandbox.proxy_env():` (or the `sandbox_proxy` fixture) runs it with HTTPS_PROXY/HTTP_PROXY
pointing at the sandbox (the namespace as the proxy's user name) and the sandbox's CA
(`sandbox.ca_bundle`) in REQUESTS_CA_BUNDLE, SSL_CERT_FILE, CURL_CA_BUNDLE and NODE_EXTRA_CA_CERTS.
"""

import contextlib
import itertools
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

NAMESPACE_HEADER = "X-Sandbox-Namespace"
ADMIN_HEADER = "X-Sandbox-Admin-Token"
_counter = itertools.count(1)
# the plugin's own calls go straight to the sandbox, whatever proxy the environment (or
# proxy_env) names
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS")
CLEARED_VARIABLES = ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy")


def pytest_addoption(parser):
    group = parser.getgroup("vendor-sandbox")
    group.addoption("--sandbox-url", default=os.environ.get("SANDBOX_URL"),
                    help="Use the vendor-sandbox already running at this URL (env SANDBOX_URL)")
    group.addoption("--sandbox-admin-token", default=os.environ.get("SANDBOX_ADMIN_TOKEN"),
                    help="The server's admin token, if it has one (env SANDBOX_ADMIN_TOKEN)")


class SandboxError(AssertionError):
    """A control-plane call that did not succeed."""


class SandboxServer:
    """Where the sandbox runs: `.url`, and `.base_url(vendor)` to give a vendor client."""

    def __init__(self, url, admin_token=None, stop=None, ca_path=None):
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self._stop = stop
        self._ca_path = ca_path  # a local server's: made on first use; else fetched from the server
        self._fetched_ca = None

    @property
    def ca_bundle(self):
        """Path of a PEM file with the sandbox's CA certificate (for the TLS port and the proxy)."""
        if callable(self._ca_path):
            self._ca_path = self._ca_path()
        if self._ca_path:
            return str(self._ca_path)
        if self._fetched_ca is None:
            with _direct.open(self.url + "/_sandbox/ca.pem", timeout=30) as response:
                pem = response.read()
            handle, path = tempfile.mkstemp(prefix="vendor-sandbox-ca-", suffix=".pem")
            with os.fdopen(handle, "wb") as file:
                file.write(pem)
            self._fetched_ca = path
        return self._fetched_ca

    def base_url(self, vendor):
        from .vendors import VENDORS

        for module in VENDORS:
            if module.NAME == vendor:
                return self.url + getattr(module, "BASE_URL", module.URL_PREFIX)
        raise KeyError(f"unknown vendor {vendor!r}")

    def call(self, method, path, body=None, namespace=None, query=None):
        """One control-plane call; the parsed JSON answer (None when empty)."""
        headers = {"Content-Type": "application/json"}
        if namespace:
            headers[NAMESPACE_HEADER] = namespace
        if self.admin_token:
            headers[ADMIN_HEADER] = self.admin_token
        query = {k: v for k, v in (query or {}).items() if v is not None}
        url = self.url + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with _direct.open(request, timeout=30) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            raise SandboxError(f"{method} {path}: {error.code} {error.read().decode()}") from None
        return json.loads(text) if text else None

    def stop(self):
        if self._stop:
            self._stop()
        if self._fetched_ca:
            os.unlink(self._fetched_ca)


class Sandbox:
    """One test's own namespace; every helper sends its header, and so should your client."""

    def __init__(self, server, namespace):
        self.server = server
        self.namespace = namespace
        self.url = server.url
        self.headers = {NAMESPACE_HEADER: namespace}

    def base_url(self, vendor):
        """The vendor's base URL in this test's namespace: /ns/{namespace}/... on the server."""
        root = self.server.url
        return root + f"/ns/{self.namespace}" + self.server.base_url(vendor)[len(root):]

    @property
    def ca_bundle(self):
        return self.server.ca_bundle

    @property
    def proxy_url(self):
        """The sandbox as an HTTP proxy, its user name this test's namespace."""
        scheme, _, rest = self.server.url.partition("://")
        return f"{scheme}://{self.namespace}:sandbox@{rest}"  # undici sends no user without a password

    @contextlib.contextmanager
    def proxy_env(self):
        """Run a block with every HTTP(S) request sent to the sandbox's proxy, trusting its CA."""
        # NODE_USE_ENV_PROXY: Node 24+ reads HTTPS_PROXY when it is set
        values = {**dict.fromkeys(PROXY_VARIABLES, self.proxy_url),
                  **dict.fromkeys(CA_VARIABLES, self.ca_bundle), "NODE_USE_ENV_PROXY": "1"}
        saved = {name: os.environ.get(name) for name in (*values, *CLEARED_VARIABLES)}
        try:
            for name in CLEARED_VARIABLES:
                os.environ.pop(name, None)
            os.environ.update(values)
            yield self
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def _call(self, verb, endpoint, body=None, **query):
        return self.server.call(verb, endpoint, body, namespace=self.namespace, query=query)

    def credentials(self):
        return self._call("GET", "/_sandbox/credentials")

    def new_credentials(self, vendor, **fields):
        """Fresh credentials of `vendor` bound to this test's namespace (or register yours:
        apiKey=..., clientId=..., ...): code using them needs no namespace header."""
        return self._call("POST", "/_sandbox/credentials", {"vendor": vendor, **fields})

    def requests(self, vendor=None, method=None, path=None, status=None, limit=None):
        return self._call("GET", "/_sandbox/requests", vendor=vendor, method=method, path=path,
                          status=status, limit=limit)["requests"]

    def clear_requests(self):
        self._call("DELETE", "/_sandbox/requests")

    def outbox(self, vendor=None, to=None):
        return self._call("GET", "/_sandbox/outbox", vendor=vendor, to=to)["messages"]

    def clear_outbox(self):
        self._call("DELETE", "/_sandbox/outbox")

    def add_fault(self, vendor, **rule):
        return self._call("POST", "/_sandbox/faults", {"vendor": vendor, **rule})

    def faults(self):
        return self._call("GET", "/_sandbox/faults")["faults"]

    def clear_faults(self):
        self._call("DELETE", "/_sandbox/faults")

    def reset(self, vendor=None):
        return self._call("POST", "/_sandbox/reset", {"vendor": vendor} if vendor else {})

    def state(self):
        return self._call("GET", "/_sandbox/state")

    def load_state(self, snapshot):
        return self._call("PUT", "/_sandbox/state", snapshot)

    def drop(self):
        self._call("DELETE", "/_sandbox/namespace")


@pytest.fixture(scope="session")
def sandbox_server(request):
    """The session's sandbox: started in a thread on a free port, or --sandbox-url."""
    url = request.config.getoption("sandbox_url")
    token = request.config.getoption("sandbox_admin_token")
    if url:
        server = SandboxServer(url, token)
        try:
            server.call("GET", "/_sandbox/health")
        except (OSError, ValueError, SandboxError) as error:
            # one message for the session, not the same traceback under every test
            reason = getattr(error, "reason", None) or error
            pytest.exit(f"--sandbox-url {url}: no vendor-sandbox answers there ({reason})",
                        returncode=pytest.ExitCode.USAGE_ERROR)
    else:
        from .app import create_app
        from .front import get_front
        from .server import ThreadedServer

        config = {"ADMIN_TOKEN": token} if token else {}
        app = create_app(config)
        running = ThreadedServer(app).start()
        ca = get_front(app).ca
        server = SandboxServer(running.url, token, stop=running.stop,
                               ca_path=lambda: ca.ensure() and ca.ca_path)
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server, request):
    """A fresh namespace for this test, dropped afterwards."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    namespace = f"pytest-{worker}-{next(_counter)}-{uuid.uuid4().hex[:8]}"
    box = Sandbox(sandbox_server, namespace)
    yield box
    box.drop()


@pytest.fixture
def sandbox_proxy(sandbox):
    """This test's sandbox, with the proxy and CA variables set for the whole test (proxy_env)."""
    with sandbox.proxy_env():
        yield sandbox
