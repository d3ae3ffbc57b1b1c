from django.contrib import admin

from learners.models import Career, LearningPlan, PlanFocus, ProfileChange, StudentProfile
from plp.admin_tools import FieldChangeAdmin, UnscopedAdmin


@admin.register(StudentProfile)
class StudentProfileAdmin(UnscopedAdmin):
    list_display = ["student", "school", "updated_at"]
    autocomplete_fields = ["student", "aspiration_careers"]
    search_fields = ["student__email", "student__family_name"]


@admin.register(ProfileChange)
class ProfileChangeAdmin(FieldChangeAdmin):
    search_fields = ["profile__student__email", "field"]


@admin.register(Career)
class CareerAdmin(UnscopedAdmin):
    list_display = ["name", "school"]
    autocomplete_fields = ["competencies"]
    search_fields = ["name"]


@admin.register(LearningPlan)
class LearningPlanAdmin(UnscopedAdmin):
    list_display = ["student", "term", "school"]
    autocomplete_fields = ["student"]  # term: a select (TermAdmin has no search)
    search_fields = ["student__email"]


@admin.register(PlanFocus)
class PlanFocusAdmin(UnscopedAdmin):
    list_display = ["plan", "competency", "focus_area", "target_date", "school"]
    autocomplete_fields = ["plan", "competency"]
    search_fields = ["focus_area"]
