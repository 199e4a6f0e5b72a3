"""GET/DELETE /_sandbox/requests: every vendor request, redacted, filtered, bounded."""

import pytest

from vendor_sandbox import create_app

NS = "X-Sandbox-Namespace"
ADMIN = {"Authorization": "Bearer your-api-key"}


def journal(client, query="", namespace=None):
    response = client.get(f"/_sandbox/requests{query}", headers={NS: namespace} if namespace else {})
    assert response.status_code == 200
    return response.get_json()["requests"]


def test_a_vendor_request_is_journaled_with_request_and_response(client):
    client.post("/hipp/api/v1/users?x=1", json={"firstName": "Ann", "lastName": "Lee"}, headers=ADMIN)
    (entry,) = journal(client)
    created = entry.pop("responseBody")
    assert created["message"] == "User created successfully"
    assert isinstance(entry.pop("durationMs"), float)
    assert entry.pop("headers")["Authorization"] == "[redacted]"
    assert entry.pop("responseHeaders")["Content-Type"] == "application/json"
    assert entry == {"id": 1, "vendor": "hipp", "method": "POST", "path": "/hipp/api/v1/users",
                     "query": {"x": ["1"]}, "body": {"firstName": "Ann", "lastName": "Lee"}, "status": 200,
                     "timestamp": "2025-01-15T10:30:00.000Z"}


def test_errors_and_unrouted_requests_are_journaled_control_requests_are_not(client):
    client.get("/hipp/api/v1/users")
    client.get("/hipp/nowhere", headers=ADMIN)
    client.post("/hipp/api/v1/users", data=b"{oops", headers=ADMIN)
    client.get("/_sandbox/credentials")
    entries = journal(client)
    assert [(e["path"], e["status"]) for e in entries] == [
        ("/hipp/api/v1/users", 401), ("/hipp/nowhere", 404), ("/hipp/api/v1/users", 400)]
    assert entries[2]["body"] == "{oops"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?vendor=hipp", 3), ("?vendor=zus", 0), ("?method=get", 2), ("?method=POST", 1),
        ("?status=401", 1), ("?status=2xx", 2), ("?status=4xx", 1), ("?path=/hipp/api/v1/users/*", 1),
        ("?path=*users*", 3), ("?limit=2", 2), ("?since=2025-01-15T10:30:00Z", 3),
        ("?until=2025-01-15T10:29:59Z", 0),
    ],
)
def test_filters(client, query, expected):
    client.get("/hipp/api/v1/users", headers=ADMIN)
    client.get("/hipp/api/v1/users/usr_1234567890_abc123def", headers=ADMIN)
    client.post("/hipp/api/v1/users", json={})
    assert len(journal(client, query)) == expected


@pytest.mark.parametrize("query", ["?limit=0", "?limit=x", "?since=yesterday"])
def test_bad_filters_are_control_plane_400s(client, query):
    response = client.get(f"/_sandbox/requests{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_query"


def test_journal_is_per_namespace_and_clears(client):
    client.get("/hipp/api/v1/users", headers={**ADMIN, NS: "a"})
    assert len(journal(client, namespace="a")) == 1
    assert journal(client, namespace="b") == [] and journal(client) == []
    assert client.delete("/_sandbox/requests", headers={NS: "a"}).status_code == 204
    assert journal(client, namespace="a") == []


def test_the_ring_keeps_only_the_newest_entries():
    client = create_app({"JOURNAL_SIZE": 3}).test_client()
    for page in range(1, 6):
        client.get(f"/hipp/api/v1/users?page={page}", headers=ADMIN)
    assert [e["query"]["page"] for e in journal(client)] == [["3"], ["4"], ["5"]]
    assert [e["id"] for e in journal(client)] == [3, 4, 5]


def test_long_bodies_are_cut():
    client = create_app({"JOURNAL_BODY_LIMIT": 10}).test_client()
    client.post("/hipp/api/v1/users", json={"firstName": "A" * 50}, headers=ADMIN)
    (entry,) = journal(client)
    assert entry["body"].startswith('{"firstNam') and entry["body"].endswith("more bytes]")


def test_reset_of_everything_clears_the_journal(client):
    client.get("/hipp/api/v1/users", headers=ADMIN)
    client.post("/_sandbox/reset", json={"vendor": "hipp"})
    assert len(journal(client)) == 1
    client.post("/_sandbox/reset", headers={NS: "default"})
    assert journal(client) == []


def test_requests_refused_before_the_hooks_and_bad_namespaces_are_journaled_too(client):
    """A body over the limit is refused before the journal's own before-hook runs; a malformed
    namespace header is answered with a 400: both are still journaled, the latter in default."""
    client.post("/hipp/api/v1/users", data=b"x" * (1024 * 1024 + 1), headers=ADMIN)
    client.get("/hipp/api/v1/users", headers={**ADMIN, NS: "not a namespace!"})
    entries = journal(client)
    assert [(e["vendor"], e["path"], e["status"], e["body"]) for e in entries] == [
        ("hipp", "/hipp/api/v1/users", 413, None), ("hipp", "/hipp/api/v1/users", 400, None)]
    assert entries[1]["headers"][NS] == "not a namespace!"
