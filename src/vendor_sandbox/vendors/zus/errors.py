"""Zus's errors in its three shapes: JSON:API `errors` (Auth Service), FHIR OperationOutcome, and
Auth0's `{"error", "error_description"}` at the token endpoint."""

from http import HTTPStatus

from flask import current_app, request
from marshmallow import fields

from ...api import Schema, VendorApi
from ...errors import SandboxError, VendorError, describe

JSONAPI_TYPE = "application/vnd.api+json"
FHIR_TYPE = "application/fhir+json"


class _Worded(VendorError):
    """Base of Zus's three error families: the text is the one given, or `message` filled in from the
    keyword arguments, so each subclass states its wording once as a template."""

    status = 400
    message = "Bad Request"

    def __init__(self, message=None, **context):
        self.text = message or self.message.format(**context)
        super().__init__(self.text)


class ZusError(_Worded):
    """An Auth Service error: one JSON:API error object per problem."""

    def __init__(self, message=None, **context):
        super().__init__(message, **context)
        self.source = None

    def objects(self):
        return [error_object(self.status, self.text, self.source)]


class ValidationFailed(ZusError):
    """400 with one error object per invalid member, each with its `source`."""

    def __init__(self, problems):
        super().__init__("; ".join(detail for detail, _ in problems))
        self.problems = problems

    def objects(self):
        return [error_object(self.status, detail, source) for detail, source in self.problems]


class InvalidJson(ZusError):
    message = "request body must be a JSON document"


class TokenRequired(ZusError):
    status = 401
    message = "missing Authorization: Bearer token"


class TokenInvalid(ZusError):
    status = 401
    message = "invalid token"


class TokenExpired(ZusError):
    status = 401
    message = "token expired"


class Forbidden(ZusError):
    status = 403
    message = "role {role} does not have permission {permission}"


class ClientIdForbidden(ZusError):
    """JSON:API: a create with a client-generated id the server does not support is a 403."""

    status = 403
    message = "client-generated ids are not supported: leave out data.id and the server assigns one"

    def __init__(self):
        super().__init__()
        self.source = {"pointer": "/data/id"}


class ReadOnly(ZusError):
    """JSON:API: an update the server does not support is a 403."""

    status = 403
    message = "{member} is set by the server and cannot be changed"

    def __init__(self, member):
        super().__init__(member=member)
        self.source = {"pointer": f"/data/attributes/{member}"}


class MediaTypeRefused(ZusError):
    """JSON:API content negotiation: 415 for the Content-Type, 406 for Accept."""

    def __init__(self, status, detail):
        self.status = status
        super().__init__(detail)


class NotFound(ZusError):
    status = 404
    message = "{type} {id} not found"


class RelatedNotFound(ZusError):
    """JSON:API: a request that references a related resource that does not exist is a 404."""

    status = 404
    message = "{type} {id} not found in this builder"


class IdConflict(ZusError):
    """JSON:API: a PATCH whose type or id does not match the endpoint is a 409."""

    status = 409
    message = "{member} {value} does not match the endpoint ({expected})"


class EmailTaken(ZusError):
    status = 409
    message = "a user with email {email} already exists"


class FhirError(_Worded):
    """A FHIR error: an OperationOutcome with one issue."""

    code = "processing"

    def issues(self):
        return [issue(self.code, self.text)]


class FhirInvalid(FhirError):
    """400 with one issue per invalid element, each with its FHIRPath `expression`."""

    code = "invalid"

    def __init__(self, problems):
        super().__init__("; ".join(text for text, _ in problems))
        self.problems = problems

    def issues(self):
        return [issue(self.code, text, expression) for text, expression in self.problems]


class FhirUnparsable(FhirError):
    message = "Failed to parse request body as JSON resource"


class FhirNoResourceType(FhirInvalid):
    def __init__(self, resource_type):
        element = f"{resource_type}.resourceType"
        super().__init__([(f"{element}: Missing required element", element)])


class FhirWrongType(FhirError):
    code = "invalid"
    message = 'Incorrect resource type found, expected "Practitioner" but found "{found}"'


class FhirUnknownParameter(FhirError):
    code = "invalid"
    message = ('Unknown search parameter "{name}" for resource type "Practitioner". '
               "Valid search parameters for this search are: [{valid}]")


class FhirNotFound(FhirError):
    status = 404
    code = "not-found"
    message = "Resource Practitioner/{id} is not known"


class FhirGone(FhirError):
    status = 410
    code = "deleted"
    message = "Resource was deleted at {at}"


class FhirVersionNotFound(FhirError):
    status = 404
    code = "not-found"
    message = 'Version "{version}" is not valid for resource Practitioner/{id}'


class FhirIdMismatch(FhirError):
    code = "invalid"
    message = ("Can not update resource, resource body must contain an ID element which matches the request URL "
               "for update (PUT) operation - Resource body ID of \"{body}\" does not match URL ID of \"{url}\"")


class FhirIdMissing(FhirError):
    code = "invalid"
    message = "Can not update resource, resource body must contain an ID element for update (PUT) operation"


class FhirStaleVersion(FhirError):
    status = 412
    code = "conflict"
    message = "Trying to update Practitioner/{id}/_history/{version} but this is not the current version"


class FhirManyMatches(FhirError):
    status = 412
    code = "duplicate"
    message = 'Failed to CREATE resource with match URL "{criteria}" because this search matched {count} resources'


class FhirNotAcceptable(FhirError):
    status = 406
    code = "not-supported"
    message = "This server serves FHIR JSON only (application/fhir+json), not {wanted}"


