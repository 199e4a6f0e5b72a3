"""The hidden-set versions a request observed (redisstore/collection.py reads by them).

Which seeded records a namespace replaced or deleted (its collections' hidden sets) is cached by
each worker at a version; a vendor request learns the versions with its first round trip (or
guesses them, logs.py), and until the request ends a seeded record whose collection's hidden set
is cached at that version is read with no round trip at all.
"""

import threading
import time

VERSION_COUNTER = "vs:versions"  # never reset: a version names one state of a hidden set for good
TRUST_SECONDS = 1.0  # how long a request trusts the versions it observed at its start
_observed = threading.local()


def observe(versions_key, versions):
    """The hidden-set versions of one vendor in one namespace, read at the start of this thread's
    request (with the fault rules, in the same round trip): until `forget`, a base key whose
    collection's hidden set is cached at that version is read with no round trip."""
    _observed.versions = (versions_key, versions, time.monotonic())


def forget():
    _observed.versions = None


def observed_version(versions_key, name):
    seen = getattr(_observed, "versions", None)
    if seen is None or seen[0] != versions_key or time.monotonic() - seen[2] > TRUST_SECONDS:
        return None
    return seen[1].get(name.encode(), b"0")


