"""App, client and runner fixtures: a fresh app and store per test."""

import pytest

from vendor_sandbox import create_app

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
