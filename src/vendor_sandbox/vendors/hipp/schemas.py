"""Hipp's wire shapes: the create body, the create-response user, the list/get user."""

import re

from marshmallow import fields

from ...api import Schema
from .errors import INVALID_SORT, VALID_EMAIL_REQUIRED
from .zod import ZodArray, ZodBoolean, ZodCoercedInt, ZodEnum, ZodObject, ZodString

ASSIGNABLE_ROLES = (
    "ADMIN", "BILLING_MANAGER", "SCHEDULING_MANAGER", "CLINICIAN", "TECHNICIAN",
    "PATIENT", "CAREGIVER", "CLINICAL_ADMIN", "PAYROLL_ADMIN",
)
ALL_ROLES = (
    "ADMIN", "BILLING_MANAGER", "SCHEDULING_MANAGER", "CLINICIAN", "TECHNICIAN",
    "PATIENT", "CAREGIVER", "HIPP_ADMIN", "HIPP_BILLING_MANAGER", "CLINICAL_ADMIN",
    "PAYROLL_ADMIN", "CLINICAL_SUPERADMIN",
)
SORT_RE = re.compile(r"^(createdAt|updatedAt)_(asc|desc)(,(createdAt|updatedAt)_(asc|desc))*\Z")


class UserCreateSchema(ZodObject):
    """CreateUserRequest, validated as zod would, fields in Hipp's schema order."""

    firstName = ZodString(required=True, min_length=1, metadata={"description": "User's first name"})
    lastName = ZodString(required=True, min_length=1, metadata={"description": "User's last name"})
    email = ZodString(email=VALID_EMAIL_REQUIRED,
                      metadata={"description": "User's email address (must be unique)"})
    role = ZodEnum(ASSIGNABLE_ROLES, load_default="TECHNICIAN", dump_default="TECHNICIAN",
                   metadata={"description": "Role to assign the new user (defaults to TECHNICIAN). "
                             "Requesting a role your own role may not create returns 403."})
    phoneNumber = ZodString(metadata={"description": "User's phone number"})
    npiNumber = ZodString(metadata={"description": "National Provider Identifier number"})
    shouldSendSMS = ZodBoolean(load_default=False, dump_default=False,
                               metadata={"description": "Whether to send SMS notifications"})
    recertificationDate = ZodString(datetime=True,
                                    metadata={"description": "Recertification date for the user"})
    providerPayors = ZodArray(ZodString(), metadata={
        "description": "Assigns the provided payors to the User, if exists"})


class UserListQuerySchema(ZodObject):
    page = ZodCoercedInt(minimum=1, load_default=1, metadata={"description": "Page number (1-indexed)"})
    pageSize = ZodCoercedInt(minimum=1, maximum=100, load_default=25,
                             metadata={"description": "Users per page"})
    search = ZodString(metadata={"description": "Search term to filter users"})
    role = ZodEnum(ALL_ROLES, metadata={
        "description": "Filter by user role. HIPP_ADMIN users are never included in the results."})
    email = ZodString(metadata={"description": "Filter by email address"})
    sort = ZodString(regex=(SORT_RE, INVALID_SORT), metadata={
        "description": "Sort order as field_direction (createdAt|updatedAt, asc|desc), comma-separated"})


class OrganizationSchema(Schema):
    name = fields.String(required=True)
    publicId = fields.String(required=True)


class CreatedUserSchema(Schema):
    """The user as returned by create; it differs from the list/get shape."""

    publicId = fields.String(required=True)
    firstName = fields.String(allow_none=True)
    lastName = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    role = fields.String(required=True, metadata={"enum": list(ALL_ROLES)})
    phoneNumber = fields.String(allow_none=True)
    npiNumber = fields.String(allow_none=True)
    shouldSendSMS = fields.Boolean()
    createdAt = fields.String(metadata={"format": "date-time"})
    organization = fields.Nested(OrganizationSchema)


class UserCreatedSchema(Schema):
    message = fields.String(metadata={"example": "User created successfully"})
    user = fields.Nested(CreatedUserSchema)


class UserSchema(Schema):
    """The user as returned by list and get-by-id: demographics, no contact details."""

    publicId = fields.String(required=True)
    firstName = fields.String(allow_none=True)
    lastName = fields.String(allow_none=True)
    sex = fields.String(allow_none=True, metadata={"enum": ["MALE", "FEMALE", "OTHER", "UNKNOWN"]})
    caregiverId = fields.String(allow_none=True)
    role = fields.String(required=True, metadata={"enum": list(ALL_ROLES)})
    birthDate = fields.String(allow_none=True, metadata={"format": "date", "example": "2023-12-25"})
    addressLine1 = fields.String(allow_none=True)
    addressLine2 = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    state = fields.String(allow_none=True)
    postalCode = fields.String(allow_none=True)


class PaginationSchema(Schema):
    page = fields.Integer(required=True)
    pageSize = fields.Integer(required=True)
    totalCount = fields.Integer(required=True)
    totalPages = fields.Integer(required=True)


class UserListSchema(Schema):
    data = fields.List(fields.Nested(UserSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)
