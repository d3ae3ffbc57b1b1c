"""Projects: a driving question, milestones with due dates, a rubric, submissions and rubric scores.

Kept apart from playlists/models/ for size; imported by its __init__ so Django registers the models."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from playlists.models.common import AuthoredContent
from plp.tenancy.models import SchoolOwnedModel
from plp.timefmt import format_day

RUBRIC_LEVELS = (1, 2, 3, 4)


class Project(SchoolOwnedModel, AuthoredContent):
    """Project-based learning for one section."""

    section = models.ForeignKey("schools.Section", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    driving_question = models.CharField(max_length=400)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "section", "title"], name="unique_project_per_section")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.section_id and self.school_id and self.section.school_id != self.school_id:
            raise ValidationError({"section": "The section belongs to another school."})


class Milestone(SchoolOwnedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project_id", "due_date", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.title} (due {format_day(self.due_date)})"


class RubricDimension(SchoolOwnedModel):
    """One row of the project's rubric (e.g. Argument), with a descriptor per level 1–4 and the
    competencies a score on it is evidence for."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    level_1 = models.CharField("Level 1 descriptor", max_length=400)
    level_2 = models.CharField("Level 2 descriptor", max_length=400)
    level_3 = models.CharField("Level 3 descriptor", max_length=400)
    level_4 = models.CharField("Level 4 descriptor", max_length=400)
    competencies = models.ManyToManyField(
        "playlists.Competency", related_name="rubric_dimensions", blank=True
    )

    class Meta:
        ordering = ["project_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "project", "name"], name="unique_dimension_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def descriptors(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"level_{level}")) for level in RUBRIC_LEVELS]


class MilestoneSubmission(SchoolOwnedModel):
    """A student's work for one milestone: text and links (resubmitting replaces it)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["milestone_id", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "milestone", "student"], name="unique_submission_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.milestone}"


class RubricScore(SchoolOwnedModel):
    """A teacher's score of one student on one rubric dimension: evidence for the aligned competencies
    (copied from the dimension when scored, so later rubric edits do not rewrite history)."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(RubricDimension, on_delete=models.CASCADE, related_name="scores")
    level = models.PositiveSmallIntegerField(choices=[(level, str(level)) for level in RUBRIC_LEVELS])
    feedback = models.TextField(blank=True)
    competencies = models.ManyToManyField("playlists.Competency", related_name="rubric_scores", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["dimension_id", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "dimension"], name="unique_score_per_dimension"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="rubric_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.dimension}: {self.level}"
