from django.contrib import admin

from playlists.models import Competency, CompetencyPrerequisite, Framework, Subject
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
