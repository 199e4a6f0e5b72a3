"""A fixtures folder given by the user (--fixtures, SANDBOX_FIXTURES_DIR) is checked at startup,
not on the first request that needs it: every file must be readable JSON, each vendor must load
it, and what it loads must have the vendor's record shapes (shapes.py). A failure is one
ValueError naming the file and the first bad path in it."""

from pathlib import Path

from . import strictjson
from .control.state import record_shapes
from .seed import fixtures_root
from .shapes import ShapeError, check


def check_fixtures(store, folder):
    folder = Path(folder)
    for vendor in store.vendors:
        _read_files(folder / vendor)
    for vendor, module in store.vendors.items():
        shapes = record_shapes(module)
        try:
            template = store.template(vendor)
        except Exception as error:  # noqa: BLE001 - any failure of a backend reading a fixture is the news
            _find_bad_field(folder / vendor, vendor, shapes)
            raise ValueError(f"fixtures: {folder / vendor}: {vendor} cannot load them: "
                             f"{type(error).__name__}: {error}") from None
        for name in template.names():
            for key, record in template.collection(name).dump()["records"]:
                if name in shapes:
                    try:
                        check(record, shapes[name], "")
                    except ShapeError as error:
                        raise ValueError(_locate(folder / vendor, name, key, error)) from None


def _read_files(vendor_folder):
    if not vendor_folder.is_dir():
        raise ValueError(f"fixtures: no folder {vendor_folder} (a fixtures folder holds <vendor>/*.json)")
    for path in sorted(vendor_folder.glob("*.json")):
        try:
            strictjson.loads(path.read_bytes())
        except OSError as error:
            raise ValueError(f"fixtures: cannot read {path}: {error.strerror or error}") from None
        except ValueError as error:
            raise ValueError(f"fixtures: {path} is not JSON: {error}") from None


def _find_bad_field(vendor_folder, vendor, shapes):
    """After the backend failed: the first field of a `<collection>.json` list whose type is not
    that of the collection's records (where the packaged file of that name has those types: some
    fixtures are written in another form than the records they become)."""
    for path in sorted(vendor_folder.glob("*.json")):
        shape = shapes.get(path.stem)
        packaged = fixtures_root() / vendor / path.name
        if shape is None or not packaged.is_file() or _bad_field(packaged, shape) is not None:
            continue
        error = _bad_field(path, shape)
        if error is not None:
            raise ValueError(f"fixtures: {path}: {error}") from None


def _bad_field(path, shape):
    try:
        check(strictjson.loads(path.read_bytes()), [shape], "", partial=True)
    except ShapeError as error:
        return str(error).lstrip()
    return None


def _locate(vendor_folder, collection, key, error):
    """Where the record `key` came from: the fixture file and list item holding its key, else the
    record's own path."""
    rest = str(error)  # "<path inside the record>: expected ..."
    for path in sorted(vendor_folder.glob("*.json")):
        items = strictjson.loads(path.read_bytes())
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and _names(item, key):
                return f"fixtures: {path}: [{index}]{rest}"
    return f"fixtures: {vendor_folder}: the {collection} record {key!r}{rest}"


def _names(item, key):
    """True when one of the item's own string values is the record's key (or its last part)."""
    values = {v for v in item.values() if isinstance(v, str)}
    return key in values or key.rpartition("/")[2] in values
