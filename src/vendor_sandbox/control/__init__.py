"""The /_sandbox/ control plane, and the hooks it keeps on vendor traffic (journal, faults)."""

from pathlib import Path

from ..errors import SandboxError
from . import certificate, clock, settings, traffic  # noqa: F401 (their routes join the blueprint)
from .routes import OPEN_ENDPOINTS, blp, render_error
from .state import import_state, parse

certificate.register(blp, OPEN_ENDPOINTS)


def init_app(app):
    traffic.init_app(app)
    app.register_blueprint(blp)


def load_state_file(app, path):
    """Start the default namespace from a snapshot file (`serve --state FILE`)."""
    store = app.extensions["vendor_sandbox.store"]
    try:
        import_state(store.namespace(), store.vendors, parse(Path(path).read_bytes()))
    except OSError as error:
        raise ValueError(f"cannot read the snapshot {path}: {error.strerror or error}") from None
    except SandboxError as error:
        raise ValueError(f"cannot start from the snapshot {path}: {error.message}") from None


__all__ = ["init_app", "load_state_file", "render_error"]
