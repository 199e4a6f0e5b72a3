"""Snapshots: a namespace exported as JSON, and imported back after full validation.

An import is checked down to every record's shape (each vendor's `snapshot.RECORDS`, see
shapes.py), so that what is accepted can be served; the first bad place is named by its path."""

import importlib
import json

from .. import strictjson
from ..errors import SandboxError
from ..shapes import INSTANT, JSON, MAX_DEPTH, Either, Map, Null, ShapeError, check

FORMAT = "vendor-sandbox/state"
VERSION = 1
MESSAGE = {"vendor": str, "to": str, "kind": str, "subject": Null(str), "body": str, "sentAt": INSTANT}
TOP_LEVEL = {"format", "version", "namespace", "vendors", "outbox"}
INDEXES = Map(Map(Either(str, int)))
CLAIMS = Map(Map(str))
# collections kept in every vendor's state by machinery outside vendors/: the credentials bound to
# the namespace (bindings.COLLECTION), each an empty record
SHARED_RECORDS = {"bound_credentials": {}}
CHUNK = 64 * 1024  # bytes of JSON sent at a time when a snapshot streams out
# levels walked when streaming (snapshot, vendors, vendor, collection, its records): below, each
# value (a [key, record] entry, say) is encoded in one go
WALKED = 5


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


def stream(document):
    """The document as JSON (what json.dumps writes), in chunks: a large snapshot is never one
    string in memory. The outer levels are walked, each record encoded by the C encoder (the
    pure-Python iterencode was three to six times slower)."""
    buffered, size = [], 0
    for piece in _pieces(document):
        buffered.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buffered).encode()
            buffered, size = [], 0
    buffered.append("\n")
    yield "".join(buffered).encode()


def _pieces(value, depth=0):
    if depth < WALKED and isinstance(value, dict) and value:
        yield "{"
        for position, (key, item) in enumerate(value.items()):
            yield ("," if position else "") + _dumps(key) + ":"
            yield from _pieces(item, depth + 1)
        yield "}"
    elif depth < WALKED and isinstance(value, list) and value:
        yield "["
        for position, item in enumerate(value):
            if position:
                yield ","
            yield from _pieces(item, depth + 1)
        yield "]"
    else:
        yield _dumps(value)


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parse(data):
    """The snapshot in `data` (bytes), or a 400 that says what is wrong with it."""
    try:
        return strictjson.loads(data)
    except ValueError as error:
        if "nested too deeply" in str(error):
            raise _invalid(f"the snapshot nests deeper than {MAX_DEPTH} levels") from None
        raise _invalid(f"the snapshot is not JSON: {error}") from None


def import_state(namespace, vendors, snapshot):
    """Validate everything first, then swap it in at once: a bad snapshot changes nothing.

    `vendors` maps each vendor's name to its module. Vendors missing from the snapshot go back
    to their seeded state.
    """
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise _invalid(f'not a snapshot: expected {{"format": "{FORMAT}", "version": {VERSION}, ...}}')
    if snapshot.get("version") != VERSION:
        raise _invalid(f"unsupported snapshot version {snapshot.get('version')!r}")
    unknown = set(snapshot) - TOP_LEVEL
    if unknown:
        raise _invalid(f"{sorted(unknown)[0]}: no such field (a snapshot has {', '.join(sorted(TOP_LEVEL))})")
    given = snapshot.get("vendors", {})
    if not isinstance(given, dict) or set(given) - set(vendors):
        raise _invalid(f"vendors must be an object keyed by: {', '.join(vendors)}")
    messages = snapshot.get("outbox", [])
    _checked(messages, [MESSAGE], "outbox")
    for index, message in enumerate(messages):
        if message["vendor"] not in vendors:
            raise _invalid(f"outbox[{index}].vendor: one of {', '.join(vendors)}")
    backends, states = {}, {}
    for vendor, module in vendors.items():
        backend, state = namespace.fresh(vendor)
        if not isinstance(given.get(vendor, {}), dict):
            raise _invalid(f"vendors.{vendor}: an object of collection name -> collection")
        shapes = record_shapes(module)
        for name, data in given.get(vendor, {}).items():
            _check_collection(f"vendors.{vendor}.{name}", vendor, name, data, state, shapes.get(name, JSON))
        for name, data in given.get(vendor, {}).items():
            state.collection(name).load(data)
        _check_reads(vendor, backend)
        backends[vendor], states[vendor] = backend, state
    namespace.replace(backends, states, messages)


def _check_reads(vendor, backend):
    """What the control plane reads of every backend (its credentials, the dashboard's summary)
    must work on the restored records: a record naming one that is not there (an API key of a
    missing user, say) is refused now rather than answered with a 500 later."""
    try:
        backend.credentials()
        if hasattr(backend, "user_summaries"):
            backend.user_summaries(1)
    except Exception as error:  # noqa: BLE001 - whatever the backend trips on is the snapshot's fault
        raise _invalid(f"vendors.{vendor}: the records do not hold together ({type(error).__name__}: "
                       f"{error})") from None


def record_shapes(module):
    """{collection: shape} from the vendor package's `snapshot` module, and the collections the
    shared machinery keeps in every vendor's state."""
    try:
        own = importlib.import_module(f"{module.__name__}.snapshot").RECORDS
    except ModuleNotFoundError:
        own = {}
    return {**SHARED_RECORDS, **own}


def _check_collection(where, vendor, name, data, state, shape):
    if name not in state.names():
        raise _invalid(f"{where}: {vendor} has no collection {name!r}")
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise _invalid(f"{where}: expected {{records: [[key, record], ...], indexes, claims}}")
    if set(data) - {"records", "indexes", "claims"}:
        raise _invalid(f"{where}.{sorted(set(data) - {'records', 'indexes', 'claims'})[0]}: no such field")
    keys = set()
    for position, entry in enumerate(data["records"]):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            raise _invalid(f"{where}.records[{position}]: each entry is [key, record]")
        _checked(entry[1], shape, f"{where}.records[{entry[0]!r}]")
        keys.add(entry[0])
    indexes = data.get("indexes", {})
    _checked(indexes, INDEXES, f"{where}.indexes")
    stray = next((key for key in indexes if key not in keys), None)
    if stray is not None:
        raise _invalid(f"{where}.indexes.{stray}: no record has this key")
    _checked(data.get("claims", {}), CLAIMS, f"{where}.claims")


def _checked(value, shape, path):
    try:
        check(value, shape, path)
    except ShapeError as error:
        raise _invalid(str(error)) from None


def _invalid(message):
    return SandboxError(400, "invalid_snapshot", message)
