"""The student's answers: practice answers (graded at once, the estimate before and after kept),
mastery checks (their drawn form stored, every attempt kept) and a check's saved answers.
"""

from django.db import models
from django.db.models import Q

from mastery.models.common import USER
from mastery.models.ledger import RULE_VERSION
from mastery.models.questions import Question
from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel


class PracticeAnswer(SchoolOwnedModel):
    """One practice answer, graded at once; the estimate before and after it is kept."""

    student = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="+")
    response = models.JSONField(default=None, null=True, blank=True)
    is_correct = models.BooleanField()
    p_before = models.FloatField()
    p_after = models.FloatField()
    answered_at = models.DateTimeField(auto_now_add=True)
    # The browser's key for this answer (a UUID made when the student answered, kept with the answer while
    # it waits offline): the same key again is the same answer, so a replay records nothing new.
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    # The check that counted this (right) answer as one of its first questions (``rules.carried_practice``):
    # one column, so an answer is carried into one check at most.
    carried_into = models.ForeignKey(
        "CheckAttempt",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_answers",
    )

    class Meta:
        ordering = ["answered_at", "pk"]
        indexes = [
            models.Index(
                fields=["school", "student", "competency", "answered_at"], name="practice_by_student"
            ),
            models.Index(fields=["school", "competency", "answered_at"], name="practice_by_competency"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="one_practice_answer_per_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class CheckAttempt(SchoolOwnedModel):
    """One mastery check. The drawn form (question ids, prompts, choices and grading keys) is stored here,
    so what the student saw and how it is graded never change afterwards. Every attempt is kept."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for a teacher's approval"
        IN_PROGRESS = "in_progress", "In progress"
        GRADED = "graded", "Graded"
        DECLINED = "declined", "Declined"

    student = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    form = models.JSONField(default=list, blank=True)
    pass_threshold = models.FloatField()
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = actor_field()
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    carried = models.PositiveSmallIntegerField(
        default=0,
        help_text="Right practice answers given just before the check that count as its first questions "
        "(which ones: ``carried_answers``). Set when the form is drawn, never after.",
    )
    # Both count the carried answers: the check's tally, as its pass mark is applied.
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidated_by = actor_field()
    invalidation_reason = models.TextField(blank=True)
    rule_version = models.CharField(max_length=40, default=RULE_VERSION)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # At most one open attempt per student and competency: a double request cannot open two.
            models.UniqueConstraint(
                fields=["school", "student", "competency"],
                condition=Q(status__in=["awaiting_approval", "in_progress"]),
                name="one_open_check_per_student_competency",
            )
        ]
        indexes = [models.Index(fields=["school", "student", "competency"], name="check_by_student")]

    def __str__(self) -> str:
        return f"Check {self.pk} ({self.status})"

    @property
    def questions(self) -> int:
        """The check's number of questions: those drawn and the practice answers carried as its first."""
        return len(self.form) + self.carried

    @property
    def asked(self) -> int | None:
        """Questions the student answered in the check itself (None before it is graded)."""
        return None if self.total is None else self.total - self.carried

    @property
    def score(self) -> float | None:
        if not self.total:
            return None
        return (self.correct_count or 0) / self.total

    @property
    def is_valid_pass(self) -> bool:
        return bool(self.passed) and self.invalidated_at is None


class CheckResponse(SchoolOwnedModel):
    """The student's saved answer to one question of a check (autosaved, graded at submit)."""

    attempt = models.ForeignKey(CheckAttempt, on_delete=models.CASCADE, related_name="responses")
    question_id_in_form = models.PositiveBigIntegerField()
    response = models.JSONField(default=None, null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "attempt", "question_id_in_form"], name="one_response_per_check_question"
            )
        ]

    def __str__(self) -> str:
        return f"Response to {self.question_id_in_form} in check {self.attempt_id}"
