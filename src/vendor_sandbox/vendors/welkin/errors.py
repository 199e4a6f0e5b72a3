"""Welkin's errors: a JSON array of {errorCode, componentType, message, details, date}."""

from flask import current_app, g, request
from marshmallow import fields

from ...api import Schema, VendorApi
from ...errors import SandboxError, VendorError, describe
from ...ids import iso_millis
from ...store import current_clock

# Recorded on every real Welkin response (vendor notes, part 2.8).
HEADERS = {
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
}  # and the Access-Control-* ones: CORS in __init__.py


class WelkinError(VendorError):
    """One element of a Welkin error array; `details` is the element's details object."""

    status = 400
    code = "BAD_REQUEST"
    component = "GENERAL"
    message = "Bad request"
    dated = True

    def __init__(self, details=None, message=None):
        super().__init__(message or self.message)
        self.details = details or {}
        if message:
            self.message = message

    def elements(self):
        return [self]


class NotValidJsonWebToken(WelkinError):
    status = 401
    code = "NOT_VALID_JSON_WEB_TOKEN"
    component = "AUTH"
    message = "JWT token is not valid"


class TokenExpired(WelkinError):
    status = 401
    code = "TOKEN_EXPIRED"
    component = "AUTH"
    message = "JWT token is expired"


class NotValidApiClientCredentials(WelkinError):
    status = 401
    code = "NOT_VALID_API_CLIENT_CREDENTIALS"
    component = "AUTH"
    message = "API client name or secret is not valid"


class AccessRestricted(WelkinError):
    """The recorded 403: its details name the API client and the request URI, and it has no date."""

    status = 403
    code = "ACCESS_FOR_API_CLIENT_RESTRICTED"
    component = "AUTH"
    message = "Access to this API is restricted for the APIClient"
    dated = False


class TooManyTokenRequests(WelkinError):
    status = 429
    code = "TOO_MANY_REQUESTS"
    component = "AUTH"
    message = "Token requested more than 100 times in 5 minutes; blocked for 5 minutes"


class UserNotFound(WelkinError):
    status = 404
    code = "USER_NOT_FOUND"
    component = "USER"
    message = "User doesn't exist"


class InstanceNotFound(WelkinError):
    status = 404
    code = "INSTANCE_NOT_FOUND"
    component = "INSTANCE"
    message = "Instance doesn't exist"


class UserAlreadyExists(WelkinError):
    code = "USER_ALREADY_EXISTS"
    component = "USER"
    message = "User already exists"


class InvalidField(WelkinError):
    """One bad field of a request: details {"field": "territories[0].name"}."""

    code = "VALIDATION_ERROR"
    component = "USER"

    def __init__(self, field, message, component=None):
        super().__init__({"field": field}, message)
        if component:
            self.component = component


class UnreadableBody(WelkinError):
    """A body that is missing or is not a JSON object."""

    code = "VALIDATION_ERROR"

    def __init__(self, message, component="USER"):
        super().__init__({}, message)
        self.component = component


class ValidationFailed(WelkinError):
    """Several InvalidField elements, rendered as one array in request order."""

    def __init__(self, errors):
        super().__init__()
        self.errors = list(errors)

    def elements(self):
        return self.errors


# the per-field messages of Welkin's VALIDATION_ERROR, in Hibernate Validator's wording where it has one
MUST_NOT_BLANK = "must not be blank"
MUST_NOT_BE_NULL = "must not be null"
MUST_BE_STRING = "must be a string"
MUST_BE_BOOLEAN = "must be a boolean"
MUST_BE_ARRAY = "must be an array"
MUST_BE_OBJECT = "must be an object"
NOT_AN_EMAIL = "must be a well-formed email address"
NOT_A_TIME_ZONE = "must be a valid IANA time zone"
NOT_A_PERMISSION_TYPE = "must be one of SECURITY_ROLE, SECURITY_POLICY"
BODY_MISSING = "Required request body is missing"
BODY_UNREADABLE = "JSON parse error"
NOT_PROVISIONED = "can only be changed while the user is PROVISIONED"

# Failures that are not Welkin's own documented errors (a method a route does not serve...).
GENERIC = {
    405: ("METHOD_NOT_ALLOWED", "Request method '{method}' not supported"),
    413: ("PAYLOAD_TOO_LARGE", "Maximum upload size exceeded"),
    429: (TooManyTokenRequests.code, "Too many requests; try again later"),
    500: ("INTERNAL_SERVER_ERROR", "Internal server error"),
}


def with_headers(response):
    response.headers.update(HEADERS)
    return response


def render_error(error):
    """Any exception raised under /welkin as Welkin's array, status and headers."""
    if isinstance(error, WelkinError):
        status, elements, headers = error.status, [_element(e) for e in error.elements()], {}
    else:
        status, message, headers = describe(error)
        if status == 404 and not isinstance(error, SandboxError):
            # recorded: Welkin answers an unrouted path with an empty 404
            response = current_app.response_class(status=404)
            del response.headers["Content-Type"]
            response.headers.extend(headers)
            return with_headers(response)
        if isinstance(error, SandboxError):
            code = error.code.upper()
        else:
            code, message = GENERIC.get(status, (f"HTTP_{status}", message))
            message = message.format(method=request.method)
        elements = [
            {"errorCode": code, "componentType": "GENERAL", "message": message, "details": {}, "date": _now()}
        ]
    response = current_app.json.response(elements)
    response.status_code = status
    response.headers.extend(headers)
    return with_headers(response)


def _element(error):
    details = error.details
    if isinstance(error, AccessRestricted) and "welkin_caller" in g:
        caller = g.welkin_caller
        details = {
            "clientId": caller.client_id,
            "clientName": caller.client_name,
            "clientType": "API_CLIENT",
            "organizationName": caller.tenant,
            "requestURI": _request_uri(),
        }
    element = {
        "errorCode": error.code,
        "componentType": error.component,
        "message": error.message,
        "details": details,
    }
    if error.dated:
        element["date"] = _now()
    return element


def _request_uri():
    return request.path.removeprefix("/welkin") or "/"


def _now():
    return iso_millis(current_clock().now())


class WelkinErrorSchema(Schema):
    """One element; every Welkin error body is an array of these."""

    errorCode = fields.String(required=True, metadata={"example": "USER_NOT_FOUND"})
    componentType = fields.String(required=True, metadata={"example": "USER"})
    message = fields.String(required=True, metadata={"example": "User doesn't exist"})
    details = fields.Dict(required=True, metadata={"example": {}})
    date = fields.String(metadata={"format": "date-time", "example": "2022-09-16T22:22:39.437Z"})


class WelkinApi(VendorApi):
    ERROR_SCHEMA = WelkinErrorSchema(many=True)
