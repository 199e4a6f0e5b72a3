"""Behind a TLS terminator or an ingress: forwarded headers count from trusted proxies only."""

import pytest
import requests

from vendor_sandbox import create_app
from vendor_sandbox.server import ThreadedServer

from ..conftest import FROZEN_AT
from ..vendors.zus.conftest import ACME_BACKEND, AUDIENCE

NO_PROXY = {"http": None, "https": None}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One server that trusts the loopback peer (every test request comes from it), one that does not."""
    data = str(tmp_path_factory.mktemp("forwarded-data"))
    trusting = ThreadedServer(
        create_app({"FROZEN_CLOCK": FROZEN_AT, "DATA_DIR": data, "TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"})
    ).start()
    distrusting = ThreadedServer(
        create_app({"FROZEN_CLOCK": FROZEN_AT, "DATA_DIR": data, "TRUSTED_PROXIES": "10.0.0.0/8"})
    ).start()
    yield trusting, distrusting
    trusting.stop()
    distrusting.stop()


def practitioner_location(server, headers, prefix="/zus"):
    granted = requests.post(
        f"{server.url}{prefix}/oauth/token",
        proxies=NO_PROXY,
        headers=headers,
        json={
            "grant_type": "client_credentials",
            "audience": AUDIENCE,
            "client_id": ACME_BACKEND["clientId"],
            "client_secret": ACME_BACKEND["clientSecret"],
        },
    )
    assert granted.status_code == 200, granted.text
    created = requests.post(
        f"{server.url}{prefix}/fhir/Practitioner",
        proxies=NO_PROXY,
        json={"resourceType": "Practitioner", "name": [{"family": "Fwd"}]},
        headers={
            **headers,
            "Authorization": f"Bearer {granted.json()['access_token']}",
            "Content-Type": "application/fhir+json",
            "X-Sandbox-Namespace": "forwarded",
        },
    )
    assert created.status_code == 201
    return created.headers["Location"].rsplit("/fhir/", 1)[0]


def test_x_forwarded_proto_and_host_from_a_trusted_proxy_name_the_urls(servers):
    trusting, _ = servers
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "sandbox.example.org"}
    assert practitioner_location(trusting, headers) == "https://sandbox.example.org/zus"


def test_forwarded_rfc_7239_from_a_trusted_proxy(servers):
    trusting, _ = servers
    headers = {"Forwarded": 'for=192.0.2.60;proto=https;host="sandbox.example.org:9443"'}
    assert practitioner_location(trusting, headers) == "https://sandbox.example.org:9443/zus"


def test_a_forwarded_vendor_hostname_is_routed_to_that_vendor(servers):
    """An ingress that answers as api.sandbox.zusapi.com and forwards to the sandbox."""
    trusting, _ = servers
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.sandbox.zusapi.com"}
    assert practitioner_location(trusting, headers, prefix="") == "https://api.sandbox.zusapi.com"


def test_an_untrusted_peer_cannot_claim_a_host(servers):
    _, distrusting = servers
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "sandbox.example.org",
        "Forwarded": "proto=https;host=elsewhere.example.org",
    }
    assert practitioner_location(distrusting, headers) == f"{distrusting.url}/zus"


def test_a_malformed_header_from_a_trusted_proxy_is_a_json_400(servers):
    trusting, _ = servers
    response = requests.get(
        f"{trusting.url}/_sandbox/health", proxies=NO_PROXY, headers={"X-Forwarded-Proto": "gopher"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_forwarded_header",
            "message": "X-Forwarded-Proto from the trusted proxy is malformed: unsupported proto value",
        }
    }


def test_an_unparseable_trusted_proxies_setting_is_refused_at_start():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'ten-dot' is not an IP address or network"):
        create_app({"TRUSTED_PROXIES": "10.0.0.0/8,ten-dot"})
