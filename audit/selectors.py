"""Reads of the audit log, for the school's admins: filtered, paginated, and named for people."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    student_id: int | None = None
    actor_id: int | None = None
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_entries(*, filters: AuditFilter) -> QuerySet[AuditEntry]:
    """The active school's entries, newest first. People are joined, not copied: an erased student shows
    under their pseudonymized account (see privacy.services.student_erase)."""
    entries = AuditEntry.objects.select_related("actor", "student").order_by("-at", "-pk")
    if filters.student_id:
        entries = entries.filter(student_id=filters.student_id)
    if filters.actor_id:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return entries


def audit_people_choices() -> tuple[list[User], list[User]]:
    """Who appears in the active school's log, as readers and as students (for the filter's menus)."""
    actor_ids = AuditEntry.objects.exclude(actor_id=None).values("actor_id")
    student_ids = AuditEntry.objects.exclude(student_id=None).values("student_id")
    return list(User.objects.filter(pk__in=actor_ids)), list(User.objects.filter(pk__in=student_ids))


def audit_trail_of(*, student_id: int) -> QuerySet[AuditEntry]:
    """Everything the log holds about one student, oldest first (the student data export's audit trail)."""
    return AuditEntry.objects.filter(student_id=student_id).select_related("actor").order_by("at", "pk")


CSV_HEADER = [
    "at (UTC)",
    "kind",
    "reader",
    "reader email",
    "roles",
    "address",
    "student",
    "student id",
    "object",
    "object id",
    "sensitive parts",
    "method",
    "path",
]


def audit_csv_row(entry: AuditEntry) -> list[str]:
    return [
        entry.at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        entry.get_kind_display(),
        str(entry.actor) if entry.actor_id and entry.actor else "",
        entry.actor.email if entry.actor_id and entry.actor else "",
        entry.roles,
        entry.ip,
        str(entry.student) if entry.student_id and entry.student else "",
        entry.student_id or "",
        entry.object_type,
        entry.object_id,
        entry.includes,
        entry.method,
        entry.path,
    ]
