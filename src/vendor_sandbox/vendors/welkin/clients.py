"""API clients minted or registered through POST /_sandbox/credentials."""

import string

from ...bindings import CredentialTaken, InvalidCredential, check_fields, pair, subset, text


def new_api_client(tenants, clients, source, fields, reserve):
    """An API client of `tenant` for `instances` with `permissions` (Admin Access), every one by
    default; `apiClient` and `secret` may be ones the caller already has. Everything is checked
    before `reserve(keys)` binds it and anything is written."""
    from .backend import USER_ATTRIBUTES, USER_PROVISION, USER_REGIONS, USER_SECURITY  # it imports us

    permissions_known = (USER_PROVISION, USER_ATTRIBUTES, USER_SECURITY, USER_REGIONS)
    check_fields(fields, {"tenant", "instances", "permissions", "name", "apiClient", "secret"})
    tenant = tenants.get(text(fields, "tenant", default=tenants.list()[0]["name"]))
    if tenant is None:
        raise InvalidCredential(f"tenant must be one of: {', '.join(t['name'] for t in tenants.list())}")
    instances = subset(fields, "instances", tuple(tenant["instances"]), default=tenant["instances"])
    permissions = subset(fields, "permissions", permissions_known, default=permissions_known)
    pair(fields, "apiClient", "secret")
    # Welkin's client names are 12 capitals (MTNKDGUAGPUE); a registered one may be anything printable
    api_client = text(fields, "apiClient", pattern=r"[\x21-\x7e]{1,256}", hint="printable ASCII without spaces") \
        or source.string(12, string.ascii_uppercase)
    secret = text(fields, "secret", pattern=r"[\x21-\x7e]{1,512}", hint="printable ASCII without spaces") \
        or source.token(20)
    name = text(fields, "name", default=f"Minted client ({tenant['name']})")
    if clients.get(api_client) is not None:
        raise CredentialTaken(f"welkin API client {api_client!r} already exists")
    reserve([f"client:{api_client}"])
    client = {"id": source.uuid4(), "name": name, "tenant": tenant["name"], "apiClient": api_client,
              "secret": secret, "instances": list(instances), "permissions": list(permissions)}
    clients.put(api_client, client)
    return {"name": name, "tenant": tenant["name"], "instances": list(instances), "apiClient": api_client,
            "secret": secret}
