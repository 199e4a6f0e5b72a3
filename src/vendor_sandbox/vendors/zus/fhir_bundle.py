"""FHIR R4 Bundles as a HAPI server writes them: searchset and history, with id, meta, total, links."""

from urllib.parse import urlencode

from .fhir import etag, instant


def searchset(base, args, page, query, bundle_id, now, shape):
    """`page` is (resources, offset, total); links keep the parameters the client sent, sorted by name."""
    resources, offset, total = page
    bundle = _bundle(bundle_id, now, "searchset", None if query.total == "none" else total)
    bundle["link"] = _links(base, args, offset, query.count, total)
    if resources:
        bundle["entry"] = [{"fullUrl": f"{base}/{r['id']}", "resource": shape(r), "search": {"mode": "match"}}
                           for r in resources]
    return bundle


def history(base, self_url, args, versions, offset, count, bundle_id, now):
    """A history Bundle, newest version first; a deletion is an entry with no resource."""
    bundle = _bundle(bundle_id, now, "history", len(versions))
    bundle["link"] = _links(self_url, args, offset, count, len(versions))
    entries = []
    for version in versions[offset:offset + count]:
        resource, url = version["resource"], f"{base}/{version['id']}"
        entry = {"fullUrl": url}
        if version["method"] == "DELETE":
            entry["request"] = {"method": "DELETE", "url": f"Practitioner/{version['id']}"}
            entry["response"] = {"status": "204 No Content", "lastModified": version["at"]}
        else:
            entry["resource"] = resource
            target = "Practitioner" if version["method"] == "POST" else f"Practitioner/{version['id']}"
            entry["request"] = {"method": version["method"], "url": target}
            entry["response"] = {"status": "201 Created" if version["method"] == "POST" else "200 OK",
                                 "etag": etag(resource),
                                 "lastModified": resource["meta"]["lastUpdated"]}
        entries.append(entry)
    if entries:
        bundle["entry"] = entries
    return bundle


def _bundle(bundle_id, now, kind, total):
    bundle = {"resourceType": "Bundle", "id": bundle_id, "meta": {"lastUpdated": instant(now)}, "type": kind}
    if total is not None:
        bundle["total"] = total
    return bundle


def _links(url, args, offset, count, total):
    def link(relation, pairs):
        pairs = sorted(pairs, key=lambda pair: pair[0])
        return {"relation": relation, "url": f"{url}?{urlencode(pairs)}" if pairs else url}

    sent = list(args)
    paging = [(k, v) for k, v in sent if k not in ("_offset", "_count")] + [("_count", str(count))]
    links = [link("self", sent)]
    # a page of 0 never has a next: it would name the same page again
    if count and offset + count < total:
        links.append(link("next", paging + [("_offset", str(offset + count))]))
    if count and offset > 0:
        previous = max(offset - count, 0)
        links.append(link("previous", paging + ([("_offset", str(previous))] if previous else [])))
    return links
