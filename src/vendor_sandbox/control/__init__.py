"""The /_sandbox/ control plane, and the hooks it keeps on vendor traffic (journal, faults)."""

import json
from pathlib import Path

from ..errors import SandboxError
from . import certificate, traffic
from .routes import OPEN_ENDPOINTS, blp, render_error
from .state import import_state

certificate.register(blp, OPEN_ENDPOINTS)


def init_app(app):
    traffic.init_app(app)
    app.register_blueprint(blp)


def load_state_file(app, path):
    """Start the default namespace from a snapshot file (`serve --state FILE`)."""
    store = app.extensions["vendor_sandbox.store"]
    try:
        snapshot = json.loads(Path(path).read_text(encoding="utf-8"))
        import_state(store.namespace(), list(store.vendors), snapshot)
    except (OSError, ValueError, SandboxError) as error:
        raise ValueError(f"cannot start from the snapshot {path}: {error}") from error


__all__ = ["init_app", "load_state_file", "render_error"]
