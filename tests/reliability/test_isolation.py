"""Isolation matrix: every credential of every vendor, against every other organization, Builder,
tenant, namespace and vendor: denied with that vendor's error, and no data of another scope ever
appears in a body, a list total or an error message."""

import pytest

from ..vendors.nabla.conftest import assertion, token_body
from ..vendors.zus.conftest import ROLES, RIVERSIDE_ADMIN_ROLE, user_body
from .conftest import NABLA_TOKEN_PATH, NS, ClientHttp, create_app, vendor_shaped

FROZEN = "2025-01-15T10:30:00Z"
NAMESPACES = ("iso-a", "iso-b")
NABLA_ORGS = ("Example Health", "Legacy Clinic", "Throttled Practice")
# scope -> (vendor, how it signs in)
SCOPES = {
    "hipp-example": ("hipp", "your-api-key"),
    "hipp-riverside": ("hipp", "hipp_test_riverside_admin"),
    **{f"nabla-{org.split()[0].lower()}": ("nabla", org) for org in NABLA_ORGS},
    "welkin-acme": ("welkin", ("your-api-client-key", "your-api-client-secret", "acme-health", "live")),
    "welkin-gh": ("welkin", ("VBOPNRYRWJIP", "+}B{KGTG6#zG%P;tQm0C", "gh", "sb-demo")),
    "zus-acme": ("zus", ("Ada Admin", ROLES["Care Team User"])),
    "zus-riverside": ("zus", ("Riley Admin", RIVERSIDE_ADMIN_ROLE)),
}


class Scope:
    """One credential in one namespace, and the marker user it created there."""

    def __init__(self, http, name, namespace):
        self.http, self.name, self.namespace = http, name, namespace
        self.vendor, self.login = SCOPES[name]
        self.marker = f"mk{namespace.replace('-', '')}{name.replace('-', '')}"
        self.headers = {NS: namespace, "Authorization": f"Bearer {self._credential()}"}
        self.created = self._create()

    def request(self, method, path, body=None, headers=None):
        return self.http.request(method, path, body=body, headers={**self.headers, **(headers or {})})

    def _credential(self):
        ns = {NS: self.namespace}
        if self.vendor == "hipp":
            return self.login
        if self.vendor == "nabla":
            creds = self.http.request("GET", "/_sandbox/credentials", headers=ns).json["nabla"]
            entry = next(c for c in creds if c["name"].startswith(self.login))
            self.server_key = entry["serverKey"]
            now = int(self.http.request("GET", "/_sandbox/clock").json["epoch"])
            signed = assertion(entry, aud=self.http.base + NABLA_TOKEN_PATH, iat=None, exp=now + 300)
            return self.http.request("POST", NABLA_TOKEN_PATH, body=token_body(signed), headers=ns).json["access_token"]
        if self.vendor == "welkin":
            client, secret, self.tenant, self.instance = self.login
            return self.http.request("POST", "/welkin/auth/token", body={"apiClient": client, "secret": secret},
                                     headers=ns).json["token"]
        creds = self.http.request("GET", "/_sandbox/credentials", headers=ns).json["zus"]
        return next(c for c in creds if c["name"] == self.login[0])["token"]

    def _create(self):
        m = self.marker
        if self.vendor == "hipp":
            reply = self.request("POST", "/hipp/api/v1/users", {"firstName": m, "lastName": m, "role": "PATIENT",
                                                                  "email": f"{m}@example.com"})
            return reply.json["user"]["publicId"]
        if self.vendor == "nabla":
            return self.request("POST", "/nabla/v1/core/server/users",
                                {"external_id": m, "metadata": {"note": m}}).json["id"]
        if self.vendor == "welkin":
            reply = self.request("POST", f"/welkin/{self.tenant}/{self.instance}/users",
                                 {"firstName": m, "lastName": m, "username": m, "email": f"{m}@example.com"})
            return reply.json["id"]
        body = user_body(email=f"{m}@example.com", name=m, role=self.login[1])
        return self.request("POST", "/zus/auth/users", body).json["data"]["id"]

    def probes(self, other):
        """Requests of this credential that name `other`'s data: (method, path, body, denial statuses)."""
        if self.vendor != other.vendor:
            return [("GET", _read_path(other), None, (401,))]
        if self.vendor == "hipp":
            return [("GET", f"/hipp/api/v1/users/{other.created}", None, (404,)),
                    ("GET", f"/hipp/api/v1/users?search={other.marker}&email={other.marker}@example.com", None, (200,))]
        if self.vendor == "nabla":
            base = "/nabla/v1/core/server"
            return [("GET", f"{base}/users/{other.created}", None, (404,)),
                    ("PATCH", f"{base}/users/{other.created}", {"external_id": self.marker + "x"}, (404,)),
                    ("POST", f"{base}/users/{other.created}/deactivate", {}, (404,)),
                    ("POST", f"{base}/jwt/authenticate/{other.created}", None, (404,)),
                    # an unknown external id is the recorded 400 (code 20000)
                    ("GET", f"{base}/users/find_by_external_id/{other.marker}", None, (400,)),
                    ("GET", f"{base}/users?limit=100", None, (200,)),
                    ("GET", f"/nabla/v1/copilot-api/server/users/{other.created}", None, (404,),
                     {"Authorization": f"Bearer {self.server_key}"})]
        if self.vendor == "welkin":
            own, theirs = f"/welkin/{self.tenant}/{self.instance}", f"/welkin/{other.tenant}/{other.instance}"
            foreign = 403 if self.tenant != other.tenant else 404
            return [("GET", f"{theirs}/users/{other.created}", None, (foreign,)),
                    ("GET", f"{theirs}/users?search={other.marker}", None, (200,) if foreign == 404 else (403,)),
                    ("PATCH", f"{theirs}/users/{other.created}", {"firstName": "x"}, (foreign,)),
                    ("GET", f"{own}/users/{other.created}", None, (404,)),
                    ("GET", f"{own}/users?search={other.marker}&size=100", None, (200,)),
                    ("GET", f"/welkin/{other.tenant}/admin/users/{other.marker}", None, (foreign,))]
        return [("GET", f"/zus/auth/users/{other.created}", None, (404,)),
                ("PATCH", f"/zus/auth/users/{other.created}", {"data": {"type": "auth/users", "id": other.created,
                                                                       "attributes": {"name": "x"}}}, (404,)),
                ("GET", f"/zus/auth/users?filter[email]={other.marker}@example.com", None, (200,)),
                ("GET", "/zus/auth/users?page[count]=1000", None, (200,)),
                ("GET", "/zus/fhir/Practitioner?_count=1000", None, (200,))]


