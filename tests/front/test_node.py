"""Node: undici's EnvHttpProxyAgent reads HTTPS_PROXY, NODE_EXTRA_CA_CERTS adds our CA.

Node 20's built-in fetch ignores HTTPS_PROXY (NODE_USE_ENV_PROXY arrives in Node 22.21/24), so
the client is undici from npm, installed at test time (major 6: the one that runs on Node 20)."""

import json
import subprocess

import pytest

from .conftest import HIPP_KEY

CLIENT = """
const { EnvHttpProxyAgent, fetch, setGlobalDispatcher } = require("undici");
setGlobalDispatcher(new EnvHttpProxyAgent());
fetch(process.argv[2], { headers: { authorization: process.argv[3] } })
  .then(async (response) => console.log(
    JSON.stringify({ status: response.status, body: await response.json() })))
  .catch((error) => { console.error(error); process.exit(1); });
"""


@pytest.fixture(scope="module")
def undici(tmp_path_factory):
    folder = tmp_path_factory.mktemp("node")
    done = subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--silent", "undici@6"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (folder / "client.js").write_text(CLIENT, encoding="utf-8")
    return folder


def test_node_reaches_hipp_by_its_real_url_through_the_proxy(live, ca_file, undici):
    proxy = live.url.replace("http://", "http://node-ns:sandbox@")
    done = subprocess.run(
        [
            "node",
            "client.js",
            "https://app.hipp.health/api/v1/users/usr_1234567890_abc123def",
            f"Bearer {HIPP_KEY}",
        ],
        cwd=undici,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HTTPS_PROXY": proxy, "NODE_EXTRA_CA_CERTS": ca_file},
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == 200 and answer["body"]["publicId"] == "usr_1234567890_abc123def"
    status, journal = get_journal(live, "node-ns")
    assert status == 200
    assert [(e["path"], e["status"]) for e in journal] == [
        ("/hipp/api/v1/users/usr_1234567890_abc123def", 200)
    ]


def test_without_our_ca_node_refuses_the_certificate(live, undici):
    done = subprocess.run(
        ["node", "client.js", "https://app.hipp.health/api/v1/users", "Bearer x"],
        cwd=undici,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HTTPS_PROXY": live.url},
    )
    assert done.returncode == 1
    assert "SELF_SIGNED_CERT_IN_CHAIN" in done.stderr


def get_journal(live, namespace):
    import urllib.request

    request = urllib.request.Request(
        live.url + "/_sandbox/requests", headers={"X-Sandbox-Namespace": namespace}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())["requests"]
