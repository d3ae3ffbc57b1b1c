"""The flags' lifecycle: bring stored flags in line with the recompute's findings (in bulk), and adults
acknowledging or resolving a flag."""

import dataclasses
import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from engine.models import Flag, FlagEvent
from engine.policy.flag_lifecycle import Change, FlagStatus, StoredFlag, reconcile
from engine.policy.flags import FlagFinding
from plp import bulk
from plp.tenancy.context import current_school_id
from plp.versions import students_touch

NOTE_MAX = 2000


# What a flag update writes (the read skips raised_at and updated_at: every change stamps updated_at anew).
FLAG_FIELDS = (
    "severity", "summary", "suggested_action", "evidence", "status", "condition_cleared", "cleared_at",
    "reopened_count", "handled_by_id", "handled_at", "note",
)  # fmt: skip


# The reconcile views of stored flags: a handful of distinct values, shared (frozen).
STORED_FLAGS = {
    (status.value, cleared): StoredFlag(status, cleared) for status in FlagStatus for cleared in (False, True)
}


def _finding_values(finding: FlagFinding) -> dict:
    return {
        "severity": finding.severity,
        "summary": finding.summary[:300],
        "suggested_action": finding.suggested_action[:400],
        "evidence": finding.evidence,
    }


@transaction.atomic
def flags_apply(
    *, findings_by_student: Mapping[int, list[FlagFinding]], now: dt.datetime | None = None
) -> dict[str, int]:
    """Make the active school's stored flags of these students match what holds now.

    Four queries whatever the number of students (read, insert, one UPDATE from a JSON row list, events);
    running it again with the same findings writes nothing, so the recompute task is idempotent. Stored
    flags are read as plain values, not model instances, and only the changed ones are written."""
    now = now or timezone.now()
    school_id = current_school_id()
    stored = _stored_flags(list(findings_by_student))
    plan = _FlagWrites(counts={change.value: 0 for change in Change})
    for student_id, findings in findings_by_student.items():
        _reconcile_student(plan, student_id, findings, stored[student_id], school_id=school_id, now=now)

    for flag in plan.created:
        flag.full_clean(exclude=["school", "student"], validate_unique=False)
    Flag.objects.bulk_create(plan.created, batch_size=1000)
    _update_flags(plan.updated, school_id=school_id, now=now)
    # Bulk writes send no save signals: the dashboards' rows of the students whose flags changed go here.
    students_touch(student_ids={flag.student_id for flag in plan.created} | plan.changed_students)
    FlagEvent.objects.bulk_create(
        [
            FlagEvent(
                school_id=school_id, flag_id=flag if isinstance(flag, int) else flag.pk, action=action, at=now
            )
            for flag, action in plan.events
        ],
        batch_size=1000,
    )
    return plan.counts


@dataclasses.dataclass
class _FlagWrites:
    """What ``flags_apply`` will write: new flags, changed stored ones (by pk), events, and counts."""

    counts: dict[str, int]
    created: list[Flag] = dataclasses.field(default_factory=list)
    updated: dict[int, dict] = dataclasses.field(default_factory=dict)
    events: list[tuple[Flag | int, str]] = dataclasses.field(default_factory=list)  # new flag, or stored pk
    changed_students: set[int] = dataclasses.field(default_factory=set)


def _stored_flags(student_ids: list[int]) -> dict[int, dict[tuple[str, str], dict]]:
    """Each student's stored flags as plain values by (kind, subject), in one query."""
    stored: dict[int, dict[tuple[str, str], dict]] = {student_id: {} for student_id in student_ids}
    for pk, student_id, kind, subject, *values in Flag.objects.filter(
        bulk.in_ids("student_id", student_ids)
    ).values_list("pk", "student_id", "kind", "subject", *FLAG_FIELDS):
        stored[student_id][(kind, subject)] = {"pk": pk, **dict(zip(FLAG_FIELDS, values, strict=True))}
    return stored


