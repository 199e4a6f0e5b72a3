"""Seed data: the packaged fixtures (or SANDBOX_FIXTURES_DIR) plus Faker volume, by seed."""

import importlib.resources
import json
import threading
from pathlib import Path

from faker import Faker


def fixtures_root(fixtures_dir=None):
    """The folder holding `<vendor>/*.json`.

    A wheel carries the top-level `fixtures/` as package data (see pyproject.toml); an
    editable install does not, so fall back to the checkout the package was imported from.
    """
    if fixtures_dir:
        return Path(fixtures_dir)
    packaged = importlib.resources.files("vendor_sandbox") / "fixtures"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "fixtures"


def load_fixtures(vendor, fixtures_dir=None):
    """{name: parsed JSON} for every `<vendor>/<name>.json` file."""
    folder = fixtures_root(fixtures_dir) / vendor
    if not folder.is_dir():
        raise FileNotFoundError(f"no fixtures for {vendor!r} in {fixtures_root(fixtures_dir)}")
    return {
        entry.name.removesuffix(".json"): json.loads(entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }


def faker(seed, vendor):
    """A Faker seeded per vendor, isolated from any other Faker use (seed_instance)."""
    fake = Faker("en_US")
    fake.seed_instance(f"{seed}/{vendor}")
    return fake


class Seeds:
    """Each vendor's seed data, built once per app and shared read-only by every namespace.

    Backends copy what they keep, so a namespace never writes into the shared data.
    """

    def __init__(self, vendors, seed=0, fixtures_dir=None, fake_users=0):
        self._vendors = {module.NAME: module for module in vendors}
        self._seed = seed
        self._fixtures_dir = fixtures_dir
        self._fake_users = fake_users
        self._built = {}
        self._lock = threading.Lock()

    def get(self, vendor):
        data = self._built.get(vendor)
        if data is None:
            with self._lock:
                data = self._built.get(vendor)
                if data is None:
                    data = self._build(vendor)
                    self._built[vendor] = data
        return data

    def _build(self, vendor):
        module = self._vendors[vendor]
        data = load_fixtures(vendor, self._fixtures_dir)
        if self._fake_users:
            module.Backend.add_fake_users(data, faker(self._seed, vendor), self._fake_users)
        return data
