"""Hipp's API-key check: `Authorization: Bearer <api key>`, and its two 401 bodies."""

from flask import g, request

from ...store import get_backend
from .errors import ApiKeyRequired


def authenticate():
    """Blueprint before_request hook: sets g.hipp_caller or raises a 401."""
    scheme, _, api_key = request.headers.get("Authorization", "").partition(" ")
    api_key = api_key.strip()
    if scheme.lower() != "bearer" or not api_key:
        raise ApiKeyRequired()
    g.hipp_caller = get_backend("hipp").authenticate(api_key)
