"""The dashboard in a real headless Chromium, over real HTTP from a real `vendor-sandbox serve`.

The browser is Debian's chromium ($SANDBOX_CHROMIUM, else /usr/bin/chromium) driven by Playwright
with its executable path set: Playwright's own browser download is never used. Without a browser the
test skips, unless SANDBOX_REQUIRE_BROWSER is set (as .ci/run does), when it fails instead.
The screenshot lands in test-artifacts/dashboard.png at the repository root.
"""

import os
from pathlib import Path

import pytest

from ..live import LiveServer, console_script

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HIPP_KEY = {"Authorization": "Bearer your-api-key"}
ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada.lovelace@example.com", "role": "CLINICIAN"}


def unavailable(reason):
    if os.environ.get("SANDBOX_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and SANDBOX_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"{reason} (set SANDBOX_REQUIRE_BROWSER to make this a failure)")


@pytest.fixture(scope="module")
def browser():
    path = os.environ.get("SANDBOX_CHROMIUM") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        unavailable(f"no Chromium executable at {path}: apt-get install chromium, or set SANDBOX_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server():
    # an admin token from the developer's shell would guard the page: this server has none
    live = LiveServer([*console_script(), "serve", "--threads", "4"], env={"SANDBOX_ADMIN_TOKEN": ""})
    try:
        yield live.wait_ready()
    finally:
        live.stop()


def test_the_dashboard_shows_a_user_created_through_the_hipp_api(browser, server):
    status, _, created = server.request("POST", "/hipp/api/v1/users", body=ADA, headers=HIPP_KEY)
    assert status == 200, created
    public_id = created["user"]["publicId"]

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested, errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        response = page.goto(f"{server.url}/_sandbox/")
        assert response.status == 200
        assert page.title() == "default · vendor-sandbox"

        newest_user = page.locator("#vendor-hipp table.users tbody tr").first.inner_text()
        assert public_id in newest_user and "Ada Lovelace" in newest_user and ADA["email"] in newest_user
        assert page.locator("#vendor-hipp .base-url").inner_text() == f"{server.url}/hipp/api"
        newest_request = page.locator("#journal tbody tr").first.inner_text()
        assert "POST" in newest_request and "/hipp/api/v1/users" in newest_request and "200" in newest_request
        assert "your-api-key" in page.locator("#vendor-hipp table.credentials").inner_text()

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

        # the namespace picker is a plain GET form: another namespace has none of that traffic
        page.fill("#namespace", "browser-empty")
        with page.expect_navigation():
            page.click(".picker button")
        assert page.url == f"{server.url}/_sandbox/?namespace=browser-empty"
        assert "No vendor requests in this namespace yet." in page.locator("#journal").inner_text()
        assert public_id not in page.content()
    finally:
        page.close()

    # offline: every request the page made went to this server, and nothing failed
    assert requested and all(url.startswith(server.url + "/") for url in requested), requested
    assert errors == []
