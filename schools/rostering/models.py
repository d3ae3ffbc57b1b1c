"""Rostering records: a person's OneRoster identity in a school, import runs, invitations."""

from django.conf import settings
from django.db import models

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel


class RosterPerson(SchoolOwnedModel):
    """A person as the school's student information system knows them: their sourcedId, role and grades.

    Kept per school (the same account may have another sourcedId in another school). ``is_active`` follows
    the roster: a person who disappears from a bulk file or is marked tobedeleted is deactivated, never
    deleted, and their membership with them.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sourced_id = models.CharField(max_length=255)
    role = models.CharField(max_length=20)
    username = models.CharField(max_length=150, blank=True, default="")
    grades = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "sourced_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "sourced_id"], name="unique_roster_person_per_school")
        ]
        indexes = [models.Index(fields=["school", "user"], name="roster_person_user")]

    def __str__(self) -> str:
        return f"{self.sourced_id} ({self.role})"


class ImportRun(SchoolOwnedModel):
    """One roster upload: its files (kept so a worker can run it), digests, report, plan counts and progress.

    The counts the admin approved are stored; the import refuses to run if the plan has changed since.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the files"
        CHECKED = "checked", "Checked, waiting for confirmation"
        BLOCKED = "blocked", "Blocked: the files cannot be imported"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Failed"

    created_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKED)
    archive = models.BinaryField(help_text="The uploaded files, as a zip.")
    digests = models.JSONField(default=dict, blank=True, help_text="SHA-256 of each uploaded file.")
    version = models.CharField(max_length=10, blank=True, default="")
    modes = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=list, blank=True)
    blocking = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, blank=True, help_text="The dry-run plan's counts.")
    skip_problem_rows = models.BooleanField(default=False)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.report if p["severity"] == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.report if p["severity"] != "error")

    @property
    def changes_anything(self) -> bool:
        return any(
            counts.get(action, 0)
            for counts in self.counts.values()
            for action in ("create", "update", "deactivate")
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.BLOCKED)


class Invitation(SchoolOwnedModel):
    """An invitation to set a password, sent to a person of this school. The link itself is a Django
    password-reset-style token: it expires after INVITATION_TIMEOUT and dies once a password is set."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_by = actor_field()
    first_sent_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField()
    times_sent = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="unique_invitation_per_school_user")
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.user}"
