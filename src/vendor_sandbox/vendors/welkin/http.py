"""What Welkin's three blueprints share: the parser, the error docs, the recorded headers."""

from ... import strictjson
from ...api import VendorBlueprint, VendorParser
from .errors import (
    BODY_MISSING,
    BODY_UNREADABLE,
    MUST_BE_OBJECT,
    InvalidField,
    UnreadableBody,
    ValidationFailed,
    WelkinErrorSchema,
    with_headers,
)


class WelkinParser(VendorParser):
    """Bodies as Spring reads them; failures as one Welkin error element per bad field."""

    unknown = None  # each schema's Meta: unknown JSON properties are ignored

    def load_json(self, req, schema):
        data = req.get_data(cache=True)
        component = getattr(schema, "COMPONENT", "USER")
        if not data.strip():
            raise ValidationFailed([UnreadableBody(BODY_MISSING, component)])
        try:
            body = strictjson.loads(data)
        except ValueError:
            raise ValidationFailed([UnreadableBody(BODY_UNREADABLE, component)]) from None
        if not isinstance(body, dict):
            raise ValidationFailed([UnreadableBody(BODY_UNREADABLE, component)])
        return body

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (messages,) = error.messages.values()
        component = getattr(schema, "COMPONENT", "USER")
        raise ValidationFailed(
            [InvalidField(path, message, component) for path, message in _flatten(messages)]
        )


def _flatten(messages, prefix=""):
    """("territories[0].name", first message) pairs, in the order the schema reported them."""
    for key, value in messages.items():
        if key == "_schema":
            yield prefix, MUST_BE_OBJECT
            continue
        path = f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else key)
        if isinstance(value, dict):
            yield from _flatten(value, path)
        else:
            yield path, value[0]


class WelkinBlueprint(VendorBlueprint):
    """`path_examples` ({name: value}) documents each path parameter with the docs' own value."""

    ARGUMENTS_PARSER = WelkinParser()

    def __init__(self, *args, path_examples=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.path_examples = path_examples or {}
        self.after_request(with_headers)

    def route(self, rule, *, parameters=None, **options):
        examples = [{"in": "path", "name": name, "example": value}
                    for name, value in self.path_examples.items() if f"<{name}>" in rule]
        return super().route(rule, parameters=(parameters or []) + examples, **options)

    def errors(self, *statuses):
        """Document these error statuses with Welkin's error array (see register_error_responses)."""

        def decorate(view):
            for status in statuses:
                view = self.alt_response(status, response=f"WelkinError{status}")(view)
            return view

        return decorate


def register_error_responses(api):
    """One response component per status: cheaper than a schema instance per operation."""
    def document(spec):
        for status, description in ERROR_DESCRIPTIONS.items():
            spec.components.response(
                f"WelkinError{status}",
                {
                    "description": description,
                    "content": {"application/json": {"schema": WelkinErrorSchema(many=True)}},
                },
            )

    api.document(document)


ERROR_DESCRIPTIONS = {
    400: "VALIDATION_ERROR (one element per field) or USER_ALREADY_EXISTS",
    401: "NOT_VALID_JSON_WEB_TOKEN or TOKEN_EXPIRED (NOT_VALID_API_CLIENT_CREDENTIALS on the token routes)",
    403: "ACCESS_FOR_API_CLIENT_RESTRICTED: another tenant, an instance or an Admin Access the client lacks",
    404: "USER_NOT_FOUND or INSTANCE_NOT_FOUND",
    429: "TOO_MANY_REQUESTS: more than 100 token requests in 5 minutes blocks the client for 5 minutes",
}
