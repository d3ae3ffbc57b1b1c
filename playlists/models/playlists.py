"""Playlists (focus areas): the items students work through in order at their own pace, some grouped into
choice boards (choose k of n).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from playlists.models.common import AuthoredContent, ImportedContent, same_school
from playlists.models.content import ContentItem
from playlists.models.frameworks import Subject
from plp.tenancy.models import SchoolOwnedModel


class Playlist(ImportedContent, AuthoredContent):
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

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="unique_playlist_title"),
            ImportedContent.unique_source_key("unique_playlist_source_key"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        same_school(self, subject=self.subject if self.subject_id else None)


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
        same_school(self, playlist=self.playlist if self.playlist_id else None)


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
        same_school(
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
