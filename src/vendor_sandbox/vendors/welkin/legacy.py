"""The legacy admin routes that existing client libraries still call, on the same state."""

from flask import current_app, g
from flask.views import MethodView

from ...store import get_backend
from .auth import authenticate, requires
from .backend import USER_ATTRIBUTES, USER_DELETE, USER_PROVISION, USER_REGIONS, USER_SECURITY
from .http import WelkinBlueprint
from .pagination import UserListQuerySchema, UserListSchema
from .schemas import (
    AccessDocumentSchema,
    ApplicationAccessUpdateSchema,
    LegacyPermissionsSchema,
    LegacyTerritoriesSchema,
    LegacyUserCreateSchema,
    LegacyUserUpdateSchema,
    UserLookupQuerySchema,
    UserPermissionsSchema,
    UserSchema,
    UserTerritoriesSchema,
)

# the legacy docs' user record example (create, read, PATCH and PUT all show it)
LEGACY_DOCS_USER = {
    "username": "johndoe",
    "email": "j.doe@email.com",
    "phone": "+15552009845",
    "timezone": "America/Los_Angeles",
    "firstName": "John",
    "lastName": "Doe",
    "credentials": "MD",
}

blp = WelkinBlueprint(
    "welkin-admin",
    __name__,
    url_prefix="/welkin",
    description="Legacy tenant-level admin API (api.live.welkincloud.io)",
    # the legacy docs' tenant and user (GET /{tenant}/admin/users/johndoe), and johndoe's id
    path_examples={"tenant": "gh", "user": "johndoe", "userId": "20eb246e-8099-4c7c-854c-5e0f9a366ddb"},
)
blp.before_request(authenticate)


def backend():
    return get_backend("welkin")


@blp.route("/<tenant>/admin/users")
class AdminUsers(MethodView):
    @blp.arguments(LegacyUserCreateSchema, example={"username": "bar", "email": "bar@foo.com"})
    @blp.response(201, UserSchema)
    @blp.errors(400, 401, 403)
    @requires(USER_PROVISION)
    def post(self, body, tenant):
        """Create user record (legacy)"""
        return backend().create_user(g.welkin_caller, tenant, body)

    @blp.arguments(UserListQuerySchema, location="query")
    @blp.response(200, UserListSchema)
    @blp.errors(400, 401, 403)
    def get(self, query, tenant):
        """Read users records (legacy)"""
        return backend().list_users(tenant, query)


@blp.route("/<tenant>/admin/users/<user>")
class AdminUsersById(MethodView):
    @blp.arguments(UserLookupQuerySchema, location="query")
    @blp.response(200, UserSchema)
    @blp.errors(401, 403, 404)
    def get(self, query, tenant, user):
        """Read user record (legacy)

        By username, or by UUID with `type=ID`.
        """
        return backend().find_user(tenant, user, by_id=query.get("type") == "ID")

    @blp.arguments(UserLookupQuerySchema, location="query")
    @blp.arguments(LegacyUserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_PROVISION, USER_ATTRIBUTES)
    def patch(self, query, changes, tenant, user):
        """Update user record, partial (legacy)

        By username, or by UUID with `type=ID`.
        """
        found = backend().find_user(tenant, user, by_id=query.get("type") == "ID")
        return backend().update_user(g.welkin_caller, tenant, found["id"], changes)

    @blp.arguments(UserLookupQuerySchema, location="query")
    @blp.arguments(LegacyUserCreateSchema, example=LEGACY_DOCS_USER)
    @blp.response(200, UserSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_PROVISION, USER_ATTRIBUTES)
    def put(self, query, body, tenant, user):
        """Update user record, full (legacy)

        Replaces the editable fields: what the body leaves out is unset. By username, or by UUID
        with `type=ID`.
        """
        found = backend().find_user(tenant, user, by_id=query.get("type") == "ID")
        return backend().replace_user(g.welkin_caller, tenant, found["id"], body)

    @blp.arguments(UserLookupQuerySchema, location="query")
    @blp.response(204)
    @blp.errors(401, 403, 404)
    @requires(USER_DELETE)
    def delete(self, query, tenant, user):
        """Delete user record (legacy)

        Needs the Admin Access to delete users: without it, 403 ACCESS_FOR_API_CLIENT_RESTRICTED
        (as recorded). By username, or by UUID with `type=ID`.
        """
        found = backend().find_user(tenant, user, by_id=query.get("type") == "ID")
        backend().delete_user(tenant, found["id"])
        # recorded: Welkin's 204 has no body and no Content-Type
        response = current_app.response_class(status=204)
        del response.headers["Content-Type"]
        return response


@blp.route("/<tenant>/admin/application-accesses/<userId>")
class AdminApplicationAccesses(MethodView):
    @blp.response(200, AccessDocumentSchema)
    @blp.errors(401, 403, 404)
    def get(self, tenant, userId):  # noqa: N803
        """Read application access (legacy)

        The user's access to the admin portal, security audit and each instance's care portal,
        designer and data audit.
        """
        return backend().get_application_access(tenant, userId)

    @blp.arguments(ApplicationAccessUpdateSchema)
    @blp.response(200, AccessDocumentSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_SECURITY)
    def put(self, body, tenant, userId):  # noqa: N803
        """Create or replace application access (legacy)"""
        return backend().put_application_access(tenant, userId, body)


@blp.route("/<tenant>/admin/user-permissions/<userId>")
class AdminUserPermissions(MethodView):
    @blp.response(200, UserPermissionsSchema)
    @blp.errors(401, 403, 404)
    def get(self, tenant, userId):  # noqa: N803
        """Read user roles and security policies (legacy)"""
        return backend().get_permissions(tenant, userId)

    @blp.arguments(LegacyPermissionsSchema)
    @blp.response(200, UserPermissionsSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_SECURITY)
    def put(self, body, tenant, userId):  # noqa: N803
        """Create or replace user roles and security policies (legacy)"""
        return backend().put_permissions(tenant, userId, body["permissions"])


@blp.route("/<tenant>/admin/user-territories/<userId>")
class AdminUserTerritories(MethodView):
    @blp.response(200, UserTerritoriesSchema)
    @blp.errors(401, 403, 404)
    def get(self, tenant, userId):  # noqa: N803
        """Read user regions and territories (legacy)"""
        return backend().get_territories(tenant, userId)

    @blp.arguments(LegacyTerritoriesSchema)
    @blp.response(200, UserTerritoriesSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_REGIONS)
    def put(self, body, tenant, userId):  # noqa: N803
        """Create or replace user regions and territories (legacy)"""
        return backend().set_territories(g.welkin_caller, tenant, userId, body["territories"])
