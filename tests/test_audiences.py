"""Token endpoints accept as audience the vendor's real URL and every URL the caller reaches them by
here: the scheme, host and port it used, the vendor's prefix or the `--vendor` root mount, a
/ns/{name} path prefix. Over real HTTP, with assertions and token requests built by client code."""

import time

import jwt
import pytest
from authlib.integrations.requests_client import OAuth2Session

from vendor_sandbox import create_app
from vendor_sandbox.urls import UrlSet

from .live import LiveServer, console_script

NABLA_PATH = "/v1/core/server/oauth/token"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ZUS_BACKEND = ("AcmeBackendM2MClient0000000000a1", "acme-backend-secret-" + "0" * 44)
AUD_REFUSED = {"message": "The client assertion's aud must be the full URL of the token endpoint.",
               "code": 400, "name": "invalid_grant"}


def serve(*flags):
    return LiveServer([*console_script(), "serve", "--threads", "4", *flags]).wait_ready()


@pytest.fixture(scope="module")
def plain():
    live = serve()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def nabla_root():
    live = serve("--vendor", "nabla")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def zus_root():
    live = serve("--vendor", "zus")
    yield live
    live.stop()


def nabla_assertion(server, aud):
    """Signed as Nabla's Python example signs it: PyJWT, RS256, iat and exp on the wall clock."""
    creds = server.request("GET", "/_sandbox/credentials")[2]["nabla"]
    client = next(c for c in creds if c["name"].startswith("Example Health"))
    now = int(time.time())
    return jwt.encode({"iss": client["clientId"], "sub": client["clientId"], "aud": aud, "iat": now,
                       "exp": now + 300}, client["privateKey"], algorithm="RS256")


def nabla_token(server, path, aud):
    status, _, body = server.request("POST", path, {"grant_type": "client_credentials", "client_assertion_type":
                                                    JWT_BEARER, "client_assertion": nabla_assertion(server, aud)})
    if isinstance(body, dict):  # the trace id, as documented and as recorded
        body.pop("trace_id", None)
        body.pop("traceId", None)
        if body.get("debuggingHints") == []:
            del body["debuggingHints"]
    return status, body


@pytest.mark.parametrize("path", ["/nabla" + NABLA_PATH, NABLA_PATH])
@pytest.mark.parametrize("aud", [
    "{url}" + NABLA_PATH,  # the root mount's URL, as a client configured with the sandbox's root signs it
    "{url}/nabla" + NABLA_PATH,
    "https://us.api.nabla.com" + NABLA_PATH,  # the real one, as code written for Nabla signs it
    "HTTP://127.0.0.1:{port}" + NABLA_PATH,  # scheme and host are case-insensitive (RFC 3986, 6.2.2.1)
])
def test_nabla_root_mount_takes_every_url_of_its_token_endpoint(nabla_root, path, aud):
    status, body = nabla_token(nabla_root, path, aud.format(url=nabla_root.url, port=nabla_root.port))
    assert status == 200, body
    assert list(body) == ["access_token", "expires_in"]


@pytest.mark.parametrize("aud", ["{url}/nabla" + NABLA_PATH, "http://localhost:{port}/nabla" + NABLA_PATH,
                                 "http://127.0.0.1:{port}/nabla" + NABLA_PATH])
def test_nabla_prefixed_mount_takes_the_url_the_caller_used(plain, aud):
    # urllib names the host as given: 127.0.0.1 here, so localhost is refused unless the client used it
    aud = aud.format(url=plain.url, port=plain.port)
    status, body = nabla_token(plain, "/nabla" + NABLA_PATH, aud)
    assert (status, body) == ((400, AUD_REFUSED) if "localhost" in aud else (200, body)), body


@pytest.mark.parametrize("aud", [
    "{url}" + NABLA_PATH,  # no root mount on this server: that URL reaches nothing here
    "http://127.0.0.1:1/nabla" + NABLA_PATH,  # another port
    "{url}/nabla/v1/core/server/users",  # another endpoint
    "{url}/nabla" + NABLA_PATH + "/",
    "https://api.nabla.com" + NABLA_PATH,  # not a Core API host
])
def test_nabla_refuses_an_aud_that_is_not_this_endpoint(plain, aud):
    assert nabla_token(plain, "/nabla" + NABLA_PATH, aud.format(url=plain.url)) == (400, AUD_REFUSED)


