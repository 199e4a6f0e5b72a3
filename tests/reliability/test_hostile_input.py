"""Hostile input on every vendor endpoint: always the vendor's own 4xx, never a 5xx, never a change
of state (GET /_sandbox/state compared before and after)."""

import itertools

import pytest

from .conftest import (
    NS,
    PATH_VALUES,
    ZUS_USER_ID,
    ClientHttp,
    create_app,
    door,
    login,
    state,
    vendor_routes,
    vendor_shaped,
)

FROZEN = "2025-01-15T10:30:00Z"
ROUTES = vendor_routes(create_app({"TESTING": True}))
# routes that read no body (a body is ignored, as the vendors do)
NO_BODY = ("/rotate-secret", "/jwt/authenticate/")
BODY_ROUTES = [(m, p) for m, p in ROUTES if m in ("POST", "PATCH", "PUT") and not any(x in p for x in NO_BODY)]
GET_ROUTES = [(m, p) for m, p in ROUTES if m == "GET"]

# bodies no endpoint may accept: not JSON, not an object, or JSON nobody can answer back
HOSTILE_BODIES = {
    "malformed": b'{"email": "a@b.co",',
    "single quotes": b"{'email': 'a@b.co'}",
    "trailing garbage": b'{"email": "a@b.co"} x',
    "array": b"[]",
    "array of objects": b'[{"email": "a@b.co"}]',
    "string": b'"x"',
    "null": b"null",
    "number": b"1",
    "invalid utf-8": b'{"email": "\xff\xfe@b.co"}',
    "invalid utf-8 only": b"\xc3\x28\xa0\xa1",
    "NUL bytes": b"\x00\x00\x00",
    "deeply nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "deeply nested objects": b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    "huge float": b'{"email": 1e999999, "external_id": 1e400, "data": -1e400}',
    "huge integer": b'{"email": ' + b"9" * 5_000 + b"}",
    "NaN": b'{"email": NaN}',
    "Infinity": b'{"data": Infinity}',
    "lone surrogate": b'{"email": "\\ud800@b.co", "firstName": "\\udfff", "data": "\\ud83d"}',
}
CONTENT_TYPES = ["application/json", None, "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data", "application/json; charset=latin-1"]
_namespaces = itertools.count()
FIXTURE_IDS = {*PATH_VALUES.values(), ZUS_USER_ID}


@pytest.fixture(scope="module")
def http():
    return ClientHttp(create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "SEED": 0}))


@pytest.fixture
def ns(http):
    """A fresh namespace, logged in to every vendor, and its state before the test."""
    name = f"hostile-{next(_namespaces)}"
    headers = login(http, name)
    return name, headers, state(http, name)


def check(path, reply, problems, label, must_fail=True):
    if reply.status >= 500 or (must_fail and not 400 <= reply.status < 500):
        problems.append(f"{label}: {reply.status} {reply.text[:200]}")
    elif reply.status >= 400 and not vendor_shaped(path, reply):
        problems.append(f"{label}: not in the vendor's shape: {reply.status} {reply.text[:200]}")


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
def test_hostile_bodies_get_the_vendors_4xx_and_change_nothing(http, ns, method, path):
    name, logins, before = ns
    problems = []
    for (label, body), content_type in itertools.product(HOSTILE_BODIES.items(), CONTENT_TYPES):
        headers = dict(logins[door(path)])
        if content_type:
            headers["Content-Type"] = content_type
        reply = http.request(method, path, raw=body, headers=headers)
        check(path, reply, problems, f"{label} as {content_type}")
    assert problems == []
    assert state(http, name) == before


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
def test_a_body_over_the_limit_is_the_vendors_413_before_anything_else(http, ns, method, path):
    """10 MB: no credential needed to be refused, and nothing is read or stored."""
    name, _, before = ns
    reply = http.request(method, path, raw=b"{" + b" " * (10 * 1024 * 1024) + b"}",
                         headers={NS: name, "Content-Type": "application/json"})
    assert reply.status == 413 and vendor_shaped(path, reply), reply.text
    assert state(http, name) == before


