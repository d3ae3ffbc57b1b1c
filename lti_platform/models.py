"""LTI 1.3: PLP as a platform that launches external tools from a playlist.

A school admin registers each tool (its OIDC login initiation URL, launch URL and key set URL); PLP issues
the client id and deployment id the tool is configured with. PLP signs the id_tokens of its launches and the
access tokens of Assignment and Grade Services with the school's platform key (RSA, kept encrypted the way
lti/keys.py keeps the tool side's keys; the newest signs, the previous one stays published until the next
rotation). A teacher places a tool in a playlist as a content item of kind ``lti_tool``; a student's launch
records which opaque user id (``sub``) the tool knows them by, and the score the tool posts back is kept per
student and item.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models

from lti.models import SigningKey
from plp.tenancy.models import SchoolOwnedModel


def _client_id() -> str:
    return "plp-tool-" + secrets.token_hex(8)


def _opaque_id() -> str:
    return uuid.uuid4().hex


def _deployment_id() -> str:
    return "plp-dep-" + secrets.token_hex(6)


class ToolRegistration(SchoolOwnedModel):
    """An external LTI 1.3 tool the school's teachers may place in playlists. ``public_id`` names it in
    the public platform URLs (authorization, token, key set, line items)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80, help_text="What students see, e.g. “Fraction lab”.")
    client_id = models.CharField(max_length=64, unique=True, default=_client_id, editable=False)
    deployment_id = models.CharField(max_length=64, default=_deployment_id, editable=False)
    login_url = models.URLField(max_length=500, help_text="The tool's OIDC login initiation URL.")
    launch_url = models.URLField(
        max_length=500, help_text="The tool's launch (target link) URL; also its redirect URI."
    )
    redirect_uris = models.JSONField(
        default=list,
        blank=True,
        help_text="More redirect URIs the tool may ask for (the launch URL is one).",
    )
    key_set_url = models.URLField(max_length=500, help_text="The tool's public key set (JWKS) URL.")
    share_name_email = models.BooleanField(
        default=False, help_text="Send the student's name and email (off: only an opaque id)."
    )
    is_enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_tool_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_redirect_uris(self) -> list[str]:
        return [self.launch_url, *[uri for uri in self.redirect_uris if isinstance(uri, str)]]


class PlatformKey(SigningKey):
    """The school's key as an LTI platform (id_tokens, access tokens); the previous one stays in the key
    set until the next rotation retires it."""


class ToolItem(SchoolOwnedModel):
    """The tool a content item of kind ``lti_tool`` launches. ``public_id`` names its AGS line item."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.OneToOneField("playlists.ContentItem", on_delete=models.CASCADE, related_name="lti_tool")
    tool = models.ForeignKey(ToolRegistration, on_delete=models.PROTECT, related_name="items")
    score_maximum = models.FloatField(default=10, help_text="The line item's maximum score.")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.tool_id}"


class ToolSubject(SchoolOwnedModel):
    """The opaque user id (``sub``) one tool knows a person by: stable across launches, different for every
    tool, never the PLP id or email. Personal data (privacy registry)."""

    tool = models.ForeignKey(ToolRegistration, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sub = models.CharField(max_length=64, default=_opaque_id, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "tool", "user"], name="unique_tool_subject"),
            models.UniqueConstraint(fields=["school", "tool", "sub"], name="unique_tool_subject_sub"),
        ]


class ToolLaunch(SchoolOwnedModel):
    """A student launched this tool item (the id_token was issued): only they may be scored on it."""

    tool_item = models.ForeignKey(ToolItem, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        "schools.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_launch_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "tool_item", "student"], name="unique_tool_launch")
        ]


class ToolScore(SchoolOwnedModel):
    """The last score a tool posted for a student on an item (AGS). A score sent again with the same
    timestamp changes nothing; an older one is refused. Personal data (privacy registry)."""

    tool_item = models.ForeignKey(ToolItem, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score_given = models.FloatField(null=True, blank=True)
    score_maximum = models.FloatField(null=True, blank=True)
    activity_progress = models.CharField(max_length=20)
    grading_progress = models.CharField(max_length=20)
    comment = models.CharField(max_length=500, blank=True)
    timestamp = models.DateTimeField(help_text="The tool's timestamp of the score.")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "tool_item", "student"], name="unique_tool_score")
        ]
