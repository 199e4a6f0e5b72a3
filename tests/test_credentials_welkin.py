"""POST /_sandbox/credentials for Welkin: API clients bound to a namespace, driven by the `welkin`
client from PyPI. It hard-codes https://api.live.welkincloud.io/{tenant}/: here its `host` is
pointed at the sandbox, the only change (the vendor hostnames are another way in)."""

import pytest
import requests
import welkin.authentication
from welkin import Client

from .credentials_live import NS, fresh, journal, listed, mint, server  # noqa: F401 (fixtures)

ENTRY_KEYS = {"name", "tenant", "instances", "apiClient", "secret"}


@pytest.fixture(autouse=True)
def own_token_cache(tmp_path, monkeypatch):
    """The library caches one token per tenant in a shelve under /tmp, shared by every process:
    each test gets its own, or a token of another test's client would be reused."""
    monkeypatch.setattr(welkin.authentication, "DB_PATH", str(tmp_path / "welkin.db"))
    monkeypatch.setattr(welkin.authentication, "DB_LOCK", str(tmp_path / "welkin.db.lock"))


def client(server, entry, instance="live"):
    welkin_client = Client(tenant=entry["tenant"], instance=instance, api_client=entry["apiClient"],
                           secret_key=entry["secret"])
    welkin_client.host = f"{server.url}/welkin/{entry['tenant']}/"
    return welkin_client


def test_a_minted_client_gets_tokens_and_acts_in_its_namespace_only(server, fresh):
    a, b = fresh("a"), fresh("b")
    entry = mint(server, a, vendor="welkin")
    assert set(entry) == ENTRY_KEYS
    assert (entry["name"], entry["tenant"], entry["instances"]) == ("Minted client (acme-health)", "acme-health",
                                                                    ["live", "sandbox", "staging"])
    assert len(entry["apiClient"]) == 12 and entry["apiClient"].isupper()
    assert entry in listed(server, a, "welkin")
    assert entry not in listed(server, b, "welkin")

    welkin_client = client(server, entry)
    welkin_client.headers[NS] = b  # a header naming another namespace changes nothing
    user = welkin_client.User(username="bound.user", email="bound@example.com", firstName="Bo",
                              lastName="Und").create()
    assert user.username == "bound.user"
    assert "bound.user" in [u.username for u in welkin_client.Users().get()]
    token = f"/welkin/acme-health/admin/api_clients/{entry['apiClient']}"
    assert journal(server, a) == [("POST", token, 200), ("POST", "/welkin/acme-health/admin/users", 201),
                                  ("GET", "/welkin/acme-health/admin/users", 200)]
    assert journal(server, b) == []
    # the tenant's fixture client, in namespace b, does not see the user
    docs_client = client(server, {"tenant": "acme-health", "apiClient": "your-api-client-key",
                                  "secret": "your-api-client-secret"})
    docs_client.headers[NS] = b
    docs_client.auth.refresh_token()  # the library caches by tenant: replace the other client's token
    assert "bound.user" not in [u.username for u in docs_client.Users().get()]


def test_instances_and_permissions_are_those_asked_for(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="welkin", instances=["sandbox"], permissions=["USER_ATTRIBUTES"])
    assert entry["instances"] == ["sandbox"]
    token = requests.post(f"{server.url}/welkin/auth/token", json={"apiClient": entry["apiClient"],
                                                                   "secret": entry["secret"]}, timeout=10)
    assert token.status_code == 200
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    assert requests.get(f"{server.url}/welkin/acme-health/sandbox/users", headers=headers,
                        timeout=10).status_code == 200
    assert requests.get(f"{server.url}/welkin/acme-health/live/users", headers=headers,
                        timeout=10).status_code == 403
    created = requests.post(f"{server.url}/welkin/acme-health/sandbox/users", headers=headers, timeout=10,
                            json={"firstName": "A", "lastName": "B", "email": "ab@example.com", "username": "ab"})
    assert created.status_code == 403, "USER_ATTRIBUTES alone may not provision users"
    assert [status for _, _, status in journal(server, a)] == [200, 200, 403, 403]


def test_an_existing_client_name_and_secret_are_registered_as_they_are(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="welkin", tenant="gh", apiClient="MYCLIENTNAME", secret="+}my{dotenv%secret")
    assert entry == {"name": "Minted client (gh)", "tenant": "gh", "instances": ["sb-demo", "stage", "live"],
                     "apiClient": "MYCLIENTNAME", "secret": "+}my{dotenv%secret"}
    seen = sorted(u.username for u in client(server, entry, instance="sb-demo").Users().get())
    assert journal(server, a) == [("POST", "/welkin/gh/admin/api_clients/MYCLIENTNAME", 200),
                                  ("GET", "/welkin/gh/admin/users", 200)]
    # the same users as the tenant's seeded client sees there
    docs_client = {"tenant": "gh", "apiClient": "VBOPNRYRWJIP", "secret": "+}B{KGTG6#zG%P;tQm0C"}
    seeded = client(server, docs_client, instance="sb-demo")
    seeded.headers[NS] = a
    seeded.auth.refresh_token()  # the library caches by tenant: replace the other client's token
    assert seen == sorted(u.username for u in seeded.Users().get()) and seen
