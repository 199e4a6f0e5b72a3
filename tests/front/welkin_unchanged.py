"""Welkin's published Python client (`welkin` on PyPI) with not one line changed: it calls its
hard-coded https://api.live.welkincloud.io. Run in its own process (it caches tokens in TMPDIR),
with HTTPS_PROXY and REQUESTS_CA_BUNDLE set by the test; prints what it saw as JSON.

Usage: python welkin_unchanged.py TENANT INSTANCE API_CLIENT SECRET
"""

import json
import sys

from welkin import Client


def main(tenant, instance, api_client, secret):
    welkin = Client(tenant=tenant, instance=instance, api_client=api_client, secret_key=secret)
    user = welkin.User(username="unchanged", email="unchanged@foo.com").create()
    print(json.dumps({"host": welkin.host, "created": dict(user), "read": dict(welkin.User(id=user.id).get()),
                      "all": [u.username for u in welkin.Users().get()]}))


if __name__ == "__main__":
    main(*sys.argv[1:])
