"""The pytest plugin's new_credentials: credentials bound to the test's namespace (pytester)."""

pytest_plugins = ["pytester"]

BOUND_TESTS = '''
import json
import urllib.request

import pytest


def get_users(sandbox, key):
    """A client that knows nothing of namespaces: a base URL and a key."""
    request = urllib.request.Request(sandbox.base_url("hipp") + "/v1/users",
                                     headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("round", [1, 2])
def test_a_registered_key_is_this_test_s_alone(sandbox, round):
    entry = sandbox.new_credentials("hipp", apiKey="key-from-my-settings", role="CLINICIAN")
    assert (entry["apiKey"], entry["role"]) == ("key-from-my-settings", "CLINICIAN")
    assert entry in sandbox.credentials()["hipp"]
    assert get_users(sandbox, "key-from-my-settings")["pagination"]["totalCount"] == 12
    assert [(r["method"], r["status"]) for r in sandbox.requests(vendor="hipp")] == [("GET", 200)]


def test_fresh_credentials_of_every_vendor(sandbox):
    for vendor, key in (("zus", "clientSecret"), ("nabla", "privateKey"), ("welkin", "secret")):
        assert sandbox.new_credentials(vendor)[key]


def test_a_bad_body_fails_the_test_with_the_sandbox_s_reason(sandbox):
    from vendor_sandbox.pytest_plugin import SandboxError

    with pytest.raises(SandboxError, match="invalid_credentials"):
        sandbox.new_credentials("hipp", role="ROOT")
'''


def test_new_credentials_binds_to_the_test_s_namespace_and_is_released_after_it(pytester):
    """Both rounds register the same key: the first test's namespace is dropped, which frees it."""
    pytester.makepyfile(test_bound=BOUND_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
