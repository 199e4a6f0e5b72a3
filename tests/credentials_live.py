"""Shared by tests/test_credentials_*.py: one live server per module, minting, and journals."""

import pytest

from .live import LiveServer, console_script

NS = "X-Sandbox-Namespace"


@pytest.fixture(scope="module")
def server(live_store):
    """A real `vendor-sandbox serve` on the wall clock (real client code signs with it)."""
    live = LiveServer([*console_script(), "serve", "--threads", "4"],
                      env={"SANDBOX_ADMIN_TOKEN": "", **live_store}).wait_ready()
    yield live
    live.stop()


def mint(server, namespace, **body):
    """The 201 entry of POST /_sandbox/credentials in `namespace`."""
    status, _, entry = server.request("POST", "/_sandbox/credentials", body, headers={NS: namespace})
    assert status == 201, entry
    return entry


def listed(server, namespace, vendor):
    return server.request("GET", "/_sandbox/credentials", headers={NS: namespace})[2][vendor]


def journal(server, namespace):
    """(method, path, status) of every vendor request journaled in `namespace`."""
    status, _, body = server.request("GET", "/_sandbox/requests", headers={NS: namespace})
    assert status == 200
    return [(r["method"], r["path"], r["status"]) for r in body["requests"]]


def state(server, namespace):
    return server.request("GET", "/_sandbox/state", headers={NS: namespace})[2]


@pytest.fixture
def fresh():
    """A factory of namespace names no other test uses."""
    import uuid

    return lambda label="ns": f"{label}-{uuid.uuid4().hex[:10]}"
