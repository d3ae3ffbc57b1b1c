"""The SAML 2.0 service provider, on pysaml2, with a configuration built per provider at request time.

Why pysaml2 directly and not djangosaml2: djangosaml2 reads one SP configuration from settings, while each
school brings its own identity provider from the database. Each provider is its own SP: its entity id is
its metadata URL, its AssertionConsumerService its ACS URL (both under ``/sso/saml/<public id>/``).

What is checked on an answer (pysaml2 with ``xmlsec1``): the assertion's signature against the IdP's
signing certificate from its metadata (signed assertions are required; a signed response around an
unsigned assertion is not enough), the audience (this SP), the destination, the validity window, and
``InResponseTo`` one of our own outstanding requests (unsolicited answers are refused). Then ours: the
request is used up (deleted) and the assertion's id is recorded, so the same assertion posted again is a
replay and refused.
"""

import datetime as dt
import logging
import shutil

import requests
from django.urls import reverse
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string

from plp import outbound
from plp.tenancy.context import school_scope
from sso import policy
from sso.models import SamlAssertionSeen, SamlRequest, SsoProvider
from sso.oidc import fetch_failure
from sso.refusals import SsoRefused
from sso.services import saml_assertion_use

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 10
MAX_METADATA_BYTES = 5 * 1024 * 1024  # one IdP's metadata is a few KB; a federation's is not what we read
REQUEST_LIFETIME = dt.timedelta(minutes=15)  # how long an AuthnRequest waits for its answer


class MetadataError(Exception):
    """The IdP metadata cannot be read or does not describe a usable identity provider."""


def _xmlsec() -> str:
    binary = shutil.which("xmlsec1")
    if binary is None:  # pragma: no cover - .ci/run and the Dockerfile install it
        raise RuntimeError("SAML needs the xmlsec1 program (apt-get install xmlsec1).")
    return binary


def sp_urls(*, provider: SsoProvider, base_url: str) -> tuple[str, str]:
    """(entity id = metadata URL, ACS URL) of the SP this provider is."""
    metadata = base_url + reverse("sso:saml_metadata", kwargs={"provider": provider.public_id})
    acs = base_url + reverse("sso:saml_acs", kwargs={"provider": provider.public_id})
    return metadata, acs


def _config(*, provider: SsoProvider, base_url: str, idp_metadata_xml: str | None = None) -> SPConfig:
    entity_id, acs = sp_urls(provider=provider, base_url=base_url)
    xml = provider.idp_metadata_xml if idp_metadata_xml is None else idp_metadata_xml
    config = SPConfig()
    config.load(
        {
            "entityid": entity_id,
            "xmlsec_binary": _xmlsec(),
            "allow_unknown_attributes": True,
            "accepted_time_diff": 60,
            "service": {
                "sp": {
                    "name": f"PLP · {provider.school.name}",
                    "endpoints": {"assertion_consumer_service": [(acs, BINDING_HTTP_POST)]},
                    "allow_unsolicited": False,
                    "authn_requests_signed": False,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                }
            },
            "metadata": {"inline": [xml]} if xml else {},
        }
    )
    return config


def idp_metadata_read(*, url: str = "", xml: str = "") -> tuple[str, str]:
    """(metadata XML, IdP entity id) from a metadata URL or pasted XML, checked: one identity provider
    with an HTTP-Redirect sign-on service and a signing certificate."""
    if url:
        try:
            with outbound.session().get(url, timeout=HTTP_TIMEOUT, stream=True) as response:
                response.raise_for_status()
                body = outbound.read_limited(response, max_bytes=MAX_METADATA_BYTES, what="metadata")
            xml = body.decode(response.encoding or "utf-8", errors="replace")
        except outbound.OutboundRefused as error:
            raise MetadataError(str(error)) from None
        except requests.RequestException as error:
            raise MetadataError(f"Could not read {url}: {fetch_failure(error)}") from None
    if not xml.strip():
        raise MetadataError("Give the identity provider's metadata URL or paste its metadata XML.")
    config = SPConfig()
    try:
        config.load({"entityid": "urn:plp:metadata-check", "xmlsec_binary": _xmlsec(),
                     "metadata": {"inline": [xml]}})  # fmt: skip
        idps = list(config.metadata.identity_providers())
    except Exception as error:  # pysaml2 raises many kinds on malformed XML
        raise MetadataError(f"That is not SAML metadata we can read ({type(error).__name__}).") from None
    if len(idps) != 1:
        raise MetadataError(f"The metadata must describe exactly one identity provider (it has {len(idps)}).")
    entity_id = idps[0]
    if not config.metadata.single_sign_on_service(entity_id, BINDING_HTTP_REDIRECT):
        raise MetadataError("The identity provider has no HTTP-Redirect single sign-on service.")
    if not config.metadata.certs(entity_id, "idpsso", use="signing"):
        raise MetadataError("The metadata has no signing certificate: assertions could not be checked.")
    return xml, entity_id


