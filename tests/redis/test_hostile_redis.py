"""The hostile-input suite (tests/reliability/test_hostile_input.py) on the shared store: every
hostile request still gets the vendor's own 4xx and changes nothing in Redis either."""

import pytest

from vendor_sandbox import create_app

from ..reliability.conftest import ClientHttp
from ..reliability.test_hostile_input import (  # noqa: F401 - the same fixture and tests, re-run here
    FROZEN,
    ns,
    test_a_body_over_the_limit_is_the_vendors_413_before_anything_else,
    test_hostile_bodies_get_the_vendors_4xx_and_change_nothing,
    test_hostile_headers_get_the_vendors_4xx,
    test_hostile_path_segments_get_the_vendors_4xx,
    test_hostile_queries_get_the_vendors_4xx_or_are_ignored,
)

DATABASE = 51


@pytest.fixture(scope="module")
def http(redis_server):
    redis_server.client(DATABASE).flushdb()
    return ClientHttp(create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "SEED": 0,
                                  "STORE_URL": redis_server.url(DATABASE)}))
