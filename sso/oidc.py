"""The OpenID Connect relying party, on Authlib's Django client.

Why Authlib: each school brings its own providers, configured in the database, so the client must be built
per request from a row. Authlib's ``OAuth().register(...)`` takes a provider's settings as plain arguments
(mozilla-django-oidc reads one provider from settings; django-allauth keeps its own SocialApp tables and
flows). On that client Authlib does the protocol: the authorization code flow with PKCE (S256), ``state``
kept in the session and dropped once used, a ``nonce`` per sign-in checked in the ID token, and the ID
token's signature verified against the provider's JWKS (fetched again when the key id is unknown, so key
rotation works), with ``iss``, ``aud``, ``exp`` and ``iat`` checked.

What we add: the discovery document is read when the admin saves the provider (its ``issuer`` must equal
the configured one, OpenID Connect Discovery §4.3) and kept on the row; a sign-in without an ID token is
refused (Authlib would otherwise return the bare token).
"""

import json

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from authlib.integrations.requests_client import OAuth2Session
from joserfc.errors import JoseError

from plp import outbound
from sso import policy
from sso.crypto import secret_decrypt
from sso.models import SsoProvider
from sso.presets import discovery_url
from sso.refusals import SsoRefused

HTTP_TIMEOUT = 10  # seconds for the discovery, token and JWKS requests
MAX_DOCUMENT_BYTES = 512 * 1024  # a discovery document is a few KB

# Metadata keys Authlib's client takes as arguments of its own, not as server metadata.
_CLIENT_ARGS = {"client_id", "client_secret", "client_kwargs", "server_metadata_url", "name"}


class _ScreenedOAuth2Session(OAuth2Session):
    """Authlib's session (token request, key set) with every connection screened (plp/outbound.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adapter = outbound.ScreeningAdapter()
        self.mount("http://", adapter)
        self.mount("https://", adapter)


class _ScreenedApp(DjangoOAuth2App):
    client_cls = _ScreenedOAuth2Session


class _ScreenedOAuth(OAuth):
    oauth2_client_cls = _ScreenedApp


class DiscoveryError(Exception):
    """The issuer's discovery document could not be read or does not describe that issuer."""


def fetch_failure(error: Exception) -> str:
    """Why a provider's address could not be read, in words an admin can act on (not the HTTP library's
    traceback text)."""
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"it answered HTTP {error.response.status_code}; check the address."
    if isinstance(error, requests.exceptions.SSLError):
        return "its HTTPS certificate could not be verified."
    if isinstance(error, requests.Timeout):
        return f"no answer within {HTTP_TIMEOUT} seconds."
    if isinstance(error, requests.ConnectionError):
        return "the server could not be reached (check the address, and that this server may reach it)."
    if isinstance(error, ValueError):
        return "the answer is not a JSON document."
    return "the address could not be read."


def oidc_discover(*, issuer: str) -> dict:
    """The issuer's discovery document, checked: same issuer, the endpoints a code flow needs, S256."""
    try:
        with outbound.session().get(discovery_url(issuer), timeout=HTTP_TIMEOUT, stream=True) as response:
            response.raise_for_status()
            body = outbound.read_limited(response, max_bytes=MAX_DOCUMENT_BYTES, what="discovery document")
        metadata = json.loads(body)
    except outbound.OutboundRefused as error:
        raise DiscoveryError(str(error)) from None
    except (requests.RequestException, ValueError) as error:
        raise DiscoveryError(f"Could not read {discovery_url(issuer)}: {fetch_failure(error)}") from None
    return discovery_checked(metadata, issuer=issuer)


def discovery_checked(metadata, *, issuer: str) -> dict:
    """A discovery document read for ``issuer``, checked (see :func:`oidc_discover`)."""
    if not isinstance(metadata, dict) or metadata.get("issuer") != issuer:
        named = metadata.get("issuer") if isinstance(metadata, dict) else None
        raise DiscoveryError(
            f"The discovery document names another issuer ({named!r}); "
            "type the issuer exactly as the provider gives it."
        )
    missing = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not metadata.get(k)]
    if missing:
        raise DiscoveryError(f"The discovery document lacks {', '.join(missing)}.")
    # The server fetches these itself (Authlib's token request, the key set, user info): screened here, when
    # the admin saves (the discovery request above is screened at connection time).
    for key in ("token_endpoint", "jwks_uri", "userinfo_endpoint"):
        if isinstance(metadata.get(key), str):
            try:
                outbound.screen_url(metadata[key])
            except outbound.Unresolvable:
                pass
            except outbound.OutboundRefused as error:
                raise DiscoveryError(f"The discovery document's {key}: {error}") from None
    methods = metadata.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        raise DiscoveryError("The provider does not support PKCE with S256.")
    return {key: value for key, value in metadata.items() if key not in _CLIENT_ARGS}


def _client(provider: SsoProvider):
    secret = secret_decrypt(provider.client_secret_encrypted)
    if secret is None or not provider.oidc_metadata:
        raise SsoRefused(
            "misconfigured", {"school": provider.school.name, "detail": "client secret or discovery"}
        )
    methods = provider.oidc_metadata.get("token_endpoint_auth_methods_supported") or []
    auth_method = "client_secret_post" if methods == ["client_secret_post"] else "client_secret_basic"
    return _ScreenedOAuth().register(
        name=f"sso-{provider.public_id}",
        client_id=provider.client_id,
        client_secret=secret,
        client_kwargs={
            "scope": provider.scopes,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": auth_method,
            "timeout": HTTP_TIMEOUT,
        },
        **provider.oidc_metadata,
    )


def oidc_start(*, request, provider: SsoProvider, redirect_uri: str):
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE verifier go into the
    session)."""
    try:
        return _client(provider).authorize_redirect(request, redirect_uri)
    except (RuntimeError, KeyError, ValueError, requests.RequestException):  # a discovery without endpoints
        raise SsoRefused(
            "misconfigured", {"school": provider.school.name, "detail": "the provider's endpoints"}
        ) from None


def oidc_finish(*, request, provider: SsoProvider, school) -> policy.Identity:
    """The identity in the verified ID token of this callback, or SsoRefused (naming ``school``, the one
    being signed into)."""
    school = {"school": school.name}
    try:
        token = _client(provider).authorize_access_token(request)
    except MismatchingStateError:
        raise SsoRefused("state", school) from None
    except OAuthError as error:
        raise SsoRefused("provider_error", {**school, "detail": error.description or error.error}) from None
    except JoseError:  # bad signature, wrong issuer or audience, expired, nonce mismatch
        raise SsoRefused("invalid", school) from None
    except (requests.RequestException, ValueError, KeyError, RuntimeError):  # unreachable, or not JSON
        raise SsoRefused(
            "provider_error", {**school, "detail": "the provider could not be reached"}
        ) from None
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise SsoRefused("invalid", school)
    return policy.identity_from_claims(
        dict(claims),
        subject=str(claims["sub"]),
        email_claim=provider.email_claim,
        username_claim=provider.username_claim,
        sourced_id_claim=provider.sourced_id_claim,
        issuer=provider.issuer,
    )
