"""The TLS port: a certificate from the sandbox's own CA, for loopback and every vendor hostname."""

import socket
import ssl
import stat
import subprocess

import pytest
from cryptography import x509

from vendor_sandbox import create_app

from ..live import LiveServer, console_script, free_port
from .conftest import VENDOR_HOSTNAMES

EVERY_NAME = ["localhost", "127.0.0.1", "::1"] + [
    name for names in VENDOR_HOSTNAMES.values() for name in names
]


def handshake(port, server_hostname, context):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
            return tls.getpeercert(binary_form=True), tls.version()


@pytest.mark.parametrize("name", EVERY_NAME)
def test_the_leaf_verifies_for_each_name_with_our_ca_as_the_only_root(live, only_our_ca, name):
    cert, version = handshake(live.tls_port, name, only_our_ca)
    assert version in ("TLSv1.2", "TLSv1.3")
    leaf = x509.load_der_x509_certificate(cert)
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_a_name_the_leaf_does_not_carry_fails_the_hostname_check(live, only_our_ca):
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        handshake(live.tls_port, "example.com", only_our_ca)


def test_without_our_ca_the_certificate_is_not_trusted(live):
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        handshake(live.tls_port, "localhost", ssl.create_default_context())


def test_ca_pem_serves_the_certificate_and_never_the_key(live, ca_file, data_dir):
    status, headers, body = request(live.url + "/_sandbox/ca.pem")
    assert status == 200
    assert headers["Content-Type"] == "application/x-pem-file"
    assert body == open(ca_file, "rb").read()
    assert b"PRIVATE KEY" not in body
    ca = x509.load_pem_x509_certificate(body)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    # the key beside it is its owner's alone
    assert stat.S_IMODE((data_dir / "ca-key.pem").stat().st_mode) == 0o600


def test_the_ca_is_the_same_across_restarts_and_signs_each_leaf(tmp_path):
    first = create_app({"DATA_DIR": str(tmp_path)}).test_client().get("/_sandbox/ca.pem").data
    second = create_app({"DATA_DIR": str(tmp_path)}).test_client().get("/_sandbox/ca.pem").data
    assert first == second and first.startswith(b"-----BEGIN CERTIFICATE-----")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "ca-key.pem", "ca.pem"]


def test_the_ca_command_prints_its_path_and_makes_it_on_first_use(tmp_path):
    folder = tmp_path / "fresh"
    done = subprocess.run(
        [*console_script(), "ca", "--data-dir", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{folder / 'ca.pem'}\n"
    assert (folder / "ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    again = subprocess.run(
        [*console_script(), "ca"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"SANDBOX_DATA_DIR": str(folder), "PATH": "/usr/bin:/bin"},
    )
    assert again.stdout == done.stdout


def test_serve_listens_with_tls_on_tls_port_and_curl_trusts_only_our_ca(tmp_path):
    tls_port = free_port()
    server = LiveServer(
        [*console_script(), "serve", "--tls-port", str(tls_port), "--data-dir", str(tmp_path)]
    )
    try:
        server.wait_ready()
        done = subprocess.run(
            [
                "curl",
                "-sS",
                "--cacert",
                str(tmp_path / "ca.pem"),
                "--resolve",
                f"app.hipp.health:{tls_port}:127.0.0.1",
                f"https://app.hipp.health:{tls_port}/api/v1/users",
                "-H",
                "Authorization: Bearer nope",
                "-w",
                "\n%{http_code}",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == "401"
        assert f"https://127.0.0.1:{tls_port}" in server.output()
    finally:
        server.stop()


def test_tls_port_0_turns_tls_off(tmp_path):
    server = LiveServer(
        [*console_script(), "serve"],
        env={"SANDBOX_TLS_PORT": "0", "SANDBOX_DATA_DIR": str(tmp_path / "unused")},
    )
    try:
        server.wait_ready()
        assert "https://" not in server.output()
        assert not (tmp_path / "unused").exists()  # no TLS, no CA made
    finally:
        server.stop()


def request(url):
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_a_tls_port_in_use_is_one_clear_line(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        command = [*console_script(), "serve", "--tls-port", str(port), "--data-dir", str(tmp_path)]
        server = LiveServer(command)
        try:
            assert server.process.wait(timeout=60) == 1
            assert server.output().strip().splitlines()[-1] == (
                f"Error: cannot listen with TLS on 127.0.0.1:{port}: Address already in use "
                "(--tls-port picks another port, 0 turns TLS off)")
        finally:
            server.stop()


def test_a_plain_port_in_use_is_one_clear_line_too(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        server = LiveServer([*console_script(), "serve", "--port", str(port), "--data-dir", str(tmp_path)])
        try:
            assert server.process.wait(timeout=60) == 1
            assert server.output().strip().splitlines()[-1] == (
                f"Error: cannot listen on 127.0.0.1:{port}: Address already in use")
        finally:
            server.stop()


@pytest.mark.parametrize("name", ["127.0.0.2", "sandbox", "sandbox.internal"])
def test_the_leaf_names_the_bound_host_and_the_extra_names(tmp_path, name):
    from vendor_sandbox.server import ThreadedServer

    app = create_app({"HOST": "127.0.0.2", "TLS_NAMES": "sandbox, sandbox.internal",
                      "DATA_DIR": str(tmp_path)})
    with ThreadedServer(app, host="127.0.0.2", tls=True) as server:
        context = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        with socket.create_connection(("127.0.0.2", server.tls_port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=name) as tls:
                assert tls.version()


def test_a_tls_connection_handed_over_after_the_server_stopped_is_closed_quietly(tmp_path):
    """The TLS thread hands each connection to waitress's loop through its trigger; a server that
    stopped meanwhile has closed it: the connection is closed, and no thread dies with EBADF."""
    import threading

    from vendor_sandbox.server import ThreadedServer

    app = create_app({"DATA_DIR": str(tmp_path), "FROZEN_CLOCK": "2025-01-15T10:30:00Z"})
    server = ThreadedServer(app, tls=True).start()
    tunnels, ca = server._server.tunnels, tmp_path / "ca.pem"
    server.stop()
    inner, outer = socket.socketpair()
    outcome = {}

    def handshake():
        context = ssl.create_default_context(cafile=str(ca))
        try:
            with context.wrap_socket(outer, server_hostname="localhost") as tls:
                outcome["read"] = tls.recv(1)  # the server side closes: b""
        except (OSError, ssl.SSLError) as error:
            outcome["read"] = error

    client = threading.Thread(target=handshake)
    client.start()
    tunnels.serve_tls(inner, ("127.0.0.1", 1), 443)  # returns, raising nothing
    client.join(timeout=10)
    assert not client.is_alive()
    assert outcome["read"] == b"" or isinstance(outcome["read"], (OSError, ssl.SSLError))
