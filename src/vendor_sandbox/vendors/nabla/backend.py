"""Nabla's rules: one organization's users behind two doors (archived Copilot API, Core API).

Not emulated: the User API (`/v1/core/user`, its `/jwt/refresh`), JWKS URLs off loopback (fixture
clients hold a static public key; minted ones may name a JWKS on this machine), regions (`us`/`eu`
share one sandbox), and every non-user endpoint (transcription, notes...).
"""

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ... import strictjson
from ...bindings import CredentialTaken, InvalidCredential, check_fields, text
from ...collection import ordered
from ...ids import iso_millis
from ...settings import per_organization
from . import keys, tokens, versions
from .errors import (
    ASSERTION_TYPE,
    GRANT_TYPE,
    INVALID_CURSOR,
    INVALID_REFRESH,
    INVALID_UUID,
    JTI_REUSED,
    UNKNOWN_CLIENT,
    UNKNOWN_VERSION,
    BadRequest,
    EndpointNotFound,
    EntityNotFound,
    EntityNotUnique,
    ExternalIdNotFound,
    Forbidden,
    InvalidClient,
    InvalidGrant,
    RateLimited,
    Unauthorized,
)
from .schemas import SPECIALTIES
from .versions import ARCHIVED, user_fields, writable_fields

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# a client signing for the real service keeps working: its aud may be Nabla's own token URL
NABLA_TOKEN_URLS = tuple(f"https://{region}.api.nabla.com/v1/core/server/oauth/token"
                         for region in ("us", "eu"))
DEFAULT_LIMIT = 10  # not published; the limit parameter's example in Nabla's documents
DEFAULT_ROLES = ("PRACTITIONER",)
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
FAKE_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
USER_FIELDS = ("id", "organization", "activated", "external_id", "metadata", "created_at", "email", "roles",
               "specialty")


@dataclass(frozen=True)
class Caller:
    """Who a Server API request acts for: an organization, at one API version, through one door."""

    organization: str
    version: str
    door: str


