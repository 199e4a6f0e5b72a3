"""Snapshots: a namespace exported as JSON, and imported back after full validation."""

from ..errors import SandboxError

FORMAT = "vendor-sandbox/state"
VERSION = 1
MESSAGE_KEYS = {"vendor", "to", "kind", "subject", "body", "sentAt"}


def export_state(namespace, vendors):
    return {
        "format": FORMAT,
        "version": VERSION,
        "namespace": namespace.name,
        "vendors": {
            vendor: {name: state.collection(name).dump() for name in state.names()}
            for vendor in vendors
            for state in [namespace.state(vendor)]
        },
        "outbox": namespace.outbox.messages(),
    }


def import_state(namespace, vendors, snapshot):
    """Validate everything first, then swap it in at once: a bad snapshot changes nothing.

    Vendors missing from the snapshot go back to their seeded state.
    """
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise _invalid(f'not a snapshot: expected {{"format": "{FORMAT}", "version": {VERSION}, ...}}')
    if snapshot.get("version") != VERSION:
        raise _invalid(f"unsupported snapshot version {snapshot.get('version')!r}")
    given = snapshot.get("vendors", {})
    if not isinstance(given, dict) or set(given) - set(vendors):
        raise _invalid(f"vendors must be an object keyed by: {', '.join(vendors)}")
    messages = snapshot.get("outbox", [])
    if not isinstance(messages, list) or not all(
        isinstance(m, dict) and set(m) == MESSAGE_KEYS and m["vendor"] in vendors for m in messages
    ):
        raise _invalid(f"outbox must be a list of messages with exactly {sorted(MESSAGE_KEYS)}")
    backends, states = {}, {}
    for vendor in vendors:
        backend, state = namespace.fresh(vendor)
        for name, data in given.get(vendor, {}).items():
            _check_collection(vendor, name, data, state)
        for name, data in given.get(vendor, {}).items():
            state.collection(name).load(data)
        backends[vendor], states[vendor] = backend, state
    namespace.replace(backends, states, messages)


def _check_collection(vendor, name, data, state):
    where = f"vendors.{vendor}.{name}"
    if name not in state.names():
        raise _invalid(f"{where}: {vendor} has no collection {name!r}")
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise _invalid(f"{where}: expected {{records: [[key, record], ...], indexes, claims}}")
    seeded = [record for _, record in state.collection(name).dump()["records"]]
    # the fields every seeded record of this collection has: restored records need them too
    required = set.intersection(*(set(r) for r in seeded)) if seeded else set()
    keys = set()
    for entry in data["records"]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                and isinstance(entry[1], dict)):
            raise _invalid(f"{where}.records: each entry is [key, record-object]")
        missing = required - set(entry[1])
        if missing:
            raise _invalid(f"{where}.records[{entry[0]!r}] lacks {sorted(missing)}")
        keys.add(entry[0])
    indexes, claims = data.get("indexes", {}), data.get("claims", {})
    if not isinstance(indexes, dict) or not all(
        k in keys and isinstance(v, dict) and all(isinstance(x, str | int) for x in v.values())
        for k, v in indexes.items()
    ):
        raise _invalid(f"{where}.indexes: an object of record key -> {{index: value}}")
    if not isinstance(claims, dict) or not all(isinstance(v, dict) for v in claims.values()):
        raise _invalid(f"{where}.claims: an object of unique set -> {{value: owner}}")


def _invalid(message):
    return SandboxError(400, "invalid_snapshot", message)
