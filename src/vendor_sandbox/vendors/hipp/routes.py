"""Hipp's /v1/users endpoints."""

from flask import g
from flask.views import MethodView
from marshmallow.utils import missing

from ... import strictjson
from ...api import VendorBlueprint, VendorParser
from ...store import get_backend
from .auth import authenticate
from .errors import HippErrorSchema, ValidationFailed
from .schemas import UserCreatedSchema, UserCreateSchema, UserListQuerySchema, UserListSchema, UserSchema
from .zod import invalid_type, issues_from, with_path


class HippParser(VendorParser):
    """Parses bodies as Next.js's request.json() does, and fails with zod's issues."""

    unknown = None  # the schema's own setting: zod strips unknown keys

    def load_json(self, req, schema):
        # request.json() ignores Content-Type and decodes as TextDecoder("utf-8") does (BOM
        # dropped, bad bytes replaced); an absent or unparsable body reaches zod as undefined
        text = req.get_data(cache=True).decode("utf-8", "replace").removeprefix("\ufeff")
        try:
            return strictjson.loads(text)
        except ValueError:
            raise ValidationFailed([with_path(invalid_type("object", missing), [])]) from None

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        # webargs files the messages under the location ("json", "query"); zod paths start below it
        (messages,) = error.messages.values()
        raise ValidationFailed(issues_from(messages, schema))


class HippBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = HippParser()


blp = HippBlueprint("hipp", __name__, url_prefix="/hipp/api", description="Users of your organization")
blp.before_request(authenticate)

_ERRORS = {
    400: "Bad Request - Validation Error",
    401: "Unauthorized: API key required, or invalid API key",
    403: "Forbidden: your role does not permit this",
}


def _document_errors(*statuses):
    def decorate(view):
        for status in statuses:
            view = blp.alt_response(status, schema=HippErrorSchema, description=_ERRORS.get(status))(view)
        return view

    return decorate


@blp.route("/v1/users")
class Users(MethodView):
    @blp.arguments(UserCreateSchema, example={"firstName": "John", "lastName": "Doe",
                                              "email": "john.doe@example.com", "role": "TECHNICIAN"})
    @blp.response(200, UserCreatedSchema, description="User created successfully")
    @_document_errors(401, 403)
    def post(self, new_user):
        """Create a new user

        Create a new user in your organization via API. Requires API key authentication.
        """
        return get_backend("hipp").create_user(g.hipp_caller, new_user)

    @blp.arguments(UserListQuerySchema, location="query")
    @blp.response(200, UserListSchema)
    @_document_errors(401, 403)
    def get(self, query):
        """Get all users

        Retrieve a paginated list of users with optional filtering and sorting.
        """
        return get_backend("hipp").list_users(g.hipp_caller, query)


@blp.route("/v1/users/<publicId>", parameters=[
    {"in": "path", "name": "publicId", "description": "The user's publicId",
     "example": "usr_1234567890_abc123def"}])
class UsersById(MethodView):
    @blp.response(200, UserSchema)
    @_document_errors(400, 401, 403, 404)
    def get(self, publicId):  # noqa: N803 - the path parameter keeps Hipp's name
        """Get user by id

        Retrieve a single user by their publicId.
        """
        return get_backend("hipp").get_user(g.hipp_caller, publicId)
