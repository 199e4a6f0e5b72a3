"""Tests that drive a real headless Chromium (Debian's chromium, through Playwright)."""
