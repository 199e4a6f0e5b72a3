"""The one list of secret names, and redaction wherever the sandbox shows a request it served
(the journal, and the dashboard built from it): headers, query strings, and JSON and form
bodies in both directions. A developer sharing a journal or a screenshot shares no credential."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "[redacted]"
# compared without case, "-" or "_": client_secret, clientSecret and Client-Secret are one name
SECRET_NAMES = frozenset({
    "secret",  # Welkin's API client secret
    "clientsecret",  # Zus's (and OAuth's) client_secret
    "clientassertion",  # Nabla's signed client assertion
    "password", "newpassword", "oldpassword",
    "token", "accesstoken", "refreshtoken", "idtoken",  # what the vendors hand out or take back
    "authorization", "proxyauthorization", "cookie", "setcookie",
    "xsandboxadmintoken", "xapikey",
})


def is_secret(name):
    return isinstance(name, str) and name.lower().replace("-", "").replace("_", "") in SECRET_NAMES


def headers(pairs):
    """{name: value} of header pairs, secret values replaced."""
    return {name: REDACTED if is_secret(name) else value for name, value in pairs}


def query(args):
    """{name: [values]} of a parsed query string or form, secret values replaced."""
    return {name: [REDACTED] * len(values) if is_secret(name) else values for name, values in args.items()}


def document(value):
    """A parsed JSON value with the value of every secret-named key replaced, at any depth."""
    if isinstance(value, dict):
        return {key: REDACTED if is_secret(key) and item is not None else document(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [document(item) for item in value]
    return value


_JSON_MEMBER = re.compile(r'"([A-Za-z0-9_-]{1,40})"(\s*:\s*)"((?:[^"\\]|\\.)*)"?')
_FORM_FIELD = re.compile(r"(?:(?<=^)|(?<=&))([A-Za-z0-9_%-]{1,40})=([^&]*)")


def text(body):
    """A body that did not parse (cut at the journal's limit, say): secret-named JSON members
    and form fields in it are replaced all the same."""
    body = _JSON_MEMBER.sub(lambda m: f'"{m[1]}"{m[2]}"{REDACTED}"' if is_secret(m[1]) else m[0], body)
    return _FORM_FIELD.sub(lambda m: f"{m[1]}={REDACTED}" if is_secret(m[1]) else m[0], body)


def url(address):
    """`address` without its password, nor the value of a query parameter naming one
    (rediss://...?ssl_password=): for health answers and messages."""
    parts = urlsplit(address)
    if parts.password is not None:
        host = parts.hostname or ""
        netloc = f"{parts.username + ':' if parts.username else ':'}***@{host}"
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any("password" in name.lower() for name, _ in pairs):
        parts = parts._replace(query=urlencode(
            [(name, "***" if "password" in name.lower() else value) for name, value in pairs], safe="/*"))
    return urlunsplit(parts)
