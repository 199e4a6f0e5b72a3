"""A vendor request answered again when what it assumed turned out false at its COMMIT.

To save round trips a request on the shared store assumes two things it usually finds
(unit.py): a unique claim it makes is free, and a key built from an id it just drew is not taken.
It does not ask Redis; COMMIT checks both before writing anything. When one was false (another
request took the e-mail meanwhile, or the drawn id collided), nothing of the request was
written, and this middleware runs the request again, from the same bytes, asking Redis at each
step as it goes: the vendor's code then sees the claim lost (its conflict answer) or the
collision (it draws again). The client sees one request and one answer, the journal one entry.

A request is answered again at most once for what it assumed, and without its fault rules then
(they were read, and did not fire; a forced delay is not slept twice). A request that guessed its
state (unit.py) and guessed wrong read no fault rules: it runs again as any request, its state
and rules read first (its claims may still be assumed, and answered once more when taken); so
does one that raced (another request changed a record it guessed, or took its number).
"""

import io

from ..store import SECOND_RUN
from . import unit

REPLAYABLE = "vendor_sandbox.replayable"  # in the environ of a first run: it may assume
STATE_READ = "vendor_sandbox.state_read"  # its guessed state was wrong: this run reads it


def replaying(wsgi_app, is_vendor_path, max_body):
    """`wsgi_app` with vendor requests answered again when COMMIT says so; `max_body()`: the
    largest body a vendor request may have (a larger one is refused unread, as before)."""
    def app(environ, start_response):
        if not is_vendor_path(environ.get("PATH_INFO", "")):
            return wsgi_app(environ, start_response)
        limit = max_body()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or (limit is not None and length > limit):
            return wsgi_app(environ, start_response)  # refused (limits.py) before any view reads it
        # the body, kept for a second run
        if length:
            body = environ["wsgi.input"].read(length)
        elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream
            body = environ["wsgi.input"].read() if limit is None else environ["wsgi.input"].read(limit + 1)
            if limit is not None and len(body) > limit:  # too large: refused, not answered twice
                return wsgi_app(_fresh(environ, body), start_response)
        else:
            body = b""
        # each run gets a copy of `environ` (the app may change its copy): `environ` stays as it came
        unit.clear_replay()  # nothing left by a request that died on this thread
        first = _run(wsgi_app, _fresh(environ, body, {REPLAYABLE: True}))
        again = unit.take_replay()
        if again in (unit.GUESSED, unit.RACED):
            first = _run(wsgi_app, _fresh(environ, body, {REPLAYABLE: True, STATE_READ: True}))
            again = unit.take_replay()
        if not again:
            return _answer(first, start_response)
        return _answer(_run(wsgi_app, _fresh(environ, body, {SECOND_RUN: True})), start_response)

    return app


def _fresh(environ, body, extra=None):
    # the input ends where the body does, as a terminated input may
    return {**environ, **(extra or {}), "wsgi.input": io.BytesIO(body)}


def _run(wsgi_app, environ):
    """(status, headers, exc_info, body chunks) of one run, the body read whole."""
    captured = {}
    chunks = []

    def start_response(status, headers, exc_info=None):
        captured.update(status=status, headers=headers, exc_info=exc_info)
        return chunks.append

    result = wsgi_app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], captured["exc_info"], chunks


def _answer(run, start_response):
    status, headers, exc_info, chunks = run
    start_response(status, headers, exc_info)
    return chunks
