"""PUT, DELETE and _history of Practitioners: new versions, If-Match (412), 410 after a delete."""

import pytest

from .conftest import CARLA_PRACTITIONER, DANA_PRACTITIONER, SAM_PRACTITIONER, outcome
from .fhir_r4 import call, parsed

BASE = "http://localhost/zus/fhir/Practitioner"
PATH = f"/fhir/Practitioner/{CARLA_PRACTITIONER}"
LATER = "2025-01-15T10:30:00.000+00:00"


def carla(**elements):
    return {"resourceType": "Practitioner", "id": CARLA_PRACTITIONER,
            "name": [{"family": "Care", "given": ["Carla"]}], **elements}


def test_update_makes_a_new_version(zus):
    before = zus.get(PATH).get_json()
    response = call(zus, "PUT", PATH, carla(active=False, gender="female"))
    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"2"'
    assert response.headers["Location"] == f"{BASE}/{CARLA_PRACTITIONER}/_history/2"
    body = parsed(response)
    assert body == {**carla(active=False, gender="female"), "meta": {
        **before["meta"], "versionId": "2", "lastUpdated": LATER}}
    assert "active" in body and parsed(zus.get(PATH)) == body
    assert parsed(zus.get(f"{PATH}/_history/1")) == before
    assert parsed(zus.get(f"{PATH}/_history/2")) == body


def test_update_keeps_the_clients_tags_beside_the_owner(zus):
    mine = {"system": "http://example.org/tags", "code": "imported"}
    body = parsed(call(zus, "PUT", PATH, carla(meta={"tag": [mine], "versionId": "99"})))
    assert body["meta"]["versionId"] == "2"
    assert body["meta"]["tag"][1:] == [mine] and body["meta"]["tag"][0]["system"] == \
        "https://zusapi.com/accesscontrol/owner"


@pytest.mark.parametrize("if_match", ['W/"1"', '"1"'])
def test_if_match_the_current_version_updates(zus, if_match):
    assert call(zus, "PUT", PATH, carla(), If_Match=if_match).status_code == 200


def test_if_match_a_stale_version_is_412(zus):
    call(zus, "PUT", PATH, carla(active=True))
    response = call(zus, "PUT", PATH, carla(active=False), If_Match='W/"1"')
    assert (response.status_code, parsed(response)) == (412, outcome(
        "conflict", f"Trying to update Practitioner/{CARLA_PRACTITIONER}/_history/1 but this is not the current "
                    "version"))
    assert zus.get(PATH).get_json()["active"] is True


@pytest.mark.parametrize(("body", "expected"), [
    ({"resourceType": "Practitioner"}, outcome(
        "invalid", "Can not update resource, resource body must contain an ID element for update (PUT) operation")),
    (carla(id=DANA_PRACTITIONER), outcome(
        "invalid", "Can not update resource, resource body must contain an ID element which matches the request "
                   f'URL for update (PUT) operation - Resource body ID of "{DANA_PRACTITIONER}" does not match URL '
                   f'ID of "{CARLA_PRACTITIONER}"')),
    (carla(birthDate="1980-02-30"), {"resourceType": "OperationOutcome", "issue": [{
        "severity": "error", "code": "invalid", "expression": ["Practitioner.birthDate"],
        "diagnostics": "Practitioner.birthDate: Input should be a valid date or datetime, day value is outside "
                       "expected range"}]}),
])
def test_bad_updates_are_400_and_change_nothing(zus, body, expected):
    response = call(zus, "PUT", PATH, body)
    assert (response.status_code, parsed(response)) == (400, expected)
    assert zus.get(PATH).get_json()["meta"]["versionId"] == "1"


@pytest.mark.parametrize("practitioner_id", [SAM_PRACTITIONER, "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a"])
def test_update_of_an_unknown_or_other_builders_resource_is_404(zus, practitioner_id):
    response = call(zus, "PUT", f"/fhir/Practitioner/{practitioner_id}",
                    {"resourceType": "Practitioner", "id": practitioner_id})
    assert (response.status_code, parsed(response)) == (404, outcome(
        "not-found", f"Resource Practitioner/{practitioner_id} is not known"))


@pytest.mark.parametrize(("prefer", "empty"), [("return=minimal", True), ("return=representation", False)])
def test_update_prefer(zus, prefer, empty):
    response = call(zus, "PUT", PATH, carla(), Prefer=prefer)
    assert response.status_code == 200 and (response.data == b"") is empty


