"""A forced fault comes in each vendor's own error shape; a 429 in its rate-limit shape."""

import pytest

CASES = [
    ("/hipp/api/v1/users", 429, {"error": "Too Many Requests"}),
    ("/hipp/api/v1/users", 503, {"error": "Service Unavailable"}),
    ("/nabla/v1/core/server/users", 429, {"message": "The organization has exceeded its API quota.", "code": 85000,
                                          "name": "ORGANIZATION_RATE_LIMITED"}),
    ("/nabla/v1/copilot-api/server/users", 503, {"message": "Service Unavailable", "code": 503,
                                                  "name": "SERVICE_UNAVAILABLE"}),
    ("/welkin/acme-health/live/users", 429, [{"errorCode": "TOO_MANY_REQUESTS", "componentType": "GENERAL",
                                              "message": "Too many requests; try again later", "details": {},
                                              "date": "2025-01-15T10:30:00.000Z"}]),
    ("/zus/auth/users", 429, {"errors": [{"status": "429", "code": 429, "title": "Too Many Requests",
                                          "detail": "Too Many Requests", "details": "Too Many Requests"}]}),
    ("/zus/fhir/Practitioner", 503, {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "processing", "diagnostics": "Service Unavailable"}]}),
    ("/zus/oauth/token", 429, {"error": "too_many_requests", "error_description": "Too Many Requests"}),
]


@pytest.mark.parametrize(("path", "status", "body"), CASES)
def test_forced_errors_in_the_vendors_shape(client, path, status, body):
    rule = {"vendor": path.split("/")[1], "path": path, "status": status, "retry_after": 7}
    assert client.post("/_sandbox/faults", json=rule).status_code == 201
    response = client.get(path)
    assert response.status_code == status
    got = response.get_json()
    if isinstance(got, dict):
        for member in ("trace_id", "traceId", "debuggingHints"):  # Nabla's, checked in tests/vendors/nabla
            got.pop(member, None)
    assert got == body
    assert (response.headers.get("Retry-After") == "7") == (status == 429)
