"""Nabla's User API (`/v1/core/user`), the part a user's front-end needs to keep its session: the
refresh of the token pair that the Server API's jwt/authenticate returns."""

from flask.views import MethodView

from ...store import get_backend
from .errors import NablaErrorSchema
from .routes import NablaBlueprint
from .schemas import RefreshRequestSchema, SessionTokensSchema

user_api = NablaBlueprint("nabla-user", __name__, url_prefix="/nabla/v1/core/user",
                          description="User API: what a user's front-end calls with its own tokens.")


@user_api.route("/jwt/refresh")
class RefreshTokens(MethodView):
    @user_api.arguments(RefreshRequestSchema, example={"refresh_token": "eyJhbGciOiJIUzI1NiIs..."})
    @user_api.response(200, SessionTokensSchema, description="Tokens.")
    @user_api.alt_response(400, schema=NablaErrorSchema, description="No refresh_token string in the body")
    @user_api.alt_response(401, schema=NablaErrorSchema,
                           description="Invalid refresh token, or expired (JWT_EXPIRED, code 50025)")
    @user_api.alt_response(403, schema=NablaErrorSchema, description="The user is deactivated")
    @user_api.doc(security=[])
    def post(self, body):
        """Refresh a token

        A new set of session tokens (access and refresh) for the user. Needs no authentication:
        only the `refresh_token` in the body.
        """
        return get_backend("nabla").refresh_user_tokens(body["refresh_token"])
