"""Hipp Health: /v1/users behind Bearer API keys."""

from .auth import credential_keys
from .backend import HippBackend as Backend
from .errors import HippApi, render_error
from .routes import blp

NAME = "hipp"
URL_PREFIX = "/hipp"
BASE_URL = "/hipp/api"
# the real hosts whose paths are this package's under URL_PREFIX (the front layer routes them here)
HOSTNAMES = ("app.hipp.health",)
CORS = None  # Hipp's API serves its own web app's origin only: no Access-Control-* (docs/fidelity.md)
SPEC = {
    "title": "Hipp Health API (vendor-sandbox)",
    "version": "1.0.0",
    "description": "API for managing users and resources within your Hipp Health organization",
    "security_schemes": {
        "BearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "API key authentication. Include your API key in the Authorization header "
            "as 'Bearer <your-api-key>'",
        }
    },
}


def init_app(app):
    """Mount Hipp's blueprint under its own Api, so it gets its own OpenAPI document."""
    api = HippApi(app, name=NAME, base_url=BASE_URL, **SPEC)
    api.register_blueprint(blp)
    return api


__all__ = ["NAME", "URL_PREFIX", "BASE_URL", "HOSTNAMES", "CORS", "Backend", "credential_keys", "blp", "init_app",
           "render_error"]
