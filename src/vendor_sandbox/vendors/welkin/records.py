"""The recorded user record and its parts: roles, policies, territories, application access."""

# recorded on reads of users someone has edited (`updatedByName`) or created by name
BY_NAMES = ("createdByName", "updatedByName")
ACCESS_FIELDS = (
    "instanceId", "instanceName", "instanceDescription", "workshopAccessEnabled", "auditDataAccessEnabled"
)
PROFILE_FIELDS = ("firstName", "lastName", "phone", "timezone", "credentials", "locale")
SETTINGS_DEFAULTS = {
    "seats": [],
    "mfaEnabled": False,
    "ssoAccess": False,
    "passwordAccess": True,
    "customUserAttributes": {},
}
# Stored records are never edited in place (see collection.py), so every record's empty list
# or dict is one of these: 100k fake users held 400k empty containers, 23 MiB.
_EMPTY_LIST = []
_EMPTY_DICT = {}


def new_user(user_id, tenant, body, at, ids, instance=None, role=None):
    """A user as the API creates it: PROVISIONED, disabled, nothing assigned."""
    access = [instance_access(instance)] if instance else _EMPTY_LIST
    user = {
        "tenant": tenant,
        "territories": _EMPTY_LIST,
        "roles": [role_entry(role, instance["name"], True, at)] if role else _EMPTY_LIST,
        "policies": _EMPTY_LIST,
        "seats": list(body["seats"]) if body.get("seats") else _EMPTY_LIST,
        "seatAssignAllowed": False,
        "applicationAccess": {
            "id": ids["applicationAccess"],
            "createdAt": at,
            "updatedAt": at,
            "userId": user_id,
            "adminAccessEnabled": False,
            "auditSecurityAccessEnabled": False,
            "instanceAccesses": access,
        },
        "id": user_id,
        "username": body["username"],
        "email": body["email"],
        "enabled": False,
        "mfaEnabled": body.get("mfaEnabled", False),
        "statusType": None,
        "createdAt": at,
        "updatedAt": at,
        "ssoAccess": body.get("ssoAccess", False),
        "passwordAccess": body.get("passwordAccess", True),
        "terminologyName": "english",
        "userState": "PROVISIONED",
        "customUserAttributes": (
            dict(body["customUserAttributes"]) if body.get("customUserAttributes") else _EMPTY_DICT
        ),
        "allowedToReceiveCalls": False,
        "userAttributes": _EMPTY_DICT,
        "_root_user": False,
        "permissionSet": {"id": ids["permissionSet"], "createdAt": at, "updatedAt": at},
        "territorySet": {
            "id": ids["territorySet"],
            "createdAt": at,
            "updatedAt": at,
            "createdBy": user_id,
            "updatedBy": user_id,
        },
    }
    user.update({name: body[name] for name in PROFILE_FIELDS if body.get(name) is not None})
    return user


def from_fixture(fixture, instances, ids, shared=None):
    """A full record from a compact fixture user (see fixtures/welkin/users.json).

    With `shared` (a dict the caller keeps while it loads many), seats and instance accesses
    equal to an earlier record's are that record's objects, not copies.
    """
    shared = {} if shared is None else shared
    # an access is an instance name, or {"name", "workshopAccessEnabled", "auditDataAccessEnabled"}
    accesses = tuple(
        a if isinstance(a, str) else tuple(sorted(a.items())) for a in fixture.get("instanceAccesses", ())
    )
    seats = tuple(fixture.get("seats", ()))
    at, updated = fixture["createdAt"], fixture.get("updatedAt", fixture["createdAt"])
    body = {
        name: value for name, value in fixture.items() if name in PROFILE_FIELDS or name in SETTINGS_DEFAULTS
    }
    user = new_user(
        fixture["id"],
        fixture["tenant"],
        {**body, "username": fixture["username"], "email": fixture["email"]},
        at,
        ids,
    )
    by = fixture["id"]
    user.update(
        {
            "roles": [
                role_entry(r["permissionName"], r["instanceName"], r.get("primaryRole", False), at)
                for r in fixture.get("roles", ())
            ]
            or _EMPTY_LIST,
            "policies": [
                policy_entry(p["permissionName"], p["instanceName"], at, p.get("effectiveDate"))
                for p in fixture.get("policies", ())
            ]
            or _EMPTY_LIST,
            "territories": [
                territory_entry(t["name"], t["territories"], t["instanceName"], at, by)
                for t in fixture.get("territories", ())
            ]
            or _EMPTY_LIST,
            "seats": _reuse(shared, ("seats", seats), lambda: list(seats) or _EMPTY_LIST),
            "seatAssignAllowed": fixture.get("seatAssignAllowed", bool(user["seats"])),
            "enabled": fixture.get("enabled", fixture.get("userState") == "ACTIVE"),
            "userState": fixture.get("userState", "PROVISIONED"),
            "allowedToReceiveCalls": fixture.get("allowedToReceiveCalls", False),
            "updatedAt": updated,
        }
    )
    user["applicationAccess"] = {
        **user["applicationAccess"],
        "id": fixture.get("applicationAccessId", user["applicationAccess"]["id"]),
        "adminAccessEnabled": fixture.get("adminAccessEnabled", False),
        "auditSecurityAccessEnabled": fixture.get("auditSecurityAccessEnabled", False),
        "instanceAccesses": _reuse(
            shared,
            ("instanceAccesses", fixture["tenant"], accesses),
            lambda: [_fixture_access(instances, a) for a in accesses] or _EMPTY_LIST,
        ),
    }
    # the legacy docs show these documents' own ids and dates
    for part in ("permissionSet", "territorySet"):
        if part in fixture:
            user[part] = {**user[part], **fixture[part]}
    user.update({name: fixture[name] for name in BY_NAMES if name in fixture})
    return user


