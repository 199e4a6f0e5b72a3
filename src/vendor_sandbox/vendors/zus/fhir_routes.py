"""Zus's FHIR R4 store: the CapabilityStatement and the Practitioner interactions (create, read,
vread, update, delete, history, search), with FHIR's HTTP rules (fhir_http.py)."""

from flask import g, request, url_for
from flask.views import MethodView

from ... import __version__
from ...api import VendorBlueprint
from ...store import get_backend
from ...urls import client_url
from . import fhir_bundle, fhir_http, fhir_search, fhir_validation
from .auth import authenticate, requires
from .errors import (
    CREATED_TEXT,
    DELETED_TEXT,
    FHIR_TYPE,
    NOT_DELETED_TEXT,
    UPDATED_TEXT,
    FhirUnparsable,
    informational,
)
from .fhir_capability import capability_statement
from .fhir_schemas import (
    BundleSchema,
    CapabilityStatementSchema,
    PractitionerResourceSchema,
    PractitionerSchema,
    PractitionerSearchSchema,
)
from .routes import _errors, _json_body, _path

fhir_blp = VendorBlueprint("zus_fhir", __name__, url_prefix="/zus/fhir", description="FHIR R4 Practitioner")
EXAMPLE_ID = "a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c21"
BODY_DOC = {"requestBody": {"required": True, "content": {FHIR_TYPE: {"schema": PractitionerSchema, "example": {
    "resourceType": "Practitioner", "active": True, "name": [{"family": "Smith", "given": ["Jane"]}],
    "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}]}}}}}
PREFER_DOC = {"in": "header", "name": "Prefer", "schema": {"type": "string"},
              "description": "return=minimal, return=representation (the default) or return=OperationOutcome"}


@fhir_blp.before_request
def _before():
    if request.endpoint != "zus_fhir.Metadata":  # clients read it before they hold a token
        authenticate()  # first, as the gateway in front of the FHIR server would
    fhir_http.negotiate()


fhir_blp.after_request(fhir_http.typed)


def _body():
    """The request's Practitioner, validated as R4 by the FHIR model libraries."""
    fhir_http.check_content_type()
    body = _json_body(request, FhirUnparsable())
    fhir_validation.check("Practitioner", body)
    return body


def _base():
    return client_url(url_for("zus_fhir.Practitioners", _external=True))


def _written(resource, status, message):
    """A create's or update's answer as Prefer: return= asks (representation by default)."""
    location = f"{_base()}/{resource['id']}/_history/{resource['meta']['versionId']}"
    headers = {**fhir_http.resource_headers(resource), "Location": location}
    wanted = fhir_http.prefer("return", "representation")
    if wanted == "minimal":
        return fhir_http.response(None, status, headers)
    if wanted == "OperationOutcome":
        text = f'{message} "Practitioner/{resource["id"]}/_history/{resource["meta"]["versionId"]}"'
        return fhir_http.response(informational(text), status, headers)
    return fhir_http.response(resource, status, headers)


@fhir_blp.route("/metadata")
class Metadata(MethodView):
    @fhir_blp.response(200, CapabilityStatementSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 406)
    @fhir_blp.doc(security=[])
    def get(self):
        """The CapabilityStatement (no token needed)"""
        token_url = client_url(url_for("zus_oauth.Token", _external=True))
        base = client_url(url_for("zus_fhir.Metadata", _external=True)).rsplit("/", 1)[0]
        return fhir_http.response(capability_statement(base, token_url, get_backend("zus").now(), __version__))


@fhir_blp.route("/Practitioner")
class Practitioners(MethodView):
    @requires("fhir/Practitioner:write")
    @fhir_blp.doc(**BODY_DOC, parameters=[PREFER_DOC, {
        "in": "header", "name": "If-None-Exist", "schema": {"type": "string"},
        "description": "Conditional create: a search (identifier=system|value) whose one match is returned"}])
    @fhir_blp.response(201, PractitionerResourceSchema, content_type=FHIR_TYPE)
    @fhir_blp.alt_response(200, schema=PractitionerResourceSchema, content_type=FHIR_TYPE,
                           description="If-None-Exist matched one Practitioner: it is returned")
    @_errors(fhir_blp, 400, 401, 403, 406, 412, 415)
    def post(self):
        """Create a Practitioner"""
        body = _body()
        resource, created = get_backend("zus").create_practitioner(
            g.zus_caller, body, request.headers.get("If-None-Exist"))
        if not created:
            return fhir_http.response(resource, 200, fhir_http.resource_headers(resource))
        return _written(resource, 201, CREATED_TEXT)

    @requires("fhir/Practitioner:read")
    @fhir_blp.arguments(PractitionerSearchSchema, location="query")
    @fhir_blp.response(200, BundleSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 400, 401, 403, 406)
    def get(self, _):
        """Search Practitioners (a searchset Bundle)"""
        args = list(request.args.items(multi=True))
        query = fhir_search.parse(args, lenient=fhir_http.prefer("handling", "strict") == "lenient")
        backend = get_backend("zus")
        page = backend.search_practitioners(g.zus_caller, query)
        summary = fhir_validation.summary_elements("Practitioner")
        bundle = fhir_bundle.searchset(_base(), args, page, query, *backend.bundle_stamp(),
                                       lambda r: fhir_search.shaped(r, query, summary))
        return fhir_http.response(bundle)


@fhir_blp.route("/Practitioner/_history")
class PractitionerTypeHistory(MethodView):
    @requires("fhir/Practitioner:read")
    @fhir_blp.response(200, BundleSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 400, 401, 403, 406)
    def get(self):
        """Every version of the Builder's Practitioners (a history Bundle, newest first)"""
        return _history(None)


@fhir_blp.route("/Practitioner/<practitioner_id>", parameters=_path("practitioner_id", EXAMPLE_ID))
class PractitionerById(MethodView):
    @requires("fhir/Practitioner:read")
    @fhir_blp.response(200, PractitionerResourceSchema, content_type=FHIR_TYPE)
    @fhir_blp.alt_response(304, description="If-None-Match names the current version")
    @_errors(fhir_blp, 401, 403, 404, 406, 410)
    def get(self, practitioner_id):
        """Read a Practitioner (ETag, Last-Modified; If-None-Match and If-Modified-Since give 304)"""
        return fhir_http.read_response(get_backend("zus").get_practitioner(g.zus_caller, practitioner_id))

    @requires("fhir/Practitioner:write")
    @fhir_blp.doc(**BODY_DOC, parameters=[PREFER_DOC, {
        "in": "header", "name": "If-Match", "schema": {"type": "string"},
        "description": 'The version the client holds (W/"1"): 412 if it is not the current one'}])
    @fhir_blp.response(200, PractitionerResourceSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 400, 401, 403, 404, 406, 410, 412, 415)
    def put(self, practitioner_id):
        """Update a Practitioner (the body replaces it; a new versionId)"""
        body = _body()
        resource = get_backend("zus").update_practitioner(
            g.zus_caller, practitioner_id, body, fhir_http.version_from_etag(request.headers.get("If-Match")))
        return _written(resource, 200, UPDATED_TEXT)

    @requires("fhir/Practitioner:write")
    @fhir_blp.response(200, schema=None, content_type=FHIR_TYPE, description="An OperationOutcome")
    @_errors(fhir_blp, 401, 403, 404, 406)
    def delete(self, practitioner_id):
        """Delete a Practitioner (a read is then 410 Gone; its history stays)"""
        deleted = get_backend("zus").delete_practitioner(g.zus_caller, practitioner_id)
        return fhir_http.response(informational(DELETED_TEXT if deleted else NOT_DELETED_TEXT))


@fhir_blp.route("/Practitioner/<practitioner_id>/_history", parameters=_path("practitioner_id", EXAMPLE_ID))
class PractitionerHistory(MethodView):
    @requires("fhir/Practitioner:read")
    @fhir_blp.response(200, BundleSchema, content_type=FHIR_TYPE)
    @_errors(fhir_blp, 400, 401, 403, 404, 406)
    def get(self, practitioner_id):
        """Every version of one Practitioner (a history Bundle, newest first)"""
        return _history(practitioner_id)


@fhir_blp.route("/Practitioner/<practitioner_id>/_history/<version_id>",
                parameters=_path("practitioner_id", EXAMPLE_ID) + _path("version_id", "1"))
class PractitionerVersion(MethodView):
    @requires("fhir/Practitioner:read")
    @fhir_blp.response(200, PractitionerResourceSchema, content_type=FHIR_TYPE)
    @fhir_blp.alt_response(304, description="If-None-Match names this version")
    @_errors(fhir_blp, 401, 403, 404, 406, 410)
    def get(self, practitioner_id, version_id):
        """Read one version of a Practitioner (vread)"""
        return fhir_http.read_response(
            get_backend("zus").get_practitioner_version(g.zus_caller, practitioner_id, version_id))


def _history(practitioner_id):
    args = list(request.args.items(multi=True))
    query = fhir_search.paging(args)
    backend = get_backend("zus")
    versions = backend.practitioner_history(g.zus_caller, practitioner_id)
    return fhir_http.response(fhir_bundle.history(_base(), client_url(), args, versions, query.offset, query.count,
                                                  *backend.bundle_stamp()))
