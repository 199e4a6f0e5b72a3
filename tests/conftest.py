"""App, client and runner fixtures: a fresh app and store per test."""

import os

import pytest

from vendor_sandbox import create_app

from .redisserver import RedisServer

# Frozen so that timestamps (and the ids built from them) are exact in assertions.
FROZEN_AT = "2025-01-15T10:30:00Z"


@pytest.fixture
def app():
    return create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN_AT, "SEED": 0})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Both stores: the modules in SHARED_STORE_MODULES run once in memory and once on a private Redis
# (every app a test builds, live servers included, sees SANDBOX_STORE_URL); SANDBOX_TEST_STORES=both
# runs every test both ways.
SHARED_STORE_MODULES = {
    "tests/test_control.py", "tests/test_journal.py", "tests/test_faults.py", "tests/test_faults_by_vendor.py",
    "tests/test_state.py", "tests/reliability/test_namespaces.py", "tests/reliability/test_tokens.py",
    "tests/test_clock_namespaces.py", "tests/test_settings.py", "tests/test_credentials_control.py",
    "tests/reliability/test_hostile_http.py",
    *(f"tests/test_credentials_{vendor}.py" for vendor in ("hipp", "nabla", "welkin", "zus", "plugin")),
    *(f"tests/vendors/{vendor}/test_{topic}.py" for vendor in ("hipp", "nabla", "welkin", "zus")
      for topic in ("create_user", "list_users", "get_user", "errors")),
}
# Tests that build two apps and expect them independent: on one shared database they are one
# sandbox (the point of it), or refuse each other's seed; tests/redis/ covers those properties.
INDEPENDENT_APPS = {
    "test_vendors_missing_from_a_snapshot_return_to_their_seed",
}


def pytest_generate_tests(metafunc):
    module = metafunc.definition.path.relative_to(metafunc.config.rootpath).as_posix()
    if "store_kind" in metafunc.fixturenames and metafunc.function.__name__ not in INDEPENDENT_APPS and (
            module in SHARED_STORE_MODULES or os.environ.get("SANDBOX_TEST_STORES") == "both"):
        metafunc.parametrize("store_kind", ["memory", "redis"], indirect=True)


@pytest.fixture(scope="module")  # of the module: a module's live server serves one store's run
def store_kind(request):
    return getattr(request, "param", "memory")


@pytest.fixture(scope="module")
def live_store(store_kind):
    """The environment of a module-scoped live server for this run's store: with Redis, a private
    redis-server and two worker processes, so that every request may land on either."""
    if store_kind != "redis":
        yield {}
        return
    server = RedisServer().start()
    yield {"SANDBOX_STORE_URL": server.url(), "SANDBOX_WORKERS": "2"}
    server.cleanup()


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture(autouse=True)
def _store_under_test(store_kind, request, monkeypatch):
    """With store_kind "redis": an empty Redis database behind every app this test builds."""
    if store_kind != "redis":
        return
    server = request.getfixturevalue("redis_server")
    server.client().flushdb()  # database 0; tests/redis/ uses the others
    monkeypatch.setenv("SANDBOX_STORE_URL", server.url())
