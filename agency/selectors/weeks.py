"""The weeks of evidence the level rule reads (agency.policy): per student and week, check-ins and
their habit ratings, weekly goals met or not, first checks passed or failed, and whether they were on
pace at the week's end. A fixed number of queries for many students.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from agency.policy import (
    WeekEvidence,
)
from mastery.models import CheckAttempt
from mentoring.models import CheckIn, Goal
from playlists.models import ItemProgress, PlaylistAssignment, PlaylistItem
from playlists.pace import Pace, Placement, playlist_units, slowest
from playlists.selectors import assignment_pace, mastery_credit, with_pace_margin
from schools.access import LEARNING
from schools.models import Enrollment


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_history(*, student, today: dt.date, weeks: int) -> list[WeekEvidence]:
    """The student's last ``weeks`` weeks (this one included, up to ``today``) as the rule reads them."""
    return week_histories(student_ids=[student.pk], today=today, weeks=weeks)[student.pk]


def week_histories(*, student_ids, today: dt.date, weeks: int) -> dict[int, list[WeekEvidence]]:
    """:func:`week_history` of several students at once (the mentee list): a fixed number of queries
    whatever their number (check-ins, goals, checks, and the pace reads: enrolments, assignments, their
    items, progress)."""
    ids = list(student_ids)
    mondays = [_monday(today) - dt.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    data = {s: {m: defaultdict(int) for m in mondays} for s in ids}
    ratings: dict[int, dict[dt.date, list[int]]] = {s: {m: [] for m in mondays} for s in ids}
    _count_check_ins(data, ratings, ids=ids, first=mondays[0], today=today)
    _count_goals(data, ids=ids, first=mondays[0], today=today)
    _count_first_checks(data, ids=ids)
    on_pace = _paces_by_week(student_ids=ids, mondays=mondays, today=today)
    return {
        s: [
            WeekEvidence(
                week_of=m,
                check_ins=data[s][m]["check_ins"],
                habit_ratings=tuple(ratings[s][m]),
                goals_met=data[s][m]["goals_met"],
                goals_partly=data[s][m]["goals_partly"],
                goals_not_met=data[s][m]["goals_not_met"],
                on_pace=on_pace[s].get(m),
                first_checks_passed=data[s][m]["first_checks_passed"],
                first_checks_failed=data[s][m]["first_checks_failed"],
            )
            for m in mondays
        ]
        for s in ids
    }


def _count_check_ins(data, ratings, *, ids: list[int], first: dt.date, today: dt.date) -> None:
    """Count each week's check-ins that rated a habit into ``data`` and their ratings into ``ratings``."""
    for row in CheckIn.objects.filter(student_id__in=ids, date__gte=first, date__lte=today).values(
        "student_id", "date", *CheckIn.HABITS
    ):
        given = [row[h] for h in CheckIn.HABITS if row[h] is not None]
        if given:
            week = _monday(row["date"])
            data[row["student_id"]][week]["check_ins"] += 1
            ratings[row["student_id"]][week].extend(given)


def _count_goals(data, *, ids: list[int], first: dt.date, today: dt.date) -> None:
    """Count each week's weekly goals met, partly met and not met into ``data``."""
    for student_id, week_of, status, due in Goal.objects.filter(
        student_id__in=ids, kind=Goal.Kind.WEEKLY, week_of__gte=first, week_of__lte=today
    ).values_list("student_id", "week_of", "status", "due_date"):
        if week_of not in data[student_id]:
            continue
        if status == Goal.Status.MET:
            data[student_id][week_of]["goals_met"] += 1
        elif status == Goal.Status.PARTLY:
            data[student_id][week_of]["goals_partly"] += 1
        elif status == Goal.Status.NOT_MET or (due is not None and due < today):
            data[student_id][week_of]["goals_not_met"] += 1  # still open after its due day counts as not met


def _count_first_checks(data, *, ids: list[int]) -> None:
    """Count into ``data`` the first graded check of each competency, passed or failed, in its week."""
    first_seen: set[tuple[int, int]] = set()
    for student_id, competency_id, passed, submitted in (
        CheckAttempt.objects.filter(
            student_id__in=ids, status=CheckAttempt.Status.GRADED, invalidated_at__isnull=True
        )
        .order_by("submitted_at", "pk")
        .values_list("student_id", "competency_id", "passed", "submitted_at")
    ):
        if (student_id, competency_id) in first_seen or submitted is None:
            continue
        first_seen.add((student_id, competency_id))
        week = _monday(timezone.localdate(submitted))
        if week in data[student_id]:
            data[student_id][week]["first_checks_passed" if passed else "first_checks_failed"] += 1


def _assignments_by_student(student_ids: list[int]) -> dict[int, dict[int, PlaylistAssignment]]:
    """Each student's assignment of each playlist, as ``student_assignments`` reads them for one student
    (their sections' and their own; the earliest target first), for many students in two queries; a
    student with none is left out."""
    sections_of: dict[int, set[int]] = defaultdict(set)
    for user_id, section_id in Enrollment.objects.filter(LEARNING, user_id__in=student_ids).values_list(
        "user_id", "section_id"
    ):
        sections_of[user_id].add(section_id)
    section_ids = {s for sections in sections_of.values() for s in sections}
    assignments = list(
        with_pace_margin(
            PlaylistAssignment.objects.filter(Q(student_id__in=student_ids) | Q(section_id__in=section_ids))
        ).select_related("playlist__subject", "section")
    )
    by_student: dict[int, dict[int, PlaylistAssignment]] = {}
    for student_id in student_ids:
        own = [
            a
            for a in assignments
            if a.student_id == student_id or (a.section_id and a.section_id in sections_of[student_id])
        ]
        by_playlist: dict[int, PlaylistAssignment] = {}
        for a in sorted(own, key=lambda a: (a.target_date, a.pk)):
            by_playlist.setdefault(a.playlist_id, a)
        if by_playlist:
            by_student[student_id] = by_playlist
    return by_student


def _paces_by_week(
    *, student_ids: list[int], mondays: list[dt.date], today: dt.date
) -> dict[int, dict[dt.date, bool | None]]:
    """Was each student on pace (their slowest playlist not behind) at the end of each week? The one pace
    rule (``read_pace`` through ``assignment_pace``) read with the items done by that day (marked done, or
    on competencies all mastered by then: ``mastery_credit``); the students' assignments as
    ``student_assignments`` reads them (their sections' and their own)."""
    result: dict[int, dict[dt.date, bool | None]] = {s: {} for s in student_ids}
    by_student = _assignments_by_student(student_ids)
    if not by_student:
        return result
    rules: dict[int, list[Placement]] = defaultdict(list)
    choose: dict[int, int] = {}
    playlist_ids = {p for by_playlist in by_student.values() for p in by_playlist}
    for p in PlaylistItem.objects.filter(playlist_id__in=playlist_ids).select_related("choice_board"):
        rules[p.playlist_id].append(Placement(p.item_id, p.required, p.choice_board_id))
        if p.choice_board_id:
            choose[p.choice_board_id] = p.choice_board.choose
    done_on: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for student_id, item_id, at in ItemProgress.objects.filter(
        student_id__in=list(by_student), status=ItemProgress.Status.DONE, completed_at__isnull=False
    ).values_list("student_id", "item_id", "completed_at"):
        done_on[student_id][item_id] = timezone.localdate(at)
    credit = mastery_credit(
        student_ids=list(by_student), item_ids={p.item_id for placed in rules.values() for p in placed}
    )
    for student_id, by_playlist in by_student.items():
        for monday in mondays:
            end = min(monday + dt.timedelta(days=6), today)
            marked = {item for item, day in done_on[student_id].items() if day <= end}
            done = credit.done(student_id, marked, on=end)  # and the items on competencies mastered by then
            readings = []
            for playlist_id, assignment in by_playlist.items():
                if assignment.start_date > end:
                    continue
                units = playlist_units(rules[playlist_id], choose, done)
                readings.append(assignment_pace(assignment, done=units[0], needed=units[1], today=end))
            pace = slowest(readings).pace if readings else Pace.NONE
            result[student_id][monday] = (
                None if pace in (Pace.NONE, Pace.UNPLANNED) else pace is not Pace.BEHIND
            )
    return result
