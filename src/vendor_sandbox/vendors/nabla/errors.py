"""Nabla's errors: `{message, code, name, trace_id}` for every non-2xx answer, with the members a
live answer was recorded with (`traceId`, `debuggingHints`) beside them (docs/fidelity.md)."""

import hashlib
from http import HTTPStatus

from flask import current_app, request
from marshmallow import fields

from ...api import Schema, VendorApi
from ...errors import SandboxError, VendorError, describe
from ...ids import iso_millis
from ...store import current_clock


class NablaError(VendorError):
    """A Nabla error body; `code` is the HTTP status or an application code (>= 10000)."""

    status = 400
    code = 400
    name = "BAD_REQUEST"
    message = "Bad request."

    def __init__(self, message=None, headers=None):
        super().__init__(message or self.message)
        if message:
            self.message = message
        self.headers = headers or {}


class BadRequest(NablaError):
    """400: malformed JSON, wrong types, invalid fields (Nabla's generic client error)."""


class Unauthorized(NablaError):
    status = 401
    code = 401
    name = "UNAUTHORIZED"
    message = "Missing or invalid bearer token."


class JwtExpired(NablaError):
    status = 401
    code = 50025
    name = "JWT_EXPIRED"
    # Nabla's own text: "Invalid JWT token: The Token has expired on Mon Apr 21 10:28:20 GMT 2025."
    template = "Invalid JWT token: The Token has expired on {:%a %b %d %H:%M:%S GMT %Y}."

    def __init__(self, expired_at):
        super().__init__(self.template.format(expired_at))


class Forbidden(NablaError):
    status = 403
    code = 403
    name = "HTTP_FORBIDDEN"
    message = "The user is deactivated."


class EntityNotFound(NablaError):
    status = 404
    code = 20000
    name = "ENTITY_NOT_FOUND"
    message = "A user entity was not found."  # Nabla's own example text


class ExternalIdNotFound(EntityNotFound):
    """Recorded from the live API (2025): an unknown external id is a 400, with this text."""

    status = 400
    message = "A 'copilot_api_user' entity was not found."


class EndpointNotFound(NablaError):
    """404: no such endpoint in the targeted version (or no version at all)."""

    status = 404
    code = 404
    name = "NOT_FOUND"
    message = "The requested endpoint was not found."


class EntityNotUnique(NablaError):
    status = 409
    code = 40052
    name = "ENTITY_IS_NOT_UNIQUE"
    message = "A user with this external_id already exists."


class RateLimited(NablaError):
    status = 429
    code = 85000
    name = "ORGANIZATION_RATE_LIMITED"
    message = "The organization has exceeded its API quota."


class InvalidClient(NablaError):
    """401 from /oauth/token: iss/sub not the OAuth client, or a key/signature problem."""

    status = 401
    code = 401
    name = "invalid_client"


class InvalidGrant(NablaError):
    """400 from /oauth/token: wrong aud, or iat/exp outside the 5-minute window."""

    status = 400
    code = 400
    name = "invalid_grant"


# Texts of the 400s; the ones that carry a path follow Nabla's "Unable to parse JSON at path $.x".
PARSE_ERROR = "Unable to parse JSON at path {}"
OWN_PREFIXES = ("Invalid value at path ", "Invalid query parameter ")
EXTERNAL_ID_TOO_LONG = "Invalid value at path $.external_id: at most 256 characters are allowed"
TOO_MANY_KEYS = "Invalid value at path $.metadata: at most 50 keys are allowed"
KEY_TOO_LONG = "Invalid value at path $.metadata: key names are limited to 40 characters"
VALUE_TOO_LONG = "Invalid value at path $.metadata.{}: values are limited to 500 characters"
INVALID_EMAIL = "Invalid value at path $.email: not a valid email address"
LIMIT_RANGE = "Invalid query parameter limit: must be between 1 and 100"
QUERY_UNPARSABLE = "Invalid query parameter {}: unable to parse its value"
INVALID_CURSOR = "Invalid query parameter cursor: unknown cursor"
UNKNOWN_VERSION = "Unknown API version: {}"
INVALID_REFRESH = "Missing or invalid refresh token."
INVALID_UUID = "Invalid UUID string: {}"
GRANT_TYPE = "This endpoint only supports the 'client_credentials' value."
ASSERTION_TYPE = ("This endpoint only supports the 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' "
                  "value.")
