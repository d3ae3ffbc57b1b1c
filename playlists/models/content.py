"""Content items: a reading, a video, an external link, an exercise or an external tool (LTI), aligned to
competencies and tagged by interest.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

from playlists.models.common import AuthoredContent, ImportedContent
from playlists.models.frameworks import Competency

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ContentItem(ImportedContent, AuthoredContent):
    """One thing to read, watch, visit or practise; aligned to competencies."""

    class Kind(models.TextChoices):
        READING = "reading", "Reading"
        VIDEO = "video", "Video"
        LINK = "link", "External link"
        EXERCISE = "exercise", "Exercise"
        LTI_TOOL = "lti_tool", "External tool (LTI)"

    class Difficulty(models.IntegerChoices):
        INTRO = 1, "Introductory"
        CORE = 2, "Core"
        STRETCH = 3, "Stretch"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.READING)
    body = models.TextField(blank=True, help_text="Markdown for readings (HTML is shown as text).")
    url = models.URLField(max_length=500, blank=True, help_text="The video or the external page.")
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty.choices, default=Difficulty.CORE)
    competencies = models.ManyToManyField(Competency, related_name="content_items", blank=True)
    interest_tags = models.JSONField(default=list, blank=True, help_text="Lowercase slugs, e.g. sports.")
    accessibility_note = models.CharField(max_length=300, blank=True)
    asks_for_file = models.BooleanField(
        "asks for a file",
        default=False,
        help_text="Students hand a file in for this item (a photo of their worked steps, a document); its "
        "page shows the hand-in only when this is on.",
    )

    class Meta:
        ordering = ["title", "pk"]
        constraints = [ImportedContent.unique_source_key("unique_item_source_key")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.kind in {self.Kind.VIDEO, self.Kind.LINK} and not self.url:
            raise ValidationError({"url": "A video or a link needs its address."})
        if self.kind == self.Kind.LTI_TOOL and self.asks_for_file:
            raise ValidationError(
                {
                    "asks_for_file": "An external tool's item is done in the tool, which reports back: "
                    "it takes no file."
                }
            )
        if self.kind == self.Kind.READING and not self.body.strip():
            raise ValidationError({"body": "A reading needs its text."})
        tags = self.interest_tags
        if not isinstance(tags, list) or not all(isinstance(t, str) and SLUG.fullmatch(t) for t in tags):
            raise ValidationError(
                {"interest_tags": "Tags are lowercase words joined by -, e.g. space-travel."}
            )
