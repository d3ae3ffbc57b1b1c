"""The policy sandbox's writes and bulk reads: start a what-if, replay it in chunks (the task), apply it.

Nothing here writes the school's thresholds but ``thresholds_update``, and only ``sandbox_apply`` calls it:
a what-if is a ``SandboxRun`` and its ``SandboxChange`` rows, nothing else. The replay itself is pure
(engine/sandbox_replay.py); this module reads the ledger for a chunk of students in a constant number of
queries (the snapshot loader's, then answers, checks and model parameters), inside the active school.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict

from celery import signature
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from engine.attention_inputs import WINDOW_CALENDAR_DAYS, _school_days
from engine.enqueue import students_mark_dirty
from engine.models import SandboxChange, SandboxRun, SchoolThresholds
from engine.sandbox_replay import Answer, CheckResult, StudentLedger, replay
from engine.snapshots import load_snapshots
from mastery.bkt import BKTParams
from mastery.models import CheckAttempt, CompetencyModelParams, PracticeAnswer
from plp import bulk
from plp.tenancy.context import current_school_id
from schools.access import is_school_wide
from schools.models import Enrollment, Membership, School
from schools.roles import Role

MAX_WEEKS = 12
# engine.tasks.sandbox_replay, sent by name: the tasks module imports this one.
SANDBOX_REPLAY = "engine.sandbox_replay"
DEFAULT_WEEKS = 4
CHUNK = 200  # students per chunk: the progress bar moves per chunk, the reads stay bulk
# The school's settings a what-if may change (SchoolThresholds' columns), as people read them.
FIELDS = {
    "attention_enter_score": "Needs attention: score that opens an entry",
    "attention_exit_score": "Needs attention: score that keeps an entry open",
    "pace_margin": "Behind pace: margin (share of the work)",
    "pace_recent_school_days": "Behind pace: school days that show catching up",
    "wheel_spin_answers": "Wheel-spinning: answers without mastery",
    "failed_checks": "Failed checks in a row",
    "inactive_school_days": "Inactive: school days without work",
    "falling_window": "Falling trend: answers in the window",
    "falling_drop": "Falling trend: drop in the share right",
    "ready_p_mastered": "Estimate that counts as learning",
    "review_after_days": "Spaced review: days after mastery",
    "check_in_days": "Mentor check-in: days between",
    "check_in_grace_days": "Mentor check-in: days of grace",
}


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(School.objects.values_list("timezone", flat=True).get(pk=current_school_id()))


def thresholds_row() -> SchoolThresholds:
    """The school's row, or an unsaved one holding the documented defaults."""
    return SchoolThresholds.objects.first() or SchoolThresholds(school_id=current_school_id())


def with_change(row: SchoolThresholds, field: str, value) -> SchoolThresholds:
    """The row with one setting changed. A score that opens a "needs attention" entry lowered below the
    score that keeps one open takes that one down with it, so the pair stays valid (an entry is kept at
    most down to where it opens): the defaults are equal (0.36 and 0.36), and a lower entry score would
    otherwise be refused."""
    setattr(row, field, SchoolThresholds._meta.get_field(field).to_python(value))
    if field == "attention_enter_score" and row.attention_exit_score > row.attention_enter_score:
        row.attention_exit_score = row.attention_enter_score
    return row


