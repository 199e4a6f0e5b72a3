"""FHIR's HTTP around the store: _format and Accept (406 for what is not served), the media type
of every answer (errors too), Prefer."""

import pytest

from .conftest import CARLA_PRACTITIONER, outcome
from .fhir_r4 import CONTENT_TYPE, call, parsed

PATH = f"/fhir/Practitioner/{CARLA_PRACTITIONER}"


@pytest.mark.parametrize("accept", [None, "application/fhir+json", "application/json", "application/json+fhir",
                                    "*/*", "application/fhir+xml;q=0.9, application/fhir+json", "application/*",
                                    "application/fhir+json; fhirVersion=4.0", "application/fhir+json;charset=utf-8",
                                    "application/json, text/plain, */*"])
def test_json_is_served_for(zus, accept):
    response = call(zus, "GET", PATH, **({"Accept": accept} if accept else {}))
    assert (response.status_code, response.headers["Content-Type"]) == (200, CONTENT_TYPE)


@pytest.mark.parametrize("fmt", ["json", "application/fhir+json", "application/json", "application/fhir+json;q=1"])
def test_format_json(zus, fmt):
    response = call(zus, "GET", PATH, query={"_format": fmt}, Accept="application/fhir+xml")  # _format wins
    assert (response.status_code, parsed(response)["id"]) == (200, CARLA_PRACTITIONER)


@pytest.mark.parametrize(("query", "accept", "wanted"), [
    ({}, "application/fhir+xml", "application/fhir+xml"),
    ({}, "text/html", "text/html"),
    ({}, "application/fhir+json; fhirVersion=5.0", "application/fhir+json; fhirVersion=5.0"),
    ({}, "application/xml, application/fhir+json;q=0", "application/xml, application/fhir+json;q=0"),
    ({"_format": "xml"}, None, "_format=xml"),
    ({"_format": "application/fhir+xml"}, None, "_format=application/fhir+xml"),
    ({"_format": "turtle"}, "application/fhir+json", "_format=turtle"),
])
def test_what_is_not_served_is_406(zus, query, accept, wanted):
    for path in (PATH, "/fhir/Practitioner", "/fhir/metadata"):
        response = call(zus, "GET", path, query=query, **({"Accept": accept} if accept else {}))
        assert (response.status_code, parsed(response)) == (406, outcome(
            "not-supported", f"This server serves FHIR JSON only (application/fhir+json), not {wanted}"))


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/fhir/Practitioner/nope", 404), ("GET", "/fhir/Practitioner?nam=x", 400),
    ("PATCH", PATH, 405), ("POST", PATH, 405),
])
def test_errors_are_fhir_json_too(zus, method, path, status):
    response = zus.client.open(f"/zus{path}", method=method, headers=zus.headers)
    assert response.status_code == status
    assert parsed(response)["resourceType"] == "OperationOutcome"


def test_without_a_token_is_401_as_an_operation_outcome(client):
    response = client.get("/zus/fhir/Practitioner")
    assert (response.status_code, parsed(response)["issue"][0]["code"]) == (401, "login")


def test_prefer_is_read_among_other_preferences(zus):
    response = call(zus, "POST", "/fhir/Practitioner", {"resourceType": "Practitioner"},
                    Prefer='respond-async; wait=10, return="minimal"')
    assert (response.status_code, response.data) == (201, b"")


def test_the_token_is_checked_before_the_format(client):
    response = client.get("/zus/fhir/Practitioner", headers={"Accept": "application/fhir+xml"})
    assert (response.status_code, parsed(response)["issue"][0]["code"]) == (401, "login")