class NablaBackend:
    def __init__(self, state, source, seed, settings):
        self._source = source
        self._settings = settings  # read per request: a namespace's settings may change
        self._orgs = state.collection("organizations")
        self._clients = state.collection("oauth_clients")
        self._users = state.collection("users")
        self._keys = state.collection("signing_keys")
        self._assertions = state.collection("assertions")
        self._requests = state.collection("rate_limit_requests")
        # per namespace, so an access token works only in the namespace that issued it
        self._keys.put("server", {"secret": source.token(32)})
        if state.seeded:
            return
        for org in seed["organizations"]:
            self._orgs.put(org["id"], dict(org))
        for client in seed["oauth_clients"]:
            self._clients.put(client["clientId"].lower(), dict(client),
                              index={"serverKey": client["serverKey"]})
        for user in seed["users"]:
            self._insert(_normalized(user))

    # -- authentication -----------------------------------------------------------------

    def copilot_caller(self, server_key):
        """The archived Copilot API: a long-lived Server Key as Bearer, version 2024-04-22."""
        (client, *_) = self._clients.list("serverKey", server_key) or (None,)
        if client is None:
            raise Unauthorized()
        return Caller(client["organization"], ARCHIVED, "copilot")

    def core_caller(self, access_token, header_version=None, query_version=None):
        """The Core API: an OAuth access token; the header, else the query, else the org's pin."""
        claims = tokens.verify(self._secret(), access_token, "server_access", self._source.now())
        client = self._clients.get(str(claims.get("sub")).lower())
        if client is None:
            raise Unauthorized()
        org = self._orgs.get(client["organization"])
        requested = header_version or query_version or per_organization(
            self._settings, "NABLA_PINNED_VERSION", org["id"], org["pinned_version"])
        try:
            version = versions.resolve(requested)
        except versions.Malformed:
            raise BadRequest(UNKNOWN_VERSION.format(requested)) from None
        except versions.BeforeFirst:
            raise EndpointNotFound() from None  # as for a version past its sunset date
        return Caller(org["id"], version, "core")

    def throttle(self, caller):
        """Count the request against its organization's per-minute quota, if it has one."""
        limit = per_organization(self._settings, "NABLA_RATE_LIMIT_PER_MINUTE", caller.organization,
                                 self._orgs.get(caller.organization).get("rate_limit_per_minute"))
        if not limit:
            return
        now = int(self._source.now().timestamp())
        window = f"{caller.organization}|{now // 60}"
        self._requests.put(self._source.uuid4(), {"window": window}, index={"window": window})
        if self._requests.count("window", window) > limit:
            raise RateLimited(headers={"Retry-After": str(60 - now % 60)})

    def issue_token(self, body, token_urls):
        """POST /oauth/token: a JWT client assertion (RS256, iss = sub = client id) for an access token.

        `token_urls` (a urls.UrlSet): every URL the caller reaches this endpoint by, each a right aud."""
        if body["grant_type"] != "client_credentials":
            raise BadRequest(GRANT_TYPE)
        if body["client_assertion_type"] != JWT_BEARER:
            raise BadRequest(ASSERTION_TYPE)
        assertion = body["client_assertion"]
        client = self._clients.get(tokens.client_of(assertion).lower())
        if client is None:
            raise InvalidClient(UNKNOWN_CLIENT)
        now = self._source.now()
        key = client.get("publicKey") or keys.jwks_key(client["jwksUrl"], assertion)
        # the namespace's clock or the wall clock: code that signs with the wall clock keeps working
        # in a namespace whose clock a test moved (docs/fidelity.md)
        claims = tokens.verify_assertion(assertion, key, token_urls | NABLA_TOKEN_URLS,
                                         (now, self._source.wall_now()))
        jti = claims.get("jti")
        # a fresh owner per use: a second claim of the same jti by the same client fails
        once = self._source.uuid4()
        if jti is not None and not self._assertions.claim("jti", f"{client['clientId']}|{jti}", once):
            raise InvalidGrant(JTI_REUSED)
        token = tokens.mint(self._secret(), "server_access", client["clientId"], now, tokens.SERVER_TOKEN_TTL,
                            self._source.uuid4(), org=client["organization"])
        return {"access_token": token, "expires_in": tokens.SERVER_TOKEN_TTL}

    # -- users -----------------------------------------------------------------------------

    def create_user(self, caller, body):
        """Create a user; the body is schema-valid, and only the caller's version's fields count."""
        values = {k: body[k] for k in writable_fields(caller.version, creating=True) if k in body}
        user_id = self._new_id()
        external_id = values.get("external_id")
        if external_id is not None and not self._users.claim(
                "external_id", _external_key(caller.organization, external_id), user_id):
            raise EntityNotUnique()
        user = _normalized({**values, "id": user_id, "organization": caller.organization,
                            "created_at": iso_millis(self._source.now())})
        self._insert(user, claim=False)
        return _present(user, caller.version)

    def list_users(self, caller, query):
        """One page, ordered by creation time; `next_cursor` resumes after its last user."""
        activated = query.get("activated")
        limit = query.get("limit") or DEFAULT_LIMIT
        # one more than the page: whether there is more after it
        users = ordered(self._users, "organization", caller.organization, _sort_key,
                        lambda u: activated is None or u["activated"] == activated,
                        after=_decode_cursor(query["cursor"]) if query.get("cursor") else None,
                        reverse=query["order"] == "DESC", limit=limit + 1)
        page, has_more = users[:limit], len(users) > limit
        return {"data": [_present(u, caller.version) for u in page], "has_more": has_more,
                "next_cursor": _encode_cursor(_sort_key(page[-1])) if has_more else None}

    def get_user(self, caller, user_id):
        return _present(self._user(caller, user_id), caller.version)

    def find_user(self, caller, external_id):
        user_id = self._users.owner("external_id", _external_key(caller.organization, external_id))
        if user_id is None:
            raise ExternalIdNotFound()
        return _present(self._users.get(user_id), caller.version)

    def update_user(self, caller, user_id, body):
        """Partial update: absent fields are kept; `metadata` is replaced as a whole."""
        user = self._user(caller, user_id)
        values = {k: body[k] for k in writable_fields(caller.version, creating=False) if k in body}
        old, new = user["external_id"], values.get("external_id", user["external_id"])
        if new != old and new is not None and not self._users.claim(
                "external_id", _external_key(caller.organization, new), user["id"]):
            raise EntityNotUnique()
        updated = {**user, **values}
        self._insert(updated, claim=False)
        if new != old and old is not None:
            self._users.release("external_id", _external_key(caller.organization, old))
        return _present(updated, caller.version)

    def set_activated(self, caller, user_id, activated):
        user = {**self._user(caller, user_id), "activated": activated}
        self._insert(user, claim=False)
        return _present(user, caller.version)

    def authenticate_user(self, caller, user_id):
        """A user's session tokens; a deactivated user is refused (403)."""
        return self._session(self._user(caller, user_id))

    def refresh_user_tokens(self, refresh_token):
        """The User API's jwt/refresh: a new pair for a valid refresh token of an active user (the
        old refresh token stays valid until it expires: logout, which revokes it, is not emulated)."""
        try:
            claims = tokens.verify(self._secret(), refresh_token, "user_refresh", self._source.now())
        except Unauthorized:
            raise Unauthorized(INVALID_REFRESH) from None
        user = self._users.get(str(claims.get("sub")))
        if user is None or user["organization"] != claims.get("org"):
            raise Unauthorized(INVALID_REFRESH)
        return self._session(user)

    def _session(self, user):
        """A user's session tokens; a deactivated user is refused (403)."""
        if not user["activated"]:
            raise Forbidden()
        now, secret, org = self._source.now(), self._secret(), user["organization"]
        return {
            "access_token": tokens.mint(secret, "user_access", user["id"], now, tokens.USER_ACCESS_TTL,
                                        self._source.uuid4(), org=org),
            "refresh_token": tokens.mint(secret, "user_refresh", user["id"], now, tokens.USER_REFRESH_TTL,
                                         self._source.uuid4(), org=org),
        }

    # -- sandbox ------------------------------------------------------------------------------

    def credentials(self):
        """Every OAuth client with its organization's Server Key, as /_sandbox/credentials lists them."""
        return [{"name": c["name"], "serverKey": c["serverKey"], "clientId": c["clientId"],
                 "privateKey": c["privateKey"]} for c in self._clients.list()]

    def new_credential(self, fields, reserve):
        """POST /_sandbox/credentials: an OAuth client of `organization` with a Server Key; its key
        a fresh pair (the private half returned), the caller's `publicKey`, or a loopback `jwksUrl`;
        `clientId` and `serverKey` may be ones the caller already has. Everything is checked
        before `reserve(keys)` binds it and anything is written."""
        check_fields(fields, {"organization", "name", "clientId", "publicKey", "jwksUrl", "serverKey"})
        org = self._orgs.get(text(fields, "organization", default=self._orgs.list()[0]["id"]))
        if org is None:
            raise InvalidCredential(f"organization must be one of: {', '.join(o['id'] for o in self._orgs.list())}")
        if fields.get("publicKey") is not None and fields.get("jwksUrl") is not None:
            raise InvalidCredential("give publicKey or jwksUrl, not both (neither: a fresh key pair)")
        public_key, jwks_url = text(fields, "publicKey"), text(fields, "jwksUrl")
        public_key = public_key and keys.checked_public_key(public_key)
        jwks_url = jwks_url and keys.checked_jwks_url(jwks_url)
        client_id = (text(fields, "clientId", pattern=UUID_RE.pattern.strip("^$"), hint="a UUID")
                     or self._source.uuid4()).lower()
        server_key = text(fields, "serverKey", pattern=r"[\x21-\x7e]{1,512}",
                          hint="printable ASCII without spaces") or f"sk_test_{self._source.token(16)}"
        name = text(fields, "name", default=f"Minted client ({org['name']})")
        if self._clients.get(client_id) is not None:
            raise CredentialTaken(f"nabla OAuth client {client_id!r} already exists")
        if self._clients.list("serverKey", server_key):
            raise CredentialTaken(f"nabla Server Key {server_key!r} already exists")
        private_key = None
        if not public_key and not jwks_url:
            private_key, public_key = keys.generate_pair()
        reserve([f"client:{client_id}", f"server-key:{server_key}"])
        client = {"name": name, "organization": org["id"], "clientId": client_id, "serverKey": server_key,
                  "publicKey": public_key or None, "privateKey": private_key, "jwksUrl": jwks_url or None}
        self._clients.put(client_id, client, index={"serverKey": server_key})
        return {"name": name, "serverKey": server_key, "clientId": client_id, "privateKey": private_key}

    @staticmethod
    def add_fake_users(seed, fake, count):
        """Append `count` Faker practitioners to the first organization."""
        org = seed["organizations"][0]["id"]
        users = list(seed["users"])
        for i in range(count):
            users.append({
                "id": fake.uuid4(),
                "organization": org,
                "activated": i % 10 != 9,
                "external_id": f"ehr-{fake.digits(6)}-{i}",
                "metadata": {"department": fake.choice(("cardio", "peds", "er", "primary-care")),
                             "site": fake.pick("city")},
                "created_at": iso_millis(FAKE_EPOCH + timedelta(minutes=i)),
                "specialty": fake.choice(SPECIALTIES),
            })
        seed["users"] = users

    def _user(self, caller, user_id):
        if not UUID_RE.match(user_id):
            raise BadRequest(INVALID_UUID.format(user_id))
        user = self._users.get(user_id.lower())
        if user is None or user["organization"] != caller.organization:
            raise EntityNotFound()
        return user

    def _insert(self, user, claim=True):
        if claim and user["external_id"] is not None:
            key = _external_key(user["organization"], user["external_id"])
            self._users.claim("external_id", key, user["id"])
        self._users.put(user["id"], user, index={"organization": user["organization"]})

    def _new_id(self):
        while True:
            user_id = self._source.uuid4()
            if self._users.get(user_id) is None:
                return user_id

    def _secret(self):
        return self._keys.get("server")["secret"]


def _normalized(user):
    record = {name: user.get(name) for name in USER_FIELDS}
    record["id"] = record["id"].lower()
    record["activated"] = user.get("activated", True)
    record["roles"] = list(user.get("roles", DEFAULT_ROLES))
    return record


def _present(user, version):
    # Nabla's specialty_kind enum has no null: an unset specialty is left out, as the schema allows
    return {name: user[name] for name in user_fields(version)
            if name != "specialty" or user[name] is not None}


def _external_key(organization, external_id):
    return f"{organization}|{external_id}"


def _sort_key(user):
    return (user["created_at"], user["id"])


def _encode_cursor(key):
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode_cursor(cursor):
    try:
        created_at, user_id = strictjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(created_at, str) or not isinstance(user_id, str):
            raise ValueError(cursor)
    except (ValueError, TypeError):
        raise BadRequest(INVALID_CURSOR) from None
    return (created_at, user_id)