def thresholds_candidate(*, field: str, value) -> SchoolThresholds:
    """The school's thresholds with one change, validated as the settings themselves are (field errors)."""
    if field not in FIELDS:
        raise ValidationError({"field": "Choose one of the settings listed."})
    row = thresholds_row()
    try:
        with_change(row, field, value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    try:
        row.full_clean(exclude=["school"])
    except ValidationError as exc:
        errors = exc.message_dict
        raise ValidationError({"value": [m for ms in errors.values() for m in ms]}) from exc
    return row


@transaction.atomic
def thresholds_update(*, by, changes: dict) -> SchoolThresholds:
    """The one way a school's thresholds change (from the sandbox's Apply): validated like the admin's form,
    then every student of the school is marked for recompute so flags and Next up follow."""
    row = thresholds_row()
    for field, value in changes.items():
        if field not in FIELDS:
            raise ValidationError({field: "Not a setting of the school."})
        with_change(row, field, value)
    row.full_clean(exclude=["school"])
    row.save()
    students = Membership.objects.filter(role=Role.STUDENT, is_active=True).values_list("user_id", flat=True)
    students_mark_dirty(student_ids=set(students))
    return row


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
    *, by, roles: frozenset[str], field: str, value, weeks: int, section=None
) -> SandboxRun:
    """Record a what-if and queue its replay (after commit). A teacher's what-if is one of their sections."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"Between 1 and {MAX_WEEKS} weeks."})
    if section is None and not is_school_wide(roles):
        raise ValidationError({"section": "Choose one of your sections."})
    candidate = thresholds_candidate(field=field, value=value)
    run = SandboxRun.objects.create(
        school_id=current_school_id(),
        created_by=by,
        section=section,
        field=field,
        value_before=float(getattr(thresholds_row(), field)),
        value_after=float(getattr(candidate, field)),
        weeks=weeks,
    )
    school_id = run.school_id
    replay = signature(SANDBOX_REPLAY, kwargs={"school_id": school_id, "run_id": run.pk})
    transaction.on_commit(lambda: replay.delay())
    return run


def _ledgers(*, student_ids: list[int], today: dt.date, now: dt.datetime):
    """The chunk's ledgers and the competencies' BKT parameters, in a constant number of queries."""
    snapshots = load_snapshots(student_ids=student_ids, today=today, now=now)
    answers: dict[int, list[Answer]] = defaultdict(list)
    days: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for student_id, competency_id, correct, at, pk in (
        PracticeAnswer.objects.filter(bulk.in_ids("student_id", student_ids))
        .order_by()
        .values_list("student_id", "competency_id", "is_correct", "answered_at", "pk")
    ):
        answers[student_id].append(Answer(at, 0, pk, competency_id, correct))
        days[student_id][pk] = timezone.localdate(at)
    checks: dict[int, list[CheckResult]] = defaultdict(list)
    seen: set[int] = set()
    for attempt_id, student_id, competency_id, passed, at, on, response_id, correct in (
        CheckAttempt.objects.filter(
            bulk.in_ids("student_id", student_ids),
            status=CheckAttempt.Status.GRADED,
            invalidated_at__isnull=True,
        )
        .order_by("submitted_at", "pk", "responses__question_id_in_form")
        .values_list(
            "pk", "student_id", "competency_id", "passed", "submitted_at", TruncDate("submitted_at"),
            "responses__pk", "responses__is_correct",
        )
    ):  # fmt: skip
        if attempt_id not in seen and passed is not None:
            checks[student_id].append(CheckResult(competency_id, on, bool(passed)))
        seen.add(attempt_id)
        if response_id is not None and correct is not None:
            # A check's answers are keyed apart from practice's (the ids are of another table).
            key = -response_id
            answers[student_id].append(Answer(at, 1, key, competency_id, correct, check=True))
            days[student_id][key] = timezone.localdate(at)
    competency_ids = {a.competency_id for rows in answers.values() for a in rows}
    competency_ids |= {c for s in snapshots.values() for c in s.competencies}
    params = {
        competency_id: BKTParams(*values)
        for competency_id, *values in CompetencyModelParams.objects.filter(
            competency_id__in=competency_ids
        ).values_list("competency_id", "p_init", "p_learn", "p_guess", "p_slip")
    }
    ledgers = [
        StudentLedger(
            snapshot=snapshots[s],
            answers=tuple(sorted(answers.get(s, ()), key=lambda a: a.row)),
            checks=tuple(checks.get(s, ())),
            answer_day=days.get(s, {}),
        )
        for s in student_ids
    ]
    return ledgers, params


def sandbox_run_execute(
    *, run_id: int, chunk_size: int = CHUNK, now: dt.datetime | None = None
) -> SandboxRun:
    """The task's work: replay the what-if chunk by chunk, storing progress after each and the students
    whose entry or Next up would change. Writes only the run and its changes."""
    run = SandboxRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    now = now or timezone.now()
    zone = _zone()
    today = timezone.localdate(now, zone)
    student_ids = sandbox_students(run=run)
    before = with_change(thresholds_row(), run.field, run.value_before).as_policy()
    after = with_change(thresholds_row(), run.field, run.value_after).as_policy()
    start = today - dt.timedelta(days=7 * run.weeks)
    with timezone.override(zone):
        school_days, usual = _school_days(since=start - dt.timedelta(days=WINDOW_CALENDAR_DAYS), today=today)
    days = [d for d in school_days if d >= start]
    run.status, run.students_total, run.students_done, run.school_days = (
        SandboxRun.Status.RUNNING, len(student_ids), 0, len(days),
    )  # fmt: skip
    run.save(update_fields=["status", "students_total", "students_done", "school_days"])
    SandboxChange.objects.filter(run=run).delete()  # a retried task starts over
    flagged_before = flagged_after = attention = next_up = 0
    try:
        for offset in range(0, len(student_ids), chunk_size):
            chunk = student_ids[offset : offset + chunk_size]
            with timezone.override(zone):
                ledgers, params = _ledgers(student_ids=chunk, today=today, now=now)
                results = replay(
                    ledgers, days=days, school_days=school_days, usual=usual, params=params,
                    before=before, after=after,
                )  # fmt: skip
            changed = [r for r in results if r.changed]
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
                )
                for r in changed
            )
            flagged_before += sum(r.flagged_days_before > 0 for r in results)
            flagged_after += sum(r.flagged_days_after > 0 for r in results)
            attention += sum(r.attention_days > 0 for r in results)
            next_up += sum(r.next_up_days > 0 for r in results)
            run.students_done = offset + len(chunk)
            run.save(update_fields=["students_done"])
    except Exception as exc:
        run.status, run.message, run.finished_at = SandboxRun.Status.FAILED, str(exc)[:300], timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    run.status, run.finished_at = SandboxRun.Status.DONE, timezone.now()
    run.flagged_before, run.flagged_after = flagged_before, flagged_after
    run.attention_changed, run.next_up_changed = attention, next_up
    run.save()
    return run


@transaction.atomic
def sandbox_apply(*, run: SandboxRun, by) -> SandboxRun:
    """Apply a finished what-if's change through ``thresholds_update``; refused when the setting has changed
    since the what-if was run (its figures would no longer describe the change)."""
    run = SandboxRun.objects.select_for_update().get(pk=run.pk)
    if run.status != SandboxRun.Status.DONE:
        raise ValidationError("Wait until the replay is done before applying it.")
    if run.applied_at is not None:
        raise ValidationError("This change is already applied.")
    current = float(getattr(thresholds_row(), run.field))
    if abs(current - run.value_before) > 1e-9:
        raise ValidationError("The setting has changed since this what-if was run: run it again.")
    thresholds_update(by=by, changes={run.field: run.value_after})
    run.applied_by, run.applied_at = by, timezone.now()
    run.save(update_fields=["applied_by", "applied_at"])
    return run
