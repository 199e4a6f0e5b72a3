"""The schemathesis contract checks (tests/contract/) against a sandbox on the shared store."""

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.server import ThreadedServer

from ..contract.conftest import AUTH, FROZEN_AT, Live
from ..contract.test_schemathesis import test_hipp, test_nabla, test_welkin, test_zus  # noqa: F401

DATABASE = 50


@pytest.fixture(scope="module")
def live(redis_server):
    redis_server.client(DATABASE).flushdb()
    app = create_app({"FROZEN_CLOCK": FROZEN_AT, "SEED": 0, "STORE_URL": redis_server.url(DATABASE)})
    with ThreadedServer(app) as server:
        yield Live(server.url)


@pytest.fixture(scope="module")
def vendor_headers(live):
    return {vendor: headers(live) for vendor, headers in AUTH.items()}


def test_the_checks_ran_on_the_shared_store(live, redis_server):
    journal = redis_server.client(DATABASE).llen("vs:{contract-hipp}:journal")
    assert journal > 10  # every checked call is in the namespace's journal, in Redis
