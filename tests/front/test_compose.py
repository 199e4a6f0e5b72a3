"""compose.yaml (no engine here to run it): the application reaches every vendor name, and trusts the CA."""

from pathlib import Path

import yaml

from vendor_sandbox.vendors import VENDORS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_sandbox_answers_under_every_vendor_hostname():
    sandbox = COMPOSE["services"]["sandbox"]
    aliases = sandbox["networks"]["default"]["aliases"]
    assert sorted(aliases) == sorted(name for vendor in VENDORS for name in vendor.HOSTNAMES)
    # the vendors' URLs carry no port
    assert (sandbox["environment"]["SANDBOX_PORT"], sandbox["environment"]["SANDBOX_TLS_PORT"]) == (
        "80",
        "443",
    )
    assert sandbox["sysctls"]["net.ipv4.ip_unprivileged_port_start"] == "0"


def test_the_app_trusts_the_ca_from_the_sandboxs_data_volume():
    sandbox, app = COMPOSE["services"]["sandbox"], COMPOSE["services"]["app"]
    assert "SANDBOX_DATA_DIR=/data" in DOCKERFILE
    assert "sandbox-data:/data" in sandbox["volumes"]
    assert "sandbox-data:/sandbox:ro" in app["volumes"]
    for variable in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"):
        assert app["environment"][variable] == "/sandbox/ca.pem"
    assert app["depends_on"]["sandbox"]["condition"] == "service_healthy"
    assert "https://app.hipp.health/api/v1/users" in app["command"][-1]


def test_the_apps_command_runs_unchanged_and_trusts_the_ca_by_ssl_cert_file(live, ca_file):
    """The same command, here reaching the sandbox through its proxy instead of a network alias."""
    import subprocess
    import sys

    app = COMPOSE["services"]["app"]
    done = subprocess.run([sys.executable, *app["command"][1:]], capture_output=True, text=True, timeout=60,
                          env={"HTTPS_PROXY": live.url, "SSL_CERT_FILE": ca_file, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "usr_1234567890_abc123def\n"  # Hipp's documented example user
