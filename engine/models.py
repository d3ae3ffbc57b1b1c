"""What the engine stores: flags raised for students (with their history) and each school's thresholds."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from engine.policy.flag_lifecycle import FlagStatus
from engine.policy.snapshot import Thresholds
from plp.tenancy.models import SchoolOwnedModel


class FlagKind(models.TextChoices):
    WHEEL_SPINNING = "wheel_spinning", "Wheel-spinning"
    FAILED_CHECKS = "failed_checks", "Repeated failed checks"
    INACTIVE = "inactive", "Inactive"
    BEHIND_PACE = "behind_pace", "Behind pace"
    OVERDUE_GOALS = "overdue_goals", "Overdue weekly goals"
    MISSED_CHECK_IN = "missed_check_in", "Missed check-in"
    FALLING_TREND = "falling_trend", "Falling trend"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Flag(SchoolOwnedModel):
    """A student who needs an adult, why (evidence) and what to do. One row per (student, kind, subject):
    raised once, refreshed while it holds, cleared by the engine, acknowledged or resolved by an adult."""

    Status = models.TextChoices("Status", [(s.name, s.value) for s in FlagStatus])

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    subject = models.CharField(max_length=60, blank=True, help_text="e.g. competency:12 or playlist:3")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    summary = models.CharField(max_length=300)
    suggested_action = models.CharField(max_length=400)
    evidence = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=FlagStatus.OPEN)
    condition_cleared = models.BooleanField(
        default=False, help_text="Resolved, and its condition has since cleared: a return reopens it."
    )
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveIntegerField(default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The adult's note on acknowledging or resolving.")

    class Meta:
        ordering = ["-raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "kind", "subject"], name="one_flag_per_student_kind_subject"
            )
        ]
        indexes = [
            models.Index(fields=["school", "status", "student"], name="flag_status_student"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.student} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)


class FlagEvent(SchoolOwnedModel):
    """The history of a flag: raised, cleared, reopened by the engine; acknowledged, resolved by adults."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["school", "flag"], name="flagevent_flag")]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


DEFAULT_THRESHOLDS = Thresholds()


def _positive(default):
    return models.PositiveIntegerField(default=default, validators=[MinValueValidator(1)])


def _share(default):
    return models.FloatField(default=default, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])


class SchoolThresholds(SchoolOwnedModel):
    """A school's own flag thresholds; a school without a row uses the documented defaults."""

    wheel_spin_answers = _positive(DEFAULT_THRESHOLDS.wheel_spin_answers)
    failed_checks = _positive(DEFAULT_THRESHOLDS.failed_checks)
    inactive_school_days = _positive(DEFAULT_THRESHOLDS.inactive_school_days)
    pace_margin = _share(DEFAULT_THRESHOLDS.pace_margin)
    check_in_days = _positive(DEFAULT_THRESHOLDS.check_in_days)
    falling_window = _positive(DEFAULT_THRESHOLDS.falling_window)
    falling_drop = _share(DEFAULT_THRESHOLDS.falling_drop)
    ready_p_mastered = _share(DEFAULT_THRESHOLDS.ready_p_mastered)
    review_after_days = _positive(DEFAULT_THRESHOLDS.review_after_days)

    class Meta:
        verbose_name_plural = "school thresholds"
        constraints = [models.UniqueConstraint(fields=["school"], name="one_thresholds_row_per_school")]

    def __str__(self) -> str:
        return f"Thresholds of school {self.school_id}"

    def as_policy(self) -> Thresholds:
        return Thresholds(
            **{f: getattr(self, f) for f in Thresholds.__dataclass_fields__ if hasattr(self, f)}
        )
