"""Failures that are not Zus rules still come back in the shape of the service under the path."""

import pytest

from .conftest import FHIR, JSONAPI, error, outcome


@pytest.mark.parametrize(
    ("method", "path", "status", "mimetype", "body"),
    [
        ("GET", "/zus/auth/nope", 404, JSONAPI, {"errors": [error(404, "Not Found")]}),
        ("GET", "/zus", 404, JSONAPI, {"errors": [error(404, "Not Found")]}),
        ("DELETE", "/zus/auth/roles", 405, JSONAPI, {"errors": [error(405, "Method Not Allowed")]}),
        ("GET", "/zus/fhir/Patient", 404, FHIR, outcome("not-found", "Not Found")),
        ("DELETE", "/zus/fhir/Practitioner", 405, FHIR, outcome("not-supported", "Method Not Allowed")),
        ("PUT", "/zus/oauth/token", 405, "application/json", {"error": "method_not_allowed",
                                                               "error_description": "Method Not Allowed"}),
    ],
)
def test_unrouted_requests(zus, method, path, status, mimetype, body):
    response = zus.client.open(path, method=method, headers=zus.headers)
    assert (response.status_code, response.mimetype, response.get_json()) == (status, mimetype, body)


def test_a_body_over_the_limit_is_413_in_the_json_api_shape(zus):
    response = zus.client.post("/zus/auth/users", data="x" * (1024 * 1024 + 1), headers=zus.headers,
                               content_type="application/json")
    assert (response.status_code, response.get_json()) == (413, {"errors": [error(413, "Request Entity Too Large")]})


def test_an_unexpected_failure_is_a_json_500(app, zus, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    from vendor_sandbox.vendors.zus.backend import ZusBackend

    monkeypatch.setattr(ZusBackend, "list_roles", lambda *a: 1 / 0)
    response = zus.roles()
    assert (response.status_code, response.get_json()) == (500, {"errors": [error(500, "Internal Server Error")]})


def test_a_bad_namespace_is_a_json_api_400(zus):
    response = zus.client.get("/zus/auth/roles", headers={**zus.headers, "X-Sandbox-Namespace": "a b"})
    assert response.status_code == 400
    assert response.get_json() == {"errors": [error(
        400, "X-Sandbox-Namespace must be 1-64 characters of letters, digits, '.', '_' or '-'")]}
