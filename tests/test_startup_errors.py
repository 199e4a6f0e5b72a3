"""Configuration a user can read: SANDBOX_* values parsed strictly, and every startup failure one line
(no traceback) naming what is wrong, from the real `vendor-sandbox serve` command."""

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from vendor_sandbox import create_app

from .live import console_script

SWITCH = "SANDBOX_INSECURE must be one of 1/0, true/false, yes/no, on/off"
CLOCK = "--frozen-clock (SANDBOX_FROZEN_CLOCK) must be an ISO-8601 instant such as 2025-01-15T10:30:00Z"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def serve(*args, env=None, timeout=30):
    """(exit code, stderr) of a `serve` expected to fail before it listens."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    environ = {**environ, "SANDBOX_PORT": "0", **(env or {})}
    done = subprocess.run([*console_script(), "serve", *args], env=environ, capture_output=True, text=True,
                          timeout=timeout)
    return done.returncode, done.stderr


def one_line(stderr):
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(("text", "value"), [("1", True), ("0", False), ("true", True), ("FALSE", False),
                                             ("yes", True), ("no", False), ("On", True), ("off", False)])
def test_booleans_take_the_usual_words(monkeypatch, text, value):
    monkeypatch.setenv("SANDBOX_INSECURE", text)
    monkeypatch.setenv("SANDBOX_WELKIN_TOKEN_RATE_LIMIT", text)
    app = create_app()
    assert (app.config["INSECURE"], app.config["WELKIN_TOKEN_RATE_LIMIT"]) == (value, value)


@pytest.mark.parametrize("token", ["false", "0", "null", "123", '"quoted"'])
def test_the_admin_token_is_the_string_given(client, monkeypatch, token):
    monkeypatch.setenv("SANDBOX_ADMIN_TOKEN", token)
    guarded = create_app({"TESTING": True}).test_client()
    assert guarded.get("/_sandbox/state").status_code == 401
    assert guarded.get("/_sandbox/state", headers={"X-Sandbox-Admin-Token": token}).status_code == 200


@pytest.mark.parametrize(("name", "value", "message"), [
    ("SANDBOX_INSECURE", "maybe", f"{SWITCH}, not 'maybe'"),
    ("SANDBOX_INSECURE", "", f"{SWITCH}, not ''"),
    ("SANDBOX_PORT", "eighty", "SANDBOX_PORT must be an integer, not 'eighty'"),
    ("SANDBOX_PORT", "70000", "--port (SANDBOX_PORT) must be a number from 0 to 65535, not 70000"),
    ("SANDBOX_THREADS", "0", "--threads (SANDBOX_THREADS) must be a number from 1 to 1024, not 0"),
    ("SANDBOX_JOURNAL_SIZE", "-5", "SANDBOX_JOURNAL_SIZE must be a number from 1 to 10000000, not -5"),
    ("SANDBOX_NAMESPACE_IDLE_SECONDS", "soon", "SANDBOX_NAMESPACE_IDLE_SECONDS must be a number, not 'soon'"),
    ("SANDBOX_FROZEN_CLOCK", "yesterday", f"{CLOCK}, not 'yesterday'"),
])
def test_a_bad_environment_value_is_one_line_naming_the_variable(name, value, message):
    code, stderr = serve(env={name: value})
    assert (code, one_line(stderr)) == (1, f"Error: {message}")


@pytest.mark.parametrize(("args", "message"), [
    (["--port", "70000"], "Error: --port (SANDBOX_PORT) must be a number from 0 to 65535, not 70000"),
    (["--port", "-1"], "Error: --port (SANDBOX_PORT) must be a number from 0 to 65535, not -1"),
    (["--frozen-clock", "2025-13-45"], f"Error: {CLOCK}, not '2025-13-45'"),
])
def test_a_bad_flag_is_one_line(args, message):
    code, stderr = serve(*args)
    assert (code, one_line(stderr)) == (1, message)


def test_a_port_in_use_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, stderr = serve("--port", str(port))
    expected = f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert (code, one_line(stderr)) == (1, expected)


@pytest.fixture
def fixtures(tmp_path):
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy)
    return copy


def edit(path, change):
    items = json.loads(path.read_text())
    change(items)
    path.write_text(json.dumps(items))


def test_a_fixture_field_of_the_wrong_type_names_the_file_and_the_path(fixtures):
    edit(fixtures / "hipp" / "users.json", lambda users: users[2].update(email=5))
    code, stderr = serve("--fixtures", str(fixtures))
    assert (code, one_line(stderr)) == (
        1, f"Error: fixtures: {fixtures / 'hipp' / 'users.json'}: [2].email: expected a string or null")


def test_a_fixture_file_that_is_not_json_names_the_file(fixtures):
    (fixtures / "nabla" / "users.json").write_text("[\n  {\"id\": ")
    code, stderr = serve("--fixtures", str(fixtures))
    assert (code, one_line(stderr)) == (
        1, f"Error: fixtures: {fixtures / 'nabla' / 'users.json'} is not JSON: Expecting value: line 2 "
           "column 10 (char 11)")


def test_a_fixtures_folder_without_a_vendor_is_one_line(tmp_path, monkeypatch):
    code, stderr = serve(env={"SANDBOX_FIXTURES_DIR": str(tmp_path)})
    assert (code, one_line(stderr)) == (
        1, f"Error: fixtures: no folder {tmp_path / 'hipp'} (a fixtures folder holds <vendor>/*.json)")


def test_a_fixture_the_backend_cannot_load_is_one_line_naming_the_vendor(fixtures):
    edit(fixtures / "zus" / "users.json", lambda users: users[1].pop("email"))
    code, stderr = serve("--fixtures", str(fixtures))
    assert code == 1
    assert one_line(stderr).startswith(f"Error: fixtures: {fixtures / 'zus'}: zus cannot load them: ")


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "the snapshot is not JSON: Expecting property name enclosed in double quotes: line 1 "
                  "column 2 (char 1)"),
    ("[" * 100_000 + "]" * 100_000, "the snapshot nests deeper than 64 levels"),
    (json.dumps({"format": "vendor-sandbox/state", "version": 1, "vendors": {"hipp": {"users": {"records": [
        ["u", {"publicId": 5}]]}}}}), "vendors.hipp.users.records['u'].publicId: expected a string"),
])
def test_a_corrupt_or_too_deep_state_file_is_one_line(tmp_path, content, message):
    path = tmp_path / "state.json"
    path.write_text(content)
    code, stderr = serve("--state", str(path))
    assert (code, one_line(stderr)) == (1, f"Error: cannot start from the snapshot {path}: {message}")
