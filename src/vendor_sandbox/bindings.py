"""Namespaces bound to credentials.

A credential minted (or registered) through POST /_sandbox/credentials belongs to the namespace
that asked for it: every request made with it, or with a token obtained through it, lands there
whatever its host, path or header, so that unchanged client code is isolated by its
configuration alone. Which credential a request carries is vendor knowledge: each vendor package
exports `credential_keys(request)` (in its auth.py), the keys its backend's `new_credential`
reserves. This module holds the process-wide map from (vendor, key) to namespace, and the little
shared parsing those functions need. The credentials themselves live in the vendors' collections;
each namespace also keeps the keys it owns in its COLLECTION, so that a snapshot carries them and
importing it binds them again.
"""

import base64
import json
import re
import threading

COLLECTION = "bound_credentials"


class InvalidCredential(ValueError):
    """A body POST /_sandbox/credentials cannot mint from (400)."""


class CredentialTaken(ValueError):
    """A credential to register that already exists, here or in another namespace (409)."""


class Bindings:
    """(vendor, key) -> namespace name, and back, behind one lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._owners = {}
        self._keys = {}

    def __bool__(self):
        return bool(self._owners)

    def owner(self, vendor, key):
        return self._owners.get((vendor, key))

    def reserve(self, vendor, keys, namespace):
        """Bind every key to `namespace`, or none of them if any is bound already."""
        pairs = [(vendor, key) for key in keys]
        with self._lock:
            taken = [key for v, key in pairs if (v, key) in self._owners]
            if taken:
                raise CredentialTaken(f"{vendor} credential {taken[0]!r} is already bound to a namespace")
            for pair in pairs:
                self._owners[pair] = namespace
            self._keys.setdefault(namespace, set()).update(pairs)

    def release(self, namespace, vendor=None):
        """Unbind what `namespace` holds (of `vendor` only, if given): it was reset or dropped."""
        with self._lock:
            held = self._keys.get(namespace, set())
            for pair in [p for p in held if vendor is None or p[0] == vendor]:
                held.discard(pair)
                if self._owners.get(pair) == namespace:
                    del self._owners[pair]
            if not held:
                self._keys.pop(namespace, None)

    def release_keys(self, vendor, keys, namespace):
        """Undo a `reserve` whose credential was not written after all."""
        with self._lock:
            for key in keys:
                if self._owners.get((vendor, key)) == namespace:
                    del self._owners[(vendor, key)]
                    self._keys.get(namespace, set()).discard((vendor, key))

    def rebind(self, namespace, pairs):
        """After a snapshot import: `namespace` holds exactly `pairs`, taken from wherever they were."""
        self.release(namespace)
        with self._lock:
            for pair in pairs:
                previous = self._owners.get(pair)
                if previous is not None and previous != namespace:
                    self._keys.get(previous, set()).discard(pair)
                self._owners[pair] = namespace
            if pairs:
                self._keys.setdefault(namespace, set()).update(pairs)


def request_namespace(store, req):
    """The namespace the credential of `req` is bound to, or None.

    Costs nothing until a credential is bound; then the request's vendor reads its credential.
    """
    bindings = store.bindings
    if not bindings:
        return None
    vendor = store.vendor_for(req.path)
    extract = getattr(vendor, "credential_keys", None)
    if extract is None:
        return None
    try:
        keys = extract(req)
    except Exception:  # a body we cannot read is the vendor view's to refuse, in its shape
        return None
    for key in keys:
        owner = bindings.owner(vendor.NAME, key)
        if owner is not None:
            return owner
    return None


def bound_pairs(states):
    """The (vendor, key) pairs recorded in `states` ({vendor: VendorState})."""
    return [(vendor, key) for vendor, state in states.items()
            for key, _ in state.collection(COLLECTION).dump()["records"]]


# -- shared parsing for the vendors' credential_keys ------------------------------------------

def bearer(req):
    """The token of `Authorization: Bearer <token>`, or None."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def unverified_claims(token):
    """The payload of a JWT, unverified ({} if it is none): only to find where it belongs; the
    vendor's own check then verifies it in that namespace."""
    parts = token.split(".") if token else ()
    if len(parts) != 3:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return {}
    return claims if isinstance(claims, dict) else {}


def body_field(req, name):
    """A string field of a form body, else of a JSON one whatever its Content-Type (as the
    vendors' token endpoints read them), or None."""
    if req.mimetype == "application/x-www-form-urlencoded":
        value = req.form.get(name)
    else:
        body = req.get_json(force=True, silent=True)
        value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


# -- shared validation for the vendors' new_credential -----------------------------------------

def check_fields(fields, allowed):
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidCredential(f"unknown fields: {', '.join(unknown)}; this vendor takes: "
                                f"{', '.join(sorted(allowed))}")


def text(fields, name, default=None, pattern=None, hint="a non-empty string"):
    """fields[name] as a string matching `pattern` (a regex), else `default` when absent."""
    if fields.get(name) is None:
        return default
    value = fields[name]
    if not isinstance(value, str) or not value.strip() or len(value) > 4096 \
            or (pattern is not None and not re.fullmatch(pattern, value)):
        raise InvalidCredential(f"{name} must be {hint}")
    return value


def one_of(fields, name, choices, default):
    value = fields.get(name, default)
    if value not in choices:
        raise InvalidCredential(f"{name} must be one of: {', '.join(choices)}")
    return value


def subset(fields, name, choices, default):
    """A non-empty list of distinct values among `choices`, else `default` when absent."""
    if fields.get(name) is None:
        return list(default)
    values = fields[name]
    if not isinstance(values, list) or not values or len(set(map(str, values))) != len(values) \
            or not all(isinstance(v, str) and v in choices for v in values):
        raise InvalidCredential(f"{name} must be a non-empty list of distinct values among: {', '.join(choices)}")
    return values


def pair(fields, first, second):
    """Both of two fields that go together (an id and its secret), or neither."""
    if (fields.get(first) is None) != (fields.get(second) is None):
        raise InvalidCredential(f"give {first} and {second} together, or neither to mint fresh ones")
