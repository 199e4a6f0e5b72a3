"""The /_sandbox/ control plane, and the hooks it keeps on vendor traffic (journal, faults)."""

from . import traffic
from .routes import blp, render_error


def init_app(app):
    traffic.init_app(app)
    app.register_blueprint(blp)


__all__ = ["init_app", "render_error"]
