"""Redis round trips per request of the shared store, counted in-process (Flask test client):
each send of a command, a pipeline (MULTI/EXEC) or a script is one round trip. The last figure is a
get-by-id in a namespace whose clock is moved and settings changed, reached by a bound credential."""

# Usage:  python bench/redis_trips.py redis://127.0.0.1:PORT/DB   (the database is emptied)

import json
import sys
from collections import Counter

import redis.connection

from vendor_sandbox import create_app

SENT = Counter()
_send = redis.connection.Connection.send_packed_command


def counting_send(self, command, check_health=True):
    SENT["trips"] += 1
    return _send(self, command, check_health)


def per_request(client, method, path, body_for, n=50, headers=None):
    before = SENT["trips"]
    for i in range(n):
        response = client.open(path, method=method, json=body_for(i) if body_for else None, headers=headers)
        assert response.status_code in (200, 201), response.get_data(as_text=True)
    return (SENT["trips"] - before) / n


def main(url):
    redis.Redis.from_url(url).flushdb()
    redis.connection.Connection.send_packed_command = counting_send
    client = create_app({"STORE_URL": url}).test_client()
    key = {"Authorization": "Bearer your-api-key"}
    client.get("/hipp/api/v1/users", headers=key)  # the namespace's first use
    # steady state: the worker has read the state and learned the next id number and the hot
    # record creates read (the first creates change a seeded record, so their guesses are wrong)
    per_request(client, "POST", "/hipp/api/v1/users", lambda i: {
        "firstName": "Jane", "lastName": "Smith", "email": f"warm-{i}@example.com", "role": "CLINICIAN"},
        n=10, headers=key)
    per_request(client, "GET", "/hipp/api/v1/users/usr_1234567890_abc123def", None, n=3, headers=key)
    create = per_request(client, "POST", "/hipp/api/v1/users", lambda i: {
        "firstName": "Jane", "lastName": "Smith", "email": f"trip-{i}@example.com", "role": "CLINICIAN"},
        headers=key)
    get = per_request(client, "GET", "/hipp/api/v1/users/usr_1234567890_abc123def", None, headers=key)
    listing = per_request(client, "GET", "/hipp/api/v1/users?pageSize=20", None, headers=key)
    # a namespace with its own clock and settings, reached by a credential bound to it (no header)
    moved = {"X-Sandbox-Namespace": "moved"}
    assert client.post("/_sandbox/clock", json={"set": "2031-05-06T07:08:09Z"}, headers=moved).status_code == 200
    assert client.patch("/_sandbox/settings", json={"zus_environment": "production"}, headers=moved).status_code == 200
    minted = client.post("/_sandbox/credentials", json={"vendor": "hipp"}, headers=moved).get_json()["apiKey"]
    bound = {"Authorization": f"Bearer {minted}"}
    client.get("/hipp/api/v1/users", headers=bound)
    bound_get = per_request(client, "GET", "/hipp/api/v1/users/usr_1234567890_abc123def", None, headers=bound)
    print(json.dumps({"hipp_create": create, "hipp_get": get, "hipp_list_page": listing,
                      "hipp_get_bound_moved": bound_get}))


if __name__ == "__main__":
    main(sys.argv[1])
