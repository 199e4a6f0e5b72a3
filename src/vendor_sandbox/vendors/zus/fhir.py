"""FHIR R4 Practitioner as Zus stores it: server meta, owner tag, string search, searchset Bundles."""

from urllib.parse import urlencode

from ...ids import iso_millis

OWNER_SYSTEM = "https://zusapi.com/accesscontrol/owner"
CREATED_AT = "https://zusapi.com/created-at"
DEFAULT_COUNT = 20
SEARCH_PARAMETERS = ("_count", "_id", "_offset", "active", "family", "given", "name")
# result-shaping parameters that servers accept and we do not act on
IGNORED_PARAMETERS = ("_format", "_pretty", "_summary", "_total")


def new_practitioner(body, practitioner_id, builder_id, source_tag, now):
    """The stored resource: the client's elements under server-assigned id and meta."""
    instant = iso_millis(now)
    elements = {k: v for k, v in body.items() if k not in ("resourceType", "id", "meta")}
    return {
        "resourceType": "Practitioner",
        "id": practitioner_id,
        "meta": {
            "extension": [{"url": CREATED_AT, "valueInstant": instant}],
            "versionId": "1",
            "lastUpdated": instant,
            "source": f"#{source_tag}",
            "tag": [{"system": OWNER_SYSTEM, "code": f"builder/{builder_id}"}],
        },
        **elements,
    }


def practitioner(given, family, practitioner_id, builder_id, source_tag, created, active=True):
    """A fixture Practitioner as the walkthrough's minimal body makes it."""
    body = {"active": active, "name": [{"family": family, "given": [given]}]}
    return new_practitioner(body, practitioner_id, builder_id, source_tag, created)


def owner(resource):
    """The id of the Builder whose owner tag the resource carries."""
    return next(t["code"] for t in resource["meta"]["tag"] if t["system"] == OWNER_SYSTEM).split("/", 1)[1]


def unknown_parameters(args):
    return [name for name in args if name not in SEARCH_PARAMETERS + IGNORED_PARAMETERS]


def matches(resource, query):
    """FHIR string search: case-insensitive prefix; a comma means OR."""
    if "_id" in query and resource["id"] not in query["_id"].split(","):
        return False
    if "active" in query and resource.get("active", True) != (query["active"] == "true"):
        return False
    names = resource.get("name") or []
    families = [n.get("family") or "" for n in names]
    givens = [g for n in names for g in n.get("given") or ()]
    every_part = families + givens + [p for n in names for key in ("text", "prefix", "suffix")
                                      for p in _as_list(n.get(key))]
    for parameter, values in (("name", every_part), ("family", families), ("given", givens)):
        if parameter in query and not _prefix_match(query[parameter], values):
            return False
    return True


def bundle(url, args, resources, offset, count, total):
    """A searchset Bundle; fullUrl and links are absolute."""
    base = url.rsplit("/", 1)[0] if url.endswith("/") else url
    kept = [(k, v) for k, v in args.items(multi=True) if k not in ("_offset", "_count")]

    def link(at):
        return f"{base}?" + urlencode(kept + [("_count", count), ("_offset", at)])

    links = [{"relation": "self", "url": link(offset)}]
    if offset + count < total:
        links.append({"relation": "next", "url": link(offset + count)})
    if offset > 0:
        links.append({"relation": "previous", "url": link(max(offset - count, 0))})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [{"fullUrl": f"{base}/{r['id']}", "resource": r, "search": {"mode": "match"}}
                  for r in resources],
    }


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _prefix_match(wanted, values):
    options = [w.casefold() for w in wanted.split(",") if w]
    return any(v.casefold().startswith(o) for v in values for o in options)
