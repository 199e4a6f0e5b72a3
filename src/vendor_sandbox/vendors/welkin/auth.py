"""Welkin's Bearer check: the token's API client, its tenant, instances and Admin Access."""

from flask import current_app, g, request

from ...bindings import bearer, body_field, unverified_claims
from ...store import get_backend
from .errors import NotValidJsonWebToken


def requires(*permissions):
    """Mark a view method as needing any one of these Admin Access permissions."""

    def decorate(view):
        view.welkin_permissions = permissions
        return view

    return decorate


def authenticate():
    """Blueprint before_request hook: sets g.welkin_caller, or raises 401/403/404."""
    if request.method == "OPTIONS":
        return  # CORS preflights carry no token
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotValidJsonWebToken()
    backend = get_backend("welkin")
    g.welkin_caller = caller = backend.authenticate(token.strip())
    args = request.view_args or {}
    if "tenant" in args:
        backend.authorize(caller, args["tenant"], args.get("instance"), _permissions())


def _permissions():
    view = current_app.view_functions.get(request.endpoint)
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    return getattr(method, "welkin_permissions", ())


def credential_keys(req):
    """The credential `req` carries, as WelkinBackend.new_credential binds it: the API client of a
    token request (the body's apiClient, or the legacy path's), else its Bearer token's."""
    if req.endpoint == "welkin-auth.Token":
        api_client = body_field(req, "apiClient")
    elif req.endpoint == "welkin-auth.LegacyToken":
        api_client = (req.view_args or {}).get("client")
    else:
        api_client = unverified_claims(bearer(req)).get("cognito:username")
    return (f"client:{api_client}",) if isinstance(api_client, str) else ()
