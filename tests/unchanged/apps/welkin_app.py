"""Welkin's published Python client (`welkin` on PyPI) with not one line changed; its host is
hard-coded (https://api.live.welkincloud.io/{tenant}/). Configured only by its environment:
WELKIN_TENANT, WELKIN_INSTANCE, WELKIN_API_CLIENT, WELKIN_SECRET, and WELKIN_HOST where an
application sets the client's `host` attribute from its configuration. It caches tokens in TMPDIR."""

import json
import os

from welkin import Client

welkin = Client(
    tenant=os.environ["WELKIN_TENANT"],
    instance=os.environ["WELKIN_INSTANCE"],
    api_client=os.environ["WELKIN_API_CLIENT"],
    secret_key=os.environ["WELKIN_SECRET"],
)
if "WELKIN_HOST" in os.environ:
    welkin.host = os.environ["WELKIN_HOST"]
user = welkin.User(username="unchanged", email="unchanged@foo.com").create()
print(
    json.dumps(
        {
            "host": welkin.host,
            "created": dict(user),
            "read": dict(welkin.User(id=user.id).get()),
            "all": [u.username for u in welkin.Users().get()],
        }
    )
)
