"""Question banks, practice answers, mastery checks, mastery state, BKT parameters and the evidence ledger."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mastery import grading
from mastery.bkt import DEFAULT_PARAMS
from plp.tenancy.models import SchoolOwnedModel

USER = settings.AUTH_USER_MODEL
PROBABILITY = [MinValueValidator(0.0), MaxValueValidator(1.0)]

# Bumped whenever the rules that turn evidence into a state change; every ledger row records it, so
# history can be replayed with the rules that were in force.
# mastery-rules-2: up to two right practice answers just before a check count as its first questions.
RULE_VERSION = "mastery-rules-2"


def _has_nul(value) -> bool:
    """PostgreSQL refuses NUL characters in text and JSON: refuse them as a validation error instead."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class QuestionBank(SchoolOwnedModel):
    """The questions that practice and mastery checks draw from, one bank per competency."""

    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    practice_exclusion_days = models.PositiveSmallIntegerField(
        "days a practised question stays out of checks",
        default=7,
        validators=[MaxValueValidator(365)],
        help_text="A student's mastery check leaves out the questions they answered in practice in the "
        "last N days, so a check never repeats what they just saw with its explanation (0: no exclusion).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["competency_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "competency"], name="one_question_bank_per_competency")
        ]

    def __str__(self) -> str:
        return self.title or f"Bank {self.pk}"

    def clean(self):
        if self.competency_id and self.school_id and self.competency.school_id != self.school_id:
            raise ValidationError({"competency": "The competency belongs to another school."})


class Question(SchoolOwnedModel):
    class Kind(models.TextChoices):
        SINGLE = grading.SINGLE, "Single choice"
        MULTIPLE = grading.MULTIPLE, "Multiple choice"
        NUMERIC = grading.NUMERIC, "Numeric (with tolerance)"
        SHORT_TEXT = grading.SHORT_TEXT, "Short text"

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    prompt = models.TextField()
    choices = models.JSONField(default=list, blank=True, help_text="Choice texts (choice questions).")
    correct_choices = models.JSONField(default=list, blank=True, help_text="Indexes of correct choices.")
    numeric_answer = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(default=0, validators=[MinValueValidator(0.0)])
    accepted_answers = models.JSONField(default=list, blank=True, help_text="Accepted short answers.")
    explanation = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    source_key = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Where it was imported from (cartridge ids)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bank_id", "pk"]
        indexes = [models.Index(fields=["school", "bank", "is_active"], name="question_bank_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_key"],
                condition=~Q(source_key=""),
                name="unique_question_source_key",
            )
        ]

    def __str__(self) -> str:
        return self.prompt[:60]

    @property
    def key(self) -> dict:
        """What grading needs; stored with each check attempt so a regrade is stable."""
        return {
            "kind": self.kind,
            "correct_choices": list(self.correct_choices),
            "numeric_answer": self.numeric_answer,
            "tolerance": self.tolerance,
            "accepted_answers": list(self.accepted_answers),
        }

    def clean(self):
        errors = {}
        for name in ("prompt", "explanation", "choices", "accepted_answers"):
            if _has_nul(getattr(self, name)):
                errors[name] = "Text cannot contain NUL characters."
        if errors:
            raise ValidationError(errors)
        if self.bank_id and self.school_id and self.bank.school_id != self.school_id:
            errors["bank"] = "The bank belongs to another school."
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            if not isinstance(self.choices, list) or len(self.choices) < 2:
                errors["choices"] = "Give at least two choices."
            elif not all(isinstance(c, str) and c.strip() for c in self.choices):
                errors["choices"] = "Every choice needs a text."
            correct = self.correct_choices if isinstance(self.correct_choices, list) else None
            n = len(self.choices) if isinstance(self.choices, list) else 0
            if not correct or not all(isinstance(i, int) and 0 <= i < n for i in correct):
                errors["correct_choices"] = "Mark the correct choice(s) among the choices."
            elif self.kind == self.Kind.SINGLE and len(correct) != 1:
                errors["correct_choices"] = "A single-choice question has exactly one correct choice."
        elif self.kind == self.Kind.NUMERIC:
            if self.numeric_answer is None:
                errors["numeric_answer"] = "Give the numeric answer."
        elif self.kind == self.Kind.SHORT_TEXT:
            answers = self.accepted_answers if isinstance(self.accepted_answers, list) else []
            if not [a for a in answers if isinstance(a, str) and grading.normalize_text(a)]:
                errors["accepted_answers"] = "Give at least one accepted answer."
        if errors:
            raise ValidationError(errors)


class ReadinessRule(models.TextChoices):
    """When a student may ask for a check. ``items_done`` is answered by the playlists app once it plugs in
    its callable (see mastery.readiness); until then it reports "not available yet"."""

    ESTIMATE = "estimate", "Mastery estimate reaches the threshold"
    TEACHER_UNLOCK = "teacher_unlock", "A teacher unlocks the check"
    ITEMS_DONE = "items_done", "Required playlist items are done"


