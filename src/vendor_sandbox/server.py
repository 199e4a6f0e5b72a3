"""The production WSGI server behind `serve`: waitress, one process, a thread pool."""

import logging
import sys
import threading

from waitress import create_server

WAITRESS_HEADER_BYTES = 1024 * 1024


def make_server(app, host, port, threads=16):
    """A bound server (port 0 picks a free one); `.run()` serves, `.close()` stops."""
    # all threads busy is normal under a test suite's load: one warning per queued request would
    # flood the log (and block a server whose output nobody drains)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # waitress answers oversized headers itself, in plain text: its limit sits well above the app's
    # MAX_HEADER_BYTES, which answers in the vendor's shape
    return create_server(app, host=host, port=port, threads=threads, ident="vendor-sandbox",
                         clear_untrusted_proxy_headers=True, max_request_header_size=WAITRESS_HEADER_BYTES)


def run(app, host, port, threads=16):
    server = make_server(app, host, port, threads)
    print(f"vendor-sandbox listening on http://{server.effective_host}:{server.effective_port}",
          file=sys.stderr, flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


class ThreadedServer:
    """The same server in a background thread: `with ThreadedServer(app) as server: server.url`."""

    def __init__(self, app, host="127.0.0.1", port=0, threads=8):
        self._server = make_server(app, host, port, threads)
        self.host = host
        self.port = self._server.effective_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.run, name="vendor-sandbox", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        """Stop accepting, finish the tasks in hand, and let the loop thread end."""
        self._server.task_dispatcher.shutdown()
        for channel in list(self._server._map.values()):  # waitress's loop ends when its map is empty
            channel.close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