class FhirUnsupportedMediaType(FhirError):
    status = 415
    code = "not-supported"
    message = "This server reads FHIR JSON only (application/fhir+json), not {found}"


class OAuthError(_Worded):
    """Auth0's token endpoint error: {"error": code, "error_description": text}."""

    error = "invalid_request"


class MissingParameter(OAuthError):
    message = "Missing required parameter: {name}"


class UnsupportedGrant(OAuthError):
    error = "unsupported_grant_type"
    message = "Unsupported grant type: {grant}"


class ClientDenied(OAuthError):
    status = 401
    error = "access_denied"
    message = "Unauthorized"


class GrantNotAllowed(OAuthError):
    status = 403
    error = "unauthorized_client"
    message = "Grant type '{grant}' not allowed for the client."


class InvalidGrant(OAuthError):
    """A grant the client may use, with a code or refresh token the sandbox never issued."""

    status = 403
    error = "invalid_grant"


class AudienceUnknown(OAuthError):
    status = 403
    error = "access_denied"
    message = "Service not found: {audience}"


class TooManyTokens(OAuthError):
    status = 429
    error = "too_many_requests"
    message = "Too many token requests for this client: at most {limit} per hour"


def error_object(status, detail, source=None):
    """A JSON:API error object; `details` too, the member Zus's own client reads."""
    obj = {"status": str(status), "code": status, "title": HTTPStatus(status).phrase,
           "detail": detail, "details": detail}
    if source:
        obj["source"] = source
    return obj


def issue(code, diagnostics, expression=None):
    obj = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        obj["expression"] = [expression]
    return obj


# the texts of the informational OperationOutcomes (Prefer: return=OperationOutcome, DELETE); the
# first three are HAPI's, as docs/fidelity.md records
CREATED_TEXT = "Successfully created resource"
UPDATED_TEXT = "Successfully updated resource"
DELETED_TEXT = "Successfully deleted 1 resource(s)"
NOT_DELETED_TEXT = "Not deleted: the resource was already deleted"


def informational(text):
    """An OperationOutcome that reports success: one `information` issue."""
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "information", "code": "informational", "diagnostics": text}]}


FHIR_CODES = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported", 413: "too-costly",
              500: "exception"}
FHIR_PREFIX = "/zus/fhir"
TOKEN_PATH = "/zus/oauth/token"


def render_error(error):
    """Any exception raised under /zus in the shape of the Zus service the path belongs to."""
    status, message, headers = _describe(error)
    path = request.path
    if path == FHIR_PREFIX or path.startswith(FHIR_PREFIX + "/") or isinstance(error, FhirError):
        issues = error.issues() if isinstance(error, FhirError) else [
            issue(FHIR_CODES.get(status, "processing"), message)]
        body, mimetype = {"resourceType": "OperationOutcome", "issue": issues}, FHIR_TYPE
    elif path == TOKEN_PATH or isinstance(error, OAuthError):
        code = error.error if isinstance(error, OAuthError) else HTTPStatus(status).name.lower()
        body, mimetype = {"error": code, "error_description": message}, "application/json"
    else:
        objects = error.objects() if isinstance(error, ZusError) else [error_object(status, message)]
        body, mimetype = {"errors": objects}, JSONAPI_TYPE
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = mimetype
    if mimetype == FHIR_TYPE:  # FHIR names the charset; a 405 never reaches the FHIR blueprint's hooks
        response.headers["Content-Type"] = f"{FHIR_TYPE}; charset=utf-8"
    response.headers.extend(headers)
    return response


def _describe(error):
    if isinstance(error, _Worded):
        return error.status, error.text, {}
    status, message, headers = describe(error)
    if not isinstance(error, SandboxError):
        message = HTTPStatus(status).phrase
    return status, message, headers


class ErrorSourceSchema(Schema):
    pointer = fields.String(metadata={"example": "/data/attributes/email"})
    parameter = fields.String(metadata={"example": "page[count]"})


class ErrorObjectSchema(Schema):
    status = fields.String(required=True, metadata={"example": "400"})
    code = fields.Integer(required=True, metadata={"example": 400})
    title = fields.String(required=True, metadata={"example": "Bad Request"})
    detail = fields.String(required=True, metadata={"example": "email is required"})
    details = fields.String(required=True, metadata={
        "description": "Same as detail: Zus's own client reads it"})
    source = fields.Nested(ErrorSourceSchema)


class ZusErrorSchema(Schema):
    """A JSON:API error document."""

    errors = fields.List(fields.Nested(ErrorObjectSchema), required=True)


class IssueSchema(Schema):
    severity = fields.String(required=True, metadata={"example": "error"})
    code = fields.String(required=True, metadata={"example": "not-found"})
    diagnostics = fields.String(metadata={"example": "Resource Practitioner/123 is not known"})
    expression = fields.List(fields.String())


class OperationOutcomeSchema(Schema):
    """A FHIR OperationOutcome."""

    resourceType = fields.String(required=True, metadata={"enum": ["OperationOutcome"]})
    issue = fields.List(fields.Nested(IssueSchema), required=True)


class OAuthErrorSchema(Schema):
    """An Auth0 token endpoint error."""

    error = fields.String(required=True, metadata={"example": "access_denied"})
    error_description = fields.String(required=True, metadata={"example": "Unauthorized"})


class ZusApi(VendorApi):
    ERROR_SCHEMA = ZusErrorSchema
    # each operation documents its own "default" in its service's shape (routes._errors)
    DEFAULT_ERROR_RESPONSE_NAME = None
