"""PLP as an LTI 1.3 tool, on pylti1p3: the library does the OIDC login redirect, the id_token's
signature against the LMS's JWKS and the LTI message checks; this module feeds it a school's registration
and tightens what it leaves loose.

pylti1p3 keeps the nonce and state in a "launch data storage". Ours is Django's cache (Redis in
production), without pylti1p3's session cookie: the launch is a cross-site POST that carries no SameSite=Lax
cookie, and the keys are random. What we add to the library:

* the nonce is single-use: taken out of the cache atomically (``delete`` answers whether it was there),
  after the signature is checked, so a replayed id_token is refused even in the browser it came from;
* the audience must be the registration's client id (PyJWT checks ``aud``; the library turns that off),
  ``azp`` too when there are several audiences, and ``exp`` and ``iat`` must be present;
* the deployment must be one of this registration's (the school's), found in the database;
* every failure is a reason a person can act on (refusals.py), not the library's message.
"""

import jwt
from django.core.cache import cache
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.launch_data_storage.cache import CacheDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from lti import keys
from lti.models import LtiRegistration, LtiToolKey
from lti.refusals import LtiRefused
from plp import outbound
from plp.tenancy.context import school_scope

LEEWAY_SECONDS = 60  # clocks of the LMS and PLP may differ a little
LAUNCH_DATA_SECONDS = 2 * 3600  # a deep-linking teacher has this long to choose what to place


class CacheStorage(CacheDataStorage):
    """pylti1p3's cache storage on Django's cache, whose nonce check takes the nonce (single use)."""

    _cache = cache

    def get_session_cookie_name(self):
        return None  # random keys only: no cookie that a cross-site POST would not carry

    def check_value(self, key: str) -> bool:
        return bool(self._get_cache().delete(self._prepare_key(key)))


class SchoolToolConf(ToolConfAbstract):
    """pylti1p3's view of one registration (the one named by the URL): nothing else can match."""

    def __init__(self, registration: LtiRegistration):
        super().__init__()
        self.registration = registration
        with school_scope(registration.school_id):
            self.deployment_ids = set(registration.deployments.values_list("deployment_id", flat=True))
            self.signing_key = (
                LtiToolKey.objects.filter(registration=registration, retired_at__isnull=True)
                .order_by("-created_at", "-pk")
                .first()
            )

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _pylti_registration(self) -> Registration:
        reg = self.registration
        registration = (
            Registration()
            .set_issuer(reg.issuer)
            .set_client_id(reg.client_id)
            .set_key_set_url(reg.key_set_url)
            .set_auth_login_url(reg.auth_login_url)
            .set_auth_token_url(reg.auth_token_url)
        )
        if reg.auth_audience:
            registration.set_auth_audience(reg.auth_audience)
        if self.signing_key is not None:
            pem = keys.private_pem(self.signing_key.private_key_encrypted)
            if pem:
                registration.set_tool_private_key(pem)
                registration.set_tool_public_key(_public_pem(self.signing_key.public_jwk))
        return registration

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return None

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        # A login initiation may leave client_id out (the URL names the registration); a launch's is aud.
        if iss != self.registration.issuer or client_id not in (None, "", self.registration.client_id):
            return None
        return self._pylti_registration()

    def find_deployment(self, iss, deployment_id):
        return None

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        if (
            iss == self.registration.issuer
            and client_id == self.registration.client_id
            and deployment_id in self.deployment_ids
        ):
            return Deployment().set_deployment_id(deployment_id)
        return None


def _public_pem(jwk: dict) -> str:
    from jwcrypto.jwk import JWK

    return JWK(**jwk).export_to_pem().decode()


def login_redirect(*, request, registration: LtiRegistration, launch_url: str):
    """The OIDC third-party-initiated login: a redirect to the LMS's authorization URL with a fresh state
    (also in a short cookie of this browser) and nonce."""
    conf = SchoolToolConf(registration)
    login = DjangoOIDCLogin(request, conf).set_launch_data_storage(CacheStorage())
    try:
        return login.set_launch_data_lifetime(LAUNCH_DATA_SECONDS).redirect(launch_url)
    except (LtiException, OIDCException) as error:
        raise LtiRefused("invalid", {"detail": _short(error)}) from error


class SchoolMessageLaunch(DjangoMessageLaunch):
    """A launch checked step by step, each failure a refusal with its reason (order: see module doc)."""

    def validate(self):
        if self._restored:
            raise LtiRefused("invalid", {"detail": "a stored launch cannot be validated again"})
        self._validated = True
        try:
            self._step("state", self.validate_state)
            self._step("invalid", self.validate_jwt_format)
            self._step("invalid", self.validate_registration, detail="wrong issuer or audience")
            self.validate_jwt_signature()
            self._step("deployment", self.validate_deployment, detail=self._deployment_named())
            self._step("replayed", self.validate_nonce, detail="")
            self._step("invalid", self.validate_message)
            self.save_launch_data()
        except Exception:
            self._validated = False
            raise
        return self

    def _deployment_named(self) -> str:
        return str(self._jwt.get("body", {}).get(DEPLOYMENT_CLAIM, ""))[:80]

    @staticmethod
    def _step(reason: str, check, detail: str | None = None):
        try:
            check()
        except LtiException as error:
            raise LtiRefused(reason, {"detail": _short(error) if detail is None else detail}) from error

    def validate_jwt_signature(self):
        """The signature against the LMS's JWKS, and the claims the library does not check."""
        try:
            public_key, alg = self.get_public_key()
        except LtiException as error:
            raise LtiRefused("invalid", {"detail": _short(error)}) from error
        client_id = self._registration.get_client_id()
        try:
            claims = jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=[alg],
                audience=client_id,
                issuer=self._registration.get_issuer(),
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss", "nonce"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise LtiRefused("expired", {"detail": "exp"}) from error
        except jwt.InvalidTokenError as error:
            raise LtiRefused("invalid", {"detail": _short(error)}) from error
        aud = claims["aud"]
        if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client_id:
            raise LtiRefused("invalid", {"detail": "azp is not PLP's client id"})
        return self


DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"


def _short(error: Exception) -> str:
    return str(error)[:160]


def launch_validate(*, request, registration: LtiRegistration) -> SchoolMessageLaunch:
    """The validated launch of this POST, or LtiRefused."""
    launch = SchoolMessageLaunch(
        request,
        SchoolToolConf(registration),
        launch_data_storage=CacheStorage(),
        requests_session=outbound.session(),  # the LMS's key set: screened (plp/outbound.py)
    )
    launch.set_launch_data_lifetime(LAUNCH_DATA_SECONDS)
    launch.set_public_key_caching(CacheStorage(), cache_lifetime=300)
    return launch.validate()
