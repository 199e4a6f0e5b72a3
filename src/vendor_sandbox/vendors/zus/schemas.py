"""Zus's wire shapes: JSON:API documents of the Auth Service and the token request."""

from marshmallow import EXCLUDE, ValidationError, fields, post_load, pre_load, validate

from ...api import Schema

# the FHIR shapes moved to fhir_schemas.py; tests/reliability/test_fuzz.py reads this one here
from .fhir_schemas import PractitionerSchema  # noqa: F401

APP_CLIENT_TYPES = ("native", "regular_web_application", "single_page_application", "machine_to_machine")
USER_TYPES = ("builder",)


def required(member):
    return {"required": f"{member} is required", "null": f"{member} may not be null"}


class JsonApiSchema(Schema):
    class Meta:
        unknown = EXCLUDE


class IdentifierSchema(JsonApiSchema):
    type = fields.String(required=True, error_messages=required("type"))
    id = fields.String(required=True, error_messages=required("id"))


def to_one(type_name, noun, many_message):
    """A to-one relationship whose linkage must be of `type_name` (or null)."""

    class Identifier(IdentifierSchema):
        type = fields.String(required=True, error_messages=required("type"), metadata={"example": type_name},
                             validate=validate.Equal(type_name, error=f"type must be {type_name}"))

    class ToOne(JsonApiSchema):
        data = fields.Nested(Identifier, required=True, allow_none=True, error_messages=required("data"))

        @pre_load
        def one_only(self, data, **kwargs):
            if isinstance(data, dict) and isinstance(data.get("data"), list):
                raise ValidationError(many_message, "data")
            return data

    Identifier.__name__, ToOne.__name__ = f"{noun}IdentifierSchema", f"{noun}LinkageSchema"
    return ToOne


RoleLinkage = to_one("auth/roles", "Role", "exactly one role is allowed")
PractitionerLinkage = to_one("fhir/practitioner", "Practitioner", "at most one practitioner is allowed")


class RelationshipsSchema(JsonApiSchema):
    """Either key style: `auth/roles`/`fhir/practitioner` (the walkthrough) or `role`/`practitioner`."""

    auth_roles = fields.Nested(RoleLinkage, data_key="auth/roles")
    role = fields.Nested(RoleLinkage)
    fhir_practitioner = fields.Nested(PractitionerLinkage, data_key="fhir/practitioner")
    practitioner = fields.Nested(PractitionerLinkage)

    @post_load
    def merge(self, data, **kwargs):
        """{"style", "role": id (absent if not given), "practitioner": id or None (absent if not given)}."""
        if "auth_roles" in data and "role" in data:
            raise ValidationError("give either auth/roles or role, not both", "role")
        if "fhir_practitioner" in data and "practitioner" in data:
            raise ValidationError("give either fhir/practitioner or practitioner, not both", "practitioner")
        merged = {"style": "short" if "role" in data or "practitioner" in data else "long"}
        for key, long_key in (("role", "auth_roles"), ("practitioner", "fhir_practitioner")):
            linkage = data.get(key, data.get(long_key))
            if linkage is not None:
                merged[key] = linkage["data"] and linkage["data"]["id"]
        return merged


class UserAttributesSchema(JsonApiSchema):
    email = fields.Email(required=True, error_messages={**required("email"),
                                                        "invalid": "email must be a valid email address"})
    name = fields.String(required=True, error_messages=required("name"),
                         validate=validate.Length(min=1, error="name must not be empty"))
    userType = fields.String(required=True, error_messages=required("userType"), validate=validate.OneOf(
        USER_TYPES, error="userType must be one of: builder"), metadata={"example": "builder"})
    clientId = fields.String(load_only=True, metadata={
        "description": "Write-only: the app client users land on after the password reset"})
    sendPasswordResetEmail = fields.Boolean(
        load_only=True, load_default=True, truthy={True}, falsy={False},
        metadata={"description": "Write-only: e-mail the user a password-reset link (default true)"})


