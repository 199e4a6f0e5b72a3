"""/ns/{name}/...: a namespace by base URL alone, kept in every URL the sandbox hands back."""

import re

import requests

from ..vendors.zus.conftest import ACME_BACKEND, AUDIENCE
from .conftest import HIPP_KEY

NO_PROXY = {"http": None, "https": None}
HIPP = {"Authorization": f"Bearer {HIPP_KEY}"}
JANE = {"firstName": "Jane", "lastName": "Path", "email": "jane.path@example.com", "role": "CLINICIAN"}


def get(url, **kwargs):
    return requests.get(url, proxies=NO_PROXY, timeout=20, **kwargs)


def post(url, **kwargs):
    return requests.post(url, proxies=NO_PROXY, timeout=20, **kwargs)


def hipp_status(live, prefix, public_id):
    return get(f"{live.url}{prefix}/hipp/api/v1/users/{public_id}", headers=HIPP).status_code


def test_two_path_namespaces_never_see_each_other(live):
    created = post(f"{live.url}/ns/path-a/hipp/api/v1/users", json=JANE, headers=HIPP)
    assert created.status_code == 200
    public_id = created.json()["user"]["publicId"]
    assert hipp_status(live, "/ns/path-a", public_id) == 200
    assert hipp_status(live, "/ns/path-b", public_id) == 404
    assert hipp_status(live, "", public_id) == 404
    journal_a = get(f"{live.url}/ns/path-a/_sandbox/requests").json()["requests"]
    path = f"/hipp/api/v1/users/{public_id}"
    assert [(e["method"], e["path"], e["status"]) for e in journal_a] == [
        ("POST", "/hipp/api/v1/users", 200),
        ("GET", path, 200),
    ]
    journal_b = get(f"{live.url}/ns/path-b/_sandbox/requests").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in journal_b] == [("GET", path, 404)]


def test_the_path_wins_over_the_header(live):
    created = post(
        f"{live.url}/ns/path-c/hipp/api/v1/users",
        json={**JANE, "email": "c@example.com"},
        headers={**HIPP, "X-Sandbox-Namespace": "path-d"},
    )
    public_id = created.json()["user"]["publicId"]
    assert hipp_status(live, "/ns/path-c", public_id) == 200
    assert hipp_status(live, "/ns/path-d", public_id) == 404


def test_a_malformed_name_in_the_path_is_a_400_in_the_control_planes_shape(live):
    response = get(f"{live.url}/ns/bad$name/_sandbox/requests")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_namespace",
            "message": "The namespace in /ns/{name}/ must be 1-64 characters of letters, digits, '.', "
            "'_' or '-'",
        }
    }


def zus(live, namespace):
    granted = post(
        f"{live.url}/ns/{namespace}/zus/oauth/token",
        json={
            "grant_type": "client_credentials",
            "audience": AUDIENCE,
            "client_id": ACME_BACKEND["clientId"],
            "client_secret": ACME_BACKEND["clientSecret"],
        },
    )
    assert granted.status_code == 200
    return {"Authorization": f"Bearer {granted.json()['access_token']}"}


def test_location_links_and_full_urls_keep_the_prefix(live):
    auth = zus(live, "path-zus")
    base = f"{live.url}/ns/path-zus/zus"
    created = post(
        f"{base}/fhir/Practitioner",
        json={"resourceType": "Practitioner", "name": [{"family": "Ns"}]},
        headers={**auth, "Content-Type": "application/fhir+json"},
    )
    assert created.status_code == 201
    practitioner = created.json()["id"]
    assert created.headers["Location"] == f"{base}/fhir/Practitioner/{practitioner}/_history/1"
    bundle = get(f"{base}/fhir/Practitioner", params={"_id": practitioner}, headers=auth).json()
    assert bundle["entry"][0]["fullUrl"] == f"{base}/fhir/Practitioner/{practitioner}"
    assert [link["url"] for link in bundle["link"] if link["relation"] == "self"][0].startswith(
        f"{base}/fhir/Practitioner?"
    )
    links = get(f"{base}/auth/users", params={"page[size]": 1}, headers=auth).json()["links"]
    assert links["self"].startswith(f"{base}/auth/users?")
    # the other namespace has no such practitioner
    other = get(
        f"{live.url}/ns/path-other/zus/fhir/Practitioner/{practitioner}", headers=zus(live, "path-other")
    )
    assert other.status_code == 404


def test_swagger_ui_and_its_document_stay_in_the_namespace(live):
    document = get(f"{live.url}/ns/path-docs/_sandbox/openapi/hipp.json").json()
    assert document["servers"] == [{"url": "/ns/path-docs/hipp/api", "description": "vendor-sandbox"}]
    assert get(f"{live.url}/_sandbox/openapi/hipp.json").json()["servers"][0]["url"] == "/hipp/api"
    page = get(f"{live.url}/ns/path-docs/_sandbox/docs/hipp").text
    assert 'url: "/ns/path-docs/_sandbox/openapi/hipp.json"' in page
    assert 'href="/ns/path-docs/_sandbox/assets/swagger-ui/swagger-ui.css"' in page


def test_the_dashboard_links_stay_in_the_namespace(live):
    page = get(f"{live.url}/ns/path-dash/_sandbox/").text
    hrefs = re.findall(r'(?:href|action)="([^"#]+)"', page)
    assert hrefs and all(h.startswith("/ns/path-dash/_sandbox/") or h.startswith("data:") for h in hrefs), (
        hrefs
    )
    assert f"{live.url}/ns/path-dash/hipp/api" in page
