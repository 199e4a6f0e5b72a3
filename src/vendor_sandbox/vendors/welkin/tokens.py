"""API clients and their tokens: 1-hour JWTs, and the 100-per-5-minutes token limit."""

from dataclasses import dataclass
from datetime import timedelta

from ...ids import parse_instant
from .errors import NotValidApiClientCredentials, NotValidJsonWebToken, TokenExpired, TooManyTokenRequests

TOKEN_LIFETIME = timedelta(hours=1)
RATE_WINDOW = timedelta(minutes=5)
RATE_LIMIT = 100
BLOCK = timedelta(minutes=5)
ISSUER = "https://api.welkinhealth.com"


@dataclass(frozen=True)
class Caller:
    """An API client, as its token authenticates it."""

    client_id: str
    client_name: str
    tenant: str
    instances: frozenset
    permissions: frozenset


class Tokens:
    """Issues and checks tokens; every mutable piece lives in the given collections."""

    def __init__(self, clients, requests, source, rate_limit=lambda: True):
        self._clients = clients
        self._requests = requests
        self._source = source
        self._rate_limit = rate_limit
        # fixed for the life of the backend (seeded): a token survives only in its own namespace
        self._key = source.token()

    def issue(self, api_client, secret, tenant=None):
        """{"token", "expiresAt"} for a client's secret; `tenant` when the path names one."""
        import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
        client = self._clients.get(api_client)
        if client is None or (tenant is not None and client["tenant"] != tenant):
            raise NotValidApiClientCredentials()
        now = self._source.now()
        self._count(api_client, now)
        if client["secret"] != secret or not client.get("enabled", True):
            raise NotValidApiClientCredentials()
        expires = now + TOKEN_LIFETIME
        claims = {
            "custom:type": "API_CLIENT",
            "sub": client["id"],
            "event_id": self._source.uuid4(),
            "token_use": "id",
            "auth_time": int(now.timestamp()),
            "iss": ISSUER,
            "custom:tenant": client["tenant"],
            "cognito:username": client["apiClient"],
            "exp": int(expires.timestamp()),
            "iat": int(now.timestamp()),
        }
        return {
            "token": jwt.encode(claims, self._key, algorithm="HS256"),
            "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def authenticate(self, token):
        """The Caller a Bearer token stands for."""
        import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                options={"verify_exp": False, "require": ["exp", "cognito:username"]},
            )
        except jwt.PyJWTError:
            raise NotValidJsonWebToken() from None
        client = self._clients.get(claims["cognito:username"])
        if client is None or client["id"] != claims.get("sub"):
            raise NotValidJsonWebToken()
        # our clock, not the wall clock: a frozen or moved sandbox clock decides expiry
        if self._source.now().timestamp() >= claims["exp"]:
            raise TokenExpired()
        return Caller(
            client["id"],
            client["apiClient"],
            client["tenant"],
            frozenset(client["instances"]),
            frozenset(client.get("permissions", ())),
        )

    def _count(self, api_client, now):
        if not self._rate_limit():
            return
        record = self._requests.get(api_client) or {"times": [], "blockedUntil": None}
        if record["blockedUntil"] and now < parse_instant(record["blockedUntil"]):
            raise TooManyTokenRequests()
        times = [t for t in record["times"] if parse_instant(t) > now - RATE_WINDOW]
        if len(times) >= RATE_LIMIT:
            self._requests.put(api_client, {"times": [], "blockedUntil": (now + BLOCK).isoformat()})
            raise TooManyTokenRequests()
        self._requests.put(api_client, {"times": [*times, now.isoformat()], "blockedUntil": None})
