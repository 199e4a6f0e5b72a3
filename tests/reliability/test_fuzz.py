"""Property-based fuzzing over the request schemas (hypothesis, derandomized and bounded): bodies
built from each schema's own fields, with values of any JSON type, never answer a 5xx; a refusal is
in the vendor's shape and changes nothing; whatever is accepted can be read back."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import fields, validate

from vendor_sandbox.vendors.hipp import schemas as hipp
from vendor_sandbox.vendors.nabla import schemas as nabla
from vendor_sandbox.vendors.welkin import schemas as welkin
from vendor_sandbox.vendors.zus import schemas as zus

from ..vendors.zus.conftest import ADA, ROLES, user_body
from .conftest import NS, ClientHttp, create_app, door, login, vendor_shaped

EXAMPLES = 60  # per endpoint: ~1,000 requests in all, a few seconds
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NAMESPACE = "fuzz"
NABLA_USER = "98fce1ef-dbca-41ef-8bc7-4d1621ac07c6"
# (method, path, request schema, a list the vendor answers from its stored records)
ENDPOINTS = {
    "hipp create": ("POST", "/hipp/api/v1/users", hipp.UserCreateSchema, "/hipp/api/v1/users?pageSize=100"),
    "nabla create": ("POST", "/nabla/v1/core/server/users", nabla.UserCreateSchema, "/nabla/v1/core/server/users"),
    "nabla update": ("PATCH", f"/nabla/v1/core/server/users/{NABLA_USER}", nabla.UserUpdateSchema,
                     "/nabla/v1/core/server/users"),
    "nabla token": ("POST", "/nabla/v1/core/server/oauth/token", nabla.TokenRequestSchema, None),
    "welkin create": ("POST", "/welkin/acme-health/live/users", welkin.UserCreateSchema,
                      "/welkin/acme-health/live/users?size=1000"),
    "welkin update": ("PATCH", "/welkin/acme-health/live/users/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35", welkin.UserUpdateSchema,
                      "/welkin/acme-health/live/users?size=1000"),
    "welkin policies": ("PUT", "/welkin/acme-health/live/users/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35/policies", welkin.PoliciesSchema,
                        "/welkin/acme-health/live/users?size=1000"),
    "welkin territories": ("PATCH", "/welkin/acme-health/live/users/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35/territories",
                           welkin.TerritoriesUpdateSchema, "/welkin/acme-health/live/users?size=1000"),
    "welkin legacy permissions": ("PUT", "/welkin/acme-health/admin/user-permissions/4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35",
                                  welkin.LegacyPermissionsSchema, "/welkin/acme-health/live/users?size=1000"),
    "zus create": ("POST", "/zus/auth/users", zus.UserCreateDocumentSchema, "/zus/auth/users?page[count]=1000"),
    "zus update": ("PATCH", f"/zus/auth/users/{ADA}", zus.UserPatchDocumentSchema, "/zus/auth/users?page[count]=1000"),
    "zus app client": ("POST", "/zus/auth/app-clients", zus.AppClientCreateDocumentSchema, "/zus/auth/app-clients"),
    "zus practitioner": ("POST", "/zus/fhir/Practitioner", zus.PractitionerSchema, "/zus/fhir/Practitioner?_count=1000"),
}
# values the schemas name, so that some bodies get past validation into the backends
KNOWN = ["auth/users", "auth/roles", "auth/app-clients", "fhir/practitioner", "Practitioner", ADA, *ROLES.values(),
         NABLA_USER, "4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35", "live", "sandbox", "care-coordinator", "read-patients", "east-coast", "New York",
         "SECURITY_ROLE", "SECURITY_POLICY", "PATIENT", "CLINICIAN", "builder", "machine_to_machine",
         "America/Chicago", "+14155550123", "client_credentials"]

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["", "\x00", "a" * 300, "\u202e\ufeff", *KNOWN]), st.emails(),
)
json_values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def for_field(field):
    if isinstance(field, fields.Nested):
        return st.one_of(for_schema(field.schema), json_values)
    if isinstance(field, fields.List):
        return st.one_of(st.lists(for_field(field.inner), max_size=3), json_values)
    choices = [v.choices for v in _validators(field) if isinstance(v, validate.OneOf)]
    if choices:
        return st.one_of(st.sampled_from(list(choices[0])), json_values)
    if isinstance(field, fields.Email):
        return st.one_of(st.emails(), json_values)
    return json_values


def for_schema(schema):
    instance = schema() if isinstance(schema, type) else schema
    optional = {f.data_key or name: for_field(f) for name, f in instance.fields.items() if not f.dump_only}
    return st.fixed_dictionaries({}, optional=optional)


# a valid body per endpoint: one value of it at a time is replaced by anything
VALID = {
    "hipp create": {"firstName": "Fuzz", "lastName": "Er", "email": "fuzz@example.com", "role": "PATIENT",
                    "phoneNumber": "+14155550123", "providerPayors": []},
    "nabla create": {"external_id": "fuzz", "metadata": {"a": "b"}, "email": "fuzz@example.com"},
    "nabla update": {"external_id": "fuzz-2", "metadata": {"k": "v"}},
    "nabla token": {"grant_type": "client_credentials", "client_assertion": "a.b.c",
                    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
    "welkin create": {"firstName": "Fuzz", "lastName": "Er", "email": "fuzz@example.com", "username": "fuzz",
                      "timezone": "America/Chicago", "phone": "+14155550123", "customUserAttributes": {"a": 1}},
    "welkin update": {"firstName": "Fuzz", "timezone": "America/Chicago", "locale": "en"},
    "welkin policies": {"policies": ["read-patients"]},
    "welkin territories": {"territories": [{"name": "east-coast", "territories": ["New York"]}]},
    "welkin legacy permissions": {"permissions": [{"type": "SECURITY_ROLE", "permissionName": "care-coordinator",
                                                   "instanceName": "live", "primaryRole": True}]},
    "zus create": user_body(email="fuzz@example.com"),
    "zus update": {"data": {"type": "auth/users", "id": ADA, "attributes": {"name": "Ada"}}},
    "zus app client": {"data": {"type": "auth/app-clients", "attributes": {
        "type": "machine_to_machine", "name": "fuzz", "userType": "builder"}, "relationships": {
        "auth/roles": {"data": {"type": "auth/roles", "id": ROLES["Care Team User"]}}}}},
    "zus practitioner": {"resourceType": "Practitioner", "active": True, "name": [{"family": "Er", "given": ["Fuzz"]}]},
}


def mutated(valid):
    """`valid` with the value at one of its paths replaced by any JSON value."""
    paths = list(_paths(valid))
    return st.builds(_replaced, st.just(valid), st.sampled_from(paths), json_values)


def _paths(value, prefix=()):
    yield prefix
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, (*prefix, key))


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _validators(field):
    return getattr(field, "validators", ()) or ()


@pytest.fixture(scope="module")
def fuzz():
    app = create_app({"TESTING": True, "FROZEN_CLOCK": "2025-01-15T10:30:00Z", "SEED": 0,
                      "WELKIN_TOKEN_RATE_LIMIT": False})
    http = ClientHttp(app)
    return http, login(http, NAMESPACE), app.extensions["vendor_sandbox.store"].namespace(NAMESPACE)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_schema_shaped_bodies_never_break_the_vendor(fuzz, name):
    http, logins, namespace = fuzz
    method, path, schema, listing = ENDPOINTS[name]
    vendor = path.split("/")[1]
    headers = {} if path.endswith("/token") else logins[door(path)]

    @FUZZ
    @given(body=st.one_of(mutated(VALID[name]), for_schema(schema), json_values))
    def check(body):
        before = _dump(namespace, vendor)
        reply = http.request(method, path, raw=json.dumps(body).encode(), headers={**headers, NS: NAMESPACE,
                                                                    "Content-Type": "application/json"})
        assert reply.status < 500, (body, reply.text)
        if reply.status >= 400:
            assert vendor_shaped(path, reply), (body, reply.text)
            assert _dump(namespace, vendor) == before, body
        elif listing:  # what was stored renders back
            assert http.request("GET", listing, headers={**headers, NS: NAMESPACE}).status == 200

    check()
    assert http.request("GET", "/_sandbox/state", headers={NS: NAMESPACE}).status == 200


def _dump(namespace, vendor):
    state = namespace.state(vendor)
    return {name: state.collection(name).dump() for name in state.names()}
