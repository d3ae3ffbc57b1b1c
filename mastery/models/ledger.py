"""Where a student stands on a competency (``MasteryState``, kept for fast reads) and the append-only
evidence ledger it is derived from (``EvidenceEvent``), each row stamped with the rule version in force.
"""

from django.db import models

from mastery.bkt import DEFAULT_PARAMS
from mastery.models.common import PROBABILITY, USER
from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel

# Bumped whenever the rules that turn evidence into a state change; every ledger row records it, so
# history can be replayed with the rules that were in force.
# mastery-rules-2: up to two right practice answers just before a check count as its first questions.
RULE_VERSION = "mastery-rules-2"


class MasteryStatus(models.TextChoices):
    """The words of each status, every page's (the mastery pages, the dashboard's heatmap and key, the
    teacher's student page). ``not_started`` means no evidence in the ledger (no answer, score, workshop
    attended, check or override): the student may well have started, reading or doing the competency's
    items, so its words say what is true, as the workshop invitation does: not practised yet."""

    NOT_STARTED = "not_started", "Not practised yet"
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
    actor = actor_field()
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
