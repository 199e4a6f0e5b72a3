"""Nabla's wire shapes: user bodies, the User (all versions), the list page, tokens."""

from marshmallow import EXCLUDE, ValidationError, fields, validate

from ...api import Schema
from . import errors

ROLES = ("ADMINISTRATOR", "PRACTITIONER")
# specialty_kind in Nabla's 2026-04-24 document
SPECIALTIES = (
    "ADDICTION_MEDICINE", "PAIN_MEDICINE", "ALLERGY_AND_IMMUNOLOGY", "ANESTHESIOLOGY", "ONCOLOGY",
    "CARDIOLOGY", "SURGERY", "DERMATOLOGY", "DIABETOLOGY", "ENDOCRINOLOGY", "GENETICS", "GERIATRICS",
    "GYNECOLOGY", "HEMATOLOGY", "HEPATOLOGY", "GASTROENTEROLOGY", "SPORTS_MEDICINE",
    "OCCUPATIONAL_MEDICINE", "GENERAL_MEDICINE", "FORENSIC_MEDICINE",
    "PHYSICAL_MEDICINE_AND_REHABILITATION", "NEPHROLOGY", "NEUROLOGY", "NUTRITION", "DIETETICS",
    "OPHTHALMOLOGY", "ENT", "PEDIATRICS", "PULMONOLOGY", "PSYCHIATRY", "RHEUMATOLOGY", "RADIOLOGY",
    "IMMUNOLOGY", "INFECTIOUS_DISEASE", "SEXUAL_MEDICINE", "TOXICOLOGY", "UROLOGY", "MIDWIFE",
    "EMERGENCY_MEDICINE", "NURSE", "PSYCHOLOGY", "PSYCHOTHERAPY", "INTERNAL_MEDICINE", "FAMILY_MEDICINE",
    "DENTIST", "VETERINARIAN", "PHYSIOTHERAPY", "CHIROPRACTIC", "OSTEOPATHIC_MEDICINE", "ORTHOPEDICS",
    "OTHER", "LACTATION_CONSULTANT", "PODIATRY", "GENERAL_PRACTICE", "HOSPITAL_MEDICINE",
    "BEHAVIORAL_HEALTH", "MENTAL_HEALTH", "SUBSTANCE_USE_DISORDER", "VASCULAR_MEDICINE",
    "LIFESTYLE_MEDICINE", "PREVENTIVE_MEDICINE", "PUBLIC_HEALTH", "ADOLESCENT_MEDICINE", "WOUND_CARE",
    "NEUROSURGERY", "PLASTIC_SURGERY", "PALLIATIVE_CARE", "TRANSPLANT_MEDICINE", "OBESITY_MEDICINE",
    "CASE_MANAGEMENT", "CARE_MANAGEMENT", "CARE_COORDINATION", "SOCIAL_WORK", "PATHOLOGY",
    "RADIATION_ONCOLOGY", "SLEEP_MEDICINE", "AUDIOLOGY", "REPRODUCTIVE_ENDOCRINOLOGY", "PHARMACIST",
    "OCCUPATIONAL_THERAPY", "SPEECH_LANGUAGE_PATHOLOGY",
)
MAX_KEYS, MAX_KEY_LENGTH, MAX_VALUE_LENGTH, MAX_EXTERNAL_ID = 50, 40, 500, 256

EXTERNAL_ID_DOC = "A unique identifier for the user from another system which is given to Nabla."
METADATA_DOC = (
    "You can use this parameter to attach key-value data to the object. You can specify up to 50 keys, "
    "with key names up to 40 characters long, all values must be of type string and up to 500 characters "
    "long."
)
DEPRECATED_EMAIL = "Deprecated; versions up to 2024-04-22 (and the archived Copilot API) only."
DEPRECATED_ROLES = "Deprecated; versions up to 2024-04-22 (and the archived Copilot API) only."
SPECIALTY_DOC = "The medical specialty of the provider; from version 2026-04-24 on."


class StrictString(fields.String):
    """A JSON string only: Nabla's parser does not turn numbers or booleans into strings."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Metadata(fields.Field):
    """String-to-string map: at most 50 keys of at most 40 characters, values of at most 500."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("Not a valid mapping type.")
        for key, item in value.items():
            if not isinstance(item, str):
                raise ValidationError({key: ["Not a valid string."]})
        if len(value) > MAX_KEYS:
            raise ValidationError(errors.TOO_MANY_KEYS)
        if any(len(key) > MAX_KEY_LENGTH for key in value):
            raise ValidationError(errors.KEY_TOO_LONG)
        for key, item in value.items():
            if len(item) > MAX_VALUE_LENGTH:
                raise ValidationError(errors.VALUE_TOO_LONG.format(key))
        return dict(value)


