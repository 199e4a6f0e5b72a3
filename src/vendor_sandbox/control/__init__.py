"""The /_sandbox/ control plane: health, credentials, reset."""

from http import HTTPStatus

from flask import Blueprint, jsonify, request

from .. import __version__
from ..errors import SandboxError, describe
from ..store import get_store, namespace_name

blp = Blueprint("sandbox", __name__, url_prefix="/_sandbox")


@blp.get("/health")
def health():
    """Ready probe."""
    return {"status": "ok", "version": __version__, "vendors": list(get_store().vendors)}


@blp.get("/credentials")
def credentials():
    """Every credential of the namespace, per vendor, as a developer pastes it into a client."""
    namespace = get_store().namespace(namespace_name())
    return {name: namespace.backend(name).credentials() for name in get_store().vendors}


@blp.post("/reset")
def reset():
    """Back to the seeded state: the whole namespace, or `{"vendor": name}` only."""
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise SandboxError(400, "invalid_body", 'expected a JSON object such as {"vendor": "hipp"}')
    vendor = body.get("vendor")
    store = get_store()
    if vendor is not None and vendor not in store.vendors:
        raise SandboxError(400, "unknown_vendor", f"unknown vendor {vendor!r}; one of: {', '.join(store.vendors)}")
    name = namespace_name()
    store.reset(name, vendor)
    return {"namespace": name, "reset": [vendor] if vendor else list(store.vendors)}


@blp.get("/outbox")
def outbox():
    """E-mails and SMS the vendors sent in this namespace, oldest first; filter by vendor or to."""
    box = get_store().namespace(namespace_name()).outbox
    return {"messages": box.messages(vendor=request.args.get("vendor"), to=request.args.get("to"))}


@blp.delete("/outbox")
def clear_outbox():
    get_store().namespace(namespace_name()).outbox.clear(request.args.get("vendor"))
    return "", 204


def render_error(error):
    """The control plane's own shape: {"error": {"code", "message"}}."""
    if isinstance(error, SandboxError):
        status, code, message, headers = error.status, error.code, error.message, {}
    else:
        status, message, headers = describe(error)
        code = HTTPStatus(status).name.lower()
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.extend(headers)
    return response


def init_app(app):
    app.register_blueprint(blp)
