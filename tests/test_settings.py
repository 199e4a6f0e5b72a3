"""GET/PATCH /_sandbox/settings over real HTTP: what a test varies for one namespace, the process
settings (SANDBOX_*) everywhere else, from the namespace's next request on."""

import itertools
import time
from datetime import UTC, datetime

import jwt
import pytest

from .live import LiveServer, console_script

WELKIN_CLIENT = {"apiClient": "your-api-client-key", "secret": "your-api-client-secret"}  # Welkin's docs
ZUS_BACKEND = {"grant_type": "client_credentials", "client_id": "AcmeBackendM2MClient0000000000a1",
               "client_secret": "acme-backend-secret-" + "0" * 44}
ZUS_PRODUCTION = "https://api.zusapi.com"  # Zus's production audience (vendor notes Z11)
NABLA_TOKEN = "/nabla/v1/core/server/oauth/token"
# the process defaults: Zus's sandbox, Welkin's documented limit, each Nabla organization's own pin
DEFAULTS = {"zus_environment": "sandbox", "zus_tokens_per_hour": 200, "welkin_token_rate_limit": True,
            "nabla_pinned_version": None, "nabla_rate_limit_per_minute": None}
_names = itertools.count()


@pytest.fixture(scope="module")
def server(live_store):
    live = LiveServer([*console_script(), "serve", "--threads", "4"], env=live_store).wait_ready()
    yield live
    live.stop()


@pytest.fixture
def ns():
    """Two fresh namespaces for one test: the one it changes, and one it must leave alone."""
    n = next(_names)
    return {"X-Sandbox-Namespace": f"settings-{n}"}, {"X-Sandbox-Namespace": f"untouched-{n}"}


def patch(server, headers, body):
    status, _, reply = server.request("PATCH", "/_sandbox/settings", body, headers=headers)
    assert status == 200, reply
    return reply


def test_a_namespace_starts_with_the_process_settings(server, ns):
    changed, _ = ns
    assert server.request("GET", "/_sandbox/settings", headers=changed)[2] == {
        "namespace": changed["X-Sandbox-Namespace"], "settings": DEFAULTS, "overridden": []}


def test_the_process_settings_come_from_the_environment():
    live = LiveServer([*console_script(), "serve"], env={
        "SANDBOX_ZUS_ENVIRONMENT": "production", "SANDBOX_NABLA_RATE_LIMIT_PER_MINUTE": '{"*": 7}'}).wait_ready()
    try:
        body = live.request("GET", "/_sandbox/settings")[2]
    finally:
        live.stop()
    assert body["settings"] == {**DEFAULTS, "zus_environment": "production", "nabla_rate_limit_per_minute": {"*": 7}}
    assert body["overridden"] == []


def test_a_bad_process_setting_stops_the_server_with_its_name():
    live = LiveServer([*console_script(), "serve"], env={"SANDBOX_ZUS_TOKENS_PER_HOUR": "0"})
    assert live.process.wait(timeout=30) != 0
    assert "SANDBOX_ZUS_TOKENS_PER_HOUR (zus_tokens_per_hour) must be an integer from 1 to 1000000" in live.output()
    live.stop()


def zus_token(server, headers, **changes):
    return server.request("POST", "/zus/oauth/token", {**ZUS_BACKEND, **changes}, headers=headers)


def zus_admin(server, headers):
    creds = server.request("GET", "/_sandbox/credentials", headers=headers)[2]["zus"]
    token = next(c for c in creds if c["name"] == "Ada Admin")["token"]
    return {**headers, "Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json"}


def test_zus_production_in_one_namespace(server, ns):
    changed, untouched = ns
    reply = patch(server, changed, {"zus_environment": "production"})
    assert reply["settings"] == {**DEFAULTS, "zus_environment": "production"}
    assert reply["overridden"] == ["zus_environment"]
    assert zus_token(server, changed, audience=ZUS_PRODUCTION)[0] == 200
    assert zus_token(server, untouched, audience=ZUS_PRODUCTION)[::2] == (403, {
        "error": "access_denied", "error_description": f"Service not found: {ZUS_PRODUCTION}"})
    # null gives the namespace the process setting back
    assert patch(server, changed, {"zus_environment": None})["overridden"] == []
    assert zus_token(server, changed, audience=ZUS_PRODUCTION)[0] == 403


