"""The shape of every Welkin collection's records, checked when a snapshot is imported (shapes.py)."""

from ...shapes import INSTANT, JSON, Map, Maybe, Null

S = Null(str)
STAMPED = {"createdAt": INSTANT, "updatedAt": INSTANT}
PROFILE = ("firstName", "lastName", "timezone", "phone", "credentials", "locale")  # only when given
RECORDS = {
    "api_clients": {"id": str, "name": str, "tenant": str, "apiClient": str, "secret": str,
                    "instances": [str], "permissions": [str], "enabled": Maybe(bool)},
    "tenants": {
        "name": str, "instances": Map({"id": str, "name": str, "description": S}), "roles": [str],
        "policies": [str], "regions": Map([str]),
    },
    "token_requests": {"times": [INSTANT], "blockedUntil": Null(INSTANT)},
    "users": {
        "tenant": str,
        "territories": [{**STAMPED, "createdBy": S, "updatedBy": S, "name": str, "territories": [str],
                         "instanceName": str}],
        "roles": [{**STAMPED, "permissionName": str, "instanceName": str, "type": str, "primaryRole": bool}],
        "policies": [{**STAMPED, "permissionName": str, "instanceName": str, "type": str,
                      "effectiveDate": Maybe(str)}],
        "seats": [JSON],
        "seatAssignAllowed": bool,
        "applicationAccess": {
            "id": str, **STAMPED, "userId": str, "adminAccessEnabled": bool,
            "auditSecurityAccessEnabled": bool,
            "instanceAccesses": [{"instanceId": str, "instanceName": str, "instanceDescription": S,
                                  "userEmailWithInstanceDomain": S, "workshopAccessEnabled": bool,
                                  "auditDataAccessEnabled": bool}],
        },
        "id": str, "username": str, "email": str, "enabled": bool, "mfaEnabled": bool, "statusType": S,
        **STAMPED, "ssoAccess": bool, "passwordAccess": bool, "terminologyName": str, "userState": str,
        "customUserAttributes": Map(JSON), "allowedToReceiveCalls": bool, "userAttributes": Map(JSON),
        "_root_user": bool,
        "permissionSet": {"id": str, **STAMPED, "order": Maybe([[str]])},
        "territorySet": {"id": str, **STAMPED, "createdBy": S, "updatedBy": S},
        **{name: Maybe(S) for name in (*PROFILE, "createdByName", "updatedByName")},
    },
}