def _fixture_access(instances, access):
    if isinstance(access, str):
        return instance_access(instances[access])
    flags = dict(access)
    return instance_access(instances[flags.pop("name")], **flags)


def _reuse(shared, key, build):
    found = shared.get(key)
    if found is None:
        found = shared[key] = build()
    return found


def instance_access(instance, workshopAccessEnabled=False, auditDataAccessEnabled=False):  # noqa: N803
    return {
        "instanceId": instance["id"],
        "instanceName": instance["name"],
        "instanceDescription": instance.get("description", ""),
        "userEmailWithInstanceDomain": None,
        "workshopAccessEnabled": workshopAccessEnabled,
        "auditDataAccessEnabled": auditDataAccessEnabled,
    }


def application_access_view(user):
    """The legacy application-accesses document: the user's access without its dates."""
    access = user["applicationAccess"]
    return {
        "id": access["id"],
        "userId": user["id"],
        "adminAccessEnabled": access["adminAccessEnabled"],
        "auditSecurityAccessEnabled": access["auditSecurityAccessEnabled"],
        "instanceAccesses": [{k: a[k] for k in ACCESS_FIELDS} for a in access["instanceAccesses"]],
    }


def role_entry(name, instance, primary, at):
    return {
        "createdAt": at,
        "updatedAt": at,
        "permissionName": name,
        "instanceName": instance,
        "type": "SECURITY_ROLE",
        "primaryRole": primary,
    }


def policy_entry(name, instance, at, effective_date=None):
    entry = {
        "createdAt": at,
        "updatedAt": at,
        "permissionName": name,
        "instanceName": instance,
        "type": "SECURITY_POLICY",
    }
    if effective_date:
        entry["effectiveDate"] = effective_date
    return entry


def territory_entry(region, territories, instance, at, by):
    return {
        "createdAt": at,
        "updatedAt": at,
        "createdBy": by,
        "updatedBy": by,
        "name": region,
        "territories": list(territories),
        "instanceName": instance,
    }


def territories_view(user, instance=None):
    """The user-territories document, all instances or one."""
    meta = user["territorySet"]
    return {
        **{k: meta[k] for k in ("id", "createdAt", "updatedAt", "createdBy", "updatedBy")},
        "userId": user["id"],
        "territories": [
            {"instanceName": t["instanceName"], "name": t["name"], "territories": t["territories"]}
            for t in user["territories"]
            if instance is None or t["instanceName"] == instance
        ],
    }


def permission_key(entry):
    return entry["type"], entry["permissionName"], entry["instanceName"]


def permissions_view(user):
    """The user-permissions document: roles first, then policies, unless a PUT gave an order (the
    docs' PUT answers its permissions in the order it sent them)."""
    meta = user["permissionSet"]
    permissions = [
        {k: r[k] for k in ("permissionName", "instanceName", "type", "primaryRole")} for r in user["roles"]
    ]
    permissions += [
        {k: p[k] for k in ("permissionName", "instanceName", "type", "effectiveDate") if k in p}
        for p in user["policies"]
    ]
    order = {key: i for i, key in enumerate(map(tuple, meta.get("order", ())))}
    if order:
        permissions.sort(key=lambda p: order.get(permission_key(p), len(order)))
    return {
        "id": meta["id"],
        "createdAt": meta["createdAt"],
        "updatedAt": meta["updatedAt"],
        "userId": user["id"],
        "permissions": permissions,
    }
