"""Keep-alive connections pinned to each worker of a `serve --workers N` sandbox: which worker
accepted a connection is read from /proc (the worker holding the server end of its socket), so a
test moves state through one worker and reads it through another, by construction."""

import http.client
import json
import os
import time
from pathlib import Path

from .conftest import children


def _server_end_inode(server_port, client_port):
    """The inode of the accepted socket whose peer is our `client_port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if int(local.rsplit(":", 1)[1], 16) == server_port and int(remote.rsplit(":", 1)[1], 16) == client_port:
                return fields[9]
    return None


def _holder(pids, inode):
    wanted = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == wanted:
                    return pid
            except OSError:  # closed meanwhile
                continue
    return None


class Pinned:
    """One keep-alive connection, and the worker it is served by."""

    def __init__(self, connection, pid):
        self.connection, self.pid = connection, pid

    def call(self, method, path, body=None, headers=None):
        """(status, parsed JSON body or None)."""
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw.decode()

    def close(self):
        self.connection.close()


def one_per_worker(server, timeout=30):
    """{pid: Pinned} with a connection to every worker of `server`."""
    port = int(server.url.rsplit(":", 1)[1])
    pids = children(server.process.pid)
    pinned, spare = {}, []
    deadline = time.monotonic() + timeout
    while len(pinned) < len(pids):
        assert time.monotonic() < deadline, f"no connection reached every worker of {pids}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/_sandbox/health")  # accepted and served: its worker holds it now
        connection.getresponse().read()
        pid = _holder(pids, _server_end_inode(port, connection.sock.getsockname()[1]))
        if pid is not None and pid not in pinned:
            pinned[pid] = Pinned(connection, pid)
        else:
            spare.append(connection)
    for connection in spare:
        connection.close()
    return pinned
