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
