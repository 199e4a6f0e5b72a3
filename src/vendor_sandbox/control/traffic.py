"""Hooks on vendor traffic: forced faults before a request, the journal after it."""

import time

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException, TooManyRequests, default_exceptions

from ..errors import SandboxError
from ..ids import iso_millis
from ..journal import FORM
from ..store import SECOND_RUN, current_namespace, get_store

FAULT_HEADER = "X-Sandbox-Fault"
ENTRY_OVERHEAD = 2048  # bytes of an entry beyond its strings: the dicts, the lists, the numbers
_UNRESOLVED = object()
# the CGI variables besides HTTP_* that a recorded Request reads (headers, query, mimetype)
_CGI_KEPT = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH", "QUERY_STRING"})


def init_app(app):
    app.before_request(before_vendor_request)
    app.after_request(after_vendor_request)
    app.teardown_request(lambda _error: get_store().end_request())


# These hooks run on every request. `request`, `g` and `current_app` are context proxies that
# cost about a microsecond per attribute read, so each hook binds the real objects once.

def before_vendor_request():
    req, ctx = request._get_current_object(), g._get_current_object()
    ctx.sandbox_started = time.perf_counter()
    store = get_store()
    vendor = ctx.sandbox_vendor = store.vendor_for(req.path)
    if vendor is None:
        return None
    store.begin_request()
    if req.mimetype == FORM:
        # read (and kept) before the view parses the form, which would consume the stream unkept
        _request_bytes(req)
    try:
        namespace = current_namespace()
    except SandboxError:
        return None  # the vendor's own handling reports the bad header in its shape
    if req.environ.get(SECOND_RUN):
        rule = None  # read, and not fired, by the first run (redisstore/replay.py)
    else:
        rule = header_fault(req) or namespace.faults.fire(vendor.NAME, req.method, vendor_paths(vendor, req))
    if rule:
        return apply_fault(rule)
    if req.method == "OPTIONS" and req.url_rule is not None and req.url_rule.provide_automatic_options:
        # before the vendor's credential check: preflights carry no credentials
        response = current_app.make_default_options_response()
        response.status_code = getattr(vendor, "OPTIONS_STATUS", 204)
        return response
    return None


def vendor_paths(vendor, req):
    """The spellings a fault's path glob may match: with and without the vendor's prefix."""
    return (req.path, req.path.removeprefix(vendor.URL_PREFIX) or "/")


def header_fault(req):
    """`X-Sandbox-Fault: status=503; delay=200` forces a fault on this one request."""
    header = req.headers.get(FAULT_HEADER)
    if not header:
        return None
    rule = {}
    for part in header.replace(",", ";").split(";"):
        key, _, value = part.partition("=")
        key = key.strip().lower()
        if key not in ("status", "delay") or not value.strip().isdigit():
            raise SandboxError(400, "invalid_fault", f"{FAULT_HEADER} takes status=NNN and/or delay=MS")
        rule["status" if key == "status" else "delay_ms"] = int(value)
    if "status" in rule and not 400 <= rule["status"] <= 599:
        raise SandboxError(400, "invalid_fault", f"{FAULT_HEADER} status must be 400-599")
    return rule


def apply_fault(rule):
    if rule.get("delay_ms"):
        time.sleep(rule["delay_ms"] / 1000)
    status = rule.get("status")
    if status is None:
        return None
    if rule.get("body") is not None:
        response = current_app.json.response(rule["body"])
        response.status_code = status
        return response
    raise forced_error(status, rule.get("retry_after", 1))


def forced_error(status, retry_after):
    """The werkzeug exception for `status`, which each vendor renders in its own shape."""
    if status == 429:
        return TooManyRequests(retry_after=retry_after)
    error_class = default_exceptions.get(status)
    if error_class is not None:
        return error_class()
    error = HTTPException()
    error.code = status
    return error


def after_vendor_request(response):
    req, ctx = request._get_current_object(), g._get_current_object()
    store = get_store()
    vendor = ctx.get("sandbox_vendor", _UNRESOLVED)
    if vendor is _UNRESOLVED:  # a hook before ours refused the request (an oversized one)
        vendor = store.vendor_for(req.path)
    if vendor is None:
        return response
    try:
        namespace = current_namespace()
    except SandboxError:  # a bad namespace header was answered with a 400: journal it in default
        namespace = store.namespace()
    started = ctx.get("sandbox_started", time.perf_counter())
    limit = current_app.config["JOURNAL_BODY_LIMIT"]
    # What the entry's details need, kept raw (parsed when the entry is read): the headers and
    # the query string of the CGI variables, the bodies cut at the journal's limit, as strings
    # (bytes as latin-1, which round-trips), so that a shared store can hold it as JSON
    raw = {
        "environ": {k: v for k, v in req.environ.items() if type(v) is str and (
            k.startswith("HTTP_") or k in _CGI_KEPT)},
        "responseHeaders": list(response.headers),
        "body": _kept(_request_bytes(req), limit),
        "sent": None if response.is_streamed else _kept(response.get_data(), limit),
        "responseType": response.mimetype,
    }
    body, sent = raw["body"], raw["sent"]
    # what the entry holds, roughly: its kept bodies and the request's CGI strings
    size = ENTRY_OVERHEAD + (len(body[0]) if body else 0) + (len(sent[0]) if sent else 0) + sum(
        len(k) + len(v) for k, v in raw["environ"].items()) + sum(len(k) + len(v) for k, v in raw["responseHeaders"])
    try:
        namespace.journal.record({
            "vendor": vendor.NAME,
            "method": req.method,
            "path": req.path,
            "status": response.status_code,
            "durationMs": round((time.perf_counter() - started) * 1000, 3),
            "timestamp": iso_millis(namespace.clock.now()),
        }, raw, size)
    except HTTPException as error:
        # a shared store that could not take the request's writes (they go with the entry): the
        # vendor's own 503 instead of an answer that reports them
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def _request_bytes(req):
    try:
        return req.get_data(cache=True)
    except HTTPException:  # a body over the size limit is never read
        return None


def _kept(data, limit):
    """(the first `limit` bytes as latin-1 text, the full length): what the journal keeps of a body."""
    return (data[:limit].decode("latin-1"), len(data)) if data else None
