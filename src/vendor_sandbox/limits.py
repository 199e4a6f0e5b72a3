"""Size limits checked before anything reads the request, so that even an oversized request is
answered in the shape of the vendor whose prefix it hit: a body over MAX_CONTENT_LENGTH is a 413
before authentication (as a vendor's front proxy answers), a URI or headers over MAX_HEADER_BYTES
a 414 or 431. waitress's own, larger limits (server.py) stay the backstop for memory."""

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge, RequestHeaderFieldsTooLarge, RequestURITooLarge

from .store import get_store


def init_app(app):
    app.before_request(check_request_size)


def check_request_size():
    config, req = current_app.config, request._get_current_object()  # bound once: every request
    limit = config["MAX_HEADER_BYTES"]
    environ = req.environ
    if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > limit:
        raise RequestURITooLarge()
    if _header_bytes(environ) > limit:
        raise RequestHeaderFieldsTooLarge()
    length = req.content_length
    if length is not None and length > config["MAX_CONTENT_LENGTH"] and get_store().vendor_for(req.path) is not None:
        raise RequestEntityTooLarge()


def _header_bytes(environ):
    """The bytes of the request's header names and values, as werkzeug's EnvironHeaders lists
    them ("HTTP_X_FOO" is "X-Foo", as long less five), counted without building those names:
    this runs on every request."""
    total = 0
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            if key != "HTTP_CONTENT_TYPE" and key != "HTTP_CONTENT_LENGTH":
                total += len(key) - 5 + len(value)
        elif (key == "CONTENT_TYPE" or key == "CONTENT_LENGTH") and value:
            total += len(key) + len(value)
    return total
