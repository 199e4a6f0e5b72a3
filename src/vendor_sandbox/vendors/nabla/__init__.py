"""Nabla Core API (and the archived Copilot API): Server API users across API versions."""

from ...cors import Policy
from .auth import credential_keys
from .backend import NablaBackend as Backend
from .errors import NablaApi, render_error
from .routes import copilot, core, oauth
from .user_api import user_api

NAME = "nabla"
URL_PREFIX = "/nabla"
BASE_URL = "/nabla"
# the real hosts whose paths are this package's under URL_PREFIX: the Core API per region, and
# the archived Copilot API's host
HOSTNAMES = ("us.api.nabla.com", "eu.api.nabla.com", "api.nabla.com")
# browsers call it (Nabla's sample web app signs its assertion and calls the token endpoint from the
# page): any origin, the headers the page asks for (docs/fidelity.md: inferred)
CORS = Policy()
SPEC = {
    "title": "Nabla Core Server API (vendor-sandbox)",
    "version": "1.0.0",
    "description": "Server API users: the Core API at /v1/core/server (OAuth client assertion, versioned by "
    "X-Nabla-Api-Version) and the archived Copilot API at /v1/copilot-api/server (Server Key, 2024-04-22).",
    "security_schemes": {"bearer": {"type": "http", "scheme": "bearer"}},
}


def init_app(app):
    """Mount Nabla's blueprints under its own Api, so it gets its own OpenAPI document."""
    api = NablaApi(app, name=NAME, base_url=BASE_URL, **SPEC)
    for blueprint in (oauth, core, copilot, user_api):
        api.register_blueprint(blueprint)
    return api


__all__ = ["NAME", "URL_PREFIX", "BASE_URL", "HOSTNAMES", "CORS", "Backend", "credential_keys", "init_app", "render_error"]
