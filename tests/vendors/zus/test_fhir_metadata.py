"""GET /fhir/metadata: a CapabilityStatement that tells the truth, readable before any token."""

import pytest

from vendor_sandbox import create_app

from ...conftest import FROZEN_AT
from .conftest import CARLA_PRACTITIONER
from .fhir_r4 import call, parsed

SPEC = "http://hl7.org/fhir/SearchParameter/"


def test_capability_statement(client):
    response = client.get("/zus/fhir/metadata")
    assert response.status_code == 200
    statement = parsed(response)
    assert (statement["status"], statement["kind"], statement["fhirVersion"]) == ("active", "instance", "4.0.1")
    assert statement["format"] == ["application/fhir+json", "json"]
    assert statement["implementation"]["url"] == "http://localhost/zus/fhir"
    (rest,) = statement["rest"]
    assert rest["mode"] == "server"
    assert rest["security"]["service"] == [{"coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "OAuth"}]}]
    assert rest["security"]["extension"] == [{
        "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
        "extension": [{"url": "token", "valueUri": "http://localhost/zus/oauth/token"}]}]
    (practitioner,) = rest["resource"]
    assert practitioner["type"] == "Practitioner"
    assert [i["code"] for i in practitioner["interaction"]] == [
        "read", "vread", "update", "delete", "history-instance", "history-type", "create", "search-type"]
    assert (practitioner["versioning"], practitioner["readHistory"], practitioner["updateCreate"],
            practitioner["conditionalCreate"], practitioner["conditionalUpdate"],
            practitioner["conditionalDelete"]) == ("versioned-update", True, False, True, False, "not-supported")
    assert practitioner["searchParam"] == [
        {"name": "_id", "definition": f"{SPEC}Resource-id", "type": "token"},
        {"name": "_lastUpdated", "definition": f"{SPEC}Resource-lastUpdated", "type": "date"},
        {"name": "_tag", "definition": f"{SPEC}Resource-tag", "type": "token"},
        {"name": "active", "definition": f"{SPEC}Practitioner-active", "type": "token"},
        {"name": "family", "definition": f"{SPEC}individual-family", "type": "string"},
        {"name": "given", "definition": f"{SPEC}individual-given", "type": "string"},
        {"name": "identifier", "definition": f"{SPEC}Practitioner-identifier", "type": "token"},
        {"name": "name", "definition": f"{SPEC}Practitioner-name", "type": "string"},
    ]


def test_every_search_parameter_it_lists_is_served_and_no_other(zus):
    statement = zus.get("/fhir/metadata").get_json()
    listed = {p["name"] for p in statement["rest"][0]["resource"][0]["searchParam"]}
    for name in listed:
        value = {"_id": CARLA_PRACTITIONER, "_lastUpdated": "ge2020", "_tag": "a|b", "active": "true"}.get(name, "c")
        assert zus.get("/fhir/Practitioner", **{name: value}).status_code == 200, name
    assert zus.get("/fhir/Practitioner", birthdate="1980").status_code == 400


def test_every_interaction_it_lists_is_served(zus):
    created = zus.create_practitioner({"resourceType": "Practitioner", "active": True}).get_json()
    path = f"/fhir/Practitioner/{created['id']}"
    answers = {
        "create": 201,
        "search-type": zus.get("/fhir/Practitioner").status_code,
        "read": zus.get(path).status_code,
        "vread": zus.get(f"{path}/_history/1").status_code,
        "update": call(zus, "PUT", path, {"resourceType": "Practitioner", "id": created["id"]}).status_code,
        "history-instance": zus.get(f"{path}/_history").status_code,
        "history-type": zus.get("/fhir/Practitioner/_history").status_code,
        "delete": call(zus, "DELETE", path).status_code,
    }
    statement = zus.get("/fhir/metadata").get_json()
    listed = [i["code"] for i in statement["rest"][0]["resource"][0]["interaction"]]
    assert sorted(answers) == sorted(listed) and set(answers.values()) <= {200, 201}


@pytest.mark.parametrize(("path", "base", "token"), [
    ("/fhir/metadata", "http://localhost/fhir", "http://localhost/oauth/token"),
    ("/zus/fhir/metadata", "http://localhost/zus/fhir", "http://localhost/zus/oauth/token"),
])
def test_urls_keep_the_prefix_the_client_used(path, base, token):
    client = create_app({"VENDOR": "zus", "FROZEN_CLOCK": FROZEN_AT}).test_client()
    statement = parsed(client.get(path))
    assert statement["implementation"]["url"] == base
    assert statement["rest"][0]["security"]["extension"][0]["extension"][0]["valueUri"] == token
    assert client.post(token.removeprefix("http://localhost"), json={}).status_code == 400  # the token URL exists


def test_metadata_in_a_path_namespace_names_it(app):
    client = app.test_client()
    response = client.get("/zus/fhir/metadata", environ_overrides={"SCRIPT_NAME": "/ns/team-a"})
    assert parsed(response)["implementation"]["url"] == "http://localhost/ns/team-a/zus/fhir"