def test_delete_then_read_is_410(zus):
    response = call(zus, "DELETE", PATH)
    assert (response.status_code, parsed(response)) == (200, {"resourceType": "OperationOutcome", "issue": [{
        "severity": "information", "code": "informational", "diagnostics": "Successfully deleted 1 resource(s)"}]})
    gone = outcome("deleted", f"Resource was deleted at {LATER}")
    assert (zus.get(PATH).status_code, parsed(zus.get(PATH))) == (410, gone)
    assert zus.get(f"{PATH}/_history/2").status_code == 410
    assert parsed(zus.get(f"{PATH}/_history/1"))["id"] == CARLA_PRACTITIONER  # old versions stay readable
    assert zus.get("/fhir/Practitioner", _id=CARLA_PRACTITIONER).get_json()["total"] == 0
    assert call(zus, "PUT", PATH, carla()).status_code == 410
    again = call(zus, "DELETE", PATH)
    assert (again.status_code, parsed(again)["issue"][0]["severity"]) == (200, "information")


def test_delete_of_an_unknown_resource_is_404(zus):
    response = call(zus, "DELETE", f"/fhir/Practitioner/{SAM_PRACTITIONER}")
    assert response.status_code == 404 and zus.get(f"/fhir/Practitioner/{SAM_PRACTITIONER}").status_code == 404


def test_instance_history_newest_first(zus):
    call(zus, "PUT", PATH, carla(active=False))
    call(zus, "DELETE", PATH)
    response = zus.get(f"{PATH}/_history")
    assert response.status_code == 200
    bundle = parsed(response)
    assert bundle["type"] == "history" and bundle["total"] == 3
    assert bundle["link"] == [{"relation": "self", "url": f"{BASE}/{CARLA_PRACTITIONER}/_history"}]
    assert [(e.get("request"), e["response"]["status"]) for e in bundle["entry"]] == [
        ({"method": "DELETE", "url": f"Practitioner/{CARLA_PRACTITIONER}"}, "204 No Content"),
        ({"method": "PUT", "url": f"Practitioner/{CARLA_PRACTITIONER}"}, "200 OK"),
        ({"method": "POST", "url": "Practitioner"}, "201 Created"),
    ]
    assert "resource" not in bundle["entry"][0]
    assert [e["resource"]["meta"]["versionId"] for e in bundle["entry"][1:]] == ["2", "1"]
    assert bundle["entry"][1]["response"]["etag"] == 'W/"2"'


def test_type_history_is_the_builders_and_pages(zus):
    created = zus.create_practitioner({"resourceType": "Practitioner", "active": True}).get_json()
    bundle = parsed(zus.get("/fhir/Practitioner/_history", _count=2))
    assert bundle["total"] == 3  # Carla's and Dana's version 1 and the new one; never Riverside's
    assert bundle["entry"][0]["resource"] == created
    assert bundle["link"][1] == {"relation": "next", "url": f"{BASE}/_history?_count=2&_offset=2"}
    last = parsed(zus.client.get(bundle["link"][1]["url"], headers=zus.headers))
    assert [e["resource"]["id"] for e in last["entry"]] == [CARLA_PRACTITIONER]


def test_history_of_an_unknown_resource_is_404(zus):
    assert zus.get(f"/fhir/Practitioner/{SAM_PRACTITIONER}/_history").status_code == 404


def test_a_care_team_user_may_read_but_not_write(zus_as):
    carla_care = zus_as("Carla Care")
    assert carla_care.get(PATH).status_code == 200
    for method, body in (("PUT", carla()), ("DELETE", None)):
        response = call(carla_care, method, PATH, body)
        assert (response.status_code, parsed(response)["issue"][0]["code"]) == (403, "forbidden")


def test_concurrent_updates_from_one_version_one_wins(app, namespace, zus):
    """Rounds of eight clients holding the current version updating at once, over real threads, with
    the interpreter switching threads as often as it can: each round one 200 and seven 412."""
    import sys
    import threading

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for version in range(1, 21):
            barrier, answers = threading.Barrier(8), []

            def update(i, held=version, barrier=barrier, answers=answers):
                client = app.test_client()
                barrier.wait()
                answers.append(client.put(f"/zus{PATH}", json=carla(gender="other" if i % 2 else "female"),
                                          headers={**zus.headers, "X-Sandbox-Namespace": namespace,
                                                   "If-Match": f'W/"{held}"'}))

            threads = [threading.Thread(target=update, args=(i,)) for i in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(a.status_code for a in answers) == [200] + [412] * 7, version
    finally:
        sys.setswitchinterval(interval)
    history = zus.get(f"{PATH}/_history", _count=100).get_json()
    assert [e["resource"]["meta"]["versionId"] for e in history["entry"]] == [str(v) for v in range(21, 0, -1)]
