"""A vendor's real hostname reaches that vendor at its real paths, on both ports: code with
hard-coded URLs runs unchanged once the name resolves to the sandbox (here: curl --resolve)."""

import json
import subprocess

import pytest

from ..vendors.zus.conftest import ACME_BACKEND, AUDIENCE
from .conftest import HIPP_KEY

FHIR = "application/fhir+json"


def curl(live, url, *args, ca_file=None, tls=True):
    """(status, headers, body) of `url` with its host resolved to the sandbox, never the vendor."""
    host = url.split("/")[2]
    port = live.tls_port if tls else live.port
    command = [
        "curl",
        "-sS",
        "--max-time",
        "20",
        "-D",
        "-",
        "--resolve",
        f"{host}:{port}:127.0.0.1",
        "--connect-to",
        f"{host}:{443 if tls else 80}:127.0.0.1:{port}",
        *args,
        url,
    ]
    if ca_file:
        command[1:1] = ["--cacert", ca_file]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    head, _, body = done.stdout.partition("\n\n")  # text mode: curl's CRLFs read as \n
    lines = head.split("\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body) if body else None


def test_hipp_at_its_real_url_over_https(live, ca_file):
    status, headers, body = curl(
        live,
        "https://app.hipp.health/api/v1/users",
        "-H",
        f"Authorization: Bearer {HIPP_KEY}",
        ca_file=ca_file,
    )
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert body["data"][0]["publicId"] == "usr_1234567890_abc123def"  # Hipp's documented example user


def test_nabla_at_its_real_url_answers_as_nabla(live, ca_file):
    status, _, body = curl(live, "https://us.api.nabla.com/v1/core/server/users", ca_file=ca_file)
    assert status == 401
    assert body["name"] == "UNAUTHORIZED" and body["message"] == "Missing or invalid bearer token."


def zus_token(live, ca_file):
    status, _, body = curl(
        live,
        "https://api.sandbox.zusapi.com/oauth/token",
        "-H",
        "Content-Type: application/json",
        "--data",
        json.dumps(
            {
                "grant_type": "client_credentials",
                "audience": AUDIENCE,
                "client_id": ACME_BACKEND["clientId"],
                "client_secret": ACME_BACKEND["clientSecret"],
            }
        ),
        ca_file=ca_file,
    )
    assert status == 200
    return body["access_token"]


def test_zus_builds_its_urls_on_the_host_and_scheme_the_client_used(live, ca_file):
    token = zus_token(live, ca_file)
    status, headers, body = curl(
        live,
        "https://api.sandbox.zusapi.com/fhir/Practitioner",
        "-H",
        f"Authorization: Bearer {token}",
        "-H",
        f"Content-Type: {FHIR}",
        "-H",
        "X-Sandbox-Namespace: hostnames-zus",
        "--data",
        json.dumps({"resourceType": "Practitioner", "name": [{"family": "Hostname"}]}),
        ca_file=ca_file,
    )
    assert status == 201
    assert headers["location"] == f"https://api.sandbox.zusapi.com/fhir/Practitioner/{body['id']}/_history/1"
    _, _, users = curl(
        live,
        "https://api.sandbox.zusapi.com/auth/users?page%5Bsize%5D=1",
        "-H",
        f"Authorization: Bearer {token}",
        ca_file=ca_file,
    )
    assert users["links"]["self"].startswith("https://api.sandbox.zusapi.com/auth/users?")


def test_the_plain_port_routes_by_host_too(live):
    status, _, body = curl(
        live,
        "http://app.hipp.health/api/v1/users/usr_0000000000000_zzzzzzzzz",
        "-H",
        f"Authorization: Bearer {HIPP_KEY}",
        tls=False,
    )
    assert (status, body) == (404, {"error": "Resource not found"})


@pytest.mark.parametrize("path", ["/_sandbox/health", "/hipp/api/v1/users", "/ns/x/hipp/api/v1/users"])
def test_a_vendor_host_has_only_the_vendors_paths(live, ca_file, path):
    """The sandbox's own paths are not on app.hipp.health, as they are not on the real host."""
    status, _, body = curl(
        live, f"https://app.hipp.health{path}", "-H", f"Authorization: Bearer {HIPP_KEY}", ca_file=ca_file
    )
    assert (status, body) == (404, {"error": "Resource not found"})


def test_an_unknown_host_is_refused_on_a_loopback_bound_sandbox(live):
    """Not a vendor's name: no routing, and the DNS-rebinding guard (hostguard.py) refuses it."""
    status, _, body = curl(live, "http://sandbox.internal/_sandbox/health", tls=False)
    assert status == 403 and body["error"]["code"] == "host_not_allowed"
