"""Django admin for tenant-owned models: platform staff see every school, so the admin reads unscoped."""

from django.contrib import admin
from django.db import models

from plp.tenancy.models import SchoolScopedManager


class UnscopedAdmin(admin.ModelAdmin):
    """The admin is for platform staff across all schools: every queryset here is ``unscoped()``."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today

    def get_queryset(self, request):
        queryset = self.model.objects.unscoped()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if isinstance(related._default_manager, SchoolScopedManager) and "queryset" not in kwargs:
            kwargs["queryset"] = related.objects.unscoped()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if isinstance(related._default_manager, SchoolScopedManager) and "queryset" not in kwargs:
            kwargs["queryset"] = related.objects.unscoped()  # unscoped: platform staff, every school
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """Rows only the app writes (an erasure's record, API tokens): staff read them, never add or change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppendOnlyAdminMixin(ReadOnlyAdminMixin):
    """Append-only logs (the audit log, the evidence ledger): not even deleted by staff."""

    def has_delete_permission(self, request, obj=None):
        return False


class FieldChangeAdmin(UnscopedAdmin):
    """A change log of ``plp.history`` (profiles, goals, check-ins): each change listed with its record (the
    model's ``subject``), the field, who and when; a subclass says what to search."""

    def __init__(self, model, admin_site):
        self.list_display = [model.subject, "field", "changed_by", "changed_at", "school"]
        self.autocomplete_fields = [model.subject, "changed_by"]
        super().__init__(model, admin_site)
