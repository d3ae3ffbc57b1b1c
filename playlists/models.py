"""Competency frameworks, content items, playlists, their assignments and per-student progress.

Projects live in playlists/projects/models.py (imported at the end of this module)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from plp.tenancy.models import SchoolOwnedModel
from plp.timefmt import format_day

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class Subject(SchoolOwnedModel):
    """A school's subject (Mathematics, English Language Arts): the unit students level up in."""

    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_subject_per_school")]

    def __str__(self) -> str:
        return self.name


class Framework(SchoolOwnedModel):
    """A set of competencies a school adopted: typically one CASE CFDocument, or a CSV the school wrote."""

    title = models.CharField(max_length=300)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="frameworks")
    case_identifier = models.CharField(
        max_length=64, blank=True, help_text="The CASE CFDocument identifier it was imported from."
    )
    case_uri = models.URLField(max_length=500, blank=True)
    source_key = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Where it was imported from (cartridge ids)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="unique_framework_title_per_school"),
            models.UniqueConstraint(
                fields=["school", "case_identifier"],
                condition=~Q(case_identifier=""),
                name="unique_framework_case_identifier_per_school",
            ),
            models.UniqueConstraint(
                fields=["school", "source_key"],
                condition=~Q(source_key=""),
                name="unique_framework_source_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Competency(SchoolOwnedModel):
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
    source_key = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Where it was imported from (cartridge ids)."
    )
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
            models.UniqueConstraint(
                fields=["school", "framework", "case_identifier"],
                condition=~Q(case_identifier=""),
                name="unique_competency_case_identifier_per_framework",
            ),
            models.UniqueConstraint(
                fields=["school", "source_key"],
                condition=~Q(source_key=""),
                name="unique_competency_source_key",
            ),
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
        _same_school(
            self,
            competency=self.competency if self.competency_id else None,
            prerequisite=self.prerequisite if self.prerequisite_id else None,
        )


def _same_school(obj, **related) -> None:
    """Refuse links to another school's rows (forward FKs bypass the scoped manager)."""
    errors = {}
    for field_name, other in related.items():
        if other is not None and obj.school_id and other.school_id != obj.school_id:
            errors[field_name] = "This belongs to another school."
    if errors:
        raise ValidationError(errors)


class ContentItem(SchoolOwnedModel):
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
    source_key = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Where it was imported from (cartridge ids)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_key"], condition=~Q(source_key=""), name="unique_item_source_key"
            )
        ]

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


class Playlist(SchoolOwnedModel):
    """A focus area: ordered items students work through at their own pace."""

    class Tier(models.TextChoices):
        POWER = "power", "Power focus area"
        ADDITIONAL = "additional", "Additional focus area"
        CHALLENGE = "challenge", "Challenge focus area"

    title = models.CharField(max_length=200)
    focus_area = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.POWER)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="playlists")
    source_key = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Where it was imported from (cartridge ids)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="unique_playlist_title"),
            models.UniqueConstraint(
                fields=["school", "source_key"],
                condition=~Q(source_key=""),
                name="unique_playlist_source_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        _same_school(self, subject=self.subject if self.subject_id else None)


class ChoiceBoard(SchoolOwnedModel):
    """ "Choose k of n": the student picks which of the board's items to do."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="choice_boards")
    label = models.CharField(max_length=120)
    choose = models.PositiveSmallIntegerField(default=1, help_text="How many items the student must do.")

    class Meta:
        ordering = ["playlist_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "playlist", "label"], name="unique_board_label"),
            models.CheckConstraint(condition=Q(choose__gte=1), name="board_choose_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.label} (choose {self.choose})"

    def clean(self):
        _same_school(self, playlist=self.playlist if self.playlist_id else None)


class PlaylistItem(SchoolOwnedModel):
    """An item's place in a playlist: the ordered link table."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="playlist_items")
    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="placements")
    position = models.PositiveIntegerField()
    required = models.BooleanField(default=True)
    choice_board = models.ForeignKey(
        ChoiceBoard, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )

    class Meta:
        ordering = ["playlist_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "playlist", "item"], name="unique_item_in_playlist"),
            models.UniqueConstraint(
                fields=["school", "playlist", "position"], name="unique_position_in_playlist"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.playlist} #{self.position}: {self.item}"

    def clean(self):
        _same_school(
            self,
            playlist=self.playlist if self.playlist_id else None,
            item=self.item if self.item_id else None,
            choice_board=self.choice_board if self.choice_board_id else None,
        )
        if self.choice_board_id and self.playlist_id and self.choice_board.playlist_id != self.playlist_id:
            raise ValidationError({"choice_board": "That choice board belongs to another playlist."})

    @property
    def counts_as_required(self) -> bool:
        return self.required and self.choice_board_id is None


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
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
        _same_school(self, section=self.section if self.section_id else None)


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


from playlists.projects.models import (  # noqa: E402,F401  (registers the project models)
    Milestone,
    MilestoneSubmission,
    Project,
    RubricDimension,
    RubricScore,
)
