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
    limit = current_app.config["MAX_HEADER_BYTES"]
    environ = request.environ
    if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > limit:
        raise RequestURITooLarge()
    if sum(len(name) + len(value) for name, value in request.headers.items()) > limit:
        raise RequestHeaderFieldsTooLarge()
    length = request.content_length
    if length is not None and length > current_app.config["MAX_CONTENT_LENGTH"] \
            and get_store().vendor_for(request.path) is not None:
        raise RequestEntityTooLarge()
