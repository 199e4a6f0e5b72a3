"""Nabla's Server API endpoints, mounted on both doors, and the OAuth token endpoint."""

from flask import g
from flask.views import MethodView

from ... import strictjson
from ...api import VendorBlueprint, VendorParser
from ...store import get_backend
from ...urls import reachable_urls
from .auth import authenticate_copilot, authenticate_core
from .errors import OWN_PREFIXES, PARSE_ERROR, QUERY_UNPARSABLE, BadRequest, NablaErrorSchema
from .schemas import (
    EmptyBodySchema,
    SessionTokensSchema,
    TokenRequestSchema,
    TokenSchema,
    UserCreateSchema,
    UserListQuerySchema,
    UserListSchema,
    UserSchema,
    UserUpdateSchema,
    VersionedBodySchema,
)
from .versions import CURRENT, HEADER, QUERY, writable_fields


class NablaParser(VendorParser):
    """Parses any body as JSON, and reports the first invalid field as Nabla's one-message 400."""

    def _get_schema(self, argmap, req):
        schema = super()._get_schema(argmap, req)
        if isinstance(schema, VersionedBodySchema) and "nabla_caller" in g:
            # a version neither reads nor validates the fields it does not know
            return type(schema)(only=writable_fields(g.nabla_caller.version, schema.CREATING))
        return schema

    def load_json(self, req, schema):
        try:
            return strictjson.loads(req.get_data(cache=True))
        except ValueError:
            raise BadRequest(PARSE_ERROR.format("$")) from None

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        ((location, messages),) = error.messages.items()
        path, message = _first_error(messages)
        if not message.startswith(OWN_PREFIXES):
            if location == "query":
                message = QUERY_UNPARSABLE.format(path[0])
            else:
                message = PARSE_ERROR.format(_json_path(path))
        raise BadRequest(message)


