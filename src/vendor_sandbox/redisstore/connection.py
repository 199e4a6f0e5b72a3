"""The Redis connection: short timeouts, and an unreachable Redis as the vendors' 503."""

import functools
import logging
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from werkzeug.exceptions import ServiceUnavailable

# A request waits at most this long for Redis before its vendor answers 503: never a hang.
SOCKET_TIMEOUT = 2.0
CONNECT_TIMEOUT = 1.0
# what a lost connection is retried with: a restarting Redis is back within a request, a dead one
# costs two quick attempts; a timeout is not retried (the command may have run)
RETRY = Retry(ExponentialBackoff(cap=0.2, base=0.02), 2, supported_errors=(redis.ConnectionError,))
UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
LOG = logging.getLogger("vendor_sandbox.redis")


class StoreUnavailable(ServiceUnavailable):
    """Raised from the store layer; each vendor's render_error answers it in its own shape."""

    description = "The sandbox's shared store (Redis) is unreachable; retry shortly."


def connect(url):
    """A client for `url` (redis://, rediss://, unix://; a password in the URL works).

    No client-side cache: redis-py's needs Redis 7.4, and Debian 12 ships 7.0."""
    return redis.Redis.from_url(
        url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=CONNECT_TIMEOUT,
        retry=RETRY, retry_on_error=[redis.ConnectionError], health_check_interval=30,
        max_connections=64, decode_responses=False)


def guarded(method):
    """Turn Redis being unreachable into StoreUnavailable (a 503 in the vendor's shape)."""

    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except UNAVAILABLE as error:
            LOG.warning("redis unavailable: %s", error)
            raise StoreUnavailable() from None

    return call


def redacted(url):
    """`url` without its password, for /_sandbox/health and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username + ':' if parts.username else ':'}***@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))
