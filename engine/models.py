"""What the engine stores: flags raised for students (with their history), each school's flag thresholds."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from engine.policy.flag_lifecycle import FlagStatus
from engine.policy.snapshot import Thresholds
from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel


class FlagKind(models.TextChoices):
    # The detector's entry (engine/policy/attention.py); the rule flags below are its evidence.
    NEEDS_ATTENTION = "needs_attention", "Needs attention"
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
    handled_by = actor_field()
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
    by = actor_field()
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
    """A school's own flag thresholds; a school without a row uses the documented defaults. The settings apps
    below the engine read too (the pace tolerance, the check-in cadence and grace) are the school's own,
    ``schools.SchoolSettings``; ``engine/school_policy.py`` puts both rows together as the policy's
    ``Thresholds``."""

    wheel_spin_answers = _positive(DEFAULT_THRESHOLDS.wheel_spin_answers)
    failed_checks = _positive(DEFAULT_THRESHOLDS.failed_checks)
    inactive_school_days = _positive(DEFAULT_THRESHOLDS.inactive_school_days)
    falling_window = _positive(DEFAULT_THRESHOLDS.falling_window)
    falling_drop = _share(DEFAULT_THRESHOLDS.falling_drop)
    # The estimate that counts as learning (not readiness for a check: each competency's mastery policy).
    learning_p_mastered = _share(DEFAULT_THRESHOLDS.learning_p_mastered)
    review_after_days = _positive(DEFAULT_THRESHOLDS.review_after_days)
    pace_recent_school_days = _positive(DEFAULT_THRESHOLDS.pace_recent_school_days)
    # The "needs attention" detector's score to open an entry and to keep it open (Thresholds' docstring).
    attention_enter_score = _share(DEFAULT_THRESHOLDS.attention_enter_score)
    attention_exit_score = _share(DEFAULT_THRESHOLDS.attention_exit_score)

    class Meta:
        verbose_name_plural = "school thresholds"
        constraints = [models.UniqueConstraint(fields=["school"], name="one_thresholds_row_per_school")]

    def __str__(self) -> str:
        return f"Thresholds of school {self.school_id}"

    def clean(self):
        super().clean()
        if self.attention_exit_score > self.attention_enter_score:
            raise ValidationError(
                {"attention_exit_score": "Keep an entry open down to at most the score that opens it."}
            )


class StudentRecommendation(SchoolOwnedModel):
    """One line of a student's precomputed "Next up", in rank order, with the reason the engine gave.

    Pages read these rows; only the recompute task writes them."""

    class Kind(models.TextChoices):
        ITEM = "item", "Item"
        CHECK = "check", "Mastery check"
        REVIEW = "review", "Spaced review"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item = models.ForeignKey(
        "playlists.ContentItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    playlist = models.ForeignKey(
        "playlists.Playlist", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    competency = models.ForeignKey(
        "playlists.Competency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=400)
    pinned = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["student_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student", "rank"], name="one_recommendation_per_rank")
        ]

    def __str__(self) -> str:
        return f"#{self.rank} for {self.student_id}: {self.reason}"


class ItemDirective(SchoolOwnedModel):
    """A teacher pins an item for a student (do this next) or vetoes one (not this), with a reason.

    Ended, never deleted: the reason stays on record."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pinned"
        VETO = "veto", "Vetoed"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("playlists.ContentItem", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)
    ended_by = actor_field()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "item"],
                condition=models.Q(is_active=True),
                name="one_active_directive_per_student_item",
                violation_error_message="This item already has a pin or veto for this student.",
            )
        ]
        indexes = [models.Index(fields=["school", "student", "is_active"], name="directive_student")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} for {self.student_id}: {self.reason}"


class StudentEngineState(SchoolOwnedModel):
    """Per student: dirty since when (a durable mark written with the event, so a broker outage loses
    nothing), when the engine last computed them, and a digest of the results it wrote."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dirty_since = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    results_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "student"], name="one_engine_state_per_student")
        ]
        indexes = [models.Index(fields=["school", "dirty_since"], name="engine_state_dirty")]

    def __str__(self) -> str:
        return f"engine state of {self.student_id}"


class SandboxRun(SchoolOwnedModel):
    """A what-if of the policy sandbox: who asked, which threshold to which value, over which weeks and
    students, how far the replay got, what it found, and whether (and by whom) the change was applied."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Replaying"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    section = models.ForeignKey(
        "schools.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    field = models.CharField(max_length=40)
    value_before = models.FloatField()
    value_after = models.FloatField()
    weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    students_total = models.PositiveIntegerField(default=0)
    students_done = models.PositiveIntegerField(default=0)
    school_days = models.PositiveIntegerField(default=0)
    attention_changed = models.PositiveIntegerField(default=0)
    next_up_changed = models.PositiveIntegerField(default=0)
    flagged_before = models.PositiveIntegerField(default=0, help_text="Students flagged on some day, before.")
    flagged_after = models.PositiveIntegerField(default=0, help_text="…and after the change.")
    # The rule flags, compared since migration 0010 (NULL: a what-if run before, which did not compare them).
    flags_changed = models.PositiveIntegerField(
        null=True, blank=True, help_text="Students whose rule flags (kind and subject) differ on some day."
    )
    rule_flagged_before = models.PositiveIntegerField(
        null=True, blank=True, help_text="Students with a rule flag on some day, before."
    )
    rule_flagged_after = models.PositiveIntegerField(
        null=True, blank=True, help_text="…and after the change."
    )
    message = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_by = actor_field()
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "created_at"], name="sandbox_run_created")]

    def __str__(self) -> str:
        return f"what-if {self.field} {self.value_before} → {self.value_after}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.students_done / self.students_total) if self.students_total else 0


class SandboxChange(SchoolOwnedModel):
    """One student whose "needs attention" entry, Next-up list or rule flags would have changed in a
    what-if, with the first day each would have, before → after in words."""

    run = models.ForeignKey(SandboxRun, on_delete=models.CASCADE, related_name="changes")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attention_days = models.PositiveIntegerField()
    next_up_days = models.PositiveIntegerField()
    flagged_days_before = models.PositiveIntegerField()
    flagged_days_after = models.PositiveIntegerField()
    on = models.DateField(null=True)
    attention_before = models.CharField(max_length=300)
    attention_after = models.CharField(max_length=300)
    next_before = models.CharField(max_length=400)
    next_after = models.CharField(max_length=400)
    # How the Next-up list differed (engine.sandbox.replay.NEXT_HOW → school days), and the whole list
    # before → after on the first day it differed (each entry's reason, in the order the student sees).
    next_how = models.JSONField(default=dict, blank=True)
    next_list_before = models.JSONField(default=list, blank=True)
    next_list_after = models.JSONField(default=list, blank=True)
    # The school days whose rule flags (each flag's kind and subject) differ, and on the first of them the
    # flags before → after, each in words (engine.attention.flag.rule_words).
    flag_days = models.PositiveIntegerField(default=0)
    flags_on = models.DateField(null=True, blank=True)
    flags_before = models.JSONField(default=list, blank=True)
    flags_after = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["run", "-attention_days", "-next_up_days", "-flag_days", "student_id"]
        indexes = [models.Index(fields=["school", "run"], name="sandbox_change_run")]

    def __str__(self) -> str:
        return f"{self.student_id} in run {self.run_id}"
