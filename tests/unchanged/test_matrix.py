"""The proof of issue 14: real client code for each vendor, unchanged but for its environment, through
each way in. 1. a base URL with /ns/{name} in front; 2. the vendor's own hostname resolved to the
sandbox's TLS port inside the client process (resolver/sitecustomize.py), our CA the only trust root,
the namespace given by a credential minted or registered in it; 3. HTTPS_PROXY with the namespace as
the proxy URL's user, and our CA. Each cell checks the vendor's answers and the journal of the namespace
it landed in, and the Host each request carried (which way it took)."""

import re
import uuid

import certifi
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..vendors.hipp.expected import EXAMPLE_ORG, listed
from ..vendors.welkin.conftest import LEGACY_CLIENT
from ..vendors.zus.conftest import ACME_BACKEND
from .conftest import WAYS, fixture_credentials, hosts, journal, journaled, mint, run_app, spawn, way_env

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HIPP_ID = re.compile(r"^usr_\d{13}_[a-z0-9]{9}$")


def cells(default, *more):
    """Every way in with the vendor's default host, then (way, another of its real hosts)."""
    return pytest.mark.parametrize(("way", "host"), [(way, default) for way in WAYS] + list(more))


@cells("app.hipp.health")
def test_hipp_with_requests(server, ca_file, way, host, namespace, tmp_path):
    base, env = way_env(server, ca_file, way, "hipp", namespace)
    key = "your-api-key"  # Hipp's documented example key
    if way == "hostname":  # no path, no proxy user: the key the app already has, registered in the namespace
        key = f"hipp-key-from-the-apps-dotenv-{namespace}"
        assert mint(server, namespace, vendor="hipp", apiKey=key)["apiKey"] == key
    env |= {"HIPP_API_KEY": key} | ({"HIPP_API_URL": f"{base}/api"} if base else {})
    seen = run_app("hipp_app.py", env, tmp_path)

    status, body = seen["create"]
    assert status == 200
    user = body["user"]
    assert HIPP_ID.match(user["publicId"]) and ISO_MS.match(user["createdAt"])
    assert body == {
        "message": "User created successfully",
        "user": {
            "publicId": user["publicId"],
            "firstName": "Jane",
            "lastName": "Smith",
            "email": "jane.smith@example.com",
            "role": "CLINICIAN",
            "phoneNumber": None,
            "npiNumber": None,
            "shouldSendSMS": False,
            "createdAt": user["createdAt"],
            "organization": EXAMPLE_ORG,
        },
    }
    assert seen["read"] == [200, listed(user["publicId"], "Jane", "Smith", "CLINICIAN")]
    assert seen["search"] == [
        200,
        {
            "data": [listed(user["publicId"], "Jane", "Smith", "CLINICIAN")],
            "pagination": {"page": 1, "pageSize": 25, "totalCount": 1, "totalPages": 1},
        },
    ]
    assert journal(server, namespace) == [
        ("POST", "/hipp/api/v1/users", 200),
        ("GET", f"/hipp/api/v1/users/{user['publicId']}", 200),
        ("GET", "/hipp/api/v1/users", 200),
    ]
    assert hosts(server, namespace) == expected_hosts(server, way, host)


def expected_hosts(server, way, *vendor_hosts):
    """The Host headers that reached the sandbox: ours for a base URL, else the vendor's own names."""
    return {f"127.0.0.1:{server.port}"} if way == "base_url" else set(vendor_hosts)


def own_key_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


