"""Schemathesis against each vendor's generated OpenAPI document, over a live server.

Every operation is called with valid credentials for its vendor, with the documents' examples, then
with generated valid and invalid data; no answer may be a 5xx, and every answer must be a documented
status with its documented content type and body schema. Seeded and derandomized: the same cases
are sent on every run.
"""

import json
from pathlib import Path

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import namespace

OPENAPI_DIR = Path(__file__).resolve().parents[2] / "openapi"


def status_code_listed(ctx, response, case):
    """Stricter than status_code_conformance, which any status passes once `default` is documented:
    the status must be one of the operation's own (the coverage phase's other methods aside)."""
    if case.method.upper() != case.operation.method.upper():
        return None
    listed = [code for code in case.operation.responses.status_codes if code != "default"]
    assert str(response.status_code) in listed, f"{response.status_code} is not documented; listed: {listed}"
    return None


CHECKS = [not_a_server_error, status_code_conformance, status_code_listed, content_type_conformance,
          response_schema_conformance]
# Fixed seed and counts: what CI sends is what a developer replays
CONFIG = {
    "seed": 20250115,
    "generation": {"mode": "all", "max-examples": 15, "deterministic": True, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
}


def load(vendor):
    document = json.loads((OPENAPI_DIR / f"{vendor}.json").read_text(encoding="utf-8"))
    return schemathesis.openapi.from_dict(document, config=schemathesis.Config.from_dict(CONFIG))


hipp = load("hipp")
nabla = load("nabla")
welkin = load("welkin")
zus = load("zus")


def headers_for(case, vendor_headers, vendor):
    headers = vendor_headers[vendor]
    if vendor == "nabla":
        path = case.operation.base_url + case.path
        headers = next(h for prefix, h in headers.items() if path.startswith(prefix))
    elif vendor == "welkin":
        headers = headers.get((case.path_parameters or {}).get("tenant"), headers["acme-health"])
    return {**headers, "X-Sandbox-Namespace": namespace(vendor)}


def check(case, live, vendor_headers, vendor):
    case.call_and_validate(base_url=live.url + case.operation.base_url,
                           headers=headers_for(case, vendor_headers, vendor), checks=CHECKS)


@hipp.parametrize()
def test_hipp(case, live, vendor_headers):
    check(case, live, vendor_headers, "hipp")


@nabla.parametrize()
def test_nabla(case, live, vendor_headers):
    check(case, live, vendor_headers, "nabla")


@welkin.parametrize()
def test_welkin(case, live, vendor_headers):
    check(case, live, vendor_headers, "welkin")


@zus.parametrize()
def test_zus(case, live, vendor_headers):
    check(case, live, vendor_headers, "zus")


@pytest.mark.parametrize("vendor", ["hipp", "nabla", "welkin", "zus"])
def test_the_checked_document_is_the_one_served(live, vendor):
    committed = json.loads((OPENAPI_DIR / f"{vendor}.json").read_text(encoding="utf-8"))
    assert live.call("GET", f"/_sandbox/openapi/{vendor}.json") == committed