UNKNOWN_CLIENT = "Unknown OAuth client: the client assertion's iss must be the OAuth client's UUID."
# the client assertion's failures at /oauth/token (tokens.py, keys.py, backend.py)
UNDECODABLE_ASSERTION = "Unable to decode the client assertion."
NOT_RS256 = "The client assertion must be signed with RS256."
ISS_NOT_SUB = "The client assertion's iss and sub must both be the OAuth client's UUID."
BAD_SIGNATURE = "The client assertion's signature does not match the OAuth client's key."
KEY_NOT_IN_JWKS = "Unable to find the client assertion's key in the OAuth client's JWKS."
WRONG_AUDIENCE = "The client assertion's aud must be the full URL of the token endpoint."
EXP_PAST = "The client assertion's exp is missing or in the past (check your clock)."
EXP_TOO_FAR = "The client assertion's exp is more than 5 minutes in the future (check your clock)."
IAT_OUT_OF_WINDOW = ("The client assertion's iat is in the future or more than 5 minutes before exp "
                     "(check your clock).")
JTI_REUSED = "The client assertion's jti was already used."

# Failures that are not Nabla's own documented errors: the HTTP status is the code.
GENERIC = {
    404: (EndpointNotFound.name, EndpointNotFound.message),
    405: ("METHOD_NOT_ALLOWED", "The method is not allowed for the requested endpoint."),
    413: ("PAYLOAD_TOO_LARGE", "The request body is too large."),
    500: ("INTERNAL_SERVER_ERROR", "An unexpected error occurred."),
}


def trace_id():
    """A stable id per request and instant, shaped like Nabla's `projects/…/traces/…`."""
    try:
        now = iso_millis(current_clock().now())
    except Exception:  # a trace id must never turn one failure into another
        now = ""
    seed = "|".join((request.headers.get("X-Sandbox-Namespace", ""), request.method, request.full_path, now))
    return f"projects/vendor-sandbox/traces/{hashlib.sha256(seed.encode()).hexdigest()[:32]}"


def render_error(error):
    """Any exception raised under /nabla as Nabla's body, status and headers."""
    if isinstance(error, NablaError):
        status, code, name, message = error.status, error.code, error.name, error.message
        headers = error.headers
    else:
        status, message, headers = describe(error)
        name, generic = GENERIC.get(status, (HTTPStatus(status).name, HTTPStatus(status).phrase))
        if status == 400:
            name = BadRequest.name
        if not isinstance(error, SandboxError):
            message = generic
        code = status
        if status == 429:  # a forced 429 is Nabla's documented quota error
            code, name, message = RateLimited.code, RateLimited.name, RateLimited.message
    trace = trace_id()
    # the documented member, then the two a real client recorded from the live API (Nabla: "clients
    # must tolerate extra fields", so both kinds of client read what they expect)
    body = {"message": message, "code": code, "name": name, "trace_id": trace, "traceId": trace,
            "debuggingHints": []}
    response = current_app.json.response(body)
    response.status_code = status
    response.headers.extend(headers)
    return response


class NablaErrorSchema(Schema):
    """Nabla's error JSON structure (error-handling guide)."""

    message = fields.String(required=True, metadata={"example": EntityNotFound.message})
    code = fields.Integer(required=True, metadata={"example": EntityNotFound.code})
    name = fields.String(required=True, metadata={"example": EntityNotFound.name})
    trace_id = fields.String(metadata={"example": "projects/xxxxx/traces/abcd123456789xyz"})
    traceId = fields.String(metadata={"description": "trace_id again, as the live API was recorded naming it"})
    debuggingHints = fields.List(fields.String(), metadata={"description": "Recorded from the live API: []"})


class NablaApi(VendorApi):
    ERROR_SCHEMA = NablaErrorSchema
