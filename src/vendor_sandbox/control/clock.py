"""/_sandbox/clock: the time of one namespace."""

from datetime import timedelta

from flask import request

from ..errors import SandboxError
from ..ids import iso_millis
from ..store import current_namespace
from .routes import blp

MAX_STEP = 100 * 365 * 24 * 3600  # seconds the clock moves at once: a century
MOVES = {"advance", "set", "unfreeze"}


@blp.get("/clock")
def clock():
    """The namespace's clock, which its vendors read for timestamps and token expiry."""
    return _clock_document()


@blp.post("/clock")
def move_clock():
    """Move this namespace's clock: {"advance": seconds} or {"set": ISO-8601} freezes it there;
    {"unfreeze": true} gives it the process clock (the wall clock, or --frozen-clock) back."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or len(body) != 1 or not set(body) <= MOVES:
        raise _invalid_clock('give {"advance": seconds}, {"set": "2025-01-15T10:30:00Z"} '
                             'or {"unfreeze": true}')
    clock = current_namespace().clock
    try:
        if "advance" in body:
            seconds = body["advance"]
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) \
                    or not abs(seconds) <= MAX_STEP:
                raise ValueError(seconds)
            clock.advance(timedelta(seconds=seconds))
        elif "set" in body and isinstance(body["set"], str):
            clock.set(body["set"])
        elif body.get("unfreeze") is True:
            clock.unfreeze()
        else:
            raise ValueError(body)
    except (ValueError, OverflowError):
        raise _invalid_clock(f"advance takes seconds (at most {MAX_STEP} either way), set an ISO-8601 "
                             "instant, unfreeze true") from None
    return _clock_document()


def _clock_document():
    clock = current_namespace().clock
    now = clock.now()
    return {"now": iso_millis(now), "epoch": now.timestamp(), "frozen": clock.frozen}


def _invalid_clock(message):
    return SandboxError(400, "invalid_clock", message)
