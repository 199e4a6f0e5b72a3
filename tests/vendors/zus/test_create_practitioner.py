"""POST /fhir/Practitioner: 201 with Location (which resolves), ETag, Last-Modified; Prefer;
conditional create (If-None-Exist); R4 validation as OperationOutcome issues with expressions."""

import pytest

from .conftest import ACME, outcome
from .fhir_r4 import CONTENT_TYPE, call, parsed

MINIMAL = {"resourceType": "Practitioner", "active": True, "name": [{"family": "Smith", "given": ["Jane"]}]}
NPI = "http://hl7.org/fhir/sid/us-npi"
CREATED = "2025-01-15T10:30:00.000+00:00"  # the frozen clock, as HAPI writes an instant


def test_creates_the_minimal_practitioner(zus):
    response = zus.create_practitioner(MINIMAL)
    assert response.status_code == 201
    body = parsed(response)
    practitioner_id = body["id"]
    assert response.headers["Location"] == \
        f"http://localhost/zus/fhir/Practitioner/{practitioner_id}/_history/1"
    assert response.headers["ETag"] == 'W/"1"'
    assert response.headers["Last-Modified"] == "Wed, 15 Jan 2025 10:30:00 GMT"
    source = body["meta"]["source"]
    assert len(source) == 17 and source.startswith("#") and source[1:].isalnum()
    assert body == {
        "resourceType": "Practitioner",
        "id": practitioner_id,
        "meta": {
            "extension": [{"url": "https://zusapi.com/created-at", "valueInstant": CREATED}],
            "versionId": "1",
            "lastUpdated": CREATED,
            "source": source,
            "tag": [{"system": "https://zusapi.com/accesscontrol/owner", "code": f"builder/{ACME}"}],
        },
        "active": True,
        "name": [{"family": "Smith", "given": ["Jane"]}],
    }
    assert parsed(zus.get(f"/fhir/Practitioner/{practitioner_id}")) == body


def test_the_location_resolves_to_the_version(zus):
    response = zus.create_practitioner(MINIMAL)
    version = zus.client.get(response.headers["Location"], headers=zus.headers)
    assert (version.status_code, parsed(version)) == (200, response.get_json())


def test_client_ids_and_meta_are_replaced_by_the_servers(zus):
    body = zus.create_practitioner({**MINIMAL, "id": "mine", "meta": {"versionId": "9"}}).get_json()
    assert body["id"] != "mine" and body["meta"]["versionId"] == "1"


def test_other_elements_are_kept(zus):
    extra = {"identifier": [{"system": NPI, "value": "1234567893"}],
             "telecom": [{"system": "email", "value": "jane@example.com"}], "gender": "female",
             "birthDate": "1980-02-29", "_birthDate": {"extension": [{"url": "http://example.org/x", "valueBoolean": True}]},
             "qualification": [{"code": {"text": "MD"}}], "language": "en-US"}
    body = parsed(zus.create_practitioner({**MINIMAL, **extra}))
    assert {k: body[k] for k in extra} == extra


@pytest.mark.parametrize(("prefer", "expected"), [
    ("return=minimal", None),
    ("return=OperationOutcome", "outcome"),
    ("return=representation", "resource"),
])
def test_prefer_return(zus, prefer, expected):
    response = call(zus, "POST", "/fhir/Practitioner", MINIMAL, Prefer=prefer)
    assert response.status_code == 201
    location = response.headers["Location"]
    practitioner_id = location.split("/")[-3]
    if expected is None:
        assert response.data == b"" and "Content-Type" not in response.headers
    elif expected == "outcome":
        assert parsed(response) == {"resourceType": "OperationOutcome", "issue": [{
            "severity": "information", "code": "informational",
            "diagnostics": f'Successfully created resource "Practitioner/{practitioner_id}/_history/1"'}]}
    else:
        assert parsed(response)["id"] == practitioner_id
    assert zus.get(f"/fhir/Practitioner/{practitioner_id}").status_code == 200


def test_conditional_create(zus):
    body = {**MINIMAL, "identifier": [{"system": NPI, "value": "1234567893"}]}
    first = call(zus, "POST", "/fhir/Practitioner", body, If_None_Exist=f"identifier={NPI}|1234567893")
    assert first.status_code == 201
    again = call(zus, "POST", "/fhir/Practitioner", body, If_None_Exist=f"identifier={NPI}|1234567893")
    assert (again.status_code, parsed(again)) == (200, first.get_json())
    assert again.headers["ETag"] == 'W/"1"'
    found = zus.get("/fhir/Practitioner", identifier=f"{NPI}|1234567893").get_json()
    assert found["total"] == 1


