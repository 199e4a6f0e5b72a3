"""The production WSGI server behind `serve`: waitress, one process, a thread pool."""

import sys

from waitress import create_server


def make_server(app, host, port, threads=16):
    """A bound server (port 0 picks a free one); `.run()` serves, `.close()` stops."""
    return create_server(app, host=host, port=port, threads=threads, ident="vendor-sandbox",
                         clear_untrusted_proxy_headers=True)


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
