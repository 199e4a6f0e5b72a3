"""Every failure under /welkin is Welkin's: the error array, the recorded headers, never HTML."""

import pytest

from .conftest import HEADERS, NOW


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        (
            "DELETE",
            "/welkin/acme-health/live/users",
            405,
            [
                {
                    "errorCode": "METHOD_NOT_ALLOWED",
                    "componentType": "GENERAL",
                    "message": "Request method 'DELETE' not supported",
                    "details": {},
                    "date": NOW,
                }
            ],
        ),
        (
            "GET",
            "/welkin/auth/token",
            405,
            [
                {
                    "errorCode": "METHOD_NOT_ALLOWED",
                    "componentType": "GENERAL",
                    "message": "Request method 'GET' not supported",
                    "details": {},
                    "date": NOW,
                }
            ],
        ),
    ],
)
def test_unsupported_methods(welkin, method, path, status, body):
    response = welkin.request(method, path)
    assert (response.status_code, response.get_json()) == (status, body)
    assert "Allow" in response.headers
    assert {k: response.headers[k] for k in HEADERS} == HEADERS


@pytest.mark.parametrize("path", ["/welkin", "/welkin/acme-health/admin/users/x/y", "/welkin/a/b/c/d/e"])
def test_unrouted_paths_are_the_recorded_empty_404(welkin, path):
    response = welkin.request("PATCH", path)
    assert (response.status_code, response.data) == (404, b"")
    assert "Content-Type" not in response.headers
    assert {k: response.headers[k] for k in HEADERS} == HEADERS


def test_error_headers_on_vendor_errors(client):
    response = client.get("/welkin/acme-health/live/users")
    assert response.status_code == 401
    assert {k: response.headers[k] for k in HEADERS} == HEADERS
    assert response.headers["Content-Type"] == "application/json"


def test_too_large_body_is_413_in_welkin_shape(welkin):
    response = welkin.request(
        "POST", welkin.base, data=b"{" + b" " * (1024 * 1024) + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.get_json()[0]["errorCode"] == "PAYLOAD_TOO_LARGE"


def test_unexpected_failure_is_a_welkin_500(app, welkin, monkeypatch):
    from vendor_sandbox.vendors.welkin.backend import WelkinBackend

    monkeypatch.setattr(WelkinBackend, "list_users", lambda *a, **k: 1 / 0)
    response = welkin.list_users()
    assert response.status_code == 500
    assert response.get_json() == [
        {
            "errorCode": "INTERNAL_SERVER_ERROR",
            "componentType": "GENERAL",
            "message": "Internal server error",
            "details": {},
            "date": NOW,
        }
    ]


def test_bad_namespace_is_a_welkin_400(client):
    response = client.post(
        "/welkin/auth/token",
        json={"apiClient": "your-api-client-key", "secret": "x"},
        headers={"X-Sandbox-Namespace": "bad name!"},
    )
    assert response.status_code == 400
    assert response.get_json()[0]["errorCode"] == "INVALID_NAMESPACE"
