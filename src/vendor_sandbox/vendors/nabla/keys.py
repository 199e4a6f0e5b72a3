"""OAuth client keys for POST /_sandbox/credentials: fresh RSA pairs, a caller's own public key,
or a JWKS URL on loopback, fetched when an assertion is checked (so rotation works as it does
at Nabla; nothing ever leaves the machine)."""

import ipaddress
from urllib.parse import urlsplit

from ...bindings import InvalidCredential
from .errors import KEY_NOT_IN_JWKS, InvalidClient

JWKS_TIMEOUT = 5  # seconds; the JWKS is served on this machine


def generate_pair():
    """(private PEM in PKCS #8, public PEM): RSA 2048, what Nabla's docs have clients make."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private.decode(), public.decode()


def checked_public_key(pem):
    """`pem` if it is an RSA public key in PEM (assertions are RS256), else InvalidCredential."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(pem.encode())
    except ValueError:
        key = None
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidCredential("publicKey must be an RSA public key in PEM (-----BEGIN PUBLIC KEY-----)")
    return pem


def checked_jwks_url(url):
    """`url` if it is http(s) on a loopback host: the sandbox never contacts another machine."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme not in ("http", "https") or not loopback:
        raise InvalidCredential("jwksUrl must be an http(s) URL on loopback (localhost, 127.0.0.0/8 or [::1])")
    return url


def jwks_key(url, assertion):
    """The key of the client's JWKS that signed `assertion` (by its `kid`), fetched now."""
    import jwt  # on first use: PyJWT loads cryptography, a tenth of start-up

    try:
        return jwt.PyJWKClient(url, cache_jwk_set=False, timeout=JWKS_TIMEOUT) \
            .get_signing_key_from_jwt(assertion).key
    except jwt.PyJWTError:  # unreachable, not a JWK Set, no such key
        raise InvalidClient(KEY_NOT_IN_JWKS) from None
