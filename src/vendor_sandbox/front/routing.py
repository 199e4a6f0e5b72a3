"""The WSGI side of the front layer: forwarded headers, proxy requests, vendor hosts, /ns/ paths.

In order, for every request on either port:
1. Forwarded headers from a trusted proxy set the scheme, host and client (forwarded.py).
2. An absolute-URI request (`GET http://app.hipp.health/api/v1/users`, as a client sends it
   to an HTTP proxy) is served when it names a vendor host or the sandbox itself; any other
   destination is refused with a 403 and never contacted.
3. A Host that is one of a vendor's real hostnames is that vendor at its real paths: the
   vendor's URL prefix goes into PATH_INFO and is recorded under urls.ADDED_PREFIX.
4. Otherwise `/ns/{name}/...` moves into SCRIPT_NAME, where werkzeug keeps it in every URL it
   builds, and names the request's namespace (PATH_NAMESPACE, read by store.namespace_name()).
   A vendor host has no /ns/ paths: there the path is the vendor's own, as in production.
"""

import base64
import binascii
import ipaddress
import json
from urllib.parse import urlsplit

from ..store import PATH_NAMESPACE
from ..urls import ADDED_PREFIX
from .forwarded import TrustedProxies

NS_ROOT = "/ns/"


class Front:
    def __init__(self, wsgi_app, vendors, own_hosts=(), trusted_proxies=None):
        self.wsgi_app = wsgi_app
        self.prefixes = {name.lower(): vendor.URL_PREFIX for vendor in vendors for name in vendor.HOSTNAMES}
        self.own_hosts = {h.lower().strip("[]") for h in own_hosts if h} | {"localhost"}
        self.proxies = TrustedProxies(trusted_proxies)

    def vendor_prefix(self, host):
        """The URL prefix of the vendor whose real hostname `host` (with or without port) is."""
        return self.prefixes.get(hostname(host))

    def __call__(self, environ, start_response):
        refused = self.proxies.apply(environ)
        if refused:
            return _refuse(start_response, "400 Bad Request", "invalid_forwarded_header", refused)
        uri = environ.get("REQUEST_URI", "")
        if uri[:8].lower().startswith(("http://", "https://")):
            try:
                target = urlsplit(uri)
                netloc = target.netloc
                port = target.port or (443 if target.scheme.lower() == "https" else 80)
            except ValueError:  # a bracket left open, a port that is no number: no destination of ours
                netloc, port = "", None
            if not (self.vendor_prefix(netloc) or self.is_own(netloc, port, environ.get("SERVER_PORT"))):
                return _refuse(
                    start_response,
                    "403 Forbidden",
                    "proxy_destination_refused",
                    f"vendor-sandbox proxies only the vendors' hosts; {hostname(netloc)!r} is not "
                    "one of them, and the request was not sent anywhere",
                )
            environ["HTTP_HOST"] = netloc  # the absolute URI names the host (RFC 9112 3.2.2)
            # and the scheme: some clients send `GET https://...` to a proxy instead of a CONNECT
            environ["wsgi.url_scheme"] = target.scheme.lower()
            namespace = proxy_user(environ.pop("HTTP_PROXY_AUTHORIZATION", None))
            if namespace:
                environ[PATH_NAMESPACE] = namespace
        path = environ.get("PATH_INFO", "")
        prefix = self.vendor_prefix(environ.get("HTTP_HOST", ""))
        if prefix:
            environ["PATH_INFO"] = prefix + path
            environ[ADDED_PREFIX] = prefix
        elif path.startswith(NS_ROOT):
            name, slash, rest = path[len(NS_ROOT) :].partition("/")
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + NS_ROOT + name
            environ["PATH_INFO"] = slash + rest
            environ[PATH_NAMESPACE] = name
        return self.wsgi_app(environ, start_response)

    def is_own(self, netloc, port, server_port):
        """Whether the absolute URI names this very server (a client whose HTTP_PROXY is the
        sandbox calling the sandbox): one of its names, or a loopback address, and its port."""
        if str(port) != str(server_port):
            return False
        host = hostname(netloc)
        if host in self.own_hosts:
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


def hostname(host):
    """'Us.API.nabla.com.:443' -> 'us.api.nabla.com'; '[::1]:8080' -> '::1'."""
    host = host.rpartition("@")[2].strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def proxy_user(authorization):
    """The user name of `Proxy-Authorization: Basic ...`: the namespace a proxy URL such as
    http://NAME:@127.0.0.1:8080 names (clients send it on CONNECT and absolute-URI requests)."""
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user or None


def _refuse(start_response, status, code, message):
    """The control plane's error shape: the front layer answers before any vendor is chosen."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
