"""The socket side of the front layer: the TLS port and the proxy's CONNECT, both in front of waitress.

waitress speaks neither TLS nor CONNECT. Both end the same way here: a thread terminates TLS
with the sandbox's leaf and relays the plaintext through a socket pair whose other end waitress
serves as one of its own connections, in its own loop and thread pool, so every request still
runs in the one process that holds the store (bench/tls_servers.py compares this with cheroot).
A plain connection is waitress's from the first byte unless it opens with CONNECT.
"""

import json
import select
import socket
import threading

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.task import WSGITask

from .routing import PATH_NAMESPACE, hostname, proxy_user

HANDSHAKE_SECONDS = 10  # a client that opens a connection and says nothing is dropped
MAX_CONNECT_HEAD = 64 * 1024
RELAY_BYTES = 64 * 1024
CONNECT = b"CONNECT "


class ProxyChannel(HTTPChannel):
    """waitress's channel, which hands a connection that opens with CONNECT to the tunnel."""

    _sniffed = b""
    _decided = False

    def received(self, data):
        if self._decided:
            return super().received(data)
        data = self._sniffed + data
        if len(data) < len(CONNECT) and CONNECT.startswith(data):
            self._sniffed = data  # not yet enough bytes to tell
            return True
        self._decided, self._sniffed = True, b""
        if not data.startswith(CONNECT):
            return super().received(data)
        # out of waitress's loop (which then never touches the socket again) and into a thread
        self.del_channel()
        sock, self.socket, self.connected = self.socket, None, False
        threading.Thread(
            target=self.server.tunnels.connect,
            args=(sock, self.addr, data),
            name="vendor-sandbox-connect",
            daemon=True,
        ).start()
        return True


class TLSTask(WSGITask):
    def get_environment(self):
        environ = self.environ
        if environ is None:
            environ = super().get_environment()
            environ.update(self.channel.tls_environ)
        return environ


class TLSChannel(HTTPChannel):
    """The waitress end of a relayed TLS connection: https, with the client's own address."""

    task_class = TLSTask

    def __init__(self, server, sock, addr, adj, map, tls_environ):
        self.tls_environ = tls_environ
        super().__init__(server, sock, addr, adj, map=map)


class Tunnels:
    """TLS termination for one waitress server: its TLS port's connections and CONNECT tunnels."""

    def __init__(self, server, front, idle_seconds):
        self.server = server
        self.front = front
        self.idle_seconds = idle_seconds

    def connect(self, sock, addr, head):
        """`CONNECT host:443` to a vendor host: 200, then TLS as that vendor; else a 403."""
        try:
            sock.setblocking(True)
            sock.settimeout(HANDSHAKE_SECONDS)
            while b"\r\n\r\n" not in head and len(head) < MAX_CONNECT_HEAD:
                chunk = sock.recv(8192)
                if not chunk:
                    raise ConnectionError("closed before the end of the CONNECT head")
                head += chunk
            lines = head.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1] if len(lines[0].split(" ")) == 3 else ""
            host, _, port = target.rpartition(":")
            # the sandbox's own TLS port is no other destination: a client whose HTTPS_PROXY is the
            # sandbox may call https://127.0.0.1:8443 through it
            listener = self.server.tls_listener
            own = listener is not None and self.front.router.is_own(host, port, listener.port)
            if not (port == "443" and self.front.vendor_prefix(host)) and not own:
                shown = hostname(host) or target
                return _answer(
                    sock,
                    "403 Forbidden",
                    "proxy_destination_refused",
                    f"vendor-sandbox tunnels only to the vendors' hosts on port 443; {shown!r} "
                    f"port {port or '?'} is not one of them, and nothing was contacted",
                )
            namespace = proxy_user(_header(lines[1:], "proxy-authorization"))
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        except (OSError, IndexError):
            return _close(sock)
        extra = {PATH_NAMESPACE: namespace} if namespace else {}
        self.serve_tls(sock, addr, int(port), extra)

    def serve_tls(self, sock, addr, server_port, extra=None):
        """Terminate TLS on `sock` and relay it to a waitress channel; returns when either side ends."""
        try:
            sock.setblocking(True)
            sock.settimeout(HANDSHAKE_SECONDS)
            tls = self.front.tls_context().wrap_socket(sock, server_side=True)
            tls.settimeout(None)
        except (OSError, ValueError):
            return _close(sock)
        inner, outer = socket.socketpair()
        outer.setblocking(False)
        tls_environ = {
            "wsgi.url_scheme": "https",
            "HTTPS": "on",
            "SERVER_PORT": str(server_port),
            **(extra or {}),
        }
        server = self.server
        try:  # channels join waitress's map from its loop thread only
            if server.trigger._closed:  # the server stopped meanwhile: its pipe's fd may be another's now
                raise OSError("the server has stopped")
            server.trigger.pull_trigger(
                lambda: TLSChannel(server, outer, addr, server.adj, server._map, tls_environ)
            )
        except OSError:  # nobody to relay to
            for end in (tls, inner, outer):
                _close(end)
            return
        relay(tls, inner, self.idle_seconds)


class TLSListener(wasyncore.dispatcher):
    """The TLS port, in waitress's loop: each accepted connection goes to a thread of its own."""

    def __init__(self, tunnels, host, port, socket_map, sock=None):
        super().__init__(map=socket_map)
        if sock is not None:  # a worker of `serve --workers`: the parent bound it, every worker accepts
            sock.setblocking(False)
            self.set_socket(sock, socket_map)
            self.accepting = True
        else:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            self.create_socket(family, socket.SOCK_STREAM)
            self.set_reuse_addr()
            self.bind((host.strip("[]"), port))
            self.listen(1024)
        self.port = self.socket.getsockname()[1]
        self.tunnels = tunnels

    def writable(self):
        return False

    def handle_accept(self):
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        # as waitress does for its own connections: a response in small writes is not held back
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(
            target=self.tunnels.serve_tls,
            args=(conn, addr, self.port),
            name="vendor-sandbox-tls",
            daemon=True,
        ).start()

    def handle_error(self):
        pass  # an accept that failed is the client's loss; the port keeps listening


def relay(tls, inner, idle_seconds):
    """Copy bytes both ways until either side closes or nothing moves for `idle_seconds`.

    One thread per connection and no concurrent use of the TLS object: OpenSSL does not allow
    reading and writing one connection from two threads."""
    poller = select.poll()
    sockets = {tls.fileno(): tls, inner.fileno(): inner}
    for sock in sockets.values():
        poller.register(sock, select.POLLIN)
    try:
        while True:
            # bytes OpenSSL already decrypted do not show on the socket
            ready = [tls] if tls.pending() else [sockets[fd] for fd, _ in poller.poll(idle_seconds * 1000)]
            if not ready:
                return
            for sock in ready:
                data = sock.recv(RELAY_BYTES)
                if not data:
                    return
                (inner if sock is tls else tls).sendall(data)
    except (OSError, ValueError):
        return
    finally:
        _close(inner)
        _close(tls)


def _header(lines, name):
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _answer(sock, status, code, message):
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    try:
        sock.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
    except OSError:
        pass
    _close(sock)


def _close(sock):
    try:
        sock.close()
    except OSError:
        pass
