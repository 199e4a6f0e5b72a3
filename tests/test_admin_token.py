"""SANDBOX_ADMIN_TOKEN guards every /_sandbox/ call that changes or reveals state."""

import pytest

from vendor_sandbox import create_app

GUARDED = [
    ("GET", "/_sandbox/credentials"), ("POST", "/_sandbox/reset"), ("GET", "/_sandbox/requests"),
    ("DELETE", "/_sandbox/requests"), ("GET", "/_sandbox/outbox"), ("DELETE", "/_sandbox/outbox"),
    ("GET", "/_sandbox/faults"), ("POST", "/_sandbox/faults"), ("DELETE", "/_sandbox/faults"),
    ("GET", "/_sandbox/state"), ("PUT", "/_sandbox/state"),
]
OPEN = ["/_sandbox/health", "/_sandbox/openapi/hipp.json", "/_sandbox/docs/hipp"]


@pytest.fixture
def guarded():
    return create_app({"ADMIN_TOKEN": "s3cret"}).test_client()


@pytest.mark.parametrize(("method", "path"), GUARDED)
@pytest.mark.parametrize("headers", [{}, {"X-Sandbox-Admin-Token": "wrong"}, {"Authorization": "Bearer wrong"}])
def test_guarded_calls_without_the_token_are_401(guarded, method, path, headers):
    response = guarded.open(path, method=method, headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {"error": {
        "code": "admin_token_required",
        "message": "this sandbox needs its admin token in X-Sandbox-Admin-Token (SANDBOX_ADMIN_TOKEN)"}}


@pytest.mark.parametrize("how", [{"headers": {"X-Sandbox-Admin-Token": "s3cret"}},
                                 {"headers": {"Authorization": "Bearer s3cret"}},
                                 {"query_string": {"token": "s3cret"}}])
def test_the_token_opens_them(guarded, how):
    assert guarded.get("/_sandbox/credentials", **how).status_code == 200


@pytest.mark.parametrize("path", OPEN)
def test_what_reveals_no_state_stays_open(guarded, path):
    assert guarded.get(path).status_code == 200


def test_vendor_traffic_never_needs_it(guarded):
    response = guarded.get("/hipp/api/v1/users", headers={"Authorization": "Bearer your-api-key"})
    assert response.status_code == 200


def test_without_a_token_configured_everything_is_open(client):
    assert client.get("/_sandbox/credentials").status_code == 200
