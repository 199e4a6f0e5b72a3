"""The container's health check: GET /_sandbox/health on the port the server was started with.

`docker run IMAGE serve --port 9000` moves the port with a flag the health check's environment never
sees, so the port is read from the server's own command line (PID 1 in the container), then from
SANDBOX_PORT, then the default. Exit status 0 when healthy, 1 otherwise (what HEALTHCHECK reads)."""

import os
import sys
import urllib.request
from pathlib import Path

DEFAULT_PORT = "8080"


def server_port(pid="1"):
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        args = []
    for index, arg in enumerate(args):
        if arg == "--port" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--port="):
            return arg.split("=", 1)[1]
    return os.environ.get("SANDBOX_PORT") or DEFAULT_PORT


def main():
    port = server_port(os.environ.get("SANDBOX_HEALTH_PID", "1"))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/health", timeout=2) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"vendor-sandbox on port {port}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
