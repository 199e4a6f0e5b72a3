"""GET /fhir/Practitioner/{id} and vread (/_history/{vid}): the caller's Builder only; ETag,
Last-Modified, and 304 for If-None-Match / If-Modified-Since."""

import pytest

from .conftest import ACME, CARLA_PRACTITIONER, SAM_PRACTITIONER, outcome
from .fhir_r4 import call, parsed

CARLA = {
    "resourceType": "Practitioner",
    "id": CARLA_PRACTITIONER,
    "meta": {
        "extension": [{"url": "https://zusapi.com/created-at", "valueInstant": "2024-01-10T09:00:00.000+00:00"}],
        "versionId": "1",
        "lastUpdated": "2024-01-10T09:00:00.000+00:00",
        "source": "#k2m4p6r8t0v2x4z6",
        "tag": [{"system": "https://zusapi.com/accesscontrol/owner", "code": f"builder/{ACME}"}],
    },
    "active": True,
    "name": [{"family": "Care", "given": ["Carla"]}],
}
PATH = f"/fhir/Practitioner/{CARLA_PRACTITIONER}"


def test_reads_a_fixture_practitioner(zus):
    response = zus.get(PATH)
    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"1"'
    assert response.headers["Last-Modified"] == "Wed, 10 Jan 2024 09:00:00 GMT"
    assert parsed(response) == CARLA


def test_vread(zus):
    response = zus.get(f"{PATH}/_history/1")
    assert (response.status_code, response.headers["ETag"], parsed(response)) == (200, 'W/"1"', CARLA)


@pytest.mark.parametrize("tag", ['W/"1"', '"1"', "*", 'W/"7", W/"1"'])
@pytest.mark.parametrize("path", [PATH, f"{PATH}/_history/1"])
def test_if_none_match_the_current_version_is_304(zus, path, tag):
    response = call(zus, "GET", path, If_None_Match=tag)
    assert (response.status_code, response.data, response.headers["ETag"]) == (304, b"", 'W/"1"')


def test_if_none_match_another_version_is_the_resource(zus):
    response = call(zus, "GET", PATH, If_None_Match='W/"0"')
    assert (response.status_code, parsed(response)) == (200, CARLA)


@pytest.mark.parametrize(("since", "status"), [
    ("Wed, 10 Jan 2024 09:00:00 GMT", 304), ("Thu, 11 Jan 2024 00:00:00 GMT", 304),
    ("Tue, 09 Jan 2024 23:59:59 GMT", 200)])
def test_if_modified_since(zus, since, status):
    assert call(zus, "GET", PATH, If_Modified_Since=since).status_code == status


@pytest.mark.parametrize("practitioner_id", [SAM_PRACTITIONER, "nope"])
def test_unknown_or_other_builders_are_404(zus, practitioner_id):
    for path in (f"/fhir/Practitioner/{practitioner_id}", f"/fhir/Practitioner/{practitioner_id}/_history/1"):
        response = zus.get(path)
        assert (response.status_code, parsed(response)) == (404, outcome(
            "not-found", f"Resource Practitioner/{practitioner_id} is not known"))


def test_an_unknown_version_is_404(zus):
    response = zus.get(f"{PATH}/_history/2")
    assert (response.status_code, parsed(response)) == (404, outcome(
        "not-found", f'Version "2" is not valid for resource Practitioner/{CARLA_PRACTITIONER}'))


def test_reading_needs_a_token(client):
    response = client.get(f"/zus{PATH}")
    assert response.status_code == 401
    assert parsed(response)["issue"][0]["code"] == "login"
