"""DNS rebinding: a web page whose own name is made to resolve to 127.0.0.1 talks to the sandbox
as its "same origin", and the browser lets it read every answer. What gives it away is the Host
header, which still names the page's site. So a sandbox bound to loopback answers only requests
whose Host is a loopback name or address, a vendor's real hostname (routed here by the front
layer, /etc/hosts or a proxy), or a name the user allowed in SANDBOX_ALLOWED_HOSTS; anything
else is a 403, before any view runs (so no redirect ever echoes a foreign Host)."""

import ipaddress

from flask import current_app, request

from .errors import SandboxError

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# the Host the peer sent, kept by the front layer before a trusted proxy's X-Forwarded-Host or
# Forwarded replaces it: the guard judges the peer's request (a browser's Host names the page's
# site), while URLs and audiences use the host the client named to the proxy
RECEIVED_HOST = "vendor_sandbox.received_host"


def init_app(app, vendors):
    allowed = {name.lower() for vendor in vendors for name in getattr(vendor, "HOSTNAMES", ())}
    given = app.config.get("ALLOWED_HOSTS") or ()
    given = given.split(",") if isinstance(given, str) else given
    allowed |= {name.strip().lower().rstrip(".") for name in given if name.strip()}
    # "*" turns the check off; a server bound beyond loopback checks only when given names
    enforce = "*" not in allowed and (is_loopback(str(app.config["HOST"])) or any(n.strip() for n in given))
    app.extensions["vendor_sandbox.allowed_hosts"] = frozenset(allowed) if enforce else None
    app.before_request(check_host)


def check_host():
    allowed = current_app.extensions["vendor_sandbox.allowed_hosts"]
    if allowed is None:
        return
    host = request.environ.get(RECEIVED_HOST) or request.host
    name = host_name(host)
    if name is None or not (is_loopback(name) or name in allowed):
        raise SandboxError(
            403, "host_not_allowed",
            "this sandbox answers only requests to a loopback address, a vendor's hostname or a "
            "name in SANDBOX_ALLOWED_HOSTS (a web page on another name may be rebinding DNS)")


def host_name(host):
    """The name in a Host header, lower case, without port or trailing dot; None if malformed."""
    host = host.strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, colon, port = host.partition(":")
    if colon and not port.isdigit():
        return None
    return name.rstrip(".") or None


def is_loopback(name):
    name = name.strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
