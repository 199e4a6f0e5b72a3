"""vendor-sandbox: four healthcare vendors' user APIs, emulated faithfully in one process."""

__version__ = "0.1.0"


def create_app(config=None):
    from .app import create_app as _create_app

    return _create_app(config)


__all__ = ["__version__", "create_app"]
