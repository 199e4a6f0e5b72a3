"""POST /fhir/Practitioner: 201, Location with the version, server meta, OperationOutcome errors."""

import pytest

from .conftest import ACME, FHIR, outcome

MINIMAL = {"resourceType": "Practitioner", "active": True, "name": [{"family": "Smith", "given": ["Jane"]}]}


def test_creates_the_minimal_practitioner(zus):
    response = zus.create_practitioner(MINIMAL)
    assert response.status_code == 201
    assert response.mimetype == FHIR
    body = response.get_json()
    practitioner_id = body["id"]
    assert response.headers["Location"] == \
        f"http://localhost/zus/fhir/Practitioner/{practitioner_id}/_history/1"
    assert response.headers["ETag"] == 'W/"1"'
    source = body["meta"]["source"]
    assert len(source) == 17 and source.startswith("#") and source[1:].isalnum()
    assert body == {
        "resourceType": "Practitioner",
        "id": practitioner_id,
        "meta": {
            "extension": [{"url": "https://zusapi.com/created-at", "valueInstant": "2025-01-15T10:30:00.000Z"}],
            "versionId": "1",
            "lastUpdated": "2025-01-15T10:30:00.000Z",
            "source": source,
            "tag": [{"system": "https://zusapi.com/accesscontrol/owner", "code": f"builder/{ACME}"}],
        },
        "active": True,
        "name": [{"family": "Smith", "given": ["Jane"]}],
    }
    assert zus.get(f"/fhir/Practitioner/{practitioner_id}").get_json() == body


def test_client_ids_and_meta_are_replaced_by_the_servers(zus):
    body = zus.create_practitioner({**MINIMAL, "id": "mine", "meta": {"versionId": "9"}}).get_json()
    assert body["id"] != "mine" and body["meta"]["versionId"] == "1"


def test_other_elements_are_kept(zus):
    extra = {"identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
             "telecom": [{"system": "email", "value": "jane@example.com"}], "gender": "female"}
    body = zus.create_practitioner({**MINIMAL, **extra}).get_json()
    assert {k: body[k] for k in extra} == extra


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"resourceType": "Patient"}, 400, outcome(
            "invalid", 'Incorrect resource type found, expected "Practitioner" but found "Patient"')),
        ({"active": True}, 400, outcome("invalid", "Practitioner.resourceType: missing required element",
                                        "Practitioner.resourceType")),
        ({**MINIMAL, "active": "yes"}, 400, outcome("invalid", "Practitioner.active: Not a valid boolean.",
                                                   "Practitioner.active")),
        ({**MINIMAL, "name": [{"family": "Smith", "given": "Jane"}]}, 400, outcome(
            "invalid", "Practitioner.name[0].given: Not a valid list.", "Practitioner.name[0].given")),
        ({**MINIMAL, "nmae": []}, 400, outcome("invalid", "Practitioner.nmae: Unknown field.", "Practitioner.nmae")),
        ({**MINIMAL, "gender": "F"}, 400, outcome("invalid", "Practitioner.gender: Must be one of: male, female, "
                                                             "other, unknown.", "Practitioner.gender")),
    ],
)
def test_invalid_resources(zus, body, status, expected):
    response = zus.create_practitioner(body)
    assert (response.status_code, response.mimetype, response.get_json()) == (status, FHIR, expected)


def test_malformed_json(zus):
    response = zus.client.post("/zus/fhir/Practitioner", data="{", headers=zus.headers,
                               content_type="application/fhir+json")
    assert (response.status_code, response.get_json()) == (400, outcome(
        "processing", "Failed to parse request body as JSON resource"))
