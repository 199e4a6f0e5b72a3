"""The /_sandbox/ control plane: health, credentials, reset, its own error shape."""

import pytest

from vendor_sandbox.vendors import VENDORS

NS = "X-Sandbox-Namespace"
ADMIN = {"Authorization": "Bearer your-api-key"}


def test_health(client, store_kind, request):
    response = client.get("/_sandbox/health")
    assert response.status_code == 200
    store = {"kind": "memory", "reachable": True}
    if store_kind == "redis":
        store = {"kind": "redis", "url": request.getfixturevalue("redis_server").url(), "reachable": True}
    assert response.get_json() == {"status": "ok", "version": "0.1.0", "vendors": [v.NAME for v in VENDORS],
                                   "store": store}


def test_credentials_shape_for_hipp(client):
    response = client.get("/_sandbox/credentials")
    assert response.status_code == 200
    hipp = response.get_json()["hipp"]
    assert hipp[0] == {
        "name": "Docs example key",
        "role": "ADMIN",
        "organization": {"name": "Example Organization", "publicId": "org_abc123def456"},
        "apiKey": "your-api-key",
    }
    assert all(set(entry) == {"name", "role", "organization", "apiKey"} for entry in hipp)
    roles = {entry["role"] for entry in hipp}
    assert roles == {"ADMIN", "BILLING_MANAGER", "SCHEDULING_MANAGER", "CLINICIAN", "TECHNICIAN", "PATIENT",
                     "CAREGIVER", "HIPP_ADMIN", "HIPP_BILLING_MANAGER", "CLINICAL_ADMIN", "PAYROLL_ADMIN",
                     "CLINICAL_SUPERADMIN"}
    assert len({entry["organization"]["publicId"] for entry in hipp}) >= 2


def test_every_listed_credential_works(client):
    for entry in client.get("/_sandbox/credentials").get_json()["hipp"]:
        response = client.get("/hipp/api/v1/users", headers={"Authorization": f"Bearer {entry['apiKey']}"})
        assert response.status_code in (200, 403), entry


def created_count(client, namespace):
    headers = {**ADMIN, NS: namespace}
    return client.get("/hipp/api/v1/users", headers=headers).get_json()["pagination"]["totalCount"]


@pytest.mark.parametrize("body", [None, {"vendor": "hipp"}])
def test_reset_honours_the_namespace_header(client, body):
    baseline = created_count(client, "a")
    for namespace in ("a", "b"):
        client.post("/hipp/api/v1/users", json={"firstName": "A", "lastName": "B"}, headers={**ADMIN, NS: namespace})
    response = client.post("/_sandbox/reset", json=body, headers={NS: "a"})
    assert response.status_code == 200
    assert response.get_json() == {"namespace": "a", "reset": [body["vendor"]] if body else [v.NAME for v in VENDORS]}
    assert created_count(client, "a") == baseline
    assert created_count(client, "b") == baseline + 1


@pytest.mark.parametrize(
    ("body", "code"),
    [({"vendor": "acme"}, "unknown_vendor"), ([1], "invalid_body"), ("x", "invalid_body")],
)
def test_reset_rejects_bad_bodies(client, body, code):
    response = client.post("/_sandbox/reset", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "../etc", "ünï"])
def test_invalid_namespace_names_are_rejected_in_each_shape(client, name):
    control = client.get("/_sandbox/credentials", headers={NS: name})
    assert control.status_code == 400
    assert control.get_json()["error"]["code"] == "invalid_namespace"
    vendor = client.get("/hipp/api/v1/users", headers={**ADMIN, NS: name})
    assert vendor.status_code == 400
    assert set(vendor.get_json()) == {"error"}


def test_unrouted_and_wrong_method_use_the_control_shape(client):
    assert client.get("/_sandbox/nope").get_json()["error"]["code"] == "not_found"
    response = client.delete("/_sandbox/health")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_paths_outside_every_prefix_are_json_404s(client):
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert response.is_json


def send(app, namespace, vendor, to):
    app.extensions["vendor_sandbox.store"].namespace(namespace).outbox.send(vendor, to, "welcome", "Hi", "Hello")


def test_outbox_lists_per_namespace_with_filters_and_clears(app, client):
    send(app, "a", "zus", "a@example.com")
    send(app, "a", "hipp", "B@example.com")
    send(app, "b", "zus", "c@example.com")
    listed = client.get("/_sandbox/outbox", headers={NS: "a"}).get_json()["messages"]
    assert [m["to"] for m in listed] == ["a@example.com", "B@example.com"]
    assert listed[0] == {"vendor": "zus", "to": "a@example.com", "kind": "welcome", "subject": "Hi",
                         "body": "Hello", "sentAt": "2025-01-15T10:30:00.000Z"}
    assert [m["to"] for m in client.get("/_sandbox/outbox?vendor=hipp", headers={NS: "a"}).get_json()["messages"]] \
        == ["B@example.com"]
    assert len(client.get("/_sandbox/outbox?to=b@EXAMPLE.com", headers={NS: "a"}).get_json()["messages"]) == 1
    assert client.delete("/_sandbox/outbox", headers={NS: "a"}).status_code == 204
    assert client.get("/_sandbox/outbox", headers={NS: "a"}).get_json() == {"messages": []}
    assert len(client.get("/_sandbox/outbox", headers={NS: "b"}).get_json()["messages"]) == 1


def test_reset_of_a_vendor_clears_only_its_messages(app, client):
    send(app, "a", "zus", "a@example.com")
    send(app, "a", "hipp", "b@example.com")
    client.post("/_sandbox/reset", json={"vendor": "hipp"}, headers={NS: "a"})
    assert [m["vendor"] for m in client.get("/_sandbox/outbox", headers={NS: "a"}).get_json()["messages"]] == ["zus"]


def test_a_dropped_namespace_starts_again_from_the_seed(client):
    baseline = created_count(client, "gone")
    client.post("/hipp/api/v1/users", json={"firstName": "A", "lastName": "B"}, headers={**ADMIN, NS: "gone"})
    assert client.delete("/_sandbox/namespace", headers={NS: "gone"}).status_code == 204
    assert "gone" not in client.application.extensions["vendor_sandbox.store"].namespaces()
    assert created_count(client, "gone") == baseline
