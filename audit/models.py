"""The read-access audit log: who saw which student's record, or exported what, when and from where.

Append-only, three walls deep:

* Django: ``save()`` of an existing row and ``delete()`` raise; the querysets refuse ``update()``,
  ``delete()`` and ``bulk_update()`` (:class:`AppendOnly`).
* PostgreSQL: a trigger (migration 0002) raises on every UPDATE, and on DELETE unless the session is the
  table owner *and* has set ``plp.audit_prune = 'on'`` for the transaction (the retention prune,
  :func:`audit.services.audit_prune`).
* Privileges: the application's database role must hold **INSERT and SELECT only** on this table (no UPDATE,
  DELETE or TRUNCATE); the retention prune runs as the table owner (the migrations role), never as the app.

Rows name people by id only (``actor``, ``student``: foreign keys without a database constraint, never
cascaded), never by name: erasing a student pseudonymizes their account, so the log turns pseudonymous by
itself and never has to be rewritten.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from plp.tenancy.models import SchoolOwnedModel, SchoolScopedManager, SchoolScopedQuerySet


def _person_by_id(**options) -> models.ForeignKey:
    """A person an entry names, by id only: no database constraint and never cascaded, so erasing or
    deleting an account leaves the log as it was (see the module docstring)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        **options,
    )


class AppendOnly(RuntimeError):
    """An audit entry was about to be changed or deleted."""


class _RefusesChanges:
    def update(self, **kwargs):
        raise AppendOnly("Audit entries are append-only: they cannot be updated.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly("Audit entries are append-only: they cannot be updated.")

    def delete(self):
        raise AppendOnly("Audit entries are append-only: only the retention prune removes old ones.")

    delete.queryset_only = True

    def _raw_delete(self, using):
        raise AppendOnly("Audit entries are append-only: only the retention prune removes old ones.")


class AuditQuerySet(_RefusesChanges, SchoolScopedQuerySet):
    pass


class UnscopedAuditQuerySet(_RefusesChanges, models.QuerySet):
    pass


class AuditManager(SchoolScopedManager.from_queryset(AuditQuerySet)):
    def unscoped(self) -> models.QuerySet:
        return UnscopedAuditQuerySet(model=self.model, using=self._db)


class AuditEntry(SchoolOwnedModel):
    """One read of a student's record (or one export) by a person, as the request that made it.

    **The app's database role must have INSERT and SELECT only on this table**; ``append_only = True`` tells
    the row-level-security migration so. See the module docstring for the three walls.
    """

    append_only = True

    class Kind(models.TextChoices):
        STUDENT_RECORD = "student_record", "Student drill-down"
        PROFILE = "profile", "Learner profile"
        LEARNING_PLAN = "learning_plan", "Learning plan"
        GOALS = "goals", "Goals"
        CHECK_INS = "check_ins", "Mentoring check-ins"
        BRIEF = "brief", "Check-in brief"
        MASTERY = "mastery", "Mastery record"
        CHECK_ATTEMPT = "check_attempt", "Mastery check"
        NEXT_UP = "next_up", "Next up, pins and vetoes"
        PROJECT_WORK = "project_work", "Project work"
        PRIVACY = "privacy", "Privacy page"
        STUDENT_DATA = "student_data", "Student data (other)"
        CSV_EXPORT = "csv_export", "CSV export"
        ROSTER_EXPORT = "roster_export", "Roster report export"
        STUDENT_EXPORT = "student_export", "Student data export"
        AUDIT_EXPORT = "audit_export", "Audit log export"
        ERASURE = "erasure", "Erasure"

    at = models.DateTimeField(default=timezone.now)
    actor = _person_by_id(
        help_text="Who read or exported (null: the platform itself, e.g. the retention schedule)."
    )
    roles = models.CharField(
        max_length=120, blank=True, help_text="Their roles in the school, comma-separated."
    )
    ip = models.CharField(max_length=64, blank=True, help_text="The client address, as the throttles see it.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    student = _person_by_id()
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    includes = models.CharField(
        max_length=120, blank=True, help_text="Sensitive parts shown: private_notes, accommodations."
    )
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["school", "at"], name="audit_school_at"),
            models.Index(fields=["school", "student", "at"], name="audit_school_student_at"),
            models.Index(fields=["school", "actor", "at"], name="audit_school_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of student {self.student_id} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit entries are append-only: an existing entry cannot be saved again.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit entries are append-only: only the retention prune removes old ones.")

    @property
    def includes_list(self) -> list[str]:
        return [part for part in self.includes.split(",") if part]
