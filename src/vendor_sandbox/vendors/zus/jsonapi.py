"""The JSON:API envelope of the Auth Service: resource objects, pagination, error sources, and
the media-type negotiation JSON:API 1.0 asks of a server."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

MEDIA_TYPE = "application/vnd.api+json"
# JSON:API 1.0: a query parameter named only with a-z is reserved for the spec; one the server does
# not know is a 400. `include` and `sort` are such names too: an endpoint that has no use for them rejects them.
RESERVED_NAME = re.compile("[a-z]+")

DEFAULT_PAGE = 100
RELATIONSHIP_KEYS = {"long": ("auth/roles", "fhir/practitioner"), "short": ("role", "practitioner")}
ROLE_INCLUDES = ("auth/roles", "role")  # a user's, in either key style
CLIENT_INCLUDES = ("auth/roles",)


@dataclass(frozen=True)
class Page:
    """One page of a listing: the resources on it and where it sits in the whole."""

    data: list
    offset: int
    count: int
    total: int
    included: list = None


def page(resources, query, included=None):
    offset, count = page_window(query)
    return Page(resources[offset:offset + count], offset, count, len(resources), included)


def role_resource(role):
    return {
        "type": "auth/roles",
        "id": role["id"],
        "attributes": {key: role[key] for key in ("name", "description", "isManaged", "permissions",
                                                  "createdAt", "updatedAt")},
    }


def user_resource(user):
    role_key, practitioner_key = RELATIONSHIP_KEYS[user["relationshipStyle"]]
    practitioner = user["practitionerId"]
    return {
        "type": "auth/users",
        "id": user["id"],
        "attributes": {key: user[key] for key in ("email", "name", "userType", "createdAt", "updatedAt")},
        "relationships": {
            role_key: {"data": {"type": "auth/roles", "id": user["roleId"]}},
            practitioner_key: {"data": practitioner and {"type": "fhir/practitioner", "id": practitioner}},
        },
    }


def app_client_resource(client, secret=False):
    attributes = {key: client[key] for key in ("type", "name", "userType", "clientId")}
    if secret:
        attributes["clientSecret"] = client["clientSecret"]
    attributes["createdAt"], attributes["updatedAt"] = client["createdAt"], client["updatedAt"]
    return {
        "type": "auth/app-clients",
        "id": client["id"],
        "attributes": attributes,
        "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": client["roleId"]}}},
    }


def page_window(query):
    """(offset, count) from page[offset]/page[count] or page[number]/page[size]."""
    count = query.get("page_count") or query.get("page_size") or DEFAULT_PAGE
    if "page_offset" in query:
        return query["page_offset"], count
    return (query.get("page_number", 1) - 1) * count, count


def page_links(url, args, offset, count, total):
    """self/prev/next as absolute URLs that keep the request's other parameters."""
    kept = [(k, v) for k, v in args.items(multi=True) if not k.startswith("page[")]

    def link(at):
        # percent-encoded (`page%5Bcount%5D`): a link must be a valid URI, and RFC 3986 reserves [ and ]
        return f"{url}?" + urlencode(kept + [("page[count]", count), ("page[offset]", at)])

    return {
        "self": link(offset),
        "prev": link(max(offset - count, 0)) if offset > 0 else None,
        "next": link(offset + count) if offset + count < total else None,
    }


def problems(messages, pointer=""):
    """[(detail, source)] from marshmallow's nested messages, keyed by wire names.

    JSON Pointer escapes "/" in a member name (`auth/roles`) as "~1".
    """
    found = []
    if isinstance(messages, (list, tuple)):
        for message in messages:
            found.extend(problems(message, pointer) if isinstance(message, dict) else [(
                _detail(message, pointer), {"pointer": pointer or "/"})])
        return found
    for key, nested in messages.items():
        if key == "_schema":
            found.extend(problems(nested, pointer))
        else:
            found.extend(problems(nested, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"))
    return found


def query_problems(messages):
    """[(detail, source)] for query-string parameters."""
    found = []
    for key, nested in messages.items():
        for message in nested if isinstance(nested, list) else [nested]:
            detail = message if str(message).startswith(("unsupported", key)) else f"{key}: {message}"
            found.append((detail, {"parameter": key}))
    return found


def _detail(message, pointer):
    member = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    if not member or message.startswith((member + " ", "exactly", "at most", "give either", "type must")):
        return message
    return f"{member}: {message}"


def media_type_problem(content_type, accept):
    """(status, detail) when a request breaks JSON:API 1.0's content negotiation, else None.

    415: a Content-Type of the JSON:API media type with parameters (`; charset=utf-8` too), body or
    not, as the spec words it. 406: every JSON:API entry of Accept carries media-type parameters (the
    `q` weight and what follows it do not count).
    """
    if content_type:
        kind, _, params = content_type.partition(";")
        if kind.strip().lower() == MEDIA_TYPE and params.strip():
            return 415, f"Content-Type {MEDIA_TYPE} must not have media type parameters"
    entries = [_media_range(entry) for entry in (accept or "").split(",") if entry.strip()]
    ours = [params for kind, params in entries if kind == MEDIA_TYPE]
    if ours and all(ours):
        return 406, f"Accept must allow {MEDIA_TYPE} without media type parameters"
    return None


def _media_range(entry):
    """(type/subtype, its media-type parameters) of one Accept entry; accept-params start at q."""
    kind, *params = (part.strip() for part in entry.split(";"))
    own = []
    for param in filter(None, params):  # a stray ";" is no parameter
        if param.split("=", 1)[0].strip().lower() == "q":
            break
        own.append(param)
    return kind.lower(), own
