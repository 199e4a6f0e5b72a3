"""JSON as every vendor parser reads it: what Python's json lets through but cannot be answered
back (NaN, numbers beyond a double, lone surrogates) is malformed, and so is nesting deeper than
the parser's stack. Each failure is a ValueError, which each vendor turns into its own 400."""

import json
import math

from flask.json.provider import DefaultJSONProvider


def loads(data):
    """The parsed document, or ValueError (never RecursionError, never an unencodable string)."""
    try:
        value = json.loads(data, parse_constant=_reject_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    _check_strings(value)
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """request.get_json() everywhere (the control plane too) parses with `loads`."""

    def loads(self, s, **kwargs):
        return loads(s)


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is beyond a double")
    return value


def _check_strings(value):
    # iterative: a document just under the recursion limit must not overflow here
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                item.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
