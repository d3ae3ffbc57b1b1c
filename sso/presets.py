"""The identity providers schools use, as presets an admin starts from (pure: no Django).

Each OpenID Connect preset names the provider's real issuer (its discovery document lives at
``<issuer>/.well-known/openid-configuration``), the scopes to ask for and which claims carry the person's
email and username. Microsoft Entra ID's issuer is per directory: the admin types their tenant id into it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    kind: str  # "oidc" or "saml"
    issuer: str = ""
    scopes: str = "openid email profile"
    email_claim: str = "email"
    username_claim: str = "preferred_username"
    sourced_id_claim: str = ""
    help: str = ""


OIDC, SAML = "oidc", "saml"

PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            key="google",
            label="Google Workspace",
            kind=OIDC,
            issuer="https://accounts.google.com",
            username_claim="email",
            help="Google Cloud console → APIs & Services → Credentials → OAuth client ID (Web application).",
        ),
        Preset(
            key="entra",
            label="Microsoft Entra ID",
            kind=OIDC,
            issuer="https://login.microsoftonline.com/<tenant-id>/v2.0",
            help="Entra admin center → App registrations → New registration (Web); replace <tenant-id> "
            "in the issuer with your directory (tenant) id.",
        ),
        Preset(
            key="clever",
            label="Clever",
            kind=OIDC,
            issuer="https://clever.com",
            username_claim="email",
            help="Clever app dashboard → your app → OAuth settings (ask Clever to enable OIDC for it).",
        ),
        Preset(
            key="classlink",
            label="ClassLink",
            kind=OIDC,
            issuer="https://launchpad.classlink.com",
            username_claim="LoginId",
            sourced_id_claim="SourcedId",
            help="ClassLink developer portal → your app → OpenID Connect settings.",
        ),
        Preset(key="oidc", label="Other OpenID Connect provider", kind=OIDC),
        Preset(
            key="saml",
            label="SAML 2.0 identity provider",
            kind=SAML,
            scopes="",
            email_claim="urn:oid:0.9.2342.19200300.100.1.3",
            username_claim="urn:oid:0.9.2342.19200300.100.1.1",
            help="ADFS, Shibboleth, Okta, Entra ID (SAML), Google (SAML app), ClassLink or Clever SAML.",
        ),
    )
}


def discovery_url(issuer: str) -> str:
    """OpenID Connect Discovery 1.0, section 4: the document sits under the issuer's own path."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"