class UserPatchAttributesSchema(UserAttributesSchema):
    class Meta(JsonApiSchema.Meta):
        exclude = ("clientId", "sendPasswordResetEmail")

    email = fields.Email(error_messages={**required("email"),
                                         "invalid": "email must be a valid email address"})
    name = fields.String(error_messages=required("name"),
                         validate=validate.Length(min=1, error="name must not be empty"))
    userType = fields.String(error_messages=required("userType"), validate=validate.OneOf(
        USER_TYPES, error="userType must be one of: builder"))
    # the server's: sent back unchanged they are accepted, changed they are a 403 (JSON:API)
    createdAt = fields.Raw(load_only=True, metadata={"description": "Read-only: may be sent back unchanged"})
    updatedAt = fields.Raw(load_only=True, metadata={"description": "Read-only: may be sent back unchanged"})


class UserCreateDataSchema(JsonApiSchema):
    type = fields.String(required=True, error_messages=required("type"), metadata={"example": "auth/users"})
    id = fields.Raw(load_only=True, allow_none=True, metadata={
        "description": "Not supported: a client-generated id is refused with a 403"})
    attributes = fields.Nested(UserAttributesSchema, required=True, error_messages=required("attributes"))
    relationships = fields.Nested(RelationshipsSchema, required=True,
                                  error_messages=required("relationships"))

    @post_load
    def needs_role(self, data, **kwargs):
        if not data["relationships"].get("role"):
            raise ValidationError({"relationships": {"auth/roles": ["exactly one role is required"]}})
        return data


class UserCreateDocumentSchema(JsonApiSchema):
    data = fields.Nested(UserCreateDataSchema, required=True, error_messages=required("data"))


class UserPatchDataSchema(JsonApiSchema):
    type = fields.String(required=True, error_messages=required("type"), metadata={"example": "auth/users"})
    id = fields.String(required=True, error_messages=required("id"))
    attributes = fields.Nested(UserPatchAttributesSchema, load_default=dict)
    relationships = fields.Nested(RelationshipsSchema, load_default=dict)

    @post_load
    def role_not_null(self, data, **kwargs):
        if "role" in data["relationships"] and data["relationships"]["role"] is None:
            raise ValidationError({"relationships": {"auth/roles": ["exactly one role is required"]}})
        return data


class UserPatchDocumentSchema(JsonApiSchema):
    data = fields.Nested(UserPatchDataSchema, required=True, error_messages=required("data"))


class AppClientAttributesSchema(JsonApiSchema):
    type = fields.String(required=True, error_messages=required("type"), validate=validate.OneOf(
        APP_CLIENT_TYPES, error="type must be one of: " + ", ".join(APP_CLIENT_TYPES)),
        metadata={"example": "machine_to_machine"})
    name = fields.String(required=True, error_messages=required("name"),
                         validate=validate.Length(min=1, error="name must not be empty"))
    userType = fields.String(required=True, error_messages=required("userType"), validate=validate.OneOf(
        USER_TYPES, error="userType must be one of: builder"), metadata={"example": "builder"})


class AppClientCreateDataSchema(UserCreateDataSchema):
    type = fields.String(required=True, error_messages=required("type"),
                         metadata={"example": "auth/app-clients"})
    attributes = fields.Nested(AppClientAttributesSchema, required=True,
                               error_messages=required("attributes"))


class AppClientCreateDocumentSchema(JsonApiSchema):
    data = fields.Nested(AppClientCreateDataSchema, required=True, error_messages=required("data"))


class LinkageSchema(Schema):
    type = fields.String(required=True)
    id = fields.String(required=True)


class ToOneSchema(Schema):
    data = fields.Nested(LinkageSchema, allow_none=True, required=True)


class RelationshipsOutSchema(Schema):
    auth_roles = fields.Nested(ToOneSchema, data_key="auth/roles", attribute="auth/roles")
    fhir_practitioner = fields.Nested(ToOneSchema, data_key="fhir/practitioner",
                                      attribute="fhir/practitioner")
    role = fields.Nested(ToOneSchema,
                         metadata={"description": "When the user was created with this key style"})
    practitioner = fields.Nested(ToOneSchema)


