"""zod v3 semantics on marshmallow fields.

Hipp's API validates with zod, so its 400 bodies are zod issues: zod's codes, its extra
keys, its default English messages, every issue at once in schema order, and integer path
elements for array indexes. Keys are emitted in the order zod builds them.
"""

import math
import re
from collections.abc import Mapping

from marshmallow import ValidationError, fields, pre_load
from marshmallow.utils import missing

from ...api import Schema

# zod v3's own expressions (email, date), with JavaScript's meaning: ASCII-only \d and case
# folding, and $ only at the very end (\Z)
EMAIL_RE = re.compile(
    r"^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}\Z", re.I | re.A
)
_DATE = (
    r"((\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29"
    r"|\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
    r"|(02)-(0[1-9]|1\d|2[0-8])))"
)
# A date-time as Hipp's published document declares it (`format: date-time`, RFC 3339 section 5.6):
# seconds required, any fraction, `Z` or a `+hh:mm`/`-hh:mm` offset, upper-case `T`/`Z`, no year 0
# and no leap second (what OpenAPI's format checkers accept). zod's bare `.datetime()` would refuse
# offsets; nothing public shows Hipp calls it without `{offset: true}` (docs/fidelity.md).
DATETIME_RE = re.compile(
    rf"^(?!0000){_DATE}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)\Z", re.A
)


def parsed_type(value):
    """zod's getParsedType for a value that came out of JSON (or a missing one)."""
    if value is missing:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "nan" if isinstance(value, float) and math.isnan(value) else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def join_values(values):
    return " | ".join(f"'{v}'" for v in values)


# Each issue is built with "path" where zod's makeIssue puts it: after the issue data,
# unless the data already had a (possibly undefined) message key, which keeps its place.
def invalid_type(expected, value, *, expected_first=False):
    received = parsed_type(value)
    message = "Required" if received == "undefined" else f"Expected {expected}, received {received}"
    if expected_first:  # ZodEnum builds {expected, received, code}
        return {"expected": expected, "received": received, "code": "invalid_type",
                "path": None, "message": message}
    return {"code": "invalid_type", "expected": expected, "received": received,
            "path": None, "message": message}


def too_small(minimum, kind):
    noun = "String must contain at least" if kind == "string" else "Number must be greater than or equal to"
    suffix = " character(s)" if kind == "string" else ""
    return {"code": "too_small", "minimum": minimum, "type": kind, "inclusive": True, "exact": False,
            "message": f"{noun} {minimum}{suffix}", "path": None}


def too_big(maximum, kind):
    noun = "String must contain at most" if kind == "string" else "Number must be less than or equal to"
    suffix = " character(s)" if kind == "string" else ""
    return {"code": "too_big", "maximum": maximum, "type": kind, "inclusive": True, "exact": False,
            "message": f"{noun} {maximum}{suffix}", "path": None}


def invalid_string(validation, message=None):
    if message is not None:  # a custom message: zod's checks build {validation, code, message}
        return {"validation": validation, "code": "invalid_string", "message": message, "path": None}
    return {"code": "invalid_string", "validation": validation,
            "message": f"Invalid {validation}", "path": None}


def invalid_enum_value(options, value):
    return {"received": value, "code": "invalid_enum_value", "options": list(options), "path": None,
            "message": f"Invalid enum value. Expected {join_values(options)}, received '{value}'"}


def custom(message, path):
    return {"code": "custom", "message": message, "path": list(path)}


def with_path(issue, path):
    placed = dict(issue)
    placed["path"] = list(path)
    return placed


class ZodMixin:
    """A marshmallow field whose failures are lists of zod issues (see `issues_from`)."""

    expected = "unknown"

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, required=required, allow_none=False, **kwargs)
        self.error_messages["required"] = [invalid_type(self.expected, missing)]

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is None:  # marshmallow's "null" message cannot know the expected type
            raise ValidationError([invalid_type(self.expected, None)])
        return super().deserialize(value, attr, data, **kwargs)

    def check(self, value):
        """The zod issues for `value` ([] when valid), and the parsed value."""
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):
        issues, parsed = self.check(value)
        if issues:
            raise ValidationError(issues)
        return parsed


