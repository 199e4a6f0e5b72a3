"""Welkin's token endpoints and the new-docs users API under /{tenant}/{instance}/users."""

from flask import g
from flask.views import MethodView

from ...store import get_backend
from .auth import authenticate, requires
from .backend import USER_ATTRIBUTES, USER_PROVISION, USER_REGIONS, USER_SECURITY
from .http import WelkinBlueprint
from .pagination import UserListQuerySchema, UserListSchema
from .schemas import (
    LegacyTokenRequestSchema,
    LegacyTokenSchema,
    PoliciesSchema,
    TerritoriesUpdateSchema,
    TokenRequestSchema,
    TokenSchema,
    UserCreateSchema,
    UserSchema,
    UserTerritoriesSchema,
    UserUpdateSchema,
)

# the legacy docs' tenant and client
auth_blp = WelkinBlueprint(
    "welkin-auth", __name__, url_prefix="/welkin", description="Tokens for API clients (valid 1 hour)",
    path_examples={"tenant": "gh", "client": "VBOPNRYRWJIP"},
)
# the current docs' examples: POST /acme-health/live/users, PUT .../users/user-uuid/policies, with
# the real id of the fixture user that stands for the docs' placeholder `user-uuid`
blp = WelkinBlueprint(
    "welkin-users",
    __name__,
    url_prefix="/welkin",
    description="Care team users of one instance, their policies and territories",
    path_examples={"tenant": "acme-health", "instance": "live", "userId": "4c7e2a91-3b5d-4f68-8e1a-9d0c6b2f7e35"},
)
blp.before_request(authenticate)


def backend():
    return get_backend("welkin")


@auth_blp.route("/auth/token")
class Token(MethodView):
    @auth_blp.arguments(
        TokenRequestSchema, example={"secret": "your-api-client-secret", "apiClient": "your-api-client-key"}
    )
    @auth_blp.response(200, TokenSchema)
    @auth_blp.errors(400, 401, 429)
    @auth_blp.doc(security=[])
    def post(self, body):
        """Get an API token

        Tokens are valid for 1 hour. Requesting a new token more than 100 times per 5 minutes
        results in a 5-minute block.
        """
        return backend().issue_token(body)


@auth_blp.route("/<tenant>/admin/api_clients/<client>")
class LegacyToken(MethodView):
    @auth_blp.arguments(LegacyTokenRequestSchema)
    @auth_blp.response(200, LegacyTokenSchema)
    @auth_blp.errors(400, 401, 429)
    @auth_blp.doc(security=[])
    def post(self, body, tenant, client):
        """Get an API token (legacy)

        The older token endpoint that existing client libraries still call.
        """
        return backend().issue_token(body, tenant=tenant, api_client=client)


@blp.route("/<tenant>/<instance>/users")
class Users(MethodView):
    @blp.arguments(
        UserCreateSchema,
        example={
            "firstName": "Alex",
            "lastName": "Johnson",
            "email": "alex.johnson@acme-health.com",
            "username": "alex.johnson",
            "role": "care-coordinator",
            "timezone": "America/Chicago",
        },
    )
    @blp.response(201, UserSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_PROVISION)
    def post(self, body, tenant, instance):
        """Create user record

        Creates a new care team user in Welkin.
        """
        return backend().create_user(g.welkin_caller, tenant, body, instance)

    @blp.arguments(UserListQuerySchema, location="query")
    @blp.response(200, UserListSchema)
    @blp.errors(400, 401, 403, 404)
    def get(self, query, tenant, instance):
        """Read users records

        Returns a paginated list of all care team users in the instance.
        """
        return backend().list_users(tenant, query, instance)


@blp.route("/<tenant>/<instance>/users/<userId>")
class UsersById(MethodView):
    @blp.response(200, UserSchema)
    @blp.errors(401, 403, 404)
    def get(self, tenant, instance, userId):  # noqa: N803 - Welkin's path parameter name
        """Read user record

        Returns a single user record by UUID.
        """
        return backend().get_user(tenant, userId)

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_PROVISION, USER_ATTRIBUTES)
    def patch(self, changes, tenant, instance, userId):  # noqa: N803
        """Update user record

        Partially updates a user record. Only include fields to change.
        """
        return backend().update_user(g.welkin_caller, tenant, userId, changes, instance)


@blp.route("/<tenant>/<instance>/users/<userId>/policies")
class UserPolicies(MethodView):
    @blp.arguments(
        PoliciesSchema, example={"policies": ["read-patients", "write-encounters", "read-assessments"]}
    )
    @blp.response(200, UserSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_SECURITY)
    def put(self, body, tenant, instance, userId):  # noqa: N803
        """Update security policies

        Replaces the full set of security policies assigned to a user.
        """
        return backend().set_policies(tenant, instance, userId, body["policies"])


@blp.route("/<tenant>/<instance>/users/<userId>/territories")
class UserTerritories(MethodView):
    @blp.response(200, UserTerritoriesSchema)
    @blp.errors(401, 403, 404)
    def get(self, tenant, instance, userId):  # noqa: N803
        """Get user territories"""
        return backend().get_territories(tenant, userId, instance)

    @blp.arguments(
        TerritoriesUpdateSchema,
        example={"territories": [{"name": "east-coast", "territories": ["New York", "Massachusetts"]}]},
    )
    @blp.response(200, UserTerritoriesSchema)
    @blp.errors(400, 401, 403, 404)
    @requires(USER_REGIONS)
    def patch(self, body, tenant, instance, userId):  # noqa: N803
        """Update user territories

        Replaces the user's regions and territories in this instance.
        """
        return backend().set_territories(g.welkin_caller, tenant, userId, body["territories"], instance)
