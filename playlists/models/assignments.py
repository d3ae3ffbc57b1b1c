"""A playlist given to a section or one student (with its dates), and each student's progress on an
item.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from playlists.models.common import same_school
from playlists.models.content import ContentItem
from playlists.models.playlists import Playlist
from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel
from plp.timefmt import format_day


class PlaylistAssignment(SchoolOwnedModel):
    """A playlist given to a whole section or to one student, with a pacing plan (start → target date)."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="assignments")
    section = models.ForeignKey(
        "schools.Section", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    target_date = models.DateField()
    assigned_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=False, student__isnull=True)
                | Q(section__isnull=True, student__isnull=False),
                name="assigned_to_section_xor_student",
            ),
            models.CheckConstraint(
                condition=Q(target_date__gte=F("start_date")), name="assignment_target_after_start"
            ),
            models.UniqueConstraint(
                fields=["school", "playlist", "section"],
                condition=Q(section__isnull=False),
                name="unique_assignment_per_section",
            ),
            models.UniqueConstraint(
                fields=["school", "playlist", "student"],
                condition=Q(student__isnull=False),
                name="unique_assignment_per_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.playlist} → {self.section or self.student} by {format_day(self.target_date)}"

    def clean(self):
        if bool(self.section_id) == bool(self.student_id):
            raise ValidationError("Assign to a section or to a student, not both.")
        if self.start_date and self.target_date and self.target_date < self.start_date:
            raise ValidationError({"target_date": "The target date is before the start date."})
        same_school(self, section=self.section if self.section_id else None)


class ItemProgress(SchoolOwnedModel):
    """One student's progress on one content item (shared by every playlist that holds it).

    "Done" means the student finished it; mastery is decided elsewhere, from evidence."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    seconds_spent = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["student_id", "item_id"]
        verbose_name_plural = "item progress"
        constraints = [
            models.UniqueConstraint(fields=["school", "student", "item"], name="unique_progress_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.item_id}: {self.status}"
