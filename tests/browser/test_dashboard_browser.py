"""The dashboard in a real headless Chromium, over real HTTP from a real `vendor-sandbox serve`.

The browser is Debian's chromium, started as chromium.py says (skipped without one).
The screenshot lands in test-artifacts/dashboard.png at the repository root.
"""

from pathlib import Path

import pytest

from .chromium import CHROMIUM_ARGS, launch, serve_without_admin_token

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HIPP_KEY = {"Authorization": "Bearer your-api-key"}
ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada.lovelace@example.com", "role": "CLINICIAN"}


@pytest.fixture(scope="module")
def browser():
    yield from launch(CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def server():
    yield from serve_without_admin_token()


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