def _external_id():
    return StrictString(allow_none=True,
                        metadata={"description": EXTERNAL_ID_DOC, "maxLength": MAX_EXTERNAL_ID},
                        validate=validate.Length(max=MAX_EXTERNAL_ID, error=errors.EXTERNAL_ID_TOO_LONG))


def _metadata():
    return Metadata(allow_none=True, metadata={
        "type": "object", "description": METADATA_DOC, "nullable": True, "maxProperties": MAX_KEYS,
        "additionalProperties": {"type": "string", "maxLength": MAX_VALUE_LENGTH}})


def _specialty():
    return StrictString(allow_none=True, validate=validate.OneOf(SPECIALTIES),
                        metadata={"description": SPECIALTY_DOC, "enum": list(SPECIALTIES)})


class BodySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # fields a version does not know are ignored


class VersionedBodySchema(BodySchema):
    """A body whose fields depend on the API version (versions.writable_fields)."""

    CREATING = False


class UserCreateSchema(VersionedBodySchema):
    """Create body: every field of every version; a version reads only its own."""

    CREATING = True

    external_id = _external_id()
    metadata = _metadata()
    specialty = _specialty()
    email = StrictString(allow_none=True, validate=validate.Email(error=errors.INVALID_EMAIL),
                         metadata={"format": "email", "description": DEPRECATED_EMAIL, "deprecated": True})
    roles = fields.List(StrictString(validate=validate.OneOf(ROLES)),
                        metadata={"description": DEPRECATED_ROLES, "deprecated": True})


class UserUpdateSchema(VersionedBodySchema):
    """Partial update; `metadata` is replaced as a whole."""

    external_id = _external_id()
    metadata = _metadata()
    specialty = _specialty()


class EmptyBodySchema(BodySchema):
    """The required `{}` of activate and deactivate."""


class UserListQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # nabla-api-version and anything else in the query

    cursor = fields.String(metadata={
        "description": "The cursor you received in the next_cursor field to fetch the next page."})
    limit = fields.Integer(strict=False, validate=validate.Range(1, 100, error=errors.LIMIT_RANGE), metadata={
        "description": "The amount of objects to retrieve, between 1 and 100.", "example": 10})
    order = fields.String(load_default="ASC", validate=validate.OneOf(("ASC", "DESC")), metadata={
        "description": "This flag is used to get results sorted in ascending or descending order.",
        "enum": ["ASC", "DESC"]})
    activated = fields.Boolean(truthy={"true"}, falsy={"false"}, metadata={
        "description": "Optional filter for activated/deactivated users."})


class UserSchema(Schema):
    """The User; which properties appear depends on the API version (versions.user_fields)."""

    id = fields.String(required=True, metadata={"format": "uuid", "description": "A unique identifier."})
    activated = fields.Boolean(required=True, metadata={
        "description": "Always true unless you explicitly deactivate the user."})
    external_id = fields.String(allow_none=True, metadata={"description": EXTERNAL_ID_DOC,
                                                           "maxLength": MAX_EXTERNAL_ID})
    metadata = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True,
                           metadata={"description": METADATA_DOC})
    created_at = fields.String(required=True, metadata={
        "format": "date-time", "description": "The creation date of this object, in ISO 8601 format.",
        "example": "2022-03-10T19:16:23.456Z"})
    email = fields.String(allow_none=True, metadata={"format": "email", "description": DEPRECATED_EMAIL})
    roles = fields.List(fields.String(metadata={"enum": list(ROLES)}),
                        metadata={"description": DEPRECATED_ROLES})
    specialty = fields.String(metadata={"description": SPECIALTY_DOC + " Left out while unset.",
                                        "enum": list(SPECIALTIES)})


class UserListSchema(Schema):
    data = fields.List(fields.Nested(UserSchema), required=True)
    has_more = fields.Boolean(required=True, metadata={"example": True})
    next_cursor = fields.String(allow_none=True, metadata={
        "description": "An opaque cursor to fetch the next page of the collection."})


class TokenRequestSchema(BodySchema):
    grant_type = StrictString(required=True, metadata={"example": "client_credentials",
                                                       "description": errors.GRANT_TYPE})
    client_assertion_type = StrictString(required=True, metadata={
        "example": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "description": errors.ASSERTION_TYPE})
    client_assertion = StrictString(required=True, metadata={
        "description": "A short-lived JWT assertion that serves to authenticate this request."})


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    expires_in = fields.Integer(required=True,
                                metadata={"description": "The lifetime of the access token, in seconds."})


class SessionTokensSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class RefreshRequestSchema(BodySchema):
    refresh_token = StrictString(required=True, metadata={
        "description": "The refresh token of the user's session (from jwt/authenticate or a refresh)."})