def sp_metadata(*, provider: SsoProvider, base_url: str) -> str:
    """This SP's metadata XML, for the IdP's admin to load."""
    return create_metadata_string(None, config=_config(provider=provider, base_url=base_url)).decode()


def saml_start(*, provider: SsoProvider, base_url: str, school) -> str:
    """The IdP URL (HTTP-Redirect binding) carrying a new AuthnRequest, which is remembered with the
    school being signed into."""
    try:
        client = Saml2Client(_config(provider=provider, base_url=base_url))
        request_id, info = client.prepare_for_authenticate(
            entityid=provider.idp_entity_id, binding=BINDING_HTTP_REDIRECT
        )
    except Exception:  # no or unusable IdP metadata: pysaml2 raises many kinds
        log.warning("SAML provider %s cannot start a sign-in", provider.pk, exc_info=True)
        raise SsoRefused(
            "misconfigured", {"school": provider.school.name, "detail": "the IdP metadata"}
        ) from None
    with school_scope(provider.school_id):
        SamlRequest.objects.filter(created_at__lt=timezone.now() - REQUEST_LIFETIME).delete()
        # Assertions are valid for minutes (pysaml2 refuses expired ones): a day of ids is plenty.
        SamlAssertionSeen.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        SamlRequest.objects.create(
            school_id=provider.school_id, provider=provider, sign_in_school=school, request_id=request_id
        )
    return dict(info["headers"])["Location"]


def _attributes(assertion) -> dict:
    """Every attribute under its name, its FriendlyName and pysaml2's usual name (``mail``, ``uid``)."""
    claims = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute:
            values = [value.text.strip() for value in attribute.attribute_value if value.text]
            for name in (attribute.name, attribute.friendly_name):
                if name:
                    claims[name] = values
    return claims


def saml_finish(
    *, provider: SsoProvider, base_url: str, saml_response: str
) -> tuple[policy.Identity, object]:
    """The identity in a verified, solicited, first-time assertion and the school its request was for,
    or SsoRefused."""
    school = {"school": provider.school.name}
    _, acs = sp_urls(provider=provider, base_url=base_url)
    with school_scope(provider.school_id):
        fresh = SamlRequest.objects.filter(
            provider=provider, created_at__gte=timezone.now() - REQUEST_LIFETIME
        ).values_list("request_id", flat=True)
        outstanding = {request_id: acs for request_id in fresh}
    client = Saml2Client(_config(provider=provider, base_url=base_url))
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as error:  # signature, audience, time, unsolicited, status: pysaml2 raises them all
        log.info("SAML response refused for provider %s: %s: %s", provider.pk, type(error).__name__, error)
        raise SsoRefused("invalid", school) from None
    if response is None or response.assertion is None or not response.assertion.id:
        raise SsoRefused("invalid", school)
    with school_scope(provider.school_id):
        answered = SamlRequest.objects.filter(provider=provider, request_id=response.in_response_to)
        first_answer = answered.filter(used_at__isnull=True).update(used_at=timezone.now())
        request = answered.select_related("sign_in_school").first()
    saml_assertion_use(provider=provider, assertion_id=response.assertion.id)
    if not first_answer:  # the request was already answered: this is a second answer to it
        raise SsoRefused("replayed", school)
    claims = _attributes(response.assertion)
    claims.update({key: value for key, value in response.ava.items() if key not in claims})
    identity = policy.identity_from_claims(
        claims,
        subject=response.name_id.text if response.name_id is not None else "",
        email_claim=provider.email_claim,
        username_claim=provider.username_claim,
        sourced_id_claim=provider.sourced_id_claim,
    )
    return identity, request.sign_in_school