HOSTILE_SEGMENTS = {
    "NUL": "%00",
    "NULs around an id": "%00usr_1%00",
    "invalid utf-8": "%ff%fe",
    "utf-8 surrogate": "%ED%A0%80",
    "traversal": "..%2f..%2f_sandbox%2fstate",
    "10k characters": "a" * 10_000,
    "over the URI limit": "a" * 70_000,
}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_hostile_path_segments_get_the_vendors_4xx(http, ns, method, path):
    name, logins, before = ns
    problems = []
    for label, segment in HOSTILE_SEGMENTS.items():
        for hostile in _with_segment(path, segment):
            reply = http.request(method, hostile, headers=logins[door(path)])
            check(hostile, reply, problems, f"{label} in {hostile[:80]}")
    assert problems == []
    assert state(http, name) == before


HOSTILE_QUERIES = {
    "NUL values": "page=%00&pageSize=%00&limit=%00&size=%00&page%5Bcount%5D=%00&_count=%00",
    "huge numbers": "page=1e999&pageSize=99999999999999999999999&limit=1e400&size=-1e999"
                    "&page%5Bcount%5D=99999999999999999999999&_count=99999999999999999999999",
    "invalid utf-8": "page=%ff&limit=%fe&size=%ff&page%5Bcount%5D=%ff&_count=%ff",
}
INERT_QUERIES = {
    "long value": "search=" + "a" * 20_000,
    "NUL in a free-text value": "search=a%00b&name=%00&filter%5Bname%5D=%00",
    "over the URI limit": "search=" + "a" * 70_000,
}


@pytest.mark.parametrize(("method", "path"), GET_ROUTES)
def test_hostile_queries_get_the_vendors_4xx_or_are_ignored(http, ns, method, path):
    """Invalid paging values are a 4xx wherever the endpoint reads them; values an endpoint does not
    read, or reads as free text, may be ignored, but never answer a 5xx or another shape."""
    name, logins, before = ns
    problems = []
    reads_paging = path.endswith(("/users", "/roles", "/app-clients", "/Practitioner"))
    for label, query in {**HOSTILE_QUERIES, **INERT_QUERIES}.items():
        reply = http.request(method, f"{path}?{query}", headers=logins[door(path)])
        must_fail = label in HOSTILE_QUERIES and reads_paging or label == "over the URI limit"
        check(path, reply, problems, label, must_fail=must_fail)
    assert problems == []
    assert state(http, name) == before


HOSTILE_HEADERS = {
    "NUL in the credential": {"Authorization": "Bearer \x00"},
    "10k-character credential": {"Authorization": "Bearer " + "a" * 10_000},
    "credential over the header limit": {"Authorization": "Bearer " + "a" * 70_000},
    "other scheme": {"Authorization": "Basic " + "\x00" * 10},
    "latin-1 credential": {"Authorization": "Bearer \xe9\xff"},
}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_hostile_headers_get_the_vendors_4xx(http, ns, method, path):
    name, logins, before = ns
    problems = []
    # token routes take no Bearer, nor does Zus's FHIR CapabilityStatement (clients read it first)
    open_route = path.endswith(("/token", "/fhir/metadata")) or "/admin/api_clients/" in path
    for label, headers in HOSTILE_HEADERS.items():
        reply = http.request(method, path, headers={NS: name, **headers})
        check(path, reply, problems, label, must_fail=not open_route or "limit" in label)
    for label, value in {"NUL namespace": "a\x00b", "long namespace": "n" * 10_000, "slash": "../x"}.items():
        reply = http.request(method, path, headers={**logins[door(path)], NS: value})
        check(path, reply, problems, label)
    for label, value in {"NUL": "\x00" * 100, "10k characters": "x" * 10_000}.items():
        if method != "GET":
            break  # with valid credentials, a POST may rightly change state
        reply = http.request(method, path, headers={**logins[door(path)], "X-Hostile": value})
        check(path, reply, problems, f"unknown header, {label}", must_fail=False)
    assert problems == []
    assert state(http, name) == before


def _with_segment(path, segment):
    """`path` with each fixture id in it replaced by `segment`, or `segment` appended."""
    parts = path.split("/")
    positions = [i for i, part in enumerate(parts) if part in FIXTURE_IDS]
    if not positions:
        return [f"{path}/{segment}"]
    return ["/".join(parts[:i] + [segment] + parts[i + 1:]) for i in positions]
