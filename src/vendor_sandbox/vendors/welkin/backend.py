"""Welkin's rules: tenants (isolated worlds) with instances, API clients, users and their
roles, security policies, regions and territories.

Not emulated: user invitations (users stay PROVISIONED until the fixtures say otherwise), patients.
"""

from datetime import UTC, datetime, timedelta
from itertools import chain

from ...collection import search
from ...ids import iso_millis
from . import clients, records
from .assignments import Assignments
from .errors import (
    NOT_PROVISIONED,
    AccessRestricted,
    InstanceNotFound,
    InvalidField,
    UserAlreadyExists,
    UserNotFound,
    ValidationFailed,
)
from .pagination import (
    SEARCH_FIELDS,
    matches,
    needles,
    only_search,
    page_from,
    page_of,
    sort_users,
    unfiltered,
)
from .tokens import Tokens

USER_PROVISION = "USER_PROVISION"
USER_ATTRIBUTES = "USER_ATTRIBUTES"
USER_SECURITY = "USER_SECURITY"
USER_REGIONS = "USER_REGIONS"
USER_DELETE = "USER_DELETE"
# what Admin Access -> User Attributes may change once a user has left PROVISIONED
ATTRIBUTE_FIELDS = frozenset({"credentials", "timezone", "locale", "customUserAttributes"})
FAKE_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)


