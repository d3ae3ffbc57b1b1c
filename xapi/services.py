"""Writes of the xAPI app: a school's LRS settings, the connection test, and the outbox drain (the worker's
side: build the statements of queued events, send them in batches, mark what the LRS acknowledged)."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from plp.sharing import sharing_refusals
from plp.tenancy.context import all_schools, current_school_id
from sso.crypto import secret_decrypt, secret_encrypt
from xapi import lrs
from xapi.building import build_statements
from xapi.models import LrsConnection, OutboxStatement

BATCH_SIZE = 100
MAX_BACKOFF = timedelta(hours=1)
KEEP_SENT = timedelta(days=30)  # delivered rows are kept a month (what was sent, when), then deleted


def lrs_connection_save(*, connection: LrsConnection | None, base_url: str, secret: str = "", **values):
    """Create or update the school's LRS connection. A blank secret keeps the stored one; the address of
    PLP (activity ids live under it) is recorded from the admin's request the first time."""
    connection = connection or LrsConnection(school_id=current_school_id())
    for name, value in values.items():
        setattr(connection, name, value)
    if secret:
        connection.secret_encrypted = secret_encrypt(secret)
    if not connection.base_url:
        connection.base_url = base_url
    connection.full_clean()
    connection.save()
    return connection


def lrs_connection_test(*, connection: LrsConnection) -> str:
    """Try the stored address and credentials (a read of one statement); raises ``lrs.LrsError``."""
    secret = secret_decrypt(connection.secret_encrypted)
    if secret is None:
        raise lrs.LrsError(
            "The stored secret cannot be read any more (the server key changed): type it again."
        )
    return lrs.probe(url=connection.statements_url, key=connection.key, secret=secret)


def outbox_retry_now() -> int:
    """An admin's "send now": every waiting statement is due at once (the next drain sends them)."""
    return OutboxStatement.objects.filter(
        sent_at__isnull=True, rejected_at__isnull=True, withheld_at__isnull=True
    ).update(next_attempt_at=timezone.now())


@dataclass
class DrainResult:
    sent: int = 0
    rejected: int = 0
    failed: int = 0  # kept for a later attempt
    withheld: int = 0  # never sent: the student's records may not leave PLP (privacy)
    error: str = ""


def _backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4... minutes, capped at an hour, with jitter (many schools' retries do not align)."""
    base = min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)
    return base * random.uniform(0.8, 1.2)


def outbox_drain(*, now=None, batch_size: int = BATCH_SIZE, max_batches: int = 20) -> DrainResult:
    """Send the active school's due statements, oldest first, in batches. Rows stay until the LRS
    acknowledges them: an unreachable LRS or refused credentials leave them queued with a later attempt
    (and the error on the settings page); a statement the LRS refuses alone (400) is set aside as rejected
    so it cannot block the others. A statement about a student whose records may not leave PLP (under 13
    without their parent's consent: privacy.selectors.sharing_refusals, asked just before sending) is
    withheld, with why, and never sent. Run by the worker inside one school's scope (tasks.drain)."""
    now = now or timezone.now()
    result = DrainResult()
    connection = LrsConnection.objects.first()
    if connection is None or not connection.enabled:
        return result
    secret = secret_decrypt(connection.secret_encrypted)
    for _ in range(max_batches):
        with transaction.atomic():
            # Locked and skipped by a second worker draining the same school at the same time.
            rows = list(
                OutboxStatement.objects.select_for_update(skip_locked=True)
                .filter(
                    sent_at__isnull=True,
                    rejected_at__isnull=True,
                    withheld_at__isnull=True,
                    next_attempt_at__lte=now,
                )
                .order_by("pk")[:batch_size]
            )
            if not rows:
                break
            rows = _withhold_refused(rows, now, result)
            if not rows:
                continue
            built = build_statements(connection=connection, rows=rows)
            error = _send(connection, secret, rows, built, now, result)
        if error is not None:
            result.error = str(error)
            break
    _record(connection, result, now)
    OutboxStatement.objects.filter(
        Q(sent_at__lt=now - KEEP_SENT) | Q(withheld_at__lt=now - KEEP_SENT)
    ).delete()
    return result


