"""Single sign-on, configured by a school's (or its district's) admins in the app, per school.

A school has identity providers (OpenID Connect or SAML 2.0) and one policy: which roster value links a
signed-in identity to a person, which email domains it takes, whether an unknown identity may get an
account, and which roles must sign in through a provider rather than with a password.
"""

import uuid

from django.db import models
from django.db.models import Q

from plp.tenancy.models import SchoolOwnedModel
from sso import policy
from sso.presets import OIDC, PRESETS, SAML


class SsoProvider(SchoolOwnedModel):
    """One identity provider a school's people sign in with (a button on the school's sign-in page).

    ``public_id`` names it in the public sign-in URLs (the callback, the SAML metadata and ACS), so those
    addresses reveal no database ids and cannot be walked."""

    class Kind(models.TextChoices):
        OIDC = OIDC, "OpenID Connect"
        SAML = SAML, "SAML 2.0"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    preset = models.CharField(max_length=20, choices=[(p.key, p.label) for p in PRESETS.values()])
    name = models.CharField(max_length=80, help_text="The button says “Sign in with <name>”.")
    is_enabled = models.BooleanField(default=True)
    district_wide = models.BooleanField(
        default=False,
        help_text="Also offered on the sign-in page of every school of this school's district (each school "
        "links people by its own rules). Only a district admin turns this on.",
    )
    # OpenID Connect
    issuer = models.URLField(max_length=300, blank=True, default="")
    client_id = models.CharField(max_length=300, blank=True, default="")
    client_secret_encrypted = models.TextField(blank=True, default="")
    scopes = models.CharField(max_length=300, blank=True, default="openid email profile")
    oidc_metadata = models.JSONField(
        default=dict, blank=True, help_text="The provider's discovery document, read when saved."
    )
    # SAML 2.0
    idp_metadata_url = models.URLField(max_length=500, blank=True, default="")
    idp_metadata_xml = models.TextField(blank=True, default="")
    idp_entity_id = models.CharField(max_length=500, blank=True, default="")
    # Which claim (OIDC) or attribute (SAML) carries what.
    email_claim = models.CharField(max_length=200, blank=True, default="email")
    username_claim = models.CharField(max_length=200, blank=True, default="preferred_username")
    sourced_id_claim = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_sso_provider_name_per_school"),
            models.CheckConstraint(condition=Q(kind__in=[OIDC, SAML]), name="sso_provider_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret_encrypted)


class SsoPolicy(SchoolOwnedModel):
    """How a school takes a signed-in identity. One per school (created with the first visit)."""

    class MatchBy(models.TextChoices):
        SOURCED_ID = policy.MATCH_SOURCED_ID, "Roster sourcedId"
        EMAIL = policy.MATCH_EMAIL, "Email address"
        USERNAME = policy.MATCH_USERNAME, "Roster username"

    match_by = models.CharField(max_length=20, choices=MatchBy.choices, default=MatchBy.EMAIL)
    allowed_domains = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="Email domains the school takes, e.g. cedar.k12.us (empty: any).",
    )
    create_accounts = models.BooleanField(
        default=False,
        help_text="An identity that matches nobody gets a new student account (with its email) instead "
        "of being refused.",
    )
    required_roles = models.JSONField(
        default=list, blank=True, help_text="Roles that must sign in with single sign-on, not a password."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], name="unique_sso_policy_per_school")]

    def __str__(self) -> str:
        return f"SSO policy of school {self.school_id}"

    @property
    def domains(self) -> list[str]:
        return policy.parse_domains(self.allowed_domains)


class SamlRequest(SchoolOwnedModel):
    """An AuthnRequest we sent. The ACS accepts a response only ``InResponseTo`` one of these (no
    unsolicited responses), within its lifetime, and once (``used_at``; a second answer is a replay).

    Kept in the database, not the session: the IdP's answer comes back as a cross-site POST, which
    carries no SameSite=Lax session cookie."""

    provider = models.ForeignKey(SsoProvider, on_delete=models.CASCADE, related_name="+")
    sign_in_school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The school the person is signing into (another school of the district when the "
        "provider is district-wide).",
    )
    request_id = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True, help_text="When its answer signed someone in.")

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="saml_request_created")]


class SamlAssertionSeen(SchoolOwnedModel):
    """An assertion already used to sign someone in: the same one posted again is a replay."""

    provider = models.ForeignKey(SsoProvider, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "provider", "assertion_id"], name="unique_saml_assertion"
            )
        ]
