"""`vendor-sandbox serve` answers over real HTTP, on its defaults and with its flags."""

import http.client
import json
import re
import subprocess
import sys

import pytest

from vendor_sandbox.cli import main
from vendor_sandbox.server import SEND_BYTES

from .live import LiveServer, console_script

KEY = {"Authorization": "Bearer your-api-key"}
USER_ID = re.compile(r"^usr_\d{13}_[a-z0-9]{9}$")


@pytest.fixture(scope="module")
def server():
    live = LiveServer([*console_script(), "serve", "--seed", "3", "--threads", "4"],
                      env={"SANDBOX_FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).wait_ready()
    yield live
    live.stop()


def test_health_over_http(server):
    status, headers, body = server.request("GET", "/_sandbox/health")
    assert (status, body["status"]) == (200, "ok")
    assert headers["Content-Type"] == "application/json"


def test_create_user_over_http(server):
    status, _, body = server.request("POST", "/hipp/api/v1/users", {
        "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "role": "CLINICIAN",
        "phoneNumber": "+1234567890"}, headers=KEY | {"X-Sandbox-Namespace": "cli"})
    assert status == 200
    assert USER_ID.match(body["user"].pop("publicId"))
    assert body == {"message": "User created successfully", "user": {
        "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "role": "CLINICIAN",
        "phoneNumber": "+1234567890", "npiNumber": None, "shouldSendSMS": False,
        "createdAt": "2025-01-15T10:30:00.000Z",
        "organization": {"name": "Example Organization", "publicId": "org_abc123def456"}}}


def test_responses_above_and_below_the_send_buffer_arrive_whole_on_one_connection(server):
    """waitress sends a response of up to SEND_BYTES from its main loop, a larger one as it is
    written: both arrive complete, in order, on one keep-alive connection."""
    connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=10)
    try:
        for path in ["/_sandbox/openapi/nabla.json", "/_sandbox/health"] * 3:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200
            assert len(body) == int(response.headers["Content-Length"])
            assert json.loads(body)
            if path.endswith("nabla.json"):
                assert len(body) > SEND_BYTES
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("method", "path", "raw", "headers", "status", "body"),
    [
        ("POST", "/hipp/api/v1/users", b"{not json", KEY, 400, {"error": "Validation error", "details": [
            {"code": "invalid_type", "expected": "object", "received": "undefined", "path": [],
             "message": "Required"}]}),
        ("POST", "/hipp/api/v1/users", b"{}", {}, 401, {"error": "API key required"}),
        ("GET", "/hipp/api/v1/users", None, {"Authorization": "Bearer nope"}, 401, {"error": "Invalid API key"}),
        ("POST", "/hipp/api/v1/users", b'{"firstName":"A","lastName":"B","role":"ADMIN"}',
         {"Authorization": "Bearer hipp_test_clinician"}, 403, {"error": "Access denied"}),
        ("GET", "/hipp/api/v1/users/usr_0000000000000_zzzzzzzzz", None, KEY, 404, {"error": "Resource not found"}),
        ("DELETE", "/hipp/api/v1/users/usr_1234567890_abc123def", None, KEY, 405, {"error": "Method not allowed"}),
        ("GET", "/hipp/elsewhere", None, KEY, 404, {"error": "Resource not found"}),
    ],
)
def test_hipp_errors_over_http(server, method, path, raw, headers, status, body):
    got_status, got_headers, got_body = server.request(method, path, raw=raw, headers=headers)
    assert (got_status, got_body) == (status, body)
    assert got_headers["Content-Type"] == "application/json"


def test_the_command_line_imports_the_app_with_the_collector_paused_and_frozen():
    """Start-up is mostly imports: `main` imports the app's modules without the cyclic collector
    and freezes them out of later passes; importing the module alone loads no Flask."""
    script = (
        "import gc, sys\n"
        "import vendor_sandbox.cli as cli\n"
        "before = 'flask' in sys.modules\n"
        "try:\n"
        "    cli.main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(before, 'flask' in sys.modules, gc.get_freeze_count() > 10000, gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "False True True True"


def test_serve_on_embedded_defaults_binds_127_0_0_1_8080_unless_told(monkeypatch):
    captured = {}
    monkeypatch.setattr("vendor_sandbox.server.run", lambda app, host, port, threads, tls_port: (
        captured.update(host=host, port=port, threads=threads, seed=app.config["SEED"], tls_port=tls_port)))
    monkeypatch.delenv("SANDBOX_PORT", raising=False)
    monkeypatch.delenv("SANDBOX_TLS_PORT", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["serve"])
    assert exit_info.value.code == 0
    assert captured == {"host": "127.0.0.1", "port": 8080, "threads": 8, "seed": 0, "tls_port": 8443}
    with pytest.raises(SystemExit):
        main(["serve", "--host", "0.0.0.0", "--port", "9999", "--seed", "4", "--fake-users", "5", "--insecure",
              "--tls-port", "0"])
    assert captured == {"host": "0.0.0.0", "port": 9999, "threads": 8, "seed": 4, "tls_port": None}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.org", "::"])
def test_serve_refuses_a_reachable_address_without_an_admin_token(monkeypatch, capsys, host):
    monkeypatch.setattr("vendor_sandbox.server.run", lambda *a, **k: pytest.fail("must not serve"))
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--host", host])
    assert exit_info.value.code == 1
    assert "without an admin token" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "env"), [(["--insecure"], {}), ([], {"SANDBOX_ADMIN_TOKEN": "s3cret"}),
                                            ([], {"SANDBOX_INSECURE": "true"})])
def test_serve_binds_a_reachable_address_with_a_token_or_insecure(monkeypatch, args, env):
    served = []
    monkeypatch.setattr("vendor_sandbox.server.run",
                        lambda app, host, port, threads, tls_port: served.append(host))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--host", "0.0.0.0", *args])
    assert (exit_info.value.code, served) == (0, ["0.0.0.0"])


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_need_no_token(monkeypatch, host):
    served = []
    monkeypatch.setattr("vendor_sandbox.server.run",
                        lambda app, host, port, threads, tls_port: served.append(host))
    with pytest.raises(SystemExit):
        main(["serve", "--host", host])
    assert served == [host]
