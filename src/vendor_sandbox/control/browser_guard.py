"""No web page may drive the control plane (CSRF).

A page on another origin can send a browser's "simple" requests anywhere: a form post, a
text/plain or body-less fetch, without asking the server first. So a /_sandbox/ call that changes
state must be one no page can send without a CORS preflight (which the sandbox never grants):
JSON (Content-Type: application/json) or carrying an X-Sandbox-* header. And a request a
browser marks as coming from another site (Origin, Sec-Fetch-Site) is refused outright."""

from flask import request

from ..errors import SandboxError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CUSTOM_HEADER_PREFIX = "X-Sandbox-"
JSON_TYPES = ("application/json",)
SAME_SITE = frozenset({"same-origin", "none"})  # "none": typed in the address bar, a bookmark


def register(blp):
    blp.before_request(refuse_browser_forgery)


def refuse_browser_forgery():
    req = request._get_current_object()
    if req.method in SAFE_METHODS:
        return
    fetch_site = req.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site.lower() not in SAME_SITE:
        raise _cross_origin(f"the browser marked it Sec-Fetch-Site: {fetch_site}")
    origin = req.headers.get("Origin")
    if origin is not None and origin.rstrip("/") != req.host_url.rstrip("/"):
        raise _cross_origin(f"it comes from {origin}, not {req.host_url.rstrip('/')}")
    if req.mimetype in JSON_TYPES:
        return
    if req.content_length or req.headers.get("Transfer-Encoding"):
        raise SandboxError(415, "json_required",
                           f"send the body as JSON with Content-Type: application/json (not "
                           f"{req.mimetype or 'no Content-Type'}): /_sandbox/ takes no form or text bodies")
    if not any(name.startswith(CUSTOM_HEADER_PREFIX) for name in req.headers.keys()):
        raise SandboxError(
            400, "json_required",
            "a /_sandbox/ call that changes state needs Content-Type: application/json or an "
            "X-Sandbox-* header (X-Sandbox-Namespace, say), which no web page can send unasked")


def _cross_origin(why):
    return SandboxError(403, "cross_origin_request",
                        f"refused: a /_sandbox/ call that changes state must come from the sandbox's own "
                        f"origin, and {why}")