@cells("us.api.nabla.com", ("hostname", "eu.api.nabla.com"))
def test_nabla_with_pyjwt_and_httpx(server, ca_file, way, host, namespace, tmp_path):
    base, env = way_env(server, ca_file, way, "nabla", namespace)
    client = next(c for c in fixture_credentials(server, "nabla") if c["name"].startswith("Example Health"))
    if way == "hostname":
        # as Nabla's sample backend does: its own key pair, the public half registered for its client id
        client = {"clientId": str(uuid.uuid4()), "privateKey": own_key_pair()}
        public = serialization.load_pem_private_key(client["privateKey"].encode(), None).public_key()
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        entry = mint(server, namespace, vendor="nabla", clientId=client["clientId"], publicKey=pem.decode())
        assert (entry["clientId"], entry["privateKey"]) == (client["clientId"], None)
    env |= {"NABLA_CLIENT_ID": client["clientId"], "NABLA_PRIVATE_KEY": client["privateKey"]}
    env |= {"NABLA_API_URL": base} if base else {}
    env |= {"NABLA_API_URL": f"https://{host}"} if host != "us.api.nabla.com" else {}  # the EU region
    seen = run_app("nabla_app.py", env, tmp_path)

    # the assertion's aud is the token URL the app is configured with: ours under /ns/, or Nabla's own
    assert seen["token"][0] == 200 and list(seen["token"][1]) == ["access_token", "expires_in"]
    assert seen["token"][1]["expires_in"] == 3600
    status, user = seen["create"]
    assert status == 200 and UUID4.match(user["id"]) and ISO_MS.match(user["created_at"])
    # 2026-07-01, newer than any version we know, answers as the newest (2026-04-24): this User shape
    assert list(user.items()) == [
        ("id", user["id"]),
        ("activated", True),
        ("external_id", None),
        ("metadata", None),
        ("created_at", user["created_at"]),
    ]
    assert seen["authenticate"][0] == 200 and list(seen["authenticate"][1]) == [
        "access_token",
        "refresh_token",
    ]
    assert seen["read"] == [200, user]
    core = "/nabla/v1/core/server"
    assert journal(server, namespace) == [
        ("POST", f"{core}/oauth/token", 200),
        ("POST", f"{core}/users", 200),
        ("POST", f"{core}/jwt/authenticate/{user['id']}", 200),
        ("GET", f"{core}/users/{user['id']}", 200),
    ]
    assert hosts(server, namespace) == expected_hosts(server, way, host)


