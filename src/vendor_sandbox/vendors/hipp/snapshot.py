"""The shape of every Hipp collection's records, checked when a snapshot is imported (shapes.py)."""

from ...shapes import INSTANT, Either, Null

S = Null(str)
RECORDS = {
    "api_keys": {"apiKey": str, "name": str, "userId": S},
    # latestCreatedAt holds an instant, outOfOrder a flag
    "meta": {"value": Either(INSTANT, bool)},
    "organizations": {"publicId": str, "name": str, "payors": [{"id": str, "name": str}]},
    "users": {
        "publicId": str, "firstName": str, "lastName": str, "email": S, "role": str, "phoneNumber": S,
        "npiNumber": S, "shouldSendSMS": bool, "recertificationDate": S, "providerPayors": [str], "sex": S,
        "caregiverId": S, "birthDate": S, "addressLine1": S, "addressLine2": S, "city": S, "state": S,
        "postalCode": S, "createdAt": INSTANT, "updatedAt": INSTANT, "organization": str,
    },
}
