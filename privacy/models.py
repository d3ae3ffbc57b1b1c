"""Student data rights: the school's privacy settings, parental consent, departures and erasures."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel

DEFAULT_AUDIT_RETENTION_DAYS = 3 * 365


class PrivacySettings(SchoolOwnedModel):
    """A school's choices about keeping data (one per school; absent means the defaults)."""

    class Evidence(models.TextChoices):
        DELETE = "delete", "Delete it with the student"
        AGGREGATE = "aggregate", "Keep anonymous totals per competency, delete the rest"

    audit_retention_days = models.PositiveIntegerField(
        default=DEFAULT_AUDIT_RETENTION_DAYS,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text="How long the read-access audit log keeps an entry (30 to 3650 days).",
    )
    erase_departed_after_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text="Erase a student this many days after they left (no active membership). "
        "Empty: never automatically.",
    )
    evidence_on_erasure = models.CharField(
        max_length=20,
        choices=Evidence.choices,
        default=Evidence.DELETE,
        help_text="What becomes of a student's learning evidence (answers, checks, mastery) on erasure.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "privacy settings"
        constraints = [models.UniqueConstraint(fields=["school"], name="unique_privacy_settings_per_school")]

    def __str__(self) -> str:
        return f"Privacy settings of school {self.school_id}"


class ParentalConsent(SchoolOwnedModel):
    """One recorded consent decision for a student under 13 (the latest row is the current status; the
    earlier ones are its history: who recorded what, when).

    PLP holds no date of birth (OneRoster 1.1 gives none), so ``under_13`` is the school's own statement;
    the page suggests it from the roster's grades (grade 6 or below)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        GRANTED = "granted", "Granted"
        DENIED = "denied", "Denied"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    under_13 = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(max_length=300, blank=True, help_text="E.g. how the parent answered.")
    recorded_by = actor_field()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["school", "student", "recorded_at"], name="consent_student_when")]

    def __str__(self) -> str:
        return f"Consent {self.status} for {self.student_id}"


class Departure(SchoolOwnedModel):
    """When the retention schedule first saw a student with no active membership left in the school.

    Memberships carry no "deactivated at" (a roster import deactivates in bulk, without signals), so the
    daily schedule notes departures itself; a student who comes back loses the row. Counting from the first
    sighting can only erase late, never early."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    noticed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "student"], name="unique_departure")]

    def __str__(self) -> str:
        return f"Student {self.student_id} left (noticed {self.noticed_at:%Y-%m-%d})"


class Erasure(SchoolOwnedModel):
    """That a student was erased: by whom (or the schedule), when, how, and what was removed, under a
    pseudonym. It names no one: ``student_id`` is the pseudonymized account's id, kept so the audit log's
    entries about them stay linked to this row."""

    class Reason(models.TextChoices):
        ADMIN = "admin", "Erased by a school admin"
        RETENTION = "retention", "Retention schedule"

    student_id = models.BigIntegerField()
    pseudonym = models.CharField(max_length=40)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    evidence = models.CharField(max_length=20, choices=PrivacySettings.Evidence.choices)
    erased_by = actor_field()
    erased_at = models.DateTimeField(auto_now_add=True)
    account_pseudonymized = models.BooleanField(
        help_text="False when the person still belongs to another school: only this school's data went."
    )
    removed = models.JSONField(default=dict, help_text="Rows removed per kind of data.")

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pseudonym} erased {self.erased_at:%Y-%m-%d}"


class EvidenceAggregate(SchoolOwnedModel):
    """Anonymous totals per competency of erased students' learning evidence, kept when the school chose
    ``aggregate``: no student, no date finer than the erasure's, only sums over everyone erased."""

    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    students = models.PositiveIntegerField(default=0)
    practice_answers = models.PositiveIntegerField(default=0)
    practice_correct = models.PositiveIntegerField(default=0)
    checks = models.PositiveIntegerField(default=0)
    checks_passed = models.PositiveIntegerField(default=0)
    mastered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "competency"], name="unique_evidence_aggregate")
        ]

    def __str__(self) -> str:
        return f"Aggregate of {self.students} erased students on {self.competency_id}"
