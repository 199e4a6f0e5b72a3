"""create_app: embedded defaults, then SANDBOX_* variables, then the argument."""

from vendor_sandbox import create_app


def test_embedded_defaults():
    app = create_app()
    assert (app.config["HOST"], app.config["PORT"], app.config["SEED"]) == ("127.0.0.1", 8080, 0)
    assert app.config["FAKE_USERS"] == 0 and app.config["FIXTURES_DIR"] is None


def test_environment_overrides_defaults_and_argument_overrides_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_PORT", "9000")
    monkeypatch.setenv("SANDBOX_SEED", "5")
    app = create_app({"SEED": 6})
    assert app.config["PORT"] == 9000
    assert app.config["SEED"] == 6


def test_same_seed_gives_byte_identical_answers():
    def created(seed):
        client = create_app({"SEED": seed, "FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client()
        return client.post("/hipp/api/v1/users", json={"firstName": "A", "lastName": "B"},
                           headers={"Authorization": "Bearer your-api-key"}).get_data()

    assert created(3) == created(3)
    assert created(3) != created(4)


def test_json_keeps_vendor_key_order_and_unicode(client):
    response = client.post("/hipp/api/v1/users", json={"firstName": "Zoë", "lastName": "Ångström"},
                           headers={"Authorization": "Bearer your-api-key"})
    text = response.get_data(as_text=True)
    assert text.startswith('{"message":"User created successfully","user":{"publicId":')
    assert '"firstName":"Zoë"' in text


def test_bodies_over_the_limit_get_the_vendors_413(client):
    response = client.post("/hipp/api/v1/users", data=b"{" + b" " * (1024 * 1024) + b"}",
                           headers={"Authorization": "Bearer your-api-key"}, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {"error": "Request body too large"}


def test_one_vendor_can_be_mounted_at_the_root():
    client = create_app({"VENDOR": "hipp", "FROZEN_CLOCK": "2025-01-15T10:30:00Z"}).test_client()
    key = {"Authorization": "Bearer your-api-key"}
    at_root = client.get("/api/v1/users/usr_1234567890_abc123def", headers=key)
    assert at_root.status_code == 200
    assert at_root.get_json() == client.get("/hipp/api/v1/users/usr_1234567890_abc123def", headers=key).get_json()
    assert client.get("/nowhere").get_json() == {"error": "Resource not found"}
    assert client.get("/_sandbox/health").status_code == 200


def test_mounting_an_unknown_vendor_fails_early():
    import pytest

    with pytest.raises(ValueError, match="unknown vendor 'acme'"):
        create_app({"VENDOR": "acme"})


def test_url_building_is_unchanged_by_the_lazy_builders():
    """Rules write their url_for builders on first use; what they build is werkzeug's own."""
    from flask import url_for
    from werkzeug.routing import Map, Rule

    app = create_app()
    reference = Map([Rule("/hipp/api/v1/users/<publicId>", endpoint="by_id")]).bind("localhost")
    with app.test_request_context():
        for _ in range(2):  # the first call compiles, the second reuses
            assert url_for("hipp.UsersById", publicId="usr 1/é", page=2) == \
                reference.build("by_id", {"publicId": "usr 1/é", "page": 2})
            assert url_for("hipp.Users") == "/hipp/api/v1/users"
        assert url_for("hipp.UsersById", publicId="x", _external=True) == "http://localhost/hipp/api/v1/users/x"