def _read_path(scope):
    """A read of `scope`'s marker under its own vendor's prefix."""
    if scope.vendor == "hipp":
        return f"/hipp/api/v1/users/{scope.created}"
    if scope.vendor == "nabla":
        return f"/nabla/v1/core/server/users/{scope.created}"
    if scope.vendor == "welkin":
        return f"/welkin/{scope.tenant}/{scope.instance}/users/{scope.created}"
    return f"/zus/auth/users/{scope.created}"


@pytest.fixture(scope="module")
def world():
    http = ClientHttp(create_app({"TESTING": True, "FROZEN_CLOCK": FROZEN, "SEED": 0}))
    return {(name, ns): Scope(http, name, ns) for ns in NAMESPACES for name in SCOPES}


# Throttled Practice's quota (3 requests a minute) makes it a target only, never a caller
CALLERS = [name for name in SCOPES if name != "nabla-throttled"]
PAIRS = [(a, b) for a in CALLERS for b in SCOPES if a != b]


@pytest.mark.parametrize(("acting", "target"), PAIRS)
def test_a_credential_never_reaches_another_scope_in_its_namespace(world, acting, target):
    me, other = world[acting, "iso-a"], world[target, "iso-a"]
    check_probes(me, other, me.probes(other), world)


@pytest.mark.parametrize("name", CALLERS)
def test_a_credential_never_reaches_its_own_scope_in_another_namespace(world, name):
    me, other = world[name, "iso-a"], world[name, "iso-b"]
    check_probes(me, other, me.probes(other), world)
    token_only = world[name, "iso-b"].headers["Authorization"]
    reply = me.request("GET", _read_path(me), headers={"Authorization": token_only})
    # a Hipp key and a fixture Zus user's token are valid in every namespace; Nabla's and Welkin's
    # tokens are signed per namespace; whatever the credential, only this namespace's data answers
    assert reply.status in ((200,) if me.vendor in ("hipp", "zus") else (401,)), reply.text
    assert_no_leak(reply, me, world)


def check_probes(me, other, probes, world):
    for method, path, body, statuses, *headers in probes:
        reply = me.request(method, path, body, headers[0] if headers else None)
        assert reply.status in statuses, (method, path, reply.status, reply.text)
        if reply.status >= 400:
            assert vendor_shaped(path, reply), (path, reply.text)
        assert_no_leak(reply, me, world, sent=f"{path} {body}")


def assert_no_leak(reply, me, world, sent=""):
    """No marker or id of any other scope, in any namespace, is in the answer, unless the caller
    named it itself (Welkin's 403 echoes the request URI, as recorded)."""
    text = reply.text
    for scope in world.values():
        for secret in (scope.marker, scope.created):
            if scope is not me and secret not in sent:
                assert secret not in text, (scope.name, scope.namespace, text[:300])


@pytest.mark.parametrize("name", CALLERS)
def test_list_totals_count_only_the_callers_own_scope(world, name):
    me = world[name, "iso-a"]
    if me.vendor == "hipp":
        total = me.request("GET", "/hipp/api/v1/users?search=mkiso").json["pagination"]["totalCount"]
    elif me.vendor == "welkin":
        reply = me.request("GET", f"/welkin/{me.tenant}/{me.instance}/users?search=mkiso")
        total = reply.json["metaInfo"]["totalElements"]
    elif me.vendor == "zus":
        users = me.request("GET", "/zus/auth/users?page[count]=1000").json["data"]
        total = sum(u["attributes"]["name"].startswith("mkiso") for u in users)
    else:
        users = me.request("GET", "/nabla/v1/core/server/users?limit=100").json["data"]
        total = sum((u["external_id"] or "").startswith("mkiso") for u in users)
    assert total == 1
