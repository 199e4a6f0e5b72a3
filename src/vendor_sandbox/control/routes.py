"""The /_sandbox/ endpoints: health, credentials, reset, outbox, journal, faults."""

import hmac
from http import HTTPStatus

from flask import Blueprint, Response, current_app, jsonify, request

from .. import __version__
from ..errors import SandboxError, describe
from ..ids import parse_instant
from ..store import describe_store, get_store, namespace_name
from . import browser_guard, credentials as minting, dashboard, docs
from .state import export_state, import_state, parse, stream

blp = Blueprint("sandbox", __name__, url_prefix="/_sandbox", template_folder="templates")
docs.register(blp)
dashboard.register(blp)
minting.register(blp)

ADMIN_HEADER = "X-Sandbox-Admin-Token"
# what neither changes nor reveals state stays open when an admin token is set
OPEN_ENDPOINTS = {"sandbox.health", "sandbox.openapi_document", "sandbox.docs", "sandbox.swagger_ui_asset"}


@blp.before_request
def require_admin_token():
    """With SANDBOX_ADMIN_TOKEN set, the rest of /_sandbox/ needs it: in X-Sandbox-Admin-Token,
    as `Authorization: Bearer`, or (for a browser) as ?token=."""
    expected = current_app.config["ADMIN_TOKEN"]
    if not expected or request.endpoint in OPEN_ENDPOINTS:
        return
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    given = request.headers.get(ADMIN_HEADER) or (bearer if scheme.lower() == "bearer" else "") \
        or request.args.get("token", "")
    if not hmac.compare_digest(given.encode(), str(expected).encode()):
        raise SandboxError(401, "admin_token_required",
                           f"this sandbox needs its admin token in {ADMIN_HEADER} (SANDBOX_ADMIN_TOKEN)")


browser_guard.register(blp)  # after the token check: without the token, a 401 is the answer


@blp.get("/health")
def health():
    """Ready probe: 503 while the shared store is unreachable, so a load balancer skips this replica."""
    store = get_store()
    described = describe_store(store)
    body = {"status": "ok" if described["reachable"] else "unavailable", "version": __version__,
            "vendors": list(store.vendors), "store": described}
    return body, 200 if described["reachable"] else 503


@blp.get("/credentials")
def credentials():
    """Every credential of the namespace, per vendor, as a developer pastes it into a client."""
    namespace = get_store().namespace(namespace_name(), create=False)
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


@blp.delete("/namespace")
def drop_namespace():
    """Forget the namespace named by the header (all its data, journal, outbox and faults)."""
    get_store().drop(namespace_name())
    return "", 204


@blp.get("/outbox")
def outbox():
    """E-mails and SMS the vendors sent in this namespace, oldest first; filter by vendor or to."""
    box = get_store().namespace(namespace_name(), create=False).outbox
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




@blp.get("/requests")
def requests_journal():
    """The journal of vendor requests, oldest first; filters: vendor, method, path (glob),
    status (404 or 4xx), since, until (ISO-8601), limit (the most recent N)."""
    args = request.args
    journal = get_store().namespace(namespace_name(), create=False).journal
    return {"requests": journal.entries(
        vendor=args.get("vendor"), method=args.get("method"), path=args.get("path"),
        status=args.get("status"), since=_instant_arg("since"), until=_instant_arg("until"),
        limit=_int_arg("limit", minimum=1),
    )}


@blp.delete("/requests")
def clear_requests_journal():
    get_store().namespace(namespace_name()).journal.clear()
    return "", 204


@blp.get("/faults")
def list_faults():
    """The fault rules of this namespace, with how often each fired and what remains."""
    return {"faults": get_store().namespace(namespace_name(), create=False).faults.list()}


@blp.post("/faults")
def add_fault():
    """Add a rule {vendor, method?, path?, status?, delay_ms?, times? | probability?, body?,
    retry_after?}: matching vendor requests get the vendor's own error for `status`
    (or `body` as given) after `delay_ms`."""
    rule = validate_fault(request.get_json(silent=True))
    return get_store().namespace(namespace_name()).faults.add(rule), 201


@blp.delete("/faults")
def clear_faults():
    get_store().namespace(namespace_name()).faults.clear()
    return "", 204


def validate_fault(body):
    if not isinstance(body, dict):
        raise _invalid_fault("the rule must be a JSON object")
    unknown = set(body) - {"vendor", "method", "path", "status", "delay_ms", "times", "probability", "body",
                           "retry_after"}
    if unknown:
        raise _invalid_fault(f"unknown fields: {', '.join(sorted(unknown))}")
    vendors = get_store().vendors
    if body.get("vendor") not in (*vendors, "*"):
        raise _invalid_fault(f"vendor must be one of: {', '.join(vendors)} or *")
    rule = {"vendor": body["vendor"], "method": str(body.get("method", "*")).upper(),
            "path": body.get("path", "*")}
    if not isinstance(rule["path"], str):
        raise _invalid_fault("path must be a glob string")
    for name, low, high in (("status", 400, 599), ("delay_ms", 0, 60_000), ("times", 1, 1_000_000),
                            ("retry_after", 0, 86_400)):
        value = body.get(name)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise _invalid_fault(f"{name} must be an integer from {low} to {high}")
            rule[name] = value
    if "status" not in rule and "delay_ms" not in rule:
        raise _invalid_fault("give a status, a delay_ms, or both")
    probability = body.get("probability")
    if probability is not None:
        if "times" in rule:
            raise _invalid_fault("give times or probability, not both")
        if isinstance(probability, bool) or not isinstance(probability, int | float) or not 0 < probability <= 1:
            raise _invalid_fault("probability must be a number in (0, 1]")
        rule["probability"] = probability
    if "body" in body:
        if "status" not in rule:
            raise _invalid_fault("a body needs a status")
        rule["body"] = body["body"]
    return rule


def _invalid_fault(message):
    return SandboxError(400, "invalid_fault", message)


def _int_arg(name, minimum):
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isdigit() or int(value) < minimum:
        raise SandboxError(400, "invalid_query", f"{name} must be an integer >= {minimum}")
    return int(value)


def _instant_arg(name):
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        raise SandboxError(400, "invalid_query", f"{name} must be an ISO-8601 instant") from None


@blp.get("/state")
def get_state():
    """The whole namespace as a JSON snapshot (every vendor's data and the outbox), streamed."""
    store = get_store()
    document = export_state(store.namespace(namespace_name(), create=False), list(store.vendors))
    return Response(stream(document), mimetype="application/json")


@blp.put("/state")
def put_state():
    """Replace the namespace with a snapshot from GET /_sandbox/state; a bad one changes nothing."""
    store = get_store()
    # snapshots outgrow the vendors' body limit; this one endpoint takes its own
    request.max_content_length = current_app.config["STATE_MAX_CONTENT_LENGTH"]
    # read once and not cached: the bytes are gone before the parsed records are loaded
    snapshot = parse(request.stream.read())
    namespace = store.namespace(namespace_name())
    import_state(namespace, store.vendors, snapshot)
    return {"namespace": namespace.name, "restored": list(store.vendors)}
