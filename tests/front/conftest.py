"""A live sandbox with its TLS port and proxy on free loopback ports, its CA in a temporary folder."""

import ssl

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.server import ThreadedServer

from ..conftest import FROZEN_AT

# the names issue 14 and shared/vendors list for the four vendors (copied here: tests never read shared/)
VENDOR_HOSTNAMES = {
    "hipp": ["app.hipp.health"],
    "nabla": ["api.nabla.com", "us.api.nabla.com", "eu.api.nabla.com"],
    "zus": [
        "api.sandbox.zusapi.com",
        "api.zusapi.com",
        "zus-sandbox.us.auth0.com",
        "auth.sandbox.zusapi.com",
        "auth.zusapi.com",
    ],
    "welkin": ["api.welkinhealth.com", "api.live.welkincloud.io"],
}
HIPP_KEY = "your-api-key"  # the key in Hipp's own examples (a fixture credential)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("sandbox-data")


@pytest.fixture(scope="module")
def live(data_dir):
    app = create_app({"FROZEN_CLOCK": FROZEN_AT, "DATA_DIR": str(data_dir), "TRUSTED_PROXIES": ""})
    with ThreadedServer(app, tls=True) as server:
        yield server


@pytest.fixture(scope="module")
def ca_file(live, data_dir):
    return str(data_dir / "ca.pem")


@pytest.fixture
def only_our_ca(ca_file):
    """A client context that trusts our CA and nothing else, hostname check on."""
    context = ssl.create_default_context(cafile=ca_file)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert len(context.get_ca_certs()) == 1
    return context
