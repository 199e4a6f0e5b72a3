"""Record shapes: what each vendor's stored records look like, checked when a snapshot is imported
so that a record the backend could not read is refused up front, naming its path, instead of
answering a 500 on some later request.

A shape is one of:
- a type: str, int, float (any number but a bool), bool, or None;
- `[shape]`: a list of it; `{"key": shape}`: an object with exactly those keys, where a key
  whose shape is `Maybe(...)` may be absent;
- `Open({"key": shape})`: those keys typed as given, any others allowed (a FHIR resource);
- `Null(shape)`: that or null; `Map(shape)`: an object of any keys to it; `Either(a, b)`;
- `INSTANT`: an ISO-8601 string the backends parse; `JSON`: any JSON value (free-form fields
  such as a user's metadata).
"""

from .ids import parse_instant

MAX_DEPTH = 64  # levels a snapshot's values may nest; the records themselves need a dozen


class ShapeError(ValueError):
    def __init__(self, path, expected=None, problem=None):
        super().__init__(f"{path}: {problem or 'expected ' + expected}")
        self.path = path


class _Wrapper:
    def __init__(self, shape):
        self.shape = shape


class Null(_Wrapper):
    """The shape, or null."""


class Maybe(_Wrapper):
    """An object's field that may be absent."""


class Map(_Wrapper):
    """An object of any keys, each value of the shape."""


class Open:
    def __init__(self, fields):
        self.fields = fields


class Either:
    def __init__(self, *shapes):
        self.shapes = shapes


class _Instant:
    pass


class _Json:
    pass


INSTANT = _Instant()
JSON = _Json()
_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", None: "null"}


def check(value, shape, path, depth=0, partial=False):
    """Raise ShapeError naming the first place where `value` departs from `shape`; `partial`
    checks the types of the fields present only (a fixture, which its backend completes)."""
    if depth > MAX_DEPTH:
        raise ShapeError(path, f"at most {MAX_DEPTH} levels of nesting")
    if shape is JSON:
        _check_json(value, path, depth)
    elif shape is INSTANT:
        if not isinstance(value, str):
            raise ShapeError(path, "an ISO-8601 instant")
        try:
            parse_instant(value)
        except ValueError:
            raise ShapeError(path, "an ISO-8601 instant") from None
    elif _scalar(shape):
        if not _is(value, shape):
            raise ShapeError(path, _NAMES[shape])
    elif isinstance(shape, Null):
        if value is not None:
            try:
                check(value, shape.shape, path, depth, partial)
            except ShapeError as error:
                if error.path != path:
                    raise
                raise ShapeError(path, describe(shape)) from None
    elif isinstance(shape, Either):
        for option in shape.shapes:
            try:
                return check(value, option, path, depth, partial)
            except ShapeError as error:
                if error.path != path:  # it matched this option's outline: its inner error is the news
                    raise
        raise ShapeError(path, " or ".join(describe(s) for s in shape.shapes))
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise ShapeError(path, "a list")
        for index, item in enumerate(value):
            check(item, shape[0], f"{path}[{index}]", depth + 1, partial)
    elif isinstance(shape, Map):
        if not isinstance(value, dict):
            raise ShapeError(path, "an object")
        for key, item in value.items():
            check(item, shape.shape, f"{path}.{key}", depth + 1, partial)
    elif isinstance(shape, dict):
        _check_object(value, shape, path, depth, not partial, partial)
    elif isinstance(shape, Open):
        _check_object(value, shape.fields, path, depth, False, partial)
    else:
        raise TypeError(f"not a shape: {shape!r}")
    return None


def _check_object(value, shape, path, depth, closed, partial):
    if not isinstance(value, dict):
        raise ShapeError(path, "an object")
    for key, field in shape.items():
        if key in value:
            check(value[key], field.shape if isinstance(field, Maybe) else field, f"{path}.{key}", depth + 1,
                  partial)
        elif not (partial or isinstance(field, Maybe)):
            raise ShapeError(f"{path}.{key}", f"{describe(field)} (the field is missing)")
    unknown = [key for key in value if key not in shape]
    if closed and unknown:
        raise ShapeError(f"{path}.{unknown[0]}", problem="no such field")


def _check_json(value, path, depth):
    # iterative: only the depth bound matters for values no backend reads field by field
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if level > MAX_DEPTH:
            raise ShapeError(path, f"at most {MAX_DEPTH} levels of nesting")
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)


def _scalar(shape):
    return shape is None or (isinstance(shape, type) and shape in _NAMES)


def _is(value, kind):
    if kind is None:
        return value is None
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def describe(shape):
    if _scalar(shape):
        return _NAMES[shape]
    if isinstance(shape, Null):
        return f"{describe(shape.shape)} or null"
    if isinstance(shape, list):
        return "a list"
    if isinstance(shape, dict | Map | Open):
        return "an object"
    if shape is INSTANT:
        return "an ISO-8601 instant"
    if isinstance(shape, Either):
        return " or ".join(describe(s) for s in shape.shapes)
    return "any JSON value"
