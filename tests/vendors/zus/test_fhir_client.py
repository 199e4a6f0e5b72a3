"""fhirpy, a FHIR client from PyPI, against a live `vendor-sandbox serve`: metadata, create, read,
vread, update (versions, a stale If-Match), search, paging through next links, delete. Every
resource it gets back is read as R4 by the model libraries."""

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import MultipleResourcesFound, OperationOutcome, ResourceNotFound

from .conftest import CARLA_PRACTITIONER, backend_token
from .fhir_r4 import r4

NPI = "http://hl7.org/fhir/sid/us-npi"


@pytest.fixture
def fhir(server, request):
    namespace = f"fhirpy-{request.node.name}"
    access_token = backend_token(server, namespace)
    return SyncFHIRClient(f"{server.url}/zus/fhir", authorization=f"Bearer {access_token}",
                          extra_headers={"X-Sandbox-Namespace": namespace})


def valid(resource):
    return r4(resource.serialize())


def test_metadata(fhir, server):
    statement = r4(fhir.execute("metadata", method="get"))
    assert statement["fhirVersion"] == "4.0.1"
    assert statement["rest"][0]["security"]["extension"][0]["extension"][0]["valueUri"] == \
        f"{server.url}/zus/oauth/token"


def test_create_read_vread_update(fhir):
    practitioner = fhir.resource("Practitioner", active=True, name=[{"family": "Fhirpy", "given": ["Fay"]}],
                                 identifier=[{"system": NPI, "value": "1234567893"}])
    practitioner.save()
    assert practitioner.id and practitioner["meta"]["versionId"] == "1"
    valid(practitioner)

    read = fhir.reference("Practitioner", practitioner.id).to_resource()
    assert valid(read) == valid(practitioner)

    practitioner["active"] = False
    practitioner.save()
    assert practitioner["meta"]["versionId"] == "2" and practitioner["active"] is False
    first = fhir.execute(f"Practitioner/{practitioner.id}/_history/1", method="get")
    assert r4(first)["active"] is True and first["meta"]["versionId"] == "1"
    history = r4(fhir.execute(f"Practitioner/{practitioner.id}/_history", method="get"))
    assert [e["resource"]["meta"]["versionId"] for e in history["entry"]] == ["2", "1"]

    with pytest.raises(MultipleResourcesFound):  # fhirpy's name for a 412: our If-Match is stale
        fhir._do_request("put", f"Practitioner/{practitioner.id}", data=first, extra_headers={"If-Match": 'W/"1"'})

    found = fhir.resources("Practitioner").search(identifier=f"{NPI}|1234567893").get()
    assert found.id == practitioner.id and valid(found)["active"] is False


def test_invalid_resources_are_operation_outcomes(fhir):
    with pytest.raises(OperationOutcome) as raised:
        fhir.resource("Practitioner", birthDate="not a date").save()
    issue = raised.value.resource["issue"][0]
    assert (issue["code"], issue["expression"]) == ("invalid", ["Practitioner.birthDate"])


def test_search_and_paging(fhir):
    for given in ("Ann", "Bea", "Cy", "Dot", "Eve"):
        fhir.resource("Practitioner", name=[{"family": "Pager", "given": [given]}]).save()
    search = fhir.resources("Practitioner").search(family="pager").sort("given")
    page = search.limit(2).fetch()
    assert [p["name"][0]["given"][0] for p in page] == ["Ann", "Bea"]
    everything = search.limit(2).fetch_all()  # follows the Bundles' next links to the end
    assert [p["name"][0]["given"][0] for p in everything] == ["Ann", "Bea", "Cy", "Dot", "Eve"]
    assert all(valid(p) for p in everything)
    newest = fhir.resources("Practitioner").search(family="pager").sort("-_lastUpdated", "-_id").first()
    assert newest is not None and valid(newest)
    raw = r4(fhir.execute("Practitioner", method="get", params={"family": "pager", "_count": 2}))
    assert raw["total"] == 5 and [link["relation"] for link in raw["link"]] == ["self", "next"]
    assert fhir.resources("Practitioner").search(name="nobody").fetch() == []
    assert fhir.resources("Practitioner").search(_id=CARLA_PRACTITIONER).get().id == CARLA_PRACTITIONER


def test_delete(fhir):
    practitioner = fhir.resource("Practitioner", name=[{"family": "Gone"}])
    practitioner.save()
    practitioner.delete()
    with pytest.raises(ResourceNotFound):  # 410 Gone
        fhir.reference("Practitioner", practitioner.id).to_resource()
