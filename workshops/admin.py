from django.contrib import admin

from plp.admin_tools import UnscopedAdmin
from workshops.models import LearningBlock, Seat, Workshop


@admin.register(LearningBlock)
class LearningBlockAdmin(UnscopedAdmin):
    list_display = ["school", "weekday", "starts", "ends", "label"]
    list_select_related = ["school"]
    search_fields = ["label"]


@admin.register(Workshop)
class WorkshopAdmin(UnscopedAdmin):
    list_display = ["competency", "teacher", "starts_at", "capacity", "status", "school"]
    list_select_related = ["competency", "teacher", "school"]
    search_fields = ["competency__code", "teacher__email", "location"]
    autocomplete_fields = ["teacher", "created_by", "competency", "section"]
    raw_id_fields = ["block"]


@admin.register(Seat)
class SeatAdmin(UnscopedAdmin):
    list_display = ["workshop", "student", "kind", "is_active", "attendance", "school"]
    list_select_related = ["workshop", "student", "school"]
    search_fields = ["student__email"]
    autocomplete_fields = ["student", "recorded_by", "workshop"]
