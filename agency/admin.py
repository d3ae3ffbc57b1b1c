"""Platform staff read and correct ladders and levels in the Django admin (unscoped, every school)."""

from django.contrib import admin

from agency.models import LadderRung, LadderSettings, LevelDecision, StudentLevel
from plp.admin_tools import UnscopedAdmin


@admin.register(LadderRung)
class LadderRungAdmin(UnscopedAdmin):
    list_display = ["rank", "name", "picks", "goals", "checks", "own_pace_target", "school"]
    ordering = ["school", "rank"]


@admin.register(LadderSettings)
class LadderSettingsAdmin(UnscopedAdmin):
    list_display = ["school", "start_rank", "weeks", "updated_at"]


@admin.register(StudentLevel)
class StudentLevelAdmin(UnscopedAdmin):
    list_display = ["student", "rank", "pace_target", "school"]
    autocomplete_fields = ["student"]
    search_fields = ["student__email"]


@admin.register(LevelDecision)
class LevelDecisionAdmin(UnscopedAdmin):
    list_display = ["student", "kind", "from_name", "to_name", "decided_by", "decided_at", "school"]
    list_filter = ["kind"]
    autocomplete_fields = ["student", "decided_by"]
    search_fields = ["student__email", "reason"]
    readonly_fields = ["evidence"]