class ZodString(ZodMixin, fields.String):
    """z.string() with optional .min(n), .email(message), .datetime() (offsets allowed) and
    .regex(re, message)."""

    expected = "string"

    def __init__(self, *, min_length=None, email=None, datetime=False, regex=None, **kwargs):
        self.min_length = min_length
        self.email = email
        self.datetime = datetime
        self.regex = regex
        metadata = kwargs.pop("metadata", {})
        if min_length is not None:
            metadata.setdefault("minLength", min_length)
        if email is not None:
            metadata.setdefault("format", "email")
        if datetime:
            metadata.setdefault("format", "date-time")
        if regex is not None:
            # documented as the ECMA-262 pattern it stands for
            metadata.setdefault("pattern", regex[0].pattern.replace("\\Z", "$"))
        super().__init__(metadata=metadata, **kwargs)

    def check(self, value):
        if not isinstance(value, str):
            return [invalid_type("string", value)], None
        issues = []
        if self.min_length is not None and len(value) < self.min_length:
            issues.append(too_small(self.min_length, "string"))
        if self.email is not None and not EMAIL_RE.match(value):
            issues.append(invalid_string("email", self.email))
        if self.datetime and not DATETIME_RE.match(value):
            issues.append(invalid_string("datetime"))
        if self.regex is not None and not self.regex[0].search(value):
            issues.append(invalid_string("regex", self.regex[1]))
        return issues, value


class ZodBoolean(ZodMixin, fields.Boolean):
    expected = "boolean"

    def check(self, value):
        if not isinstance(value, bool):
            return [invalid_type("boolean", value)], None
        return [], value


class ZodEnum(ZodMixin, fields.String):
    """z.enum([...]): a non-string is invalid_type against the joined options."""

    def __init__(self, options, **kwargs):
        self.options = tuple(options)
        self.expected = join_values(self.options)
        metadata = {"enum": list(self.options), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def check(self, value):
        if not isinstance(value, str):
            return [invalid_type(self.expected, value, expected_first=True)], None
        if value not in self.options:
            return [invalid_enum_value(self.options, value)], None
        return [], value


class ZodArray(ZodMixin, fields.List):
    """z.array(item): element issues carry the integer index in their path."""

    expected = "array"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError([invalid_type("array", value)])
        errors, parsed = {}, []
        for index, item in enumerate(value):
            issues, item_value = self.inner.check(item)
            if issues:
                errors[index] = issues
            parsed.append(item_value)
        if errors:
            raise ValidationError(errors)
        return parsed


class ZodCoercedInt(ZodMixin, fields.Integer):
    """z.coerce.number().int().min(a).max(b), as used for query strings."""

    expected = "number"

    def __init__(self, *, minimum=None, maximum=None, **kwargs):
        self.minimum = minimum
        self.maximum = maximum
        super().__init__(**kwargs)
        if minimum is not None:
            self.metadata.setdefault("minimum", minimum)
        if maximum is not None:
            self.metadata.setdefault("maximum", maximum)

    def check(self, value):
        number = js_number(value)
        if math.isnan(number):
            return [invalid_type("number", number)], None
        issues = []
        if not (math.isfinite(number) and number == int(number)):
            issues.append({"code": "invalid_type", "expected": "integer", "received": "float",
                           "message": "Expected integer, received float", "path": None})
        if self.minimum is not None and number < self.minimum:
            issues.append(too_small(self.minimum, "number"))
        if self.maximum is not None and number > self.maximum:
            issues.append(too_big(self.maximum, "number"))
        return issues, (int(number) if not issues else None)


def js_number(text):
    """JavaScript's Number(string): what z.coerce.number() does to a query value."""
    text = str(text).strip()
    if text == "":
        return 0.0
    lowered = text.lower()
    for prefix, digits, base in (("0x", "0-9a-f", 16), ("0o", "0-7", 8), ("0b", "01", 2)):
        if lowered.startswith(prefix):
            if not re.fullmatch(f"[{digits}]+", lowered[2:]):
                return math.nan
            return float(int(lowered[2:], base))
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return math.inf if text[0] != "-" else -math.inf
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text, re.A):
        return math.nan
    return float(text)


class ZodObject(Schema):
    """z.object({...}): unknown keys are stripped, a non-object is one issue at path []."""

    class Meta:
        unknown = "exclude"

    @pre_load
    def _require_object(self, data, **kwargs):
        if not isinstance(data, Mapping):
            raise ValidationError([invalid_type("object", data)])
        return data


def issues_from(messages, schema):
    """Flatten marshmallow's error dict into zod issues, in schema order."""
    issues = []
    order = ["_schema"] + [field.data_key or name for name, field in schema.fields.items()]
    for key in sorted(messages, key=lambda k: order.index(k) if k in order else len(order)):
        path = [] if key == "_schema" else [key]
        _collect(messages[key], path, issues)
    return issues


def _collect(messages, path, issues):
    if isinstance(messages, dict):
        for index in sorted(messages):
            _collect(messages[index], [*path, index], issues)
        return
    for issue in messages:
        issues.append(with_path(issue, path) if isinstance(issue, dict) else
                      custom(str(issue), path))
