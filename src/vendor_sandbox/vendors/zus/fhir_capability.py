"""The CapabilityStatement of the sandbox's FHIR store: what it serves, and nothing it does not."""

from .fhir import instant

SPEC = "http://hl7.org/fhir/SearchParameter/"
SEARCH_PARAMETERS = [  # (name, type, the R4 SearchParameter that defines it)
    ("_id", "token", "Resource-id"), ("_lastUpdated", "date", "Resource-lastUpdated"),
    ("_tag", "token", "Resource-tag"), ("active", "token", "Practitioner-active"),
    ("family", "string", "individual-family"), ("given", "string", "individual-given"),
    ("identifier", "token", "Practitioner-identifier"), ("name", "string", "Practitioner-name"),
]
INTERACTIONS = ("read", "vread", "update", "delete", "history-instance", "history-type", "create", "search-type")
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def capability_statement(base_url, token_url, now, version):
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(now),
        "publisher": "vendor-sandbox",
        "kind": "instance",
        "software": {"name": "vendor-sandbox (Zus Health FHIR store)", "version": version},
        "implementation": {"description": "Zus Health FHIR R4 API, Practitioner only", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "security": {
                "extension": [{"url": OAUTH_URIS, "extension": [{"url": "token", "valueUri": token_url}]}],
                "service": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                         "code": "OAuth"}]}],
                "description": f"OAuth 2.0 Bearer tokens: client credentials at {token_url}",
            },
            "resource": [{
                "type": "Practitioner",
                "profile": "http://hl7.org/fhir/StructureDefinition/Practitioner",
                "interaction": [{"code": code} for code in INTERACTIONS],
                "versioning": "versioned-update",
                "readHistory": True,
                "updateCreate": False,
                "conditionalCreate": True,
                "conditionalRead": "full-support",
                "conditionalUpdate": False,
                "conditionalDelete": "not-supported",
                "searchParam": [{"name": name, "definition": SPEC + definition, "type": kind}
                                for name, kind, definition in SEARCH_PARAMETERS],
            }],
        }],
    }
