"""Learner profiles (with their change history), the career catalogue and personal learning plans."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from plp.history import FieldChange
from plp.tenancy.models import SchoolOwnedModel

# Profile fields by who may edit them (the rule): the student edits their interests, aspirations and
# learning preferences; the adults who teach and mentor them record the rest. Accommodations are staff-only:
# never shown to, nor editable by, the student.
STUDENT_FIELDS = ("interests", "learning_preferences", "college_aspiration", "career_aspiration")
STAFF_FIELDS = ("strengths", "challenges", "passions", "accommodations")
TAG_FIELDS = ("strengths", "challenges", "interests", "passions")
STAFF_ONLY_FIELDS = ("accommodations",)
MAX_ASPIRATION_CAREERS = 2


class StudentProfile(SchoolOwnedModel):
    """Who a student is: the first principle of personalized learning. One per student per school."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    strengths = models.JSONField(default=list, blank=True)
    challenges = models.JSONField(default=list, blank=True)
    interests = models.JSONField(default=list, blank=True, help_text="Tags the next-item engine matches.")
    passions = models.JSONField(default=list, blank=True)
    learning_preferences = models.TextField(blank=True, max_length=2000)
    accommodations = models.TextField(blank=True, max_length=2000, help_text="Visible to staff only.")
    college_aspiration = models.CharField(max_length=200, blank=True)
    career_aspiration = models.CharField(max_length=200, blank=True)
    aspiration_careers = models.ManyToManyField("Career", blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student"], name="unique_profile_per_student")
        ]

    def __str__(self) -> str:
        return f"Profile of {self.student}"

    def clean(self):
        for name in TAG_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
                raise ValidationError({name: "A list of tags is expected."})
            if len(value) > 30:
                raise ValidationError({name: "At most 30 tags."})


class ProfileChange(FieldChange):
    """One changed profile field: what it was, what it became, who changed it and when."""

    subject = "profile"
    profile = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="changes")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["school", "profile", "changed_at"], name="profile_change_when")]

    def __str__(self) -> str:
        return f"{self.field} of {self.profile_id} at {self.changed_at:%Y-%m-%d}"

    @property
    def is_staff_only(self) -> bool:
        return self.field in STAFF_ONLY_FIELDS

    @property
    def field_label(self) -> str:
        return self.field.replace("_", " ").capitalize()


class Career(SchoolOwnedModel):
    """A career in the catalogue: the interests it fits, and the courses and competencies it needs."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    interest_tags = models.JSONField(default=list, blank=True)
    needed_courses = models.JSONField(default=list, blank=True, help_text="Course names, in order.")
    competencies = models.ManyToManyField("playlists.Competency", blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_career_per_school")]

    def __str__(self) -> str:
        return self.name


class LearningPlan(SchoolOwnedModel):
    """A student's personal learning plan for a term: long-range goals and the focus they commit to."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    college_goal = models.CharField(max_length=200, blank=True)
    career_goal = models.CharField(max_length=200, blank=True)
    courses_to_take = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "student_id", "term_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student", "term"], name="unique_plan_per_term")
        ]

    def __str__(self) -> str:
        return f"Plan of {self.student} for {self.term}"

    def clean(self):
        if self.term_id and self.school_id and self.term.school_id != self.school_id:
            raise ValidationError({"term": "The term belongs to another school."})


class PlanFocus(SchoolOwnedModel):
    """A focus area or competency a student commits to in their plan, with a target date."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="focuses")
    competency = models.ForeignKey(
        "playlists.Competency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    focus_area = models.CharField(max_length=200, blank=True)
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "plan focuses"
        ordering = ["target_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "plan", "competency"],
                condition=models.Q(competency__isnull=False),
                name="unique_plan_focus_competency",
            )
        ]

    def __str__(self) -> str:
        return self.focus_area or str(self.competency)

    def clean(self):
        if not self.competency_id and not self.focus_area.strip():
            raise ValidationError("Choose a competency or name a focus area.")
        if self.competency_id and self.school_id and self.competency.school_id != self.school_id:
            raise ValidationError({"competency": "The competency belongs to another school."})
        if self.plan_id and self.school_id and self.plan.school_id != self.school_id:
            raise ValidationError({"plan": "The plan belongs to another school."})
