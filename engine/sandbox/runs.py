"""The policy sandbox's runs: start a what-if, replay it in chunks (the task's work), apply it.

A what-if is a ``SandboxRun`` and its ``SandboxChange`` rows, nothing else: the school's thresholds change
only through ``thresholds_update`` (engine/sandbox/thresholds.py), and only ``sandbox_apply`` calls it. The
replay itself is pure (engine/sandbox/replay.py); its input is read in bulk per chunk (engine/sandbox/
ledgers.py).
"""

import datetime as dt
import zoneinfo

from celery import signature
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from engine.attention.inputs import WINDOW_CALENDAR_DAYS, window_school_days
from engine.models import SandboxChange, SandboxRun
from engine.sandbox.ledgers import load_ledgers
from engine.sandbox.replay import StudentChange, replay
from engine.sandbox.thresholds import thresholds_candidate, thresholds_row, thresholds_update, with_change
from engine.school_policy import SchoolPolicy
from plp.tenancy.context import current_school_id
from schools.access import is_school_wide
from schools.models import Enrollment, Membership, School
from schools.roles import Role

MAX_WEEKS = 12
# engine.tasks.sandbox_replay, sent by name: the tasks module imports this one.
SANDBOX_REPLAY = "engine.sandbox_replay"
DEFAULT_WEEKS = 4
CHUNK = 200  # students per chunk: the progress bar moves per chunk, the reads stay bulk


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(School.objects.values_list("timezone", flat=True).get(pk=current_school_id()))


def sandbox_students(*, run: SandboxRun) -> list[int]:
    """The what-if's students: the section's (for a teacher, always one of theirs), else the school's."""
    if run.section_id is not None:
        rows = Enrollment.objects.filter(
            section_id=run.section_id, role=Enrollment.SectionRole.STUDENT, is_active=True
        ).values_list("user_id", flat=True)
    else:
        rows = Membership.objects.filter(role=Role.STUDENT, is_active=True).values_list("user_id", flat=True)
    return sorted(set(rows))


@transaction.atomic
def sandbox_run_start(
    *,
    by,
    roles: frozenset[str],
    field: str,
    value,
    weeks: int,
    section=None,
    current: SchoolPolicy | None = None,
) -> SandboxRun:
    """Record a what-if and queue its replay (after commit). A teacher's what-if is one of their sections.
    ``current``: the school's settings as the page read them (read once, here when not given): the value the
    what-if changes from and the candidate it validates both come from that one read."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"Between 1 and {MAX_WEEKS} weeks."})
    if section is None and not is_school_wide(roles):
        raise ValidationError({"section": "Choose one of your sections."})
    current = current or thresholds_row()
    candidate = thresholds_candidate(field=field, value=value, current=current)
    run = SandboxRun.objects.create(
        school_id=current_school_id(),
        created_by=by,
        section=section,
        field=field,
        value_before=float(getattr(current, field)),
        value_after=float(getattr(candidate, field)),
        weeks=weeks,
    )
    school_id = run.school_id
    replay = signature(SANDBOX_REPLAY, kwargs={"school_id": school_id, "run_id": run.pk})
    transaction.on_commit(lambda: replay.delay())
    return run


def sandbox_run_execute(
    *, run_id: int, chunk_size: int = CHUNK, now: dt.datetime | None = None
) -> SandboxRun:
    """The task's work: replay the what-if chunk by chunk, storing progress after each and the students
    whose entry, Next up or rule flags would change. Writes only the run and its changes."""
    run = SandboxRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    now = now or timezone.now()
    zone = _zone()
    today = timezone.localdate(now, zone)
    student_ids = sandbox_students(run=run)
    window = _replay_window(run, zone=zone, today=today)
    run.status, run.students_total, run.students_done, run.school_days = (
        SandboxRun.Status.RUNNING, len(student_ids), 0, len(window["days"]),
    )  # fmt: skip
    run.save(update_fields=["status", "students_total", "students_done", "school_days"])
    SandboxChange.objects.filter(run=run).delete()  # a retried task starts over
    totals = dict.fromkeys(
        ("flagged_before", "flagged_after", "attention_changed", "next_up_changed", "flags_changed",
         "rule_flagged_before", "rule_flagged_after"),
        0,
    )  # fmt: skip
    try:
        for offset in range(0, len(student_ids), chunk_size):
            chunk = student_ids[offset : offset + chunk_size]
            with timezone.override(zone):
                ledgers, params = load_ledgers(student_ids=chunk, today=today, now=now)
                results = replay(ledgers, params=params, **window)
            _store_changes(run, [r for r in results if r.changed])
            totals["flagged_before"] += sum(r.flagged_days_before > 0 for r in results)
            totals["flagged_after"] += sum(r.flagged_days_after > 0 for r in results)
            totals["attention_changed"] += sum(r.attention_days > 0 for r in results)
            totals["next_up_changed"] += sum(r.next_up_days > 0 for r in results)
            totals["flags_changed"] += sum(r.flag_days > 0 for r in results)
            totals["rule_flagged_before"] += sum(r.rule_flagged_days_before > 0 for r in results)
            totals["rule_flagged_after"] += sum(r.rule_flagged_days_after > 0 for r in results)
            run.students_done = offset + len(chunk)
            run.save(update_fields=["students_done"])
    except Exception as exc:
        run.status, run.message, run.finished_at = SandboxRun.Status.FAILED, str(exc)[:300], timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    run.status, run.finished_at = SandboxRun.Status.DONE, timezone.now()
    for name, value in totals.items():
        setattr(run, name, value)
    run.save()
    return run


def _replay_window(run: SandboxRun, *, zone: zoneinfo.ZoneInfo, today: dt.date) -> dict:
    """What every chunk's replay shares: the window's school days, the school days and usual answers the
    detector reads (from a month before the window), and the thresholds before and after the change: the
    school's settings read once, each side changing its own copy."""
    current = thresholds_row()
    before = with_change(current.copy(), run.field, run.value_before).as_policy()
    after = with_change(current.copy(), run.field, run.value_after).as_policy()
    start = today - dt.timedelta(days=7 * run.weeks)
    with timezone.override(zone):
        school_days, usual = window_school_days(
            since=start - dt.timedelta(days=WINDOW_CALENDAR_DAYS), today=today
        )
    days = [d for d in school_days if d >= start]
    return {"days": days, "school_days": school_days, "usual": usual, "before": before, "after": after}


