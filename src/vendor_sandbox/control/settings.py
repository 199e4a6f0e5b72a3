"""/_sandbox/settings: what a test varies for one namespace (see vendor_sandbox/settings.py)."""

from flask import request

from .. import settings
from ..store import current_namespace
from .routes import blp


@blp.get("/settings")
def get_settings():
    """This namespace's settings: its own values, else the process's (SANDBOX_*)."""
    namespace = current_namespace()
    return {"namespace": namespace.name, **settings.document(namespace.settings)}


@blp.patch("/settings")
def patch_settings():
    """Change settings of this namespace only (a JSON merge patch: null gives the process value back);
    they apply from its next request on."""
    namespace = current_namespace()
    settings.patch(namespace.settings, request.get_json(silent=True))
    return {"namespace": namespace.name, **settings.document(namespace.settings)}
