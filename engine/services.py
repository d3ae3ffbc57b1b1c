"""Writes of the engine: bring stored flags in line with findings (in bulk), and adults handling flags."""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from engine.models import Flag, FlagEvent
from engine.policy.flag_lifecycle import Change, FlagStatus, StoredFlag, reconcile
from engine.policy.flags import FlagFinding
from plp.tenancy.context import current_school_id

NOTE_MAX = 2000


def _apply_finding(flag: Flag, finding: FlagFinding, now: dt.datetime) -> None:
    flag.severity = finding.severity
    flag.summary = finding.summary[:300]
    flag.suggested_action = finding.suggested_action[:400]
    flag.evidence = finding.evidence
    flag.updated_at = now


@transaction.atomic
def flags_apply(
    *, findings_by_student: Mapping[int, list[FlagFinding]], now: dt.datetime | None = None
) -> dict[str, int]:
    """Make the active school's stored flags of these students match what holds now.

    Three queries whatever the number of students (read, bulk insert, bulk update) plus one for events;
    running it again with the same findings writes nothing, so the recompute task is idempotent.
    """
    now = now or timezone.now()
    school_id = current_school_id()
    student_ids = list(findings_by_student)
    stored: dict[int, dict[tuple[str, str], Flag]] = {student_id: {} for student_id in student_ids}
    for flag in Flag.objects.filter(student_id__in=student_ids):
        stored[flag.student_id][(flag.kind, flag.subject)] = flag

    created: list[Flag] = []
    updated: dict[int, Flag] = {}
    events: list[tuple[Flag, str]] = []
    counts = {change.value: 0 for change in Change}
    for student_id, findings in findings_by_student.items():
        mine = stored[student_id]
        views = {key: StoredFlag(FlagStatus(f.status), f.condition_cleared) for key, f in mine.items()}
        for change in reconcile(views, findings):
            counts[change.change.value] += 1
            if change.change is Change.RAISE:
                flag = Flag(
                    school_id=school_id,
                    student_id=student_id,
                    kind=change.key[0],
                    subject=change.key[1],
                    raised_at=now,
                )
                _apply_finding(flag, change.finding, now)
                created.append(flag)
                events.append((flag, "raised"))
                continue
            flag = mine[change.key]
            if change.change is Change.REFRESH:
                before = (flag.severity, flag.summary, flag.suggested_action, flag.evidence)
                _apply_finding(flag, change.finding, now)
                if before == (flag.severity, flag.summary, flag.suggested_action, flag.evidence):
                    counts[Change.REFRESH.value] -= 1
                    continue  # nothing changed: write nothing
            elif change.change is Change.CLEAR:
                flag.status, flag.cleared_at, flag.updated_at = FlagStatus.CLEARED, now, now
                events.append((flag, "cleared"))
            elif change.change is Change.NOTE_CLEARED:
                flag.condition_cleared, flag.cleared_at, flag.updated_at = True, now, now
                events.append((flag, "condition cleared"))
            elif change.change is Change.REOPEN:
                _apply_finding(flag, change.finding, now)
                flag.status, flag.condition_cleared, flag.cleared_at = FlagStatus.OPEN, False, None
                flag.reopened_count += 1
                flag.handled_by, flag.handled_at, flag.note = None, None, ""
                events.append((flag, "reopened"))
            updated[flag.pk] = flag

    for flag in created:
        flag.full_clean(exclude=["school", "student"], validate_unique=False)
    Flag.objects.bulk_create(created, batch_size=1000)
    if updated:
        Flag.objects.bulk_update(
            list(updated.values()),
            [
                "severity", "summary", "suggested_action", "evidence", "status", "condition_cleared",
                "updated_at", "cleared_at", "reopened_count", "handled_by", "handled_at", "note",
            ],
            batch_size=1000,
        )  # fmt: skip
    FlagEvent.objects.bulk_create(
        [FlagEvent(school_id=school_id, flag=flag, action=action, at=now) for flag, action in events],
        batch_size=1000,
    )
    return counts


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
