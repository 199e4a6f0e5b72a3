"""POST /_sandbox/credentials: mint or register a credential bound to the request's namespace."""

from flask import request

from ..bindings import COLLECTION, CredentialTaken, InvalidCredential
from ..errors import SandboxError
from ..store import get_store, namespace_name


def register(blp):
    blp.post("/credentials")(new_credentials)


def new_credentials():
    """Mint fresh credentials of `vendor` in this namespace, or register ones the caller already
    has; every request made with them (or with a token obtained through them) lands here,
    whatever its host, path or header. 201 with the entry as GET /_sandbox/credentials lists it."""
    body = request.get_json(silent=True)
    store = get_store()
    if not isinstance(body, dict) or body.get("vendor") not in store.vendors:
        raise SandboxError(400, "invalid_credentials",
                           f'expected a JSON object such as {{"vendor": "hipp"}}; vendor is one of: '
                           f'{", ".join(store.vendors)}')
    vendor = body["vendor"]
    fields = {name: value for name, value in body.items() if name != "vendor"}
    namespace = store.namespace(namespace_name())
    reserved = []

    def reserve(keys):
        store.bindings.reserve(vendor, keys, namespace.name)
        reserved.extend(keys)

    try:
        entry = namespace.backend(vendor).new_credential(fields, reserve)
    except Exception as error:
        store.bindings.release_keys(vendor, reserved, namespace.name)  # nothing half-written
        if isinstance(error, InvalidCredential):
            raise SandboxError(400, "invalid_credentials", str(error)) from None
        if isinstance(error, CredentialTaken):
            raise SandboxError(409, "credential_exists", str(error)) from None
        raise
    bound = namespace.state(vendor).collection(COLLECTION)
    for key in reserved:
        bound.put(key, {})
    return entry, 201
