"""The users list: filters, `sort=field,asc|desc`, and the `data` + `metaInfo` page."""

import math

from marshmallow import fields, validate
from webargs.fields import DelimitedList

from ...api import Schema
from .errors import InvalidField, ValidationFailed
from .schemas import USER_STATES, UserSchema, WelkinSchema

SORTABLE = ("id", "username", "email", "firstName", "lastName", "createdAt", "updatedAt", "userState")


def _conversion(java_type, nested):
    return (
        f"Failed to convert value of type 'java.lang.String' to required type '{java_type}'; "
        f"nested exception is {nested}"
    )


def _query_int(minimum, default, description):
    return fields.Integer(
        load_default=default,
        validate=validate.Range(min=minimum, error=f"must be greater than or equal to {minimum}"),
        error_messages={
            "invalid": _conversion("int", 'java.lang.NumberFormatException: For input string: "{input}"')
        },
        metadata={"description": description},
    )


def _query_flag(description):
    return fields.Boolean(
        error_messages={
            "invalid": _conversion(
                "boolean", "java.lang.IllegalArgumentException: Invalid boolean value [{input}]"
            )
        },
        metadata={"description": description},
    )


class UserListQuerySchema(WelkinSchema):
    page = _query_int(0, 0, "Page number (default: 0)")
    size = _query_int(1, 20, "Results per page (default: 20)")
    search = fields.String(metadata={"description": "Filter by name or email"})
    email = fields.String()
    ids = DelimitedList(fields.String(), metadata={"description": "uuid,uuid,..."})
    firstName = fields.String()
    lastName = fields.String()
    region = fields.String()
    territories = DelimitedList(
        fields.String(), metadata={"description": "Works only with the region filter"}
    )
    roleName = fields.String()
    userState = fields.String(
        validate=validate.OneOf(
            USER_STATES,
            error=_conversion(
                "UserState", "java.lang.IllegalArgumentException: No enum constant UserState.{input}"
            ),
        )
    )
    seatAssigned = _query_flag("Only users with (true) or without (false) a seat")
    includeDeleted = _query_flag("Deleted users are gone for good in the sandbox: changes nothing")
    sort = fields.String(metadata={"description": "field,asc|desc (e.g. createdAt,desc)"})


class MetaInfoSchema(Schema):
    page = fields.Integer()
    pageSize = fields.Integer()
    totalElements = fields.Integer()
    numberOfElements = fields.Integer()
    lastPage = fields.Boolean()
    firstPage = fields.Boolean()
    totalPages = fields.Integer()


class UserListSchema(Schema):
    data = fields.List(fields.Nested(UserSchema))
    metaInfo = fields.Nested(MetaInfoSchema)


# every query argument `matches` filters on (seatAssigned counts when False too)
FILTERS = ("search", "email", "firstName", "lastName", "ids", "userState", "roleName", "region")


# what `search` looks in; `email`, `firstName` and `lastName` match one of them exactly
SEARCH_FIELDS = ("firstName", "lastName", "username", "email")
EXACT_FIELDS = ("email", "firstName", "lastName")


def needles(query):
    """What every user `matches` accepts holds in one of SEARCH_FIELDS (any case): `search` is
    looked for there, and an exact `email`, `firstName` or `lastName` is one of them."""
    return [query.get(name) for name in ("search", *EXACT_FIELDS)]


def only_search(query):
    """Whether `search` is the only filter: then the text index's answer is `matches`'s."""
    others = (name for name in FILTERS if name != "search")
    return query.get("seatAssigned") is None and not any(query.get(name) for name in others)


def matches(user, query, instance=None):
    """Whether `user` passes every filter of `query`; region filters look at `instance` when given."""
    search = (query.get("search") or "").casefold()
    if search and not any(search in (user.get(k) or "").casefold() for k in SEARCH_FIELDS):
        return False
    for name in EXACT_FIELDS:
        if query.get(name) and (user.get(name) or "").casefold() != query[name].casefold():
            return False
    if query.get("ids") and user["id"] not in query["ids"]:
        return False
    if query.get("userState") and user["userState"] != query["userState"]:
        return False
    if query.get("seatAssigned") is not None and bool(user["seats"]) != query["seatAssigned"]:
        return False
    in_scope = [e for e in user["roles"] if instance is None or e["instanceName"] == instance]
    if query.get("roleName") and not any(e["permissionName"] == query["roleName"] for e in in_scope):
        return False
    if query.get("region"):
        regions = [
            t
            for t in user["territories"]
            if t["name"] == query["region"] and (instance is None or t["instanceName"] == instance)
        ]
        if not regions:
            return False
        wanted = set(query.get("territories") or ())
        if wanted and not any(wanted & set(t["territories"]) for t in regions):
            return False
    return True


def sort_users(users, sort):
    """Users in `sort` order ("field" or "field,asc|desc"); creation order by default."""
    if not sort:
        return users
    field, _, direction = sort.partition(",")
    direction = direction or "asc"
    if field not in SORTABLE:
        raise ValidationFailed([InvalidField("sort", f"No property '{field}' found for type 'User'")])
    if direction.lower() not in ("asc", "desc"):
        raise ValidationFailed(
            [
                InvalidField(
                    "sort",
                    f"Invalid value '{direction}' for orders given; Has to be either 'desc' or 'asc' "
                    "(case insensitive)",
                )
            ]
        )
    return sorted(users, key=lambda u: (u.get(field) or "").casefold(), reverse=direction.lower() == "desc")


def unfiltered(query):
    """Whether `query` asks for every user in creation order (no filter, no sort)."""
    return query.get("seatAssigned") is None and not any(query.get(name) for name in FILTERS + ("sort",))


def page_of(users, page, size):
    return page_from(users[page * size : (page + 1) * size], len(users), page, size)


def page_from(data, total, page, size):
    """The `data` + `metaInfo` envelope of one page out of `total` users."""
    pages = math.ceil(total / size)
    return {
        "data": data,
        "metaInfo": {
            "page": page,
            "pageSize": size,
            "totalElements": total,
            "numberOfElements": len(data),
            "lastPage": page >= pages - 1,
            "firstPage": page == 0,
            "totalPages": pages,
        },
    }
