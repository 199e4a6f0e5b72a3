"""GET /fhir/Practitioner/{id}: the caller's Builder only; anything else is a FHIR not-found."""

import pytest

from .conftest import ACME, CARLA_PRACTITIONER, FHIR, SAM_PRACTITIONER, outcome


def test_reads_a_fixture_practitioner(zus):
    response = zus.get(f"/fhir/Practitioner/{CARLA_PRACTITIONER}")
    assert response.status_code == 200
    assert response.mimetype == FHIR
    assert response.headers["ETag"] == 'W/"1"'
    assert response.get_json() == {
        "resourceType": "Practitioner",
        "id": CARLA_PRACTITIONER,
        "meta": {
            "extension": [{"url": "https://zusapi.com/created-at", "valueInstant": "2024-01-10T09:00:00.000Z"}],
            "versionId": "1",
            "lastUpdated": "2024-01-10T09:00:00.000Z",
            "source": "#k2m4p6r8t0v2x4z6",
            "tag": [{"system": "https://zusapi.com/accesscontrol/owner", "code": f"builder/{ACME}"}],
        },
        "active": True,
        "name": [{"family": "Care", "given": ["Carla"]}],
    }


@pytest.mark.parametrize("practitioner_id", [SAM_PRACTITIONER, "nope"])
def test_unknown_or_other_builders_are_404(zus, practitioner_id):
    response = zus.get(f"/fhir/Practitioner/{practitioner_id}")
    assert (response.status_code, response.mimetype, response.get_json()) == (404, FHIR, outcome(
        "not-found", f"Resource Practitioner/{practitioner_id} is not known"))
