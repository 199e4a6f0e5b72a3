"""A namespace with FHIR versions and deletions exports and imports again (/_sandbox/state)."""

from .fhir_r4 import call, parsed


def test_versions_survive_export_and_import(zus):
    # no name and no active: records need only what every FHIR resource has
    created = zus.create_practitioner({"resourceType": "Practitioner", "gender": "other"}).get_json()
    path = f"/fhir/Practitioner/{created['id']}"
    call(zus, "PUT", path, {"resourceType": "Practitioner", "id": created["id"], "birthDate": "1970"})
    gone = zus.create_practitioner({"resourceType": "Practitioner"}).get_json()
    call(zus, "DELETE", f"/fhir/Practitioner/{gone['id']}")
    snapshot = zus.client.get("/_sandbox/state").get_json()
    zus.client.post("/_sandbox/reset")
    assert zus.get(path).status_code == 404
    restored = zus.client.put("/_sandbox/state", json=snapshot)
    assert restored.status_code == 200, restored.get_json()
    assert parsed(zus.get(path))["meta"]["versionId"] == "2"
    assert [e["resource"]["meta"]["versionId"] for e in parsed(zus.get(f"{path}/_history"))["entry"]] == ["2", "1"]
    assert zus.get(f"/fhir/Practitioner/{gone['id']}").status_code == 410
