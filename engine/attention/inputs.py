"""Read what the "needs attention" detector (engine/policy/attention.py) needs about a chunk of students, in
four bulk queries whatever their number (and the school days: one more, cached for the day), and assemble
each student's input from those rows (``attention_input``, which the policy sandbox replays day by day).

It mirrors how the simulated class fills ``AttentionInput`` (engine/simulation/learner.py), with real data:

- the school days: the days of the window on which anyone in the school answered a question (one grouped
  query, cached for the day, which also gives how many answers a present student usually gives in a day).
  Today counts only once the student has worked today: until then the day is not over.
- each student's answers of the window, practice and check questions in the order given, with BKT's three
  predictions before each (engine/attention/evidence.py) under the competency's fitted parameters; an
  answer on a competency already mastered then is a review (work done, not learning evidence).
- the failed checks of the window, on competencies not mastered now.
- each competency's prerequisites, from the snapshot (wrong reviews of one are evidence of a block).
- whether the student's entry is open now (the detector's hysteresis).

Every query filters by the chunk's student ids inside the active school (the managers scope it).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from engine.attention.evidence import EvidenceTrace
from engine.models import Flag, FlagKind
from engine.policy.attention import (
    WINDOW_SCHOOL_DAYS,
    AnswerEvidence,
    AttentionInput,
    FailedCheck,
    SchoolDay,
)
from engine.policy.flag_lifecycle import LIVE
from engine.policy.snapshot import MasteryLevel, StudentSnapshot
from mastery.bkt import DEFAULT_PARAMS, BKTParams, predict_correct
from mastery.models import CheckAttempt, CompetencyModelParams, PracticeAnswer
from plp.bulk import in_ids
from plp.tenancy.context import current_school_id

# Calendar days read to find the window's school days (20 school days fit in four weeks and a bit).
WINDOW_CALENDAR_DAYS = 31
SCHOOL_DAYS_CACHE_SECONDS = 6 * 3600  # keyed by the day: a longer life would only keep it longer


def load_attention_inputs(
    *, snapshots: Mapping[int, StudentSnapshot], today: dt.date
) -> dict[int, AttentionInput]:
    """The detector's input for each of these students of the active school (call inside the school's time
    zone, as the snapshots are read)."""
    student_ids = sorted(snapshots)
    if not student_ids:
        return {}
    since = today - dt.timedelta(days=WINDOW_CALENDAR_DAYS)
    school_days, usual = window_school_days(since=since, today=today)
    answers = _practice_answers(student_ids, since=since)
    check_answers, failed = _graded_checks(student_ids, since=since)
    for student_id, rows in check_answers.items():
        answers[student_id].extend(rows)
    params = competency_params({row[3] for rows in answers.values() for row in rows})
    open_now = set(
        Flag.objects.filter(
            in_ids("student_id", student_ids), kind=FlagKind.NEEDS_ATTENTION, status__in=list(LIVE)
        ).values_list("student_id", flat=True)
    )
    return {
        student_id: attention_input(
            snapshot=snapshots[student_id],
            answers=sorted(answers.get(student_id, ())),
            failed=failed.get(student_id, ()),
            params=params,
            school_days=school_days,
            usual=usual,
            previously_flagged=student_id in open_now,
        )
        for student_id in student_ids
    }


def _practice_answers(student_ids: list[int], *, since: dt.date) -> dict[int, list[tuple]]:
    """The window's practice answers: student → (at, 0, pk, competency, correct, False), in no order."""
    answers: dict[int, list[tuple]] = defaultdict(list)
    for student_id, competency_id, correct, at, pk in practice_answer_rows(student_ids, since=since):
        answers[student_id].append((at, 0, pk, competency_id, correct, False))
    return answers


def practice_answer_rows(student_ids: list[int], *, since: dt.date | None = None):
    """The students' practice answers (from ``since``, or all) as (student, competency, correct, at, pk), in
    no order: the one read of practice for the detector and the policy sandbox."""
    answers = PracticeAnswer.objects.filter(in_ids("student_id", student_ids))
    if since is not None:
        answers = answers.filter(answered_at__date__gte=since)
    return answers.order_by().values_list("student_id", "competency_id", "is_correct", "answered_at", "pk")


def _graded_checks(
    student_ids: list[int], *, since: dt.date
) -> tuple[dict[int, list[tuple]], dict[int, list[FailedCheck]]]:
    """The window's graded checks, each with its questions' answers (one row per answer): their graded
    answers as answer rows (``order`` 1), and the failed checks, oldest first (a check without a graded
    answer still counts as failed when it was)."""
    answers: dict[int, list[tuple]] = defaultdict(list)
    failed: dict[int, list[FailedCheck]] = defaultdict(list)
    seen: set[int] = set()
    for attempt_id, student_id, competency_id, passed, at, on, response_id, correct in graded_check_rows(
        student_ids, since=since
    ):
        if passed is False and attempt_id not in seen:
            failed[student_id].append(FailedCheck(competency_id, on))
        seen.add(attempt_id)
        if response_id is not None and correct is not None:
            answers[student_id].append((at, 1, response_id, competency_id, correct, True))
    return answers, failed


