"""PLP's signatures as a platform, and its checks of the tool's: the school's key pair (made and kept the
way lti/keys.py keeps the tool side's), id_tokens and access tokens signed with it, and the tool's client
assertion checked against the tool's published key set (fetched over HTTP, cached a few minutes, fetched
again once for a key id it does not know: a tool that rotated its key is not refused)."""

import json
import time
import uuid
from dataclasses import dataclass

import jwt
import requests
from django.core.cache import cache

from lti import keys
from lti.services import signing_key_rotate
from lti_platform.messages import GRANTED_SCOPES
from lti_platform.models import PlatformKey, ToolRegistration
from plp import outbound
from plp.tenancy.context import school_scope

LEEWAY_SECONDS = 60  # clocks of the tool and PLP may differ a little
ACCESS_TOKEN_SECONDS = 300  # short-lived: a tool asks again when it needs to
JWKS_CACHE_SECONDS = 300
JWKS_MAX_BYTES = 256 * 1024
ACCESS_AUDIENCE = "plp-lti-ags"


@dataclass
class PlatformRefused(Exception):
    """A request of a tool that PLP refuses: the HTTP status, the OAuth2 error and why."""

    status: int
    error: str
    description: str = ""

    def __post_init__(self):
        super().__init__(f"{self.error}: {self.description}")


# --- the school's key pair --------------------------------------------------------------------------------


def platform_key_rotate(*, school_id: int) -> PlatformKey:
    """A new signing key for the school, rotated as the tool side's keys are (``lti.services``)."""
    return signing_key_rotate(model=PlatformKey, school_id=school_id)


def platform_key_current(*, school_id: int) -> PlatformKey:
    """The key that signs now (made on first use)."""
    with school_scope(school_id):
        key = PlatformKey.objects.filter(retired_at__isnull=True).first()
    return key or platform_key_rotate(school_id=school_id)


def platform_jwks(*, school_id: int) -> dict:
    with school_scope(school_id):
        return {
            "keys": list(
                PlatformKey.objects.filter(retired_at__isnull=True).values_list("public_jwk", flat=True)
            )
        }


def sign(*, school_id: int, claims: dict) -> str:
    key = platform_key_current(school_id=school_id)
    pem = keys.private_pem(key.private_key_encrypted)
    if pem is None:  # SECRET_KEY changed since the key was made: a new key signs from now on
        key = platform_key_rotate(school_id=school_id)
        pem = keys.private_pem(key.private_key_encrypted)
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": key.kid, "typ": "JWT"})


# --- access tokens (AGS) ----------------------------------------------------------------------------------


def access_token_issue(*, tool: ToolRegistration, scopes: list[str], lifetime: int | None = None) -> str:
    now = int(time.time())
    lifetime = ACCESS_TOKEN_SECONDS if lifetime is None else lifetime
    claims = {
        "iss": ACCESS_AUDIENCE,
        "aud": ACCESS_AUDIENCE,
        "sub": tool.client_id,
        "tool": str(tool.public_id),
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return sign(school_id=tool.school_id, claims=claims)


def access_token_check(*, tool: ToolRegistration, authorization: str, scope: str) -> dict:
    """The claims of a bearer token PLP issued to this tool for ``scope``, or PlatformRefused (401: no,
    expired, forged or another tool's token; 403: a token without the scope)."""
    token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else ""
    if not token:
        raise PlatformRefused(401, "invalid_token", "no bearer token")
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as error:
        raise PlatformRefused(401, "invalid_token", "not a token") from error
    with school_scope(tool.school_id):
        key = PlatformKey.objects.filter(kid=str(kid or ""), retired_at__isnull=True).first()
    if key is None:
        raise PlatformRefused(401, "invalid_token", "not signed by this school")
    try:
        claims = jwt.decode(
            token,
            jwt.PyJWK(key.public_jwk).key,
            algorithms=["RS256"],
            audience=ACCESS_AUDIENCE,
            issuer=ACCESS_AUDIENCE,
            options={"require": ["exp", "iat", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise PlatformRefused(401, "invalid_token", "the token has expired") from error
    except jwt.InvalidTokenError as error:
        raise PlatformRefused(401, "invalid_token", str(error)[:160]) from error
    if claims.get("tool") != str(tool.public_id) or claims.get("sub") != tool.client_id:
        raise PlatformRefused(401, "invalid_token", "the token is another tool's")
    if scope not in str(claims.get("scope", "")).split():
        raise PlatformRefused(403, "insufficient_scope", f"the token does not carry {scope}")
    return claims


# --- the tool's client assertion ------------------------------------------------------------------------


def _tool_jwks(url: str, *, fresh: bool = False) -> dict:
    key = "plp-ltip-jwks:" + url
    jwks = None if fresh else cache.get(key)
    if jwks is None:
        try:  # the address an admin typed: through the screened session (plp/outbound.py), size-bounded
            response = outbound.session().get(url, timeout=5, stream=True)
            response.raise_for_status()
            jwks = json.loads(outbound.read_limited(response, max_bytes=JWKS_MAX_BYTES, what="key set"))
        except (requests.RequestException, ValueError) as error:
            raise PlatformRefused(401, "invalid_client", "the tool's key set could not be read") from error
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
            raise PlatformRefused(401, "invalid_client", "the tool's key set is not a JWKS")
        cache.set(key, jwks, JWKS_CACHE_SECONDS)
    return jwks


def _tool_key(tool: ToolRegistration, kid: str):
    for fresh in (False, True):
        for jwk in _tool_jwks(tool.key_set_url, fresh=fresh)["keys"]:
            if isinstance(jwk, dict) and jwk.get("kid") == kid:
                try:
                    return jwt.PyJWK(jwk).key
                except jwt.PyJWKError as error:
                    raise PlatformRefused(401, "invalid_client", "the tool's key is unusable") from error
    raise PlatformRefused(401, "invalid_client", "the assertion's key is not in the tool's key set")


def client_assertion_check(*, tool: ToolRegistration, assertion: str, token_url: str) -> dict:
    """The tool's signed JWT (LTI Security Framework §4.1): signed by a key of its key set, issued by and
    about its client id, for PLP's token URL, not expired, used once (``jti``)."""
    try:
        kid = jwt.get_unverified_header(assertion).get("kid")
    except jwt.InvalidTokenError as error:
        raise PlatformRefused(400, "invalid_request", "client_assertion is not a JWT") from error
    key = _tool_key(tool, str(kid or ""))
    try:
        claims = jwt.decode(
            assertion,
            key,
            algorithms=["RS256", "RS384", "RS512"],
            audience=token_url,
            issuer=tool.client_id,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "sub", "aud", "jti"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise PlatformRefused(401, "invalid_client", "the assertion has expired") from error
    except jwt.InvalidAudienceError as error:
        raise PlatformRefused(401, "invalid_client", "the assertion is for another audience") from error
    except jwt.InvalidSignatureError as error:
        raise PlatformRefused(401, "invalid_client", "the assertion's signature does not check") from error
    except jwt.InvalidTokenError as error:
        raise PlatformRefused(401, "invalid_client", str(error)[:160]) from error
    if claims["sub"] != tool.client_id:
        raise PlatformRefused(401, "invalid_client", "the assertion is about another client")
    remaining = max(int(claims["exp"]) - int(time.time()), 0) + LEEWAY_SECONDS
    if not cache.add(f"plp-ltip-jti:{tool.public_id}:{claims['jti']}"[:240], 1, remaining):
        raise PlatformRefused(401, "invalid_client", "the assertion was already used")
    return claims


__all__ = ["GRANTED_SCOPES", "PlatformRefused"]
