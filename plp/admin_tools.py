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