def test_zus_production_sends_no_welcome_mail(server, ns):
    changed, untouched = ns
    patch(server, changed, {"zus_environment": "production"})
    for headers in ns:
        status, _, body = server.request("POST", "/zus/auth/users", {"data": {
            "type": "auth/users", "attributes": {"email": "mail@example.com", "name": "Mae Mail", "userType": "builder"},
            "relationships": {"role": {"data": {"type": "auth/roles", "id": "1a7b2d63-4c8e-4f2a-b9d3-6e5a7f8b9c02"}}}}},
            headers=zus_admin(server, headers))
        assert status == 201, body
    outbox = {h["X-Sandbox-Namespace"]: server.request("GET", "/_sandbox/outbox?vendor=zus", headers=h)[2]["messages"]
              for h in ns}
    # both send the password e-mail, each with its environment's Auth0 host; only the sandbox welcomes
    kinds = {name: [m["kind"] for m in messages] for name, messages in outbox.items()}
    assert kinds == {changed["X-Sandbox-Namespace"]: ["password-reset"],
                     untouched["X-Sandbox-Namespace"]: ["welcome", "password-reset"]}
    assert "https://auth.zusapi.com/lo/reset?ticket=" in outbox[changed["X-Sandbox-Namespace"]][0]["body"]
    assert "https://zus-sandbox.us.auth0.com/lo/reset?ticket=" in outbox[untouched["X-Sandbox-Namespace"]][1]["body"]


def test_zus_tokens_per_hour(server, ns):
    changed, untouched = ns
    patch(server, changed, {"zus_tokens_per_hour": 2})
    assert [zus_token(server, changed)[0] for _ in range(2)] == [200, 200]
    assert zus_token(server, changed)[::2] == (429, {
        "error": "too_many_requests", "error_description": "Too many token requests for this client: at most 2 per hour"})
    assert [zus_token(server, untouched)[0] for _ in range(3)] == [200, 200, 200]


def test_welkin_token_rate_limit_off_in_one_namespace(server, ns):
    changed, untouched = ns
    patch(server, changed, {"welkin_token_rate_limit": False})
    for headers, last in ((changed, 200), (untouched, 429)):
        statuses = [server.request("POST", "/welkin/auth/token", WELKIN_CLIENT, headers=headers)[0] for _ in range(101)]
        assert statuses == [200] * 100 + [last]


