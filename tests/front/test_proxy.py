"""Proxy mode: HTTPS_PROXY pointing at the sandbox, plus its CA, is all a process needs.

The clients are real libraries reading the environment as they do in production (requests and
httpx); nothing here passes them a proxy or a resolver in code."""

import json
import socket
import subprocess
import threading

import httpx
import pytest
import requests

from .conftest import HIPP_KEY

DOCS_USER = "usr_1234567890_abc123def"  # Hipp's documented example user, a fixture


@pytest.fixture
def proxy_env(live, ca_file, monkeypatch):
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", live.url)
    monkeypatch.setenv("HTTP_PROXY", live.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_file)
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    return live


def journal(live, namespace):
    response = requests.get(
        f"{live.url}/_sandbox/requests",
        headers={"X-Sandbox-Namespace": namespace},
        proxies={"http": None, "https": None},
    )
    assert response.status_code == 200
    return [(entry["method"], entry["path"], entry["status"]) for entry in response.json()["requests"]]


def test_requests_reaches_hipp_through_the_proxy_by_its_real_url(proxy_env):
    response = requests.get(
        f"https://app.hipp.health/api/v1/users/{DOCS_USER}",
        headers={"Authorization": f"Bearer {HIPP_KEY}"},
        timeout=20,
    )
    assert response.status_code == 200
    assert response.json()["publicId"] == DOCS_USER


def test_httpx_reaches_nabla_through_the_proxy_by_its_real_url(proxy_env, monkeypatch):
    # httpx reads HTTPS_PROXY (trust_env) and SSL_CERT_FILE, not requests' variable
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    with httpx.Client(timeout=20) as client:
        response = client.get("https://us.api.nabla.com/v1/core/server/users")
    assert response.status_code == 401
    assert response.json()["message"] == "Missing or invalid bearer token."


def test_a_plain_http_url_goes_as_an_absolute_uri_request(proxy_env):
    response = requests.get(
        f"http://app.hipp.health/api/v1/users/{DOCS_USER}",
        headers={"Authorization": f"Bearer {HIPP_KEY}"},
        timeout=20,
    )
    assert response.status_code == 200
    assert response.json()["publicId"] == DOCS_USER


