"""Reads of the xAPI app: the school's LRS connection and how its outbox stands (for the settings page)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q

from accounts.models import User
from sso.crypto import secret_decrypt
from xapi.models import LrsConnection, OutboxStatement

RECENT_PROBLEMS = 10
WITHHELD_SHOWN = 20


def lrs_connection_get() -> LrsConnection | None:
    return LrsConnection.objects.first()


def secret_hint(connection: LrsConnection | None) -> str:
    """The stored secret as the page may show it: its last characters only."""
    if connection is None or not connection.has_secret:
        return ""
    secret = secret_decrypt(connection.secret_encrypted)
    if secret is None:
        return "unreadable (type it again)"
    return "••••" + secret[-3:] if len(secret) >= 8 else "••••"


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int
    sent: int
    rejected: int
    oldest_waiting: datetime | None
    problems: list  # the latest rows with an error (kept or rejected), newest first
    withheld: int = 0
    withheld_students: list = ()  # WithheldStudent, the latest first


@dataclass(frozen=True)
class WithheldStudent:
    student: User
    statements: int
    last_at: datetime
    why: str


def outbox_summary() -> OutboxSummary:
    """Counts in one query, whatever the outbox holds, the few latest problems in another, and the students
    whose statements were withheld (privacy) in three more."""
    waiting = Q(sent_at__isnull=True, rejected_at__isnull=True, withheld_at__isnull=True)
    totals = OutboxStatement.objects.aggregate(
        waiting=Count("pk", filter=waiting),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        rejected=Count("pk", filter=Q(rejected_at__isnull=False)),
        withheld=Count("pk", filter=Q(withheld_at__isnull=False)),
        oldest=Min("occurred_at", filter=waiting),
    )
    problems = list(
        OutboxStatement.objects.filter(sent_at__isnull=True, withheld_at__isnull=True)
        .exclude(last_error="")
        .order_by("-pk")
        .only(
            "pk",
            "verb",
            "object_kind",
            "occurred_at",
            "attempts",
            "next_attempt_at",
            "rejected_at",
            "last_error",
        )[:RECENT_PROBLEMS]
    )
    return OutboxSummary(
        waiting=totals["waiting"],
        sent=totals["sent"],
        rejected=totals["rejected"],
        oldest_waiting=totals["oldest"],
        problems=problems,
        withheld=totals["withheld"],
        withheld_students=_withheld_students() if totals["withheld"] else [],
    )


def _withheld_students() -> list[WithheldStudent]:
    """The students whose statements were withheld, latest first, with the reason given the last time."""
    per_student = list(
        OutboxStatement.objects.filter(withheld_at__isnull=False)
        .values("student_id")
        .annotate(statements=Count("pk"), last_at=Max("withheld_at"), last_pk=Max("pk"))
        .order_by("-last_at", "-student_id")[:WITHHELD_SHOWN]
    )
    why = dict(
        OutboxStatement.objects.filter(pk__in=[row["last_pk"] for row in per_student]).values_list(
            "student_id", "last_error"
        )
    )
    users = User.objects.in_bulk([row["student_id"] for row in per_student])
    return [
        WithheldStudent(
            student=users[row["student_id"]],
            statements=row["statements"],
            last_at=row["last_at"],
            why=why.get(row["student_id"], ""),
        )
        for row in per_student
        if row["student_id"] in users
    ]
