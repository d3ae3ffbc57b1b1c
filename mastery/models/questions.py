"""Question banks (one per competency) and their questions: what practice and mastery checks draw
from, validated so a question can always be graded (mastery.grading).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mastery import grading
from playlists.models.common import ImportedContent
from plp.tenancy.models import SchoolOwnedModel


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


class Question(ImportedContent):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bank_id", "pk"]
        indexes = [models.Index(fields=["school", "bank", "is_active"], name="question_bank_active")]
        constraints = [ImportedContent.unique_source_key("unique_question_source_key")]

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
