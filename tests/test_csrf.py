"""No web page can drive the control plane: a state-changing /_sandbox/ call must be JSON or carry an
X-Sandbox-* header (neither can be sent cross-origin without a CORS preflight, which the sandbox never
grants), and one a browser marks as cross-site is refused; reads never build a namespace."""

import pytest

NS = "X-Sandbox-Namespace"
HIPP = {"Authorization": "Bearer your-api-key"}


@pytest.fixture
def journaled(client):
    """The default namespace with one journaled vendor request: what a forged reset would wipe."""
    assert client.get("/hipp/api/v1/users", headers=HIPP).status_code == 200
    return client


def journal_length(client):
    return len(client.get("/_sandbox/requests").get_json()["requests"])


def error(response):
    return response.status_code, response.get_json()["error"]["code"]


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example", "Content-Type": "application/json"},
    {"Origin": "null", "Content-Type": "application/json"},
    {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
    {"Sec-Fetch-Site": "same-site", NS: "default"},
    {"Origin": "http://localhost:9999", NS: "default"},
])
def test_a_call_from_another_origin_is_403_and_changes_nothing(journaled, headers):
    body = b"{}" if "Content-Type" in headers else None
    response = journaled.post("/_sandbox/reset", data=body, headers=headers)
    assert error(response) == (403, "cross_origin_request")
    assert response.get_json()["error"]["message"].startswith(
        "refused: a /_sandbox/ call that changes state must come from the sandbox's own origin")
    assert journal_length(journaled) == 1


@pytest.mark.parametrize(("content_type", "body"), [
    ("text/plain", b'{"vendor": "hipp"}'),
    ("application/x-www-form-urlencoded", b"vendor=hipp"),
    ("multipart/form-data; boundary=x",
     b'--x\r\nContent-Disposition: form-data; name="vendor"\r\n\r\nhipp\r\n--x--'),
])
def test_a_form_or_text_body_is_415_naming_the_content_type_it_needs(journaled, content_type, body):
    response = journaled.post("/_sandbox/reset", data=body, headers={"Content-Type": content_type})
    assert error(response) == (415, "json_required")
    assert "Content-Type: application/json" in response.get_json()["error"]["message"]
    assert journal_length(journaled) == 1


@pytest.mark.parametrize(("method", "path"), [("POST", "/_sandbox/reset"), ("DELETE", "/_sandbox/requests"),
                                              ("DELETE", "/_sandbox/namespace")])
def test_a_body_less_call_without_json_or_a_sandbox_header_is_400(journaled, method, path):
    response = journaled.open(path, method=method)
    assert error(response) == (400, "json_required")
    assert response.get_json()["error"]["message"] == (
        "a /_sandbox/ call that changes state needs Content-Type: application/json or an X-Sandbox-* header "
        "(X-Sandbox-Namespace, say), which no web page can send unasked")
    assert journal_length(journaled) == 1


@pytest.mark.parametrize("headers", [
    {"Content-Type": "application/json"},
    {NS: "default"},
    {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"},
    {"Sec-Fetch-Site": "none", NS: "default"},
])
def test_json_or_a_sandbox_header_from_the_sandbox_itself_goes_through(journaled, headers):
    response = journaled.post("/_sandbox/reset", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert journal_length(journaled) == 0


def test_a_json_body_sent_as_text_is_told_about_content_type(client):
    response = client.post("/_sandbox/faults", data=b'{"vendor": "hipp", "status": 503}',
                           headers={NS: "a", "Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.get_json()["error"]["message"] == (
        "send the body as JSON with Content-Type: application/json (not text/plain): /_sandbox/ takes no "
        "form or text bodies")
    assert client.get("/_sandbox/faults", headers={NS: "a"}).get_json() == {"faults": []}


READS = ["/_sandbox/?namespace=img-tag", "/_sandbox/credentials", "/_sandbox/requests", "/_sandbox/outbox",
         "/_sandbox/faults", "/_sandbox/state"]


@pytest.mark.parametrize("path", READS)
def test_a_plain_get_never_builds_a_namespace(app, client, path):
    store = app.extensions["vendor_sandbox.store"]
    response = client.get(path, headers={} if "?" in path else {NS: "img-tag"})
    assert response.status_code == 200
    assert "img-tag" not in store.namespaces()


def test_the_dashboard_of_an_unused_namespace_shows_the_seed(client):
    page = client.get("/_sandbox/?namespace=never-used").get_data(as_text=True)
    assert "<title>never-used · vendor-sandbox</title>" in page
    assert "your-api-key" in page  # Hipp's seeded credential
