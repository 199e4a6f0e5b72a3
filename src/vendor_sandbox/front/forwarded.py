"""X-Forwarded-Proto/Host/Port/For and Forwarded (RFC 7239), from trusted proxies only.

waitress's own parser does the parsing (it knows both header families, quoting and ports), but
waitress trusts a single address or all of them; an ingress is often a network. So this layer
decides trust by the peer's address against TRUSTED_PROXIES (addresses or networks), then lets
waitress's parser rewrite the environ. werkzeug's ProxyFix is not used: it trusts by hop count,
whoever the peer is, and knows no `Forwarded`. Headers from any other peer are removed, so no
client can make us build URLs (or check audiences) for a host it merely claims.
"""

import ipaddress

from waitress.proxy_headers import (
    PROXY_HEADERS,
    MalformedProxyHeader,
    clear_untrusted_headers,
    parse_proxy_headers,
)

from ..hostguard import RECEIVED_HOST

X_FORWARDED = {"x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-for"}


def parse_networks(value):
    """ "10.0.0.0/8, 127.0.0.1" (or a list) -> ip networks; ValueError names a bad entry."""
    if not value:
        return ()
    # SANDBOX_* values that read as JSON arrive as numbers or lists
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    networks = []
    for item in (i.strip() for i in items):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
    return tuple(networks)


class TrustedProxies:
    def __init__(self, networks):
        self.networks = parse_networks(networks)

    def trusts(self, address):
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def apply(self, environ):
        """Rewrite `environ` from a trusted peer's headers; None, or why they are malformed."""
        untrusted = PROXY_HEADERS
        if self.networks and self.trusts(environ.get("REMOTE_ADDR", "")):
            # waitress refuses a mix of the two families; Forwarded, the standard, wins
            headers = {"forwarded"} if "HTTP_FORWARDED" in environ else X_FORWARDED
            environ[RECEIVED_HOST] = environ.get("HTTP_HOST", "")
            try:
                untrusted = parse_proxy_headers(environ, trusted_proxy_count=1, trusted_proxy_headers=headers)
            except MalformedProxyHeader as error:
                return f"{error.header} from the trusted proxy is malformed: {error.reason}"
        clear_untrusted_headers(environ, untrusted)
        return None
