"""Zus's rules: Builders, managed roles, tokens, app clients.

Users are in `directory.py`, FHIR Practitioners in `practitioners.py`. Not emulated: the
token-exchange and authorization-code grants, `POST /auth/users/proxy-token`, the `Zus-Account`
cross-builder header, deleting users, FHIR resources other than Practitioner and FHIR PATCH.
"""

import hmac
import string
from dataclasses import dataclass, replace

from ...bindings import CredentialTaken, InvalidCredential, check_fields, one_of, pair, text
from .directory import Directory, expect_new, normalized_user
from .errors import (
    AudienceUnknown,
    ClientDenied,
    Forbidden,
    GrantNotAllowed,
    InvalidGrant,
    MissingParameter,
    NotFound,
    RelatedNotFound,
    TokenInvalid,
    TooManyTokens,
    UnsupportedGrant,
)
from .jsonapi import app_client_resource, page, role_resource
from .practitioners import Practitioners
from .tokens import AUDIENCES, EXPIRES_IN, TokenCodec

DOCS_CLIENT_ID = "PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw"  # the Zus docs' own app client
ALNUM = string.ascii_letters + string.digits
SECRET_ALPHABET = ALNUM + "-_"
# Auth0's grant types at /oauth/token. An M2M application has client_credentials only; Zus's other
# application types log users in (authorization code, then refresh tokens), never with a secret alone.
AUTH0_GRANTS = ("client_credentials", "authorization_code", "refresh_token", "password",
                "http://auth0.com/oauth/grant-type/password-realm", "urn:ietf:params:oauth:grant-type:device_code",
                "urn:ietf:params:oauth:grant-type:token-exchange", "urn:openid:params:grant-type:ciba",
                "http://auth0.com/oauth/grant-type/passwordless/otp", "http://auth0.com/oauth/grant-type/mfa-otp",
                "http://auth0.com/oauth/grant-type/mfa-oob", "http://auth0.com/oauth/grant-type/mfa-recovery-code")
CLIENT_GRANTS = {"machine_to_machine": ("client_credentials",)}
LOGIN_GRANTS = ("authorization_code", "refresh_token")
# what Auth0 says of a code or refresh token it never issued: the sandbox issues neither
UNKNOWN_GRANT_TEXT = {"authorization_code": "Invalid authorization code",
                      "refresh_token": "Unknown or invalid refresh token."}


@dataclass(frozen=True)
class Caller:
    """Who a token acts as: a user or an app client of one Builder, with its current role."""

    kind: str
    id: str
    builder_id: str
    role: dict


