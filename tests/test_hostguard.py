"""DNS rebinding: bound to loopback, the sandbox answers only a Host that is a loopback name or address,
a vendor's real hostname, or a name in SANDBOX_ALLOWED_HOSTS; anything else is a 403 in the shape of
the path's owner, before any view runs, so no answer (and no redirect) ever serves a foreign name."""

import http.client
import json

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.server import ThreadedServer

HIPP = {"Authorization": "Bearer your-api-key"}
REFUSAL = ("this sandbox answers only requests to a loopback address, a vendor's hostname or a name in "
           "SANDBOX_ALLOWED_HOSTS (a web page on another name may be rebinding DNS)")


@pytest.fixture(scope="module")
def server():
    app = create_app({"ALLOWED_HOSTS": "sandbox.internal, ci-runner.local"})
    with ThreadedServer(app, threads=2) as running:
        yield running


def send(server, method, path, host, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        headers = dict(response.getheaders())
        parsed = json.loads(body) if headers.get("Content-Type") == "application/json" else body
        return response.status, headers, parsed
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "localhost.evil.example", "[::2]:{port}", "10.0.0.1", "localhost:notaport"])
def test_a_foreign_host_is_403_on_the_control_plane(server, host):
    status, headers, body = send(server, "GET", "/_sandbox/state", host.format(port=server.port))
    assert (status, body) == (403, {"error": {"code": "host_not_allowed", "message": REFUSAL}})
    assert headers["Content-Type"] == "application/json"


def test_a_foreign_host_is_403_in_the_vendors_own_shape(server):
    status, _, body = send(server, "GET", "/hipp/api/v1/users", "rebind.example", HIPP)
    assert (status, body) == (403, {"error": REFUSAL})


def test_a_foreign_host_gets_no_redirect_echoing_it(server):
    status, headers, _ = send(server, "GET", "/_sandbox", "evil.example")
    assert status == 403 and "Location" not in headers
    status, headers, _ = send(server, "GET", "/_sandbox", f"localhost:{server.port}")
    assert status == 308 and headers["Location"] == "/_sandbox/"


def test_a_redirect_never_echoes_the_host_even_with_the_host_check_off():
    """Bound beyond loopback with no SANDBOX_ALLOWED_HOSTS the guard is off: the trailing-slash
    redirect still names only the path (with its query), never the Host it was sent."""
    client = create_app({"TESTING": True, "HOST": "0.0.0.0"}).test_client()
    response = client.get("/_sandbox?namespace=a", headers={"Host": "evil.example"})
    assert (response.status_code, response.headers["Location"]) == (308, "/_sandbox/?namespace=a")
    mounted = create_app({"TESTING": True, "HOST": "0.0.0.0"}).test_client()
    response = mounted.get("/ns/team-a/_sandbox", headers={"Host": "evil.example"})
    assert (response.status_code, response.headers["Location"]) == (308, "/ns/team-a/_sandbox/")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST.", "[::1]:{port}",
                                  "127.8.9.10", "app.localhost:{port}", "sandbox.internal:{port}", "ci-runner.local"])
def test_loopback_names_and_allowed_names_are_answered(server, host):
    status, _, body = send(server, "GET", "/_sandbox/health", host.format(port=server.port))
    assert status == 200 and body["status"] == "ok"


@pytest.mark.parametrize(("host", "path", "expected"), [
    ("app.hipp.health", "/api/v1/users", (401, {"error": "API key required"})),
    ("api.sandbox.zusapi.com", "/fhir/metadata", (200, "CapabilityStatement")),
])
def test_vendor_hostnames_are_answered_as_the_vendor(server, host, path, expected):
    """A vendor's own name passes the guard and is that vendor at its real paths (front/routing.py)."""
    status, _, body = send(server, "GET", path, host)
    assert status == expected[0]
    assert (json.loads(body)["resourceType"] if status == 200 else body) == expected[1]


def test_a_server_bound_beyond_loopback_checks_only_the_names_it_is_given():
    open_app = create_app({"TESTING": True, "HOST": "0.0.0.0"})
    assert open_app.test_client().get("/_sandbox/health", headers={"Host": "sandbox:8080"}).status_code == 200
    named = create_app({"TESTING": True, "HOST": "0.0.0.0", "ALLOWED_HOSTS": "sandbox"})
    assert named.test_client().get("/_sandbox/health", headers={"Host": "sandbox:8080"}).status_code == 200
    assert named.test_client().get("/_sandbox/health", headers={"Host": "evil:8080"}).status_code == 403
    anything = create_app({"TESTING": True, "ALLOWED_HOSTS": "*"})
    assert anything.test_client().get("/_sandbox/health", headers={"Host": "evil:8080"}).status_code == 200
