"""A real `vendor-sandbox serve` process on a free loopback port, for tests over real HTTP."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def console_script():
    """The installed `vendor-sandbox` entry point next to this interpreter."""
    script = Path(sys.executable).parent / "vendor-sandbox"
    return [str(script)] if script.exists() else [sys.executable, "-m", "vendor_sandbox"]


class LiveServer:
    """`command` runs with SANDBOX_PORT set to a free port (flags in `command` win over it)."""

    def __init__(self, command, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tls_port = free_port()
        # the TLS port on a free port too, and the CA in a folder of this server's own
        self._data_dir = tempfile.TemporaryDirectory(prefix="vendor-sandbox-data-")
        env = {**os.environ, "SANDBOX_PORT": str(self.port), "SANDBOX_TLS_PORT": str(self.tls_port),
               "SANDBOX_DATA_DIR": self._data_dir.name, **(env or {})}
        # a file, not a pipe: nobody reads while the server runs, and a full pipe blocks its logging
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                if self.request("GET", "/_sandbox/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("server did not become ready")

    def request(self, method, path, body=None, headers=None, raw=None):
        """(status, headers, parsed JSON or text) of one request."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, head, text = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            status, head, text = error.code, error.headers, error.read().decode()
        try:
            return status, head, json.loads(text)
        except ValueError:
            return status, head, text

    def output(self):
        """Everything the server wrote to stdout and stderr so far."""
        self._log.seek(0)
        return self._log.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
        self._data_dir.cleanup()
