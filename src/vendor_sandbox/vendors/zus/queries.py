"""The query strings of the Auth Service: JSON:API's pagination, filters and `include`, and the 400
for every parameter an endpoint does not know."""

from marshmallow import ValidationError, fields, pre_load, validate

from .jsonapi import CLIENT_INCLUDES, RESERVED_NAME, ROLE_INCLUDES
from .schemas import JsonApiSchema


class QuerySchema(JsonApiSchema):
    """The query of an Auth Service endpoint: what it does not know is a 400, as JSON:API asks.

    That is any unsupported filter, page member or sparse fieldset, and any name made only of a-z
    (JSON:API reserves those: `sort`, `include` where the endpoint has no relationships, `foo`).
    """

    @pre_load
    def known_families(self, data, **kwargs):
        known = {f.data_key or name for name, f in self.fields.items()}
        for key in data:
            if key not in known and (RESERVED_NAME.fullmatch(key) or key.startswith(("filter[", "page[", "fields["))):
                raise ValidationError(f"unsupported query parameter {key}", key)
        return data


class ListQuerySchema(QuerySchema):
    """JSON:API pagination: page[count]/page[offset], or page[size]/page[number]."""

    page_count = fields.Integer(data_key="page[count]", validate=validate.Range(min=1, max=1000))
    page_offset = fields.Integer(data_key="page[offset]", validate=validate.Range(min=0))
    page_size = fields.Integer(data_key="page[size]", validate=validate.Range(min=1, max=1000))
    page_number = fields.Integer(data_key="page[number]", validate=validate.Range(min=1))


class RoleListQuerySchema(ListQuerySchema):
    name = fields.String(data_key="filter[name]",
                         metadata={"description": "Exact role name, e.g. Builder Admin"})


def include(paths, whose):
    """JSON:API `include`: a comma-separated list of relationship paths, each one of `paths` (else 400)."""

    def supported(value):
        for path in value.split(","):
            if path not in paths:
                raise ValidationError(f"include path {path} is not supported; use auth/roles")

    return fields.String(validate=supported, metadata={
        "description": f"{' (or '.join(paths)}{')' * (len(paths) - 1)}: add {whose} to `included`"})


class UserListQuerySchema(ListQuerySchema):
    email = fields.String(data_key="filter[email]", metadata={"description": "Exact e-mail (any case)"})
    name = fields.String(data_key="filter[name]", metadata={"description": "Part of the name (any case)"})
    role = fields.String(data_key="filter[role]", metadata={"description": "A role id"})
    practitioner = fields.String(data_key="filter[practitioner]",
                                 metadata={"description": "A Practitioner id"})
    include = include(ROLE_INCLUDES, "the users' roles")


class UserQuerySchema(QuerySchema):
    """The query of an endpoint that answers with one user (get, create, update)."""

    include = include(ROLE_INCLUDES, "the user's role")


class AppClientListQuerySchema(ListQuerySchema):
    name = fields.String(data_key="filter[name]")
    type = fields.String(data_key="filter[type]")
    include = include(CLIENT_INCLUDES, "the app clients' roles")


class AppClientQuerySchema(QuerySchema):
    """The query of an endpoint that answers with one app client (get, create, rotate-secret)."""

    include = include(CLIENT_INCLUDES, "the app client's role")
