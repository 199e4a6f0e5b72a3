"""Hipp's errors: `{"error": text}`, and zod's issue list for validation failures."""

from http import HTTPStatus

from flask import current_app
from marshmallow import fields

from ...api import Schema, VendorApi
from ...errors import SandboxError, VendorError, describe


class HippError(VendorError):
    """A Hipp error body: {"error": message}."""

    status = 400
    message = "Bad request"

    def body(self):
        return {"error": self.message}


class ApiKeyRequired(HippError):
    status = 401
    message = "API key required"


class InvalidApiKey(HippError):
    status = 401
    message = "Invalid API key"


class AccessDenied(HippError):
    status = 403
    message = "Access denied"


class ResourceNotFound(HippError):
    status = 404
    message = "Resource not found"


class ValidationFailed(HippError):
    """400 with zod's issues in `details`."""

    message = "Validation error"

    def __init__(self, issues):
        super().__init__(self.message)
        self.issues = issues

    def body(self):
        return {"error": self.message, "details": self.issues}


EMAIL_TAKEN = "Email already exists"
INVALID_PUBLIC_ID = "Invalid publicId format"
INVALID_SORT = "Invalid sort parameter"
VALID_EMAIL_REQUIRED = "Valid email is required"

# What Hipp says for failures that are not its own documented errors (unrouted paths, a
# method a route does not serve, a crash); the 500 text is the one in Hipp's OpenAPI.
GENERIC = {
    404: ResourceNotFound.message,
    405: "Method not allowed",
    413: "Request body too large",
    500: "An unexpected error occurred",
}


def render_error(error):
    """Any exception raised under /hipp as Hipp's body, status and headers."""
    if isinstance(error, HippError):
        status, body, headers = error.status, error.body(), {}
    else:
        status, message, headers = describe(error)
        if not isinstance(error, SandboxError):
            message = GENERIC.get(status) or HTTPStatus(status).phrase
        body = {"error": message}
    response = current_app.json.response(body)
    response.status_code = status
    response.headers.extend(headers)
    return response


class IssueSchema(Schema):
    """One zod issue; besides code, message and path, each code carries its own members."""

    code = fields.String(metadata={"example": "invalid_string"})
    message = fields.String(metadata={"example": VALID_EMAIL_REQUIRED})
    path = fields.List(fields.Raw(metadata={"oneOf": [{"type": "string"}, {"type": "integer"}]}),
                       metadata={"example": ["email"]})
    expected = fields.String(metadata={"description": "invalid_type"})
    received = fields.Raw(metadata={"description": "invalid_type, invalid_enum_value"})
    options = fields.List(fields.String(), metadata={"description": "invalid_enum_value"})
    validation = fields.String(metadata={"description": "invalid_string"})
    minimum = fields.Float(metadata={"description": "too_small"})
    maximum = fields.Float(metadata={"description": "too_big"})
    type = fields.String(metadata={"description": "too_small, too_big"})
    inclusive = fields.Boolean(metadata={"description": "too_small, too_big"})
    exact = fields.Boolean(metadata={"description": "too_small, too_big"})


class HippErrorSchema(Schema):
    """{"error": text}; validation errors add zod's `details`."""

    error = fields.String(required=True, metadata={"example": "Validation error"})
    details = fields.List(fields.Nested(IssueSchema))


class HippApi(VendorApi):
    ERROR_SCHEMA = HippErrorSchema
