"""The shape of every Zus collection's records, checked when a snapshot is imported (shapes.py)."""

from ...shapes import Maybe, Null, Open

STAMPS = {"createdAt": int, "updatedAt": int}  # Zus's Auth Service writes epoch seconds
# a FHIR resource: the fields the backend reads are typed, the rest is the client's to shape
TAG = Open({"system": str, "code": str})
PRACTITIONER = Open({"resourceType": str, "id": str,
                     "meta": Open({"versionId": str, "lastUpdated": str, "tag": [TAG]})})
RECORDS = {
    "app_clients": {"id": str, "builderId": str, "type": str, "name": str, "userType": str,
                    "roleId": Null(str), "clientId": str, "clientSecret": str, **STAMPS},
    "builders": {"id": str, "name": str},
    "credential_users": {"id": str},  # users minted by POST /_sandbox/credentials
    "practitioners": PRACTITIONER,
    # every version of every Practitioner (vread, history); a DELETE is a version without a resource
    "practitioner_versions": {"id": str, "versionId": str, "builder": str, "method": str, "at": str,
                              "resource": Null(PRACTITIONER)},
    "roles": {"id": str, "builderId": str, "name": str, "description": str, "isManaged": bool,
              "permissions": [str], **STAMPS},
    "token_grants": [float],  # epoch seconds of each token issued in the last hour
    "users": {"id": str, "builderId": str, "email": str, "name": str, "userType": str, "roleId": Null(str),
              "practitionerId": Null(str), **STAMPS, "relationshipStyle": Maybe(str)},
}