def graded_check_rows(student_ids: list[int], *, since: dt.date | None = None):
    """The students' graded, valid checks (submitted from ``since``, or all), one row per answer in the
    order given, as (attempt, student, competency, passed, at, day, response, correct); a check without
    answers has one row with no response: the one read of checks for the detector and the policy sandbox."""
    checks = CheckAttempt.objects.filter(
        in_ids("student_id", student_ids), status=CheckAttempt.Status.GRADED, invalidated_at__isnull=True
    )
    if since is not None:
        checks = checks.filter(submitted_at__date__gte=since)
    return checks.order_by("submitted_at", "pk", "responses__question_id_in_form").values_list(
        "pk", "student_id", "competency_id", "passed", "submitted_at", TruncDate("submitted_at"),
        "responses__pk", "responses__is_correct",
    )  # fmt: skip


def competency_params(competency_ids: Iterable[int]) -> dict[int, BKTParams]:
    """The fitted BKT parameters of these competencies (one query; a competency never fitted is absent)."""
    return {
        competency_id: BKTParams(*values)
        for competency_id, *values in CompetencyModelParams.objects.filter(
            competency_id__in=competency_ids
        ).values_list("competency_id", "p_init", "p_learn", "p_guess", "p_slip")
    }


def window_school_days(*, since: dt.date, today: dt.date) -> tuple[list[dt.date], float]:
    """The days before today on which anyone in the school answered a question, oldest first, and the
    answers a present student gives on an ordinary day (the mean over the window's present student-days; at
    least 1). Past days do not change, so the answer is cached for the school's day: every chunk of a sweep
    and every recompute after an event reads it once (one grouped query over the school's month)."""
    key = f"engine:school-days:{current_school_id()}:{since.isoformat()}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    days, answers, present = [], 0, 0
    for on, count, students in (
        PracticeAnswer.objects.filter(answered_at__date__gte=since, answered_at__date__lt=today)
        .annotate(on=TruncDate("answered_at"))
        .order_by("on")
        .values("on")
        .annotate(count=Count("pk"), students=Count("student_id", distinct=True))
        .values_list("on", "count", "students")
    ):
        days.append(on)
        answers, present = answers + count, present + students
    result = (days, max(answers / present, 1.0) if present else 1.0)
    cache.set(key, result, SCHOOL_DAYS_CACHE_SECONDS)
    return result


def attention_input(
    *,
    snapshot: StudentSnapshot,
    answers: list[tuple],
    failed: Iterable[FailedCheck],
    params: Mapping[int, BKTParams],
    school_days: list[dt.date],
    usual: float,
    previously_flagged: bool,
) -> AttentionInput:
    """One student's detector input from their rows of the window (``answers``: (at, order, pk, competency,
    correct, check), oldest first): each answer's evidence, by the school's day, over the student's school
    days. Reads nothing: the sandbox's replay calls it for each past day."""
    mastered_on = {
        c: view.mastered_on or snapshot.today
        for c, view in snapshot.competencies.items()
        if view.level is MasteryLevel.MASTERED
    }
    traces: dict[int, EvidenceTrace] = {}
    by_day: dict[dt.date, list[AnswerEvidence]] = defaultdict(list)
    for at, _, _, competency_id, correct, check in answers:
        on = timezone.localdate(at) if timezone.is_aware(at) else at.date()  # the school's day
        model = params.get(competency_id, DEFAULT_PARAMS)
        if competency_id in mastered_on and mastered_on[competency_id] < on:
            p = predict_correct(model.p_init, model)
            by_day[on].append(AnswerEvidence(competency_id, correct, p, p, p, check=check, review=True))
            continue
        if competency_id not in traces:
            traces[competency_id] = EvidenceTrace(competency_id, model)
        trace = traces[competency_id]
        by_day[on].append(trace.observe(correct, check=check))
    # The student's school days: from when their work began (their first assignment, or first answer).
    began = snapshot.started_on or min(by_day, default=snapshot.today)
    days = sorted(
        {d for d in school_days if began <= d < snapshot.today} | {d for d in by_day if d <= snapshot.today}
    )[-WINDOW_SCHOOL_DAYS:]
    return AttentionInput(
        student_id=snapshot.student_id,
        days=tuple(SchoolDay(d, tuple(by_day.get(d, ()))) for d in days),
        usual_answers_per_day=usual,
        codes={c: view.code for c, view in snapshot.competencies.items()},
        mastered=frozenset(mastered_on),
        failed_checks=tuple(failed)[-5:],
        previously_flagged=previously_flagged,
        prerequisites={
            c: tuple(sorted(view.prerequisite_ids))
            for c, view in snapshot.competencies.items()
            if view.prerequisite_ids
        },
    )
