"""Mentoring: who mentors whom. Goals, check-ins and flags join this app in their issues."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from plp.tenancy.models import SchoolOwnedModel


class MentorAssignment(SchoolOwnedModel):
    """A mentor looks after a student in one school. Ended, never deleted, so the history stays.

    A student has at most one active *primary* mentor; other active assignments are secondary (a
    counsellor, a coach). Assignments are made by school admins (onboarding) and read by mentoring.
    """

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_primary = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school_id", "mentor_id", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "mentor", "student"],
                condition=Q(is_active=True),
                name="one_active_assignment_per_mentor_student",
            ),
            models.UniqueConstraint(
                fields=["school", "student"],
                condition=Q(is_active=True, is_primary=True),
                name="one_active_primary_mentor_per_student",
                violation_error_message="This student already has a primary mentor.",
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("student")), name="mentor_is_not_student"),
        ]
        indexes = [
            models.Index(fields=["school", "mentor", "is_active"], name="assignment_mentor"),
            models.Index(fields=["school", "student", "is_active"], name="assignment_student"),
        ]

    def __str__(self) -> str:
        kind = "primary" if self.is_primary else "secondary"
        return f"{self.mentor} mentors {self.student} ({kind})"

    def clean(self):
        if self.mentor_id and self.mentor_id == self.student_id:
            raise ValidationError({"mentor": "A student cannot mentor themselves."})
