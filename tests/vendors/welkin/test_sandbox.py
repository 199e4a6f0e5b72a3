"""Welkin's /_sandbox/credentials entry, reset, and deterministic Faker volume."""

from vendor_sandbox import create_app

from .conftest import NOW, WelkinCaller


def test_credentials_entry_shape_and_every_credential_works(client):
    entries = client.get("/_sandbox/credentials").get_json()["welkin"]
    assert entries[0] == {
        "name": "Docs example client",
        "tenant": "acme-health",
        "instances": ["live", "sandbox", "staging"],
        "apiClient": "your-api-client-key",
        "secret": "your-api-client-secret",
    }
    assert all(list(e) == ["name", "tenant", "instances", "apiClient", "secret"] for e in entries)
    assert {e["tenant"] for e in entries} == {"acme-health", "gh"}
    for entry in entries:
        token = client.post(
            "/welkin/auth/token", json={"apiClient": entry["apiClient"], "secret": entry["secret"]}
        )
        users = client.get(
            f"/welkin/{entry['tenant']}/{entry['instances'][0]}/users",
            headers={"Authorization": f"Bearer {token.get_json()['token']}"},
        )
        assert users.status_code == 200


def test_reset_restores_the_fixtures(client, welkin):
    welkin.create_user(firstName="A", lastName="B", email="a@b.co", username="ab")
    client.post("/_sandbox/reset", json={"vendor": "welkin"})
    assert welkin.list_users().get_json()["metaInfo"]["totalElements"] == 5


def listing(app):
    client = app.test_client()
    token = client.post(
        "/welkin/auth/token", json={"apiClient": "your-api-client-key", "secret": "your-api-client-secret"}
    ).get_json()["token"]
    return client.get(
        "/welkin/acme-health/live/users?size=1000&sort=username,asc",
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()


def test_fake_users_are_deterministic_by_seed():
    fake, again, other = (
        listing(create_app({"FROZEN_CLOCK": NOW, "FAKE_USERS": 30, "SEED": s})) for s in (7, 7, 8)
    )
    assert fake["metaInfo"]["totalElements"] == 35
    assert fake == again and fake != other


def test_writes_to_a_fake_user_leave_the_parts_fake_users_share_alone():
    """Fake users share their empty lists and dicts, seats and instance accesses (records.py)."""
    client = create_app({"FROZEN_CLOCK": NOW, "FAKE_USERS": 4}).test_client()
    welkin = WelkinCaller(client)
    before = welkin.list_users(size=100).get_json()["data"]
    target = before[-1]["id"]
    role = {"permissionName": "nurse", "instanceName": "live", "type": "SECURITY_ROLE", "primaryRole": True}
    writes = (
        welkin.put_policies(target, {"policies": ["read-patients"]}),
        welkin.patch_territories(target, {"territories": [{"name": "midwest", "territories": ["Ohio"]}]}),
        welkin.update_user(target, customUserAttributes={"team": "a"}),
        welkin.admin("PUT", f"user-permissions/{target}", json={"permissions": [role]}),
    )
    assert [w.status_code for w in writes] == [200] * 4
    after = welkin.list_users(size=100).get_json()["data"]
    assert [u for u in after if u["id"] != target] == before[:-1]
    client.post("/_sandbox/reset", json={"vendor": "welkin"})
    assert welkin.list_users(size=100).get_json()["data"] == before
