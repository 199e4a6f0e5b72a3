"""Snapshots: GET /_sandbox/state exports a namespace, PUT imports it (validated), serve --state."""

import json

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.cli import main

NS = "X-Sandbox-Namespace"
ADMIN = {"Authorization": "Bearer your-api-key"}


def create(client, namespace, **body):
    response = client.post("/hipp/api/v1/users", json={"firstName": "Ann", "lastName": "Lee", **body},
                           headers={**ADMIN, NS: namespace})
    assert response.status_code == 200
    return response.get_json()["user"]["publicId"]


def users(client, namespace):
    body = client.get("/hipp/api/v1/users?pageSize=100", headers={**ADMIN, NS: namespace}).get_json()
    return [u["publicId"] for u in body["data"]]


def test_export_then_import_into_another_namespace_reproduces_it(client):
    public_id = create(client, "a", email="ann@example.com")
    snapshot = client.get("/_sandbox/state", headers={NS: "a"}).get_json()
    assert (snapshot["format"], snapshot["version"], snapshot["namespace"]) == ("vendor-sandbox/state", 1, "a")
    response = client.put("/_sandbox/state", json=snapshot, headers={NS: "b"})
    assert response.status_code == 200
    assert response.get_json()["namespace"] == "b"
    assert users(client, "b") == users(client, "a")
    assert public_id in users(client, "b")
    duplicate = client.post("/hipp/api/v1/users", json={"firstName": "A", "lastName": "B", "email": "ANN@example.com"},
                            headers={**ADMIN, NS: "b"})
    assert duplicate.status_code == 400, "unique claims are restored too"


def test_export_is_json_and_byte_stable(client):
    first = client.get("/_sandbox/state").get_data()
    assert first == client.get("/_sandbox/state").get_data()
    json.loads(first)


def valid_snapshot(client):
    return client.get("/_sandbox/state").get_json()


def broken(mutate):
    def apply(snapshot):
        mutate(snapshot)
        return snapshot
    return apply


@pytest.mark.parametrize(
    "spoil",
    [
        lambda s: [1],
        broken(lambda s: s.pop("format")),
        broken(lambda s: s.update(version=2)),
        broken(lambda s: s["vendors"].update(acme={})),
        broken(lambda s: s["vendors"]["hipp"].update(nothing={"records": []})),
        broken(lambda s: s["vendors"]["hipp"]["users"].update(records="x")),
        broken(lambda s: s["vendors"]["hipp"]["users"]["records"].append(["usr_1", {"firstName": "A"}])),
        broken(lambda s: s["vendors"]["hipp"]["users"]["records"].append([1, {}])),
        broken(lambda s: s["vendors"]["hipp"]["users"]["indexes"].update(ghost={"organization": "x"})),
        broken(lambda s: s.update(outbox=[{"to": "x"}])),
    ],
)
def test_a_bad_snapshot_is_a_400_and_changes_nothing(client, spoil):
    create(client, "default")
    before = client.get("/_sandbox/state").get_data()
    response = client.put("/_sandbox/state", json=spoil(valid_snapshot(client)))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_snapshot"
    assert client.get("/_sandbox/state").get_data() == before


def test_vendors_missing_from_a_snapshot_return_to_their_seed(client):
    create(client, "default")
    seeded = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client().get("/_sandbox/state").get_json()
    response = client.put("/_sandbox/state", json={**valid_snapshot(client), "vendors": {}, "outbox": []})
    assert response.status_code == 200
    assert client.get("/_sandbox/state").get_json()["vendors"] == seeded["vendors"]


def test_serve_starts_from_a_state_file(tmp_path, client, monkeypatch):
    public_id = create(client, "default")
    path = tmp_path / "state.json"
    path.write_text(client.get("/_sandbox/state").get_data(as_text=True))
    started = {}
    monkeypatch.setattr("vendor_sandbox.server.run", lambda app, *a, **k: started.update(app=app))
    with pytest.raises(SystemExit):
        main(["serve", "--state", str(path)])
    assert public_id in users(started["app"].test_client(), "default")


