"""Every export imports again (hypothesis, derandomized): random sequences of vendor calls through
every vendor (creates, updates, token grants, any route with any body), then GET /_sandbox/state,
PUT it into another namespace, and every vendor read answers the same there as here."""

import itertools
import json
import urllib.request

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendor_sandbox.control.state import record_shapes
from vendor_sandbox.vendors import VENDORS

from ..live import LiveServer, console_script
from ..vendors.nabla.conftest import assertion, token_body
from ..vendors.zus.conftest import ACME_BACKEND
from .conftest import NABLA_TOKEN_PATH, NS, WELKIN_CLIENT, ClientHttp, create_app, door, login, vendor_routes
from .test_fuzz import ENDPOINTS, VALID, json_values, mutated

ROUND_TRIP = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ZUS_TOKEN = {"grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"],
             "client_secret": ACME_BACKEND["clientSecret"]}
_names = itertools.count(1)
FROZEN = "2025-01-15T10:30:00Z"

APP = create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "SEED": 0,
                  "WELKIN_TOKEN_RATE_LIMIT": False})
HTTP = ClientHttp(APP)
ROUTES = vendor_routes(APP)
READS = sorted({path for method, path in ROUTES if method == "GET"}
               | {listing for *_, listing in ENDPOINTS.values() if listing})


def endpoint_call(name):
    method, path, _, _ = ENDPOINTS[name]
    return st.tuples(st.just(method), st.just(path), mutated(VALID[name]))


token_calls = st.sampled_from([
    ("POST", "/zus/oauth/token", ZUS_TOKEN),
    ("POST", "/zus/oauth/token", {**ZUS_TOKEN, "client_secret": "wrong"}),
    ("POST", "/welkin/auth/token", WELKIN_CLIENT),
    ("POST", NABLA_TOKEN_PATH, "nabla-assertion"),
])
calls = st.one_of(token_calls, *(endpoint_call(name) for name in ENDPOINTS),
                  st.tuples(st.sampled_from([r for r in ROUTES if r[0] != "GET"]), json_values)
                  .map(lambda pair: (*pair[0], pair[1])))


def send(http, logins, namespace, call):
    method, path, body = call
    headers = {NS: namespace}
    if body == "nabla-assertion":
        nabla = next(c for c in http.request("GET", "/_sandbox/credentials", headers=headers).json["nabla"]
                     if c["name"].startswith("Example Health"))
        body = token_body(assertion(nabla, aud=http.base + NABLA_TOKEN_PATH))
    elif not path.endswith("/token"):
        headers = logins[door(path)]
    reply = http.request(method, path, raw=json.dumps(body).encode(),
                         headers={**headers, "Content-Type": "application/json"})
    assert reply.status < 500, (method, path, body, reply.text)


def reads(http, logins):
    return {path: (reply.status, without_bundle_id(reply.json) if reply.data else None)
            for path in READS for reply in [http.request("GET", path, headers=logins[door(path)])]}


def without_bundle_id(document):
    """A FHIR searchset or history Bundle gets a fresh id per answer (as HAPI's do): not state."""
    if isinstance(document, dict) and document.get("resourceType") == "Bundle":
        return {k: v for k, v in document.items() if k != "id"}
    return document


@ROUND_TRIP
@given(st.lists(calls, min_size=1, max_size=8))
def test_any_sequence_of_vendor_calls_exports_a_snapshot_that_imports_and_reads_the_same(sequence):
    here, there = f"trip-{next(_names)}", f"trip-{next(_names)}"
    logins = login(HTTP, here)
    for call in sequence:
        send(HTTP, logins, here, call)
    before = reads(HTTP, logins)
    exported = HTTP.request("GET", "/_sandbox/state", headers={NS: here})
    assert exported.status == 200

    restored = HTTP.request("PUT", "/_sandbox/state", raw=exported.data,
                            headers={NS: there, "Content-Type": "application/json"})
    assert restored.status == 200, restored.text
    again = HTTP.request("GET", "/_sandbox/state", headers={NS: there}).json
    assert {**again, "namespace": here} == exported.json
    assert reads(HTTP, login(HTTP, there)) == before


def test_every_collection_a_vendor_writes_declares_its_record_shape():
    """The declarations beside each backend cover all its collections, so none is imported unchecked."""
    snapshot = HTTP.request("GET", "/_sandbox/state").json
    for vendor in VENDORS:
        assert set(snapshot["vendors"][vendor.NAME]) <= set(record_shapes(vendor)), vendor.NAME


def test_a_large_export_streamed_by_a_live_server_starts_another_one_identically(tmp_path):
    """`serve --fake-users 3000`, a Zus token and a Hipp user, GET /_sandbox/state over HTTP (streamed in
    chunks), then `serve --state` of that file in a second process: its export is the same bytes."""
    serve = [*console_script(), "serve", "--frozen-clock", FROZEN]
    first = LiveServer([*serve, "--fake-users", "3000"]).wait_ready()
    try:
        assert first.request("POST", "/zus/oauth/token", body=ZUS_TOKEN)[0] == 200
        created = first.request("POST", "/hipp/api/v1/users", body=VALID["hipp create"],
                                headers={"Authorization": "Bearer your-api-key"})
        assert created[0] == 200
        with urllib.request.urlopen(first.url + "/_sandbox/state", timeout=60) as response:
            assert response.headers["Transfer-Encoding"] == "chunked"
            exported = response.read()
    finally:
        first.stop()
    path = tmp_path / "state.json"
    path.write_bytes(exported)
    second = LiveServer([*serve, "--state", str(path)]).wait_ready()
    try:
        with urllib.request.urlopen(second.url + "/_sandbox/state", timeout=60) as response:
            assert response.read() == exported
    finally:
        second.stop()
    assert len(json.loads(exported)["vendors"]["hipp"]["users"]["records"]) > 3000
