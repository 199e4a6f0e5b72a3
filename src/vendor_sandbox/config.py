"""Embedded defaults; SANDBOX_* environment variables and create_app(config) override them."""


class DefaultConfig:
    HOST = "127.0.0.1"
    PORT = 8080
    THREADS = 16
    SEED = 0
    FIXTURES_DIR = None  # None: the fixtures packaged with vendor_sandbox
    FAKE_USERS = 0  # Faker users added per vendor, on top of the fixtures
    FROZEN_CLOCK = None  # an ISO-8601 instant: every timestamp is this until moved
    OUTBOX_SIZE = 1000  # messages kept per namespace, oldest dropped first
    ZUS_ENVIRONMENT = "sandbox"  # or "production": Zus sends no welcome e-mail there
    MAX_CONTENT_LENGTH = 1024 * 1024  # larger request bodies get the vendor's 413
    # Flask: JSON as the vendors write it, keys in the order we build them
    JSON_SORT_KEYS = False
