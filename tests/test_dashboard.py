"""GET /_sandbox/: the dashboard page over one namespace, rendered on the server."""

import html
import re

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.vendors import VENDORS

HIPP_KEY = {"Authorization": "Bearer your-api-key"}
JANE = {"firstName": "Jane", "lastName": "Dashboard", "email": "jane.dashboard@example.com",
        "role": "CLINICIAN"}


def page(client, path="/_sandbox/", **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def create_user(client, namespace=None, **fields):
    headers = {**HIPP_KEY, **({"X-Sandbox-Namespace": namespace} if namespace else {})}
    response = client.post("/hipp/api/v1/users", json={**JANE, **fields}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["user"]


def outbox(app, namespace="default"):
    return app.extensions["vendor_sandbox.store"].namespace(namespace).outbox


def section(text, name):
    """The HTML of <section id=name>, so that assertions look where the data belongs."""
    match = re.search(rf'<section id="{name}">(.*?)</section>', text, re.S)
    assert match, f"no section {name}"
    return match.group(1)


def test_it_is_an_html_page(client):
    response = client.get("/_sandbox/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True).startswith("<!doctype html>")


def test_every_vendor_with_its_base_url_and_reference_links(app, client):
    text = page(client)
    for vendor in VENDORS:
        base_url = app.extensions["vendor_sandbox.apis"][vendor.NAME].base_url
        assert f"http://localhost{base_url}" in text
        assert f'href="/_sandbox/docs/{vendor.NAME}"' in text
        assert f'href="/_sandbox/openapi/{vendor.NAME}.json"' in text


def test_credentials_are_shown_as_tables(client):
    credentials = client.get("/_sandbox/credentials").get_json()
    text = page(client)
    for vendor, listed in credentials.items():
        vendor_html = re.search(rf'<article class="vendor" id="vendor-{vendor}">(.*?)</article>',
                                text, re.S)[1]
        table = re.search(r'<table class="credentials">(.*?)</table>', vendor_html, re.S)[1]
        for credential in listed:
            assert html.escape(credential["name"]) in table
    assert "<td>your-api-key</td>" in text
    assert "<td>Example Organization · org_abc123def456</td>" in text


def test_a_user_created_through_the_api_is_the_newest(client):
    user = create_user(client)
    users = section(page(client), "vendors")
    rows = re.findall(r"<tr><td><code>(usr_\w+)</code></td><td>(.*?)</td><td>(.*?)</td></tr>", users)
    assert rows[0] == (user["publicId"], "Jane Dashboard", "jane.dashboard@example.com")
    assert len(rows) == 10  # the newest ten of many


def test_the_user_count_grows(app, client):
    before = int(re.search(r"<strong>(\d+)</strong> users", page(client))[1])
    create_user(client)
    create_user(client, email="second@example.com")
    after = int(re.search(r"<strong>(\d+)</strong> users", page(client))[1])
    assert after == before + 2
    backend = app.extensions["vendor_sandbox.store"].namespace().backend("hipp")
    assert backend.user_summaries(3)["total"] == after


def test_hipp_user_summaries_are_newest_first(app, client):
    first = create_user(client, email="first@example.com")
    second = create_user(client, email="second@example.com")  # same frozen instant: insertion decides
    summaries = app.extensions["vendor_sandbox.store"].namespace().backend("hipp").user_summaries(2)
    assert summaries["latest"] == [
        {"id": second["publicId"], "name": "Jane Dashboard", "email": "second@example.com"},
        {"id": first["publicId"], "name": "Jane Dashboard", "email": "first@example.com"},
    ]


def test_a_backend_without_user_summaries_falls_back_to_its_users_collection(app, client, monkeypatch):
    hipp = app.extensions["vendor_sandbox.store"].namespace().backend("hipp")
    count = hipp.user_summaries(1)["total"]
    monkeypatch.delattr(type(hipp), "user_summaries")
    users = section(page(client), "vendors")
    assert f"<strong>{count}</strong> users" in users
    assert "<table class=\"users\">" not in users


def test_the_journal_shows_the_post_newest_first(client):
    client.get("/hipp/api/v1/users?pageSize=1", headers=HIPP_KEY)
    create_user(client)
    journal = section(page(client), "journal")
    rows = re.findall(r"<tr>(.*?)</tr>", journal, re.S)[1:]  # after the header row
    assert len(rows) == 2
    newest = re.sub(r"\s+", " ", rows[0])
    assert "<code>POST</code>" in newest and "<code>/hipp/api/v1/users</code>" in newest
    assert '<span class="status s2xx">200</span>' in newest
    assert "2025-01-15T10:30:00.000Z" in newest and " ms</td>" in newest
    assert "<code>/hipp/api/v1/users?pageSize=1</code>" in rows[1]


def test_the_journal_shows_at_most_twenty(client):
    for _ in range(25):
        client.get("/hipp/api/v1/users", headers=HIPP_KEY)
    journal = section(page(client), "journal")
    assert journal.count("<code>GET</code>") == 20
    assert "20 of 25 journaled" in journal


def test_outbox_messages(app, client):
    box = outbox(app)
    box.send("hipp", "jane@example.com", "email", "Welcome to Hipp", "Your account is ready.")
    box.send("hipp", "+15550100", "sms", "", "Your code is 123456")
    messages = section(page(client), "outbox")
    assert "2 of 2" in messages
    assert messages.index("Your code is 123456") < messages.index("Welcome to Hipp")  # newest first
    for text in ("jane@example.com", "Your account is ready.", "+15550100", "sms"):
        assert text in messages


def test_empty_sections_say_so(client):
    text = page(client)
    assert "No vendor requests in this namespace yet." in text
    assert "No messages sent in this namespace." in text


def test_namespaces_are_isolated(app, client):
    user = create_user(client, namespace="team-a")
    outbox(app, "team-a").send("hipp", "a@x.test", "email", "A", "a")
    team_a = page(client, query_string={"namespace": "team-a"})
    default = page(client)
    assert user["publicId"] in team_a and user["publicId"] not in default
    assert "/hipp/api/v1/users</code>" in section(team_a, "journal")
    assert "No vendor requests in this namespace yet." in default
    assert "a@x.test" in team_a and "a@x.test" not in default


def test_the_header_names_the_namespace_too(client):
    user = create_user(client, namespace="team-b")
    assert user["publicId"] in page(client, headers={"X-Sandbox-Namespace": "team-b"})


def test_the_picker_lists_namespaces_and_takes_any_name(client):
    create_user(client, namespace="team-c")
    text = page(client, query_string={"namespace": "team-c"})
    assert '<form class="picker" method="get" action="/_sandbox/">' in text
    assert '<input id="namespace" name="namespace" value="team-c"' in text
    for name in ("default", "team-c"):
        assert f'<option value="{name}">' in text
        assert f'href="/_sandbox/?namespace={name}"' in text
    assert re.search(r'href="/_sandbox/\?namespace=team-c"\s+aria-current="page"', text)
    assert 'href="/_sandbox/docs/hipp?namespace=team-c"' in text  # docs "Try it out" in that namespace


def test_a_bad_namespace_is_a_400(client):
    response = client.get("/_sandbox/?namespace=bad%20name")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_namespace"


def test_hostile_input_is_escaped(app, client):
    script = "<script>alert('x')</script>"
    create_user(client, firstName=script, lastName='"><img src=x onerror=alert(1)>')
    outbox(app).send("hipp", "<b>to</b>", "email", script, script)
    client.get("/hipp/api/v1/<script>", headers=HIPP_KEY)
    text = page(client)
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in text


def test_no_external_urls(client):
    create_user(client)
    text = page(client)
    links = re.findall(r'(?:src|href|action)\s*=\s*["\']?([^"\'\s>]+)', text, re.I)
    assert links and all(link.startswith("/_sandbox/") or link == "data:," for link in links), links
    assert not re.search(r"@import|url\(", text)


@pytest.fixture
def guarded():
    return create_app({"ADMIN_TOKEN": "s3cret"}).test_client()


def test_with_an_admin_token_the_page_needs_it(guarded):
    response = guarded.get("/_sandbox/")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "admin_token_required"
    assert guarded.get("/_sandbox/?token=wrong").status_code == 401
    assert guarded.get("/_sandbox/", headers={"X-Sandbox-Admin-Token": "s3cret"}).status_code == 200


def test_the_token_given_in_the_query_stays_in_the_pages_own_links(guarded):
    text = page(guarded, query_string={"token": "s3cret", "namespace": "ci"})
    assert '<input type="hidden" name="token" value="s3cret">' in text
    own = re.findall(r'href="(/_sandbox/\?[^"]*)"', text)
    assert own and all("token=s3cret" in link for link in own)
    assert 'content="no-referrer"' in text
    for link in own:  # and they open
        assert guarded.get(html.unescape(link)).status_code == 200


def test_a_token_sent_as_a_header_is_never_written_into_the_page(guarded):
    text = page(guarded, headers={"X-Sandbox-Admin-Token": "s3cret"})
    assert "s3cret" not in text
