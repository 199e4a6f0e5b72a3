"""Zus's Bearer check (401) and role permissions (403), before any body is read."""

from functools import wraps

from flask import g, request

from ...store import get_backend
from .errors import TokenRequired


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
