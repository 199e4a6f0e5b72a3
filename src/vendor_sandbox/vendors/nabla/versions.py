"""Nabla API versions: which one a request targets, and what each one's User looks like."""

# Every published version (Nabla's changelog), oldest first.
KNOWN = (
    "2024-04-22", "2024-10-01", "2024-11-08", "2024-12-23", "2025-01-07", "2025-02-25", "2025-04-03",
    "2025-05-05", "2025-05-07", "2025-05-21", "2025-07-24", "2025-08-05", "2025-11-14", "2026-02-20",
    "2026-03-16", "2026-04-24",
)
ARCHIVED = "2024-04-22"  # the Copilot API's version: email and roles, Server Keys
NO_EMAIL_ROLES_FROM = "2024-10-01"
SPECIALTY_FROM = "2026-04-24"
CURRENT = KNOWN[-1]
HEADER = "X-Nabla-Api-Version"
QUERY = "nabla-api-version"


def has_email_and_roles(version):
    return version < NO_EMAIL_ROLES_FROM


def has_specialty(version):
    return version >= SPECIALTY_FROM


def user_fields(version):
    """The User properties of `version`, in the order of Nabla's schema for it."""
    names = ["id", "activated", "external_id", "metadata", "created_at"]
    if has_email_and_roles(version):
        names += ["email", "roles"]
    if has_specialty(version):
        names.append("specialty")
    return names


def writable_fields(version, creating):
    """The body properties `version` reads on create (or on update)."""
    names = ["external_id", "metadata"]
    if creating and has_email_and_roles(version):
        names += ["email", "roles"]
    if has_specialty(version):
        names.append("specialty")
    return names
