"""One live `vendor-sandbox serve` on the wall clock for the matrix, its CA fetched as a user would, and
the three ways in as nothing but environment variables for a client process."""

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from ..front.conftest import VENDOR_HOSTNAMES
from ..live import LiveServer, console_script

APPS = Path(__file__).with_name("apps")
RESOLVER = Path(__file__).with_name("resolver")  # sitecustomize.py: the vendors' names to the sandbox
NS = "X-Sandbox-Namespace"
WAYS = ("base_url", "hostname", "proxy")


@pytest.fixture(scope="package")
def server():
    live = LiveServer([*console_script(), "serve", "--threads", "8"], env={"SANDBOX_ADMIN_TOKEN": ""})
    live.wait_ready()
    yield live
    live.stop()


@pytest.fixture(scope="package")
def ca_file(server, tmp_path_factory):
    """GET /_sandbox/ca.pem, saved where the client's CA variables point: the only root they trust."""
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    with urllib.request.urlopen(f"{server.url}/_sandbox/ca.pem", timeout=10) as response:
        path.write_bytes(response.read())
    return str(path)


@pytest.fixture
def namespace():
    return f"unchanged-{uuid.uuid4().hex[:10]}"


def way_env(server, ca_file, way, vendor, namespace):
    """What one way in sets: a base URL prefix (or None: the client's own URL), and the environment."""
    trust = {"REQUESTS_CA_BUNDLE": ca_file, "SSL_CERT_FILE": ca_file}
    if way == "base_url":
        return f"{server.url}/ns/{namespace}/{vendor}", {}
    if way == "hostname":
        names = ",".join(VENDOR_HOSTNAMES[vendor])
        resolve = f"{names}=127.0.0.1:{server.tls_port}"
        return None, {**trust, "PYTHONPATH": str(RESOLVER), "SANDBOX_RESOLVE": resolve}
    proxy = server.url.replace("http://", f"http://{namespace}:x@")
    return None, {**trust, "HTTPS_PROXY": proxy, "HTTP_PROXY": proxy}


def spawn(app, env, tmp_path):
    """The app in a process of its own whose environment is only `env` (no proxy or CA of ours leaks in)."""
    return subprocess.run(
        [sys.executable, str(APPS / app)],
        capture_output=True,
        text=True,
        timeout=90,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": str(tmp_path), **env},
    )


def run_app(app, env, tmp_path):
    """What the app saw (its JSON on stdout)."""
    done = spawn(app, env, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def mint(server, namespace, **body):
    status, _, entry = server.request("POST", "/_sandbox/credentials", body, headers={NS: namespace})
    assert status == 201, entry
    return entry


def fixture_credentials(server, vendor):
    return server.request("GET", "/_sandbox/credentials")[2][vendor]


def journaled(server, namespace):
    status, _, body = server.request("GET", f"/ns/{namespace}/_sandbox/requests")
    assert status == 200, body
    return body["requests"]


def journal(server, namespace):
    """(method, path, status) of what landed in `namespace`, read through its /ns/ path."""
    return [(r["method"], r["path"], r["status"]) for r in journaled(server, namespace)]


def hosts(server, namespace):
    """The Host headers of what landed in `namespace`: which way in each request took."""
    return {r["headers"]["Host"] for r in journaled(server, namespace)}
