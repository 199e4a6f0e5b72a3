"""An application's Hipp integration as Hipp's API reference shows it (requests, a Bearer API key),
configured only by its environment: HIPP_API_URL (default Hipp's own) and HIPP_API_KEY.
Creates a user, reads it back, finds it by e-mail; prints every (status, body) as JSON."""

import json
import os

import requests

BASE = os.environ.get("HIPP_API_URL", "https://app.hipp.health/api")
HEADERS = {"Authorization": f"Bearer {os.environ['HIPP_API_KEY']}", "Content-Type": "application/json"}


def seen(response):
    return [response.status_code, response.json()]


created = requests.post(
    f"{BASE}/v1/users",
    headers=HEADERS,
    timeout=20,
    json={"firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "role": "CLINICIAN"},
)
public_id = created.json()["user"]["publicId"]
read = requests.get(f"{BASE}/v1/users/{public_id}", headers=HEADERS, timeout=20)
found = requests.get(
    f"{BASE}/v1/users", params={"email": "jane.smith@example.com"}, headers=HEADERS, timeout=20
)
print(json.dumps({"create": seen(created), "read": seen(read), "search": seen(found)}))
