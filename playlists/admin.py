from django.contrib import admin

from playlists.models import (
    ChoiceBoard,
    Competency,
    CompetencyPrerequisite,
    ContentItem,
    Framework,
    ItemProgress,
    Milestone,
    MilestoneSubmission,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
    Project,
    RubricDimension,
    RubricScore,
    Subject,
)
from plp.admin_tools import UnscopedAdmin


@admin.register(Subject)
class SubjectAdmin(UnscopedAdmin):
    list_display = ["name", "school"]
    search_fields = ["name"]


@admin.register(Framework)
class FrameworkAdmin(UnscopedAdmin):
    list_display = ["title", "subject", "school", "case_identifier"]
    list_select_related = ["subject", "school"]
    search_fields = ["title", "case_identifier"]


@admin.register(Competency)
class CompetencyAdmin(UnscopedAdmin):
    list_display = ["code", "title", "framework", "school"]
    list_select_related = ["framework", "school"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["framework", "subject", "parent"]


@admin.register(CompetencyPrerequisite)
class CompetencyPrerequisiteAdmin(UnscopedAdmin):
    list_display = ["prerequisite", "competency", "school"]
    list_select_related = ["prerequisite", "competency", "school"]
    autocomplete_fields = ["competency", "prerequisite"]


@admin.register(ContentItem)
class ContentItemAdmin(UnscopedAdmin):
    list_display = ["title", "kind", "estimated_minutes", "school"]
    list_select_related = ["school"]
    list_filter = ["kind"]
    search_fields = ["title"]
    autocomplete_fields = ["competencies", "created_by"]


@admin.register(Playlist)
class PlaylistAdmin(UnscopedAdmin):
    list_display = ["title", "tier", "subject", "school"]
    list_select_related = ["subject", "school"]
    search_fields = ["title", "focus_area"]
    autocomplete_fields = ["subject", "created_by"]


@admin.register(ChoiceBoard)
class ChoiceBoardAdmin(UnscopedAdmin):
    list_display = ["label", "choose", "playlist", "school"]
    list_select_related = ["playlist", "school"]
    search_fields = ["label"]
    autocomplete_fields = ["playlist"]


@admin.register(PlaylistItem)
class PlaylistItemAdmin(UnscopedAdmin):
    list_display = ["playlist", "position", "item", "required", "school"]
    list_select_related = ["playlist", "item", "school"]
    autocomplete_fields = ["playlist", "item", "choice_board"]


@admin.register(PlaylistAssignment)
class PlaylistAssignmentAdmin(UnscopedAdmin):
    list_display = ["playlist", "section", "student", "start_date", "target_date", "school"]
    list_select_related = ["playlist", "section", "student", "school"]
    autocomplete_fields = ["playlist", "section", "student", "assigned_by"]


@admin.register(ItemProgress)
class ItemProgressAdmin(UnscopedAdmin):
    list_display = ["student", "item", "status", "seconds_spent", "completed_at", "school"]
    list_select_related = ["student", "item", "school"]
    list_filter = ["status"]
    autocomplete_fields = ["student", "item"]


@admin.register(Project)
class ProjectAdmin(UnscopedAdmin):
    list_display = ["title", "section", "school"]
    list_select_related = ["section", "school"]
    search_fields = ["title", "driving_question"]
    autocomplete_fields = ["section", "created_by"]


@admin.register(Milestone)
class MilestoneAdmin(UnscopedAdmin):
    list_display = ["title", "project", "due_date", "school"]
    list_select_related = ["project", "school"]
    search_fields = ["title"]
    autocomplete_fields = ["project"]


@admin.register(RubricDimension)
class RubricDimensionAdmin(UnscopedAdmin):
    list_display = ["name", "project", "school"]
    list_select_related = ["project", "school"]
    search_fields = ["name"]
    autocomplete_fields = ["project", "competencies"]


@admin.register(MilestoneSubmission)
class MilestoneSubmissionAdmin(UnscopedAdmin):
    list_display = ["milestone", "student", "submitted_at", "school"]
    list_select_related = ["milestone", "student", "school"]
    autocomplete_fields = ["milestone", "student"]


@admin.register(RubricScore)
class RubricScoreAdmin(UnscopedAdmin):
    list_display = ["student", "dimension", "level", "scored_at", "school"]
    list_select_related = ["student", "dimension", "school"]
    autocomplete_fields = ["student", "dimension", "competencies", "scored_by"]
