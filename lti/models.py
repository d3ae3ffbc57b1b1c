"""LTI 1.3: PLP as a tool that a school's LMS launches.

A school admin registers each LMS (its issuer, the client id the LMS gave PLP, its login, token and key-set
URLs, and the deployment ids of the school's installs). PLP signs its own requests (grade passback, deep
linking answers) with an RSA key of the registration, kept encrypted and never shown; its public half is in
the registration's public JWKS. A person launched from the LMS is linked to their PLP account once, by the
LMS's user id, so later launches do not depend on an email that may change.
"""

import uuid

from django.conf import settings
from django.db import models

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel


class LtiRegistration(SchoolOwnedModel):
    """One LMS that launches PLP for a school. ``public_id`` names it in the public LTI URLs (login,
    launch, JWKS), so they reveal no database id and cannot be walked."""

    class MatchBy(models.TextChoices):
        EMAIL = "email", "Email address"
        SOURCED_ID = "sourced_id", "Roster sourcedId (lis_person_sourcedid)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80, help_text="What the school calls this LMS, e.g. “Canvas”.")
    issuer = models.URLField(
        max_length=300, help_text="The LMS's issuer (iss), e.g. https://canvas.instructure.com"
    )
    client_id = models.CharField(max_length=300, help_text="The client id the LMS gave PLP.")
    auth_login_url = models.URLField(max_length=500, help_text="The LMS's OIDC authorization URL.")
    auth_token_url = models.URLField(max_length=500, help_text="The LMS's OAuth2 token URL (grade passback).")
    key_set_url = models.URLField(max_length=500, help_text="The LMS's public key set (JWKS) URL.")
    auth_audience = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="Token requests' audience, when not the token URL.",
    )
    match_by = models.CharField(
        max_length=20,
        choices=MatchBy.choices,
        default=MatchBy.EMAIL,
        help_text="How a person launched for the first time is found at this school (later launches use "
        "the LMS user id linked then).",
    )
    is_enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_lti_registration_name"),
            models.UniqueConstraint(
                fields=["school", "issuer", "client_id"], name="unique_lti_registration_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"


class LtiDeployment(SchoolOwnedModel):
    """A deployment id of the registration: one install of PLP in the LMS that belongs to this school. A
    launch from any other deployment is refused, even with a valid signature."""

    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=255)

    class Meta:
        ordering = ["deployment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "registration", "deployment_id"], name="unique_lti_deployment"
            )
        ]

    def __str__(self) -> str:
        return self.deployment_id


class SigningKey(SchoolOwnedModel):
    """An RSA key PLP signs LTI messages with (as a tool: per registration; as a platform: per school), its
    private half encrypted. The newest unretired key signs; older keys stay in the published key set
    until retired, so a rotation does not break messages already signed."""

    kid = models.CharField(max_length=64, unique=True)
    private_key_encrypted = models.TextField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.kid


class LtiToolKey(SigningKey):
    """PLP's key for one registration (PLP as a tool)."""

    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE, related_name="keys")


class LtiUserLink(SchoolOwnedModel):
    """The LMS's user id (``sub``) of a PLP person, recorded at their first launch. Personal data:
    exported and erased with the person (privacy registry)."""

    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE, related_name="+")
    lms_user_id = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)
    # Why this person's grades are not sent to the LMS now (privacy.selectors.sharing_refusals, asked at
    # every passback), "" when they are; shown to the school's admins on the LTI page.
    passback_withheld = models.CharField(max_length=200, blank=True, default="")
    passback_withheld_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "registration", "lms_user_id"], name="unique_lti_user_link"
            )
        ]


class LtiResourceLink(SchoolOwnedModel):
    """A place in an LMS course that launches PLP (a resource link), what of PLP it stands for (a playlist
    or one competency, said by its custom parameters), and the gradebook column (AGS line item) that
    receives the student's mastery of it."""

    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE, related_name="+")
    resource_link_id = models.CharField(max_length=255)
    context_id = models.CharField(max_length=255, blank=True, default="")
    title = models.CharField(max_length=255, blank=True, default="")
    playlist = models.ForeignKey(
        "playlists.Playlist", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    competency = models.ForeignKey(
        "playlists.Competency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lineitem = models.URLField(max_length=1000, blank=True, default="")
    ags_scopes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "registration", "resource_link_id"], name="unique_lti_resource_link"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.resource_link_id


class LtiScoreSent(SchoolOwnedModel):
    """The last score PLP sent the LMS for one student on one resource link: a recompute sends again only
    when the score changed (idempotent). Personal data (privacy registry)."""

    resource_link = models.ForeignKey(LtiResourceLink, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score_given = models.FloatField()
    score_maximum = models.FloatField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "resource_link", "student"], name="unique_lti_score_sent"
            )
        ]


class LtiContext(SchoolOwnedModel):
    """An LMS course (LTI context) PLP was launched from, with its Names and Role Provisioning address
    (the roster PLP may read with the registration's service token). ``launched_by`` is the last adult of
    the school launched from it: that teacher may preview the course's roster, as the school's admins may."""

    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE, related_name="+")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True, default="")
    memberships_url = models.URLField(max_length=1000)
    launched_by = actor_field()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "registration", "context_id"], name="unique_lti_context"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.context_id
