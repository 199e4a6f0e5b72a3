"""Welkin's wire shapes: request bodies with Hibernate-Validator messages, the recorded records."""

import functools
import zoneinfo

from marshmallow import EXCLUDE, ValidationError, fields, validate

from ...api import Schema
from .errors import (
    MUST_BE_ARRAY,
    MUST_BE_BOOLEAN,
    MUST_BE_OBJECT,
    MUST_BE_STRING,
    MUST_NOT_BE_NULL,
    MUST_NOT_BLANK,
    NOT_A_PERMISSION_TYPE,
    NOT_A_TIME_ZONE,
    NOT_AN_EMAIL,
)

E164 = r"^\+[1-9]\d{1,14}$"
USER_STATES = ("ACTIVE", "INACTIVE", "PROVISIONED")
PERMISSION_TYPES = ("SECURITY_ROLE", "SECURITY_POLICY")


# a missing, null or non-array value where an array is required
ARRAY_ERRORS = {"required": MUST_NOT_BE_NULL, "null": MUST_NOT_BE_NULL, "invalid": MUST_BE_ARRAY}


def not_blank(value):
    if not value.strip():
        raise ValidationError(MUST_NOT_BLANK)


@functools.cache
def timezones():
    """The IANA names, read on first use: listing the tz database took a fifth of start-up."""
    return frozenset(zoneinfo.available_timezones())


def iana_timezone(value):
    if value not in timezones():
        raise ValidationError(NOT_A_TIME_ZONE)


def text(required=False, nullable=None, validators=(), **kwargs):
    """A string field: required ones are @NotBlank; optional ones accept null (unset)."""
    validators = ([not_blank] if required else []) + list(validators)
    return fields.String(
        required=required,
        allow_none=(not required) if nullable is None else nullable,
        validate=validators,
        error_messages={"required": MUST_NOT_BLANK, "null": MUST_NOT_BLANK, "invalid": MUST_BE_STRING},
        **kwargs,
    )


def flag(**kwargs):
    return fields.Boolean(
        error_messages={"invalid": MUST_BE_BOOLEAN, "null": MUST_NOT_BE_NULL, "required": MUST_NOT_BE_NULL},
        **kwargs,
    )


def string_list(required=False, **kwargs):
    return fields.List(
        text(required=True),
        required=required,
        error_messages=ARRAY_ERRORS,
        **kwargs,
    )


def email(required=False):
    return text(
        required=required,
        nullable=False,
        validators=[validate.Email(error=NOT_AN_EMAIL)],
        metadata={"format": "email"},
    )


def phone():
    message = 'must match "{}"'.format(E164.replace("{", "{{").replace("}", "}}"))
    return text(
        validators=[validate.Regexp(E164, error=message)],
        metadata={"description": "E.164, e.g. +15552009845"},
    )


def timezone():
    return text(validators=[iana_timezone], metadata={"description": "IANA timezone (e.g. America/New_York)"})


def attributes():
    return fields.Dict(keys=fields.String(), error_messages={"invalid": MUST_BE_OBJECT})


class WelkinSchema(Schema):
    """Spring ignores unknown JSON properties; COMPONENT is the componentType of its 400s."""

    COMPONENT = "USER"

    class Meta:
        unknown = EXCLUDE


# ---- requests -----------------------------------------------------------------------------


class TokenRequestSchema(WelkinSchema):
    COMPONENT = "AUTH"
    secret = text(required=True, metadata={"example": "your-api-client-secret"})
    apiClient = text(required=True, metadata={"example": "your-api-client-key"})


class LegacyTokenRequestSchema(WelkinSchema):
    COMPONENT = "AUTH"
    secret = text(required=True, metadata={"example": "+}B{KGTG6#zG%P;tQm0C"})


class UserCreateSchema(WelkinSchema):
    """The new docs' create body (first four required), plus the recorded optional fields."""

    firstName = text(required=True, metadata={"description": "User's first name"})
    lastName = text(required=True, metadata={"description": "User's last name"})
    email = email(required=True)
    username = text(required=True, metadata={"description": "Unique username"})
    role = text(metadata={"description": "Assigned role from Designer"})
    timezone = timezone()
    phone = phone()
    credentials = text()
    locale = text()
    seats = string_list()
    mfaEnabled = flag()
    ssoAccess = flag()
    passwordAccess = flag()
    customUserAttributes = attributes()


