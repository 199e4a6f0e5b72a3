"""Hipp's `{"error": text}` envelope for unrouted paths, unserved methods and crashes; always JSON."""

import pytest

from vendor_sandbox.vendors.hipp.backend import HippBackend

from .expected import BASE, DOC_USER, NOT_FOUND

USER_PATH = f"{BASE}/v1/users/{DOC_USER['publicId']}"
USERS_PATH = f"{BASE}/v1/users"
METHOD_NOT_ALLOWED = {"error": "Method not allowed"}
UNEXPECTED = {"error": "An unexpected error occurred"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", USER_PATH, {"GET"}),
        ("PATCH", USER_PATH, {"GET"}),
        ("DELETE", USER_PATH, {"GET"}),
        ("POST", USER_PATH, {"GET"}),
        ("DELETE", USERS_PATH, {"GET", "POST"}),
        ("PUT", USERS_PATH, {"GET", "POST"}),
        ("PATCH", USERS_PATH, {"GET", "POST"}),
    ],
)
def test_unserved_method_is_405_with_allow(hipp, method, path, allowed):
    response = hipp.request(method, path, json={"firstName": "Ann"})
    assert response.status_code == 405
    assert response.get_json() == METHOD_NOT_ALLOWED
    allow = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed <= allow
    assert method not in allow


def test_405_does_not_touch_the_user(hipp):
    hipp.request("DELETE", USER_PATH)
    hipp.request("PATCH", USER_PATH, json={"firstName": "Changed"})
    assert hipp.get_user(DOC_USER["publicId"]).get_json() == DOC_USER


@pytest.mark.parametrize(
    "path",
    [
        "/hipp/api/v2/nope",
        "/hipp/whatever",
        "/hipp/api/v1/user",
        "/hipp/api/v1/users/usr_1234567890_abc123def/extra",
        "/hipp/api/v1/patients",
    ],
)
def test_unrouted_path_is_404(hipp, path):
    response = hipp.request("GET", path)
    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", USERS_PATH, None),
        ("GET", USER_PATH, None),
        ("POST", USERS_PATH, {"firstName": "Ann", "lastName": "Lee"}),
        ("POST", USERS_PATH, {"firstName": ""}),
        ("GET", f"{USERS_PATH}?page=0", None),
        ("GET", f"{BASE}/v1/users/not-an-id", None),
        ("GET", f"{BASE}/v1/users/usr_0_unknown", None),
        ("DELETE", USER_PATH, None),
        ("GET", "/hipp/api/v2/nope", None),
        ("GET", "/hipp/whatever", None),
    ],
)
def test_every_response_is_json(hipp, method, path, body):
    response = hipp.request(method, path, json=body)
    assert response.mimetype == "application/json"
    assert response.get_json() is not None
    assert not response.get_data(as_text=True).lstrip().startswith("<")


@pytest.mark.parametrize("authorization", [None, "Bearer nope"])
def test_401_is_json(hipp_auth, authorization):
    response = hipp_auth(authorization).list_users()
    assert response.mimetype == "application/json"


def test_403_is_json(hipp_as):
    response = hipp_as("hipp_test_patient").list_users()
    assert response.mimetype == "application/json"


def test_options_is_not_an_html_page(hipp):
    response = hipp.request("OPTIONS", USERS_PATH)
    assert response.mimetype != "text/html"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


# ---- unexpected failures -------------------------------------------------------------------------

def _explode(*args, **kwargs):
    raise RuntimeError("boom: secret internal detail")


CRASHING = {
    "list_users": lambda caller: caller.list_users(),
    "get_user": lambda caller: caller.get_user(DOC_USER["publicId"]),
    "create_user": lambda caller: caller.create_user(firstName="Ann", lastName="Lee"),
    "authenticate": lambda caller: caller.list_users(),
}


@pytest.mark.parametrize("method", CRASHING)
def test_unexpected_exception_is_500(hipp, monkeypatch, method):
    monkeypatch.setattr(HippBackend, method, _explode)
    response = CRASHING[method](hipp)
    assert response.status_code == 500
    assert response.get_json() == UNEXPECTED
    assert response.mimetype == "application/json"


@pytest.mark.parametrize("method", CRASHING)
def test_500_leaks_no_traceback(hipp, monkeypatch, method):
    monkeypatch.setattr(HippBackend, method, _explode)
    text = CRASHING[method](hipp).get_data(as_text=True)
    assert "Traceback" not in text
    assert "boom" not in text
    assert "RuntimeError" not in text
