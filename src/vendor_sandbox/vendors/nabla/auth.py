"""The two doors' credentials: a Server Key (archived Copilot API) or an OAuth access token (Core API)."""

from flask import current_app, g, request

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
