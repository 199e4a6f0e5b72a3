"""VendorError base, and one app-wide handler that renders every failure in the shape of
the vendor whose URL prefix the request hit (the control plane's shape elsewhere)."""

from urllib.parse import urlsplit

from flask import request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import RequestRedirect

from .urls import client_url


class VendorError(Exception):
    """Base of every vendor's own errors; subclasses carry the status and the vendor's text."""

    status = 500


class SandboxError(Exception):
    """A failure of the sandbox itself (a bad namespace header, say), not of a vendor rule.

    Inside a vendor's prefix it is rendered in that vendor's generic error shape.
    """

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def describe(error):
    """(status, message, headers) for any exception that is not a vendor's own error."""
    if isinstance(error, SandboxError):
        return error.status, error.message, {}
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    # keep what the client needs (Allow on a 405, Retry-After...), drop werkzeug's HTML type
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    return error.code, error.description, headers


def relative_redirect(response):
    """Flask answers a trailing-slash RequestRedirect itself, with an absolute Location built from
    the request's Host, which may be a foreign page's (DNS rebinding) where the Host check is off.
    Name the path only: the client resolves it against the URL it used (RFC 9110, 10.2.2)."""
    if isinstance(request.routing_exception, RequestRedirect) and "Location" in response.headers:
        parts = urlsplit(request.routing_exception.new_url)
        response.headers["Location"] = client_url(parts.path) + (f"?{parts.query}" if parts.query else "")
    return response


def init_app(app, vendors, render_control_error):
    """Register after every Api: this replaces flask-smorest's app-wide HTTPException handler.

    A handler registered on the `Exception` class (never on a status code, which Flask would
    prefer to any blueprint handler) covers unrouted 404/405s, `abort`, webargs errors, our
    own exceptions and unexpected ones, so no request can get an HTML page or a traceback.
    """
    prefixes = sorted(((m.URL_PREFIX, m.render_error) for m in vendors), reverse=True)

    def handle(error):
        if not isinstance(error, (HTTPException, VendorError, SandboxError)):
            app.logger.exception("unexpected error on %s %s", request.method, request.path)
        for prefix, render in prefixes:
            if request.path == prefix or request.path.startswith(prefix + "/"):
                return render(error)
        return render_control_error(error)

    app.register_error_handler(HTTPException, handle)
    app.register_error_handler(Exception, handle)
    app.after_request(relative_redirect)
