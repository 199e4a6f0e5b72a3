"""fhirclient (SMART on FHIR's Python client, R4 models) against a live server: it reads the
CapabilityStatement and its OAuth token URL as a SMART client does, then creates, reads, updates,
searches (every page, by the Bundles' next links) and deletes, parsing each answer strictly."""

import pytest
import requests
from fhirclient import client
from fhirclient.models.bundle import Bundle
from fhirclient.models.practitioner import Practitioner
from fhirclient.server import FHIRNotFoundException

from .conftest import backend_token


@pytest.fixture
def smart(server, request):
    namespace = f"fhirclient-{request.node.name}"
    access_token = backend_token(server, namespace)
    fhir = client.FHIRClient(settings={"app_id": "sandbox-tests", "api_base": f"{server.url}/zus/fhir/"})
    fhir.server.session.headers.update({"Authorization": f"Bearer {access_token}",
                                        "X-Sandbox-Namespace": namespace})
    return fhir


def test_the_capability_statement_names_the_token_url(smart, server):
    statement = smart.server.capabilityStatement  # fetched before any token is needed
    assert statement.fhirVersion == "4.0.1"
    (oauth,) = statement.rest[0].security.extension
    assert [(e.url, e.valueUri) for e in oauth.extension] == [("token", f"{server.url}/zus/oauth/token")]
    (resource,) = statement.rest[0].resource
    assert resource.type == "Practitioner" and resource.conditionalCreate is True


def test_create_read_update_search_delete(smart):
    created = Practitioner({"resourceType": "Practitioner", "active": True,
                            "name": [{"family": "Smart", "given": ["Sol"]}]}).create(smart.server)
    practitioner = Practitioner(created, strict=True)
    assert practitioner.meta.versionId == "1"
    read = Practitioner.read(practitioner.id, smart.server)
    assert read.as_json() == practitioner.as_json()

    read.active = False
    updated = Practitioner(read.update(smart.server), strict=True)
    assert (updated.meta.versionId, updated.active) == ("2", False)

    for given in ("Ann", "Bo", "Cy"):
        Practitioner({"resourceType": "Practitioner", "name": [{"family": "Smart", "given": [given]}]}).create(
            smart.server)
    search = Practitioner.where({"family": "smart", "_count": "2", "_sort": "given"})
    pages = list(search.perform_iter(smart.server))  # every page, by the next links
    assert all(isinstance(page, Bundle) and page.total == 4 for page in pages)
    assert [len(page.entry) for page in pages] == [2, 2]
    everyone = list(search.perform_resources_iter(smart.server))
    assert [p.name[0].given[0] for p in everyone] == ["Ann", "Bo", "Cy", "Sol"]

    read.delete(smart.server)
    with pytest.raises(requests.HTTPError) as raised:
        Practitioner.read(read.id, smart.server)
    assert raised.value.response.status_code == 410
    with pytest.raises(FHIRNotFoundException):
        Practitioner.read("0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a", smart.server)
