"""Zus's FHIR R4 store: the Practitioner endpoints."""

from flask import g, request, url_for
from flask.views import MethodView

from ...api import VendorBlueprint, VendorParser
from ...store import get_backend
from ...urls import client_url
from . import fhir
from .auth import authenticate, requires
from .errors import FHIR_TYPE, FhirError, FhirInvalid
from .routes import _errors, _json_body, _path, _typed
from .schemas import BundleSchema, PractitionerResourceSchema, PractitionerSchema, PractitionerSearchSchema


class FhirParser(VendorParser):
    def load_json(self, req, schema):
        return _json_body(req, FhirError("Failed to parse request body as JSON resource"))

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (location, messages), = error.messages.items()
        prefix = "" if location == "query" else "Practitioner"
        raise FhirInvalid([(f"{path}: {text}" if path else text, path or None)
                           for path, text in _fhir_paths(messages, prefix)])


class FhirBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = FhirParser()


fhir_blp = FhirBlueprint("zus_fhir", __name__, url_prefix="/zus/fhir", description="FHIR R4 Practitioner")
fhir_blp.before_request(authenticate)
fhir_blp.after_request(lambda response: _typed(response, FHIR_TYPE))


@fhir_blp.route("/Practitioner")
class Practitioners(MethodView):
    @requires("fhir/Practitioner:write")
    @fhir_blp.arguments(PractitionerSchema, content_type=FHIR_TYPE, example={
        "resourceType": "Practitioner", "active": True, "name": [{"family": "Smith", "given": ["Jane"]}]})
    @fhir_blp.response(201, PractitionerResourceSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 400, 401, 403)
    def post(self, body):
        """Create a Practitioner"""
        created = get_backend("zus").create_practitioner(g.zus_caller, body)
        location = client_url(url_for("zus_fhir.PractitionerById", practitioner_id=created["id"], _external=True))
        return created, 201, {"Location": f"{location}/_history/1", "ETag": 'W/"1"'}

    @requires("fhir/Practitioner:read")
    @fhir_blp.arguments(PractitionerSearchSchema, location="query")
    @fhir_blp.response(200, BundleSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 400, 401, 403)
    def get(self, query):
        """Search Practitioners (searchset Bundle)"""
        found = get_backend("zus").search_practitioners(g.zus_caller, query, list(request.args))
        return fhir.bundle(client_url(), request.args, found.data, found.offset, found.count, found.total)


@fhir_blp.route("/Practitioner/<practitioner_id>",
                parameters=_path("practitioner_id", "a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c21"))
class PractitionerById(MethodView):
    @requires("fhir/Practitioner:read")
    @fhir_blp.response(200, PractitionerResourceSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 401, 403, 404)
    def get(self, practitioner_id):
        """Read a Practitioner"""
        resource = get_backend("zus").get_practitioner(g.zus_caller, practitioner_id)
        return resource, {"ETag": f'W/"{resource["meta"]["versionId"]}"'}


def _fhir_paths(messages, prefix):
    """(FHIRPath, message) pairs: Practitioner.name[0].given[1]."""
    for key, nested in messages.items():
        if isinstance(key, int):
            path = f"{prefix}[{key}]"
        elif key == "_schema":
            path = prefix
        else:
            path = f"{prefix}.{key}" if prefix else key
        if isinstance(nested, dict):
            yield from _fhir_paths(nested, path)
        else:
            for text in nested:
                yield path, text
