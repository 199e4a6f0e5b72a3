"""FHIR R4 search over Practitioners as a HAPI server answers it: parameters, modifiers, prefixes,
sorting, paging and the result parameters (_summary, _elements, _total)."""

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ...ids import parse_instant
from .errors import FhirInvalid, FhirUnknownParameter

DEFAULT_COUNT = 20
MAX_COUNT = 1000  # HAPI's default maximum page size: a larger _count is cut to it
# name -> the modifiers it takes ("" = none)
PARAMETERS = {"_id": ("",), "identifier": ("",), "name": ("", "exact", "contains"),
              "family": ("", "exact", "contains"), "given": ("", "exact", "contains"), "active": ("",),
              "_lastUpdated": ("",), "_tag": ("", "not")}
RESULT_PARAMETERS = ("_count", "_offset", "_sort", "_total", "_summary", "_elements", "_format", "_pretty")
SORTS = ("_id", "_lastUpdated", "family", "given", "name")
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
SUBSETTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}
MANDATORY = ("resourceType", "id", "meta")


@dataclass
class Query:
    criteria: list = field(default_factory=list)  # (name, modifier, [values]): every one must match
    sort: list = field(default_factory=list)  # (name, descending)
    count: int = DEFAULT_COUNT
    offset: int = 0
    total: str = "accurate"
    summary: str = "false"
    elements: tuple = ()


def parse(args, lenient=False):
    """A Query from the request's (name, value) pairs; 400 for what a HAPI server refuses."""
    query, problems = Query(), []
    for raw, value in args:
        name, _, modifier = raw.partition(":")
        if name in PARAMETERS:
            if modifier not in PARAMETERS[name]:
                problems.append((f'Invalid modifier ":{modifier}" for search parameter "{name}"', raw))
                continue
            values = [v for v in value.split(",") if v]
            problems += _check(name, values, raw)
            query.criteria.append((name, modifier, values))
        elif raw in RESULT_PARAMETERS:
            problems += _result(query, raw, value)
        elif not lenient:
            raise FhirUnknownParameter(name=raw, valid=", ".join(sorted(PARAMETERS)))
    if problems:
        raise FhirInvalid([(f"{expression}: {text}", expression) for text, expression in problems])
    if query.summary == "count":
        query.count = 0
    return query


def paging(args):
    """Only _count and _offset (a history's parameters); the others are ignored."""
    query, problems = Query(), []
    for name, value in args:
        if name in ("_count", "_offset"):
            problems += _result(query, name, value)
    if problems:
        raise FhirInvalid([(f"{expression}: {text}", expression) for text, expression in problems])
    return query


def _check(name, values, raw):
    if name == "active":
        return [(f'Invalid boolean "{v}": expected true or false', raw)
                for v in values if v not in ("true", "false")]
    if name == "_lastUpdated":
        return [(f'Invalid date/time "{v}"', raw) for v in values if _date_range(v) is None]
    return []


def _result(query, name, value):
    if name in ("_count", "_offset"):
        if not value.isdigit():
            return [(f'Invalid {name} value "{value}": expected a non-negative integer', name)]
        setattr(query, name[1:], min(int(value), MAX_COUNT) if name == "_count" else int(value))
    elif name == "_sort":
        for key in filter(None, value.split(",")):
            if key.lstrip("-") not in SORTS:
                return [(f'Unknown _sort parameter value "{key}"; can sort by: {", ".join(SORTS)}', name)]
            query.sort.append((key.lstrip("-"), key.startswith("-")))
    elif name == "_total":
        if value not in ("none", "estimated", "accurate"):
            return [(f'Invalid _total value "{value}": expected none, estimated or accurate', name)]
        query.total = value
    elif name == "_summary":
        if value not in ("true", "false", "text", "data", "count"):
            return [(f'Invalid _summary value "{value}": expected true, false, text, data or count', name)]
        query.summary = value
    elif name == "_elements":
        query.elements = tuple(e.strip() for e in value.split(",") if e.strip())
    return []


def matches(resource, query):
    return all(_matches(resource, name, modifier, values) for name, modifier, values in query.criteria)


