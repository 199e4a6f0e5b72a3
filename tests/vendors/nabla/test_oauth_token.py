"""POST /v1/core/server/oauth/token: a JWT client assertion for a server access token."""

from datetime import timedelta

import jwt
import pytest

from .conftest import CORE, EXAMPLE, LEGACY, NOW, TOKEN_URL, assertion, nabla_error, private_key, token_body


def post_token(client, body):
    return client.post(f"{CORE}/oauth/token", json=body)


def test_documented_assertion_gets_an_access_token(client, credentials):
    response = post_token(client, token_body(assertion(credentials[EXAMPLE])))
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["access_token", "expires_in"]
    assert body["expires_in"] == 3600
    assert jwt.get_unverified_header(body["access_token"])["typ"] == "JWT"


def test_the_access_token_opens_the_server_api(client, get_token):
    response = client.get(f"{CORE}/users", headers={"Authorization": f"Bearer {get_token()}"})
    assert response.status_code == 200


@pytest.mark.parametrize("aud", [
    "https://us.api.nabla.com/v1/core/server/oauth/token",
    "https://eu.api.nabla.com/v1/core/server/oauth/token",
    [TOKEN_URL, "https://example.com"],
])
def test_nabla_token_urls_and_audience_lists_are_accepted(client, credentials, aud):
    assert post_token(client, token_body(assertion(credentials[EXAMPLE], aud=aud))).status_code == 200


def test_optional_iat_and_a_kid_header(client, credentials):
    cred = credentials[EXAMPLE]
    signed = jwt.encode({"iss": cred["clientId"], "sub": cred["clientId"], "aud": TOKEN_URL, "exp": NOW + 300},
                        private_key(cred["privateKey"]), algorithm="RS256", headers={"kid": "key-1"})
    assert post_token(client, token_body(signed)).status_code == 200


def test_boundaries_of_the_five_minute_window_are_accepted(client, credentials):
    for claims in ({"exp": NOW}, {"exp": NOW + 300, "iat": NOW}, {"exp": NOW + 10, "iat": NOW - 290}):
        assert post_token(client, token_body(assertion(credentials[EXAMPLE], **claims))).status_code == 200


def invalid_client(message):
    return nabla_error(message, 401, "invalid_client")


def invalid_grant(message):
    return nabla_error(message, 400, "invalid_grant")


SIGNATURE = invalid_client("The client assertion's signature does not match the OAuth client's key.")
ISS_SUB = invalid_client("The client assertion's iss and sub must both be the OAuth client's UUID.")
AUD = invalid_grant("The client assertion's aud must be the full URL of the token endpoint.")
EXP_PAST = invalid_grant("The client assertion's exp is missing or in the past (check your clock).")
EXP_FAR = invalid_grant("The client assertion's exp is more than 5 minutes in the future (check your clock).")
IAT = invalid_grant("The client assertion's iat is in the future or more than 5 minutes before exp "
                    "(check your clock).")


@pytest.mark.parametrize(("claims", "status", "body"), [
    ({"sub": "someone-else"}, 401, ISS_SUB),
    ({"iss": None}, 401, ISS_SUB),
    ({"iss": "00000000-0000-4000-8000-000000000000", "sub": "00000000-0000-4000-8000-000000000000"}, 401,
     invalid_client("Unknown OAuth client: the client assertion's iss must be the OAuth client's UUID.")),
    ({"aud": "https://us.api.nabla.com/v1/core/server"}, 400, AUD),
    ({"aud": None}, 400, AUD),
    ({"exp": NOW - 1}, 400, EXP_PAST),
    ({"exp": None}, 400, EXP_PAST),
    ({"exp": NOW + 301, "iat": None}, 400, EXP_FAR),
    ({"iat": NOW + 1}, 400, IAT),
    ({"iat": NOW - 1, "exp": NOW + 300}, 400, IAT),
])
def test_assertion_claims_are_checked(client, credentials, claims, status, body):
    response = post_token(client, token_body(assertion(credentials[EXAMPLE], **claims)))
    assert (response.status_code, response.get_json()) == (status, body)


def test_an_assertion_signed_with_another_clients_key_is_invalid_client(client, credentials):
    forged = assertion({**credentials[LEGACY], "clientId": credentials[EXAMPLE]["clientId"]})
    response = post_token(client, token_body(forged))
    assert (response.status_code, response.get_json()) == (401, SIGNATURE)


@pytest.mark.parametrize(("client_assertion", "message"), [
    ("not-a-jwt", "Unable to decode the client assertion."),
    (jwt.encode({"iss": "x", "sub": "x"}, "a-shared-secret-of-32-bytes-or-more!", algorithm="HS256"),
     "The client assertion must be signed with RS256."),
])
def test_undecodable_or_non_rs256_assertions_are_invalid_client(client, client_assertion, message):
    response = post_token(client, token_body(client_assertion))
    assert (response.status_code, response.get_json()) == (401, invalid_client(message))


def test_a_reused_jti_is_invalid_grant(client, credentials):
    signed = assertion(credentials[EXAMPLE], jti="once")
    assert post_token(client, token_body(signed)).status_code == 200
    response = post_token(client, token_body(signed))
    assert (response.status_code, response.get_json()) == (
        400, invalid_grant("The client assertion's jti was already used."))


GRANT = "This endpoint only supports the 'client_credentials' value."
ASSERTION_TYPE = "This endpoint only supports the 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' value."


@pytest.mark.parametrize(("change", "message"), [
    ({"grant_type": "password"}, GRANT),
    ({"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"}, ASSERTION_TYPE),
    ({"grant_type": None}, "Unable to parse JSON at path $.grant_type"),
    ({"client_assertion": 42}, "Unable to parse JSON at path $.client_assertion"),
])
def test_body_fields_are_validated(client, credentials, change, message):
    body = {**token_body(assertion(credentials[EXAMPLE])), **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = post_token(client, body)
    assert (response.status_code, response.get_json()) == (400, nabla_error(message))


def test_an_expired_access_token_is_jwt_expired(app, client, get_token):
    token = get_token()
    app.extensions["vendor_sandbox.store"].clock.advance(timedelta(hours=1))
    response = client.get(f"{CORE}/users", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.get_json()) == (401, nabla_error(
        "Invalid JWT token: The Token has expired on Wed Jan 15 11:30:00 GMT 2025.", 50025, "JWT_EXPIRED"))
