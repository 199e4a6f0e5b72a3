"""The front layer: how unchanged client code reaches the sandbox.

- ca.py: the local certificate authority and the leaf for the TLS port and the proxy;
- routing.py (WSGI): vendor hostnames, /ns/{name}/ path namespaces, absolute-URI proxy requests;
- forwarded.py (WSGI): X-Forwarded-* and Forwarded from the proxies TRUSTED_PROXIES names;
- transport.py (sockets): the TLS port and CONNECT, in front of waitress (server.py wires it).
"""

import threading

from .ca import CertificateAuthority, default_data_dir, leaf_names
from .routing import PATH_NAMESPACE, Front

EXTENSION = "vendor_sandbox.front"


class FrontLayer:
    """What the transport needs of the app: the CA, the TLS context, which hosts are vendors'."""

    def __init__(self, router, ca, names):
        self.router = router
        self.ca = ca
        self.names = names
        self._context = None
        self._lock = threading.Lock()

    def vendor_prefix(self, host):
        return self.router.vendor_prefix(host)

    def tls_context(self):
        """The server-side SSLContext, its leaf signed on first use (the CA made if need be)."""
        if self._context is None:
            with self._lock:
                if self._context is None:
                    self._context = self.ca.server_context(self.names)
        return self._context


def init_app(app, vendors):
    """Wrap `app.wsgi_app` in the front layer (outermost: it decides the path Flask routes)."""
    config = app.config
    extra = [n.strip() for n in str(config.get("TLS_NAMES") or "").split(",") if n.strip()]
    names = leaf_names(config.get("HOST"), vendors, extra)
    app.wsgi_app = router = Front(
        app.wsgi_app,
        vendors,
        own_hosts=[config.get("HOST"), *extra],
        trusted_proxies=config.get("TRUSTED_PROXIES"),
    )
    layer = app.extensions[EXTENSION] = FrontLayer(
        router, CertificateAuthority(config.get("DATA_DIR")), names
    )
    return layer


def get_front(app):
    return app.extensions.get(EXTENSION) if hasattr(app, "extensions") else None


__all__ = [
    "EXTENSION",
    "PATH_NAMESPACE",
    "CertificateAuthority",
    "FrontLayer",
    "default_data_dir",
    "get_front",
    "init_app",
]
