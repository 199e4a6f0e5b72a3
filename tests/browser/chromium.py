"""Debian's chromium under Playwright, and a server for it: what every browser test starts from.

The browser is $SANDBOX_CHROMIUM, else /usr/bin/chromium, driven by Playwright with its executable
path set: Playwright's own browser download is never used. Without a browser the tests skip, unless
SANDBOX_REQUIRE_BROWSER is set (as .ci/run does), when they fail instead.
"""

import os

import pytest

from ..live import LiveServer, console_script

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def unavailable(reason):
    if os.environ.get("SANDBOX_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and SANDBOX_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"{reason} (set SANDBOX_REQUIRE_BROWSER to make this a failure)")


def launch(args):
    """Yield a launched Chromium (for a fixture), or skip/fail when there is none."""
    path = os.environ.get("SANDBOX_CHROMIUM") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        unavailable(f"no Chromium executable at {path}: apt-get install chromium, or set SANDBOX_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=args)
        yield browser
        browser.close()


def serve_without_admin_token():
    """Yield a running `vendor-sandbox serve` (for a fixture).

    An admin token from the developer's shell would guard the dashboard: this server has none.
    """
    live = LiveServer([*console_script(), "serve", "--threads", "4"], env={"SANDBOX_ADMIN_TOKEN": ""})
    try:
        yield live.wait_ready()
    finally:
        live.stop()
