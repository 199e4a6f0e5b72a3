"""The Zus entry of GET /_sandbox/credentials, builder isolation, and Faker volume."""

import jwt

from vendor_sandbox import create_app

from .conftest import ACME, ACME_BACKEND, NOW, RIVERSIDE, ZusCaller, token


def test_shape_and_entries(client):
    listed = client.get("/_sandbox/credentials").get_json()["zus"]
    assert all(list(entry) == ["name", "role", "builderId", "token", "clientId", "clientSecret"] for entry in listed)
    assert [(e["name"], e["role"], e["builderId"]) for e in listed] == [
        ("Ada Admin", "Builder Admin", ACME),
        ("Carla Care", "Care Team User", ACME),
        ("Perry Permissionless", "Permissionless", ACME),
        ("Riley Admin", "Builder Admin", RIVERSIDE),
        ("Acme Backend", "Builder Admin", ACME),
        ("Acme Data Integration", "Builder Data Integration", ACME),
        ("Acme Care Portal", "Care Team User", ACME),
        ("Riverside Backend", "Builder Admin", RIVERSIDE),
    ]
    backend = listed[4]
    assert (backend["clientId"], backend["clientSecret"]) == (ACME_BACKEND["clientId"], ACME_BACKEND["clientSecret"])
    assert listed[0]["clientId"] is None and listed[0]["clientSecret"] is None
    assert listed[6]["token"] is None  # a single-page application gets no client-credentials token


def test_every_listed_token_and_client_works(client):
    for entry in client.get("/_sandbox/credentials").get_json()["zus"]:
        if entry["token"]:
            assert ZusCaller(client, entry["token"]).roles().status_code in (200, 403), entry["name"]
        if entry["clientId"] and entry["name"] != "Acme Care Portal":
            assert token(client, grant_type="client_credentials", client_id=entry["clientId"],
                         client_secret=entry["clientSecret"]).status_code == 200, entry["name"]


def test_user_tokens_carry_the_users_claims(client):
    ada = client.get("/_sandbox/credentials").get_json()["zus"][1]
    claims = jwt.decode(ada["token"], options={"verify_signature": False})
    assert {k.removeprefix("https://zusapi.com/"): v for k, v in claims.items() if k.startswith("https://")} == {
        "builder_id": ACME, "builder_name": "Acme Health", "user_id": "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b62",
        "email": "carla.care@acme.example", "user_type": "builder", "is_super_org": False,
        "practitioner_id": "a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c21"}


def test_user_tokens_are_auth0_login_tokens(client):
    carla = client.get("/_sandbox/credentials").get_json()["zus"][1]
    claims = jwt.decode(carla["token"], options={"verify_signature": False})
    # what Zus's own client types a token as (ctw-component-library's ZusJWT: `aud: string[]`, `scope`):
    # an OpenID Connect login for the API, so Auth0 adds its userinfo audience
    assert {k: v for k, v in claims.items() if not k.startswith("https://")} == {
        "iss": "https://zus-sandbox.us.auth0.com/", "sub": "auth0|f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b62",
        "aud": ["https://api.sandbox.zusapi.com", "https://zus-sandbox.us.auth0.com/userinfo"],
        "iat": NOW, "exp": NOW + 3600, "azp": "PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw", "scope": "openid profile email"}


def test_the_same_seed_gives_the_same_tokens():
    first = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client().get("/_sandbox/credentials")
    again = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client().get("/_sandbox/credentials")
    other = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "SEED": 1}).test_client().get("/_sandbox/credentials")
    assert first.get_json()["zus"] == again.get_json()["zus"]
    assert first.get_json()["zus"][0]["token"] != other.get_json()["zus"][0]["token"]


def admin_users(app):
    client = app.test_client()
    ada = client.get("/_sandbox/credentials").get_json()["zus"][0]["token"]
    return ZusCaller(client, ada).list_users(**{"page[count]": 1000}).get_json()["data"]


def test_fake_users_are_added_deterministically_by_seed():
    plain = admin_users(create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"}))
    fake = admin_users(create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "FAKE_USERS": 30, "SEED": 7}))
    again = admin_users(create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "FAKE_USERS": 30, "SEED": 7}))
    other = admin_users(create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "FAKE_USERS": 30, "SEED": 8}))
    assert len(fake) == len(plain) + 30
    assert fake == again and fake != other
    assert len({u["attributes"]["email"] for u in fake}) == len(fake)


def test_fake_users_are_not_listed_as_credentials():
    app = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "FAKE_USERS": 30})
    assert len(app.test_client().get("/_sandbox/credentials").get_json()["zus"]) == 8
