"""CORS in a real headless Chromium: a page of another origin calls the vendors as browser code does
(the preflight and its checks are the browser's own), over real HTTP from a real `vendor-sandbox serve`."""

import json
import time

import jwt
import pytest

# the fixtures: Debian's Chromium under Playwright, and a server without an admin token
from .test_dashboard_browser import browser, server  # noqa: F401

NABLA_TOKEN = "/nabla/v1/core/server/oauth/token"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FETCH = """async ([url, init]) => {
    try {
        const response = await fetch(url, init);
        return {status: response.status, body: await response.text()};
    } catch (error) {
        return {error: String(error)};
    }
}"""


@pytest.fixture
def page(browser, server):  # noqa: F811 (the imported fixtures)
    page = browser.new_page()
    # the page's origin is http://localhost:PORT; it calls http://127.0.0.1:PORT, another origin
    page.goto(f"http://localhost:{server.port}/_sandbox/health")
    yield page
    page.close()


def call(page, url, method="GET", headers=None, body=None):
    return page.evaluate(FETCH, [url, {"method": method, "headers": headers or {}, "body": body}])


def test_a_page_gets_a_nabla_token_as_the_sample_web_app_does(page, server):  # noqa: F811
    creds = server.request("GET", "/_sandbox/credentials")[2]["nabla"]
    client = next(c for c in creds if c["name"].startswith("Example Health"))
    now = int(time.time())
    signed = jwt.encode({"iss": client["clientId"], "sub": client["clientId"], "aud": server.url + NABLA_TOKEN,
                         "iat": now, "exp": now + 300}, client["privateKey"], algorithm="RS256")
    got = call(page, server.url + NABLA_TOKEN, "POST", {"Content-Type": "application/json"}, json.dumps({
        "grant_type": "client_credentials", "client_assertion_type": JWT_BEARER, "client_assertion": signed}))
    assert got.get("status") == 200, got
    token = json.loads(got["body"])["access_token"]
    got = call(page, server.url + "/nabla/v1/core/server/users",
               headers={"Authorization": f"Bearer {token}", "X-Nabla-Api-Version": "2026-04-24"})
    assert got.get("status") == 200, got


def test_a_page_gets_a_welkin_token(page, server):  # noqa: F811
    got = call(page, server.url + "/welkin/auth/token", "POST", {"Content-Type": "application/json"},
               '{"apiClient": "your-api-client-key", "secret": "your-api-client-secret"}')
    assert got.get("status") == 200, got


def test_the_browser_refuses_a_page_calling_hipp_or_the_control_plane(page, server):  # noqa: F811
    for url, headers in ((server.url + "/hipp/api/v1/users", {"Authorization": "Bearer your-api-key"}),
                         (server.url + "/_sandbox/health", {})):
        got = call(page, url, headers=headers)
        assert got == {"error": "TypeError: Failed to fetch"}, url
