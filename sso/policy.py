"""Who a signed-in identity is, and whether a school takes it (pure: no Django).

An identity provider says who someone is in claims (OpenID Connect) or attributes (SAML); the school's
mapping says which claim is the email, the username and the roster's sourcedId, and the school's rule
says which of them links the identity to a person of the school.
"""

from dataclasses import dataclass

MATCH_SOURCED_ID, MATCH_EMAIL, MATCH_USERNAME = "sourced_id", "email", "username"

# Google lets anyone make a Google account on an address they own, a school's domain included; only the
# ``hd`` (hosted domain) claim says the account belongs to that domain's Google Workspace. Google's own
# guidance: check ``hd`` as well as the email when restricting sign-in to a domain's members.
GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass(frozen=True)
class Identity:
    """What the provider said: its subject and the three values a school may match on."""

    subject: str
    email: str = ""
    username: str = ""
    sourced_id: str = ""
    given_name: str = ""
    family_name: str = ""

    def key(self, match_by: str) -> str:
        return {MATCH_SOURCED_ID: self.sourced_id, MATCH_EMAIL: self.email, MATCH_USERNAME: self.username}[
            match_by
        ]


def _first(value) -> str:
    """SAML attributes are lists and claims may be; the first value, as a trimmed string."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return "" if value is None else str(value).strip()


def identity_from_claims(
    claims: dict,
    *,
    subject: str,
    email_claim: str,
    username_claim: str,
    sourced_id_claim: str,
    issuer: str = "",
) -> Identity:
    """The identity in ``claims`` under the provider's mapping. An email counts only when the provider
    does not say it is unverified (``email_verified: false``): an unverified address proves nothing. From
    Google, it counts only when the account is of that address's Workspace (``hd`` names its domain): a
    personal Google account made on a school address is not the school's account."""
    email = _first(claims.get(email_claim)) if email_claim else ""
    if claims.get("email_verified") is False and email_claim == "email":
        email = ""
    google = issuer.rstrip("/") == GOOGLE_ISSUER
    if google and email and _first(claims.get("hd")).lower() != email.rpartition("@")[2].lower():
        email = ""
    return Identity(
        subject=subject,
        email=email.lower(),
        username=(_first(claims.get(username_claim)) if username_claim else "").lower(),
        sourced_id=_first(claims.get(sourced_id_claim)) if sourced_id_claim else "",
        given_name=_first(claims.get("given_name") or claims.get("givenName")),
        family_name=_first(claims.get("family_name") or claims.get("sn")),
    )


def parse_domains(text: str) -> list[str]:
    """``"cedar.k12.us, @students.cedar.k12.us"`` → ``["cedar.k12.us", "students.cedar.k12.us"]``."""
    parts = text.replace(",", " ").replace(";", " ").split()
    return sorted({part.strip().lstrip("@").lower() for part in parts if part.strip().lstrip("@")})


def domain_allowed(*, email: str, domains: list[str]) -> bool:
    """No list: every domain. Otherwise the email's domain must be one of them exactly (a subdomain is a
    different organization's namespace, so ``evil.cedar.k12.us`` is not ``cedar.k12.us``)."""
    if not domains:
        return True
    _, at, domain = email.rpartition("@")
    return bool(at) and domain.lower() in domains