class ZusBackend(Practitioners, Directory):
    def __init__(self, state, source, seed, settings):
        # read per request: a namespace's settings may change while its backend lives
        self._settings = settings
        if self.environment not in AUDIENCES:
            raise ValueError(f"ZUS_ENVIRONMENT must be sandbox or production, not {self.environment!r}")
        self._source = source
        self._outbox = state.outbox
        self._codecs = {name: TokenCodec(settings.get("SEED", 0), audience)
                        for name, audience in AUDIENCES.items()}
        self._builders = state.collection("builders")
        self._roles = state.collection("roles")
        self._users = state.collection("users")
        self._clients = state.collection("app_clients")
        self._practitioners = state.collection("practitioners")
        self._versions = state.collection("practitioner_versions")
        self._grants = state.collection("token_grants")
        self._minted_users = state.collection("credential_users")  # listed in credentials() beside the fixtures'
        self._login_ids = tuple(u["id"] for u in seed["users"] if not u.get("fake"))
        if not state.seeded:
            self._load(seed)

    def _load(self, seed):
        for builder in seed["builders"]:
            self._builders.put(builder["id"], dict(builder))
        for role in seed["roles"]:
            self._roles.put(role["id"], dict(role), index={"builder": role["builderId"]})
        self._load_practitioners(seed)
        for user in seed["users"]:
            self._insert_user(normalized_user(user))
        for client in seed["app_clients"]:
            self._clients.claim("clientId", client["clientId"], client["id"])
            self._clients.put(client["id"], dict(client), index={"builder": client["builderId"]})

    @property
    def environment(self):
        return str(self._settings.get("ZUS_ENVIRONMENT", "sandbox")).lower()

    @property
    def _codec(self):
        return self._codecs[self.environment]

    # tokens and permissions

    def issue_token(self, params, api_urls=()):
        """Auth0's client-credentials grant; `params` merges the body and HTTP Basic credentials;
        `api_urls` are the base URLs the caller reaches our Zus API by (a urls.UrlSet)."""
        grant = params.get("grant_type")
        if not grant:
            raise MissingParameter(name="grant_type")
        if grant not in AUTH0_GRANTS:
            raise UnsupportedGrant(grant=grant)
        if not params.get("client_id"):
            raise MissingParameter(name="client_id")
        client = self._clients.get(self._clients.owner("clientId", params["client_id"]) or "")
        if not client or not hmac.compare_digest(client["clientSecret"], params.get("client_secret") or ""):
            raise ClientDenied()
        if grant not in CLIENT_GRANTS.get(client["type"], LOGIN_GRANTS):
            raise GrantNotAllowed(grant=grant)
        if grant != "client_credentials":
            raise InvalidGrant(UNKNOWN_GRANT_TEXT[grant])
        audience = params.get("audience", self._codec.audience)
        # Zus's own API URL, or any URL the caller reaches our Zus API by (one derived from its base URL)
        if audience != self._codec.audience and audience not in api_urls:
            raise AudienceUnknown(audience=audience)
        now = self._source.now()
        recent = [t for t in self._grants.get(client["id"]) or () if t > now.timestamp() - 3600]
        limit = int(self._settings.get("ZUS_TOKENS_PER_HOUR", 200))
        if len(recent) >= limit:
            raise TooManyTokens(limit=limit)
        self._grants.put(client["id"], recent + [now.timestamp()])
        issued, granted = {"access_token": self._client_token(client)}, self._granted(client)
        if granted:
            issued["scope"] = " ".join(granted)
        return {**issued, "expires_in": EXPIRES_IN, "token_type": "Bearer"}

    def authenticate(self, token):
        claims = self._codec.verify(token, self._source.now())
        builder_id = claims.get("builder_id")
        if "app_client_id" in claims:
            kind, principal = "app-client", self._clients.get(str(claims["app_client_id"]))
        else:
            kind, principal = "user", self._users.get(str(claims.get("user_id")))
        if not principal or principal["builderId"] != builder_id:
            raise TokenInvalid()
        return Caller(kind, principal["id"], builder_id, self._roles.get(principal["roleId"]))

    @staticmethod
    def authorize(caller, permission):
        granted = caller.role["permissions"]
        family = permission.split("/")[0] + ":" + permission.rsplit(":", 1)[1]
        if permission not in granted and not (permission.startswith("fhir/") and family in granted):
            raise Forbidden(role=caller.role["name"], permission=permission)

    # roles

    def list_roles(self, caller, query):
        roles = [r for r in self._roles.list("builder", caller.builder_id)
                 if "name" not in query or r["name"].casefold() == query["name"].casefold()]
        return page([role_resource(r) for r in roles], query)

    def get_role(self, caller, role_id):
        role = self._roles.get(role_id)
        if not role or role["builderId"] != caller.builder_id:
            raise NotFound(type="auth/roles", id=role_id)
        return {"data": role_resource(role)}

    def _included(self, records, include):
        """The roles of `records` for an `include` (its paths checked by the query schema); None without.

        JSON:API: each role once, each one linked from the primary data (full linkage).
        """
        if include is None:
            return None
        role_ids = dict.fromkeys(record["roleId"] for record in records)
        return [role_resource(self._roles.get(role_id)) for role_id in role_ids]

    def _with_included(self, document, records, include):
        included = self._included(records, include)
        if included is not None:
            document["included"] = included
        return document

    # app clients

    def create_app_client(self, caller, document, include=None):
        data = document["data"]
        expect_new(data, "auth/app-clients")
        role = self._role_in_builder(caller, data["relationships"]["role"])
        now = self._source.now()
        client = {
            "id": self._new_id(self._clients),
            "builderId": caller.builder_id,
            **{key: data["attributes"][key] for key in ("type", "name", "userType")},
            "roleId": role["id"],
            "clientId": self._new_client_id(),
            "clientSecret": self._source.string(64, SECRET_ALPHABET),
            "createdAt": int(now.timestamp()),
            "updatedAt": int(now.timestamp()),
        }
        self._clients.claim("clientId", client["clientId"], client["id"])
        self._clients.put(client["id"], client, index={"builder": caller.builder_id})
        return self._with_included({"data": app_client_resource(client, secret=True)}, [client], include)

    def list_app_clients(self, caller, query):
        clients = [c for c in self._clients.list("builder", caller.builder_id)
                   if all(c[key] == query[key] for key in ("name", "type") if key in query)]
        listed = page(clients, query)
        return replace(listed, data=[app_client_resource(c) for c in listed.data],
                       included=self._included(listed.data, query.get("include")))

    def get_app_client(self, caller, client_id, include=None):
        client = self._client_in_builder(caller, client_id)
        return self._with_included({"data": app_client_resource(client)}, [client], include)

    def rotate_secret(self, caller, client_id, include=None):
        client = self._client_in_builder(caller, client_id)
        now = int(self._source.now().timestamp())
        client = {**client, "clientSecret": self._source.string(64, SECRET_ALPHABET), "updatedAt": now}
        self._clients.put(client["id"], client, index={"builder": caller.builder_id})
        return self._with_included({"data": app_client_resource(client, secret=True)}, [client], include)

    # the control plane

    def credentials(self):
        """Fixture users (a token valid now) and every app client (id, secret and a token)."""
        listed = []
        minted = [record["id"] for record in self._minted_users.list()]
        for user in filter(None, map(self._users.get, (*self._login_ids, *minted))):
            listed.append(self._credential(user, self._user_token(user), None, None))
        for client in self._clients.list():
            token = self._client_token(client) if client["type"] == "machine_to_machine" else None
            listed.append(self._credential(client, token, client["clientId"], client["clientSecret"]))
        return listed

    def new_credential(self, fields, reserve):
        """POST /_sandbox/credentials: an app client (fresh, or `clientId` and `clientSecret`, ones
        the caller already has) or a user, of `role` (a role name) in `builderId`. Everything is
        checked before `reserve(keys)` binds it and anything is written."""
        check_fields(fields, {"kind", "role", "builderId", "name", "email", "type", "clientId", "clientSecret"})
        kind = one_of(fields, "kind", ("app-client", "user"), default="app-client")
        builder = self._builders.get(text(fields, "builderId", default=self._builders.list()[0]["id"]))
        if builder is None:
            raise InvalidCredential(f"builderId must be one of: {', '.join(b['id'] for b in self._builders.list())}")
        roles = {r["name"].casefold(): r for r in self._roles.list("builder", builder["id"])}
        role = roles.get(text(fields, "role", default="Builder Admin").casefold())
        if role is None:
            raise InvalidCredential(f"role must be the name of one of the builder's roles: "
                                    f"{', '.join(r['name'] for r in roles.values())}")
        name = text(fields, "name", default=f"Minted {kind} ({role['name']})")
        now = int(self._source.now().timestamp())
        if kind == "user":
            if any(fields.get(k) is not None for k in ("type", "clientId", "clientSecret")):
                raise InvalidCredential("type, clientId and clientSecret are for kind app-client")
            user_id = self._new_id(self._users)
            email = text(fields, "email", default=f"{user_id}@minted.example", pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+",
                         hint="an e-mail address")
            if self._users.owner("email", email.casefold()) is not None:
                raise CredentialTaken(f"zus user e-mail {email!r} already exists")
            reserve([f"user:{user_id}"])
            user = normalized_user({"id": user_id, "builderId": builder["id"], "email": email, "name": name,
                                    "userType": "builder", "roleId": role["id"], "createdAt": now, "updatedAt": now})
            self._insert_user(user)
            self._minted_users.put(user_id, {"id": user_id})
            return self._credential(user, self._user_token(user), None, None)
        if fields.get("email") is not None:
            raise InvalidCredential("email is for kind user")
        pair(fields, "clientId", "clientSecret")
        client_type = one_of(fields, "type", ("machine_to_machine", "single_page_application"),
                             default="machine_to_machine")
        client_id = text(fields, "clientId", pattern=r"[A-Za-z0-9._~-]{1,128}",
                         hint="1-128 letters, digits or ._~-") or self._new_client_id()
        secret = text(fields, "clientSecret", pattern=r"[\x21-\x7e]{1,512}", hint="printable ASCII without spaces")
        if self._clients.owner("clientId", client_id) is not None:
            raise CredentialTaken(f"zus app client {client_id!r} already exists")
        reserve([f"client:{client_id}"])
        client = {"id": self._new_id(self._clients), "builderId": builder["id"], "type": client_type, "name": name,
                  "userType": "builder", "roleId": role["id"], "clientId": client_id,
                  "clientSecret": secret or self._source.string(64, SECRET_ALPHABET), "createdAt": now,
                  "updatedAt": now}
        self._clients.claim("clientId", client_id, client["id"])
        self._clients.put(client["id"], client, index={"builder": builder["id"]})
        token = self._client_token(client) if client_type == "machine_to_machine" else None
        return self._credential(client, token, client_id, client["clientSecret"])

    @staticmethod
    def add_fake_users(seed, fake, count):
        """Append `count` Faker Care Team Users to the first builder."""
        builder = seed["builders"][0]["id"]
        role = next(r["id"] for r in seed["roles"]
                    if r["builderId"] == builder and r["name"] == "Care Team User")
        users = list(seed["users"])
        for i in range(count):
            first, last = fake.pick("first_name"), fake.pick("last_name")
            created = 1704880800 + 60 * i
            users.append({"id": fake.uuid4(), "builderId": builder,
                          "email": f"{first}.{last}.{i}@example.org".lower(), "name": f"{first} {last}",
                          "userType": "builder", "roleId": role, "practitionerId": None,
                          "createdAt": created, "updatedAt": created, "fake": True})
        seed["users"] = users

    def _credential(self, principal, token, client_id, secret):
        return {"name": principal["name"], "role": self._roles.get(principal["roleId"])["name"],
                "builderId": principal["builderId"], "token": token,
                "clientId": client_id, "clientSecret": secret}

    def _user_token(self, user):
        claims = {"builder_id": user["builderId"],
                  "builder_name": self._builders.get(user["builderId"])["name"], "user_id": user["id"],
                  "email": user["email"], "user_type": user["userType"], "is_super_org": False}
        if user["practitionerId"]:
            claims["practitioner_id"] = user["practitionerId"]
        return self._codec.mint_login(self._source.now(), f"auth0|{user['id']}", DOCS_CLIENT_ID, claims)

    def _client_token(self, client):
        claims = {"builder_id": client["builderId"],
                  "builder_name": self._builders.get(client["builderId"])["name"],
                  "app_client_id": client["id"], "user_type": client["userType"], "is_super_org": False}
        subject = f"{client['clientId']}@clients"
        return self._codec.mint_m2m(self._source.now(), subject, client["clientId"], claims, self._granted(client))

    def _granted(self, client):
        """What an app client's token grants: its role's permissions, as scopes (Zus publishes none)."""
        return list(self._roles.get(client["roleId"])["permissions"])

    def _role_in_builder(self, caller, role_id):
        role = self._roles.get(role_id)
        if not role or role["builderId"] != caller.builder_id:
            raise RelatedNotFound(type="auth/roles", id=role_id)
        return role

    def _client_in_builder(self, caller, client_id):
        client = self._clients.get(client_id)
        if not client or client["builderId"] != caller.builder_id:
            raise NotFound(type="auth/app-clients", id=client_id)
        return client

    def _new_id(self, collection):
        while True:
            new_id = self._source.uuid4()
            if collection.get(new_id) is None:
                return new_id

    def _new_client_id(self):
        while True:
            client_id = self._source.string(32, ALNUM)
            if self._clients.owner("clientId", client_id) is None:
                return client_id
