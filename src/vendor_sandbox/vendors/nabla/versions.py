"""Nabla API versions: which one a request targets, and what each one's User looks like.

One table (every version Nabla's changelog lists) and one rule (`resolve`): a well-formed date
targets the newest published version on or before it, so a date later than our newest (clients
send versions Nabla published after this table) behaves as our newest. docs/fidelity.md records it.
"""

import re
from datetime import date

# Every published version (Nabla's changelog: "2023-06-26 — First version of the API"), oldest first.
KNOWN = (
    "2023-06-26", "2024-02-27", "2024-04-22", "2024-10-01", "2024-11-08", "2024-12-23", "2025-01-07",
    "2025-02-25", "2025-04-03", "2025-05-05", "2025-05-07", "2025-05-21", "2025-07-24", "2025-08-05",
    "2025-11-14", "2026-02-20", "2026-03-16", "2026-04-24",
)
FIRST, CURRENT = KNOWN[0], KNOWN[-1]
ARCHIVED = "2024-04-22"  # the Copilot API's version: email and roles, Server Keys
ACTIVATION_FROM = "2024-02-27"  # activate/deactivate, get one user, list users, `activated`
EXTERNAL_ID_FROM = "2024-04-22"  # find_by_external_id, PATCH; `external_id`, `metadata`, `created_at`
NO_EMAIL_ROLES_FROM = "2024-10-01"
SPECIALTY_FROM = "2026-04-24"
HEADER = "X-Nabla-Api-Version"
QUERY = "nabla-api-version"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.A)
# (method, path under the Server API) -> the version that added it; the rest date from the first
INTRODUCED = {
    ("GET", "/users"): ACTIVATION_FROM,
    ("GET", "/users/<user_id>"): ACTIVATION_FROM,
    ("POST", "/users/<user_id>/activate"): ACTIVATION_FROM,
    ("POST", "/users/<user_id>/deactivate"): ACTIVATION_FROM,
    ("PATCH", "/users/<user_id>"): EXTERNAL_ID_FROM,
    ("GET", "/users/find_by_external_id/<path:external_id>"): EXTERNAL_ID_FROM,
}


class Malformed(ValueError):
    """Not a version at all: not a calendar date, nor one of the published values."""


class BeforeFirst(ValueError):
    """A well-formed date before Nabla's first version: no version (and so no endpoint) exists."""


def resolve(value):
    """The published version that `value` targets (see the module docstring)."""
    if value in KNOWN:
        return value
    if not _DATE.fullmatch(value):
        raise Malformed(value)
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Malformed(value) from None
    if value < FIRST:
        raise BeforeFirst(value)
    return max(v for v in KNOWN if v <= value)


def serves(version, method, rule):
    """Whether `version` has the endpoint (Nabla answers 404 for one it removed or does not have yet)."""
    return version >= INTRODUCED.get((method, rule), FIRST)


def has_email_and_roles(version):
    return version < NO_EMAIL_ROLES_FROM


def has_specialty(version):
    return version >= SPECIALTY_FROM


def user_fields(version):
    """The User properties of `version`, in the order of Nabla's schema for it."""
    names = ["id"]
    if version >= ACTIVATION_FROM:
        names.append("activated")
    if version >= EXTERNAL_ID_FROM:
        names += ["external_id", "metadata", "created_at"]
    if has_email_and_roles(version):
        names += ["email", "roles"]
    if has_specialty(version):
        names.append("specialty")
    return names


def writable_fields(version, creating):
    """The body properties `version` reads on create (or on update)."""
    names = ["external_id", "metadata"] if version >= EXTERNAL_ID_FROM else []
    if creating and has_email_and_roles(version):
        names += ["email", "roles"]
    if has_specialty(version):
        names.append("specialty")
    return names
