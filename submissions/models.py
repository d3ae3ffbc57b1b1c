"""Files students hand in for a project milestone or for a content item of their playlist: the bytes live
in a storage (``STORAGES["submissions"]``: local disk or S3), under a random name; the row keeps what the
student called the file as metadata."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from plp.tenancy.models import SchoolOwnedModel


class SubmissionFile(SchoolOwnedModel):
    """One file handed in for a milestone or for a content item (exactly one of the two). A newer file
    supersedes it (``superseded_at``) rather than overwriting it: what a teacher may already have opened
    stays there, marked as replaced."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(
        "playlists.Milestone", on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    item = models.ForeignKey(
        "playlists.ContentItem", on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    blob = models.CharField(
        max_length=200, unique=True, help_text="The stored name: random, never the user's."
    )
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, help_text="What the content is (sniffed), e.g. pdf.")
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["milestone_id", "student_id", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "milestone", "student"],
                condition=Q(superseded_at=None),
                name="one_current_file_per_milestone_student",
            ),
            models.UniqueConstraint(
                fields=["school", "item", "student"],
                condition=Q(superseded_at=None, item__isnull=False),
                name="one_current_file_per_item_student",
            ),
            models.CheckConstraint(
                condition=Q(milestone__isnull=False, item__isnull=True)
                | Q(milestone__isnull=True, item__isnull=False),
                name="file_for_a_milestone_or_an_item",
            ),
        ]

    def __str__(self) -> str:
        target = f"milestone {self.milestone_id}" if self.milestone_id else f"item {self.item_id}"
        return f"{self.original_name} ({self.student_id} · {target})"

    def clean(self):
        if self.milestone_id and self.school_id and self.milestone.school_id != self.school_id:
            raise ValidationError({"milestone": "The milestone belongs to another school."})
        if self.item_id and self.school_id and self.item.school_id != self.school_id:
            raise ValidationError({"item": "The item belongs to another school."})
