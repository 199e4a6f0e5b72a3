"""Zus's endpoints: the token endpoint and the Auth Service (JSON:API); FHIR is in fhir_routes.py."""

from flask import g, request, url_for
from flask.views import MethodView

from ... import strictjson
from ...api import VendorBlueprint, VendorParser
from ...store import get_backend
from ...urls import client_url, reachable_urls
from .auth import authenticate, requires
from .errors import (
    FHIR_TYPE,
    JSONAPI_TYPE,
    InvalidJson,
    MediaTypeRefused,
    OAuthError,
    OAuthErrorSchema,
    OperationOutcomeSchema,
    ValidationFailed,
    ZusErrorSchema,
)
from .jsonapi import media_type_problem, page_links, problems, query_problems
from .queries import (
    AppClientListQuerySchema,
    AppClientQuerySchema,
    QuerySchema,
    RoleListQuerySchema,
    UserListQuerySchema,
    UserQuerySchema,
)
from .schemas import (
    AppClientCreateDocumentSchema,
    AppClientDocumentSchema,
    AppClientListDocumentSchema,
    RoleDocumentSchema,
    RoleListDocumentSchema,
    TokenRequestSchema,
    TokenSchema,
    UserCreateDocumentSchema,
    UserDocumentSchema,
    UserListDocumentSchema,
    UserPatchDocumentSchema,
)


def _json_body(req, invalid):
    """The body as JSON whatever the Content-Type says; absent is missing, unparsable is `invalid`."""
    data = req.get_data(cache=True)
    if not data.strip():
        return {}
    try:
        return strictjson.loads(data)
    except ValueError:
        raise invalid from None


class JsonApiParser(VendorParser):
    def load_json(self, req, schema):
        return _json_body(req, InvalidJson())

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (location, messages), = error.messages.items()
        raise ValidationFailed(query_problems(messages) if location == "query" else problems(messages))


class OAuthParser(VendorParser):
    """Auth0 takes the token request as JSON or as a form."""

    def load_json(self, req, schema):
        if req.mimetype == "application/x-www-form-urlencoded":
            return req.form.to_dict()
        return _json_body(req, OAuthError("Unable to parse the request body as JSON"))

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (messages,) = error.messages.values()
        raise OAuthError("; ".join(f"{key}: {' '.join(text)}" if key != "_schema" else " ".join(text)
                                   for key, text in messages.items()))


class JsonApiBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = JsonApiParser()


class OAuthBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = OAuthParser()


oauth = OAuthBlueprint("zus_oauth", __name__, url_prefix="/zus/oauth", description="OAuth 2.0 tokens (Auth0)")
auth = JsonApiBlueprint("zus_auth", __name__, url_prefix="/zus/auth",
                        description="Auth Service (JSON:API): roles, users, app clients")


def negotiate():
    """JSON:API 1.0's content negotiation, before anything else is looked at."""
    problem = media_type_problem(request.headers.get("Content-Type"), request.headers.get("Accept"))
    if problem:
        raise MediaTypeRefused(*problem)


auth.before_request(negotiate)
auth.before_request(authenticate)
auth.after_request(lambda response: _typed(response, JSONAPI_TYPE))

ERROR_RESPONSES = {  # blueprint -> (component response, its schema, media type)
    "zus_oauth": ("OAuthErrorResponse", OAuthErrorSchema, "application/json"),
    "zus_auth": ("ZusErrorResponse", ZusErrorSchema, JSONAPI_TYPE),
    "zus_fhir": ("OperationOutcomeResponse", OperationOutcomeSchema, FHIR_TYPE),
}


# every Auth Service operation may answer JSON:API's content negotiation (negotiate, above)
NEGOTIATED = {"zus_auth": (406, 415)}


def _errors(blp, *statuses):
    """Document `statuses` (and any other error) in the shape of the blueprint's service.

    By reference to one component response each: resolving the schemas per operation made
    every create_app (one per test) several times slower.
    """
    name = ERROR_RESPONSES[blp.name][0]

    def decorate(view):
        for status in (*statuses, *NEGOTIATED.get(blp.name, ()), "default"):
            view = blp.alt_response(status, response=name)(view)
        return view

    return decorate