def test_the_proxy_urls_user_name_is_the_namespace(live, ca_file, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", live.url.replace("http://", "http://proxy-ns-a:@"))
    monkeypatch.setenv("HTTP_PROXY", live.url.replace("http://", "http://proxy-ns-b:@"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_file)
    auth = {"Authorization": f"Bearer {HIPP_KEY}"}
    assert requests.get(f"https://app.hipp.health/api/v1/users/{DOCS_USER}", headers=auth).status_code == 200
    assert (
        requests.get(
            "http://app.hipp.health/api/v1/users/usr_0000000000000_zzzzzzzzz", headers=auth
        ).status_code
        == 404
    )
    path = "/hipp/api/v1/users/"
    assert journal(live, "proxy-ns-a") == [("GET", path + DOCS_USER, 200)]
    assert journal(live, "proxy-ns-b") == [("GET", path + "usr_0000000000000_zzzzzzzzz", 404)]


class Witness:
    """A listener standing for "somewhere else": it records whether anyone connected."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(1.5)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        try:
            self.connections.append(self.sock.accept())
        except OSError:
            pass

    def close(self):
        self.thread.join()
        self.sock.close()
        return self.connections


def raw_exchange(live, data):
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head.decode().split("\r\n"), json.loads(body)


def test_connect_elsewhere_is_refused_and_never_contacted(live):
    witness = Witness()
    lines, body = raw_exchange(
        live, f"CONNECT 127.0.0.1:{witness.port} HTTP/1.1\r\nHost: 127.0.0.1:{witness.port}\r\n\r\n".encode()
    )
    assert lines[0] == "HTTP/1.1 403 Forbidden"
    assert "Content-Type: application/json" in lines
    assert body == {
        "error": {
            "code": "proxy_destination_refused",
            "message": "vendor-sandbox tunnels only to the vendors' hosts on port 443; '127.0.0.1' port "
            f"{witness.port} is not one of them, and nothing was contacted",
        }
    }
    assert witness.close() == []


def test_connect_to_a_vendor_host_on_another_port_is_refused(live):
    lines, body = raw_exchange(
        live, b"CONNECT app.hipp.health:8443 HTTP/1.1\r\nHost: app.hipp.health:8443\r\n\r\n"
    )
    assert lines[0] == "HTTP/1.1 403 Forbidden"
    assert body["error"]["code"] == "proxy_destination_refused"


def test_an_absolute_uri_elsewhere_is_refused_and_never_contacted(live):
    witness = Witness()
    lines, body = raw_exchange(
        live,
        f"GET http://localhost:{witness.port}/x HTTP/1.1\r\n"
        f"Host: localhost:{witness.port}\r\nConnection: close\r\n\r\n".encode(),
    )
    assert lines[0] == "HTTP/1.1 403 Forbidden"
    assert body == {
        "error": {
            "code": "proxy_destination_refused",
            "message": "vendor-sandbox proxies only the vendors' hosts; 'localhost' is not one of them, "
            "and the request was not sent anywhere",
        }
    }
    assert witness.close() == []


def test_requests_to_a_real_site_through_the_proxy_fail_with_the_403(proxy_env):
    with pytest.raises(requests.exceptions.ProxyError, match="403 Forbidden"):
        requests.get("https://example.com/", timeout=20)


def test_the_sandbox_itself_through_its_own_proxy(proxy_env):
    """A process whose HTTP_PROXY is the sandbox still reaches the control plane (no NO_PROXY)."""
    response = requests.get(f"{proxy_env.url}/_sandbox/health", timeout=20)
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_curl_through_the_proxy_with_our_ca(live, ca_file):
    done = subprocess.run(
        [
            "curl",
            "-sS",
            "--max-time",
            "20",
            "--cacert",
            ca_file,
            "--proxy",
            live.url,
            "-H",
            f"Authorization: Bearer {HIPP_KEY}",
            "-w",
            "\n%{http_code}",
            f"https://app.hipp.health/api/v1/users/{DOCS_USER}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    body, status = done.stdout.rsplit("\n", 1)
    assert status == "200" and json.loads(body)["publicId"] == DOCS_USER


def test_a_tunnel_that_never_speaks_tls_is_dropped_and_the_server_goes_on(live, only_our_ca):
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
        sock.sendall(b"CONNECT app.hipp.health:443 HTTP/1.1\r\nHost: app.hipp.health:443\r\n\r\n")
        assert sock.recv(1024) == b"HTTP/1.1 200 Connection established\r\n\r\n"
        sock.sendall(b"GET / HTTP/1.1\r\n\r\n")  # plaintext where TLS was due
        received = b""
        try:
            while chunk := sock.recv(1024):  # at most a TLS alert, then the end (or a reset)
                received += chunk
        except ConnectionResetError:
            pass
        assert b"HTTP/" not in received
    with socket.create_connection(("127.0.0.1", live.tls_port), timeout=10) as raw:
        with only_our_ca.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version()
    assert requests.get(f"{live.url}/_sandbox/health", timeout=20).status_code == 200


@pytest.mark.parametrize("target", ["http://app.hipp.health:port/api/v1/users", "http:///x"])
def test_a_malformed_absolute_uri_is_refused_as_json(live, target):
    lines, body = raw_exchange(
        live, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    )
    assert lines[0] == "HTTP/1.1 403 Forbidden"
    assert body["error"]["code"] == "proxy_destination_refused"


def test_an_absolute_uri_urllib_cannot_split_is_refused_too():
    """waitress itself drops such a request line (an open IPv6 bracket) before the app sees it; any
    other server in front of the app might not."""
    from vendor_sandbox import create_app

    response = create_app().test_client().get("/x", environ_overrides={"REQUEST_URI": "http://[::1/x"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "proxy_destination_refused"


def test_a_nabla_client_signing_for_the_real_token_url_runs_unchanged(proxy_env):
    """As Nabla's Python example does it (PyJWT, RS256, aud = the token URL), against the real URLs."""
    from ..vendors.nabla.conftest import DOCS_USER_ID, assertion, token_body

    entries = requests.get(f"{proxy_env.url}/_sandbox/credentials", proxies={"http": None}).json()["nabla"]
    credential = next(e for e in entries if e["name"].startswith("Example Health"))
    base = "https://us.api.nabla.com/v1/core/server"
    granted = requests.post(f"{base}/oauth/token", timeout=20,
                            json=token_body(assertion(credential, aud=f"{base}/oauth/token")))
    assert granted.status_code == 200, granted.text
    users = requests.get(f"{base}/users", timeout=20,
                         headers={"Authorization": f"Bearer {granted.json()['access_token']}"})
    assert users.status_code == 200
    assert DOCS_USER_ID.lower() in [user["id"] for user in users.json()["data"]]


def test_the_sandboxs_own_tls_port_through_its_proxy(proxy_env):
    response = requests.get(f"https://localhost:{proxy_env.tls_port}/_sandbox/health", timeout=20)
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_an_https_absolute_uri_sent_in_the_clear_keeps_its_scheme_in_our_urls(live):
    """Some clients (axios, for one) send `GET https://...` to the proxy rather than CONNECT."""
    from ..vendors.zus.conftest import ACME_BACKEND, AUDIENCE

    body = json.dumps({"grant_type": "client_credentials", "audience": AUDIENCE,
                       "client_id": ACME_BACKEND["clientId"], "client_secret": ACME_BACKEND["clientSecret"]})
    lines, granted = raw_exchange(live, (
        "POST https://api.sandbox.zusapi.com/oauth/token HTTP/1.1\r\nHost: api.sandbox.zusapi.com\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        f"{body}").encode())
    assert lines[0] == "HTTP/1.1 200 OK"
    _, users = raw_exchange(live, (
        "GET https://api.sandbox.zusapi.com/auth/users?page%5Bsize%5D=1 HTTP/1.1\r\n"
        f"Host: api.sandbox.zusapi.com\r\nAuthorization: Bearer {granted['access_token']}\r\n"
        "Connection: close\r\n\r\n").encode())
    assert users["links"]["self"].startswith("https://api.sandbox.zusapi.com/auth/users?")


def test_one_tunnel_carries_many_requests(live, only_our_ca):
    """http.client's own tunnel (set_tunnel): one CONNECT, then keep-alive requests inside it."""
    import http.client

    connection = http.client.HTTPSConnection("127.0.0.1", live.port, context=only_our_ca, timeout=20)
    connection.set_tunnel("app.hipp.health", 443)
    try:
        sockets = []
        for _ in range(5):
            connection.request("GET", f"/api/v1/users/{DOCS_USER}",
                               headers={"Authorization": f"Bearer {HIPP_KEY}"})
            response = connection.getresponse()
            assert (response.status, json.loads(response.read())["publicId"]) == (200, DOCS_USER)
            sockets.append(connection.sock)
        assert len(set(map(id, sockets))) == 1
    finally:
        connection.close()


def test_a_zus_client_gets_its_token_from_the_auth0_tenant_and_calls_the_api(proxy_env):
    """As the Awell extension for Zus does: the token from zus-sandbox.us.auth0.com, then the API host."""
    from ..vendors.zus.conftest import ACME_BACKEND, AUDIENCE

    granted = requests.post("https://zus-sandbox.us.auth0.com/oauth/token", timeout=20, json={
        "grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"],
        "client_secret": ACME_BACKEND["clientSecret"], "audience": AUDIENCE})
    assert granted.status_code == 200, granted.text
    assert granted.json()["token_type"] == "Bearer"
    users = requests.get("https://api.sandbox.zusapi.com/auth/users", params={"page[size]": 1}, timeout=20,
                         headers={"Authorization": f"Bearer {granted.json()['access_token']}"})
    assert users.status_code == 200
    assert users.json()["links"]["self"].startswith("https://api.sandbox.zusapi.com/auth/users?")