def _reconcile_student(
    plan: _FlagWrites, student_id: int, findings: list[FlagFinding], mine: dict, *, school_id: int, now
) -> None:
    """Add to ``plan`` what brings one student's stored flags (``mine``) in line with the findings."""
    views = {key: STORED_FLAGS[f["status"], f["condition_cleared"]] for key, f in mine.items()}
    for change in reconcile(views, findings):
        plan.counts[change.change.value] += 1
        if change.change is Change.RAISE:
            flag = Flag(
                school_id=school_id,
                student_id=student_id,
                kind=change.key[0],
                subject=change.key[1],
                raised_at=now,
                updated_at=now,
                **_finding_values(change.finding),
            )
            plan.created.append(flag)
            plan.events.append((flag, "raised"))
            continue
        flag = mine[change.key]
        if change.change is Change.REFRESH:
            after = _finding_values(change.finding)
            if (flag["severity"], flag["summary"], flag["suggested_action"], flag["evidence"]) == (
                after["severity"],
                after["summary"],
                after["suggested_action"],
                after["evidence"],
            ):
                plan.counts[Change.REFRESH.value] -= 1
                continue  # nothing changed: write nothing
            flag.update(after)
        elif change.change is Change.CLEAR:
            flag.update(status=FlagStatus.CLEARED, cleared_at=now)
            plan.events.append((flag["pk"], "cleared"))
        elif change.change is Change.NOTE_CLEARED:
            flag.update(condition_cleared=True, cleared_at=now)
            plan.events.append((flag["pk"], "condition cleared"))
        elif change.change is Change.REOPEN:
            flag.update(
                _finding_values(change.finding),
                status=FlagStatus.OPEN,
                condition_cleared=False,
                cleared_at=None,
                reopened_count=flag["reopened_count"] + 1,
                handled_by_id=None,
                handled_at=None,
                note="",
            )
            plan.events.append((flag["pk"], "reopened"))
        plan.updated[flag["pk"]] = flag
        plan.changed_students.add(student_id)


def _update_flags(updated: dict[int, dict], *, school_id: int, now) -> None:
    """One UPDATE of the changed stored flags, from a JSON row list, inside the school."""
    if not updated:
        return
    columns = ("updated_at", *FLAG_FIELDS)
    source, payload = bulk.rows_table(
        Flag,
        ("pk", *columns),
        [(pk, now, *(flag[name] for name in FLAG_FIELDS)) for pk, flag in updated.items()],
    )
    table = Flag._meta.db_table
    sets = ", ".join(
        f"{Flag._meta.get_field(name).column} = v.{Flag._meta.get_field(name).column}" for name in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM {source} "
            f"WHERE {table}.{Flag._meta.pk.column} = v.pk AND {table}.school_id = %s",
            [payload, school_id],
        )


def _handle(*, flag: Flag, by, note: str, status: FlagStatus, action: str) -> Flag:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX} characters."})
    if status is FlagStatus.RESOLVED and not note:
        raise ValidationError({"note": "Say how it was resolved: the next adult will read it."})
    if not flag.is_live:
        raise ValidationError("This flag is already closed.")
    now = timezone.now()
    flag.status, flag.handled_by, flag.handled_at, flag.note, flag.updated_at = status, by, now, note, now
    flag.save(update_fields=["status", "handled_by", "handled_at", "note", "updated_at"])
    FlagEvent.objects.create(school_id=flag.school_id, flag=flag, action=action, by=by, note=note, at=now)
    return flag


@transaction.atomic
def flag_acknowledge(*, flag: Flag, by, note: str = "") -> Flag:
    """An adult has seen the flag and is on it: it stays live (and still clears itself)."""
    return _handle(flag=flag, by=by, note=note, status=FlagStatus.ACKNOWLEDGED, action="acknowledged")


@transaction.atomic
def flag_resolve(*, flag: Flag, by, note: str) -> Flag:
    """An adult closed the flag with a note; if its condition clears and later returns, it reopens."""
    return _handle(flag=flag, by=by, note=note, status=FlagStatus.RESOLVED, action="resolved")
