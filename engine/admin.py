from django.contrib import admin

from engine.models import Flag, FlagEvent, SchoolThresholds
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
    list_display = ["school", "wheel_spin_answers", "inactive_school_days", "check_in_days"]
    list_select_related = ["school"]
