"""Self-direction levels: a school's ladder, each student's rung and every decision about it.

A student's level is stored as the rung's *rank* (1 = the first rung), not as a link to a rung row: a school
that never edits its ladder uses the default one (``agency.policy.DEFAULT_LADDER``) with no rows at all, and
a ladder edited later keeps every student's place."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agency.policy import DEFAULT_CRITERIA, Checks, Goals, Picks
from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel

MAX_RUNGS = 6


class LadderRung(SchoolOwnedModel):
    """One rung of a school's own ladder (none stored: the default three rungs)."""

    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_RUNGS)])
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)
    picks = models.CharField(max_length=20, choices=[(p.value, p.label) for p in Picks])
    goals = models.CharField(max_length=20, choices=[(g.value, g.label) for g in Goals])
    checks = models.CharField(max_length=20, choices=[(c.value, c.label) for c in Checks])
    own_pace_target = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["school", "rank"], name="one_rung_per_rank")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class LadderSettings(SchoolOwnedModel):
    """Where new students start and how many weeks of evidence the suggestion reads.

    ``start_rank`` empty means *the top rung*: a school that has not adopted gradual release keeps today's
    freedom for everyone; a school that adopts it sets 1 (new students start guided)."""

    start_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_RUNGS)]
    )
    weeks = models.PositiveSmallIntegerField(
        default=DEFAULT_CRITERIA.weeks, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    updated_by = actor_field()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], name="one_ladder_settings_per_school")]

    def __str__(self) -> str:
        return f"ladder settings of {self.school_id}"


class StudentLevel(SchoolOwnedModel):
    """A student's current rung (rank) and, at a rung that allows it, their own weekly pace target."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_RUNGS)])
    pace_target = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="Items the student means to finish each week (their own target).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "student"], name="one_level_per_student")]

    def __str__(self) -> str:
        return f"level {self.rank} of {self.student_id}"


class LevelDecision(SchoolOwnedModel):
    """Every change of a student's level, and every suggestion declined: who, why, and the evidence the
    decision was taken on (the findings as they read then). Never edited, never deleted."""

    class Kind(models.TextChoices):
        PLACED = "placed", "Placed"
        PROMOTED = "promoted", "Promoted"
        STEPPED_BACK = "stepped_back", "Stepped back"
        DECLINED = "declined", "Suggestion declined"
        PACE_TARGET = "pace_target", "Pace target set"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_rank = models.PositiveSmallIntegerField()
    to_rank = models.PositiveSmallIntegerField()
    from_name = models.CharField(max_length=60)
    to_name = models.CharField(max_length=60)
    suggested = models.CharField(max_length=20, blank=True, help_text="The rule's suggestion at the time.")
    followed_suggestion = models.BooleanField(default=False)
    evidence = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=500)
    decided_by = actor_field()
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["school", "student", "decided_at"], name="level_decision_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.student_id}: {self.from_name} → {self.to_name}"

    def clean(self):
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why."})
