"""FHIR R4 Practitioner as Zus stores it: server meta, the owner tag, versions."""

from datetime import UTC

OWNER_SYSTEM = "https://zusapi.com/accesscontrol/owner"
CREATED_AT = "https://zusapi.com/created-at"


def instant(now):
    """An R4 instant as Zus's (HAPI) server writes it: milliseconds and "+00:00" (docs/fidelity.md)."""
    return now.astimezone(UTC).isoformat(timespec="milliseconds")


def new_practitioner(body, practitioner_id, builder_id, source_tag, now):
    """The stored version 1: the client's elements under server-assigned id and meta."""
    stamp = instant(now)
    meta = {"extension": [{"url": CREATED_AT, "valueInstant": stamp}], "versionId": "1", "lastUpdated": stamp,
            "source": f"#{source_tag}"}
    owner_tags = [{"system": OWNER_SYSTEM, "code": f"builder/{builder_id}"}]
    return _with(body, practitioner_id, _labelled(meta, owner_tags, body))


def next_version(current, body, now):
    """`body` replacing `current` (a PUT): a new versionId; created-at, source and owner are the server's."""
    kept = {k: v for k, v in current["meta"].items() if k not in ("tag", "security")}
    meta = {**kept, "versionId": str(int(current["meta"]["versionId"]) + 1), "lastUpdated": instant(now)}
    owner_tags = [t for t in current["meta"]["tag"] if t["system"] == OWNER_SYSTEM]
    return _with(body, current["id"], _labelled(meta, owner_tags, body))


def _labelled(meta, owner_tags, body):
    """The client's own tags and security labels are kept, as HAPI keeps them, after the owner tag."""
    sent = body.get("meta") or {}
    meta["tag"] = owner_tags + [t for t in sent.get("tag") or () if t.get("system") != OWNER_SYSTEM]
    if sent.get("security"):
        meta["security"] = sent["security"]
    return meta


def _with(body, resource_id, meta):
    elements = {k: v for k, v in body.items() if k not in ("resourceType", "id", "meta")}
    return {"resourceType": "Practitioner", "id": resource_id, "meta": meta, **elements}


def owner(resource):
    """The id of the Builder whose owner tag the resource carries."""
    return next(t["code"] for t in resource["meta"]["tag"] if t["system"] == OWNER_SYSTEM).split("/", 1)[1]


def etag(resource):
    """The weak ETag of the resource's version, as FHIR servers write it (W/"3")."""
    return f'W/"{resource["meta"]["versionId"]}"'
