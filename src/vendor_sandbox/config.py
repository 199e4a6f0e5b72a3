"""Embedded defaults; SANDBOX_* environment variables and create_app(config) override them."""


class DefaultConfig:
    HOST = "127.0.0.1"
    PORT = 8080
    TLS_PORT = 8443  # the HTTPS port (the local CA's leaf); 0 turns it off
    DATA_DIR = None  # where the local CA is kept; None: the user's data directory (front/ca.py)
    TLS_NAMES = ""  # more names for the leaf, comma-separated (a Compose service name, say)
    # addresses or networks (comma-separated) whose X-Forwarded-*/Forwarded headers are believed
    TRUSTED_PROXIES = ""
    THREADS = 8  # bench/wsgi_servers.py: 4-16 made no consistent difference
    SEED = 0
    FIXTURES_DIR = None  # None: the fixtures packaged with vendor_sandbox
    FAKE_USERS = 0  # Faker users added per vendor, on top of the fixtures
    FROZEN_CLOCK = None  # an ISO-8601 instant: every timestamp is this until moved
    STORE_URL = None  # redis://HOST:PORT/DB (rediss://, a password): state shared by workers; None: memory
    WORKERS = 1  # serve: processes; more than one needs the shared store
    NAMESPACE_IDLE_SECONDS = 3600.0  # a namespace unused this long (real time) is forgotten; 0: never
    MAX_NAMESPACES = 1000  # beyond this, the least recently used namespace is forgotten (never "default")
    OUTBOX_SIZE = 1000  # messages kept per namespace, oldest dropped first
    JOURNAL_SIZE = 1000  # requests kept per namespace in the journal ring
    JOURNAL_BODY_LIMIT = 64 * 1024  # bytes of each request/response body the journal keeps
    JOURNAL_BYTES = 32 * 1024 * 1024  # bytes of entries one namespace's journal keeps, oldest dropped first
    JOURNAL_TOTAL_BYTES = 256 * 1024 * 1024  # bytes all journals keep together
    ZUS_ENVIRONMENT = "sandbox"  # or "production": Zus sends no welcome e-mail there
    ZUS_TOKENS_PER_HOUR = 200  # client-credentials tokens per app client per hour, then Zus's 429
    # {organization id or "*": ...}; None: each organization's fixture values
    NABLA_PINNED_VERSION = None  # the API version for calls that name none
    NABLA_RATE_LIMIT_PER_MINUTE = None  # Server API requests per minute (0: no limit)
    MAX_CONTENT_LENGTH = 1024 * 1024  # larger request bodies get the vendor's 413
    MAX_HEADER_BYTES = 64 * 1024  # a longer URI (414) or larger headers (431) get the vendor's error
    STATE_MAX_CONTENT_LENGTH = 512 * 1024 * 1024  # PUT /_sandbox/state takes whole snapshots
    ADMIN_TOKEN = None  # when set, /_sandbox/ calls that change or reveal state need it
    INSECURE = False  # serve: allow a non-loopback address without ADMIN_TOKEN
    # Host names answered besides loopback and the vendors' own (comma-separated; "*": any); bound to
    # loopback, any other Host is refused (DNS rebinding), see hostguard.py
    ALLOWED_HOSTS = ""
    VENDOR = None  # a vendor name: also serve that vendor at / (`serve --vendor hipp`)
    STATE_FILE = None  # a snapshot (GET /_sandbox/state) the default namespace starts from
    # Flask: JSON as the vendors write it, keys in the order we build them
    JSON_SORT_KEYS = False
    # Welkin blocks an API client for 5 minutes after 100 token requests in 5 minutes
    WELKIN_TOKEN_RATE_LIMIT = True