class LegacyUserUpdateSchema(WelkinSchema):
    """Only the fields to change; null unsets an optional one."""

    username = text(nullable=False, validators=[not_blank])
    email = email()
    phone = phone()
    timezone = timezone()
    firstName = text()
    lastName = text()
    credentials = text()
    locale = text()
    seats = string_list()
    mfaEnabled = flag()
    ssoAccess = flag()
    passwordAccess = flag()
    customUserAttributes = attributes()


class LegacyUserCreateSchema(LegacyUserUpdateSchema):
    """POST /{tenant}/admin/users: the recorded create sent only username and email (the other
    fields as for an update, in the same order)."""

    username = text(required=True)
    email = email(required=True)


class UserUpdateSchema(LegacyUserUpdateSchema):
    role = text(
        nullable=False,
        validators=[not_blank],
        metadata={"description": "Replaces the user's primary role in this instance"},
    )


class PoliciesSchema(WelkinSchema):
    policies = string_list(
        required=True,
        metadata={
            "description": "Array of policy name strings",
            "example": ["read-patients", "write-encounters"],
        },
    )


class RegionAssignmentSchema(WelkinSchema):
    name = text(required=True, metadata={"description": "Region name", "example": "east-coast"})
    territories = string_list(required=True, metadata={"example": ["New York"]})


def region_assignments(schema):
    """The required `territories` array of both generations, with Spring's messages."""
    return fields.List(
        fields.Nested(schema),
        required=True,
        error_messages=ARRAY_ERRORS,
    )


class TerritoriesUpdateSchema(WelkinSchema):
    territories = region_assignments(RegionAssignmentSchema)


class LegacyRegionAssignmentSchema(RegionAssignmentSchema):
    instanceName = text(required=True, metadata={"example": "live"})


class LegacyTerritoriesSchema(WelkinSchema):
    territories = region_assignments(LegacyRegionAssignmentSchema)


class PermissionAssignmentSchema(WelkinSchema):
    permissionName = text(required=True)
    instanceName = text(required=True)
    type = text(
        required=True,
        validators=[validate.OneOf(PERMISSION_TYPES, error=NOT_A_PERMISSION_TYPE)],
    )
    primaryRole = flag()
    effectiveDate = text(metadata={"format": "date-time"})


class LegacyPermissionsSchema(WelkinSchema):
    permissions = fields.List(
        fields.Nested(PermissionAssignmentSchema),
        required=True,
        error_messages=ARRAY_ERRORS,
    )


class InstanceAccessAssignmentSchema(WelkinSchema):
    instanceName = text(required=True, metadata={"example": "stage"})
    workshopAccessEnabled = flag(required=True, metadata={"description": "Designer access"})
    auditDataAccessEnabled = flag(required=True, metadata={"description": "Data audit access in admin"})


class ApplicationAccessUpdateSchema(WelkinSchema):
    """The legacy application-accesses PUT: every member required (the docs' table)."""

    adminAccessEnabled = flag(required=True, metadata={"description": "Access to the admin portal"})
    auditSecurityAccessEnabled = flag(required=True, metadata={"description": "Access to security audit"})
    instanceAccesses = fields.List(
        fields.Nested(InstanceAccessAssignmentSchema),
        required=True,
        error_messages=ARRAY_ERRORS,
    )


class UserLookupQuerySchema(WelkinSchema):
    type = fields.String(metadata={"description": "ID: the path holds the user's UUID, else its username"})


# ---- responses ----------------------------------------------------------------------------


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"example": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."})
    expiresAt = fields.String(
        required=True, metadata={"format": "date-time", "example": "2026-03-19T14:00:00Z"}
    )


class LegacyTokenSchema(Schema):
    token = fields.String(required=True)


class UserTerritorySchema(Schema):
    createdAt = fields.String()
    updatedAt = fields.String()
    createdBy = fields.String()
    updatedBy = fields.String()
    name = fields.String()
    territories = fields.List(fields.String())
    instanceName = fields.String()


