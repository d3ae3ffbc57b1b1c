"""LTI Dynamic Registration 1.0: an LMS admin opens PLP's initiation URL with the platform's
``openid_configuration`` address and a one-time ``registration_token``; a PLP admin of the school, signed in,
chooses the school; PLP reads the platform's OpenID configuration, checks that its issuer is the origin of
that address, posts PLP's tool configuration (OpenID Connect client registration with the LTI tool
configuration claim) to the platform's registration endpoint, and stores the registration the platform
answers (client id, deployment id) for that school, with its first signing key.

Nothing is stored unless the platform accepted the registration; every refusal is a sentence for the admin.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.db import transaction

from lti.models import LtiRegistration
from lti.nrps import SCOPE as NRPS_SCOPE
from lti.services import registration_save
from plp import outbound
from plp.tenancy.context import school_scope

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
AGS_SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
)
TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 256 * 1024
NEEDED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")


class RegistrationRefused(Exception):
    """Dynamic registration stopped; the message says why, for the admin."""


@dataclass(frozen=True)
class ToolUrls:
    login: str
    launch: str
    jwks: str


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_web_address(value) -> bool:
    if not isinstance(value, str) or len(value) > 500:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def _exchange(method: str, url: str, *, what: str, **kwargs) -> tuple[requests.Response, bytes]:
    """One request to the LMS through the screened session (``plp/outbound.py``: no internal addresses,
    redirects and DNS rebinding included), its answer read up to ``MAX_ANSWER_BYTES``."""
    try:
        with outbound.session().request(
            method, url, timeout=TIMEOUT_SECONDS, stream=True, **kwargs
        ) as response:
            body = outbound.read_limited(response, max_bytes=MAX_ANSWER_BYTES, what=f"LMS's {what}")
    except outbound.OutboundRefused as error:
        raise RegistrationRefused(str(error)) from error
    except requests.RequestException as error:
        raise RegistrationRefused(f"PLP could not reach the LMS ({type(error).__name__}).") from error
    return response, body


def _json(body: bytes, what: str) -> dict:
    try:
        data = json.loads(body)
    except ValueError as error:
        raise RegistrationRefused(f"The LMS's {what} is not JSON.") from error
    if not isinstance(data, dict):
        raise RegistrationRefused(f"The LMS's {what} is not a JSON object.")
    return data


def platform_configuration(*, configuration_url: str, registration_token: str) -> dict:
    """The platform's OpenID configuration, checked: its issuer is the origin of the address it was read
    from, and it names the endpoints PLP needs."""
    if not is_web_address(configuration_url):
        raise RegistrationRefused("The LMS did not give the address of its OpenID configuration.")
    headers = {"Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    response, body = _exchange("GET", configuration_url, headers=headers, what="OpenID configuration")
    if not response.ok:
        raise RegistrationRefused(
            f"The LMS did not give its OpenID configuration (HTTP {response.status_code})."
        )
    config = _json(body, "OpenID configuration")
    missing = [name for name in NEEDED if not is_web_address(config.get(name))]
    if missing:
        raise RegistrationRefused(f"The LMS's OpenID configuration lacks {', '.join(missing)}.")
    issuer = config["issuer"].rstrip("/")
    if origin(issuer) != origin(configuration_url) or not configuration_url.startswith(issuer):
        raise RegistrationRefused(
            f"The LMS says its issuer is {config['issuer'][:200]}, but its configuration came from "
            f"{origin(configuration_url)}: PLP registers only with the LMS the configuration is from."
        )
    return config


def tool_configuration(*, urls: ToolUrls, platform: dict, client_name: str) -> dict:
    """PLP's client registration: OpenID Connect client metadata and the LTI tool configuration claim
    (launch and login addresses, key set, AGS and NRPS scopes, the deep-linking message)."""
    supported = platform.get("scopes_supported")
    scopes = [*AGS_SCOPES, NRPS_SCOPE]
    if isinstance(supported, list) and supported:
        scopes = [scope for scope in scopes if scope in supported]
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login,
        "redirect_uris": [urls.launch],
        "client_name": client_name,
        "jwks_uri": urls.jwks,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(scopes),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(urls.launch).netloc,
            "description": "PLP: personalized learning playlists, mastery checks and mastery grades.",
            "target_link_uri": urls.launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {
                    "type": "LtiDeepLinkingRequest",
                    "target_link_uri": urls.launch,
                    "label": "PLP playlist or competency check",
                }
            ],
        },
    }


def _registered(*, endpoint: str, registration_token: str, payload: dict) -> dict:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    response, body = _exchange("POST", endpoint, json=payload, headers=headers, what="registration answer")
    if not response.ok:
        try:
            answer = json.loads(body)
            detail = answer.get("error_description") or answer.get("error") or ""
        except (ValueError, AttributeError):
            detail = ""
        said = f": {str(detail)[:200]}" if detail else ""
        raise RegistrationRefused(f"The LMS refused PLP's registration (HTTP {response.status_code}){said}.")
    answer = _json(body, "registration answer")
    client_id = answer.get("client_id")
    if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > 300:
        raise RegistrationRefused("The LMS accepted the registration but gave no client id.")
    return answer


def _free_name(*, school, wanted: str) -> str:
    names = set(LtiRegistration.objects.values_list("name", flat=True))
    wanted = wanted[:70]
    if wanted not in names:
        return wanted
    number = 2
    while f"{wanted} {number}" in names:
        number += 1
    return f"{wanted} {number}"


def registration_dynamic(
    *,
    school,
    configuration_url: str,
    registration_token: str,
    name: str,
    tool_urls: Callable[[uuid.UUID], ToolUrls],
    client_name: str = "PLP",
) -> LtiRegistration:
    """Register PLP with the LMS and store the registration for ``school``, or RegistrationRefused.
    ``tool_urls`` gives PLP's addresses for the registration's public id (made here, before saving: the
    LMS is told them first)."""
    platform = platform_configuration(
        configuration_url=configuration_url, registration_token=registration_token
    )
    public_id = uuid.uuid4()
    payload = tool_configuration(urls=tool_urls(public_id), platform=platform, client_name=client_name)
    answer = _registered(
        endpoint=platform["registration_endpoint"], registration_token=registration_token, payload=payload
    )
    tool = answer.get(TOOL_CONFIGURATION) if isinstance(answer.get(TOOL_CONFIGURATION), dict) else {}
    deployment = tool.get("deployment_id")
    deployments = [deployment[:255]] if isinstance(deployment, str) and deployment.strip() else []
    family = (platform.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") if isinstance(
        platform.get(PLATFORM_CONFIGURATION), dict) else None  # fmt: skip
    audience = platform.get("authorization_server")
    with school_scope(school), transaction.atomic():
        registration = LtiRegistration(
            school=school,
            public_id=public_id,
            name=_free_name(school=school, wanted=name or str(family or urlsplit(platform["issuer"]).netloc)),
            issuer=platform["issuer"],
            client_id=answer["client_id"].strip(),
            auth_login_url=platform["authorization_endpoint"],
            auth_token_url=platform["token_endpoint"],
            key_set_url=platform["jwks_uri"],
            auth_audience=audience if isinstance(audience, str) and len(audience) <= 500 else "",
        )
        return registration_save(registration=registration, deployment_ids=deployments)