def nabla_token(server, headers, org="Example Health"):
    """An access token signed as Nabla's Python example does (PyJWT, wall-clock iat/exp)."""
    creds = server.request("GET", "/_sandbox/credentials", headers=headers)[2]["nabla"]
    client = next(c for c in creds if c["name"].startswith(org))
    now = int(time.time())
    signed = jwt.encode({"iss": client["clientId"], "sub": client["clientId"], "aud": server.url + NABLA_TOKEN,
                         "iat": now, "exp": now + 300}, client["privateKey"], algorithm="RS256")
    status, _, body = server.request("POST", NABLA_TOKEN, {
        "grant_type": "client_credentials", "client_assertion": signed,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, headers=headers)
    assert status == 200, body
    return {**headers, "Authorization": f"Bearer {body['access_token']}"}


def nabla_user_fields(server, headers):
    status, _, body = server.request("GET", "/nabla/v1/core/server/users", headers=headers)
    assert status == 200, body
    return set(body["data"][0])


def test_nabla_pinned_version_for_every_organization_of_one_namespace(server, ns):
    changed, untouched = map(lambda h: nabla_token(server, h), ns)
    # Example Health is pinned to 2026-04-24 (specialty, no email); 2024-04-22 Users had email and roles
    patch(server, changed, {"nabla_pinned_version": {"*": "2024-04-22"}})
    assert {"email", "roles"} <= nabla_user_fields(server, changed)
    assert "specialty" not in nabla_user_fields(server, changed)
    assert "specialty" in nabla_user_fields(server, untouched)
    assert "email" not in nabla_user_fields(server, untouched)


def test_nabla_rate_limit_per_organization(server, ns):
    changed, untouched = ns
    example = nabla_token(server, changed)
    throttled = nabla_token(server, changed, org="Throttled Practice")
    # "*" for every organization, and the fixture's Throttled Practice (3 a minute) unlimited
    patch(server, changed, {"nabla_rate_limit_per_minute": {"*": 1, "9c8b7a69-5847-4362-a514-0f1e2d3c4b5a": 0}})
    statuses = [server.request("GET", "/nabla/v1/core/server/users", headers=example)[0] for _ in range(2)]
    assert statuses == [200, 429]
    status, _, body = server.request("GET", "/nabla/v1/core/server/users", headers=example)
    assert (status, body["code"], body["name"]) == (429, 85000, "ORGANIZATION_RATE_LIMITED")
    assert [server.request("GET", "/nabla/v1/core/server/users", headers=throttled)[0] for _ in range(5)] == [200] * 5
    other = nabla_token(server, untouched)
    assert [server.request("GET", "/nabla/v1/core/server/users", headers=other)[0] for _ in range(3)] == [200] * 3


@pytest.mark.parametrize(("body", "message"), [
    (None, 'give a JSON object of settings, such as {"zus_environment": "production"}; known: zus_environment, '
           "zus_tokens_per_hour, welkin_token_rate_limit, nabla_pinned_version, nabla_rate_limit_per_minute"),
    ({}, 'give a JSON object of settings, such as {"zus_environment": "production"}; known: zus_environment, '
         "zus_tokens_per_hour, welkin_token_rate_limit, nabla_pinned_version, nabla_rate_limit_per_minute"),
    ({"zus_environment": "production", "speed": 2}, "unknown settings: speed; known: zus_environment, "
     "zus_tokens_per_hour, welkin_token_rate_limit, nabla_pinned_version, nabla_rate_limit_per_minute"),
    ({"zus_environment": "production", "zus_tokens_per_hour": 0}, "zus_tokens_per_hour must be an integer from 1 to "
                                                                  "1000000"),
    ({"zus_environment": "staging"}, "zus_environment must be one of: sandbox, production"),
    ({"welkin_token_rate_limit": "false"}, "welkin_token_rate_limit must be true or false"),
    ({"zus_tokens_per_hour": True}, "zus_tokens_per_hour must be an integer from 1 to 1000000"),
    ({"nabla_pinned_version": "2025-01-07"}, 'nabla_pinned_version must be an object of organization ids (or "*") to '
                                             "an API version"),
    ({"nabla_pinned_version": {"*": "2025-02-30"}}, 'nabla_pinned_version must be an object of organization ids '
                                                    '(or "*") to an API version: a date, YYYY-MM-DD'),
    ({"nabla_rate_limit_per_minute": {"*": -1}}, 'nabla_rate_limit_per_minute must be an object of organization ids '
                                                 '(or "*") to requests per minute (0: none): an integer from 0 to '
                                                 "1000000"),
])
def test_a_bad_patch_is_a_400_in_the_control_plane_shape_and_changes_nothing(server, ns, body, message):
    changed, _ = ns
    status, headers, reply = server.request("PATCH", "/_sandbox/settings", body, headers=changed)
    assert (status, headers["Content-Type"]) == (400, "application/json")
    assert reply == {"error": {"code": "invalid_settings", "message": message}}
    assert server.request("GET", "/_sandbox/settings", headers=changed)[2]["settings"] == DEFAULTS


def test_a_full_reset_gives_the_process_settings_back(server, ns):
    changed, _ = ns
    patch(server, changed, {"zus_environment": "production"})
    assert server.request("POST", "/_sandbox/reset", {"vendor": "zus"}, headers=changed)[0] == 200
    assert server.request("GET", "/_sandbox/settings", headers=changed)[2]["overridden"] == ["zus_environment"]
    assert server.request("POST", "/_sandbox/reset", {}, headers=changed)[0] == 200
    assert server.request("GET", "/_sandbox/settings", headers=changed)[2]["settings"] == DEFAULTS


def test_settings_need_the_admin_token_when_one_is_set():
    live = LiveServer([*console_script(), "serve"], env={"SANDBOX_ADMIN_TOKEN": "s3cret"}).wait_ready()
    try:
        assert live.request("GET", "/_sandbox/settings")[0] == 401
        assert live.request("PATCH", "/_sandbox/settings", {"zus_environment": "production"})[0] == 401
        assert live.request("PATCH", "/_sandbox/settings", {"zus_environment": "production"},
                            headers={"X-Sandbox-Admin-Token": "s3cret"})[0] == 200
    finally:
        live.stop()


def test_two_namespaces_with_their_own_clocks_and_settings(server, ns):
    changed, untouched = ns
    assert server.request("POST", "/_sandbox/clock", {"set": "2031-05-06T07:08:09Z"}, headers=changed)[0] == 200
    patch(server, changed, {"zus_tokens_per_hour": 1})
    tokens = {}
    for headers in ns:
        status, _, body = zus_token(server, headers)
        assert status == 200, body
        tokens[headers["X-Sandbox-Namespace"]] = body["access_token"]
    issued = {name: jwt.decode(token, options={"verify_signature": False})["iat"] for name, token in tokens.items()}
    assert issued[changed["X-Sandbox-Namespace"]] == datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC).timestamp()
    assert abs(issued[untouched["X-Sandbox-Namespace"]] - time.time()) < 120
    assert zus_token(server, changed)[0] == 429
    assert zus_token(server, untouched)[0] == 200
    # an hour on the changed namespace's clock: its token expires there, the other's lives on
    assert server.request("POST", "/_sandbox/clock", {"advance": 3600}, headers=changed)[0] == 200
    for headers, status in ((changed, 401), (untouched, 200)):
        token = tokens[headers["X-Sandbox-Namespace"]]
        got = server.request("GET", "/zus/auth/roles", headers={**headers, "Authorization": f"Bearer {token}"})
        assert got[0] == status, got[2]
    assert zus_token(server, changed)[0] == 200  # and its hourly quota starts again