class WelkinBackend(Assignments):
    def __init__(self, state, source, seed, settings):
        self._source = source
        self._tenants = state.collection("tenants")
        self._clients = state.collection("api_clients")
        self._users = state.collection("users")
        self.tokens = Tokens(
            self._clients,
            state.collection("token_requests"),
            source,
            # asked per request: a namespace's settings may change while its backend lives
            rate_limit=lambda: bool(settings.get("WELKIN_TOKEN_RATE_LIMIT", True)),
        )
        if not state.seeded:
            self._load(seed)

    def _load(self, seed):
        source = self._source
        for tenant in seed["tenants"]:
            self._tenants.put(
                tenant["name"],
                {
                    **tenant,
                    "instances": {
                        i["name"]: {**i, "id": i.get("id") or source.uuid4()} for i in tenant["instances"]
                    },
                    "regions": {r["name"]: list(r["territories"]) for r in tenant["regions"]},
                },
            )
        for client in seed["api_clients"]:
            self._clients.put(client["apiClient"], dict(client))
        shared = {}
        for fixture in seed["users"]:
            user = records.from_fixture(
                fixture, self._tenants.get(fixture["tenant"])["instances"], self._new_ids(), shared
            )
            key = _key(user["tenant"], user["id"])
            self._claim(key, user["tenant"], user["username"], user["email"])
            self._put(user, key)

    # ---- auth ---------------------------------------------------------------------------

    def issue_token(self, body, tenant=None, api_client=None):
        return self.tokens.issue(api_client or body["apiClient"], body["secret"], tenant)

    def authenticate(self, token):
        return self.tokens.authenticate(token)

    def authorize(self, caller, tenant, instance=None, permissions=()):
        """403 for another tenant or an instance the client may not use; 404 for an unknown instance."""
        if tenant != caller.tenant:
            raise AccessRestricted()
        if instance is not None:
            if instance not in self._tenants.get(tenant)["instances"]:
                raise InstanceNotFound()
            if instance not in caller.instances:
                raise AccessRestricted()
        if permissions and not caller.permissions & set(permissions):
            raise AccessRestricted()

    # ---- users --------------------------------------------------------------------------

    def create_user(self, caller, tenant, body, instance=None):
        catalogue = self._tenants.get(tenant)
        role = body.get("role")
        if role is not None and role not in catalogue["roles"]:
            raise ValidationFailed([InvalidField("role", f"Security role doesn't exist: {role}")])
        user_id = self._source.uuid4()
        key = _key(tenant, user_id)
        self._claim(key, tenant, body["username"], body["email"])
        at = self._now()
        user = records.new_user(
            user_id,
            tenant,
            body,
            at,
            self._new_ids(),
            instance=catalogue["instances"][instance] if instance else None,
            role=role,
        )
        user["territorySet"] = {
            **user["territorySet"],
            "createdBy": caller.client_id,
            "updatedBy": caller.client_id,
        }
        self._put(user, key)
        return user

    def list_users(self, tenant, query, instance=None):
        """An unfiltered page is read straight off the tenant's index (creation order), so it
        costs the same at 100k users as at 1k; anything else filters and sorts every user."""
        page, size = query["page"], query["size"]
        if unfiltered(query):
            data = self._users.page("tenant", tenant, offset=page * size, limit=size)
            return page_from(data, self._users.count("tenant", tenant), page, size)
        exact = (lambda u: matches(u, query, instance)) if not only_search(query) else None
        users = search(self._users, "tenant", tenant, exact, fields=SEARCH_FIELDS, contains=needles(query))
        return page_of(sort_users(users, query.get("sort")), page, size)

    def get_user(self, tenant, user_id):
        user = self._users.get(_key(tenant, user_id))
        if user is None:
            raise UserNotFound()
        return user

    def find_user(self, tenant, id_or_username, by_id=False):
        """The legacy lookup: by UUID with `type=ID`, else by username."""
        if by_id:
            return self.get_user(tenant, id_or_username)
        key = self._users.owner("username", _unique(tenant, id_or_username))
        user = key and self._users.get(key)
        if not user:
            raise UserNotFound()
        return user

    def update_user(self, caller, tenant, user_id, changes, instance=None):
        """Partial merge; a user past PROVISIONED keeps all but its attributes (credentials...)."""
        user = self.get_user(tenant, user_id)
        changed = {k: v for k, v in changes.items() if k != "role" and user.get(k) != v}
        role = changes.get("role")
        primary = next((r for r in user["roles"] if r["instanceName"] == instance and r["primaryRole"]), None)
        role_changes = (
            role is not None and instance is not None and (primary or {}).get("permissionName") != role
        )
        if user["userState"] == "PROVISIONED":
            self._require(caller, USER_PROVISION)
        else:
            self._require(caller, USER_ATTRIBUTES)
            fixed = [k for k in changes if k in changed and k not in ATTRIBUTE_FIELDS]
            if role_changes:
                fixed.append("role")
            if fixed:
                raise ValidationFailed([InvalidField(k, NOT_PROVISIONED) for k in fixed])
        if role_changes and role not in self._tenants.get(tenant)["roles"]:
            raise ValidationFailed([InvalidField("role", f"Security role doesn't exist: {role}")])
        key = _key(tenant, user_id)
        released = self._claim(key, tenant, changed.get("username"), changed.get("email"))
        at = self._now()
        updated = {k: v for k, v in user.items() if not (k in changed and changed[k] is None)}
        updated.update({k: v for k, v in changed.items() if v is not None})
        if role_changes:
            roles = [r for r in user["roles"] if r is not primary]
            updated["roles"] = [*roles, records.role_entry(role, instance, True, at)]
        updated["updatedAt"] = at
        updated["updatedByName"] = caller.client_name
        self._put(updated)
        for unique, value in released(user):
            self._users.release(unique, value)
        return updated

    def replace_user(self, caller, tenant, user_id, body):
        """The legacy full update (PUT): what the body leaves out is unset or back to its default,
        under the same rules as a PATCH."""
        changes = {**dict.fromkeys(records.PROFILE_FIELDS), **records.SETTINGS_DEFAULTS, **body}
        return self.update_user(caller, tenant, user_id, changes)

    def delete_user(self, tenant, user_id):
        """Gone for good: reads are 404 and its username and e-mail are free again."""
        user = self.get_user(tenant, user_id)
        self._users.delete(_key(tenant, user_id))
        for unique in ("username", "email"):
            self._users.release(unique, _unique(tenant, user[unique]))

    # ---- sandbox -----------------------------------------------------------------------

    def new_credential(self, fields, reserve):
        return clients.new_api_client(self._tenants, self._clients, self._source, fields, reserve)

    def credentials(self):
        """Every API client, as /_sandbox/credentials lists them."""
        return [
            {
                "name": c["name"],
                "tenant": c["tenant"],
                "instances": list(c["instances"]),
                "apiClient": c["apiClient"],
                "secret": c["secret"],
            }
            for c in self._clients.list()
        ]

    @staticmethod
    def add_fake_users(seed, fake, count):
        """Append `count` Faker users to the first tenant, each with a role in its first instance.

        They are drawn as `_load` reads them, one at a time: a list of 100k fixtures, all alive
        while their records were built, raised the template's peak (and so its RSS) by a fifth.
        """
        seed["users"] = chain(seed["users"], _fake_users(seed["tenants"][0], fake, count))

    # ---- helpers -----------------------------------------------------------------------

    def _put(self, user, key=None):
        """Store `user`; `key`, when given, is the string its claims hold: one object, not two."""
        key = key or _key(user["tenant"], user["id"])
        self._users.put(key, user, index={"tenant": user["tenant"]})

    def _claim(self, key, tenant, username=None, email=None):
        """Claim a username and e-mail for `key`, all or nothing; returns what to release later."""
        claimed = []
        for unique, value in (("username", username), ("email", email)):
            if value is None:
                continue
            owned = self._users.owner(unique, _unique(tenant, value)) == key
            if not self._users.claim(unique, _unique(tenant, value), key):
                for pair in claimed:
                    self._users.release(*pair)
                raise UserAlreadyExists({unique: value})
            if not owned:
                claimed.append((unique, _unique(tenant, value)))

        def released(old):
            return [
                (unique, _unique(tenant, old[unique]))
                for unique, value in (("username", username), ("email", email))
                if value is not None and _unique(tenant, value) != _unique(tenant, old[unique])
            ]

        return released

    def _new_ids(self):
        return {name: self._source.uuid4() for name in ("applicationAccess", "permissionSet", "territorySet")}

    def _now(self):
        return iso_millis(self._source.now())

    @staticmethod
    def _require(caller, permission):
        if permission not in caller.permissions:
            raise AccessRestricted()


def _fake_users(tenant, fake, count):
    instance = tenant["instances"][0]["name"]
    for i in range(count):
        first, last = fake.pick("first_name"), fake.pick("last_name")
        yield {
            "id": fake.uuid4(),
            "tenant": tenant["name"],
            "username": f"{first}.{last}.{i}".lower(),
            "email": f"{first}.{last}.{i}@example.org".lower(),
            "firstName": first,
            "lastName": last,
            "phone": f"+1{fake.digits(10)}",
            "timezone": fake.choice(
                ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
            ),
            "userState": fake.choice(("ACTIVE", "ACTIVE", "ACTIVE", "INACTIVE", "PROVISIONED")),
            "seats": ["GENERAL"],
            "createdAt": iso_millis(FAKE_EPOCH + timedelta(minutes=i)),
            "instanceAccesses": [instance],
            "roles": [
                {
                    "permissionName": fake.choice(tenant["roles"]),
                    "instanceName": instance,
                    "primaryRole": True,
                }
            ],
        }


def _key(tenant, user_id):
    return f"{tenant}/{user_id}"


def _unique(tenant, value):
    return f"{tenant}|{value.casefold()}"