class MasteryPolicy(SchoolOwnedModel):
    """How one competency is checked: form size, pass mark, retake rules and the readiness rule."""

    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    check_size = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    pass_threshold = models.FloatField(
        default=0.8, validators=[MinValueValidator(0.05), MaxValueValidator(1.0)]
    )
    cooldown_minutes = models.PositiveIntegerField(default=60)
    practice_before_retake = models.PositiveSmallIntegerField(
        default=5, help_text="Practice answers needed after a failed check before the next try."
    )
    readiness_rule = models.CharField(
        max_length=20, choices=ReadinessRule.choices, default=ReadinessRule.ESTIMATE
    )
    readiness_threshold = models.FloatField(default=0.7, validators=PROBABILITY)

    class Meta:
        verbose_name_plural = "mastery policies"
        constraints = [
            models.UniqueConstraint(fields=["school", "competency"], name="one_mastery_policy_per_competency")
        ]

    def __str__(self) -> str:
        return f"Policy for competency {self.competency_id}"


class SectionCheckSetting(SchoolOwnedModel):
    """Section-level switch: a teacher must approve each mastery-check request of its students."""

    section = models.ForeignKey("schools.Section", on_delete=models.CASCADE, related_name="+")
    approval_required = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "section"], name="one_check_setting_per_section")
        ]

    def __str__(self) -> str:
        return f"Check settings of section {self.section_id}"


class CompetencyModelParams(SchoolOwnedModel):
    """BKT parameters of one competency: defaults until ``fit_mastery_model`` fits them from history."""

    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    p_init = models.FloatField(default=DEFAULT_PARAMS.p_init, validators=PROBABILITY)
    p_learn = models.FloatField(default=DEFAULT_PARAMS.p_learn, validators=PROBABILITY)
    p_guess = models.FloatField(default=DEFAULT_PARAMS.p_guess, validators=PROBABILITY)
    p_slip = models.FloatField(default=DEFAULT_PARAMS.p_slip, validators=PROBABILITY)
    fitted_at = models.DateTimeField(null=True, blank=True)
    students = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    heldout_log_loss = models.FloatField(null=True, blank=True)
    heldout_auc = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "competency model params"
        constraints = [
            models.UniqueConstraint(fields=["school", "competency"], name="one_model_params_per_competency")
        ]

    def __str__(self) -> str:
        return f"BKT params of competency {self.competency_id}"


class MasteryStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PRACTICING = "practicing", "Practicing"
    READY = "ready", "Ready for a check"
    MASTERED = "mastered", "Mastered"


class MasteryState(SchoolOwnedModel):
    """Where one student stands on one competency. Derived from the evidence ledger, kept for fast reads."""

    student = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=MasteryStatus.choices, default=MasteryStatus.NOT_STARTED)
    p_mastered = models.FloatField(default=DEFAULT_PARAMS.p_init, validators=PROBABILITY)
    practice_answers = models.PositiveIntegerField(default=0)
    practice_since_failed_check = models.PositiveIntegerField(default=0)
    last_failed_check_at = models.DateTimeField(null=True, blank=True)
    check_unlocked = models.BooleanField(
        default=False, help_text="A teacher unlocked the next check (readiness and retake rules waived once)."
    )
    mastered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "competency"], name="one_mastery_state_per_student_competency"
            )
        ]
        indexes = [models.Index(fields=["school", "competency", "status"], name="mastery_state_status")]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.competency_id}: {self.status}"


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
    approved_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
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
    invalidated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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


class EvidenceEvent(SchoolOwnedModel):
    """The append-only evidence ledger: every piece of evidence and every change of mastery state, with the
    rule version that produced it, so a student's mastery can be recomputed from history and explained."""

    class Source(models.TextChoices):
        ANSWER = "answer", "Practice answer"
        CHECK = "check", "Mastery check"
        RUBRIC = "rubric_score", "Rubric score"
        OVERRIDE = "override", "Teacher override"
        INVALIDATION = "invalidation", "Check invalidated"
        UNLOCK = "unlock", "Teacher unlock"
        WORKSHOP = "workshop", "Workshop attendance"
        TOOL_SCORE = "tool_score", "External tool score"

    student = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("playlists.Competency", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_id = models.CharField(max_length=64, blank=True, help_text="Id of the answer, check or score.")
    outcome = models.FloatField(null=True, blank=True, help_text="Score in [0, 1] when the source has one.")
    status_before = models.CharField(max_length=20, choices=MasteryStatus.choices)
    status_after = models.CharField(max_length=20, choices=MasteryStatus.choices)
    p_before = models.FloatField()
    p_after = models.FloatField()
    rule_version = models.CharField(max_length=40, default=RULE_VERSION)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["school", "student", "competency", "created_at"], name="evidence_by_student")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.status_before}→{self.status_after}"

    def save(self, *args, **kwargs):
        # Append-only: history that can be rewritten cannot explain anything.
        if self.pk is not None:
            raise ValueError("Evidence events are append-only.")
        super().save(*args, **kwargs)
