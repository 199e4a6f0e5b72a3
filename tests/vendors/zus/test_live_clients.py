"""Other people's clients against a live `vendor-sandbox serve`: OAuth libraries fetch an Auth0-style
token from /zus/oauth/token (form and JSON bodies) and a JSON:API client library uses it on the Auth
Service, every answer checked against JSON:API 1.0's document rules on the way."""

import json

import jsonapi_client
import jwt
import pytest
import requests
from authlib.integrations.base_client import OAuthError as AuthlibOAuthError
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from jsonapi_client.exceptions import DocumentError
from jsonapi_client.filter import Filter, Inclusion
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session as RequestsOAuthSession

from .conftest import ACME_BACKEND, AUDIENCE, ROLES, is_auth_service
from .jsonapi_rules import check_response


# what jsonapi-client needs to build documents of our types: the attribute names, and which members
# are relationships to what
def model(attributes, **relationships):
    return {"properties": {**{name: {} for name in attributes},
                           **{name.replace("__", "/"): {"relation": "to-one", "resource": [kind]}
                              for name, kind in relationships.items()}}}


STAMPS = ("createdAt", "updatedAt")
MODELS = {
    "auth/users": model(("email", "name", "userType", *STAMPS), auth__roles="auth/roles",
                        fhir__practitioner="fhir/practitioner"),
    "auth/roles": model(("name", "description", "isManaged", "permissions", *STAMPS)),
    "auth/app-clients": model(("type", "name", "userType", "clientId", "clientSecret", *STAMPS),
                              auth__roles="auth/roles"),
}


@pytest.fixture
def token_url(server):
    return f"{server.url}/zus/oauth/token"


@pytest.fixture
def checked():
    """A requests response hook: every Auth Service answer must keep JSON:API 1.0's document rules."""
    seen = []

    def check(response, *args, **kwargs):
        path = requests.utils.urlparse(response.url).path
        if is_auth_service(path):
            check_response(response.status_code, response.headers.get("Content-Type"), response.json())
            seen.append(path)
        return response

    check.seen = seen
    return check


def authlib_token(token_url, method="client_secret_basic"):
    session = AuthlibSession(ACME_BACKEND["clientId"], ACME_BACKEND["clientSecret"], token_endpoint_auth_method=method)
    return session, session.fetch_token(token_url, grant_type="client_credentials", audience=AUDIENCE)


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_authlib_fetches_a_token_with_a_form_body_and_uses_it(server, token_url, method, checked):
    session, token = authlib_token(token_url, method)
    assert (token["token_type"], token["expires_in"]) == ("Bearer", 3600)
    assert token["scope"].split() == ["auth/users:read", "auth/users:write", "auth/roles:read", "auth/app-clients:read",
                                      "auth/app-clients:write", "fhir:read", "fhir:write"]
    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    assert (claims["aud"], claims["gty"], claims["sub"], claims["azp"]) == (
        AUDIENCE, "client-credentials", f"{ACME_BACKEND['clientId']}@clients", ACME_BACKEND["clientId"])
    assert claims["permissions"] == token["scope"].split()
    response = session.get(f"{server.url}/zus/auth/roles", hooks={"response": checked})
    assert response.status_code == 200
    assert [r["attributes"]["name"] for r in response.json()["data"]] == list(ROLES)


def test_requests_oauthlib_fetches_a_token_with_a_json_body_and_uses_it(server, token_url, monkeypatch, checked):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the live server is plain HTTP on loopback
    sent = []

    def as_json(url, headers, request_kwargs):
        body = request_kwargs.pop("data")
        sent.append(body)
        return url, {**headers, "Content-Type": "application/json"}, {**request_kwargs, "data": json.dumps(body)}

    session = RequestsOAuthSession(client=BackendApplicationClient(client_id=ACME_BACKEND["clientId"]))
    session.register_compliance_hook("access_token_request", as_json)
    token = session.fetch_token(token_url, client_secret=ACME_BACKEND["clientSecret"], include_client_id=True,
                                audience=AUDIENCE)
    assert sent == [{"grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"],
                     "client_secret": ACME_BACKEND["clientSecret"], "audience": AUDIENCE}]
    assert token["token_type"] == "Bearer"
    response = session.get(f"{server.url}/zus/auth/users", hooks={"response": checked})
    assert response.status_code == 200


