"""Real client code, unchanged: Welkin's published client reaches the sandbox through the proxy."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from ..vendors.welkin.conftest import LEGACY_CLIENT

HARNESS = Path(__file__).with_name("welkin_unchanged.py")


def test_welkins_published_client_runs_unchanged_through_the_proxy(live, ca_file, tmp_path):
    proxy = live.url.replace("http://", "http://welkin-unchanged:x@")
    done = subprocess.run([sys.executable, str(HARNESS), "gh", "stage", LEGACY_CLIENT["apiClient"],
                           LEGACY_CLIENT["secret"]], capture_output=True, text=True, timeout=120,
                          env={"TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HTTPS_PROXY": proxy,
                               "REQUESTS_CA_BUNDLE": ca_file})
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["host"] == "https://api.live.welkincloud.io/gh/"  # the client's own, untouched
    assert (seen["created"]["username"], seen["created"]["userState"]) == ("unchanged", "PROVISIONED")
    assert seen["read"] == seen["created"]
    assert "unchanged" in seen["all"]
    # every call landed in the namespace the proxy URL names, at Welkin's real paths
    request = urllib.request.Request(f"{live.url}/_sandbox/requests",
                                     headers={"X-Sandbox-Namespace": "welkin-unchanged"})
    with urllib.request.urlopen(request, timeout=10) as response:
        journal = json.loads(response.read())["requests"]
    user_id = seen["created"]["id"]
    user_id = seen["created"]["id"]
    # the V8 docs' admin paths, as the client calls them
    assert [(e["method"], e["path"], e["status"]) for e in journal] == [
        ("POST", f"/welkin/gh/admin/api_clients/{LEGACY_CLIENT['apiClient']}", 200),
        ("POST", "/welkin/gh/admin/users", 201),
        ("GET", f"/welkin/gh/admin/users/{user_id}", 200),
        ("GET", "/welkin/gh/admin/users", 200),
    ]
