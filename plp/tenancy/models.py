"""The fail-closed manager and the abstract base of every tenant-owned model."""

from django.db import models
from django.db.models import Q

from plp.tenancy.context import active_school_id, current_school_id, school_scope


class ActiveSchoolId(models.Expression):
    """The active school's id, read when the SQL is compiled, not when the queryset is built.

    So a queryset may be *defined* anywhere (a ModelForm's choices at import time, a class attribute), but
    it can only *run* inside a school's scope: compiling it outside one raises ``NoActiveSchool``.
    """

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection):
        return "%s", [current_school_id()]


class SchoolScopedQuerySet(models.QuerySet):
    """A queryset whose cached rows are never served to another school.

    Rows already fetched stay readable once the scope has ended (a test reading ``response.context``);
    under a *different* school they are fetched again for that school instead.
    """

    _fetched_for_school_id: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A prefetch fills a fresh queryset's cache by hand, inside the scope that ran it: remember that
        # school so the prefetched rows are served to it (and to no other).
        self._made_in_school_id = active_school_id()

    def _fetch_all(self):
        school_id = active_school_id()
        if self._result_cache is not None and self._fetched_for_school_id is None:
            self._fetched_for_school_id = self._made_in_school_id  # filled by prefetch_related
        if self._result_cache is not None and school_id not in (None, self._fetched_for_school_id):
            # Evaluated under another school (a queryset kept in a module, a form, a long-lived
            # worker): run it again for the school active now instead of serving the other's rows.
            self._result_cache = None
            self._prefetch_done = False
        if self._result_cache is None:
            self._fetched_for_school_id = current_school_id()  # no school: NoActiveSchool
        super()._fetch_all()


class SchoolScopedManager(models.Manager.from_queryset(SchoolScopedQuerySet)):
    """Default manager of tenant-owned models: only the active school's rows, or an error.

    ``unscoped()`` is the explicit, greppable escape hatch for platform staff (Django admin), the school
    picker and cross-school sweeps; every use should say why in a comment.
    """

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(school_id=ActiveSchoolId())

    def unscoped(self) -> models.QuerySet:
        return models.QuerySet(model=self.model, using=self._db)


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


def unique_in_school_once_set(key: str, *, name: str, within: tuple[str, ...] = ()) -> models.BaseConstraint:
    """The uniqueness of an identifier given from outside (a roster's ``sourced_id``, a CASE identifier, an
    import's ``source_key``): one row per school (and per ``within``) once it is set; rows made by hand
    leave it empty and are not counted."""
    return models.UniqueConstraint(fields=["school", *within, key], condition=~Q(**{key: ""}), name=name)
