"""Seed data: packaged fixtures, the SANDBOX_FIXTURES_DIR override, Faker volume by seed."""

import json
import shutil

import pytest

from vendor_sandbox import create_app
from vendor_sandbox.seed import fixtures_root, load_fixtures

HIPP = {"Authorization": "Bearer your-api-key"}


def test_packaged_fixtures_load_by_name():
    fixtures = load_fixtures("hipp")
    assert set(fixtures) == {"organizations", "users", "api_keys"}
    assert len(fixtures["organizations"]) >= 2


def test_unknown_vendor_has_no_fixtures():
    with pytest.raises(FileNotFoundError):
        load_fixtures("nobody")


def test_fixtures_dir_override_via_environment(tmp_path, monkeypatch):
    # every vendor's folder: a fixtures folder is checked whole at startup
    shutil.copytree(fixtures_root(), tmp_path, dirs_exist_ok=True)
    keys = json.loads((tmp_path / "hipp" / "api_keys.json").read_text())
    keys.append({"apiKey": "my-own-key", "name": "Mine", "userId": keys[0]["userId"]})
    (tmp_path / "hipp" / "api_keys.json").write_text(json.dumps(keys))
    monkeypatch.setenv("SANDBOX_FIXTURES_DIR", str(tmp_path))
    client = create_app().test_client()
    response = client.get("/hipp/api/v1/users", headers={"Authorization": "Bearer my-own-key"})
    assert response.status_code == 200


def total_users(app):
    return app.test_client().get("/hipp/api/v1/users", headers=HIPP).get_json()["pagination"]["totalCount"]


def test_fake_users_are_added_deterministically_by_seed():
    plain = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"})
    fake = create_app({"FAKE_USERS": 50, "SEED": 7})
    again = create_app({"FAKE_USERS": 50, "SEED": 7})
    other = create_app({"FAKE_USERS": 50, "SEED": 8})
    assert total_users(fake) == total_users(plain) + 50

    def page(app):
        return app.test_client().get("/hipp/api/v1/users?pageSize=100&sort=createdAt_asc", headers=HIPP).get_json()

    assert page(fake) == page(again)
    assert page(fake) != page(other)


def test_fake_users_from_the_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_FAKE_USERS", "30")
    baseline = total_users(create_app({"FAKE_USERS": 0}))
    assert total_users(create_app()) == baseline + 30


def test_fake_users_are_well_formed_and_unique():
    import re
    from datetime import date

    client = create_app({"FAKE_USERS": 50, "SEED": 3}).test_client()
    users = client.get("/hipp/api/v1/users?pageSize=100&role=PATIENT", headers=HIPP).get_json()["data"]
    fake = [u for u in users if u["publicId"].startswith("usr_1700000")]
    assert len(fake) == 26  # roles cycle through 3 patients in every 6
    assert len({u["publicId"] for u in fake}) == len(fake)
    for user in fake:
        assert re.fullmatch(r"usr_\d{13}_[a-z0-9]{9}", user["publicId"])
        assert user["sex"] in ("MALE", "FEMALE") and user["firstName"] and user["city"] and user["postalCode"]
        assert date(1927, 1, 1) < date.fromisoformat(user["birthDate"]) < date(2022, 1, 2)
    one = client.get(f"/hipp/api/v1/users/{fake[0]['publicId']}", headers=HIPP)
    assert one.status_code == 200 and one.get_json() == fake[0]
