"""The Redis connection: short timeouts, and an unreachable Redis as the vendors' 503."""

import functools
import logging
import os

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from werkzeug.exceptions import ServiceUnavailable

from .. import redact

# A request waits at most this long for Redis before its vendor answers 503: never a hang.
SOCKET_TIMEOUT = 2.0
CONNECT_TIMEOUT = 1.0
# what a lost connection is retried with: a restarting Redis is back within a request, a dead one
# costs two quick attempts; a timeout is not retried (the command may have run)
RETRY = Retry(ExponentialBackoff(cap=0.2, base=0.02), 2, supported_errors=(redis.ConnectionError,))
# NoPermissionError: an ACL user without a command or key the store needs (README, "Shared
# store"): the vendors' 503 and a log line naming what was refused, never a 500
UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, redis.exceptions.NoPermissionError)
LOG = logging.getLogger("vendor_sandbox.redis")
# the URL options that name a file: one missing is a typo that no retry mends, not an outage
FILE_OPTIONS = ("ssl_ca_certs", "ssl_ca_path", "ssl_certfile", "ssl_keyfile")


class StoreUnavailable(ServiceUnavailable):
    """Raised from the store layer; each vendor's render_error answers it in its own shape."""

    description = "The sandbox's shared store (Redis) is unreachable; retry shortly."


def connect(url):
    """A client for `url` (redis://, rediss://, unix://; a user and password in the URL work, and
    redis-py's options as query parameters: `?ssl_ca_certs=/path/ca.pem` is the CA that Redis's
    certificate must chain to, checked with its host name by default).

    Tried once here, so that what no retry can mend (a wrong password, a CA file that is not there,
    an option redis-py does not take, a user the ACL forbids even PING) is one line at startup
    rather than a 503 or a 500 on every request; a Redis that is merely unreachable (or whose
    certificate is refused) is only logged: the sandbox starts, and answers 503 until it can reach it.

    No client-side cache: redis-py's needs Redis 7.4, and Debian 12 ships 7.0."""
    try:
        options = redis.connection.parse_url(url)
    except ValueError as error:
        raise ValueError(f"{redacted(url)}: {error}") from None
    for name in FILE_OPTIONS:
        if name in options and not os.path.exists(options[name]):
            raise ValueError(f"{redacted(url)}: {name} {options[name]} does not exist")
    client = redis.Redis.from_url(
        url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=CONNECT_TIMEOUT,
        retry=RETRY, retry_on_error=[redis.ConnectionError], health_check_interval=30,
        max_connections=64, decode_responses=False)
    try:
        client.ping()
    except redis.AuthenticationError as error:  # a ConnectionError too: before the outage case
        raise ValueError(f"{redacted(url)} refused the user name or password in the URL: {error}") from None
    except UNAVAILABLE as error:
        LOG.warning("redis at %s unreachable at start (vendors answer 503 until it is): %s",
                    redacted(url), error)
    except (redis.RedisError, TypeError) as error:  # NOPERM; an option the connection does not take
        raise ValueError(f"{redacted(url)} cannot be used: {error}") from None
    return client


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
    return redact.url(url)
