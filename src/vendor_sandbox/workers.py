"""`serve --workers N`: N processes, each a waitress server on one listening socket, over the
shared store (bench/RESULTS.md compares this with gunicorn and granian).

The parent binds the socket, forks the workers and starts a new one when a worker dies; the
workers accept from the socket they inherited, so the kernel spreads the connections. The
in-memory store lives in one process, so it refuses more than one worker.
"""

import logging
import os
import signal
import socket
import sys
import time

from waitress import create_server

from .server import WAITRESS_HEADER_BYTES, _send_bytes

RESPAWN_PAUSE = 0.5  # seconds between restarts of a worker that keeps dying


def check_workers(store, workers):
    """A clear refusal where N workers would each hold a different copy of the state."""
    if workers > 1 and store.kind == "memory":
        raise ValueError(
            f"--workers {workers} needs the shared store: the in-memory store lives in one process, "
            "so each worker would answer from its own copy. Pass --store redis://HOST:PORT/DB "
            "(SANDBOX_STORE_URL), or serve with one worker and --threads")


def listening_socket(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def run(app, host, port, workers, threads=8):
    """Serve `app` from `workers` processes until SIGTERM or Ctrl-C."""
    sock = listening_socket(host, port)
    bound = sock.getsockname()
    print(f"vendor-sandbox listening on http://{bound[0]}:{bound[1]} ({workers} workers)",
          file=sys.stderr, flush=True)
    children = {}
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for _ in range(workers):
            children[_spawn(app, sock, threads)] = time.monotonic()
        while not stopping:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid = 0
            if pid and pid in children:
                started = children.pop(pid)
                if time.monotonic() - started < RESPAWN_PAUSE:
                    time.sleep(RESPAWN_PAUSE)
                children[_spawn(app, sock, threads)] = time.monotonic()
            else:
                time.sleep(0.1)
    finally:
        for pid in children:
            _signal(pid, signal.SIGTERM)
        for pid in children:
            _reap(pid)
        sock.close()


def _spawn(app, sock, threads):
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        server = create_server(app, sockets=[sock], threads=threads, ident="vendor-sandbox",
                               clear_untrusted_proxy_headers=True,
                               max_request_header_size=WAITRESS_HEADER_BYTES, **_send_bytes())
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        server.run()
    except BaseException:  # noqa: BLE001 - a worker never returns into the parent's loop
        code = 1
    os._exit(code)


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _reap(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.05)
    _signal(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