def test_nabla_path_namespace_and_forwarded_host_name_the_endpoint():
    """The front layer puts /ns/{name} into SCRIPT_NAME and a trusted proxy's host and scheme into
    the environ: the audience is the URL as that client wrote it."""
    # sandbox.example: a name the DNS-rebinding guard lets in, as a deployment behind a proxy would
    client = create_app({"TESTING": True, "ALLOWED_HOSTS": "sandbox.example"}).test_client()
    creds = client.get("/_sandbox/credentials").get_json()["nabla"]
    cred = next(c for c in creds if c["name"].startswith("Example Health"))
    now = int(time.time())
    for base in ("http://localhost/ns/team-a", "https://sandbox.example:8443"):
        signed = jwt.encode({"iss": cred["clientId"], "sub": cred["clientId"], "aud": f"{base}/nabla{NABLA_PATH}",
                             "iat": now, "exp": now + 300}, cred["privateKey"], algorithm="RS256")
        body = {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER, "client_assertion": signed}
        assert client.post(f"/nabla{NABLA_PATH}", json=body, base_url=base).status_code == 200
        assert client.post(f"/nabla{NABLA_PATH}", json=body).status_code == 400  # not the URL used here


def zus_session():
    # authlib: HTTP Basic client authentication, a form body; the audience is the application's choice
    return OAuth2Session(*ZUS_BACKEND)


@pytest.mark.parametrize("base", ["{url}/zus", "{url}/zus/"])
def test_zus_client_deriving_its_audience_from_its_base_url(plain, base):
    base = base.format(url=plain.url)
    token = zus_session().fetch_token(base.rstrip("/") + "/oauth/token", grant_type="client_credentials",
                                      audience=base)
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600


@pytest.mark.parametrize("base", ["{url}", "{url}/", "{url}/zus"])
def test_zus_root_mount_takes_its_base_urls(zus_root, base):
    base = base.format(url=zus_root.url)
    token = zus_session().fetch_token(zus_root.url + "/oauth/token", grant_type="client_credentials", audience=base)
    assert token["token_type"] == "Bearer"


@pytest.mark.parametrize("audience", ["{url}", "{url}/hipp", "http://127.0.0.1:1/zus", "https://api.zusapi.com"])
def test_zus_refuses_other_audiences_as_auth0_does(plain, audience):
    audience = audience.format(url=plain.url)
    status, _, body = plain.request("POST", "/zus/oauth/token", {
        "grant_type": "client_credentials", "client_id": ZUS_BACKEND[0], "client_secret": ZUS_BACKEND[1],
        "audience": audience})
    assert (status, body) == (403, {"error": "access_denied", "error_description": f"Service not found: {audience}"})


def test_welkin_token_endpoint_takes_no_audience_and_answers_on_the_root_mount():
    live = serve("--vendor", "welkin")
    try:
        for path in ("/auth/token", "/welkin/auth/token"):
            status, _, body = live.request("POST", path, {"apiClient": "your-api-client-key",
                                                          "secret": "your-api-client-secret"})
            assert (status, sorted(body)) == (200, ["expiresAt", "token"]), body
    finally:
        live.stop()


@pytest.mark.parametrize(("written", "same_as"), [
    ("HTTPS://US.API.NABLA.COM:443" + NABLA_PATH, "https://us.api.nabla.com" + NABLA_PATH),
    ("http://[::1]:80/zus", "http://[::1]/zus"),
    ("http://Sandbox.Local:8080/zus", "http://sandbox.local:8080/zus"),
])
def test_urls_compare_as_urls(written, same_as):
    assert written in UrlSet([same_as])
    assert same_as in UrlSet([written])


@pytest.mark.parametrize("other", ["http://sandbox.local:8081/zus", "https://sandbox.local:8080/zus",
                                   "http://sandbox.local:8080/ZUS", "http://sandbox.local:port/zus", "zus", 5, None])
def test_other_urls_are_other(other):
    assert other not in UrlSet(["http://sandbox.local:8080/zus"])
