"""The messages vendors "sent" (e-mails, SMS), kept per namespace for /_sandbox/outbox."""

import threading
from collections import deque

from .ids import iso_millis


class Outbox:
    """A bounded, newest-last list of sent messages; each call is atomic."""

    def __init__(self, clock, size=1000):
        self._clock = clock
        self._messages = deque(maxlen=size)
        self._lock = threading.Lock()

    def send(self, vendor, to, kind, subject, body):
        message = {"vendor": vendor, "to": to, "kind": kind, "subject": subject, "body": body,
                   "sentAt": iso_millis(self._clock.now())}
        with self._lock:
            self._messages.append(message)
        return message

    def messages(self, vendor=None, to=None):
        with self._lock:
            listed = list(self._messages)
        return matching(listed, vendor, to)

    def replace(self, messages):
        with self._lock:
            self._messages.clear()
            self._messages.extend(dict(m) for m in messages)

    def clear(self, vendor=None):
        with self._lock:
            kept = [m for m in self._messages if vendor is not None and m["vendor"] != vendor]
            self._messages.clear()
            self._messages.extend(kept)


def matching(listed, vendor=None, to=None):
    """The messages of `listed` sent by `vendor` to `to` (any case), when given."""
    return [m for m in listed
            if (vendor is None or m["vendor"] == vendor)
            and (to is None or m["to"].casefold() == to.casefold())]


class VendorOutbox:
    """What a backend holds: the namespace's outbox, bound to the vendor's name."""

    def __init__(self, outbox, vendor):
        self._outbox = outbox
        self._vendor = vendor

    def send(self, to, kind, subject, body):
        return self._outbox.send(self._vendor, to, kind, subject, body)
