"""The FHIR wire shapes, for the OpenAPI document (and the fuzzers that read it): bodies are
validated by the FHIR model libraries (fhir_validation.py), never by these schemas."""

from marshmallow import INCLUDE, RAISE, fields, validate

from ...api import Schema


class HumanNameSchema(Schema):
    class Meta:
        unknown = RAISE

    use = fields.String(validate=validate.OneOf(("usual", "official", "temp", "nickname", "anonymous", "old",
                                                 "maiden")))
    text = fields.String()
    family = fields.String(metadata={"example": "Smith"})
    given = fields.List(fields.String(), metadata={"example": ["Jane"]})
    prefix = fields.List(fields.String())
    suffix = fields.List(fields.String())
    period = fields.Dict()


class PractitionerSchema(Schema):
    """A FHIR R4 Practitioner (every element R4 defines)."""

    class Meta:
        unknown = RAISE

    resourceType = fields.String(required=True, metadata={"enum": ["Practitioner"]})
    id = fields.String(metadata={"description": "Ignored on create: the server assigns the id; required on update"})
    meta = fields.Dict()
    implicitRules = fields.String()
    language = fields.String()
    text = fields.Dict()
    contained = fields.List(fields.Dict())
    extension = fields.List(fields.Dict())
    modifierExtension = fields.List(fields.Dict())
    identifier = fields.List(fields.Dict())
    active = fields.Boolean(truthy={True}, falsy={False}, metadata={"example": True})
    name = fields.List(fields.Nested(HumanNameSchema))
    telecom = fields.List(fields.Dict())
    address = fields.List(fields.Dict())
    gender = fields.String(validate=validate.OneOf(("male", "female", "other", "unknown")))
    birthDate = fields.String(metadata={"format": "date"})
    photo = fields.List(fields.Dict())
    qualification = fields.List(fields.Dict())
    communication = fields.List(fields.Dict())


class PractitionerResourceSchema(PractitionerSchema):
    class Meta:
        unknown = INCLUDE  # R4's primitive extensions (_birthDate, ...) too

    id = fields.String(required=True)
    meta = fields.Dict(required=True, metadata={
        "description": "versionId, lastUpdated, source, the created-at extension and the Builder owner tag"})


def _string(description, **kwargs):
    return fields.String(metadata={"description": description}, **kwargs)


class PractitionerSearchSchema(Schema):
    """Parsed by fhir_search.py from the raw query (repeats and modifiers included)."""

    class Meta:
        unknown = INCLUDE

    _id = _string("Resource ids, comma-separated", data_key="_id")
    identifier = _string("system|value, |value or value (an NPI: http://hl7.org/fhir/sid/us-npi|1234567893)")
    name = _string("Any part of a name: case- and accent-insensitive 'starts with'")
    name_exact = _string("Exactly (case-sensitive)", data_key="name:exact")
    name_contains = _string("Anywhere in the name part", data_key="name:contains")
    family = _string("Family name")
    family_exact = _string("Family name, exactly", data_key="family:exact")
    family_contains = _string("Family name, anywhere", data_key="family:contains")
    given = _string("Given name")
    given_exact = _string("Given name, exactly", data_key="given:exact")
    given_contains = _string("Given name, anywhere", data_key="given:contains")
    active = _string("true or false")
    _lastUpdated = _string("A date or instant with a prefix (eq, ne, gt, lt, ge, le, sa, eb, ap)",
                           data_key="_lastUpdated")
    _tag = _string("system|code", data_key="_tag")
    _tag_not = _string("system|code the resources must not carry", data_key="_tag:not")
    _sort = _string("_id, _lastUpdated, family, given or name; '-' for descending", data_key="_sort")
    _count = _string("Page size, 0 for the total only (at most 1000)", data_key="_count")
    _offset = _string("Matches to skip", data_key="_offset")
    _total = _string("none, estimated or accurate", data_key="_total")
    _summary = _string("true, text, data, count or false", data_key="_summary")
    _elements = _string("Elements to return, comma-separated", data_key="_elements")
    _format = _string("json or application/fhir+json (XML is not served)", data_key="_format")


class BundleLinkSchema(Schema):
    relation = fields.String(required=True, metadata={"enum": ["self", "next", "previous"]})
    url = fields.String(required=True)


class BundleSearchSchema(Schema):
    mode = fields.String(required=True, metadata={"example": "match"})


class BundleRequestSchema(Schema):
    method = fields.String(required=True, metadata={"enum": ["POST", "PUT", "DELETE"]})
    url = fields.String(required=True)


class BundleResponseSchema(Schema):
    status = fields.String(required=True, metadata={"example": "200 OK"})
    etag = fields.String()
    lastModified = fields.String()


class BundleEntrySchema(Schema):
    fullUrl = fields.String(required=True)
    resource = fields.Nested(PractitionerResourceSchema)
    search = fields.Nested(BundleSearchSchema)
    request = fields.Nested(BundleRequestSchema)
    response = fields.Nested(BundleResponseSchema)


class BundleMetaSchema(Schema):
    lastUpdated = fields.String(required=True)


class BundleSchema(Schema):
    resourceType = fields.String(required=True, metadata={"enum": ["Bundle"]})
    id = fields.String(required=True)
    meta = fields.Nested(BundleMetaSchema, required=True)
    type = fields.String(required=True, metadata={"enum": ["searchset", "history"]})
    total = fields.Integer(metadata={"description": "Absent with _total=none"})
    link = fields.List(fields.Nested(BundleLinkSchema), required=True)
    entry = fields.List(fields.Nested(BundleEntrySchema), metadata={"description": "Absent when nothing matched"})


class CapabilityStatementSchema(Schema):
    class Meta:
        unknown = INCLUDE

    resourceType = fields.String(required=True, metadata={"enum": ["CapabilityStatement"]})
    status = fields.String(required=True)
    kind = fields.String(required=True)
    fhirVersion = fields.String(required=True, metadata={"example": "4.0.1"})
    format = fields.List(fields.String(), required=True)
    rest = fields.List(fields.Dict(), required=True)
