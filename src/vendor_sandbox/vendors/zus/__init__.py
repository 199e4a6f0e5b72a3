"""Zus Health: the Auth Service (JSON:API users, roles, app clients), FHIR Practitioner, OAuth tokens."""

from ...cors import Policy
from .auth import credential_keys
from .backend import ZusBackend as Backend
from .errors import ZusApi, render_error
from .fhir_routes import fhir_blp
from .routes import ERROR_RESPONSES, auth, oauth

NAME = "zus"
URL_PREFIX = "/zus"
BASE_URL = "/zus"
# the real hosts whose paths are this package's under URL_PREFIX: the API per environment, and the
# token hosts seen in client code (the Auth0 tenant, and the auth hosts of a catalog; shared/vendors)
HOSTNAMES = ("api.sandbox.zusapi.com", "api.zusapi.com", "zus-sandbox.us.auth0.com", "auth.sandbox.zusapi.com",
             "auth.zusapi.com")
# single-page applications are Zus app clients of their own: any origin, the headers asked for
# (docs/fidelity.md: inferred)
CORS = Policy()
SPEC = {
    "title": "Zus Health API (vendor-sandbox)",
    "version": "1.0.0",
    "description": "Zus Health's Auth Service (JSON:API), FHIR Practitioner and OAuth token endpoint, as "
    "https://api.sandbox.zusapi.com answers them.",
    "security_schemes": {
        "BearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token from POST /oauth/token (client credentials), or a fixture "
            "user's token from GET /_sandbox/credentials. Valid for 3600 seconds.",
        }
    },
}


def init_app(app):
    """Mount Zus's three blueprints under one Api, so they share one OpenAPI document."""
    api = ZusApi(app, name=NAME, base_url=BASE_URL, **SPEC)
    for name, schema, media_type in ERROR_RESPONSES.values():
        api.document(lambda spec, n=name, s=schema, m=media_type: spec.components.response(
            n, {"description": f"{s.__doc__.strip()}", "content": {m: {"schema": s}}}))
    for blp in (oauth, auth, fhir_blp):
        api.register_blueprint(blp)
    return api


__all__ = ["NAME", "URL_PREFIX", "BASE_URL", "HOSTNAMES", "CORS", "Backend", "credential_keys", "init_app", "render_error"]