def _store_changes(run: SandboxRun, changed: list[StudentChange]) -> None:
    """The chunk's students whose entry, Next up or rule flags would change, in one INSERT (texts cut to the
    columns)."""
    SandboxChange.objects.bulk_create(
        SandboxChange(
            school_id=run.school_id,
            run=run,
            student_id=r.student_id,
            attention_days=r.attention_days,
            next_up_days=r.next_up_days,
            flagged_days_before=r.flagged_days_before,
            flagged_days_after=r.flagged_days_after,
            on=r.on,
            attention_before=r.attention_before[:300],
            attention_after=r.attention_after[:300],
            next_before=r.next_before[:400],
            next_after=r.next_after[:400],
            next_how=dict(r.next_how),
            next_list_before=[reason[:400] for reason in r.next_list_before],
            next_list_after=[reason[:400] for reason in r.next_list_after],
            flag_days=r.flag_days,
            flags_on=r.flags_on,
            flags_before=[words[:400] for words in r.flags_before],
            flags_after=[words[:400] for words in r.flags_after],
        )
        for r in changed
    )


@transaction.atomic
def sandbox_apply(*, run: SandboxRun, by) -> SandboxRun:
    """Apply a finished what-if's change through ``thresholds_update``; refused when the setting has changed
    since the what-if was run (its figures would no longer describe the change)."""
    run = SandboxRun.objects.select_for_update().get(pk=run.pk)
    if run.status != SandboxRun.Status.DONE:
        raise ValidationError("Wait until the replay is done before applying it.")
    if run.applied_at is not None:
        raise ValidationError("This change is already applied.")
    current = thresholds_row()  # read once: compared, then changed and saved
    if abs(float(getattr(current, run.field)) - run.value_before) > 1e-9:
        raise ValidationError("The setting has changed since this what-if was run: run it again.")
    thresholds_update(by=by, changes={run.field: run.value_after}, current=current)
    run.applied_by, run.applied_at = by, timezone.now()
    run.save(update_fields=["applied_by", "applied_at"])
    return run
