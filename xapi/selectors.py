"""Reads of the xAPI app: the school's LRS connection and how its outbox stands (for the settings page)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from sso.crypto import secret_decrypt
from xapi.models import LrsConnection, OutboxStatement

RECENT_PROBLEMS = 10


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


def outbox_summary() -> OutboxSummary:
    """Counts in one query, whatever the outbox holds, and the few latest problems in another."""
    waiting = Q(sent_at__isnull=True, rejected_at__isnull=True)
    totals = OutboxStatement.objects.aggregate(
        waiting=Count("pk", filter=waiting),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        rejected=Count("pk", filter=Q(rejected_at__isnull=False)),
        oldest=Min("occurred_at", filter=waiting),
    )
    problems = list(
        OutboxStatement.objects.filter(sent_at__isnull=True)
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
    )
