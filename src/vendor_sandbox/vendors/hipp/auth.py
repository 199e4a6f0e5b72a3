"""Hipp's API-key check: `Authorization: Bearer <api key>`, and its two 401 bodies."""

from flask import g, request

from ...bindings import bearer
from ...store import get_backend
from .errors import ApiKeyRequired


def authenticate():
    """Blueprint before_request hook: sets g.hipp_caller or raises a 401."""
    scheme, _, api_key = request.headers.get("Authorization", "").partition(" ")
    api_key = api_key.strip()
    if scheme.lower() != "bearer" or not api_key:
        raise ApiKeyRequired()
    g.hipp_caller = get_backend("hipp").authenticate(api_key)


def credential_keys(req):
    """The credential `req` carries, as HippBackend.new_credential binds it: its API key."""
    api_key = bearer(req)
    return (f"key:{api_key}",) if api_key else ()
