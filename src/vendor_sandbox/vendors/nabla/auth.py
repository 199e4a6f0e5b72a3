"""The two doors' credentials: a Server Key (archived Copilot API) or an OAuth access token (Core API)."""

from flask import current_app, g, request

from ...bindings import bearer, body_field, unverified_claims
from ...store import get_backend
from . import versions
from .errors import EndpointNotFound, Unauthorized
from .versions import HEADER, QUERY


def _bearer():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized()
    return token


def authenticate_core():
    """Blueprint before_request hook: sets g.nabla_caller (version resolved), or raises."""
    backend = get_backend("nabla")
    g.nabla_caller = backend.core_caller(_bearer(), request.headers.get(HEADER), request.args.get(QUERY))
    backend.throttle(g.nabla_caller)
    prefix = current_app.blueprints[request.blueprint].url_prefix
    if not versions.serves(g.nabla_caller.version, request.method, request.url_rule.rule.removeprefix(prefix)):
        raise EndpointNotFound()


def authenticate_copilot():
    """Blueprint before_request hook for the archived Copilot API: the Server Key as Bearer."""
    backend = get_backend("nabla")
    g.nabla_caller = backend.copilot_caller(_bearer())
    backend.throttle(g.nabla_caller)


def credential_keys(req):
    """The credential `req` carries, as NablaBackend.new_credential binds it: the client (`iss`)
    of a token request's assertion, else the client (`sub`) of a Bearer access token, or the
    Bearer itself as a Server Key."""
    if req.path.endswith("/oauth/token"):
        issuer = unverified_claims(body_field(req, "client_assertion")).get("iss")
        return (f"client:{issuer.lower()}",) if isinstance(issuer, str) else ()
    token = bearer(req)
    if token is None:
        return ()
    subject = unverified_claims(token).get("sub")
    return (f"client:{subject.lower()}",) if isinstance(subject, str) else (f"server-key:{token}",)