@oauth.route("/token")
class Token(MethodView):
    @oauth.arguments(TokenRequestSchema, example={
        "grant_type": "client_credentials", "client_id": "AcmeBackendM2MClient0000000000a1",
        "client_secret": "acme-backend-secret-" + "0" * 44, "audience": "https://api.sandbox.zusapi.com"})
    @oauth.response(200, TokenSchema)
    @_errors(oauth, 400, 401, 403, 429)
    @oauth.doc(security=[])
    def post(self, params):
        """Get an access token (client credentials)

        JSON or form body; the client may also authenticate with HTTP Basic.
        """
        basic = request.authorization
        if basic and basic.type == "basic":
            params = {"client_id": basic.username, "client_secret": basic.password, **params}
        api_urls = reachable_urls("/zus", path="", trailing_slash=True)
        token = get_backend("zus").issue_token(params, api_urls)
        return token, {"Cache-Control": "no-store", "Pragma": "no-cache"}


@auth.route("/roles")
class Roles(MethodView):
    @requires("auth/roles:read")
    @auth.arguments(RoleListQuerySchema, location="query")
    @auth.response(200, RoleListDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403)
    def get(self, query):
        """List the Builder's roles"""
        return list_document(get_backend("zus").list_roles(g.zus_caller, query))


CARE_TEAM_USER_ROLE = "1a7b2d63-4c8e-4f2a-b9d3-6e5a7f8b9c02"
CARE_PORTAL_CLIENT = "e8f9a0b1-c2d3-4e4f-8a5b-6c7d8e9fab03"  # not the backend client the docs' curl uses
CARLA_CARE = "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b62"


def _path(name, example):
    """A path parameter with a fixture's id as its example (Zus's docs show none)."""
    return [{"in": "path", "name": name, "example": example}]


# The guide's Step 3 body, its {{placeholders}} filled with Acme Health's Care Team User role and a
# fixture Practitioner
CREATE_USER_EXAMPLE = {"data": {
    "type": "auth/users",
    "attributes": {"email": "jane.smith@example.com", "name": "Jane Smith", "userType": "builder",
                   "clientId": "PuzaR6b4U1l2wMC3qciU1qUJI2fOxJLw", "sendPasswordResetEmail": True},
    "relationships": {
        "auth/roles": {"data": {"type": "auth/roles", "id": CARE_TEAM_USER_ROLE}},
        "fhir/practitioner": {"data": {"type": "fhir/practitioner",
                                       "id": "b4d2f6a8-1c3e-4f7a-9b2d-4f6a8b0c2d32"}},
    },
}}


@auth.route("/roles/<role_id>", parameters=_path("role_id", CARE_TEAM_USER_ROLE))
class RoleById(MethodView):
    @requires("auth/roles:read")
    @auth.arguments(QuerySchema, location="query")
    @auth.response(200, RoleDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404)
    def get(self, query, role_id):
        """Get a role"""
        return get_backend("zus").get_role(g.zus_caller, role_id)


@auth.route("/users")
class Users(MethodView):
    @requires("auth/users:write")
    @auth.arguments(UserQuerySchema, location="query")
    @auth.arguments(UserCreateDocumentSchema, content_type=JSONAPI_TYPE, example=CREATE_USER_EXAMPLE)
    @auth.response(201, UserDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404, 409)
    def post(self, query, document):
        """Create a user

        Only a Builder Admin may. Related role and practitioner must be in the caller's Builder.
        """
        return _created(get_backend("zus").create_user(g.zus_caller, document, query.get("include")),
                        "zus_auth.UserById", "user_id")

    @requires("auth/users:read")
    @auth.arguments(UserListQuerySchema, location="query")
    @auth.response(200, UserListDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403)
    def get(self, query):
        """List users"""
        return list_document(get_backend("zus").list_users(g.zus_caller, query))