def _matches(resource, name, modifier, values):
    if name == "_id":
        return resource["id"] in values
    if name == "active":
        return any(resource.get("active") is (v == "true") for v in values)
    if name == "identifier":
        return any(_token(i.get("system"), i.get("value"), v)
                   for i in resource.get("identifier", ()) for v in values)
    if name == "_tag":
        tagged = any(_token(t.get("system"), t.get("code"), v) for t in resource["meta"].get("tag", ())
                     for v in values)
        return not tagged if modifier == "not" else tagged
    if name == "_lastUpdated":
        at = parse_instant(resource["meta"]["lastUpdated"])
        return any(_date_matches(at, v) for v in values)
    return any(_string(candidate, v, modifier) for candidate in _strings(resource, name) for v in values)


def _token(system, code, wanted):
    """system|code, |code (no system), system| (any code), code (any system)."""
    if "|" not in wanted:
        return code == wanted
    want_system, want_code = wanted.split("|", 1)
    if want_system == "":
        return not system and code == want_code
    return system == want_system and (want_code == "" or code == want_code)


def _strings(resource, name):
    names = resource.get("name", ())
    if name == "family":
        return [n["family"] for n in names if "family" in n]
    if name == "given":
        return [g for n in names for g in n.get("given", ())]
    return [p for n in names for key in ("text", "family", "given", "prefix", "suffix")
            for p in ([n[key]] if isinstance(n.get(key), str) else n.get(key, ()))]


def _string(candidate, wanted, modifier):
    """FHIR string search: by default case- and accent-insensitive 'starts with'."""
    if modifier == "exact":
        return candidate == wanted
    candidate, wanted = _normal(candidate), _normal(wanted)
    return wanted in candidate if modifier == "contains" else candidate.startswith(wanted)


def _normal(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def _date_range(value):
    """[start, end) that a date/dateTime search value stands for, at its own precision; None if invalid."""
    value = value[2:] if value[:2] in PREFIXES else value
    for pattern, length, step in (("%Y", 4, "year"), ("%Y-%m", 7, "month"), ("%Y-%m-%d", 10, "day")):
        if len(value) == length:
            try:
                start = datetime.strptime(value, pattern).replace(tzinfo=UTC)
            except ValueError:
                return None
            return start, _after(start, step)
    try:
        start = parse_instant(value)
    except ValueError:
        return None
    if "T" not in value:
        return None
    precision = timedelta(seconds=1) if "." not in value else timedelta(milliseconds=1)
    return start, start + precision


def _after(start, step):
    if step == "year":
        return start.replace(year=start.year + 1)
    if step == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start + timedelta(days=1)


def _date_matches(at, value):
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    start, end = _date_range(value)
    return {"eq": start <= at < end, "ap": start <= at < end, "ne": not start <= at < end,
            "gt": at >= end, "sa": at >= end, "ge": at >= start, "lt": at < start, "eb": at < start,
            "le": at < end}[prefix]


def ordered(resources, sort):
    """Stable sorts, last key first; HAPI puts resources without the value last."""
    for name, descending in reversed(sort):
        present = [r for r in resources if _sort_key(r, name) is not None]
        missing = [r for r in resources if _sort_key(r, name) is None]
        resources = sorted(present, key=lambda r, n=name: _sort_key(r, n), reverse=descending) + missing
    return resources


def _sort_key(resource, name):
    if name == "_id":
        return resource["id"]
    if name == "_lastUpdated":
        return parse_instant(resource["meta"]["lastUpdated"])
    values = _strings(resource, name)
    return min(_normal(v) for v in values) if values else None


def shaped(resource, query, summary_elements):
    """The resource as _summary/_elements ask; a subset carries the SUBSETTED tag."""
    if query.elements:
        kept = {k: v for k, v in resource.items() if k in MANDATORY or k in query.elements}
    elif query.summary == "true":
        kept = {k: v for k, v in resource.items() if k in MANDATORY or k in summary_elements}
    elif query.summary == "text":
        kept = {k: v for k, v in resource.items() if k in MANDATORY or k == "text"}
    elif query.summary == "data":
        kept = {k: v for k, v in resource.items() if k != "text"}
    else:
        return resource
    if kept == resource:
        return resource
    meta = kept["meta"]
    return {**kept, "meta": {**meta, "tag": [*meta.get("tag", ()), SUBSETTED]}}
