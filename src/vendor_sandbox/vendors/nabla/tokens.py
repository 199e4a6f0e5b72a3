"""JWTs: OAuth client assertions checked as Nabla documents them, and the tokens we mint."""

from datetime import UTC, datetime

from .errors import (
    BAD_SIGNATURE,
    EXP_PAST,
    EXP_TOO_FAR,
    IAT_OUT_OF_WINDOW,
    ISS_NOT_SUB,
    NOT_RS256,
    UNDECODABLE_ASSERTION,
    WRONG_AUDIENCE,
    InvalidClient,
    InvalidGrant,
    JwtExpired,
    Unauthorized,
)

ASSERTION_WINDOW = 300  # exp at most 5 minutes ahead; iat within 5 minutes of exp
SERVER_TOKEN_TTL = 3600
USER_ACCESS_TTL = 300  # the User API's own words: "Access tokens have a short lifespan of 5 minutes"
USER_REFRESH_TTL = 30 * 24 * 3600
ISSUER = "vendor-sandbox/nabla"
# the claims PyJWT would check against the wall clock: we check them ourselves (verify_assertion)
_UNCHECKED = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False,
              "verify_iss": False}


def client_of(assertion):
    """The `iss` the assertion claims, before anything is verified."""
    import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
    try:
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(assertion, options={"verify_signature": False, **_UNCHECKED})
    except jwt.InvalidTokenError:
        raise InvalidClient(UNDECODABLE_ASSERTION) from None
    if header.get("alg") != "RS256":
        raise InvalidClient(NOT_RS256)
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or claims.get("sub") != issuer:
        raise InvalidClient(ISS_NOT_SUB)
    return issuer


def verify_assertion(assertion, public_key, audiences, nows):
    """The verified claims; raises invalid_client (401) or invalid_grant (400) as Nabla does.

    `nows` are the instants the assertion's exp and iat may be right against (the namespace's
    clock and the wall clock, which real code signs with): the first error if none fits."""
    import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
    try:
        claims = jwt.decode(assertion, public_key, algorithms=["RS256"], options=_UNCHECKED)
    except jwt.InvalidTokenError:
        raise InvalidClient(BAD_SIGNATURE) from None
    aud = claims.get("aud")
    if not any(a in audiences for a in ([aud] if isinstance(aud, str) else aud or [])):
        raise InvalidGrant(WRONG_AUDIENCE)
    errors = [_timing_error(claims, now) for now in nows]
    if all(errors):
        raise errors[0]
    return claims


def _timing_error(claims, now):
    now_s = int(now.timestamp())
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _is_number(exp) or exp < now_s:
        return InvalidGrant(EXP_PAST)
    if exp > now_s + ASSERTION_WINDOW:
        return InvalidGrant(EXP_TOO_FAR)
    if iat is not None and (not _is_number(iat) or iat > now_s or exp - iat > ASSERTION_WINDOW):
        return InvalidGrant(IAT_OUT_OF_WINDOW)
    return None


def mint(secret, kind, subject, now, ttl, jti, **claims):
    import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
    issued = int(now.timestamp())
    payload = {"iss": ISSUER, "sub": subject, "type": kind, "iat": issued, "exp": issued + ttl, "jti": jti,
               **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def verify(secret, token, kind, now):
    """The claims of a token we minted, of `kind`; 401 if it is not one, JWT_EXPIRED if expired."""
    import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options=_UNCHECKED)
    except jwt.InvalidTokenError:
        raise Unauthorized() from None
    if claims.get("type") != kind or not _is_number(claims.get("exp")):
        raise Unauthorized()
    if claims["exp"] <= int(now.timestamp()):
        raise JwtExpired(datetime.fromtimestamp(claims["exp"], UTC))
    return claims


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)
