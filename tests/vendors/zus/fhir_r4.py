"""Every FHIR answer read as R4 by code other people wrote: fhir.resources' models (R4B, the same
elements as R4 for the resources served) and fhirclient's (generated from R4 4.0.1 itself)."""

import importlib

from fhir.resources.R4B import get_fhir_model_class

CONTENT_TYPE = "application/fhir+json; charset=utf-8"
MODULES = {"Practitioner": "practitioner", "Bundle": "bundle", "OperationOutcome": "operationoutcome",
           "CapabilityStatement": "capabilitystatement"}


def r4(body):
    """`body` unchanged, once both libraries have read it as R4 and JSON's no-empty rule holds."""
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    module = importlib.import_module(f"fhirclient.models.{MODULES[body['resourceType']]}")
    getattr(module, body["resourceType"])(body, strict=True)
    assert not list(_empties(body, body["resourceType"])), list(_empties(body, body["resourceType"]))
    return body


def parsed(response):
    """The response's body, checked to be FHIR JSON and valid R4."""
    assert response.headers["Content-Type"] == CONTENT_TYPE
    return r4(response.get_json())


def _empties(value, path):
    if value in ([], {}, ""):
        yield path
    for key, nested in (value.items() if isinstance(value, dict) else
                        enumerate(value) if isinstance(value, list) else ()):
        yield from _empties(nested, f"{path}.{key}")


def call(zus, method, path, body=None, query=None, **headers):
    """One request as `zus` (a ZusCaller), with extra headers (If_Match= becomes If-Match)."""
    extra = {name.replace("_", "-"): value for name, value in headers.items()}
    return zus.client.open(f"/zus{path}", method=method, json=body, query_string=query,
                           headers={**zus.headers, **extra})
