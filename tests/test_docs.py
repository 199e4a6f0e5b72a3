"""/_sandbox/openapi/{vendor}.json and /_sandbox/docs/{vendor}, with no network needed."""

import re

import pytest

from vendor_sandbox.cli import spec_documents
from vendor_sandbox.vendors import VENDORS

NAMES = [v.NAME for v in VENDORS]


@pytest.mark.parametrize("vendor", NAMES)
def test_served_document_is_the_generated_one(app, client, vendor):
    response = client.get(f"/_sandbox/openapi/{vendor}.json")
    assert response.status_code == 200
    assert response.get_json() == spec_documents(app)[vendor]


@pytest.mark.parametrize("vendor", NAMES)
def test_docs_page_loads_only_local_assets(client, vendor):
    response = client.get(f"/_sandbox/docs/{vendor}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"/_sandbox/openapi/{vendor}.json" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/_sandbox/assets/") for s in sources)
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.get_data()) > 1000


def test_unknown_vendor_docs_are_control_plane_404s(client):
    for path in ("/_sandbox/openapi/acme.json", "/_sandbox/docs/acme"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_docs_send_the_namespace_of_the_page(client):
    page = client.get("/_sandbox/docs/hipp", headers={"X-Sandbox-Namespace": "demo"}).get_data(as_text=True)
    assert 'request.headers["X-Sandbox-Namespace"] = "demo"' in page


def test_a_browser_names_the_namespace_in_the_query(client):
    page = client.get("/_sandbox/docs/hipp?namespace=demo2").get_data(as_text=True)
    assert 'request.headers["X-Sandbox-Namespace"] = "demo2"' in page
    assert client.get("/_sandbox/docs/hipp?namespace=bad%20name").status_code == 400
