"""Run Welkin's published Python client (`welkin` on PyPI) through every user method it has, and
print what it saw as JSON. Run as a script, in its own process, because the client caches its tokens
in a shelve file under the temporary directory (TMPDIR) it read when imported.

Usage: python published_client_calls.py BASE_URL TENANT INSTANCE API_CLIENT SECRET \
           DENIED_TENANT DENIED_CLIENT DENIED_SECRET DENIED_USER_ID
(the denied client is of another tenant: the client caches one token per tenant)
"""

import json
import sys

from welkin import Client
from welkin.exceptions import WelkinHTTPError


def client(base_url, tenant, instance, api_client, secret):
    welkin = Client(tenant=tenant, instance=instance, api_client=api_client, secret_key=secret)
    # the one change to the client: its base URL (hard-coded to https://api.live.welkincloud.io/{tenant}/)
    welkin.host = f"{base_url}/welkin/{tenant}/"
    return welkin


def status_of(call):
    try:
        call()
    except WelkinHTTPError as error:
        return error.response.status_code, error.response.json()
    return None


def main(base_url, tenant, instance, api_client, secret, *denied):
    welkin = client(base_url, tenant, instance, api_client, secret)
    seen = {}
    # the client's own docstring examples, in its order
    user = welkin.User(username="bar", email="bar@foo.com").create()
    seen["created"] = dict(user)
    read = welkin.User(id=user.id).get()
    seen["read"] = dict(read)
    seen["all"] = [u.username for u in welkin.Users().get()]
    seen["filtered"] = {
        "search": [u.username for u in welkin.Users().get(search="bar")],
        "user_state": [u.username for u in welkin.Users().get(user_state="PROVISIONED")],
        "seat_assigned": [u.username for u in welkin.Users().get(seat_assigned=False)],
        "region": [u.username for u in welkin.Users().get(region="washington")],
        "all_filters": [
            u.username
            for u in welkin.Users().get(search="john", region="washington", seat_assigned=False, user_state="ACTIVE")
        ],
    }
    for i in range(25):
        welkin.User(username=f"paged{i}", email=f"paged{i}@foo.com").create()
    seen["first_page"] = len(welkin.Users().get())
    seen["paginated"] = [u.username for u in welkin.Users().get(paginate=True)]
    user.update(firstName="Baz")
    seen["updated"] = dict(user)
    seen["reread"] = dict(welkin.User(id=user.id).get())
    # a token the API refuses (NOT_VALID_JSON_WEB_TOKEN): the client fetches a new one and retries
    welkin.auth.token = {"token": "not-a-token"}
    seen["after_refresh"] = welkin.User(id=user.id).get().username
    seen["deleted"] = dict(welkin.User(id=user.id).delete())
    seen["read_deleted"] = status_of(lambda: welkin.User(id=user.id).get())
    denied_tenant, denied_client, denied_secret, denied_user = denied
    other = client(base_url, denied_tenant, "live", denied_client, denied_secret)
    seen["denied_delete"] = status_of(lambda: other.User(id=denied_user).delete())
    seen["denied_still_there"] = other.User(id=denied_user).get().username
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:])
