"""Zus's rules: Builders, managed roles, tokens, app clients.

Users are in `directory.py`, FHIR Practitioners in `practitioners.py`. Not emulated: the
token-exchange and authorization-code grants, `POST /auth/users/proxy-token`, the `Zus-Account`
cross-builder header, deleting users, FHIR resources other than Practitioner and FHIR PATCH.
"""

import hmac
import string
from dataclasses import dataclass

from .directory import Directory, expect_type, normalized_user
from .errors import (
    AudienceUnknown,
    ClientDenied,
    Forbidden,
    GrantNotAllowed,
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

TOKENS_PER_HOUR = 200
DOCS_CLIENT_ID = "PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw"  # the Zus docs' own app client
ALNUM = string.ascii_letters + string.digits
SECRET_ALPHABET = ALNUM + "-_"


@dataclass(frozen=True)
class Caller:
    """Who a token acts as: a user or an app client of one Builder, with its current role."""

    kind: str
    id: str
    builder_id: str
    role: dict


class ZusBackend(Practitioners, Directory):
    def __init__(self, state, source, seed, settings):
        environment = str(settings.get("ZUS_ENVIRONMENT", "sandbox")).lower()
        if environment not in AUDIENCES:
            raise ValueError(f"ZUS_ENVIRONMENT must be sandbox or production, not {environment!r}")
        self.environment = environment
        self._source = source
        self._outbox = state.outbox
        self._codec = TokenCodec(settings.get("SEED", 0), AUDIENCES[environment])
        self._builders = state.collection("builders")
        self._roles = state.collection("roles")
        self._users = state.collection("users")
        self._clients = state.collection("app_clients")
        self._practitioners = state.collection("practitioners")
        self._versions = state.collection("practitioner_versions")
        self._grants = state.collection("token_grants")
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

    # tokens and permissions

    def issue_token(self, params):
        """Auth0's client-credentials grant; `params` merges the body and HTTP Basic credentials."""
        grant = params.get("grant_type")
        if not grant:
            raise MissingParameter(name="grant_type")
        if grant != "client_credentials":
            raise UnsupportedGrant(grant=grant)
        if not params.get("client_id"):
            raise MissingParameter(name="client_id")
        client = self._clients.get(self._clients.owner("clientId", params["client_id"]) or "")
        if not client or not hmac.compare_digest(client["clientSecret"], params.get("client_secret") or ""):
            raise ClientDenied()
        if client["type"] != "machine_to_machine":
            raise GrantNotAllowed(grant=grant)
        if params.get("audience", self._codec.audience) != self._codec.audience:
            raise AudienceUnknown(audience=params["audience"])
        now = self._source.now()
        recent = [t for t in self._grants.get(client["id"]) or () if t > now.timestamp() - 3600]
        if len(recent) >= TOKENS_PER_HOUR:
            raise TooManyTokens(limit=TOKENS_PER_HOUR)
        self._grants.put(client["id"], recent + [now.timestamp()])
        return {"access_token": self._client_token(client), "token_type": "Bearer", "expires_in": EXPIRES_IN}

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

    # app clients

    def create_app_client(self, caller, document):
        data = document["data"]
        expect_type(data["type"], "auth/app-clients")
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
        return {"data": app_client_resource(client, secret=True)}

    def list_app_clients(self, caller, query):
        clients = [c for c in self._clients.list("builder", caller.builder_id)
                   if all(c[key] == query[key] for key in ("name", "type") if key in query)]
        return page([app_client_resource(c) for c in clients], query)

    def get_app_client(self, caller, client_id):
        return {"data": app_client_resource(self._client_in_builder(caller, client_id))}

    def rotate_secret(self, caller, client_id):
        client = self._client_in_builder(caller, client_id)
        now = int(self._source.now().timestamp())
        client = {**client, "clientSecret": self._source.string(64, SECRET_ALPHABET), "updatedAt": now}
        self._clients.put(client["id"], client, index={"builder": caller.builder_id})
        return {"data": app_client_resource(client, secret=True)}

    # the control plane

    def credentials(self):
        """Fixture users (a token valid now) and every app client (id, secret and a token)."""
        listed = []
        for user in filter(None, map(self._users.get, self._login_ids)):
            listed.append(self._credential(user, self._user_token(user), None, None))
        for client in self._clients.list():
            token = self._client_token(client) if client["type"] == "machine_to_machine" else None
            listed.append(self._credential(client, token, client["clientId"], client["clientSecret"]))
        return listed

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
        return self._codec.mint(self._source.now(), f"auth0|{user['id']}", DOCS_CLIENT_ID, claims)

    def _client_token(self, client):
        claims = {"builder_id": client["builderId"],
                  "builder_name": self._builders.get(client["builderId"])["name"],
                  "app_client_id": client["id"], "user_type": client["userType"], "is_super_org": False}
        subject = f"{client['clientId']}@clients"
        return self._codec.mint(self._source.now(), subject, client["clientId"], claims)

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
