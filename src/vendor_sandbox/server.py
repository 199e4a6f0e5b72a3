"""The production WSGI server behind `serve`: waitress, one process, a thread pool, and the
front layer's TLS port and proxy tunnels in the same loop (front/transport.py).

Measured against gunicorn (gthread) and granian in bench/wsgi_servers.py: granian is faster
but always runs the app in a second process, gunicorn forks too (and loses the in-memory
state when a worker restarts); waitress serves from the process that holds the store.
"""

import logging
import signal
import sys
import threading
import warnings

from waitress import create_server, wasyncore
from waitress.adjustments import Adjustments

from .front import get_front
from .front.transport import ProxyChannel, TLSListener, Tunnels

WAITRESS_HEADER_BYTES = 1024 * 1024
# With waitress's default send_bytes (1), a worker thread sends its response itself under the
# channel's buffer lock, while the main loop, finding the channel writable, tries that lock,
# fails and polls again: about ten failed flushes per request under load, a third of the CPU
# (bench/RESULTS.md). At 18000 (a multiple of 9000, as waitress advises) the main loop sends
# each response in one go; a body larger than that is still sent as it is written.
SEND_BYTES = 18000


class ListenError(OSError):
    """A port that cannot be bound (in use, not permitted), said in one line."""


def make_server(app, host, port, threads=8, socket_map=None, tls_port=None, sockets=None, tls_socket=None):
    """A bound server (port 0 picks a free one); `.run()` serves, `.close()` stops.

    For an app with the front layer, the plain port also answers CONNECT, and `tls_port` (None:
    none; 0: a free one) serves TLS with the local CA's leaf: `server.tls_listener.port`. A worker of
    `serve --workers` passes the listening `sockets` (and `tls_socket`) it inherited instead."""
    # all threads busy is normal under a test suite's load: one warning per queued request would
    # flood the log (and block a server whose output nobody drains)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # waitress answers oversized headers itself, in plain text: its limit sits well above the app's
    # MAX_HEADER_BYTES, which answers in the vendor's shape
    # proxy headers: the front layer keeps them from trusted proxies only and clears the rest
    front = get_front(app)
    try:
        where = {"sockets": sockets} if sockets else {"host": host, "port": port}
        server = create_server(app, **where, threads=threads, ident="vendor-sandbox",
                               clear_untrusted_proxy_headers=front is None,
                               max_request_header_size=WAITRESS_HEADER_BYTES, map=socket_map, **_send_bytes())
    except OSError as error:
        raise ListenError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    server.tls_listener = None
    if front is not None:
        server.tunnels = Tunnels(server, front, server.adj.channel_timeout)
        server.channel_class = ProxyChannel
        if tls_port is not None or tls_socket is not None:
            front.tls_context()  # the CA and the leaf before the port opens: no first client waits
            try:
                server.tls_listener = TLSListener(server.tunnels, host, tls_port, server._map, sock=tls_socket)
            except OSError as error:
                server.close()
                raise ListenError(f"cannot listen with TLS on {host}:{tls_port}: {error.strerror or error} "
                                  "(--tls-port picks another port, 0 turns TLS off)") from error
    return server


def _send_bytes():
    """send_bytes, while waitress still takes it: it is deprecated (a DeprecationWarning), and a
    release that drops it would refuse it as unknown. Without it the server is slower, not wrong."""
    if not hasattr(Adjustments, "send_bytes"):
        return {}
    warnings.filterwarnings("ignore", "send_bytes will be removed", DeprecationWarning, "waitress.adjustments")
    return {"send_bytes": SEND_BYTES}


def run(app, host, port, threads=8, tls_port=None):
    server = make_server(app, host, port, threads, tls_port=tls_port)  # ListenError: the caller's one line
    # process managers stop with SIGTERM: make it the same clean stop as Ctrl-C
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"vendor-sandbox listening on http://{server.effective_host}:{server.effective_port}",
          file=sys.stderr, flush=True)
    if server.tls_listener:
        print(f"vendor-sandbox listening on https://{server.effective_host}:{server.tls_listener.port} "
              f"(CA: {get_front(app).ca.ca_path})", file=sys.stderr, flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


class ThreadedServer:
    """The same server in a background thread: `with ThreadedServer(app) as server: server.url`
    (and `server.tls_url` with `tls=True`, on a free port)."""

    def __init__(self, app, host="127.0.0.1", port=0, threads=8, tls=False):
        self._map = {}
        self._server = make_server(app, host, port, threads, socket_map=self._map,
                                   tls_port=0 if tls else None)
        self.host = host
        self.port = int(self._server.effective_port)
        self.url = f"http://{host}:{self.port}"
        listener = self._server.tls_listener
        self.tls_port = listener.port if listener else None
        self.tls_url = f"https://{host}:{self.tls_port}" if listener else None
        self._thread = threading.Thread(target=self._server.run, name="vendor-sandbox", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        """Close every socket from inside the loop (it ends with an empty map), then the pool."""
        self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._map))
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
