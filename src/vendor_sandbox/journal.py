"""The request journal: a bounded ring of vendor requests and their responses, per namespace."""

import fnmatch
import itertools
import threading
import weakref
from collections import deque
from urllib.parse import parse_qs

from werkzeug.wrappers import Request

from . import redact, strictjson
from .ids import parse_instant

FORM = "application/x-www-form-urlencoded"


class Budget:
    """The bytes every journal of a store may hold together; over it, the journal holding the
    most gives up its oldest entries first."""

    def __init__(self, limit):
        self.limit = limit
        self.used = 0
        self._journals = weakref.WeakSet()  # a forgotten namespace's journal leaves with it
        self._lock = threading.Lock()

    def join(self, journal):
        with self._lock:
            self._journals.add(journal)

    def charge(self, size):
        with self._lock:
            self.used += size
            if self.used <= self.limit:
                return
            journals = list(self._journals)
        while self.used > self.limit and journals:
            largest = max(journals, key=lambda j: j.bytes)
            if not largest.bytes or not largest.drop_oldest():
                journals.remove(largest)

    def refund(self, size):
        with self._lock:
            self.used -= size


class Journal:
    """Newest-last entries; the oldest fall off once `size` entries or `max_bytes` are reached
    (or the store's `budget` of bytes for all journals), so memory stays flat."""

    def __init__(self, size=1000, max_bytes=None, budget=None):
        self._entries = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._budget = budget
        self.bytes = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        if budget is not None:
            budget.join(self)

    def record(self, entry, raw=None, size=0):
        """Append `entry`; `raw`, if given, is what `complete` makes the complete entry of (parsed
        bodies, header dicts...) when it is first read, so that recording stays cheap on the request path.
        `size` is what the entry holds in bytes (bodies, headers), counted against the bounds."""
        with self._lock:
            self._entries.append([{"id": next(self._ids), **entry}, raw, size])
            self.bytes += size
            while len(self._entries) > self._size or (
                    self._max_bytes is not None and self.bytes > self._max_bytes and len(self._entries) > 1):
                self._pop()
        if self._budget is not None:
            self._budget.charge(size)

    def drop_oldest(self):
        """Forget the oldest entry (for the store's budget); False when empty."""
        with self._lock:
            if not self._entries:
                return False
            self._pop()
            return True

    def _pop(self):
        size = self._entries.popleft()[2]
        self.bytes -= size
        if self._budget is not None:
            self._budget.refund(size)

    def entries(self, vendor=None, method=None, path=None, status=None, since=None, until=None, limit=None):
        """Oldest first; `path` is a glob, `status` a code ("404") or a class ("4xx"),
        `since`/`until` aware datetimes compared with each entry's timestamp."""
        with self._lock:
            listed = [_complete(pair) for pair in self._entries]
        return select(listed, vendor, method, path, status, since, until, limit)

    def clear(self):
        with self._lock:
            while self._entries:
                self._pop()

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
    entry, raw = pair[0], pair[1]
    if raw is not None:
        pair[0], pair[1] = complete(entry, raw), None
    return pair[0]


def _status_matches(code, wanted):
    wanted = str(wanted).lower()
    if len(wanted) == 3 and wanted.endswith("xx"):
        return str(code)[0] == wanted[0]
    return str(code) == wanted


def complete(entry, raw):
    """The complete journal entry: `entry` and what `raw` (after_vendor_request) kept, parsed,
    with every secret redacted."""
    recorded = Request(raw["environ"])
    return {
        "id": entry["id"],
        "vendor": entry["vendor"],
        "method": entry["method"],
        "path": entry["path"],
        "query": redact.query(recorded.args.to_dict(flat=False)),
        "headers": redact.headers(recorded.headers.items()),
        "body": _body(raw["body"], recorded.mimetype),
        "status": entry["status"],
        "responseHeaders": redact.headers(raw["responseHeaders"]),
        "responseBody": _body(raw["sent"], raw["responseType"]),
        "durationMs": entry["durationMs"],
        "timestamp": entry["timestamp"],
    }


def _body(kept, mimetype):
    """Parsed JSON when the bytes are JSON, {name: [values]} for a form, else text; cut at the
    journal's limit; secrets redacted in each."""
    if not kept:
        return None
    text, length = kept
    data = text.encode("latin-1")
    text = data.decode("utf-8", "replace")
    if length > len(data):
        return redact.text(text) + f"... [{length - len(data)} more bytes]"
    if mimetype == FORM:
        return redact.query(parse_qs(text, keep_blank_values=True))
    try:
        return redact.document(strictjson.loads(data))
    except ValueError:
        return redact.text(text)
