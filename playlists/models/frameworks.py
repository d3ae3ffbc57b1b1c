"""Competency frameworks: subjects, frameworks (CASE or CSV imports, or made by hand), their
competencies and the prerequisite edges between competencies.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from playlists.models.common import ImportedContent, same_school
from plp.tenancy.models import SchoolOwnedModel, unique_in_school_once_set


class Subject(SchoolOwnedModel):
    """A school's subject (Mathematics, English Language Arts): the unit students level up in."""

    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_subject_per_school")]

    def __str__(self) -> str:
        return self.name


class Framework(ImportedContent):
    """A set of competencies a school adopted: typically one CASE CFDocument, or a CSV the school wrote."""

    title = models.CharField(max_length=300)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="frameworks")
    case_identifier = models.CharField(
        max_length=64, blank=True, help_text="The CASE CFDocument identifier it was imported from."
    )
    case_uri = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="unique_framework_title_per_school"),
            unique_in_school_once_set("case_identifier", name="unique_framework_case_identifier_per_school"),
            ImportedContent.unique_source_key("unique_framework_source_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Competency(ImportedContent):
    """A learning target (a CASE CFItem): students demonstrate mastery of it.

    ``parent`` is the framework's tree (CASE ``isChildOf``); prerequisites (CASE ``precedes``) are a
    separate graph, kept acyclic by the services that write it.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="competencies")
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    code = models.CharField(max_length=120, help_text="The human coding scheme, e.g. 6.RP.A.1.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    grade_band = models.CharField(max_length=40, blank=True, help_text="e.g. 6, or 6-8.")
    standard_codes = models.JSONField(default=list, blank=True, help_text="Aligned standard codes.")
    item_type = models.CharField(max_length=80, blank=True, help_text="CASE CFItemType, e.g. Standard.")
    case_identifier = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within the framework.")
    prerequisites = models.ManyToManyField(
        "self",
        through="CompetencyPrerequisite",
        through_fields=("competency", "prerequisite"),
        symmetrical=False,
        related_name="unlocks",
        blank=True,
    )

    class Meta:
        ordering = ["framework_id", "position", "code"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "framework", "code"], name="unique_competency_code_per_framework"
            ),
            unique_in_school_once_set(
                "case_identifier",
                within=("framework",),
                name="unique_competency_case_identifier_per_framework",
            ),
            ImportedContent.unique_source_key("unique_competency_source_key"),
        ]
        indexes = [models.Index(fields=["school", "subject"], name="competency_subject")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self):
        if self.framework_id and self.school_id and self.framework.school_id != self.school_id:
            raise ValidationError({"framework": "The framework belongs to another school."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A competency cannot be its own parent."})


class CompetencyPrerequisite(SchoolOwnedModel):
    """``prerequisite`` must be mastered before ``competency`` is worked on (an edge of a DAG)."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="unlock_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "competency", "prerequisite"], name="unique_prerequisite_edge"
            ),
            models.CheckConstraint(
                condition=~Q(competency=F("prerequisite")), name="prerequisite_is_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prerequisite} → {self.competency}"

    def clean(self):
        same_school(
            self,
            competency=self.competency if self.competency_id else None,
            prerequisite=self.prerequisite if self.prerequisite_id else None,
        )
