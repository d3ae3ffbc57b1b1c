"""The fail-closed manager and the abstract base of every tenant-owned model."""

from django.db import models

from plp.tenancy.context import current_school_id, school_scope


class SchoolScopedManager(models.Manager):
    """Default manager of tenant-owned models: only the active school's rows, or an error.

    ``unscoped()`` is the explicit, greppable escape hatch for platform staff (Django admin), the school
    picker and cross-school sweeps; every use should say why in a comment.
    """

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(school_id=current_school_id())

    def unscoped(self) -> models.QuerySet:
        return super().get_queryset()


class SchoolOwnedModel(models.Model):
    """A row that belongs to exactly one school (the tenant)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")

    objects = SchoolScopedManager()

    class Meta:
        abstract = True

    # Uniqueness is checked through the default manager; every unique constraint on tenant data includes
    # the school, so the check runs inside the object's own school.
    def validate_unique(self, exclude=None):
        if self.school_id is None:
            return super().validate_unique(exclude=exclude)
        with school_scope(self.school_id):
            return super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude=None):
        if self.school_id is None:
            return super().validate_constraints(exclude=exclude)
        with school_scope(self.school_id):
            return super().validate_constraints(exclude=exclude)
