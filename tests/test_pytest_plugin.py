"""The pytest plugin, exercised as its users run it (pytester)."""

import pytest

from .live import LiveServer, console_script, free_port

pytest_plugins = ["pytester"]

USER_TESTS = '''
import json
import urllib.request

KEY = "your-api-key"


def create(sandbox, first="Ann"):
    request = urllib.request.Request(
        sandbox.base_url("hipp") + "/v1/users", method="POST",
        data=json.dumps({"firstName": first, "lastName": "Lee"}).encode(),
        headers={**sandbox.headers, "Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_first(sandbox):
    assert create(sandbox)["user"]["firstName"] == "Ann"
    (entry,) = sandbox.requests(vendor="hipp")
    assert (entry["method"], entry["status"]) == ("POST", 200)


def test_second_sees_a_fresh_namespace(sandbox):
    assert sandbox.requests() == []
    assert sandbox.credentials()["hipp"][0]["apiKey"] == KEY


def test_helpers(sandbox):
    sandbox.add_fault("hipp", status=503, times=1)
    assert sandbox.faults()[0]["remaining"] == 1
    try:
        create(sandbox)
    except urllib.error.HTTPError as error:
        assert error.code == 503
    sandbox.clear_faults()
    create(sandbox, "Bo")
    snapshot = sandbox.state()
    sandbox.reset()
    assert sandbox.requests() == []
    sandbox.load_state(snapshot)
    assert sandbox.outbox() == []
    sandbox.clear_requests()
    sandbox.clear_outbox()


def test_server_url(sandbox_server):
    assert sandbox_server.url.startswith("http://127.0.0.1:")
    assert sandbox_server.base_url("hipp") == sandbox_server.url + "/hipp/api"
'''


PROXY_TESTS = '''
import json
import os
import urllib.request

import requests

KEY = {"Authorization": "Bearer your-api-key"}
DOCS_USER = "usr_1234567890_abc123def"
USER_PATH = "/hipp/api/v1/users/" + DOCS_USER


def test_base_url_carries_the_namespace_so_no_header_is_needed(sandbox):
    assert sandbox.base_url("hipp") == f"{sandbox.url}/ns/{sandbox.namespace}/hipp/api"
    with urllib.request.urlopen(urllib.request.Request(sandbox.base_url("hipp") + "/v1/users/" + DOCS_USER,
                                                       headers=KEY)) as response:
        assert json.loads(response.read())["publicId"] == DOCS_USER
    assert [e["path"] for e in sandbox.requests()] == [USER_PATH]


def test_proxy_env_runs_a_block_with_the_proxy_and_the_ca(sandbox):
    assert "HTTPS_PROXY" not in os.environ
    with sandbox.proxy_env():
        assert os.environ["REQUESTS_CA_BUNDLE"] == sandbox.ca_bundle
        response = requests.get("https://app.hipp.health" + USER_PATH.removeprefix("/hipp"), headers=KEY)
    assert "HTTPS_PROXY" not in os.environ and "REQUESTS_CA_BUNDLE" not in os.environ
    assert response.status_code == 200 and response.json()["publicId"] == DOCS_USER
    # the proxy URL names the test's namespace: the request is in its journal
    assert [(e["path"], e["status"]) for e in sandbox.requests()] == [(USER_PATH, 200)]


def test_the_proxy_fixture(sandbox_proxy):
    with open(sandbox_proxy.ca_bundle) as file:
        assert file.read().startswith("-----BEGIN CERTIFICATE-----")
    response = requests.get("http://app.hipp.health" + USER_PATH.removeprefix("/hipp"), headers=KEY)
    assert response.status_code == 200
    assert sandbox_proxy.requests()[0]["path"] == USER_PATH
'''


def test_the_plugin_is_registered_through_its_entry_point(pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--sandbox-url=SANDBOX_URL*"])


def test_fixtures_give_a_live_server_and_a_namespace_per_test(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_works_under_xdist(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_sandbox_url_uses_a_running_server(pytester):
    server = LiveServer([*console_script(), "serve"]).wait_ready()
    try:
        pytester.makepyfile(test_user=USER_TESTS.replace(
            '.startswith("http://127.0.0.1:")', f' == "{server.url}"'))
        result = pytester.runpytest_subprocess("--sandbox-url", server.url, "-p", "no:cacheprovider")
        result.assert_outcomes(passed=4)
        status, _, body = server.request("GET", "/_sandbox/requests")
        assert (status, body) == (200, {"requests": []}), "tests never touch the default namespace"
    finally:
        server.stop()


def test_a_sandbox_url_where_nothing_answers_is_one_error_for_the_session(pytester):
    url = f"http://127.0.0.1:{free_port()}"
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("--sandbox-url", url, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    message = f"--sandbox-url {url}: no vendor-sandbox answers there ([Errno 111] Connection refused)"
    assert output.count(message) == 1
    assert "Traceback" not in output and "urlopen" not in output


def test_an_admin_token_is_sent_with_every_helper_call(pytester):
    server = LiveServer([*console_script(), "serve"], env={"SANDBOX_ADMIN_TOKEN": "s3cret"}).wait_ready()
    try:
        pytester.makepyfile(test_user=USER_TESTS)
        args = ("--sandbox-url", server.url, "-p", "no:cacheprovider", "-k", "second")
        assert pytester.runpytest_subprocess(*args).ret != 0
        pytester.runpytest_subprocess(*args, "--sandbox-admin-token", "s3cret").assert_outcomes(passed=1)
    finally:
        server.stop()


def test_namespaced_base_urls_the_ca_and_the_proxy(pytester, monkeypatch, tmp_path):
    monkeypatch.setenv("SANDBOX_DATA_DIR", str(tmp_path))
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_proxy=PROXY_TESTS)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=3)
    assert (tmp_path / "ca.pem").exists()  # the local server's CA, in SANDBOX_DATA_DIR


def test_the_ca_of_a_running_server_is_fetched(pytester, monkeypatch):
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    server = LiveServer([*console_script(), "serve"]).wait_ready()
    try:
        pytester.makepyfile(test_proxy=PROXY_TESTS)
        result = pytester.runpytest_subprocess("--sandbox-url", server.url, "-p", "no:cacheprovider")
        result.assert_outcomes(passed=3)
    finally:
        server.stop()


@pytest.mark.parametrize("vendor", ["acme"])
def test_unknown_vendor_base_url(vendor):
    from vendor_sandbox.pytest_plugin import SandboxServer

    with pytest.raises(KeyError):
        SandboxServer("http://x").base_url(vendor)
