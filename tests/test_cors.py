"""CORS over real HTTP, per vendor: Welkin's recorded headers on every response, Nabla and Zus
answering any origin's preflight, Hipp and the control plane sending no Access-Control-* at all."""

import pytest

from .live import LiveServer, console_script

ORIGIN = "http://localhost:5173"  # a developer's web app (Vite's default port)
# Welkin's headers as recorded on real calls (vendor notes W5), with or without an Origin
WELKIN = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, PATCH, OPTIONS",
    "Access-Control-Allow-Headers": "authorization, content-type, xsrf-token, security-role",
    "Access-Control-Expose-Headers": "xsrf-token",
    "Access-Control-Max-Age": "3600",
}


@pytest.fixture(scope="module")
def server():
    live = LiveServer([*console_script(), "serve", "--threads", "4"]).wait_ready()
    yield live
    live.stop()


def cors_headers(headers):
    return {name: value for name, value in headers.items() if name.lower().startswith("access-control-")}


def preflight(server, path, method="POST", request_headers="content-type"):
    return server.request("OPTIONS", path, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": request_headers})


@pytest.mark.parametrize(("path", "method", "asked"), [
    ("/nabla/v1/core/server/oauth/token", "POST", "content-type"),
    ("/nabla/v1/core/server/users", "GET", "authorization,x-nabla-api-version"),
    ("/zus/oauth/token", "POST", "content-type"),
    ("/zus/auth/users", "POST", "authorization,content-type"),
])
def test_nabla_and_zus_answer_a_preflight_from_any_origin(server, path, method, asked):
    status, headers, body = preflight(server, path, method, asked)
    assert (status, body) == (204, "")
    assert cors_headers(headers) == {
        "Access-Control-Allow-Origin": ORIGIN,
        "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": asked,
    }
    assert "Origin" in headers["Vary"]  # the answer depends on the Origin: caches must key on it


def test_nabla_and_zus_answers_to_a_browser_name_its_origin(server):
    for path in ("/nabla/v1/core/server/users", "/zus/auth/users"):
        status, headers, _ = server.request("GET", path, headers={"Origin": ORIGIN})
        assert status == 401
        assert cors_headers(headers) == {"Access-Control-Allow-Origin": ORIGIN}
        # no Origin, no browser: nothing to allow
        assert cors_headers(server.request("GET", path)[1]) == {}


def test_welkin_sends_its_recorded_headers_on_every_response(server):
    status, headers, _ = preflight(server, "/welkin/acme-health/live/users", "GET", "authorization")
    assert (status, cors_headers(headers)) == (200, WELKIN)
    for extra in ({}, {"Origin": ORIGIN}):
        status, headers, _ = server.request("GET", "/welkin/acme-health/live/users", headers=extra)
        assert (status, cors_headers(headers)) == (401, WELKIN)
    status, headers, _ = server.request("POST", "/welkin/auth/token", {"apiClient": "your-api-client-key",
                                                                     "secret": "your-api-client-secret"})
    assert (status, cors_headers(headers)) == (200, WELKIN)


def test_hipp_allows_no_other_origin(server):
    status, headers, body = preflight(server, "/hipp/api/v1/users", "POST", "authorization,content-type")
    assert (status, body, cors_headers(headers)) == (204, "", {})
    status, headers, _ = server.request("GET", "/hipp/api/v1/users", headers={"Origin": ORIGIN})
    assert (status, cors_headers(headers)) == (401, {})


@pytest.mark.parametrize("path", ["/_sandbox/clock", "/_sandbox/settings", "/_sandbox/health"])
def test_the_control_plane_sends_no_cors_headers(server, path):
    assert cors_headers(preflight(server, path, "GET")[1]) == {}
    status, headers, _ = server.request("GET", path, headers={"Origin": ORIGIN})
    assert (status, cors_headers(headers)) == (200, {})