@cells("api.sandbox.zusapi.com", ("proxy", "api.zusapi.com"))
def test_zus_with_authlib_and_fhirpy(server, ca_file, way, host, namespace, tmp_path):
    base, env = way_env(server, ca_file, way, "zus", namespace)
    auth_host = "zus-sandbox.us.auth0.com"
    if host == "api.zusapi.com":  # production: a setting of this namespace, the app's URLs in its env
        auth_host = "auth.zusapi.com"
        status, _, body = server.request(
            "PATCH", f"/ns/{namespace}/_sandbox/settings", {"zus_environment": "production"}
        )
        assert status == 200, body
        env |= {"ZUS_API_URL": f"https://{host}", "ZUS_AUTH_URL": f"https://{auth_host}"}
    client = mint(server, namespace, vendor="zus", kind="app-client") if way == "hostname" else ACME_BACKEND
    env |= {"ZUS_CLIENT_ID": client["clientId"], "ZUS_CLIENT_SECRET": client["clientSecret"]}
    # one base URL for both: the app derives its token audience from it, as real code does
    env |= {"ZUS_API_URL": base, "ZUS_AUTH_URL": base} if base else {}
    seen = run_app("zus_app.py", env, tmp_path)

    assert seen["token"]["token_type"] == "Bearer" and seen["token"]["expires_in"] == 3600
    assert set(seen["token"]["scope"].split()) >= {"fhir:read", "fhir:write"}
    origin = base or f"https://{host}"
    status, users = seen["users"]
    assert status == 200 and len(users["data"]) == 1 and users["data"][0]["type"] == "auth/users"
    assert users["links"]["self"].startswith(f"{origin}/auth/users?"), "JSON:API links keep the client's URL"
    created = seen["created"]
    assert UUID4.match(created["id"]) and created["meta"]["versionId"] == "1"
    assert (created["name"], created["identifier"]) == (
        [{"family": "Unchanged", "given": ["Ada"]}],
        [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
    )
    # Zus stamps the writer's builder as the owner (Acme Health for both the fixture and minted clients)
    assert {
        "system": "https://zusapi.com/accesscontrol/owner",
        "code": "builder/5b0d6c1e-8a2f-4c7e-9f31-2e4a6b8c0d11",
    } in created["meta"]["tag"]
    assert seen["read"] == created
    assert seen["found"] == [created], "only this namespace's Practitioner by that name"
    practitioner = f"/zus/fhir/Practitioner/{created['id']}"
    assert journal(server, namespace) == [
        ("POST", "/zus/oauth/token", 200),
        ("GET", "/zus/auth/users", 200),
        ("POST", "/zus/fhir/Practitioner", 201),
        ("GET", practitioner, 200),
        ("GET", "/zus/fhir/Practitioner", 200),
    ]
    assert hosts(server, namespace) == expected_hosts(server, way, auth_host, host)
    # the Location we built is the URL the client used, /ns/ prefix included
    location = next(r for r in journaled(server, namespace) if r["status"] == 201)["responseHeaders"][
        "Location"
    ]
    assert location == f"{origin}/fhir/Practitioner/{created['id']}/_history/1"


@cells("api.live.welkincloud.io", ("hostname", "api.welkinhealth.com"))
def test_welkin_with_its_published_client(server, ca_file, way, host, namespace, tmp_path):
    base, env = way_env(server, ca_file, way, "welkin", namespace)
    client = (
        mint(server, namespace, vendor="welkin", tenant="gh", instances=["stage"])
        if way == "hostname"
        else LEGACY_CLIENT
    )
    env |= {
        "WELKIN_TENANT": "gh",
        "WELKIN_INSTANCE": "stage",
        "WELKIN_API_CLIENT": client["apiClient"],
        "WELKIN_SECRET": client["secret"],
    }
    env |= {"WELKIN_HOST": f"{base}/gh/"} if base else {}
    env |= {"WELKIN_HOST": f"https://{host}/gh/"} if host != "api.live.welkincloud.io" else {}
    seen = run_app("welkin_app.py", env, tmp_path)

    assert seen["host"] == (f"{base}/gh/" if base else f"https://{host}/gh/")
    user = seen["created"]
    assert UUID4.match(user["id"]) and ISO_MS.match(user["createdAt"])
    assert (user["username"], user["email"], user["userState"], user["enabled"]) == (
        "unchanged",
        "unchanged@foo.com",
        "PROVISIONED",
        False,
    )
    assert user["applicationAccess"]["instanceAccesses"] == []
    assert seen["read"] == user
    assert seen["all"] == ["johndoe", "unchanged"], "the tenant's fixture user and this namespace's only"
    admin = "/welkin/gh/admin"
    assert journal(server, namespace) == [
        ("POST", f"{admin}/api_clients/{client['apiClient']}", 200),
        ("POST", f"{admin}/users", 201),
        ("GET", f"{admin}/users/{user['id']}", 200),
        ("GET", f"{admin}/users", 200),
    ]
    assert hosts(server, namespace) == expected_hosts(server, way, host)


def test_the_hostname_way_trusts_our_ca_only_through_the_environment(server, ca_file, namespace, tmp_path):
    """Without our CA the same app fails the certificate check: the vendor's name is served by us, with
    verification and the hostname check on, never quietly unverified."""
    _, env = way_env(server, ca_file, "hostname", "hipp", namespace)
    env |= {
        "HIPP_API_KEY": mint(server, namespace, vendor="hipp")["apiKey"],  # a fresh key
        "REQUESTS_CA_BUNDLE": certifi.where(),
        "SSL_CERT_FILE": certifi.where(),
    }
    done = spawn("hipp_app.py", env, tmp_path)
    assert done.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in done.stderr
    assert journal(server, namespace) == []
