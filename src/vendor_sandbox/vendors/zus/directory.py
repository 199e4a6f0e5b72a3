"""Zus Auth Service users: create (with the welcome and password-reset e-mails), list, get, update."""

from dataclasses import replace

from ...collection import search
from . import fhir
from .errors import ClientIdForbidden, EmailTaken, IdConflict, NotFound, ReadOnly, RelatedNotFound
from .jsonapi import Page, page, page_window, user_resource

APP_URLS = {"sandbox": "https://app.sandbox.zushealth.com", "production": "https://app.zushealth.com"}
RESET_HOSTS = {"sandbox": "https://zus-sandbox.us.auth0.com", "production": "https://auth.zusapi.com"}
DOCS_URL = "https://docs.zushealth.com"
FILTERS = ("email", "name", "role", "practitioner")


class Directory:
    """The users half of ZusBackend; it relies on the collections and helpers built there."""

    def create_user(self, caller, document, include=None):
        """Validate everything, then claim the e-mail, store the user and send the mails."""
        data = document["data"]
        expect_new(data, "auth/users")
        attributes, relationships = data["attributes"], data["relationships"]
        self._role_in_builder(caller, relationships["role"])
        practitioner = relationships.get("practitioner")
        if practitioner:
            self._practitioner_in_builder(caller, practitioner)
        now = int(self._source.now().timestamp())
        user = {
            "id": self._new_id(self._users),
            "builderId": caller.builder_id,
            **{key: attributes[key] for key in ("email", "name", "userType")},
            "roleId": relationships["role"],
            "practitionerId": practitioner or None,
            "relationshipStyle": relationships["style"],
            "createdAt": now,
            "updatedAt": now,
        }
        self._claim_email(user["email"], user["id"])
        self._insert_user(user, claim=False)
        self._send_user_mails(user, attributes)
        return self._with_included({"data": user_resource(user)}, [user], include)

    def list_users(self, caller, query):
        builder = caller.builder_id
        if not any(name in query for name in FILTERS):
            # the builder's index holds its users in list order: a page costs the same at 100k as at 1k
            offset, count = page_window(query)
            listed = Page(self._users.page("builder", builder, offset=offset, limit=count), offset, count,
                          self._users.count("builder", builder))
        else:
            listed = page(self._filtered_users(builder, query), query)
        return replace(listed, data=[user_resource(u) for u in listed.data],
                       included=self._included(listed.data, query.get("include")))

    def _filtered_users(self, builder, query):
        """filter[email] through the e-mail claims (one user at most), filter[name] and
        filter[practitioner] through a text index, filter[role] alone by scanning the builder."""
        if "email" in query:
            user = self._users.get(self._users.owner("email", query["email"].casefold()) or "")
            return [user] if user and user["builderId"] == builder and _matches(user, query) else []
        exact = (lambda u: _matches(u, query)) if set(query) & {"role", "practitioner"} else None
        if "name" in query:
            return search(self._users, "builder", builder, exact, fields=("name",), contains=[query["name"]])
        return search(self._users, "builder", builder, exact, fields=("practitionerId",),
                                  contains=[query.get("practitioner")])

    def get_user(self, caller, user_id, include=None):
        user = self._user_in_builder(caller, user_id)
        return self._with_included({"data": user_resource(user)}, [user], include)

    def update_user(self, caller, user_id, document, include=None):
        """JSON:API PATCH: only the members sent change; a null practitioner unlinks."""
        data = document["data"]
        expect_type(data["type"], "auth/users")
        expect_type(data["id"], user_id, member="id")
        user = self._user_in_builder(caller, user_id)
        attributes, relationships = data["attributes"], data["relationships"]
        for member in ("createdAt", "updatedAt"):
            if member in attributes and attributes[member] != user[member]:
                raise ReadOnly(member)
        if "role" in relationships:
            self._role_in_builder(caller, relationships["role"])
        if relationships.get("practitioner"):
            self._practitioner_in_builder(caller, relationships["practitioner"])
        changed = {**user, **{k: attributes[k] for k in ("email", "name", "userType") if k in attributes}}
        if "role" in relationships:
            changed["roleId"] = relationships["role"]
        if "practitioner" in relationships:
            changed["practitionerId"] = relationships["practitioner"]
        if changed != user:
            changed["updatedAt"] = int(self._source.now().timestamp())
        if changed["email"].casefold() != user["email"].casefold():
            self._claim_email(changed["email"], user_id)
            self._users.release("email", user["email"].casefold())
        self._insert_user(changed, claim=False)
        return self._with_included({"data": user_resource(changed)}, [changed], include)

    def _insert_user(self, user, claim=True):
        if claim:
            self._users.claim("email", user["email"].casefold(), user["id"])
        self._users.put(user["id"], user, index={"builder": user["builderId"]})

    def _claim_email(self, email, user_id):
        if not self._users.claim("email", email.casefold(), user_id):
            raise EmailTaken(email=email)

    def _user_in_builder(self, caller, user_id):
        user = self._users.get(user_id)
        if not user or user["builderId"] != caller.builder_id:
            raise NotFound(type="auth/users", id=user_id)
        return user

    def _practitioner_in_builder(self, caller, practitioner_id):
        resource = self._practitioners.get(practitioner_id)
        if not resource or fhir.owner(resource) != caller.builder_id:
            raise RelatedNotFound(type="fhir/practitioner", id=practitioner_id)
        return resource

    def _send_user_mails(self, user, attributes):
        builder = self._builders.get(user["builderId"])["name"]
        if self.environment == "sandbox":
            self._outbox.send(user["email"], "welcome", "Welcome to Zus Health", (
                f"Hi {user['name']},\n\nYou have been added to {builder} on Zus Health.\n\n"
                f"Zus App: {APP_URLS[self.environment]}\nDocumentation: {DOCS_URL}\n"))
        if attributes.get("sendPasswordResetEmail", True):
            link = f"{RESET_HOSTS[self.environment]}/lo/reset?ticket={self._source.string(32)}#"
            after = f"\nAfterwards you will continue to application {attributes['clientId']}.\n" \
                if attributes.get("clientId") else ""
            self._outbox.send(user["email"], "password-reset", "Set your Zus Health password", (
                f"Hi {user['name']},\n\nSet your password to start using Zus Health ({builder}):\n{link}\n\n"
                "Use at least 8 characters with 3 of: lower case, upper case, digits, special characters.\n"
                + after))


def expect_type(sent, expected, member="type"):
    """JSON:API: a type (or PATCH id) that does not match the endpoint is a 409."""
    if sent != expected:
        raise IdConflict(member=member, value=sent, expected=expected)


def expect_new(data, expected):
    """A create: the type must be the endpoint's (409) and the id is the server's to assign (403)."""
    expect_type(data["type"], expected)
    if "id" in data:
        raise ClientIdForbidden()


def normalized_user(user):
    record = {key: user.get(key) for key in ("id", "builderId", "email", "name", "userType", "roleId",
                                             "practitionerId", "createdAt", "updatedAt")}
    record["relationshipStyle"] = user.get("relationshipStyle", "long")
    return record


def _matches(user, query):
    if "email" in query and user["email"].casefold() != query["email"].casefold():
        return False
    if "name" in query and query["name"].casefold() not in user["name"].casefold():
        return False
    if "role" in query and user["roleId"] != query["role"]:
        return False
    return "practitioner" not in query or user["practitionerId"] == query["practitioner"]
