from django.contrib import admin

from mentoring.models import MentorAssignment
from plp.admin_tools import UnscopedAdmin


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(UnscopedAdmin):
    list_display = ["mentor", "student", "school", "is_primary", "is_active"]
    list_filter = ["is_active", "is_primary"]
    autocomplete_fields = ["mentor", "student", "assigned_by"]
    search_fields = ["mentor__email", "student__email"]
