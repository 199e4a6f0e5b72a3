"""An application's Nabla Core API integration as Nabla's docs and sample backend make it: an RFC 7523
client assertion signed with PyJWT on the wall clock for `{base}/v1/core/server/oauth/token`, the
newest API version the sample app sends, then create a user, authenticate it, read it (httpx).
Configured only by its environment: NABLA_API_URL (default https://us.api.nabla.com),
NABLA_CLIENT_ID, NABLA_PRIVATE_KEY (PEM). Prints every (status, body) as JSON."""

import json
import os
import time
import uuid

import httpx
import jwt

BASE = os.environ.get("NABLA_API_URL", "https://us.api.nabla.com")
CLIENT_ID = os.environ["NABLA_CLIENT_ID"]
TOKEN_URL = f"{BASE}/v1/core/server/oauth/token"


def seen(response):
    return [response.status_code, response.json()]


now = int(time.time())
assertion = jwt.encode(
    {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": TOKEN_URL,
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    },
    os.environ["NABLA_PRIVATE_KEY"],
    algorithm="RS256",
)
with httpx.Client(timeout=20) as http:
    token = http.post(
        TOKEN_URL,
        json={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        },
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}", "X-Nabla-Api-Version": "2026-07-01"}
    created = http.post(f"{BASE}/v1/core/server/users", json={}, headers=headers)
    user_id = created.json()["id"]
    session = http.post(f"{BASE}/v1/core/server/jwt/authenticate/{user_id}", headers=headers)
    read = http.get(f"{BASE}/v1/core/server/users/{user_id}", headers=headers)
print(
    json.dumps(
        {"token": seen(token), "create": seen(created), "authenticate": seen(session), "read": seen(read)}
    )
)
