"""URLs we hand back name the path the client used: with Zus mounted at /, no /zus in them."""

from vendor_sandbox import create_app

from .conftest import FROZEN_AT
from .vendors.zus.conftest import ACME_BACKEND, AUDIENCE, CARLA_PRACTITIONER

FHIR = "application/fhir+json"


def root_mounted_zus():
    client = create_app({"VENDOR": "zus", "FROZEN_CLOCK": FROZEN_AT}).test_client()
    granted = client.post("/oauth/token", json={"grant_type": "client_credentials", "audience": AUDIENCE,
                                                "client_id": ACME_BACKEND["clientId"],
                                                "client_secret": ACME_BACKEND["clientSecret"]})
    assert granted.status_code == 200
    return client, {"Authorization": f"Bearer {granted.get_json()['access_token']}"}


def test_root_mounted_vendor_builds_urls_without_its_prefix():
    client, auth = root_mounted_zus()
    created = client.post("/fhir/Practitioner", json={"resourceType": "Practitioner", "name": [{"family": "Root"}]},
                          headers={**auth, "Content-Type": FHIR})
    assert created.status_code == 201
    assert created.headers["Location"] == f"http://localhost/fhir/Practitioner/{created.get_json()['id']}/_history/1"
    bundle = client.get("/fhir/Practitioner", query_string={"_id": CARLA_PRACTITIONER}, headers=auth).get_json()
    assert [link["url"] for link in bundle["link"] if link["relation"] == "self"][0].startswith(
        "http://localhost/fhir/Practitioner?")
    links = client.get("/auth/users", query_string={"page[size]": 1}, headers=auth).get_json()["links"]
    assert links["self"].startswith("http://localhost/auth/users?")


def test_the_prefixed_path_keeps_its_prefix_when_mounted():
    client, auth = root_mounted_zus()
    links = client.get("/zus/auth/users", query_string={"page[size]": 1}, headers=auth).get_json()["links"]
    assert links["self"].startswith("http://localhost/zus/auth/users?")
