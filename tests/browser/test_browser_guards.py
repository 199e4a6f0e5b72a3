"""CSRF and DNS rebinding in a real headless Chromium, against a real `vendor-sandbox serve`.

Two hostile pages, each served to the browser by Playwright's router (no third server):
- http://evil.test:8000/ , another origin, posts forms (text/plain and urlencoded), fetches without
  CORS, reads with CORS and plants an <img>;
- http://rebind.test:PORT/ , a name that resolves to the sandbox (chromium's --host-resolver-rules), so
  the browser treats the sandbox as the page's own origin, which is what DNS rebinding achieves.
Neither changes state nor reads any. Chromium's Private Network Access checks are turned off so that
every request reaches the sandbox: the refusals asserted are the sandbox's, not the browser's.
"""

import json
import os

import pytest

from ..live import LiveServer, console_script
from .test_dashboard_browser import ADA, CHROMIUM_ARGS, HIPP_KEY, unavailable

EVIL = "http://evil.test:8000"
GUARD_ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1",
              "--disable-features=PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,"
              "BlockInsecurePrivateNetworkRequests,LocalNetworkAccessChecks"]


@pytest.fixture(scope="module")
def guarded_browser():
    """Debian's chromium, launched as test_dashboard_browser.py does, with the resolver rules."""
    path = os.environ.get("SANDBOX_CHROMIUM") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        unavailable(f"no Chromium executable at {path}: apt-get install chromium, or set SANDBOX_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=GUARD_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server():
    live = LiveServer([*console_script(), "serve", "--threads", "4"], env={"SANDBOX_ADMIN_TOKEN": ""})
    try:
        yield live.wait_ready()
    finally:
        live.stop()


@pytest.fixture
def seeded(server):
    """A user and a journal entry in the default namespace: what an attack would wipe or read."""
    server.request("POST", "/_sandbox/reset", headers={"Content-Type": "application/json"}, body={})
    status, _, created = server.request("POST", "/hipp/api/v1/users", body=ADA, headers=HIPP_KEY)
    assert status == 200, created
    return created["user"]["publicId"]


def unchanged(server, public_id):
    status, _, journal = server.request("GET", "/_sandbox/requests")
    assert status == 200 and [e["path"] for e in journal["requests"]][:1] == ["/hipp/api/v1/users"]
    status, _, _ = server.request("GET", f"/hipp/api/v1/users/{public_id}", headers=HIPP_KEY)
    assert status == 200
    status, _, faults = server.request("GET", "/_sandbox/faults")
    assert faults == {"faults": []}


def serve_page(page, url, html):
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))


FORM = """<!doctype html><form method="post" action="{action}" enctype="{enctype}">
<input name='{name}' value='{value}'></form><script>document.forms[0].submit()</script>"""


@pytest.mark.parametrize(("path", "enctype", "name", "value"), [
    ("/_sandbox/reset", "text/plain", '{"vendor": "hipp", "x": "', '"}'),
    ("/_sandbox/faults", "application/x-www-form-urlencoded", "vendor", "hipp"),
    ("/_sandbox/reset", "multipart/form-data", "vendor", "hipp"),
])
def test_a_form_posted_from_another_origin_is_refused(guarded_browser, server, seeded, path, enctype, name,
                                                      value):
    page = guarded_browser.new_page()
    try:
        form = FORM.format(action=server.url + path, enctype=enctype, name=name, value=value)
        serve_page(page, f"{EVIL}/form.html", form)
        with page.expect_navigation(url=server.url + path) as navigation:
            page.goto(f"{EVIL}/form.html")
        response = navigation.value
        assert response.status == 403
        assert json.loads(response.body())["error"]["code"] == "cross_origin_request"
    finally:
        page.close()
    unchanged(server, seeded)


ATTACKS = """async (base) => {
  const results = {};
  const attempt = async (name, url, init) => {
    try {
      const r = await fetch(url, init);
      results[name] = {status: r.status, type: r.type, body: await r.text()};
    } catch (e) { results[name] = {blocked: String(e)}; }
  };
  await attempt("no-cors text/plain reset", base + "/_sandbox/reset",
                {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: "{}"});
  await attempt("no-cors body-less reset", base + "/_sandbox/reset", {method: "POST", mode: "no-cors"});
  await attempt("json reset (needs a preflight)", base + "/_sandbox/reset",
                {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"});
  await attempt("read the state", base + "/_sandbox/state", {});
  await attempt("read the credentials", base + "/_sandbox/credentials", {});
  await new Promise((done) => { const img = new Image(); img.onload = img.onerror = done;
                                img.src = base + "/_sandbox/?namespace=planted-by-img"; });
  return results;
}"""


def test_scripts_from_another_origin_neither_change_nor_read_state(guarded_browser, server, seeded):
    page = guarded_browser.new_page()
    seen = []
    page.on("response", lambda response: response.url.startswith(server.url) and seen.append(
        (response.request.method, response.url.removeprefix(server.url), response.status)))
    try:
        serve_page(page, f"{EVIL}/attack.html", "<!doctype html><title>evil</title>")
        page.goto(f"{EVIL}/attack.html")
        results = page.evaluate(ATTACKS, server.url)
    finally:
        page.close()
    # what the browser let through reached the sandbox and was refused there
    assert [status for method, path, status in seen if method == "POST"] == [403, 403], seen
    assert results["no-cors text/plain reset"]["type"] == "opaque"
    # no readable answer: the sandbox grants no CORS
    for read in ("json reset (needs a preflight)", "read the state", "read the credentials"):
        assert "blocked" in results[read], results[read]
    unchanged(server, seeded)
    status, _, page_html = server.request("GET", "/_sandbox/")
    assert status == 200 and "planted-by-img" not in page_html


REBOUND = """async () => {
  const results = {};
  for (const [name, url, init] of [
      ["state", "/_sandbox/state", {}],
      ["credentials", "/_sandbox/credentials", {}],
      ["reset", "/_sandbox/reset",
       {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"}],
      ["vendor", "/hipp/api/v1/users", {headers: {"Authorization": "Bearer your-api-key"}}]]) {
    const r = await fetch(url, init);
    results[name] = {status: r.status, body: await r.text()};
  }
  return results;
}"""


def test_a_page_whose_name_rebinds_to_the_sandbox_gets_403_for_everything(guarded_browser, server, seeded):
    origin = f"http://rebind.test:{server.port}"
    page = guarded_browser.new_page()
    try:
        serve_page(page, f"{origin}/attack.html", "<!doctype html><title>rebound</title>")
        page.goto(f"{origin}/attack.html")
        results = page.evaluate(REBOUND)
    finally:
        page.close()
    # same-origin to the browser, so every answer is readable: each is the sandbox's refusal
    assert {name: result["status"] for name, result in results.items()} == dict.fromkeys(results, 403)
    for result in results.values():
        body = result["body"]
        assert "DNS" in body and "your-api-key" not in body and "Ada" not in body
    unchanged(server, seeded)
