from django.contrib import admin

from engine.models import (
    Flag,
    FlagEvent,
    ItemDirective,
    SchoolThresholds,
    StudentEngineState,
    StudentRecommendation,
)
from plp.admin_tools import UnscopedAdmin


@admin.register(Flag)
class FlagAdmin(UnscopedAdmin):
    list_display = ["student", "kind", "severity", "status", "school", "raised_at"]
    list_filter = ["kind", "status", "severity"]
    list_select_related = ["student", "school"]
    search_fields = ["student__email", "summary"]
    autocomplete_fields = ["student", "handled_by"]


@admin.register(FlagEvent)
class FlagEventAdmin(UnscopedAdmin):
    list_display = ["flag", "action", "by", "at"]
    list_select_related = ["flag__student", "by"]
    autocomplete_fields = ["flag", "by"]


@admin.register(SchoolThresholds)
class SchoolThresholdsAdmin(UnscopedAdmin):
    list_display = ["school", "wheel_spin_answers", "inactive_school_days", "attention_enter_score"]
    list_select_related = ["school"]


@admin.register(StudentRecommendation)
class StudentRecommendationAdmin(UnscopedAdmin):
    list_display = ["student", "rank", "kind", "reason", "school", "computed_at"]
    list_select_related = ["student", "school"]
    search_fields = ["student__email"]
    autocomplete_fields = ["student", "item", "playlist", "competency"]


@admin.register(ItemDirective)
class ItemDirectiveAdmin(UnscopedAdmin):
    list_display = ["student", "item", "kind", "reason", "is_active", "school"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["student", "item", "school"]
    search_fields = ["student__email", "reason"]
    autocomplete_fields = ["student", "item", "created_by", "ended_by"]


@admin.register(StudentEngineState)
class StudentEngineStateAdmin(UnscopedAdmin):
    list_display = ["student", "school", "dirty_since", "computed_at"]
    list_select_related = ["student", "school"]
    search_fields = ["student__email"]
    autocomplete_fields = ["student"]
