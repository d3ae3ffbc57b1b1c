"""The request side of xAPI: learning events written to the outbox in the event's own transaction.

One statement per call site kind (mastery's evidence ledger, an item marked done), one query whatever the
school's settings: an ``INSERT ... SELECT ... WHERE EXISTS`` that writes the rows only when the school's LRS
connection is on. No network, no read of the settings first, nothing when xAPI is off. The worker
(xapi.services.outbox_drain) builds and sends the statements.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils import timezone

from xapi import statements
from xapi.models import LrsConnection, OutboxStatement


@dataclass(frozen=True)
class LearningEvent:
    student_id: int
    key: str  # unique per school and statement: the statement id is its UUID5
    verb: str
    object_kind: str
    object_id: int
    competency_id: int | None = None
    data: dict = field(default_factory=dict)
    occurred_at: datetime | None = None


COLUMNS = (
    "school",
    "student",
    "statement_id",
    "verb",
    "object_kind",
    "object_id",
    "competency_id",
    "data",
    "occurred_at",
    "created_at",
    "attempts",
    "next_attempt_at",
    "last_error",
)


def outbox_record(*, school_id: int, events: list[LearningEvent]) -> None:
    """Queue ``events`` for the school's LRS, in the caller's transaction: one INSERT, rows only when the
    school sends statements. A statement already queued (same key) is kept, not doubled."""
    if not events:
        return
    now = timezone.now()
    fields = [OutboxStatement._meta.get_field(name) for name in COLUMNS]
    postgres = connection.vendor == "postgresql"
    # PostgreSQL types a VALUES list from its literals (a column of NULLs would be text): cast each one.
    placeholder = [f"CAST(%s AS {f.db_type(connection)})" if postgres else "%s" for f in fields]
    row_sql = "(" + ", ".join(placeholder) + ")"
    params: list = []
    for event in events:
        values = {
            "school": school_id,
            "student": event.student_id,
            "statement_id": statements.statement_id(school_id=school_id, key=event.key),
            "verb": event.verb,
            "object_kind": event.object_kind,
            "object_id": event.object_id,
            "competency_id": event.competency_id,
            "data": event.data,
            "occurred_at": event.occurred_at or now,
            "created_at": now,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
        }
        params += [f.get_db_prep_save(values[f.name], connection) for f in fields]
    lrs = LrsConnection._meta
    sql = (
        f"INSERT INTO {_q(OutboxStatement._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
        f"SELECT * FROM (VALUES {', '.join([row_sql] * len(events))}) AS v "
        f"WHERE EXISTS (SELECT 1 FROM {_q(lrs.db_table)} c "
        f"WHERE c.{_q(lrs.get_field('school').column)} = %s AND c.{_q(lrs.get_field('enabled').column)}) "
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:  # the caller's transaction (the event's)
        cursor.execute(sql, [*params, school_id])


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


# --- the call sites' events -------------------------------------------------------------------------------

MASTERED = "mastered"  # mastery.models.MasteryStatus.MASTERED (not imported: mastery imports this module)


def evidence_recorded(evidence) -> None:
    """Mastery's ledger (mastery.services.core.StateChange.append), the one place every practice answer, check
    and change of mastery passes: answered, passed/failed, mastered, and mastery withdrawn (a voiding)."""
    outbox_record(school_id=evidence.school_id, events=_evidence_events(evidence))


def evidences_recorded(evidences: list) -> None:
    """The same for evidence written in bulk (one INSERT for all of them, none when nothing is sent)."""
    if evidences:
        events = [event for evidence in evidences for event in _evidence_events(evidence)]
        outbox_record(school_id=evidences[0].school_id, events=events)


def _evidence_events(evidence) -> list[LearningEvent]:
    common = {"student_id": evidence.student_id, "occurred_at": evidence.created_at}
    detail, key = evidence.detail or {}, f"evidence:{evidence.pk}"
    events = []
    if evidence.source == "answer" and detail.get("question_id"):
        events.append(
            LearningEvent(
                **common,
                key=f"{key}:answered",
                verb=statements.ANSWERED,
                object_kind=OutboxStatement.Kind.QUESTION,
                object_id=detail["question_id"],
                competency_id=evidence.competency_id,
                data={"correct": evidence.outcome == 1.0},
            )
        )
    elif evidence.source == "check" and detail.get("check_id"):
        events.append(
            LearningEvent(
                **common,
                key=f"{key}:checked",
                verb=statements.PASSED if detail.get("passed") else statements.FAILED,
                object_kind=OutboxStatement.Kind.CHECK,
                object_id=detail["check_id"],
                competency_id=evidence.competency_id,
                data={"correct": detail.get("correct"), "total": detail.get("total")},
            )
        )
    if evidence.status_after == MASTERED and evidence.status_before != MASTERED:
        verb, suffix = statements.MASTERED, "mastered"
    elif evidence.status_before == MASTERED and evidence.status_after != MASTERED:
        verb, suffix = statements.VOIDED, "withdrawn"
    else:
        verb = None
    if verb:
        events.append(
            LearningEvent(
                **common,
                key=f"{key}:{suffix}",
                verb=verb,
                object_kind=OutboxStatement.Kind.COMPETENCY,
                object_id=evidence.competency_id,
                data={"evidence_id": evidence.pk},
            )
        )
    return events


def item_done(progress) -> None:
    """An item marked done for the first time (playlists.services.item_complete)."""
    outbox_record(
        school_id=progress.school_id,
        events=[
            LearningEvent(
                student_id=progress.student_id,
                key=f"item-done:{progress.pk}",
                verb=statements.COMPLETED,
                object_kind=OutboxStatement.Kind.ITEM,
                object_id=progress.item_id,
                data={"seconds": progress.seconds_spent},
                occurred_at=progress.completed_at,
            )
        ],
    )
