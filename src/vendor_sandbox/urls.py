"""The URLs a client used to reach the sandbox, whichever way it came in.

Flask routes every vendor request under the vendor's prefix (/hipp, /zus, ...). Some ways in put
that prefix into PATH_INFO themselves: the `--vendor` root mount today, and the front layer (a
vendor's real hostname, proxy mode) as it grows. They record what they inserted in the WSGI
environ under ADDED_PREFIX, so that every URL we hand back (Location, links, FHIR fullUrl) and
every audience we compare is the URL the client used, not the one Flask routed. A path prefix
that the client did send (a /ns/{name} namespace) goes in SCRIPT_NAME instead, where werkzeug
already keeps it in every URL it builds.
"""

from flask import request

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