class RoleAttributesSchema(Schema):
    name = fields.String(required=True, metadata={"example": "Care Team User"})
    description = fields.String(required=True)
    isManaged = fields.Boolean(required=True)
    permissions = fields.List(fields.String(), required=True)
    createdAt = fields.Integer(required=True, metadata={"example": 1638828368})
    updatedAt = fields.Integer(required=True, metadata={"example": 1655996421})


class UserOutAttributesSchema(Schema):
    email = fields.String(required=True)
    name = fields.String(required=True)
    userType = fields.String(required=True)
    createdAt = fields.Integer(required=True, metadata={"description": "epoch seconds"})
    updatedAt = fields.Integer(required=True, metadata={"description": "epoch seconds"})


class AppClientOutAttributesSchema(Schema):
    type = fields.String(required=True, metadata={"enum": list(APP_CLIENT_TYPES)})
    name = fields.String(required=True)
    userType = fields.String(required=True)
    clientId = fields.String(required=True)
    clientSecret = fields.String(metadata={"description": "Only in the create and rotate-secret responses"})
    createdAt = fields.Integer(required=True)
    updatedAt = fields.Integer(required=True)


def resource(type_name, attributes, with_relationships=True):
    members = {
        "type": fields.String(required=True, metadata={"example": type_name}),
        "id": fields.String(required=True),
        "attributes": fields.Nested(attributes, required=True),
    }
    if with_relationships:
        members["relationships"] = fields.Nested(RelationshipsOutSchema, required=True)
    noun = attributes.__name__.removesuffix("AttributesSchema").removesuffix("Out")
    return Schema.from_dict(members, name=f"{noun}ResourceSchema")


RoleResourceSchema = resource("auth/roles", RoleAttributesSchema, with_relationships=False)
UserResourceSchema = resource("auth/users", UserOutAttributesSchema)
AppClientResourceSchema = resource("auth/app-clients", AppClientOutAttributesSchema)


class LinksSchema(Schema):
    self = fields.String(required=True)
    prev = fields.String(allow_none=True)
    next = fields.String(allow_none=True)


def document(name, data_schema, many=False, included=False):
    members = {"data": fields.List(fields.Nested(data_schema)) if many else fields.Nested(data_schema)}
    if included:
        members["included"] = fields.List(fields.Nested(RoleResourceSchema))
    if many:
        members["links"] = fields.Nested(LinksSchema)
    return Schema.from_dict(members, name=name)


RoleListDocumentSchema = document("RoleListDocumentSchema", RoleResourceSchema, many=True)
UserDocumentSchema = document("UserDocumentSchema", UserResourceSchema, included=True)
UserListDocumentSchema = document("UserListDocumentSchema", UserResourceSchema, many=True, included=True)
AppClientDocumentSchema = document("AppClientDocumentSchema", AppClientResourceSchema, included=True)
AppClientListDocumentSchema = document("AppClientListDocumentSchema", AppClientResourceSchema, many=True,
                                       included=True)
RoleDocumentSchema = document("RoleDocumentSchema", RoleResourceSchema)


class TokenRequestSchema(Schema):
    """Auth0's client-credentials request, as JSON or as a form."""

    class Meta:
        unknown = EXCLUDE

    grant_type = fields.String(metadata={"example": "client_credentials"})
    client_id = fields.String()
    client_secret = fields.String()
    audience = fields.String(metadata={"example": "https://api.sandbox.zusapi.com"})


class TokenSchema(Schema):
    """Auth0's answer, in Auth0's member order."""

    access_token = fields.String(required=True)
    scope = fields.String(metadata={
        "description": "The app client's role permissions, space-separated; absent when it has none",
        "example": "auth/users:read auth/roles:read"})
    expires_in = fields.Integer(required=True, metadata={"example": 3600})
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
