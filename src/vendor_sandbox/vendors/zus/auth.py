"""Zus's Bearer check (401) and role permissions (403), before any body is read."""

from functools import wraps

from flask import g, request

from ...bindings import bearer, body_field, unverified_claims
from ...store import get_backend
from .errors import TokenRequired
from .tokens import CLAIM


def authenticate():
    """Blueprint before_request hook: sets g.zus_caller or raises a 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise TokenRequired()
    g.zus_caller = get_backend("zus").authenticate(token)


def requires(permission):
    """The caller's role must grant `permission`; checked before the body is validated."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            get_backend("zus").authorize(g.zus_caller, permission)
            return view(*args, **kwargs)

        return checked

    return decorate


def credential_keys(req):
    """The credential `req` carries, as ZusBackend.new_credential binds it: the client id of a
    token request (body or HTTP Basic), else the app client (`azp`) or user of its Bearer token."""
    if req.path.endswith("/oauth/token"):
        basic = req.authorization
        client_id = basic.username if basic and basic.type == "basic" else body_field(req, "client_id")
        return (f"client:{client_id}",) if client_id else ()
    claims = unverified_claims(bearer(req))
    if CLAIM + "app_client_id" in claims:
        return (f"client:{claims.get('azp')}",)
    user_id = claims.get(CLAIM + "user_id")
    return (f"user:{user_id}",) if user_id else ()
