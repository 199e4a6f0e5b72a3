"""The settings a test may vary per namespace, over the process's own (config.py, SANDBOX_*).

A namespace's settings are a live overlay on the process settings: backends read them when a
request needs them, so a change takes effect on the namespace's next request and nowhere else.
"""

import re
from collections import ChainMap
from datetime import date

from .errors import SandboxError

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
ALL_ORGANIZATIONS = "*"


def _choice(*choices):
    def check(value):
        if not isinstance(value, str) or value.lower() not in choices:
            raise ValueError(f"one of: {', '.join(choices)}")
        return value.lower()
    return check


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _integer(low, high):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"an integer from {low} to {high}")
        return value
    return check


def _version(value):
    try:
        # a real day: 2025-02-30 is refused here, not by the namespace's next request
        if not isinstance(value, str) or not _DATE_RE.fullmatch(value) or not date.fromisoformat(value):
            raise ValueError
    except ValueError:
        raise ValueError("a date, YYYY-MM-DD") from None
    return value


def _per_organization(check, what):
    """{organization id or "*": value}: "*" stands for every organization without its own entry."""
    def checked(value):
        if not isinstance(value, dict) or not all(isinstance(k, str) and 0 < len(k) <= 64 for k in value):
            raise ValueError(f'an object of organization ids (or "*") to {what}')
        try:
            return {key: None if item is None else check(item) for key, item in value.items()}
        except ValueError as error:
            raise ValueError(f'an object of organization ids (or "*") to {what}: {error}') from None
    return checked


# name in the control plane -> (config key, check, what it changes)
SETTINGS = {
    "zus_environment": ("ZUS_ENVIRONMENT", _choice("sandbox", "production"),
                        "Zus's environment: its token audience, and whether new users get a welcome e-mail"),
    "zus_tokens_per_hour": ("ZUS_TOKENS_PER_HOUR", _integer(1, 1_000_000),
                            "client-credentials tokens one Zus app client may get per hour"),
    "welkin_token_rate_limit": ("WELKIN_TOKEN_RATE_LIMIT", _boolean,
                                "Welkin's block after 100 token requests in 5 minutes"),
    "nabla_pinned_version": ("NABLA_PINNED_VERSION", _per_organization(_version, "an API version"),
                             "the API version a Nabla organization is pinned to, for calls without one"),
    "nabla_rate_limit_per_minute": ("NABLA_RATE_LIMIT_PER_MINUTE",
                                    _per_organization(_integer(0, 10**6), "requests per minute (0: none)"),
                                    "a Nabla organization's Server API requests per minute"),
}


def per_organization(settings, key, organization, default):
    """The value a per-organization setting gives `organization`, else `default` (its fixture's)."""
    values = settings.get(key) or {}
    value = values.get(organization, values.get(ALL_ORGANIZATIONS))
    return default if value is None else value


class Overlay(ChainMap):
    """A namespace's settings: its own values (maps[0]) first, then the process's (maps[1])."""

    def get(self, key, default=None):
        # ChainMap's own get costs ~1.5 us (a generator over the maps); backends call this per request
        own = self.maps[0]
        return own[key] if key in own else self.maps[1].get(key, default)

    def apply(self, changes):
        """Set the namespace's own values ({config key: value}; None gives the process's back)."""
        own = self.maps[0]
        for key, value in changes.items():
            if value is None:
                own.pop(key, None)
            else:
                own[key] = value


def overlay(process_settings):
    return Overlay({}, process_settings)


def document(settings):
    return {
        "settings": {name: settings.get(key) for name, (key, _, _) in SETTINGS.items()},
        "overridden": sorted(name for name, (key, _, _) in SETTINGS.items() if key in settings.maps[0]),
    }


def patch(settings, body):
    """Apply a JSON merge patch (RFC 7396) of settings: a value replaces the namespace's own,
    null gives the process setting back. Every value is checked before any is applied."""
    if not isinstance(body, dict) or not body:
        raise _invalid(f"give a JSON object of settings, such as {{\"zus_environment\": \"production\"}}; "
                       f"known: {', '.join(SETTINGS)}")
    unknown = sorted(set(body) - set(SETTINGS))
    if unknown:
        raise _invalid(f"unknown settings: {', '.join(unknown)}; known: {', '.join(SETTINGS)}")
    changes = {}
    for name, value in body.items():
        key, check, _ = SETTINGS[name]
        try:
            changes[key] = None if value is None else check(value)
        except ValueError as error:
            raise _invalid(f"{name} must be {error}") from None
    settings.apply(changes)


def check_process_settings(config):
    """Refuse a bad SANDBOX_* value at start-up rather than on the first request that reads it."""
    for name, (key, check, _) in SETTINGS.items():
        value = config.get(key)
        if value is not None:
            try:
                check(value)
            except ValueError as error:
                raise ValueError(f"SANDBOX_{key} ({name}) must be {error}, not {value!r}") from None


def _invalid(message):
    return SandboxError(400, "invalid_settings", message)
