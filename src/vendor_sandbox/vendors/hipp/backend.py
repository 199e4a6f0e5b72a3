"""Hipp's rules: API keys acting as users of one organization, who may create whom, users.

Not emulated: update and delete of users (Hipp documents neither), SMS sending, payor
management (payor ids on create are kept when they exist in the organization, else ignored).
"""

import heapq
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ...bindings import CredentialTaken, InvalidCredential, check_fields, one_of, text
from ...collection import search
from ...ids import LOWER_ALNUM, epoch_millis, iso_millis
from .errors import (
    EMAIL_TAKEN,
    INVALID_PUBLIC_ID,
    AccessDenied,
    InvalidApiKey,
    ResourceNotFound,
    ValidationFailed,
)
from .schemas import ALL_ROLES, ASSIGNABLE_ROLES
from .zod import custom, invalid_string, with_path

# Not published by Hipp: the table adopted from our vendor notes (docs/fidelity.md).
_ANY = frozenset(ASSIGNABLE_ROLES)
CREATABLE_BY = {
    "HIPP_ADMIN": _ANY,
    "ADMIN": _ANY,
    "CLINICAL_SUPERADMIN": _ANY,
    "CLINICAL_ADMIN": frozenset({"CLINICIAN", "TECHNICIAN", "PATIENT", "CAREGIVER"}),
    "SCHEDULING_MANAGER": frozenset({"TECHNICIAN", "PATIENT", "CAREGIVER"}),
    "CLINICIAN": frozenset({"PATIENT", "CAREGIVER"}),
}
# Patients and caregivers hold keys too, but may not read the organization's users.
NOT_READERS = frozenset({"PATIENT", "CAREGIVER"})
HIDDEN_ROLE = "HIPP_ADMIN"
FAKE_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
PUBLIC_ID_RE = re.compile(r"^usr_[A-Za-z0-9_]+\Z")

USER_FIELDS = (
    "publicId", "firstName", "lastName", "email", "role", "phoneNumber", "npiNumber",
    "shouldSendSMS", "recertificationDate", "providerPayors", "sex", "caregiverId", "birthDate",
    "addressLine1", "addressLine2", "city", "state", "postalCode", "createdAt", "updatedAt",
)
# what `search` looks in, and `email` matches exactly: a text index over them narrows both
SEARCH_FIELDS = ("firstName", "lastName", "email")


@dataclass(frozen=True)
class Caller:
    """Who an API key acts as: a user with a role in one organization."""

    api_key: str
    user_id: str
    role: str
    organization: str


