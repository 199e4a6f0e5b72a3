"""JSON:API 1.0's document rules for every Auth Service response: our schema of the spec text
(jsonapi-1.0-document.schema.json) plus the rules a schema cannot say, with Zus's recorded
departures applied by name (each one is a line in docs/fidelity.md)."""

import copy
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema

MEDIA_TYPE = "application/vnd.api+json"
SPEC_SCHEMA = json.loads((Path(__file__).parent / "jsonapi-1.0-document.schema.json").read_text())
# RFC 3986: what may stand in a URI once everything else is percent-encoded
URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def zus_schema():
    """The spec's schema with Zus's departures, each for a recorded reason (docs/fidelity.md)."""
    schema = copy.deepcopy(SPEC_SCHEMA)
    member = schema["$defs"]["memberName"]
    # Zus's docs name types and relationships `auth/roles`, `fhir/practitioner`: a "/" inside a name
    member["pattern"] = member["pattern"].replace("_ -]", "_ /-]")
    # Zus's docs give an app client a `type` attribute (machine_to_machine...), a name JSON:API keeps for the type
    schema["$defs"]["attributes"]["propertyNames"]["not"]["enum"].remove("type")
    error = schema["$defs"]["error"]["properties"]
    # Zus's JSON:API services write `code` as the HTTP status number and Zus's client reads `details`
    error["code"] = {"type": "integer"}
    error["details"] = {"type": "string"}
    return schema


SPEC = jsonschema.Draft202012Validator(SPEC_SCHEMA)
ZUS = jsonschema.Draft202012Validator(zus_schema())


def problems(document, validator=ZUS):
    """Every JSON:API 1.0 rule `document` breaks (by default, beyond Zus's recorded departures)."""
    found = [_say(e) for e in validator.iter_errors(document)]
    if found or "data" not in document:
        return found + _link_problems(document.get("links") or {})
    primary = document["data"] if isinstance(document["data"], list) else [document["data"]] if document["data"] else []
    included = document.get("included", [])
    seen = [(r["type"], r["id"]) for r in primary + included]
    if len(seen) != len(set(seen)):
        found.append("a compound document holds a resource more than once")
    # full linkage: each included resource is reached from primary data, through other included ones
    linked = set(_linkage(primary))
    reached, grew = set(), True
    while grew:
        grew = False
        for resource in included:
            key = (resource["type"], resource["id"])
            if key in linked and key not in reached:
                reached.add(key)
                linked.update(_linkage([resource]))
                grew = True
    found += [f"included {t} {i} is not linked from the document" for t, i in
              ((r["type"], r["id"]) for r in included) if (t, i) not in reached]
    return found + _link_problems(document.get("links") or {})


def check_response(response_status, content_type, document):
    """AssertionError naming each rule broken: the media type, then the document."""
    assert content_type == MEDIA_TYPE, f"Content-Type {content_type!r} is not exactly {MEDIA_TYPE}"
    broken = problems(document)
    assert not broken, f"{response_status}: {broken}\n{json.dumps(document)[:2000]}"
    assert ("errors" in document) == (response_status >= 400), f"a {response_status} answer: {document}"
    statuses = {error.get("status") for error in document.get("errors", [])}
    assert statuses <= {str(response_status), None}, f"error statuses {statuses} in a {response_status} answer"


def _say(error):
    """The innermost reasons of a schema error (oneOf's own message names none)."""
    deepest = jsonschema.exceptions.best_match([error]) if not error.context else \
        jsonschema.exceptions.best_match(error.context)
    return f"/{'/'.join(map(str, deepest.absolute_path))}: {deepest.message}"


def _linkage(resources):
    for resource in resources:
        for relationship in (resource.get("relationships") or {}).values():
            data = relationship.get("data")
            for identifier in data if isinstance(data, list) else [data] if data else []:
                yield identifier["type"], identifier["id"]


def _link_problems(links):
    found = []
    for name, link in links.items():
        url = link["href"] if isinstance(link, dict) else link
        if url is None:
            continue
        parts = urlsplit(url)
        # [ and ] are allowed only around an IP literal host; elsewhere they must be percent-encoded
        rest = url[len(f"{parts.scheme}://{parts.netloc}"):] if parts.netloc else url
        if not URI_CHARACTERS.fullmatch(url) or "[" in rest or "]" in rest:
            found.append(f"links.{name} is not a percent-encoded URI: {url}")
    return found