class UserPermissionSchema(Schema):
    createdAt = fields.String()
    updatedAt = fields.String()
    permissionName = fields.String()
    instanceName = fields.String()
    type = fields.String(metadata={"enum": list(PERMISSION_TYPES)})
    primaryRole = fields.Boolean()
    effectiveDate = fields.String()


class InstanceAccessSchema(Schema):
    instanceId = fields.String()
    instanceName = fields.String()
    instanceDescription = fields.String()
    userEmailWithInstanceDomain = fields.String(allow_none=True)
    workshopAccessEnabled = fields.Boolean()
    auditDataAccessEnabled = fields.Boolean()


class ApplicationAccessSchema(Schema):
    id = fields.String()
    createdAt = fields.String()
    updatedAt = fields.String()
    userId = fields.String()
    adminAccessEnabled = fields.Boolean()
    auditSecurityAccessEnabled = fields.Boolean()
    instanceAccesses = fields.List(fields.Nested(InstanceAccessSchema))


class UserSchema(Schema):
    """The recorded user record, keys in the recorded order; unset names are omitted."""

    territories = fields.List(fields.Nested(UserTerritorySchema))
    roles = fields.List(fields.Nested(UserPermissionSchema))
    policies = fields.List(fields.Nested(UserPermissionSchema))
    seats = fields.List(fields.String())
    seatAssignAllowed = fields.Boolean()
    applicationAccess = fields.Nested(ApplicationAccessSchema)
    # present once someone is named as its creator or editor (an API client by its name)
    createdByName = fields.String()
    updatedByName = fields.String()
    # always a UUID (clients parse it): the docs' placeholder `user-uuid` stands for one
    id = fields.String(metadata={"example": "5d6addf9-e07c-499e-bc80-5995c84b67c1"})
    username = fields.String()
    email = fields.String()
    firstName = fields.String()
    lastName = fields.String()
    phone = fields.String()
    timezone = fields.String()
    credentials = fields.String()
    locale = fields.String()
    enabled = fields.Boolean()
    mfaEnabled = fields.Boolean()
    statusType = fields.String(allow_none=True)
    createdAt = fields.String(metadata={"format": "date-time"})
    updatedAt = fields.String(metadata={"format": "date-time"})
    ssoAccess = fields.Boolean()
    passwordAccess = fields.Boolean()
    terminologyName = fields.String()
    userState = fields.String(metadata={"enum": list(USER_STATES)})
    customUserAttributes = fields.Dict()
    allowedToReceiveCalls = fields.Boolean()
    userAttributes = fields.Dict()
    root_user = fields.Boolean(attribute="_root_user", data_key="_root_user")


class RegionSchema(Schema):
    instanceName = fields.String()
    name = fields.String()
    territories = fields.List(fields.String())


class UserTerritoriesSchema(Schema):
    id = fields.String()
    createdAt = fields.String()
    updatedAt = fields.String()
    createdBy = fields.String()
    updatedBy = fields.String()
    userId = fields.String()
    territories = fields.List(fields.Nested(RegionSchema))


class AccessEntrySchema(InstanceAccessSchema):
    class Meta:
        exclude = ("userEmailWithInstanceDomain",)


class AccessDocumentSchema(Schema):
    """GET/PUT admin/application-accesses/{userId}: the docs' document, without dates."""

    id = fields.String()
    userId = fields.String()
    adminAccessEnabled = fields.Boolean()
    auditSecurityAccessEnabled = fields.Boolean()
    instanceAccesses = fields.List(fields.Nested(AccessEntrySchema))


class PermissionSchema(Schema):
    permissionName = fields.String()
    instanceName = fields.String()
    type = fields.String(metadata={"enum": list(PERMISSION_TYPES)})
    primaryRole = fields.Boolean()
    effectiveDate = fields.String()


class UserPermissionsSchema(Schema):
    id = fields.String()
    createdAt = fields.String()
    updatedAt = fields.String()
    userId = fields.String()
    permissions = fields.List(fields.Nested(PermissionSchema))