def test_serve_refuses_a_bad_state_file(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text('{"format": "nope"}')
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--state", str(path)])
    assert exit_info.value.code == 1
    assert "cannot start from the snapshot" in capsys.readouterr().err


ZUS_TOKEN = {"grant_type": "client_credentials", "client_id": "AcmeBackendM2MClient0000000000a1",
             "client_secret": "acme-backend-secret-" + "0" * 44}


def test_a_snapshot_taken_after_a_zus_token_request_loads_back(client):
    assert client.post("/zus/oauth/token", json=ZUS_TOKEN).status_code == 200
    exported = client.get("/_sandbox/state")
    assert exported.headers["Content-Type"] == "application/json"
    grants = dict(exported.get_json()["vendors"]["zus"]["token_grants"]["records"])
    assert grants == {"c6d7e8f9-a0b1-4c2d-8e3f-4a5b6c7d8e91": [1736937000.0]}
    response = client.put("/_sandbox/state", data=exported.get_data(), headers={NS: "b"},
                          content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)
    restored = client.get("/_sandbox/state", headers={NS: "b"}).get_json()
    assert restored["vendors"] == exported.get_json()["vendors"]


def first_record(vendor, collection, change):
    """A spoiler that changes the first record of a collection; the message names that record."""
    def spoil(snapshot):
        key, record = snapshot["vendors"][vendor][collection]["records"][0]
        change(record)
        return f"vendors.{vendor}.{collection}.records[{key!r}]"
    return spoil


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda s: s["vendors"]["zus"]["token_grants"]["records"].append(["c6d7", ["soon"]]) or "",
     "vendors.zus.token_grants.records['c6d7'][0]: expected a number"),
    (first_record("hipp", "users", lambda r: r.update(shouldSendSMS="yes")),
     ".shouldSendSMS: expected true or false"),
    (first_record("hipp", "users", lambda r: r.update(createdAt="yesterday")),
     ".createdAt: expected an ISO-8601 instant"),
    (first_record("nabla", "users", lambda r: r.pop("roles")),
     ".roles: expected a list (the field is missing)"),
    (first_record("welkin", "users", lambda r: r.update(nickname="J")), ".nickname: no such field"),
    (first_record("zus", "users", lambda r: r.update(createdAt="1704880800")),
     ".createdAt: expected an integer"),
    (first_record("zus", "practitioners", lambda r: r["meta"].pop("tag")),
     ".meta.tag: expected a list (the field is missing)"),
    (lambda s: s["vendors"]["hipp"]["users"]["claims"]["email"].update(x=1) or "",
     "vendors.hipp.users.claims.email.x: expected a string"),
    (lambda s: s.update(outbox=[{"vendor": "hipp", "to": "a@b.c", "kind": "email", "subject": None, "body": 1,
                                 "sentAt": "2025-01-15T10:30:00.000Z"}]) or "",
     "outbox[0].body: expected a string"),
    (lambda s: s.update(extra=1) or "",
     "extra: no such field (a snapshot has format, namespace, outbox, vendors, version)"),
])
def test_a_record_of_the_wrong_shape_is_refused_by_its_path_and_changes_nothing(client, spoil, message):
    create(client, "default")
    before = client.get("/_sandbox/state").get_data()
    snapshot = valid_snapshot(client)
    message = spoil(snapshot) + message
    response = client.put("/_sandbox/state", json=snapshot)
    assert (response.status_code, response.get_json()) == (400, {"error": {"code": "invalid_snapshot",
                                                                           "message": message}})
    assert client.get("/_sandbox/state").get_data() == before


def test_a_snapshot_nested_too_deeply_is_a_clear_400(client):
    before = client.get("/_sandbox/state").get_data()
    for depth in (70, 100_000):
        snapshot = valid_snapshot(client)
        nabla_key, nabla_user = snapshot["vendors"]["nabla"]["users"]["records"][0]
        raw = json.dumps(snapshot).replace(json.dumps(nabla_user["metadata"]),
                                           '{"deep": ' + "[" * depth + "]" * depth + "}", 1)
        response = client.put("/_sandbox/state", data=raw, content_type="application/json")
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["code"] == "invalid_snapshot"
        assert "64 levels" in error["message"], error
        if depth == 70:
            assert error["message"].startswith(f"vendors.nabla.users.records[{nabla_key!r}].metadata.deep")
    assert client.get("/_sandbox/state").get_data() == before


def test_a_snapshot_that_is_not_json_says_so(client):
    response = client.put("/_sandbox/state", data=b'{"format": ', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("the snapshot is not JSON: ")


def test_serve_starts_from_a_state_file_written_after_a_zus_token_request(tmp_path, client, monkeypatch):
    assert client.post("/zus/oauth/token", json=ZUS_TOKEN).status_code == 200
    path = tmp_path / "state.json"
    path.write_bytes(client.get("/_sandbox/state").get_data())
    started = {}
    monkeypatch.setattr("vendor_sandbox.server.run", lambda app, *a, **k: started.update(app=app))
    with pytest.raises(SystemExit):
        main(["serve", "--state", str(path)])
    loaded = started["app"].test_client().get("/_sandbox/state").get_json()
    assert loaded["vendors"]["zus"]["token_grants"]["records"] == [
        ["c6d7e8f9-a0b1-4c2d-8e3f-4a5b6c7d8e91", [1736937000.0]]]


def test_the_streamed_export_is_what_json_writes():
    from vendor_sandbox.control.state import stream

    records = [[str(n), {"n": n, "é": [[[[[[n]]]]]]}] for n in range(300)]
    document = {"format": "x", "vendors": {"v": {"c": {"records": records, "claims": {}}}}, "outbox": []}
    assert b"".join(stream(document)) == (json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                                          + "\n").encode()


def test_a_record_naming_a_missing_one_is_refused_before_it_could_break_a_read(client):
    before = client.get("/_sandbox/state").get_data()
    snapshot = valid_snapshot(client)
    key, record = snapshot["vendors"]["hipp"]["api_keys"]["records"][0]
    record["userId"] = "usr_nobody"
    response = client.put("/_sandbox/state", json=snapshot)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("vendors.hipp: the records do not hold together (")
    assert client.get("/_sandbox/state").get_data() == before
    assert client.get("/_sandbox/credentials").status_code == 200