def _first_error(messages, path=()):
    """(path, message) of the first leaf in marshmallow's nested error messages."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        return _first_error(value, path if key == "_schema" else (*path, key))
    return path, messages[0] if isinstance(messages[0], str) else _first_error(messages[0], path)[1]


def _json_path(path):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


class NablaBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = NablaParser()


core = NablaBlueprint("nabla-core", __name__, url_prefix="/nabla/v1/core/server",
                      description="Core API Server API: an OAuth access token; the version by header, query "
                      "or the organization's pin.")
copilot = NablaBlueprint("nabla-copilot", __name__, url_prefix="/nabla/v1/copilot-api/server",
                         description="Archived Copilot API (version 2024-04-22): the Server Key as Bearer; "
                         "the same organization's users as the Core API.")
oauth = NablaBlueprint("nabla-oauth", __name__, url_prefix="/nabla/v1/core/server",
                       description="Authentication of your backend: OAuth client credentials, JWT assertion.")
core.before_request(authenticate_core)
copilot.before_request(authenticate_copilot)

VERSION_PARAMETERS = [
    {"in": "header", "name": HEADER, "required": False, "schema": {"type": "string", "example": CURRENT},
     "description": "The API version; else the query parameter's, else the organization's pinned one."},
    {"in": "query", "name": QUERY, "required": False, "schema": {"type": "string", "example": CURRENT},
     "description": "The API version, when the header cannot be set."},
]
_ERRORS = {
    400: "Bad request: invalid JSON or fields, an unknown API version",
    401: "Missing, invalid or expired bearer credential",
    403: "The user is deactivated",
    404: "No such user in your organization (code 20000)",
    409: "external_id already used in your organization (code 40052)",
    429: "Organization rate limited (code 85000)",
}


def _document_errors(*statuses):
    def decorate(view):
        for status in statuses:
            view = core.alt_response(status, schema=NablaErrorSchema, description=_ERRORS[status])(view)
        return view

    return decorate


class Users(MethodView):
    @core.arguments(UserCreateSchema, example={})
    @core.response(200, UserSchema, description="User.")
    @_document_errors(400, 401, 409, 429)
    def post(self, new_user):
        """Create a user

        Creates a Core API user. `email` and `roles` are read up to version 2024-04-22,
        `specialty` from 2026-04-24.
        """
        return get_backend("nabla").create_user(g.nabla_caller, new_user)

    @core.arguments(UserListQuerySchema, location="query")
    @core.response(200, UserListSchema, description="A paginated list of Users.")
    @_document_errors(400, 401, 429)
    def get(self, query):
        """Get users

        Retrieve a list of your organization's Core API Users, ordered by creation time.
        """
        return get_backend("nabla").list_users(g.nabla_caller, query)


class UsersById(MethodView):
    @core.response(200, UserSchema, description="User.")
    @_document_errors(400, 401, 404, 429)
    def get(self, user_id):
        """Get a user

        Get a single user by their id.
        """
        return get_backend("nabla").get_user(g.nabla_caller, user_id)

    @core.arguments(UserUpdateSchema)
    @core.response(200, UserSchema, description="User.")
    @_document_errors(400, 401, 404, 409, 429)
    def patch(self, update_data, user_id):
        """Update a user

        Partial update of the user's fields; `metadata` is replaced as a whole.
        """
        return get_backend("nabla").update_user(g.nabla_caller, user_id, update_data)


class UsersByExternalId(MethodView):
    @core.response(200, UserSchema, description="User.")
    @_document_errors(400, 401, 404, 429)
    def get(self, external_id):
        """Find a user by their external id

        Get a single user by their external id.
        """
        return get_backend("nabla").find_user(g.nabla_caller, external_id)


class ActivateUser(MethodView):
    @core.arguments(EmptyBodySchema, example={})
    @core.response(200, UserSchema, description="User.")
    @_document_errors(400, 401, 404, 429)
    def post(self, _body, user_id):
        """Activate a user

        Re-activate a previously deactivated user. The body `{}` is required.
        """
        return get_backend("nabla").set_activated(g.nabla_caller, user_id, True)


class DeactivateUser(MethodView):
    @core.arguments(EmptyBodySchema, example={})
    @core.response(200, UserSchema, description="User.")
    @_document_errors(400, 401, 404, 429)
    def post(self, _body, user_id):
        """Deactivate a user

        Deactivated users lose access to the API. The body `{}` is required.
        """
        return get_backend("nabla").set_activated(g.nabla_caller, user_id, False)


class AuthenticateUser(MethodView):
    @core.response(200, SessionTokensSchema, description="Tokens.")
    @_document_errors(400, 401, 403, 404, 429)
    def post(self, user_id):
        """Authenticate a user

        JWT access and refresh tokens scoped to the user; no body is needed.
        """
        return get_backend("nabla").authenticate_user(g.nabla_caller, user_id)


ROUTES = (
    ("/users", Users),
    ("/users/<user_id>", UsersById),
    ("/users/find_by_external_id/<path:external_id>", UsersByExternalId),
    ("/users/<user_id>/activate", ActivateUser),
    ("/users/<user_id>/deactivate", DeactivateUser),
    ("/jwt/authenticate/<user_id>", AuthenticateUser),
)
# Nabla's own examples: its uuid schema's example id, and an external id of its guides
PATH_PARAMETERS = {
    "user_id": {"in": "path", "name": "user_id", "description": "The unique identifier of the user.",
                "schema": {"type": "string", "format": "uuid"},
                "example": "98FCE1EF-DBCA-41EF-8BC7-4D1621AC07C6"},
    "external_id": {"in": "path", "name": "external_id",
                    "description": "A unique identifier for the user from another system.",
                    "example": "ehr-provider-123"},
}


def _path_parameters(rule):
    return [dict(p) for name, p in PATH_PARAMETERS.items() if f"{name}>" in rule]


for rule, view in ROUTES:
    core.route(rule, parameters=VERSION_PARAMETERS + _path_parameters(rule))(view)
    copilot.route(rule, parameters=_path_parameters(rule))(view)


@oauth.route("/oauth/token")
class Token(MethodView):
    @oauth.arguments(TokenRequestSchema)
    @oauth.response(200, TokenSchema,
                    description="A JWT access token that can be used to access the server API.")
    @oauth.alt_response(401, schema=NablaErrorSchema, description="invalid_client: iss/sub or signature")
    @oauth.doc(security=[])
    def post(self, body):
        """Authenticate your backend

        A JWT access token for the Server API, from a JWT client assertion (RS256, iss = sub = the
        OAuth client's UUID, aud = this URL, exp at most 5 minutes ahead). 400 is `invalid_grant`
        (aud, clock skew) or a bad body.
        """
        return get_backend("nabla").issue_token(body, reachable_urls("/nabla"))
