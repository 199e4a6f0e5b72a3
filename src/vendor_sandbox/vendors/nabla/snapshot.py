"""The shape of every Nabla collection's records, checked when a snapshot is imported (shapes.py)."""

from ...shapes import INSTANT, JSON, Map, Maybe, Null

RECORDS = {
    "assertions": JSON,  # only its unique claims are used (jti replay), never its records
    "oauth_clients": {"name": str, "organization": str, "clientId": str, "serverKey": str, "publicKey": str,
                      "privateKey": Maybe(str)},
    "organizations": {"id": str, "name": str, "pinned_version": Null(str),
                      "rate_limit_per_minute": Null(int)},
    "rate_limit_requests": {"window": str},
    "signing_keys": {"secret": str},
    "users": {
        "id": str, "organization": str, "activated": bool, "external_id": Null(str),
        "metadata": Null(Map(JSON)), "created_at": INSTANT, "email": Null(str), "roles": [str],
        "specialty": Null(str),
    },
}
