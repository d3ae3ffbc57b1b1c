"""The policy sandbox's bulk reads: a chunk of students' ledgers (their snapshot as it is now, every
graded answer and check, every mentor check-in and mentor assignment) and their competencies' BKT
parameters, in a constant number of queries (the snapshot loader's, then answers, checks, check-ins,
assignments and model parameters), inside the active school.
"""

import datetime as dt
from collections import defaultdict

from django.db.models.functions import TruncDate
from django.utils import timezone

from engine.attention.inputs import competency_params, graded_check_rows, practice_answer_rows
from engine.sandbox.rebuild import Answer, CheckInHeld, CheckResult, Mentoring, StudentLedger
from engine.snapshots import load_snapshots
from mentoring.models import CheckIn
from plp import bulk
from schools.models import MentorAssignment


def load_ledgers(*, student_ids: list[int], today: dt.date, now: dt.datetime):
    """The chunk's ledgers and the competencies' BKT parameters, in a constant number of queries."""
    snapshots = load_snapshots(student_ids=student_ids, today=today, now=now)
    answers: dict[int, list[Answer]] = defaultdict(list)
    days: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for student_id, competency_id, correct, at, pk in practice_answer_rows(student_ids):
        answers[student_id].append(Answer(at, 0, pk, competency_id, correct))
        days[student_id][pk] = timezone.localdate(at)
    checks: dict[int, list[CheckResult]] = defaultdict(list)
    seen: set[int] = set()
    for attempt_id, student_id, competency_id, passed, at, on, response_id, correct in graded_check_rows(
        student_ids
    ):
        if attempt_id not in seen and passed is not None:
            checks[student_id].append(CheckResult(competency_id, on, bool(passed)))
        seen.add(attempt_id)
        if response_id is not None and correct is not None:
            # A check's answers are keyed apart from practice's (the ids are of another table).
            key = -response_id
            answers[student_id].append(Answer(at, 1, key, competency_id, correct, check=True))
            days[student_id][key] = timezone.localdate(at)
    check_ins, mentorings = _mentoring_history(student_ids)
    competency_ids = {a.competency_id for rows in answers.values() for a in rows}
    competency_ids |= {c for s in snapshots.values() for c in s.competencies}
    params = competency_params(competency_ids)
    ledgers = [
        StudentLedger(
            snapshot=snapshots[s],
            answers=tuple(sorted(answers.get(s, ()), key=lambda a: a.row)),
            checks=tuple(checks.get(s, ())),
            answer_day=days.get(s, {}),
            check_ins=tuple(check_ins.get(s, ())),
            mentorings=tuple(mentorings.get(s, ())),
        )
        for s in student_ids
    ]
    return ledgers, params


def _mentoring_history(student_ids: list[int]):
    """Each student's check-ins (oldest first, as the snapshot loader orders them) and mentor assignments,
    ended ones too (an assignment ended with no end day recorded cannot be placed in time: left out)."""
    check_ins: dict[int, list[CheckInHeld]] = defaultdict(list)
    for student_id, on, follow_up_on, mentor_id in (
        CheckIn.objects.filter(bulk.in_ids("student_id", student_ids))
        .order_by("student_id", "date", "pk")
        .values_list("student_id", "date", "follow_up_date", "mentor_id")
    ):
        check_ins[student_id].append(CheckInHeld(on, follow_up_on, mentor_id))
    mentorings: dict[int, list[Mentoring]] = defaultdict(list)
    for student_id, mentor_id, began_on, ended_on, active in MentorAssignment.objects.filter(
        bulk.in_ids("student_id", student_ids)
    ).values_list("student_id", "mentor_id", TruncDate("created_at"), TruncDate("ended_at"), "is_active"):
        if active or ended_on is not None:
            mentorings[student_id].append(Mentoring(mentor_id, began_on, None if active else ended_on))
    return check_ins, mentorings
