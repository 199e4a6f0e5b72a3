"""Every failure under /nabla is Nabla's `{message, code, name, trace_id}` (with the recorded `traceId`,
`debuggingHints`): never HTML, never a traceback."""

import pytest

from vendor_sandbox.vendors.nabla.backend import NablaBackend

from .conftest import CORE, DOCS_USER_ID, Trace, nabla_error


@pytest.mark.parametrize("path", ["/nabla", "/nabla/v1/core/server/nope", "/nabla/v1/copilot-api/server/users/x/y",
                                  "/nabla/v1/core/user/jwt/authenticate", "/nabla/v1/core/user/users"])
def test_unrouted_paths_are_404s(client, path):
    response = client.get(path)
    assert (response.status_code, response.get_json()) == (
        404, nabla_error("The requested endpoint was not found.", 404, "NOT_FOUND"))


def test_get_on_the_token_endpoint_is_405(client):
    response = client.get(f"{CORE}/oauth/token")
    assert (response.status_code, response.get_json()) == (
        405, nabla_error("The method is not allowed for the requested endpoint.", 405, "METHOD_NOT_ALLOWED"))
    assert "POST" in response.headers["Allow"]


def test_bodies_over_the_limit_are_413(nabla):
    response = nabla.request("POST", "/users", data=b"{" + b" " * (1024 * 1024) + b"}",
                             content_type="application/json")
    assert (response.status_code, response.get_json()) == (
        413, nabla_error("The request body is too large.", 413, "PAYLOAD_TOO_LARGE"))


def test_an_unexpected_failure_is_a_nabla_shaped_500(nabla, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(NablaBackend, "list_users", explode)
    response = nabla.list_users()
    assert (response.status_code, response.get_json()) == (
        500, nabla_error("An unexpected error occurred.", 500, "INTERNAL_SERVER_ERROR"))
    assert b"boom" not in response.get_data()


def test_an_invalid_namespace_is_a_nabla_shaped_400(client):
    response = client.get(f"{CORE}/users", headers={"X-Sandbox-Namespace": "a b"})
    assert response.status_code == 400
    assert response.get_json() == nabla_error(
        "X-Sandbox-Namespace must be 1-64 characters of letters, digits, '.', '_' or '-'")


def test_errors_are_json_with_a_trace_id(nabla):
    response = nabla.get_user("00000000-0000-4000-8000-000000000000")
    assert response.mimetype == "application/json"
    assert response.get_json()["trace_id"] == Trace()


def test_the_trace_id_is_stable_for_the_same_request_and_instant(nabla):
    first = nabla.get_user(DOCS_USER_ID.replace("9", "0")).get_json()["trace_id"]
    assert nabla.get_user(DOCS_USER_ID.replace("9", "0")).get_json()["trace_id"] == first


def test_the_recorded_members_sit_beside_the_documented_ones(nabla):
    """Nabla's guide documents `trace_id`; a Canvas EHR plugin recorded the live API answering
    `traceId` and `debuggingHints: []`. Both are there, the same trace in each."""
    body = nabla.get_user(DOCS_USER_ID.replace("9", "0")).get_json()
    assert list(body) == ["message", "code", "name", "trace_id", "traceId", "debuggingHints"]
    assert body["traceId"] == body["trace_id"] == Trace() and body["debuggingHints"] == []
