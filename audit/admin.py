from django.contrib import admin

from audit.models import AuditEntry
from plp.admin_tools import UnscopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(UnscopedAdmin):
    """Read-only for platform staff too: the log is append-only (only the retention prune deletes)."""

    list_display = ["at", "kind", "actor", "student", "roles", "ip", "school"]
    list_filter = ["kind"]
    search_fields = ["actor__email", "path"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