class HippBackend:
    def __init__(self, state, source, seed, settings):
        self._source = source
        self._orgs = state.collection("organizations")
        self._keys = state.collection("api_keys")
        self._users = state.collection("users")
        self._meta = state.collection("meta")
        if state.seeded:
            return
        for org in seed["organizations"]:
            self._orgs.put(org["publicId"], dict(org))
        for user in sorted(seed["users"], key=lambda u: u["createdAt"]):
            self._insert(_normalized(user))
        for key in seed["api_keys"]:
            self._keys.put(key["apiKey"], dict(key))

    def authenticate(self, api_key):
        key = self._keys.get(api_key)
        user = key and self._users.get(key["userId"])
        if not user:
            raise InvalidApiKey()
        return Caller(api_key, user["publicId"], user["role"], user["organization"])

    def create_user(self, caller, new_user):
        """Create a user in the caller's organization; the body is already zod-valid."""
        if new_user["role"] not in CREATABLE_BY.get(caller.role, ()):
            raise AccessDenied()
        org = self._orgs.get(caller.organization)
        now = self._source.now()
        public_id = self._new_public_id(now)
        email = new_user.get("email")
        if email is not None and not self._users.claim("email", _email_key(org, email), public_id):
            raise ValidationFailed([custom(EMAIL_TAKEN, ["email"])])
        known_payors = {p["id"] for p in org.get("payors", ())}
        created = iso_millis(now)
        user = _normalized({
            **new_user,
            "publicId": public_id,
            "organization": org["publicId"],
            "providerPayors": [p for p in new_user.get("providerPayors", ()) if p in known_payors],
            "createdAt": created,
            "updatedAt": created,
        })
        self._insert(user, claim=False)
        return {"message": "User created successfully", "user": self._with_org(user)}

    def list_users(self, caller, query):
        """Users in creation order (ties: the later created first when descending).

        An unfiltered page by createdAt is read straight off the `listed` index, which holds
        the organization's visible users in creation order, so it costs the same at 100k
        users as at 1k; anything else filters and sorts the organization's users.
        """
        self._require_reader(caller)
        org, page, size = caller.organization, query["page"], query["pageSize"]
        keys = _sort_keys(query.get("sort"))
        offset = (page - 1) * size
        if not any(query.get(f) for f in ("search", "role", "email")) and len(keys) == 1 \
                and keys[0][0] == "createdAt" and self._in_creation_order():
            total = self._users.count("listed", org)
            data = self._users.page("listed", org, offset=offset, limit=size, reverse=keys[0][1] == "desc")
        else:
            # the text index answers `search` exactly and narrows `email` (an exact match contains it)
            exact = (lambda u: _matches(u, query)) if query.get("role") or query.get("email") else None
            users = search(self._users, "listed", org, exact, fields=SEARCH_FIELDS,
                           contains=(query.get("search"), query.get("email")))
            if keys[0][1] == "desc":
                users.reverse()  # so that stable sorts put the later created first among ties
            if len(keys) > 1 or keys[0][0] != "createdAt" or not self._in_creation_order():
                # (in creation order, the list is sorted by createdAt already: the sort would keep it)
                for key, direction in reversed(keys):
                    users.sort(key=lambda u: u[key] or "", reverse=direction == "desc")
            total, data = len(users), users[offset:offset + size]
        return {"data": data, "pagination": {"page": page, "pageSize": size, "totalCount": total,
                                             "totalPages": math.ceil(total / size)}}

    def get_user(self, caller, public_id):
        if not PUBLIC_ID_RE.match(public_id):
            raise ValidationFailed([with_path(invalid_string("regex", INVALID_PUBLIC_ID), ["publicId"])])
        self._require_reader(caller)
        user = self._users.get(public_id)
        if not user or user["organization"] != caller.organization or user["role"] == HIDDEN_ROLE:
            raise ResourceNotFound()
        return user

    def credentials(self):
        """Every API key, as /_sandbox/credentials lists them."""
        listed = []
        for key in self._keys.list():
            user = self._users.get(key["userId"])
            org = self._orgs.get(user["organization"])
            listed.append({"name": key["name"], "role": user["role"],
                           "organization": {"name": org["name"], "publicId": org["publicId"]},
                           "apiKey": key["apiKey"]})
        return listed

    def new_credential(self, fields, reserve):
        """POST /_sandbox/credentials: an API key (fresh, or `apiKey`, one the caller already has)
        acting as the first user of `role` in `organization`, or a new user if it has none.
        Everything is checked before `reserve(keys)` binds it and anything is written."""
        check_fields(fields, {"role", "organization", "name", "apiKey"})
        role = one_of(fields, "role", ALL_ROLES, default="ADMIN")
        org = self._orgs.get(text(fields, "organization", default=self._orgs.list()[0]["publicId"]))
        if org is None:
            raise InvalidCredential(f"organization must be the publicId of one of: "
                                    f"{', '.join(o['publicId'] for o in self._orgs.list())}")
        api_key = text(fields, "apiKey", pattern=r"[\x21-\x7e]{1,512}",
                       hint="printable ASCII without spaces") or f"hipp_{self._source.token(24)}"
        name = text(fields, "name", default=f"Minted key ({role})")
        if self._keys.get(api_key) is not None:
            raise CredentialTaken(f"hipp API key {api_key!r} already exists")
        reserve([f"key:{api_key}"])
        user = next((u for u in self._users.list() if u["organization"] == org["publicId"] and u["role"] == role),
                    None)
        if user is None:
            created = iso_millis(self._source.now())
            user = _normalized({"publicId": self._new_public_id(self._source.now()), "organization": org["publicId"],
                                "firstName": "API", "lastName": role.replace("_", " ").title(), "role": role,
                                "createdAt": created})
            self._insert(user)
        self._keys.put(api_key, {"apiKey": api_key, "name": name, "userId": user["publicId"]})
        return {"name": name, "role": role, "organization": {"name": org["name"], "publicId": org["publicId"]},
                "apiKey": api_key}

    def user_summaries(self, limit):
        """Every user of every organization counted, the `limit` newest (by createdAt, then
        by insertion) summed up, for the /_sandbox/ dashboard."""
        # reverse=True sorts keep ties in list order, so the last inserted comes first
        latest = heapq.nlargest(limit, self._users.list(reverse=True), key=lambda u: u["createdAt"] or "")
        return {
            "total": self._users.count(),
            "latest": [{"id": u["publicId"],
                        "name": " ".join(filter(None, (u["firstName"], u["lastName"]))),
                        "email": u["email"]} for u in latest],
        }

    @staticmethod
    def add_fake_users(seed, fake, count):
        """Append `count` Faker users (patients and staff) to the first organization."""
        org = seed["organizations"][0]["publicId"]
        roles = ("PATIENT", "PATIENT", "PATIENT", "CLINICIAN", "TECHNICIAN", "CAREGIVER")
        users = list(seed["users"])
        born = FAKE_EPOCH.date()
        for i in range(count):
            sex = fake.choice(("MALE", "FEMALE"))
            first = fake.pick("first_name_male" if sex == "MALE" else "first_name_female")
            last = fake.pick("last_name")
            created = iso_millis(FAKE_EPOCH + timedelta(minutes=i))
            users.append({
                "publicId": f"usr_{1700000000000 + i:013d}_{fake.string(9, LOWER_ALNUM)}",
                "organization": org,
                "firstName": first,
                "lastName": last,
                "email": f"{first}.{last}.{i}@example.org".lower(),
                "role": roles[i % len(roles)],
                "phoneNumber": f"+1{fake.digits(10)}",
                "sex": sex,
                # 1 to 95 years old on the fake epoch
                "birthDate": (born - timedelta(days=fake.random.randrange(366, 95 * 365))).isoformat(),
                "addressLine1": fake.pick("street_address"),
                "city": fake.pick("city"),
                "state": fake.pick("state_abbr"),
                "postalCode": fake.pick("zipcode"),
                "createdAt": created,
                "updatedAt": created,
            })
        seed["users"] = users

    def _insert(self, user, claim=True):
        if claim and user["email"] is not None:
            org = self._orgs.get(user["organization"])
            self._users.claim("email", _email_key(org, user["email"]), user["publicId"])
        latest = self._meta.get("latestCreatedAt")
        if latest and user["createdAt"] < latest["value"]:
            # a clock set back: the index order is no longer creation order
            self._meta.put("outOfOrder", {"value": True})
        if not latest or user["createdAt"] > latest["value"]:
            self._meta.put("latestCreatedAt", {"value": user["createdAt"]})
        index = {"organization": user["organization"]}
        if user["role"] != HIDDEN_ROLE:
            index["listed"] = user["organization"]
        self._users.put(user["publicId"], user, index=index)

    def _in_creation_order(self):
        return self._meta.get("outOfOrder") is None

    def _new_public_id(self, now):
        # Date.now() followed by Math.random().toString(36).substr(2, 9), as Hipp's ids look
        while True:
            public_id = f"usr_{epoch_millis(now):013d}_{self._source.string(9)}"
            if self._users.get(public_id) is None:
                return public_id

    def _with_org(self, user):
        org = self._orgs.get(user["organization"])
        return {**user, "organization": {"name": org["name"], "publicId": org["publicId"]}}

    @staticmethod
    def _require_reader(caller):
        if caller.role in NOT_READERS:
            raise AccessDenied()


def _normalized(user):
    record = {name: user.get(name) for name in USER_FIELDS}
    record["organization"] = user["organization"]
    record["shouldSendSMS"] = bool(user.get("shouldSendSMS", False))
    record["providerPayors"] = list(user.get("providerPayors") or ())
    record["updatedAt"] = record["updatedAt"] or record["createdAt"]
    return record


def _email_key(org, email):
    return f"{org['publicId']}|{email.casefold()}"


def _matches(user, query):
    if query.get("role") and user["role"] != query["role"]:
        return False
    if query.get("email") and (user["email"] or "").casefold() != query["email"].casefold():
        return False
    search = (query.get("search") or "").casefold()
    if search:
        return any(search in (user[name] or "").casefold() for name in SEARCH_FIELDS)
    return True


def _sort_keys(sort):
    """[(field, direction)] from "createdAt_desc,updatedAt_asc"; newest first by default."""
    if not sort:
        return [("createdAt", "desc")]
    return [tuple(part.split("_")) for part in sort.split(",")]
