"""The bulk reads behind a chunk's snapshots: a fixed number of queries, whatever the chunk's size.

Every query here filters by the chunk's student ids (or the playlists and competencies they touch) inside
the active school, so a chunk never reads another school's rows.
"""

import dataclasses
import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from engine.models import ItemDirective
from engine.policy.snapshot import (
    GoalView,
    MasteryLevel,
    Progress,
    TeacherDirective,
)
from learners.models import PlanFocus, StudentProfile
from mastery.eligibility import by_student, eligibilities
from mastery.models import CheckAttempt, CompetencyModelParams, MasteryState, MasteryStatus, PracticeAnswer
from mentoring.models import CheckIn, Goal
from playlists.models import (
    Competency,
    CompetencyPrerequisite,
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistItem,
)
from playlists.selectors import students_assignments
from plp.bulk import in_ids
from schools.models import MentorAssignment

MasteryRow = tuple[MasteryLevel, float, dt.date | None]  # level, p(mastered), the day it was mastered
RECENT_RESULTS = 40  # enough for two falling-trend windows
LEVEL = {
    MasteryStatus.NOT_STARTED: MasteryLevel.NOT_STARTED,
    MasteryStatus.PRACTICING: MasteryLevel.PRACTICING,
    MasteryStatus.READY: MasteryLevel.READY,
    MasteryStatus.MASTERED: MasteryLevel.MASTERED,
}
PROGRESS = {
    ItemProgress.Status.NOT_STARTED: Progress.NOT_STARTED,
    ItemProgress.Status.IN_PROGRESS: Progress.IN_PROGRESS,
    ItemProgress.Status.DONE: Progress.DONE,
}


def _as_date(value) -> dt.date | None:
    """A day read through a raw cursor: a date on PostgreSQL, ISO text on SQLite."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _playlists(playlist_ids: set[int]) -> tuple[dict[int, dict], dict[int, list[dict]], dict[int, tuple]]:
    """Playlists, their ordered placements and each item's competencies (3 queries)."""
    playlists = {
        row["pk"]: row for row in Playlist.objects.filter(pk__in=playlist_ids).values("pk", "title", "tier")
    }
    placements: dict[int, list[dict]] = defaultdict(list)
    item_ids: set[int] = set()
    for row in (
        PlaylistItem.objects.filter(playlist_id__in=playlist_ids)
        .order_by("playlist_id", "position", "pk")
        .values(
            "playlist_id",
            "item_id",
            "position",
            "required",
            "choice_board_id",
            choose=F("choice_board__choose"),
            kind=F("item__kind"),
            minutes=F("item__estimated_minutes"),
            tags=F("item__interest_tags"),
            title=F("item__title"),
        )
    ):
        placements[row["playlist_id"]].append(row)
        item_ids.add(row["item_id"])
    competencies_of: dict[int, list[int]] = defaultdict(list)
    for item_id, competency_id in ContentItem.competencies.through.objects.filter(
        contentitem_id__in=item_ids
    ).values_list("contentitem_id", "competency_id"):
        competencies_of[item_id].append(competency_id)
    return playlists, placements, {item: tuple(sorted(c)) for item, c in competencies_of.items()}


def _failed_checks_in_a_row(
    student_ids: list[int],
) -> tuple[dict[int, dict[int, int]], dict[int, dt.date]]:
    """Failed checks in a row per student and competency since the last pass; each last check day."""
    streaks: dict[int, dict[int, int]] = defaultdict(dict)
    last_check: dict[int, dt.date] = {}
    for student_id, competency_id, passed, submitted_on in (
        CheckAttempt.objects.filter(
            in_ids("student_id", student_ids),
            status=CheckAttempt.Status.GRADED,
            invalidated_at__isnull=True,
            submitted_at__isnull=False,
        )
        .order_by("submitted_at", "pk")
        .values_list("student_id", "competency_id", "passed", TruncDate("submitted_at"))
    ):
        mine = streaks[student_id]
        mine[competency_id] = 0 if passed else mine.get(competency_id, 0) + 1
        last_check[student_id] = submitted_on
    return streaks, last_check


