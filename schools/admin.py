from django.contrib import admin

from plp.admin_tools import UnscopedAdmin
from schools.models import (
    Enrollment,
    ImportRun,
    Invitation,
    Membership,
    MentorAssignment,
    Organization,
    OrganizationAdmin,
    RosterPerson,
    School,
    SchoolSettings,
    Section,
    Term,
)


class OrganizationAdminInline(admin.TabularInline):
    model = OrganizationAdmin
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationModelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OrganizationAdminInline]


@admin.register(OrganizationAdmin)
class OrganizationAdminModelAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "created_at")
    list_select_related = ("user", "organization")
    autocomplete_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "organization", "timezone", "is_active")
    list_filter = ("is_active", "organization")
    list_select_related = ("organization",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SchoolSettings)
class SchoolSettingsAdmin(UnscopedAdmin):
    """A school's pace tolerance and check-in cadence (the engine's other thresholds: engine's admin, "School
    thresholds"; school admins try and apply both in the policy sandbox)."""

    list_display = ["school", "pace_margin", "check_in_days", "check_in_grace_days"]
    list_select_related = ["school"]


@admin.register(Membership)
class MembershipAdmin(UnscopedAdmin):
    list_display = ("user", "school", "role", "is_active")
    list_filter = ("role", "is_active", "school")
    list_select_related = ("user", "school")
    search_fields = ("user__email", "user__family_name")
    autocomplete_fields = ["user"]


@admin.register(Term)
class TermAdmin(UnscopedAdmin):
    list_display = ("name", "school", "start_date", "end_date")
    list_filter = ("school",)
    list_select_related = ("school",)


@admin.register(Section)
class SectionAdmin(UnscopedAdmin):
    list_display = ("name", "code", "school", "term")
    list_filter = ("school",)
    list_select_related = ("school", "term")
    search_fields = ("name", "code")


@admin.register(Enrollment)
class EnrollmentAdmin(UnscopedAdmin):
    list_display = ("user", "section", "role", "school", "is_active")
    list_filter = ("role", "is_active", "school")
    list_select_related = ("user", "section", "school")
    search_fields = ("user__email", "section__name")
    autocomplete_fields = ["section", "user"]  # raw-id widgets read through the scoped manager


@admin.register(RosterPerson)
class RosterPersonAdmin(UnscopedAdmin):
    list_display = ("sourced_id", "user", "role", "school", "is_active")
    list_filter = ("role", "is_active", "school")
    list_select_related = ("user", "school")
    search_fields = ("sourced_id", "user__email")
    autocomplete_fields = ["user"]


@admin.register(ImportRun)
class ImportRunAdmin(UnscopedAdmin):
    list_display = ("pk", "school", "status", "created_by", "created_at", "finished_at")
    list_filter = ("status", "school")
    list_select_related = ("school", "created_by")
    exclude = ("archive",)
    readonly_fields = ("digests", "report", "counts", "modes")
    autocomplete_fields = ["created_by"]


@admin.register(Invitation)
class InvitationAdmin(UnscopedAdmin):
    list_display = ("user", "school", "times_sent", "last_sent_at", "accepted_at")
    list_filter = ("school",)
    list_select_related = ("user", "school")
    autocomplete_fields = ["user", "sent_by"]


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(UnscopedAdmin):
    list_display = ["mentor", "student", "school", "is_primary", "is_active"]
    list_filter = ["is_active", "is_primary"]
    autocomplete_fields = ["mentor", "student", "assigned_by"]
    search_fields = ["mentor__email", "student__email"]