@pytest.mark.parametrize(("grant", "extra"), [("password", {"username": "ada.admin@acme.example", "password": "x"}),
                                              ("refresh_token", {"refresh_token": "r"})])
def test_a_grant_the_client_lacks_is_auth0s_unauthorized_client(token_url, grant, extra):
    session = AuthlibSession(ACME_BACKEND["clientId"], ACME_BACKEND["clientSecret"],
                             token_endpoint_auth_method="client_secret_post")
    with pytest.raises(AuthlibOAuthError) as raised:
        session.fetch_token(token_url, grant_type=grant, **extra)
    assert (raised.value.error, raised.value.description) == (
        "unauthorized_client", f"Grant type '{grant}' not allowed for the client.")


@pytest.fixture
def jsonapi(server, token_url, checked):
    """jsonapi-client's Session on the Auth Service, with a token authlib fetched."""
    _, token = authlib_token(token_url)
    session = jsonapi_client.Session(f"{server.url}/zus", schema=MODELS, request_kwargs={
        "headers": {"Authorization": f"Bearer {token['access_token']}"}, "hooks": {"response": checked}})
    yield session
    session.close()
    assert checked.seen


def test_jsonapi_client_reads_users_with_their_included_roles(jsonapi):
    users = jsonapi.get("auth/users", Inclusion("auth/roles")).resources
    ada = next(u for u in users if u.email == "ada.admin@acme.example")
    assert (ada.type, ada.name, ada.userType) == ("auth/users", "Ada Admin", "builder")
    role = ada.relationships["auth/roles"].resource
    assert (role.type, role.id, role.name, role.isManaged) == ("auth/roles", ROLES["Builder Admin"], "Builder Admin", True)


def test_jsonapi_client_follows_the_pagination_links_to_every_user(jsonapi):
    every = [u.id for u in jsonapi.get("auth/users", Filter(query_str="page[count]=1000")).resources]
    paged = [u.id for u in jsonapi.iterate("auth/users", Filter(query_str="page[count]=1"))]
    assert paged == every and len(every) > 1


def test_jsonapi_client_reads_app_clients_and_their_roles(jsonapi):
    backend = jsonapi.get("auth/app-clients", ACME_BACKEND["id"]).resource
    # `.type` is the JSON:API type: the library reaches Zus's `type` attribute (a name the spec keeps
    # for the type, docs/fidelity.md) only through `.fields`
    assert (backend.type, backend.name, backend.clientId, backend.fields["type"]) == (
        "auth/app-clients", "Acme Backend", ACME_BACKEND["clientId"], "machine_to_machine")
    listed = jsonapi.get("auth/app-clients", Inclusion("auth/roles")).resources
    assert {c.relationships["auth/roles"].resource.name for c in listed} == {
        "Builder Admin", "Builder Data Integration", "Care Team User"}
    assert jsonapi.get("auth/roles", ROLES["Care Team User"]).resource.name == "Care Team User"


def test_jsonapi_client_creates_and_updates_a_user(jsonapi, checked):
    created = jsonapi.create("auth/users", fields={"email": "lib.client@example.com", "name": "Lib Client",
                                                   "userType": "builder", "auth/roles": ROLES["Care Team User"]})
    created.commit()
    assert created.id and created.name == "Lib Client"
    created.name = "Lib Client-Renamed"
    created.commit()
    fetched = jsonapi.get("auth/users", created.id).resource
    assert (fetched.name, fetched.relationships["auth/roles"].resource.name) == ("Lib Client-Renamed", "Care Team User")
    assert checked.seen[-1] == f"/zus/auth/roles/{ROLES['Care Team User']}"  # fetched by its identifier


def test_jsonapi_client_sees_400_for_what_an_endpoint_does_not_support(jsonapi):
    with pytest.raises(DocumentError) as raised:
        jsonapi.get("auth/roles", Inclusion("auth/roles"))
    assert raised.value.errors == {"status_code": 400}
    with pytest.raises(DocumentError) as raised:
        jsonapi.get("auth/users", Filter(query_str="sort=name"))
    assert raised.value.errors == {"status_code": 400}