def _practice(
    student_ids: list[int],
) -> tuple[dict[int, dict[int, tuple[int, int, dt.date]]], dict[int, tuple[bool, ...]]]:
    """Per student and competency: answers, correct answers and the day of the last one; per student: the
    last ``RECENT_RESULTS`` results, oldest first. One query, and no single answer crosses the wire.

    A subquery ranks each student's answers newest first; the outer query folds them into one row per
    (student, competency), the recent results as a bit mask (bit ``r - 1`` set: the answer ranked ``r`` was
    right). The subquery is an ordinary queryset, so the manager scopes it to the active school (and
    compiling it outside a school raises, as any other query here).
    """
    ranked = (
        PracticeAnswer.objects.filter(in_ids("student_id", student_ids))
        .annotate(
            answered_on=TruncDate("answered_at"),
            recency=Window(
                RowNumber(),
                partition_by=[F("student_id")],
                order_by=[F("answered_at").desc(), F("pk").desc()],
            ),
        )
        .order_by()
        .values_list("student_id", "competency_id", "is_correct", "answered_on", "recency")
    )
    inner, params = ranked.query.sql_with_params()
    sql = (
        "SELECT student_id, competency_id, COUNT(*), SUM(CASE WHEN is_correct THEN 1 ELSE 0 END), "
        "MAX(answered_on), CAST(SUM(CASE WHEN is_correct AND recency <= %s "
        "THEN CAST(1 AS BIGINT) << CAST(recency - 1 AS INTEGER) ELSE 0 END) AS BIGINT) "
        f"FROM ({inner}) ranked GROUP BY student_id, competency_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (RECENT_RESULTS, *params))
        rows = cursor.fetchall()
    answered: dict[int, dict[int, tuple[int, int, dt.date]]] = defaultdict(dict)
    totals: dict[int, list[int]] = {}  # student → [answers, mask]
    for student_id, competency_id, answers, correct, last_on, mask in rows:
        answered[student_id][competency_id] = (answers, correct, _as_date(last_on))
        total = totals.setdefault(student_id, [0, 0])
        total[0] += answers
        total[1] |= mask
    recent = {
        student_id: tuple(bool(mask >> (rank - 1) & 1) for rank in range(min(answers, RECENT_RESULTS), 0, -1))
        for student_id, (answers, mask) in totals.items()
    }
    return answered, recent


@dataclasses.dataclass
class Chunk:
    """Everything read for one chunk of students, keyed by student id (then by item or competency id)."""

    assignments: dict
    playlists: dict[int, dict]
    verdicts: dict
    progress: dict[int, dict[int, Progress]]
    done_on: dict[int, dict[int, dt.date]]
    last_active: dict[int, dt.date]
    states: dict[int, dict[int, MasteryRow]]
    answered: dict
    recent: dict
    failed_streaks: dict
    interests: dict[int, frozenset]
    focus: dict[int, set[int]]
    goals: dict[int, list[GoalView]]
    check_ins: dict[int, tuple[dt.date, dt.date | None]]
    mentored: dict[int, dt.date]
    directives: dict[int, list[TeacherDirective]]


def _item_progress(student_ids: list[int]):
    """Each student's progress per item, the day each done item was done, and their last active day."""
    progress: dict[int, dict[int, Progress]] = defaultdict(dict)
    done_on: dict[int, dict[int, dt.date]] = defaultdict(dict)
    last_active: dict[int, dt.date] = {}
    for student_id, item_id, status, updated_on, completed_on in (
        ItemProgress.objects.filter(in_ids("student_id", student_ids))
        .exclude(status=ItemProgress.Status.NOT_STARTED)  # the same as no row: not started
        .values_list("student_id", "item_id", "status", TruncDate("updated_at"), TruncDate("completed_at"))
    ):
        progress[student_id][item_id] = PROGRESS[status]
        if status == ItemProgress.Status.DONE:
            done_on[student_id][item_id] = completed_on or updated_on
        last_active[student_id] = max(updated_on, last_active.get(student_id, updated_on))
    return progress, done_on, last_active


def _mastery_states(student_ids: list[int]) -> dict[int, dict[int, MasteryRow]]:
    """Each student's mastery level, probability and mastered day per competency they have a state on."""
    states: dict[int, dict[int, MasteryRow]] = defaultdict(dict)
    for student_id, competency_id, status, p_mastered, mastered_on in MasteryState.objects.filter(
        in_ids("student_id", student_ids)
    ).values_list("student_id", "competency_id", "status", "p_mastered", TruncDate("mastered_at")):
        states[student_id][competency_id] = (
            LEVEL.get(status, MasteryLevel.NOT_STARTED),
            p_mastered,
            mastered_on,
        )
    return states


def _competencies(competency_ids: set[int]) -> tuple[set[int], dict[int, set[int]], dict[int, str], dict]:
    """The competencies with their prerequisites added, the prerequisites, codes and fitted p_learn."""
    prerequisites: dict[int, set[int]] = defaultdict(set)
    for competency_id, prerequisite_id in CompetencyPrerequisite.objects.filter(
        competency_id__in=competency_ids
    ).values_list("competency_id", "prerequisite_id"):
        prerequisites[competency_id].add(prerequisite_id)
    competency_ids = competency_ids | {p for ps in prerequisites.values() for p in ps}
    codes = dict(Competency.objects.filter(pk__in=competency_ids).values_list("pk", "code"))
    p_learn = dict(
        CompetencyModelParams.objects.filter(competency_id__in=competency_ids).values_list(
            "competency_id", "p_learn"
        )
    )
    return competency_ids, prerequisites, codes, p_learn


def _plans_and_goals(student_ids: list[int], today: dt.date):
    """Each student's interests, this term's focus competencies and recent weekly goals."""
    interests = {
        student_id: frozenset(tags or ())
        for student_id, tags in StudentProfile.objects.filter(in_ids("student_id", student_ids)).values_list(
            "student_id", "interests"
        )
    }
    focus: dict[int, set[int]] = defaultdict(set)
    for student_id, competency_id in PlanFocus.objects.filter(
        in_ids("plan__student_id", student_ids),
        competency_id__isnull=False,
        plan__term__start_date__lte=today,
        plan__term__end_date__gte=today,
    ).values_list("plan__student_id", "competency_id"):
        focus[student_id].add(competency_id)

    goals: dict[int, list[GoalView]] = defaultdict(list)
    for goal_id, student_id, text, due_date, status in Goal.objects.filter(
        in_ids("student_id", student_ids), kind=Goal.Kind.WEEKLY, due_date__isnull=False,
        due_date__gte=today - dt.timedelta(days=28),
    ).values_list("pk", "student_id", "text", "due_date", "status"):  # fmt: skip
        goals[student_id].append(GoalView(goal_id, text, due_date, status == Goal.Status.OPEN))
    return interests, focus, goals


def _mentoring(student_ids: list[int]):
    """Each student's latest check-in (day, follow-up) and the day their earliest active mentoring began."""
    check_ins: dict[int, tuple[dt.date, dt.date | None]] = {}
    for student_id, date, follow_up in (
        CheckIn.objects.filter(in_ids("student_id", student_ids))
        .order_by("student_id", "date", "pk")
        .values_list("student_id", "date", "follow_up_date")
    ):
        check_ins[student_id] = (date, follow_up)  # the latest wins
    mentored: dict[int, dt.date] = {}  # student → the day their earliest active mentoring began
    for student_id, since in MentorAssignment.objects.filter(
        in_ids("student_id", student_ids), is_active=True
    ).values_list("student_id", TruncDate("created_at")):
        mentored[student_id] = min(since, mentored.get(student_id, since))
    return check_ins, mentored


def _directives(student_ids: list[int]) -> dict[int, list[TeacherDirective]]:
    """Each student's active teacher directives (pins and skips), with who gave them."""
    directives: dict[int, list[TeacherDirective]] = defaultdict(list)
    for student_id, item_id, kind, reason, by_given, by_family in ItemDirective.objects.filter(
        in_ids("student_id", student_ids), is_active=True
    ).values_list(
        "student_id", "item_id", "kind", "reason", "created_by__given_name", "created_by__family_name"
    ):
        by = f"{by_given} {by_family}".strip() if by_given or by_family else ""
        directives[student_id].append(TeacherDirective(item_id, kind == ItemDirective.Kind.PIN, reason, by))
    return directives


def read_chunk(student_ids: list[int], today: dt.date, now: dt.datetime | None):
    """Every bulk query for the chunk: the per-student reads, and what the shared views are built from."""
    # Mastery decides whether each check can be asked for now (its one rule); the snapshot carries that.
    verdicts = by_student(eligibilities(student_ids=student_ids, now=now or timezone.now()))
    assignments = students_assignments(student_ids=student_ids)
    playlist_ids = {row["playlist_id"] for rows in assignments.values() for row in rows}
    playlists, placements, competencies_of = _playlists(playlist_ids)
    progress, done_on, last_active = _item_progress(student_ids)
    states = _mastery_states(student_ids)

    competency_ids = {c for cs in competencies_of.values() for c in cs}
    competency_ids |= {c for rows in states.values() for c in rows}
    competency_ids, prerequisites, codes, p_learn = _competencies(competency_ids)

    answered, recent = _practice(student_ids)
    for student_id, mine in answered.items():
        for _, _, last_on in mine.values():
            last_active[student_id] = max(last_on, last_active.get(student_id, last_on))

    failed_streaks, last_check = _failed_checks_in_a_row(student_ids)
    for student_id, on in last_check.items():
        last_active[student_id] = max(on, last_active.get(student_id, on))

    interests, focus, goals = _plans_and_goals(student_ids, today)
    check_ins, mentored = _mentoring(student_ids)
    chunk = Chunk(
        assignments=assignments,
        playlists=playlists,
        verdicts=verdicts,
        progress=progress,
        done_on=done_on,
        last_active=last_active,
        states=states,
        answered=answered,
        recent=recent,
        failed_streaks=failed_streaks,
        interests=interests,
        focus=focus,
        goals=goals,
        check_ins=check_ins,
        mentored=mentored,
        directives=_directives(student_ids),
    )
    return chunk, (placements, competencies_of, competency_ids, prerequisites, codes, p_learn)
