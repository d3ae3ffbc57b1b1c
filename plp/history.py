"""Field-change logs: one changed field of a record, what it was and what it became (as people read them),
who changed it and when. Student profiles, goals and check-ins each keep one; the columns, their meaning
and the way a change is written are shared here so the three cannot drift apart."""

from django.db import models
from django.utils import timezone

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel


class FieldChange(SchoolOwnedModel):
    """The shared columns. A concrete log adds the foreign key to its record (named by ``subject``) and
    its own Meta (ordering, index). ``changed_at`` is a default rather than ``auto_now_add`` so that the
    rows of one edit can share one time and list together."""

    subject: str  # the name of the foreign key to the changed record, set by each concrete log

    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = actor_field()
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def of(cls, record, *, field: str, old, new, actor, at=None):
        """An unsaved change of ``record``'s ``field`` (values as text: lists joined, ``None`` empty), for a
        bulk insert with the edit's other changes."""
        return cls(
            school_id=record.school_id,
            field=field,
            old_value=as_history_text(old),
            new_value=as_history_text(new),
            changed_by=actor,
            changed_at=at or timezone.now(),
            **{cls.subject: record},
        )


def as_history_text(value) -> str:
    """A value as a change log keeps it: lists joined with commas, ``None`` and empty as ""."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
