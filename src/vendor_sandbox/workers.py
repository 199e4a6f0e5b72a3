"""`serve --workers N`: N processes, each a waitress server on one listening socket, over the
shared store (bench/RESULTS.md compares this with gunicorn and granian).

The parent binds the socket, forks the workers and starts a new one when a worker dies; the
workers accept from the socket they inherited, so the kernel spreads the connections. The
in-memory store lives in one process, so it refuses more than one worker.
"""

import os
import signal
import socket
import sys
import time

from .front import get_front
from .server import ListenError, make_server

RESPAWN_PAUSE = 0.5  # seconds between restarts of a worker that keeps dying


def check_workers(store, workers):
    """A clear refusal where N workers would each hold a different copy of the state."""
    if workers > 1 and store.kind == "memory":
        raise ValueError(
            f"--workers {workers} needs the shared store: the in-memory store lives in one process, "
            "so each worker would answer from its own copy. Pass --store redis://HOST:PORT/DB "
            "(SANDBOX_STORE_URL), or serve with one worker and --threads")


def _listen(host, port, what):
    try:
        return listening_socket(host, port)
    except OSError as error:  # a port in use: the command line's one line, not a traceback
        raise ListenError(f"cannot listen{what} on {host}:{port}: {error.strerror or error}") from error


def listening_socket(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def run(app, host, port, workers, threads=8, tls_port=None):
    """Serve `app` from `workers` processes until SIGTERM or Ctrl-C (and the TLS port, bound here
    too, when `tls_port` is not None)."""
    sock = _listen(host, port, "")
    tls_sock = _listen(host, tls_port, " with TLS") if tls_port is not None else None
    bound = sock.getsockname()
    print(f"vendor-sandbox listening on http://{bound[0]}:{bound[1]} ({workers} workers)",
          file=sys.stderr, flush=True)
    if tls_sock is not None:
        get_front(app).tls_context()  # the CA and the leaf once, before the workers fork
        print(f"vendor-sandbox listening on https://{bound[0]}:{tls_sock.getsockname()[1]} "
              f"(CA: {get_front(app).ca.ca_path})", file=sys.stderr, flush=True)
    children = {}
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for _ in range(workers):
            children[_spawn(app, sock, tls_sock, threads)] = time.monotonic()
        while not stopping:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid = 0
            if pid and pid in children:
                started = children.pop(pid)
                if time.monotonic() - started < RESPAWN_PAUSE:
                    time.sleep(RESPAWN_PAUSE)
                children[_spawn(app, sock, tls_sock, threads)] = time.monotonic()
            else:
                time.sleep(0.1)
    finally:
        for pid in children:
            _signal(pid, signal.SIGTERM)
        for pid in children:
            _reap(pid)
        sock.close()
        if tls_sock is not None:
            tls_sock.close()


def _spawn(app, sock, tls_sock, threads):
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
        # the same server as one process has (the front layer's CONNECT and TLS port included),
        # on the sockets the parent bound
        server = make_server(app, None, None, threads, sockets=[sock], tls_socket=tls_sock)
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
