"""Welkin Health: tenants and instances, care team users, security policies, territories."""

from ...cors import Policy
from . import legacy, routes
from .auth import credential_keys
from .backend import WelkinBackend as Backend
from .errors import WelkinApi, render_error
from .http import register_error_responses

NAME = "welkin"
URL_PREFIX = "/welkin"
BASE_URL = "/welkin"
# the real hosts whose paths are this package's under URL_PREFIX: today's, and the legacy (V8) docs'
HOSTNAMES = ("api.welkinhealth.com", "api.live.welkincloud.io")
OPTIONS_STATUS = 200  # Spring answers a CORS preflight 200, not 204
# recorded on every real response, with or without an Origin (vendor notes, part 2.8)
CORS = Policy(allow_origin="*", allow_methods="GET, POST, PUT, DELETE, PATCH, OPTIONS",
              allow_headers="authorization, content-type, xsrf-token, security-role",
              expose_headers="xsrf-token", max_age=3600, always=True)
SPEC = {
    "title": "Welkin Health API (vendor-sandbox)",
    "version": "1.0.0",
    "description": "Users API: create and manage care team member records, assign territorial coverage, "
    "and update security policies. Base URL https://api.welkinhealth.com/{tenantName}/{instanceName}/.",
    "security_schemes": {
        "BearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A token from POST /auth/token, as 'Authorization: Bearer <token>'",
        }
    },
}


def init_app(app):
    """Mount Welkin's blueprints under one Api, so they share one OpenAPI document."""
    api = WelkinApi(app, name=NAME, base_url=BASE_URL, **SPEC)
    register_error_responses(api)
    for blueprint in (routes.auth_blp, routes.blp, legacy.blp):
        api.register_blueprint(blueprint)
    return api


__all__ = ["NAME", "URL_PREFIX", "BASE_URL", "HOSTNAMES", "CORS", "Backend", "credential_keys", "init_app", "render_error"]
