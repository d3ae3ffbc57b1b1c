from django.contrib import admin

from audit.models import AuditEntry
from plp.admin_tools import AppendOnlyAdminMixin, UnscopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdminMixin, UnscopedAdmin):
    """Read-only for platform staff too: the log is append-only (only the retention prune deletes)."""

    list_display = ["at", "kind", "actor", "student", "roles", "ip", "school"]
    list_filter = ["kind"]
    search_fields = ["actor__email", "path"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
