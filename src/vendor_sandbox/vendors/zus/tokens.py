"""Zus access tokens: Auth0-style JWTs with Zus's https://zusapi.com/... claims."""

import hashlib

from .errors import TokenExpired, TokenInvalid

CLAIM = "https://zusapi.com/"
EXPIRES_IN = 3600
AUDIENCES = {"sandbox": "https://api.sandbox.zusapi.com", "production": "https://api.zusapi.com"}
ISSUER = "https://zus-sandbox.us.auth0.com/"
LOGIN_SCOPE = "openid profile email"


class TokenCodec:
    """Mints and verifies HS256 JWTs against the sandbox clock.

    The key depends on the seed only, not on the namespace, so that a token listed in
    /_sandbox/credentials works in every namespace whose state holds its principal.
    """

    def __init__(self, seed, audience):
        self._key = hashlib.sha256(f"vendor-sandbox/zus/{seed}".encode()).hexdigest()
        self.audience = audience

    def mint(self, now, subject, client_id, claims, standard=None):
        """A JWT with Zus's claims; `standard` adds or replaces registered claims."""
        import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
        issued = int(now.timestamp())
        payload = {
            "iss": ISSUER,
            "sub": subject,
            "aud": [self.audience],
            "iat": issued,
            "exp": issued + EXPIRES_IN,
            "azp": client_id,
            **(standard or {}),
            **{CLAIM + name: value for name, value in claims.items()},
        }
        return jwt.encode(payload, self._key, algorithm="HS256")

    def mint_login(self, now, subject, client_id, claims):
        """A user's token as Auth0 issues it for an OpenID Connect login: `aud` a list with the
        tenant's userinfo endpoint, and the OpenID scopes."""
        standard = {"aud": [self.audience, ISSUER + "userinfo"], "scope": LOGIN_SCOPE}
        return self.mint(now, subject, client_id, claims, standard)

    def mint_m2m(self, now, subject, client_id, claims, permissions):
        """An Auth0 machine-to-machine token: `aud` one string, `gty`, and the grant's scopes.

        `scope` (space-separated, left out when empty) and `permissions` (RBAC's list) carry the
        same names: the permissions of the app client's role.
        """
        standard = {"aud": self.audience, "gty": "client-credentials", "permissions": permissions}
        if permissions:
            standard["scope"] = " ".join(permissions)
        return self.mint(now, subject, client_id, claims, standard)

    def verify(self, token, now):
        """The token's Zus claims (short names), or TokenInvalid / TokenExpired."""
        import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
        try:
            payload = jwt.decode(token, self._key, algorithms=["HS256"], audience=self.audience,
                                 issuer=ISSUER, options={"verify_exp": False, "verify_iat": False,
                                                         "require": ["exp", "iat", "sub"]})
        except jwt.PyJWTError:
            raise TokenInvalid() from None
        if not isinstance(payload["exp"], int) or payload["exp"] <= int(now.timestamp()):
            raise TokenExpired()
        return {name.removeprefix(CLAIM): value for name, value in payload.items() if name.startswith(CLAIM)}
