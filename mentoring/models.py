"""Mentoring: goals (weekly and long-range), check-ins and their change logs.

Who mentors whom is a relation of the school's people, ``schools.models.MentorAssignment``."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from plp.fields import actor_field
from plp.history import FieldChange
from plp.tenancy.models import SchoolOwnedModel
from plp.timefmt import format_day


class Goal(SchoolOwnedModel):
    """A student's goal: long-range (a term or more) or weekly (the weekly loop: set, work, reflect).

    A weekly goal belongs to the week starting ``week_of`` (a Monday) and is due at the end of it; the
    student reflects with a status and a sentence, and their mentor sees both.
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        LONG_RANGE = "long_range", "Long-range"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    week_of = models.DateField(null=True, blank=True, help_text="Monday of the goal's week (weekly goals).")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    reflection = models.TextField(blank=True, max_length=1000)
    reflected_at = models.DateTimeField(null=True, blank=True)
    competencies = models.ManyToManyField("playlists.Competency", blank=True, related_name="+")
    items = models.ManyToManyField(
        "playlists.ContentItem", blank=True, related_name="+", help_text="Playlist items the goal works on."
    )
    created_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week_of", "due_date", "pk"]
        indexes = [
            models.Index(fields=["school", "student", "kind", "week_of"], name="goal_student_week"),
            models.Index(fields=["school", "status", "due_date"], name="goal_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="long_range") | Q(week_of__isnull=False), name="weekly_goal_has_week"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.kind == self.Kind.WEEKLY:
            if self.week_of is None:
                raise ValidationError({"week_of": "A weekly goal needs its week."})
            if self.week_of.weekday() != 0:
                raise ValidationError({"week_of": "A week starts on a Monday."})
        if not self.text.strip():
            raise ValidationError({"text": "Say what the goal is."})

    def is_overdue_on(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_date is not None and self.due_date < today


class GoalChange(FieldChange):
    """One change of a goal (set, edited, reflected, reviewed in a check-in): kept with who and when."""

    subject = "goal"
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="changes")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["school", "goal", "changed_at"], name="goal_change_when")]

    def __str__(self) -> str:
        return f"{self.field} of goal {self.goal_id}"


class CheckIn(SchoolOwnedModel):
    """A mentor's check-in with a student. ``private_notes`` are for the student's mentors and school
    admins only: never shown to the student, other students or teachers, never in a student's API."""

    class Format(models.TextChoices):
        ONE_ON_ONE = "one_on_one", "1:1"
        SMALL_GROUP = "small_group", "Small group"
        FAMILY = "family_conference", "Family conference"

    HABITS = ("self_direction", "perseverance", "collaboration", "organization")
    # Each habit's one name, on the form, the saved check-in and the brief.
    HABIT_LABELS = {
        "self_direction": "Self-direction",
        "perseverance": "Perseverance",
        "collaboration": "Collaboration",
        "organization": "Organization",
    }
    RATING_CHOICES = [(1, "1 · beginning"), (2, "2 · developing"), (3, "3 · proficient"), (4, "4 · strong")]
    HABIT_RANGE = [
        MinValueValidator(1),
        MaxValueValidator(4),
    ]  # choices live in the form (one enum in the API)
    # The check-in's own fields: what a mentor records and may later correct (goal reviews are apart).
    OWN_FIELDS = (
        "date",
        "format",
        *HABITS,
        "shared_notes",
        "private_notes",
        "next_steps",
        "follow_up_date",
    )

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    format = models.CharField(max_length=30, choices=Format.choices, default=Format.ONE_ON_ONE)
    self_direction = models.PositiveSmallIntegerField(null=True, blank=True, validators=HABIT_RANGE)
    perseverance = models.PositiveSmallIntegerField(null=True, blank=True, validators=HABIT_RANGE)
    collaboration = models.PositiveSmallIntegerField(null=True, blank=True, validators=HABIT_RANGE)
    organization = models.PositiveSmallIntegerField(null=True, blank=True, validators=HABIT_RANGE)
    shared_notes = models.TextField(blank=True, max_length=5000, help_text="The student sees these.")
    private_notes = models.TextField(
        blank=True, max_length=5000, help_text="Mentors and school admins only; never the student."
    )
    next_steps = models.TextField(blank=True, max_length=2000)
    follow_up_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "student", "date"], name="check_in_student_date")]

    def __str__(self) -> str:
        return f"Check-in with {self.student} on {format_day(self.date)}"

    @property
    def version(self) -> str:
        """A fingerprint of the check-in's own fields. An edit form carries the one it was opened with, so
        that saving over another mentor's newer correction is caught instead of silently undoing it."""
        values = repr(tuple(getattr(self, name) for name in self.OWN_FIELDS))
        return hashlib.blake2b(values.encode(), digest_size=8).hexdigest()

    def clean(self):
        for habit in self.HABITS:
            value = getattr(self, habit)
            if value is not None and not 1 <= value <= 4:
                raise ValidationError({habit: "Rate from 1 to 4."})
        if self.follow_up_date and self.date and self.follow_up_date < self.date:
            raise ValidationError({"follow_up_date": "The follow-up comes after the check-in."})

    @property
    def habit_ratings(self) -> list[tuple[str, int | None]]:
        return [(self.HABIT_LABELS[h], getattr(self, h)) for h in self.HABITS]


class CheckInChange(FieldChange):
    """One field of a check-in corrected after it was recorded: old and new value (as people read them), who
    and when. A change of ``private_notes`` carries private text: its readers are those of the notes."""

    subject = "check_in"
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="changes")

    class Meta:
        ordering = ["-changed_at", "pk"]
        indexes = [models.Index(fields=["school", "check_in", "changed_at"], name="check_in_change_when")]

    def __str__(self) -> str:
        return f"{self.field} of check-in {self.check_in_id}"

    @property
    def field_label(self) -> str:
        return CheckIn._meta.get_field(self.field).verbose_name.capitalize()


class CheckInGoalReview(SchoolOwnedModel):
    """A goal reviewed in a check-in, and the status it was given there."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="goal_reviews")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=20, choices=Goal.Status.choices)

    class Meta:
        ordering = ["check_in_id", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "check_in", "goal"], name="unique_goal_review")
        ]

    def __str__(self) -> str:
        return f"{self.goal} → {self.get_status_display()}"
