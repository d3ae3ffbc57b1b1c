from django.contrib import admin

from mentoring.models import CheckIn, CheckInChange, CheckInGoalReview, Goal, GoalChange
from plp.admin_tools import FieldChangeAdmin, UnscopedAdmin


@admin.register(Goal)
class GoalAdmin(UnscopedAdmin):
    list_display = ["text", "student", "kind", "week_of", "status", "school"]
    list_filter = ["kind", "status"]
    autocomplete_fields = ["student", "created_by", "competencies", "items"]
    search_fields = ["text", "student__email"]


@admin.register(GoalChange)
class GoalChangeAdmin(FieldChangeAdmin):
    search_fields = ["goal__text"]


@admin.register(CheckIn)
class CheckInAdmin(UnscopedAdmin):
    list_display = ["student", "mentor", "date", "format", "school"]
    list_filter = ["format"]
    autocomplete_fields = ["student", "mentor"]
    search_fields = ["student__email", "mentor__email"]


@admin.register(CheckInChange)
class CheckInChangeAdmin(FieldChangeAdmin):
    search_fields = ["check_in__student__email"]


@admin.register(CheckInGoalReview)
class CheckInGoalReviewAdmin(UnscopedAdmin):
    list_display = ["check_in", "goal", "status", "school"]
    autocomplete_fields = ["check_in", "goal"]
    search_fields = ["goal__text"]
