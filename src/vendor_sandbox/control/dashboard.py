"""GET /_sandbox/: one server-rendered page over a namespace (vendors, credentials, users,
journal, outbox). No script and no external asset: it works offline."""

from urllib.parse import urlencode

from flask import current_app, render_template, request

from ..store import DEFAULT_NAMESPACE, get_store, namespace_name

LATEST_USERS = 10
LATEST_REQUESTS = 20
LATEST_MESSAGES = 50


def register(blp):
    @blp.get("/")
    def dashboard():
        """The dashboard of the namespace named by X-Sandbox-Namespace or ?namespace=."""
        store = get_store()
        namespace = store.namespace(namespace_name(from_query=True), create=False)
        return render_template(
            "dashboard.html",
            namespace=namespace.name,
            namespaces=sorted({DEFAULT_NAMESPACE, *store.namespaces()}),
            # the admin token, when the page was opened with ?token=, rides along in its own links
            token=request.args.get("token") or None,
            vendors=[vendor_overview(namespace, name) for name in store.vendors],
            requests=latest_requests(namespace.journal),
            journal_size=len(namespace.journal),
            messages=latest_messages(namespace.outbox),
        )


def vendor_overview(namespace, name):
    api = current_app.extensions["vendor_sandbox.apis"][name]
    root = request.url_root.rstrip("/")
    module = get_store().vendors[name]
    mounted = current_app.config["VENDOR"] == name  # `serve --vendor NAME` also serves it at /
    backend = namespace.backend(name)
    return {
        "name": name,
        "title": api.title,
        "base_url": root + api.base_url,
        "root_url": root + (api.base_url.removeprefix(module.URL_PREFIX) or "/") if mounted else None,
        "credentials": table(backend.credentials()),
        "users": user_summaries(namespace, name, backend),
    }


def user_summaries(namespace, name, backend):
    """{"total", "latest"} from the backend's optional `user_summaries(limit)`; else the size
    of its "users" collection; None when it has neither."""
    if hasattr(backend, "user_summaries"):
        return backend.user_summaries(LATEST_USERS)
    state = namespace.state(name)
    if "users" not in state.names():  # collection() would create it
        return None
    return {"total": state.collection("users").count(), "latest": []}


def table(records):
    """(columns, rows of display strings) over a list of flat-ish JSON objects."""
    columns = list(dict.fromkeys(key for record in records for key in record))
    return columns, [[cell(record.get(column)) for column in columns] for record in records]


def cell(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return " · ".join(cell(v) for v in value.values())
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return str(value)


def latest_requests(journal):
    """The newest journal entries first, trimmed to what the page shows."""
    return [{"vendor": e["vendor"], "method": e["method"], "status": e["status"],
             # "[redacted]" stays readable
             "path": e["path"] + (f"?{urlencode(e['query'], doseq=True, safe='[]')}"
                                  if e.get("query") else ""),
             "duration": f"{e['durationMs']:.1f} ms", "time": e["timestamp"]}
            for e in reversed(journal.entries(limit=LATEST_REQUESTS))]


def latest_messages(outbox):
    messages = outbox.messages()
    return {"total": len(messages), "latest": messages[::-1][:LATEST_MESSAGES]}