@auth.route("/users/<user_id>", parameters=_path("user_id", CARLA_CARE))
class UserById(MethodView):
    @requires("auth/users:read")
    @auth.arguments(UserQuerySchema, location="query")
    @auth.response(200, UserDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404)
    def get(self, query, user_id):
        """Get a user"""
        return get_backend("zus").get_user(g.zus_caller, user_id, query.get("include"))

    @requires("auth/users:write")
    @auth.arguments(UserQuerySchema, location="query")
    @auth.arguments(UserPatchDocumentSchema, content_type=JSONAPI_TYPE, example={
        "data": {"type": "auth/users", "id": CARLA_CARE, "attributes": {"name": "Carla Care-Smith"}}})
    @auth.response(200, UserDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404, 409)
    def patch(self, query, document, user_id):
        """Update a user

        Only the members sent change; assign Permissionless to revoke access.
        """
        return get_backend("zus").update_user(g.zus_caller, user_id, document, query.get("include"))


@auth.route("/app-clients")
class AppClients(MethodView):
    @requires("auth/app-clients:write")
    @auth.arguments(AppClientQuerySchema, location="query")
    @auth.arguments(AppClientCreateDocumentSchema, content_type=JSONAPI_TYPE, example={"data": {
        "type": "auth/app-clients",
        "attributes": {"type": "machine_to_machine", "name": "Nightly sync", "userType": "builder"},
        "relationships": {"auth/roles": {"data": {"type": "auth/roles",
                                                  "id": "3c9d4f85-6eaa-4b4c-9bf5-8a7c9b0d1e04"}}},
    }})
    @auth.response(201, AppClientDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404, 409)
    def post(self, query, document):
        """Create an app client

        The response is the only one that shows the clientSecret (until it is rotated).
        """
        return _created(get_backend("zus").create_app_client(g.zus_caller, document, query.get("include")),
                        "zus_auth.AppClientById", "client_id")

    @requires("auth/app-clients:read")
    @auth.arguments(AppClientListQuerySchema, location="query")
    @auth.response(200, AppClientListDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403)
    def get(self, query):
        """List app clients"""
        return list_document(get_backend("zus").list_app_clients(g.zus_caller, query))


@auth.route("/app-clients/<client_id>", parameters=_path("client_id", CARE_PORTAL_CLIENT))
class AppClientById(MethodView):
    @requires("auth/app-clients:read")
    @auth.arguments(AppClientQuerySchema, location="query")
    @auth.response(200, AppClientDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404)
    def get(self, query, client_id):
        """Get an app client"""
        return get_backend("zus").get_app_client(g.zus_caller, client_id, query.get("include"))


@auth.route("/app-clients/<client_id>/rotate-secret", parameters=_path("client_id", CARE_PORTAL_CLIENT))
class RotateSecret(MethodView):
    @requires("auth/app-clients:write")
    @auth.arguments(AppClientQuerySchema, location="query")
    @auth.response(200, AppClientDocumentSchema, content_type=JSONAPI_TYPE)
    @_errors(auth, 400, 401, 403, 404)
    def post(self, query, client_id):
        """Rotate an app client's secret

        The old secret stops working at once; the new one is shown in this response only.
        """
        return get_backend("zus").rotate_secret(g.zus_caller, client_id, query.get("include"))


def _created(document, endpoint, id_argument):
    """201 with the new resource's absolute URL (JSON:API 1.0: a create SHOULD send Location)."""
    url = url_for(endpoint, **{id_argument: document["data"]["id"]}, _external=True)
    return document, 201, {"Location": client_url(url)}


def list_document(page):
    """A JSON:API collection document with absolute pagination links."""
    document = {"data": page.data}
    if page.included is not None:
        document["included"] = page.included
    document["links"] = page_links(client_url(), request.args, page.offset, page.count, page.total)
    return document


def _typed(response, mimetype):
    if response.is_json:
        response.mimetype = mimetype
    return response
