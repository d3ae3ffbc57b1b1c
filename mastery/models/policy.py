"""How a competency is checked and estimated: its mastery policy (form size, pass mark, retakes,
readiness rule), a section's approval switch, and the competency's BKT parameters (fitted by
``fit_mastery_model``).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mastery.bkt import DEFAULT_PARAMS
from mastery.models.common import PROBABILITY
from plp.tenancy.models import SchoolOwnedModel


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
