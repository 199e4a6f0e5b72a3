"""The URLs a client used to reach the sandbox, whichever way it came in.

Flask routes every vendor request under the vendor's prefix (/hipp, /zus, ...). Some ways in put
that prefix into PATH_INFO themselves: the `--vendor` root mount today, and the front layer (a
vendor's real hostname, proxy mode) as it grows. They record what they inserted in the WSGI
environ under ADDED_PREFIX, so that every URL we hand back (Location, links, FHIR fullUrl) and
every audience we compare is the URL the client used, not the one Flask routed. A path prefix
that the client did send (a /ns/{name} namespace) goes in SCRIPT_NAME instead, where werkzeug
already keeps it in every URL it builds.
"""

from urllib.parse import urlsplit, urlunsplit

from flask import current_app, request

ADDED_PREFIX = "vendor_sandbox.added_prefix"


def client_url(url=None):
    """`url` (an absolute URL or a path Flask built for this request; by default the request's
    own URL without its query) as the client addresses it: the inserted prefix taken out."""
    req = request._get_current_object()
    if url is None:
        url = req.base_url
    added = req.environ.get(ADDED_PREFIX)
    if not added:
        return url
    for root in (req.host_url.rstrip("/") + req.script_root, req.script_root):
        if url == root + added or url.startswith(root + added + "/"):
            return root + (url[len(root) + len(added):] or "/")
    return url


def reachable_urls(prefix, path=None, trailing_slash=False):
    """Every absolute URL by which the caller reaches `path` (a path of the vendor served under
    `prefix`; by default the request's own) here: the scheme, host and port it used (forwarded
    ones once the front layer applied them), its /ns/{name} prefix, with the vendor's prefix and,
    where the vendor is also served at / (`--vendor`, a vendor hostname), without it.

    A UrlSet, for audience checks: a client that derives its audience from the base URL it was
    given must be accepted whichever way in that base URL names."""
    req = request._get_current_object()
    if path is None:
        path = req.path.removeprefix(prefix)
    root = req.host_url.rstrip("/") + req.script_root
    mounts = {prefix}
    if req.environ.get(ADDED_PREFIX) == prefix or _mounted_at_root(prefix):
        mounts.add("")
    found = [root + mount + path for mount in mounts]
    found.append(client_url(root + prefix + path))  # whatever a rewriting layer inserted, taken out
    if trailing_slash:
        found += [url + "/" for url in found if not url.endswith("/")]
    return UrlSet(found)


def _mounted_at_root(prefix):
    from .store import get_store  # here: the store's module needs no URLs
    name = current_app.config.get("VENDOR")
    vendor = get_store().vendors.get(name) if name else None
    return vendor is not None and vendor.URL_PREFIX == prefix


class UrlSet:
    """URLs compared as URLs: scheme and host in any case, a default port written or not."""

    def __init__(self, urls=()):
        self._urls = frozenset(normalized(url) for url in urls)

    def __contains__(self, url):
        return isinstance(url, str) and normalized(url) in self._urls

    def __or__(self, urls):
        return UrlSet((*self._urls, *urls))

    def __iter__(self):
        return iter(sorted(self._urls))

    def __repr__(self):
        return f"UrlSet({sorted(self._urls)!r})"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized(url):
    """`url` with its scheme and host in lower case and its default port left out."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    if not parts.hostname:
        return url
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    scheme = parts.scheme.lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
