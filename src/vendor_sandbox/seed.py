"""Seed data: the packaged fixtures (or SANDBOX_FIXTURES_DIR) plus Faker volume, by seed."""

import importlib.resources
import json
import threading
import uuid
from pathlib import Path


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
    from faker import Faker  # only --fake-users needs it: keep it off the start-up path

    fake = Faker("en_US")
    fake.seed_instance(f"{seed}/{vendor}")
    return fake


class FakeDraws:
    """Faker values for `count` volume users, fast and deterministic by the Faker's seed.

    A Faker call costs tens of microseconds, so 100k users calling it ten times each took a
    minute: each kind of value is drawn from Faker once into a pool instead, and users pick
    from the pools, and draw ids and digits, with the same seeded Faker's own random.
    """

    POOL = 1000

    def __init__(self, fake, count):
        self.random = fake.random
        self._fake = fake
        self._size = max(1, min(count, self.POOL))
        self._pools = {}

    def pick(self, kind):
        """A value of Faker's provider `kind` ("first_name", "city"...), from its pool."""
        pool = self._pools.get(kind)
        if pool is None:
            draw = getattr(self._fake, kind)
            pool = self._pools[kind] = [draw() for _ in range(self._size)]
        return pool[int(self.random.random() * self._size)]

    def choice(self, values):
        return values[int(self.random.random() * len(values))]

    def uuid4(self):
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def digits(self, length):
        return f"{int(self.random.random() * 10 ** length):0{length}d}"

    def string(self, length, alphabet):
        return "".join(self.random.choices(alphabet, k=length))


class Seeds:
    """Each vendor's fixtures, loaded once per app and shared read-only by every namespace.

    Backends copy what they keep, so a namespace never writes into the shared data. Faker
    volume is added only for the vendor's template (`with_volume`) and not kept: namespaces
    are layered over the template and never read the seed's users again.
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
                    data = self._built[vendor] = load_fixtures(vendor, self._fixtures_dir)
        return data

    def with_volume(self, vendor):
        """The fixtures plus the Faker users, built afresh (a shallow copy: `add_fake_users`
        replaces the lists it extends, possibly with one-pass iterators read once by the Backend)."""
        data = self.get(vendor)
        if not self._fake_users:
            return data
        data = dict(data)
        fake = FakeDraws(faker(self._seed, vendor), self._fake_users)
        self._vendors[vendor].Backend.add_fake_users(data, fake, self._fake_users)
        return data
