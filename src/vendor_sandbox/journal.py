"""The request journal: a bounded ring of vendor requests and their responses, per namespace."""

import fnmatch
import itertools
import threading
from collections import deque

from .ids import parse_instant


class Journal:
    """Newest-last entries; the oldest fall off once `size` is reached, so memory stays flat."""

    def __init__(self, size=1000):
        self._entries = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, entry, details=None):
        """Append `entry`; `details(entry)`, if given, returns the complete entry (parsed bodies,
        header dicts...) when it is first read, so that recording stays cheap on the request path."""
        with self._lock:
            self._entries.append([{"id": next(self._ids), **entry}, details])

    def entries(self, vendor=None, method=None, path=None, status=None, since=None, until=None, limit=None):
        """Oldest first; `path` is a glob, `status` a code ("404") or a class ("4xx"),
        `since`/`until` aware datetimes compared with each entry's timestamp."""
        with self._lock:
            listed = [_complete(pair) for pair in self._entries]
        return select(listed, vendor, method, path, status, since, until, limit)

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


def select(listed, vendor=None, method=None, path=None, status=None, since=None, until=None, limit=None):
    """The entries of `listed` that match every filter given (see Journal.entries)."""
    selected = [
        e for e in listed
        if (vendor is None or e["vendor"] == vendor)
        and (method is None or e["method"] == method.upper())
        and (path is None or fnmatch.fnmatchcase(e["path"], path))
        and (status is None or _status_matches(e["status"], status))
        and (since is None or parse_instant(e["timestamp"]) >= since)
        and (until is None or parse_instant(e["timestamp"]) <= until)
    ]
    return selected[-limit:] if limit else selected


def _complete(pair):
    entry, details = pair
    if details is not None:
        pair[0], pair[1] = details(entry), None
    return pair[0]


def _status_matches(code, wanted):
    wanted = str(wanted).lower()
    if len(wanted) == 3 and wanted.endswith("xx"):
        return str(code)[0] == wanted[0]
    return str(code) == wanted