def test_conditional_create_with_many_matches_is_412(zus):
    # Carla and Dana are both active in Acme Health
    response = call(zus, "POST", "/fhir/Practitioner", MINIMAL, If_None_Exist="active=true")
    assert (response.status_code, parsed(response)) == (412, outcome(
        "duplicate", 'Failed to CREATE resource with match URL "active=true" because this search matched 2 '
                     "resources"))
    assert zus.get("/fhir/Practitioner", active="true").get_json()["total"] == 2


def test_conditional_create_with_a_bad_search_is_400(zus):
    response = call(zus, "POST", "/fhir/Practitioner", MINIMAL, If_None_Exist="nmae=x")
    assert response.status_code == 400
    assert parsed(response)["issue"][0]["diagnostics"].startswith('Unknown search parameter "nmae"')


def invalid(*pairs):
    """An OperationOutcome with one `invalid` issue per (expression, diagnostics after the path)."""
    return {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "invalid", "diagnostics": f"{expression}: {text}", "expression": [expression]}
        for expression, text in pairs]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"resourceType": "Patient"}, outcome(
            "invalid", 'Incorrect resource type found, expected "Practitioner" but found "Patient"')),
        ({"active": True}, invalid(("Practitioner.resourceType", "Missing required element"))),
        ({**MINIMAL, "birthDate": "1980-13-01"}, invalid(
            ("Practitioner.birthDate", "Date value string does not match spec regex."))),
        ({**MINIMAL, "birthDate": "tomorrow"}, invalid(
            ("Practitioner.birthDate", "Date value string does not match spec regex."))),
        ({**MINIMAL, "active": "yes"}, invalid(("Practitioner.active", "Wrong datatype for this element in R4"))),
        ({**MINIMAL, "name": [{"family": "Smith", "given": "Jane"}]}, invalid(
            ("Practitioner.name[0].given", "Input should be a valid list"))),
        ({**MINIMAL, "nmae": [{"family": "Smith"}]}, invalid(("Practitioner.nmae", "Unknown element"))),
        ({**MINIMAL, "telecom": []}, invalid(("Practitioner.telecom", "Arrays must not be empty (FHIR JSON)"))),
        ({**MINIMAL, "address": [{}]}, invalid(("Practitioner.address[0]", "Objects must have content (FHIR JSON)"))),
        ({**MINIMAL, "qualification": [{"issuer": {"display": "Board"}}]}, invalid(
            ("Practitioner.qualification[0].code", "Missing required element"))),
        ({**MINIMAL, "fhir_comments": ["R4 has no comments"]}, invalid(("Practitioner.fhir_comments", "Unknown element"))),
        ({**MINIMAL, "id": "not an id"}, invalid(
            ("Practitioner.id", "String should match pattern '^[A-Za-z0-9\\-.]+$'"))),
        # every problem, each with its own expression
        ({**MINIMAL, "birthDate": "x", "identifier": [{"system": NPI, "value": 1234567893}], "photo": []}, invalid(
            ("Practitioner.birthDate", "Date value string does not match spec regex."),
            ("Practitioner.identifier[0].value", "Input should be a valid string"),
            ("Practitioner.photo", "Arrays must not be empty (FHIR JSON)"))),
    ],
)
def test_invalid_resources(zus, body, expected):
    response = zus.create_practitioner(body)
    assert (response.status_code, parsed(response)) == (400, expected)
    assert zus.get("/fhir/Practitioner", _summary="count").get_json()["total"] == 2  # nothing was stored


def test_malformed_json(zus):
    response = zus.client.post("/zus/fhir/Practitioner", data="{", headers=zus.headers,
                               content_type="application/fhir+json")
    assert (response.status_code, parsed(response)) == (400, outcome(
        "processing", "Failed to parse request body as JSON resource"))


def test_xml_bodies_are_415(zus):
    response = zus.client.post("/zus/fhir/Practitioner", data="<Practitioner/>", headers=zus.headers,
                               content_type="application/fhir+xml")
    assert (response.status_code, parsed(response)) == (415, outcome(
        "not-supported", "This server reads FHIR JSON only (application/fhir+json), not application/fhir+xml"))


def test_a_care_team_user_may_not_create(zus_as):
    response = zus_as("Carla Care").create_practitioner(MINIMAL)
    assert response.status_code == 403 and response.headers["Content-Type"] == CONTENT_TYPE
    assert parsed(response)["issue"][0]["code"] == "forbidden"


@pytest.mark.parametrize("body", [
    # values of the wrong JSON type where fhir.resources looks them up: a 400, never a 500
    {"resourceType": "Practitioner", "photo": [{"url": [["x"]]}]},
    {"resourceType": "Practitioner", "contained": [{"resourceType": ["Patient"]}]},
])
def test_bodies_that_trip_a_library_are_still_400(zus, body):
    response = zus.create_practitioner(body)
    assert response.status_code == 400
    assert all(issue["code"] == "invalid" and issue["expression"] for issue in parsed(response)["issue"])
