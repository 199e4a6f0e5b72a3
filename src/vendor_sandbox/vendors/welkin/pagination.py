"""The users list: filters, `sort=field,asc|desc`, and the `data` + `metaInfo` page."""

import math

from .errors import InvalidField, ValidationFailed

SORTABLE = ("id", "username", "email", "firstName", "lastName", "createdAt", "updatedAt", "userState")


def matches(user, query, instance=None):
    """Whether `user` passes every filter of `query`; region filters look at `instance` when given."""
    search = (query.get("search") or "").casefold()
    if search and not any(search in (user.get(k) or "").casefold()
                          for k in ("firstName", "lastName", "username", "email")):
        return False
    for name in ("email", "firstName", "lastName"):
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
        regions = [t for t in user["territories"] if t["name"] == query["region"]
                   and (instance is None or t["instanceName"] == instance)]
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
        raise ValidationFailed([InvalidField(
            "sort", f"Invalid value '{direction}' for orders given; Has to be either 'desc' or 'asc' "
                    "(case insensitive)")])
    return sorted(users, key=lambda u: (u.get(field) or "").casefold(), reverse=direction.lower() == "desc")


def page_of(users, page, size):
    total = len(users)
    pages = math.ceil(total / size)
    data = users[page * size: (page + 1) * size]
    return {"data": data, "metaInfo": {
        "page": page, "pageSize": size, "totalElements": total, "numberOfElements": len(data),
        "lastPage": page >= pages - 1, "firstPage": page == 0, "totalPages": pages}}
