"""The mails a created user gets: welcome (sandbox only) and password reset (unless turned off)."""

import pytest

from vendor_sandbox import create_app

from .conftest import ZusCaller, user_body


def outbox(client):
    return client.get("/_sandbox/outbox?vendor=zus").get_json()["messages"]


def test_sandbox_sends_welcome_then_password_reset(client, zus):
    zus.create_user(user_body(email="jane@example.com", name="Jane Doe"))
    welcome, reset = outbox(client)
    assert welcome == {"vendor": "zus", "to": "jane@example.com", "kind": "welcome",
                       "subject": "Welcome to Zus Health", "sentAt": "2025-01-15T10:30:00.000Z",
                       "body": "Hi Jane Doe,\n\nYou have been added to Acme Health on Zus Health.\n\n"
                               "Zus App: https://app.sandbox.zushealth.com\nDocumentation: https://docs.zushealth.com\n"}
    assert (reset["kind"], reset["subject"]) == ("password-reset", "Set your Zus Health password")
    assert "https://zus-sandbox.us.auth0.com/lo/reset?ticket=" in reset["body"]


def test_the_redirect_client_is_named_in_the_reset_mail(client, zus):
    zus.create_user(user_body(clientId="PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw"))
    assert "application PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw" in outbox(client)[1]["body"]


def test_no_password_reset_when_turned_off(client, zus):
    zus.create_user(user_body(sendPasswordResetEmail=False))
    assert [m["kind"] for m in outbox(client)] == ["welcome"]


@pytest.mark.parametrize(("send_reset", "kinds"), [(True, ["password-reset"]), (False, [])])
def test_production_sends_no_welcome(send_reset, kinds):
    client = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z", "ZUS_ENVIRONMENT": "production"}).test_client()
    listed = client.get("/_sandbox/credentials").get_json()["zus"]
    response = ZusCaller(client, listed[0]["token"]).create_user(user_body(sendPasswordResetEmail=send_reset))
    assert response.status_code == 201
    assert [m["kind"] for m in outbox(client)] == kinds


def test_the_environment_comes_from_sandbox_zus_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_ZUS_ENVIRONMENT", "production")
    app = create_app({"FROZEN_CLOCK": "2025-01-15T10:30:00Z"})
    client = app.test_client()
    ada = client.get("/_sandbox/credentials").get_json()["zus"][0]["token"]
    ZusCaller(client, ada).create_user(user_body())
    assert [m["kind"] for m in outbox(client)] == ["password-reset"]
    assert "https://auth.zusapi.com/lo/reset" in outbox(client)[0]["body"]


def test_mails_are_per_namespace(client, zus_as, namespace):
    other = f"{namespace}-other"
    zus_as("Ada Admin", namespace=other).create_user(user_body())
    assert outbox(client) == []
    assert len(client.get("/_sandbox/outbox", headers={"X-Sandbox-Namespace": other}).get_json()["messages"]) == 2
