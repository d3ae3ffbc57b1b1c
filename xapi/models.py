"""A school's learning record store, and the outbox of statements waiting to reach it."""

import secrets

from django.conf import settings
from django.db import models

from plp.tenancy.models import SchoolOwnedModel
from xapi import statements


def _new_salt() -> str:
    return secrets.token_hex(16)


class LrsConnection(SchoolOwnedModel):
    """Where a school's xAPI statements go (one per school), set by its admins.

    The secret is stored encrypted (sso.crypto, a key derived from SECRET_KEY) and never shown back. The
    salt makes the students' opaque account names: it is made once and never changes, so an LRS sees the
    same name for the same student across the years (see xapi/statements.py)."""

    endpoint = models.URLField(
        "LRS endpoint",
        max_length=500,
        help_text="The LRS's xAPI address, e.g. https://lrs.example.org/xAPI/ (statements go to "
        "<endpoint>statements).",
    )
    key = models.CharField("key (user name)", max_length=200)
    secret_encrypted = models.TextField(blank=True, default="")
    enabled = models.BooleanField("send statements", default=False)
    identify_by_email = models.BooleanField(
        "identify students by email",
        default=False,
        help_text="Off (the default): the LRS sees an opaque, stable id per student, never an email. On: "
        "students are identified by their email address (only when the school's privacy policy allows it).",
    )
    salt = models.CharField(max_length=64, default=_new_salt, editable=False)
    base_url = models.CharField(
        max_length=300,
        blank=True,
        help_text="PLP's address when the settings were saved (activity ids live under it), unless the "
        "deployment sets PLP_BASE_URL.",
    )
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], name="one_lrs_connection_per_school")]

    def __str__(self) -> str:
        return self.endpoint

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


class OutboxStatement(SchoolOwnedModel):
    """One learning event waiting for (or delivered to) the school's LRS: a transactional outbox.

    Written in the transaction of the event itself (so an event and its statement commit or roll back
    together), read by the worker, which builds the statement and marks it sent once the LRS acknowledged
    it. Nothing is sent from a request. Personal data: in the privacy registry."""

    class Kind(models.TextChoices):
        ITEM = "item", "Content item"
        QUESTION = "question", "Practice question"
        CHECK = "check", "Mastery check"
        COMPETENCY = "competency", "Competency"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    statement_id = models.UUIDField()
    verb = models.CharField(max_length=20, choices=[(v, v) for v in statements.VERBS])
    object_kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    competency_id = models.BigIntegerField(null=True, blank=True)  # the parent activity, when there is one
    data = models.JSONField(default=dict, blank=True)  # score, success, evidence id...
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)  # the LRS refused this one statement (400)
    # Never sent: the student's records may not leave PLP (privacy.selectors.sharing_refusals, checked by
    # the worker just before sending); ``last_error`` says why. Not sent later either.
    withheld_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "statement_id"], name="one_outbox_row_per_statement")
        ]
        indexes = [
            models.Index(
                fields=["school", "next_attempt_at"],
                name="xapi_outbox_pending",
                condition=models.Q(sent_at__isnull=True, rejected_at__isnull=True, withheld_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_kind} {self.object_id}"
