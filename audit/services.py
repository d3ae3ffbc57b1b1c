"""Writes of the audit log besides the per-request buffer: the retention prune, and entries recorded by
the platform itself (outside any request, e.g. the retention schedule's erasures)."""

import datetime as dt

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from audit.models import AuditEntry


def audit_entry_record(
    *,
    school_id: int,
    kind: str,
    student_id: int | None,
    actor_id: int | None = None,
    roles: str = "",
    ip: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """One entry written now, inside the caller's transaction (an erasure: its entry commits with it, or
    neither does), or outside any request (the retention schedule, whose actor is the platform)."""
    return AuditEntry.objects.create(
        school_id=school_id,
        kind=kind,
        student_id=student_id,
        actor_id=actor_id,
        ip=ip[:64],
        roles=(roles if actor_id else "platform")[:120],
        object_type=object_type,
        object_id=str(object_id),
    )


def _owns(connection, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [table],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def audit_prune(*, school_id: int, retention_days: int, now: dt.datetime | None = None) -> int:
    """Delete the school's entries older than ``retention_days``; returns how many.

    The only delete the log allows, on the connection ``settings.AUDIT_PRUNE_DATABASE`` (default
    ``default``). The app role has no DELETE on the table: on PostgreSQL it calls the owner's
    ``audit_prune_expired`` (audit/migrations/0003), which also keeps whatever is younger than the school's
    own retention setting. As the owner (``PLP_AUDIT_PRUNE_DATABASE_URL``, or SQLite) it is a plain DELETE;
    on PostgreSQL the transaction sets ``plp.audit_prune`` so the append-only trigger lets it through, and
    only for the owner.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days)
    alias = getattr(settings, "AUDIT_PRUNE_DATABASE", "default")
    table = AuditEntry._meta.db_table
    connection = connections[alias]
    if connection.vendor == "postgresql" and not _owns(connection, table):
        # The app role: through the owner's function, which never deletes what the school's retention keeps.
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_prune_expired(%s, %s)", [school_id, cutoff])
            return cursor.fetchone()[0]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('plp.audit_prune', 'on', true)")
        cursor.execute(f"DELETE FROM {table} WHERE school_id = %s AND at < %s", [school_id, cutoff])
        return cursor.rowcount
