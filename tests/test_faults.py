"""/_sandbox/faults and X-Sandbox-Fault: forced errors in the vendor's shape, and latency."""

import time

import pytest

NS = "X-Sandbox-Namespace"
ADMIN = {"Authorization": "Bearer your-api-key"}
USERS = "/hipp/api/v1/users"


def add(client, rule, namespace=None):
    response = client.post("/_sandbox/faults", json=rule, headers={NS: namespace} if namespace else {})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_forced_error_has_the_vendors_shape_and_fires_before_auth(client):
    add(client, {"vendor": "hipp", "method": "GET", "path": "/api/v1/users", "status": 503})
    response = client.get(USERS)
    assert response.status_code == 503
    assert response.get_json() == {"error": "Service Unavailable"}


def test_times_limits_how_often_a_rule_fires(client):
    rule = add(client, {"vendor": "hipp", "path": "/hipp/api/v1/*", "status": 500, "times": 2})
    assert rule == {"id": 1, "vendor": "hipp", "method": "*", "path": "/hipp/api/v1/*", "status": 500,
                    "times": 2, "remaining": 2, "fired": 0}
    statuses = [client.get(USERS, headers=ADMIN).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert client.get(USERS, headers=ADMIN).status_code == 200
    (listed,) = client.get("/_sandbox/faults").get_json()["faults"]
    assert (listed["remaining"], listed["fired"]) == (0, 2)


def test_a_500_rule_renders_hipps_500_body(client):
    add(client, {"vendor": "hipp", "status": 500, "times": 1})
    response = client.get(USERS, headers=ADMIN)
    assert response.get_json() == {"error": "An unexpected error occurred"}


def test_429_carries_retry_after(client):
    add(client, {"vendor": "hipp", "status": 429, "retry_after": 30})
    response = client.post(USERS, json={}, headers=ADMIN)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert response.get_json() == {"error": "Too Many Requests"}


def test_a_given_body_is_returned_verbatim(client):
    add(client, {"vendor": "hipp", "status": 502, "body": {"upstream": "down"}})
    response = client.get(USERS, headers=ADMIN)
    assert (response.status_code, response.get_json()) == (502, {"upstream": "down"})


def test_method_and_path_must_match(client):
    add(client, {"vendor": "hipp", "method": "POST", "path": "/api/v1/users", "status": 503})
    assert client.get(USERS, headers=ADMIN).status_code == 200
    assert client.get(f"{USERS}/usr_1234567890_abc123def", headers=ADMIN).status_code == 200
    assert client.post(USERS, json={}, headers=ADMIN).status_code == 503


def test_probability_is_seeded_and_roughly_honoured(client):
    add(client, {"vendor": "hipp", "status": 503, "probability": 0.5})
    statuses = [client.get(USERS, headers=ADMIN).status_code for _ in range(200)]
    assert 60 < statuses.count(503) < 140


def test_delay_only_rules_slow_the_request_down(client):
    add(client, {"vendor": "hipp", "delay_ms": 150})
    started = time.perf_counter()
    assert client.get(USERS, headers=ADMIN).status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_rules_are_per_namespace_and_clear(client):
    add(client, {"vendor": "hipp", "status": 503}, namespace="a")
    assert client.get(USERS, headers={**ADMIN, NS: "a"}).status_code == 503
    assert client.get(USERS, headers=ADMIN).status_code == 200
    assert client.delete("/_sandbox/faults", headers={NS: "a"}).status_code == 204
    assert client.get(USERS, headers={**ADMIN, NS: "a"}).status_code == 200


@pytest.mark.parametrize(
    ("header", "status", "body"),
    [
        ("status=503", 503, {"error": "Service Unavailable"}),
        ("status=404; delay=10", 404, {"error": "Resource not found"}),
        ("delay=10", 200, None),
        ("status=abc", 400, {"error": "X-Sandbox-Fault takes status=NNN and/or delay=MS"}),
        ("status=200", 400, {"error": "X-Sandbox-Fault status must be 400-599"}),
    ],
)
def test_the_per_request_header(client, header, status, body):
    response = client.get(USERS, headers={**ADMIN, "X-Sandbox-Fault": header})
    assert response.status_code == status
    if body is not None:
        assert response.get_json() == body


@pytest.mark.parametrize(
    "rule",
    [
        [1], {"vendor": "acme", "status": 500}, {"vendor": "hipp"}, {"vendor": "hipp", "status": 200},
        {"vendor": "hipp", "status": 500, "times": 0}, {"vendor": "hipp", "status": 500, "probability": 1.5},
        {"vendor": "hipp", "status": 500, "times": 1, "probability": 0.5}, {"vendor": "hipp", "delay_ms": -1},
        {"vendor": "hipp", "delay_ms": 5, "body": {}}, {"vendor": "hipp", "status": 500, "colour": "red"},
        {"vendor": "hipp", "status": True},
    ],
)
def test_bad_rules_are_rejected(client, rule):
    response = client.post("/_sandbox/faults", json=rule)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_fault"
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}
