"""FHIR's HTTP rules around the store: formats (_format, Accept, Content-Type), Prefer, ETags,
conditional reads, and responses typed application/fhir+json; charset=utf-8."""

from flask import current_app, request
from werkzeug.http import http_date, parse_date

from ...ids import parse_instant
from .errors import FhirNotAcceptable, FhirUnsupportedMediaType
from .fhir import etag

CONTENT_TYPE = "application/fhir+json; charset=utf-8"
JSON_TYPES = ("application/fhir+json", "application/json+fhir", "application/json")
JSON_FORMATS = ("json", *JSON_TYPES)


def negotiate():
    """406 unless the client accepts JSON, by _format (which wins) or Accept."""
    wanted = request.args.get("_format")
    if wanted is not None:
        if wanted.split(";")[0].strip().lower() not in JSON_FORMATS:
            raise FhirNotAcceptable(wanted=f"_format={wanted}")
        return
    if request.headers.get("Accept") and not any(
            quality > 0 and _json_media_type(value) for value, quality in request.accept_mimetypes):
        raise FhirNotAcceptable(wanted=request.headers["Accept"])


def _json_media_type(value):
    """A media range that JSON satisfies; FHIR's fhirVersion parameter must name R4 (4.0)."""
    kind, *parameters = [part.strip() for part in value.split(";")]
    version = next((p.split("=", 1)[1].strip('"') for p in parameters if p.lower().startswith("fhirversion=")),
                   "4.0")
    return kind.lower() in (*JSON_TYPES, "*/*", "application/*") and version in ("4.0", "4.0.1")


def check_content_type():
    """A body that says it is not JSON (XML, a form) is refused before it is read."""
    if request.mimetype and request.mimetype not in JSON_TYPES:
        raise FhirUnsupportedMediaType(found=request.mimetype)


def prefer(name, default):
    """One token of the Prefer header (RFC 7240): return=..., handling=..."""
    for part in request.headers.get("Prefer", "").split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"')
    return default


def version_from_etag(header):
    """The versionId an If-Match names: W/"3" or "3"."""
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    return value or None


def response(body=None, status=200, headers=None):
    reply = current_app.response_class(
        current_app.json.dumps(body) if body is not None else b"", status=status, headers=headers or {})
    if body is not None:
        reply.headers["Content-Type"] = CONTENT_TYPE
    else:  # no body, no type (Flask would say text/html)
        del reply.headers["Content-Type"]
    return reply


def resource_headers(resource):
    return {"ETag": etag(resource),
            "Last-Modified": http_date(parse_instant(resource["meta"]["lastUpdated"]))}


def not_modified(resource):
    """If-None-Match names this version, or If-Modified-Since is not older than it."""
    tags = request.headers.get("If-None-Match")
    if tags is not None:
        version = resource["meta"]["versionId"]
        return any(t.strip() in ("*", f'W/"{version}"', f'"{version}"') for t in tags.split(","))
    since = parse_date(request.headers.get("If-Modified-Since"))
    if since is not None:
        return parse_instant(resource["meta"]["lastUpdated"]).replace(microsecond=0) <= since
    return False


def read_response(resource):
    headers = resource_headers(resource)
    if not_modified(resource):
        return response(None, 304, headers)
    return response(resource, 200, headers)


def typed(reply):
    """Every JSON answer under the FHIR base, errors too, as application/fhir+json; charset=utf-8."""
    if reply.is_json or reply.mimetype == "application/fhir+json":
        reply.headers["Content-Type"] = CONTENT_TYPE
    return reply
