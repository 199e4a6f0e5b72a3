"""SANDBOX_* environment variables, parsed strictly by the type of each embedded default, and the
final settings range-checked: a value the sandbox cannot mean is a startup error naming it.

Flask's own `from_prefixed_env` reads each value as JSON, so SANDBOX_INSECURE=no was the truthy
string "no" and SANDBOX_ADMIN_TOKEN=false the falsy False: insecure mode on, the guard off."""

import json

from .ids import parse_instant

PREFIX = "SANDBOX_"
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
# (lowest, highest) of each number a user may set; what is not listed only has to be a number
RANGES = {
    "PORT": (0, 65535),
    "THREADS": (1, 1024),
    "SEED": (0, 2 ** 63 - 1),
    "FAKE_USERS": (0, 10_000_000),
    "NAMESPACE_IDLE_SECONDS": (0, 10 * 365 * 24 * 3600),
    "MAX_NAMESPACES": (1, 1_000_000),
    "OUTBOX_SIZE": (1, 10_000_000),
    "JOURNAL_SIZE": (1, 10_000_000),
    "JOURNAL_BODY_LIMIT": (0, 64 * 1024 * 1024),
    "JOURNAL_BYTES": (1024, 2 ** 40),
    "JOURNAL_TOTAL_BYTES": (1024, 2 ** 40),
    "MAX_CONTENT_LENGTH": (1, 2 ** 40),
    "MAX_HEADER_BYTES": (256, 64 * 1024 * 1024),
    "STATE_MAX_CONTENT_LENGTH": (1, 2 ** 40),
}
# settings that map Nabla organization ids (or "*") to a value: JSON objects, checked by settings.py
JSON_OBJECTS = frozenset({"NABLA_PINNED_VERSION", "NABLA_RATE_LIMIT_PER_MINUTE"})
FLAGS = {"HOST": "--host", "PORT": "--port", "SEED": "--seed", "FIXTURES_DIR": "--fixtures",
         "FAKE_USERS": "--fake-users", "THREADS": "--threads", "FROZEN_CLOCK": "--frozen-clock",
         "VENDOR": "--vendor", "STATE_FILE": "--state", "INSECURE": "--insecure"}


def from_environ(defaults, environ):
    """{setting: value} for every SANDBOX_<setting> that names one of `defaults`' settings."""
    settings = {}
    for name in dir(defaults):
        if not name.isupper() or PREFIX + name not in environ:
            continue
        settings[name] = parse(name, environ[PREFIX + name], getattr(defaults, name))
    return settings


def parse(name, text, default):
    if name in JSON_OBJECTS:
        try:
            return json.loads(text)
        except ValueError:
            raise ValueError(f'{PREFIX}{name} must be a JSON object such as {{"*": ...}}, not {text!r}') from None
    kind = type(default)
    if kind is bool:
        word = text.strip().lower()
        if word in TRUE | FALSE:
            return word in TRUE
        raise ValueError(f"{PREFIX}{name} must be one of 1/0, true/false, yes/no, on/off, not {text!r}")
    if kind in (int, float):
        try:
            return kind(text.strip())
        except ValueError:
            raise ValueError(f"{PREFIX}{name} must be {'an integer' if kind is int else 'a number'}, "
                             f"not {text!r}") from None
    return text  # strings (tokens, paths, instants) are kept exactly as given


def check(config):
    """Raise ValueError naming the first setting out of its range or not of its kind."""
    for name, (low, high) in RANGES.items():
        value = config.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ValueError(f"{describe(name)} must be a number from {low} to {high}, not {value!r}")
    frozen = config.get("FROZEN_CLOCK")
    if frozen:
        try:
            parse_instant(str(frozen))
        except ValueError:
            raise ValueError(f"{describe('FROZEN_CLOCK')} must be an ISO-8601 instant such as "
                             f"2025-01-15T10:30:00Z, not {frozen!r}") from None


def describe(name):
    """How a user sets `name`: its flag and its variable, or the variable alone."""
    flag = FLAGS.get(name)
    return f"{flag} ({PREFIX}{name})" if flag else f"{PREFIX}{name}"
