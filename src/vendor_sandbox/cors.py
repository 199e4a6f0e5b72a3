"""CORS, as each vendor answers browsers: a `CORS` Policy in the vendor's package, applied here.

A vendor without one sends no Access-Control-* header (a browser then refuses the cross-origin
call, as it would against that vendor); neither does the control plane. Preflights themselves are
answered by control/traffic.py before any credential check (a browser sends none with them).
"""

from dataclasses import dataclass

from flask import request

from .store import get_store

REFLECT = "reflect"  # echo what the browser sent (its Origin, its Access-Control-Request-Headers)


@dataclass(frozen=True)
class Policy:
    allow_origin: str = REFLECT
    allow_methods: str = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    allow_headers: str = REFLECT
    expose_headers: str | None = None
    max_age: int | None = None
    # on every response, preflight or not, with or without an Origin (as Welkin's were recorded)
    always: bool = False

    def headers(self, origin, requested_headers, preflight):
        if origin is None and not self.always:
            return {}
        headers = {}
        if self.allow_origin == REFLECT:
            if origin is None:
                return {}
            headers["Access-Control-Allow-Origin"] = origin
            headers["Vary"] = "Origin"
        else:
            headers["Access-Control-Allow-Origin"] = self.allow_origin
        if preflight or self.always:
            headers["Access-Control-Allow-Methods"] = self.allow_methods
            allowed = requested_headers if self.allow_headers == REFLECT else self.allow_headers
            if allowed:
                headers["Access-Control-Allow-Headers"] = allowed
            if self.max_age is not None:
                headers["Access-Control-Max-Age"] = str(self.max_age)
        if self.expose_headers and (not preflight or self.always):
            headers["Access-Control-Expose-Headers"] = self.expose_headers
        return headers


def init_app(app):
    app.after_request(add_cors_headers)


def add_cors_headers(response):
    req = request._get_current_object()
    vendor = get_store().vendor_for(req.path)
    policy = getattr(vendor, "CORS", None) if vendor is not None else None
    if policy is None:
        return response
    preflight = req.method == "OPTIONS" and "Access-Control-Request-Method" in req.headers
    headers = policy.headers(req.headers.get("Origin"), req.headers.get("Access-Control-Request-Headers"),
                             preflight)
    for name, value in headers.items():
        if name == "Vary":
            response.vary.add(value)
        else:
            response.headers[name] = value
    return response