def _withhold_refused(rows, now, result: DrainResult) -> list:
    """Set aside the rows of students whose records may not leave PLP (the privacy app's one rule); the
    rows that may go."""
    refusals = sharing_refusals(student_ids={row.student_id for row in rows})
    withheld = [row for row in rows if row.student_id in refusals]
    for row in withheld:
        row.withheld_at, row.last_error = now, f"Not sent: {refusals[row.student_id]}"
    if withheld:
        OutboxStatement.objects.bulk_update(withheld, ["withheld_at", "last_error"])
        result.withheld += len(withheld)
    return [row for row in rows if row.student_id not in refusals]


def _send(connection, secret, rows, built, now, result: DrainResult) -> lrs.LrsError | None:
    if secret is None:
        error = lrs.LrsError("The stored secret cannot be read any more (the server key changed).")
        _postpone(rows, error, now)
        result.failed += len(rows)
        return error
    try:
        lrs.post_statements(
            url=connection.statements_url, key=connection.key, secret=secret, statements=built
        )
    except lrs.LrsError as error:
        if not (error.rejected or error.conflict):
            _postpone(rows, error, now)
            result.failed += len(rows)
            return error
        return _send_one_by_one(connection, secret, rows, built, now, result)
    _mark_sent(rows, now)
    result.sent += len(rows)
    return None


def _send_one_by_one(connection, secret, rows, built, now, result: DrainResult) -> lrs.LrsError | None:
    """A batch the LRS refused as a whole: each statement alone, to find the one it refuses."""
    for row, body in zip(rows, built, strict=True):
        try:
            lrs.post_statements(
                url=connection.statements_url, key=connection.key, secret=secret, statements=[body]
            )
        except lrs.LrsError as error:
            if error.conflict:  # the LRS holds this id already (with other content): it is delivered
                row.last_error = str(error)
                _mark_sent([row], now)
                result.sent += 1
            elif error.rejected:
                row.rejected_at, row.last_error, row.attempts = now, str(error), row.attempts + 1
                row.save(update_fields=["rejected_at", "last_error", "attempts"])
                result.rejected += 1
            else:
                rest = rows[rows.index(row) :]
                _postpone(rest, error, now)
                result.failed += len(rest)
                return error
        else:
            _mark_sent([row], now)
            result.sent += 1
    return None


def _mark_sent(rows, now) -> None:
    OutboxStatement.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=now)


def _postpone(rows, error: lrs.LrsError, now) -> None:
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + _backoff(row.attempts)
        row.last_error = str(error)
    OutboxStatement.objects.bulk_update(rows, ["attempts", "next_attempt_at", "last_error"])


def _record(connection: LrsConnection, result: DrainResult, now) -> None:
    fields = []
    if result.sent:
        connection.last_sent_at = now
        fields.append("last_sent_at")
    if result.error:
        connection.last_error, connection.last_error_at = result.error, now
        fields += ["last_error", "last_error_at"]
    elif result.sent and connection.last_error:
        connection.last_error, connection.last_error_at = "", None  # it works again
        fields += ["last_error", "last_error_at"]
    if fields:
        connection.save(update_fields=fields)


def schools_with_statements_due(*, now) -> list[int]:
    """The schools whose LRS connection is on and that have statements due: ids, in one query across
    schools (the beat's sweep; each drain then runs in its own school's scope)."""
    from django.db.models import Exists, OuterRef

    with all_schools():
        # unscoped: the sweep reads every school's due rows, as an EXISTS, for ids only
        due = OutboxStatement.objects.unscoped().filter(
            school_id=OuterRef("school_id"),
            sent_at__isnull=True,
            rejected_at__isnull=True,
            withheld_at__isnull=True,
            next_attempt_at__lte=now,
        )
        # unscoped: the connections that are on, of active schools, with something due (ids only)
        return list(
            LrsConnection.objects.unscoped()
            .filter(Exists(due), enabled=True, school__is_active=True)
            .order_by("school_id")
            .values_list("school_id", flat=True)
        )
